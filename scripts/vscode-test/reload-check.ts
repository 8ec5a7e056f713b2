/**
 * Reload during training (docs/reliability.md, "Reload loses nothing"): a user starts a long
 * `train`, reloads the window mid-run, and finds the notebook and its file intact, the interrupted
 * cell not shown as succeeded, and the kernel working again. Driven as a user in code-server +
 * Chromium; exits non-zero when any check fails.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodeNotebookBytes, parseNotebookFile } from '../../src/protocol/notebookFile';
import {
  openNotebook,
  openWorkbench,
  pause,
  runCommand,
  runUserCheck,
  waitForExtension,
} from './workbench';

const NAME = 'reload-during-training.bpnb';
const NOTEBOOK = {
  format: 'backprop-notebook',
  version: '1.0',
  metadata: {},
  cells: [
    { kind: 'markdown', language: 'markdown', source: ['# Reload during training'] },
    {
      kind: 'code',
      language: 'bpnb',
      source: [
        'network 2 -> 64 tanh -> 1 sigmoid',
        'dataset spiral n 2000',
        'train epochs 100000000 batch 32',
      ],
    },
  ],
};

const SOURCES = NOTEBOOK.cells.map((c) => c.source.join('\n'));

runUserCheck('reload-check', {}, async (server, page) => {
  const file = path.join(server.workspace, NAME);
  fs.writeFileSync(file, JSON.stringify(NOTEBOOK, null, 2) + '\n');
  const open = async () => {
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await waitForExtension(page);
    await openNotebook(page, NAME);
  };
  await openWorkbench(server, page);
  await open();
  await page
    .locator('.notebook-toolbar-container .action-label[aria-label^="Run All"]')
    .first()
    .click();
  await page
    .locator('.notebook-editor .codicon-notebook-state-executing')
    .first()
    .waitFor({ timeout: 30_000 });
  await runCommand(page, 'Backprop Notebook: Show Network Panel');
  const panelTab = page.locator('.tabs-container .tab', { hasText: /^Network/ }).first();
  await panelTab.waitFor({ timeout: 30_000 });
  await pause(1_500); // training is under way, with live output and the panel open
  console.log(
    'reload check: training is running with the Network panel open; reloading the window',
  );

  // "Developer: Reload Window" is how a VS Code user reloads; it shuts the workbench down through
  // its lifecycle, which stores the open editors. (A raw browser reload of code-server may cut that
  // store short, and then VS Code itself forgets the tabs: not something an extension can help.)
  const reloaded = page.waitForEvent('load', { timeout: 60_000 });
  await runCommand(page, 'Developer: Reload Window');
  await reloaded;
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  // the workbench restores the notebook and, through our serializer, the Network panel
  await panelTab.waitFor({ timeout: 60_000 });
  await open(); // the extension host came back and the notebook opens as a notebook again
  await page
    .locator('.notebook-editor .view-lines', { hasText: /train\s+epochs/ })
    .first()
    .waitFor({ timeout: 60_000 });
  await pause(3_000);
  const state = await page.evaluate(() => ({
    running: document.querySelectorAll(
      '.notebook-editor .codicon-notebook-state-executing, .notebook-editor ' +
        '.codicon-notebook-state-pending',
    ).length,
    succeeded: document.querySelectorAll('.notebook-editor .codicon-notebook-state-success').length,
  }));
  assert.equal(state.running, 0, 'after the reload no cell is shown as still running');
  assert.equal(state.succeeded, 0, 'the interrupted cell is not shown as succeeded');

  // the file on disk is intact: it parses, and holds the same cells (autosave may have stored
  // outputs)
  const onDisk = parseNotebookFile(decodeNotebookBytes(fs.readFileSync(file)));
  assert.deepEqual(
    onDisk.cells.map((c) => c.source),
    SOURCES,
    'the file holds the same cells',
  );
  console.log(
    'reload check: passed (no cell running or succeeded after the reload; the file parses with ' +
      'the same cells; the notebook and the Network panel are back)',
  );
});
