import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { RESULT_MIME } from '../../../src/protocol/results';
import {
  EXTENSION_ID,
  fixtureUri,
  openAndShow,
  outputMimes,
  outputText,
  runCells,
} from './helpers';

function codeCells(notebook: vscode.NotebookDocument): vscode.NotebookCell[] {
  return notebook.getCells().filter((cell) => cell.kind === vscode.NotebookCellKind.Code);
}

suite('smoke: the extension inside VS Code', () => {
  test('the extension is installed and activates', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is present`);
    await extension.activate();
    assert.equal(extension.isActive, true);
  });

  test('its commands are registered', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(
      commands.includes('backpropNotebook.newNotebook'),
      'backpropNotebook.newNotebook is registered',
    );
  });

  test('hello.bpnb opens as a bpnb notebook with its cells', async () => {
    const notebook = await vscode.workspace.openNotebookDocument(fixtureUri('hello.bpnb'));
    assert.equal(notebook.notebookType, 'bpnb');
    assert.deepEqual(
      notebook.getCells().map((cell) => cell.kind),
      [vscode.NotebookCellKind.Markup, vscode.NotebookCellKind.Code, vscode.NotebookCellKind.Code],
    );
    assert.match(notebook.cellAt(1).document.getText(), /^network 2 -> 3 sigmoid -> 1 sigmoid$/m);
    assert.equal(notebook.cellAt(1).document.languageId, 'bpnb');
  });

  test('running all cells of hello.bpnb succeeds and produces result outputs', async () => {
    const notebook = await openAndShow(fixtureUri('hello.bpnb'));
    await runCells(notebook, 0, notebook.cellCount);

    for (const cell of codeCells(notebook)) {
      assert.equal(cell.executionSummary?.success, true, `cell ${cell.index} ran without error`);
    }
    const lastCell = codeCells(notebook).at(-1);
    assert.ok(lastCell);
    const mimes = outputMimes(lastCell);
    assert.ok(
      mimes.includes(RESULT_MIME),
      `the forward/backward cell has a ${RESULT_MIME} output (got ${mimes.join(', ')})`,
    );
    const markdown = outputText(lastCell, 'text/markdown');
    assert.ok(markdown.length > 0, 'the result has a Markdown fallback');
  });
});
