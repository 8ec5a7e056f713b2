/**
 * Checks the packaged extension as a user gets it: installs backprop-notebook.vsix into a fresh
 * code-server extensions folder (no extensionDevelopmentPath), opens examples/01-seed-network.bpnb
 * from the explorer, clicks Run All, waits for every code cell's success icon, asserts that no
 * cell failed, and saves a screenshot.
 *
 *   npm run package && node out/scripts/vscode-test/vsix-check.js [--vsix FILE] [--out PNG]
 *
 * Defaults: ./backprop-notebook.vsix and docs/images/vsix-notebook.png. Exits non-zero on failure
 * (with a screenshot of the page at that moment beside the output file).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { codeServerEntry, workbenchUrl } from './codeServer';
import { runUserCheck } from './workbench';
import { countCodeCells, repoRoot } from './workspace';
import { Session } from '../../src/runtime/session';
import { TrainWorkers } from '../../src/worker/trainClient';
import { nodeThreads } from '../../src/worker/nodeThread';

const EXAMPLE = path.join(repoRoot, 'examples', '01-seed-network.bpnb');
const EXTENSION_ID = 'backprop-notebook.backprop-notebook';

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? path.resolve(process.argv[i + 1]) : fallback;
}

/**
 * Opens the notebook from the explorer (retrying until our notebook editor, not the text editor,
 * opens it).
 */
async function openFromExplorer(page: Page, name: string): Promise<void> {
  const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: name }).first();
  await row.waitFor({ timeout: 60_000 });
  for (let attempt = 0; attempt < 20; attempt++) {
    await row.click();
    try {
      await page
        .locator('.notebook-editor .cell-list-container')
        .first()
        .waitFor({ timeout: 3_000 });
      return;
    } catch {
      // the extension may not be registered yet: the file opened as text; close it and retry
      await page.keyboard.press('Control+W').catch(() => undefined);
    }
  }
  throw new Error(`${name} never opened in the notebook editor: is the extension installed?`);
}

/**
 * How many code cells the saved file records as run successfully / unsuccessfully (by the run just
 * made).
 */
function recordedOutcome(file: string): { succeeded: number; failed: number } {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as {
      cells?: { kind?: string; execution?: { success?: boolean } }[];
    };
    const code = (parsed.cells ?? []).filter((c) => c.kind === 'code');
    return {
      succeeded: code.filter((c) => c.execution?.success === true).length,
      failed: code.filter((c) => c.execution?.success === false).length,
    };
  } catch {
    return { succeeded: 0, failed: 0 }; // being written
  }
}

/**
 * The packaged training worker loads as a worker thread and trains (a job of any size sent to it).
 */
async function checkTrainingWorker(script: string): Promise<void> {
  const workers = new TrainWorkers(nodeThreads(script), 0);
  try {
    const host = {
      isCancelled: () => false,
      yieldNow: () => new Promise<void>((r) => setImmediate(r)),
      now: () => performance.now(),
      train: workers.train,
    };
    const session = new Session();
    const run = await session.runCell(
      'network 2 -> 4 tanh -> 1 sigmoid\ndataset xor\ntrain epochs 2000',
      host,
    );
    if (!run.ok || workers.counts.worker !== 1)
      throw new Error(
        `the packaged training worker did not train (ok ${run.ok}, counts ` +
          `${JSON.stringify(workers.counts)})`,
      );
    console.log('the packaged dist/trainWorker.js trained a job in a worker thread');
  } finally {
    workers.dispose();
  }
}

const vsix = option('--vsix', path.join(repoRoot, 'backprop-notebook.vsix'));
const out = option('--out', path.join(repoRoot, 'docs', 'images', 'vsix-notebook.png'));
if (!fs.existsSync(vsix)) {
  console.error(`${vsix} is missing: run npm run package first`);
  process.exit(1);
}

runUserCheck('vsix-check', {}, async (server, page) => {
  const extensionsDir = path.join(server.tempDir, 'extensions');
  const userDataDir = path.join(server.tempDir, 'user-data');
  const installLog = execFileSync(
    process.execPath,
    [
      codeServerEntry,
      '--install-extension',
      vsix,
      '--extensions-dir',
      extensionsDir,
      '--user-data-dir',
      userDataDir,
    ],
    {
      encoding: 'utf8',
      // keep code-server's CLI from writing a default config into the real home folder
      env: {
        ...process.env,
        XDG_CONFIG_HOME: path.join(server.tempDir, 'xdg-config'),
        XDG_DATA_HOME: path.join(server.tempDir, 'xdg-data'),
      },
    },
  );
  console.log(installLog.trim());
  const installed = fs.readdirSync(extensionsDir).filter((d) => d.startsWith(EXTENSION_ID));
  if (installed.length !== 1)
    throw new Error(
      `expected one installed ${EXTENSION_ID} folder in ${extensionsDir}, found: ` +
        `${installed.join(', ') || 'none'}`,
    );
  console.log(`installed into ${path.join(extensionsDir, installed[0])}`);
  await checkTrainingWorker(path.join(extensionsDir, installed[0], 'dist', 'trainWorker.js'));

  fs.copyFileSync(EXAMPLE, path.join(server.workspace, path.basename(EXAMPLE)));
  await page.goto(
    workbenchUrl(server, [
      ['skipWelcome', 'true'],
      ['skipReleaseNotes', 'true'],
    ]),
  );
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  await openFromExplorer(page, path.basename(EXAMPLE));

  const runAll = page
    .locator('.notebook-toolbar-container .action-label[aria-label^="Run All"]')
    .first();
  await runAll.waitFor({ timeout: 30_000 });
  const started = Date.now();
  await runAll.click();
  // the cell list is virtualised (off-screen cells have no icons), so read the outcome the way it
  // is kept: save, and read each code cell's recorded execution from the file on disk
  const expected = countCodeCells(EXAMPLE);
  const saved = path.join(server.workspace, path.basename(EXAMPLE));
  let outcome = { succeeded: 0, failed: 0 };
  const deadline = Date.now() + 120_000;
  while (outcome.succeeded + outcome.failed < expected && outcome.failed === 0) {
    if (Date.now() > deadline)
      throw new Error(`only ${outcome.succeeded} of ${expected} code cells finished within 120 s`);
    await page.waitForTimeout(500);
    await page.keyboard.press('Control+S');
    outcome = recordedOutcome(saved);
  }
  const ms = Date.now() - started;
  const { succeeded, failed } = outcome;
  await page.mouse.move(1, 1);
  // let the output webview paint before the picture (not an assertion)
  await page.waitForTimeout(1_500);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  await page.screenshot({ path: out });
  console.log(
    `${succeeded} of ${expected} code cells succeeded, ${failed} failed, in ${ms} ms; screenshot ` +
      `${path.relative(process.cwd(), out)}`,
  );
  if (failed > 0 || succeeded < expected)
    throw new Error('the packaged extension did not run every cell of the example');
});
