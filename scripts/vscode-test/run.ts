/**
 * Runs the integration suites (out/test/integration/suite/**\/*.test.js)
 * inside a real VS Code: code-server 4.99.4 driven by headless Chromium.
 * Install code-server first: `bash scripts/vscode-test/install.sh`.
 *
 *   node out/scripts/vscode-test/run.js
 *
 * Environment:
 *   BPNB_TEST_GREP        only run tests whose full title matches (mocha grep)
 *   BPNB_TEST_TIMEOUT_MS  whole-run timeout, default 300000 (5 minutes)
 *   BPNB_TEST_VERBOSE=1   also print code-server's own log and browser console
 *
 * Prints the extension host's test output, then the closing line
 * `N passed, N failed`. Exits non-zero on a failed test, on no test run,
 * and on timeout.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as util from 'node:util';
import {
  launchChromium,
  remoteUri,
  startCodeServer,
  workbenchUrl,
  type CodeServer,
} from './codeServer';
import { repoRoot, suiteIndexPath } from './workspace';

interface Results {
  passed: number;
  failed: number;
}

const timeoutMs = Number(process.env.BPNB_TEST_TIMEOUT_MS ?? 300_000);
const verbose = process.env.BPNB_TEST_VERBOSE === '1';

/** Workbench chatter that says nothing about the tests (shown with BPNB_TEST_VERBOSE=1). */
const workbenchNoise =
  /^(Resolving connection token|Resolved connection token|Creating a socket|Ignoring fetching additional builtin extensions|Updating additional builtin extensions cache|ChatSessionStore:|\[Service Worker\] registered)/;

/** Mocha's reporter logs format strings ('%d passing (%s)'): format them like console.log. */
function formatLog(args: unknown): string {
  return Array.isArray(args) ? util.format(...args) : String(args);
}

function readResults(file: string): Results | undefined {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Results;
    return { passed: Number(parsed.passed) || 0, failed: Number(parsed.failed) || 0 };
  } catch {
    return undefined;
  }
}

async function runSuites(server: CodeServer): Promise<number> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    let resolveExit: (code: number) => void = () => undefined;
    const exited = new Promise<number>((resolve) => {
      resolveExit = resolve;
    });
    await page.exposeFunction('codeAutomationLog', (_type: string, args: unknown) => {
      const line = formatLog(args);
      if (verbose || !workbenchNoise.test(line)) {
        console.log(line);
      }
    });
    await page.exposeFunction('codeAutomationExit', (code: number) => {
      resolveExit(Number(code));
    });
    if (verbose) {
      page.on('console', (message) => console.log(`[browser ${message.type()}] ${message.text()}`));
    }
    page.on('pageerror', (err) => console.error(`[browser error] ${err.message}`));

    await page.goto(
      workbenchUrl(server, [
        ['extensionDevelopmentPath', remoteUri(server, repoRoot)],
        ['extensionTestsPath', remoteUri(server, suiteIndexPath)],
        ['skipWelcome', 'true'],
        ['skipReleaseNotes', 'true'],
      ]),
    );

    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const outcome = await Promise.race([exited, timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      console.error(`Integration tests timed out after ${timeoutMs} ms`);
      return 1;
    }
    return outcome;
  } finally {
    await browser.close().catch(() => undefined);
  }
}

async function main(): Promise<number> {
  const started = Date.now();
  if (!fs.existsSync(`${suiteIndexPath}.js`)) {
    console.error(`Missing ${suiteIndexPath}.js: compile first with tsc -p .`);
    return 1;
  }
  const resultsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bpnb-results-'));
  const resultsFile = path.join(resultsDir, 'results.json');
  const env: Record<string, string> = { BPNB_TEST_RESULTS: resultsFile };
  if (process.env.BPNB_TEST_GREP) {
    env.BPNB_TEST_GREP = process.env.BPNB_TEST_GREP;
  }
  const server = await startCodeServer({ env });
  const stopOnSignal = (): void => {
    void server.stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);

  let exitCode = 1;
  try {
    exitCode = await runSuites(server);
  } finally {
    if (verbose || exitCode !== 0) {
      const serverLog = fs.readFileSync(server.serverLogFile, 'utf8').trimEnd().split('\n');
      console.log(
        `--- code-server log (last 40 lines) ---\n${serverLog.slice(-40).join('\n')}\n---`,
      );
    }
    await server.stop();
  }

  const results = readResults(resultsFile);
  fs.rmSync(resultsDir, { recursive: true, force: true });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (!results) {
    console.error(
      `No results file was written (exit code ${exitCode}, ${seconds} s): the suite index did not finish.`,
    );
    console.log('0 passed, 0 failed');
    return 1;
  }
  console.log(`Integration run took ${seconds} s`);
  console.log(`${results.passed} passed, ${results.failed} failed`);
  if (results.failed > 0 || results.passed === 0 || exitCode !== 0) {
    return 1;
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
