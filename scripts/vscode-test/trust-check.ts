/**
 * Workspace Trust (docs/reliability.md): in Restricted Mode a notebook opens and shows its cells,
 * but Run All runs nothing (VS Code asks for trust first; the controller refuses too, see trust.ts). Driven as a user in code-server + Chromium with Workspace
 * Trust on, the folder left untrusted; exits non-zero when any check fails.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { openNotebook, openWorkbench, pause, runUserCheck, waitForExtension } from './workbench';

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

runUserCheck(
  'trust-check',
  { workspaceTrust: true, settings: { 'security.workspace.trust.enabled': true } },
  async (server, page) => {
    fs.writeFileSync(path.join(server.workspace, NAME), JSON.stringify(NOTEBOOK, null, 2) + '\n');
    await openWorkbench(server, page);
    // VS Code asks whether to trust the folder: answer as a cautious user
    const distrust = page
      .locator('.monaco-dialog-box .monaco-button', { hasText: /don.t trust/i })
      .first();
    await distrust
      .click({ timeout: 15_000 })
      .catch(() => console.log('trust check: no trust prompt shown'));
    await waitForExtension(page);
    const restricted = await page
      .locator('.statusbar-item', { hasText: /Restricted Mode/i })
      .count();
    console.log(`trust check: Restricted Mode indicator shown: ${restricted > 0}`);

    await openNotebook(page, NAME);
    await page
      .locator('.notebook-toolbar-container .action-label[aria-label^="Run All"]')
      .first()
      .click();
    // VS Code itself asks before running a notebook in Restricted Mode; the user declines
    const dialog = page.locator('.monaco-dialog-box', { hasText: /trust the authors/i }).first();
    await dialog.waitFor({ timeout: 15_000 });
    await dialog
      .locator('.monaco-button', { hasText: /^Cancel$/ })
      .first()
      .click();
    await pause(3_000);
    await page.screenshot({ path: path.join(server.tempDir, 'restricted.png') });
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
      'trust check: passed (in Restricted Mode the notebook opens with its cells; Run All asks for trust and, declined, runs nothing)',
    );
  },
);
