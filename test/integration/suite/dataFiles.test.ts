/**
 * CSV datasets in the real VS Code, in every host (the web extension host too): the file is read
 * relative to the notebook through vscode.workspace.fs, and a path that leaves the workspace is
 * refused. The symbolic-link case needs a Node file system: dataFilesNode.test.ts.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeAllEditors, copyFixture, openAndShow, outputText, runCells } from './helpers';

const ERROR_MIME = 'application/vnd.code.notebook.error';

suite('data files: a CSV dataset read through the workspace file system', () => {
  let notebook: vscode.NotebookDocument;

  suiteSetup(async () => {
    // beside the fixture, so that its relative path data/xor.csv resolves to the fixture's CSV
    notebook = await openAndShow(
      await copyFixture('integration/csv.bpnb', 'integration/csv-run.bpnb'),
    );
  });

  suiteTeardown(async () => {
    // the runs left the copy dirty: closing it unsaved would wait on a prompt
    await vscode.workspace.saveAll(false);
    await closeAllEditors();
  });

  test('a CSV next to the notebook is read and trained on', async function () {
    this.timeout(60_000);
    const ran = await runCells(notebook, 0, 1);
    assert.deepEqual([...ran.entries()], [[0, true]], 'the cell ran and its expect held');
    const text = outputText(notebook.cellAt(0), 'text/markdown');
    // the header row x1,x2,t and the four XOR rows of test/fixtures/integration/data/xor.csv
    assert.match(text, /dataset data\/xor\.csv: 4 rows, 2 inputs, 1 target/);
  });

  test('a CSV path that leaves the workspace is refused before anything is read', async () => {
    const ran = await runCells(notebook, 1, 2);
    assert.deepEqual([...ran.entries()], [[1, false]]);
    const error = JSON.parse(outputText(notebook.cellAt(1), ERROR_MIME)) as { message: string };
    assert.match(
      error.message,
      /"\.\.\/outside\.csv": a data file must be a relative path inside the workspace.*BPNB110/,
    );
  });
});
