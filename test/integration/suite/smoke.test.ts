import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { RESULT_MIME } from '../../../src/protocol/results';

const EXTENSION_ID = 'backprop-notebook.backprop-notebook';
const KERNEL_ID = 'backprop-notebook-kernel';

function fixtureUri(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test workspace (a copy of test/fixtures) is open');
  return vscode.Uri.joinPath(folder.uri, name);
}

function codeCells(notebook: vscode.NotebookDocument): vscode.NotebookCell[] {
  return notebook.getCells().filter((cell) => cell.kind === vscode.NotebookCellKind.Code);
}

/**
 * Resolves once every code cell of the notebook has finished a run (mocha's timeout bounds the
 * wait).
 */
function allCodeCellsRan(notebook: vscode.NotebookDocument): Promise<void> {
  const done = () =>
    codeCells(notebook).every((cell) => cell.executionSummary?.success !== undefined);
  return new Promise((resolve) => {
    if (done()) {
      resolve();
      return;
    }
    const listener = vscode.workspace.onDidChangeNotebookDocument((event) => {
      if (event.notebook === notebook && done()) {
        listener.dispose();
        resolve();
      }
    });
  });
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
    const notebook = await vscode.workspace.openNotebookDocument(fixtureUri('hello.bpnb'));
    await vscode.window.showNotebookDocument(notebook);
    await vscode.commands.executeCommand('notebook.selectKernel', {
      id: KERNEL_ID,
      extension: EXTENSION_ID,
    });
    const ran = allCodeCellsRan(notebook);
    await vscode.commands.executeCommand('notebook.cell.execute', {
      ranges: [{ start: 0, end: notebook.cellCount }],
      document: notebook.uri,
    });
    await ran;

    for (const cell of codeCells(notebook)) {
      assert.equal(cell.executionSummary?.success, true, `cell ${cell.index} ran without error`);
    }
    const lastCell = codeCells(notebook).at(-1);
    assert.ok(lastCell);
    const mimes = lastCell.outputs.flatMap((output) => output.items.map((item) => item.mime));
    assert.ok(
      mimes.includes(RESULT_MIME),
      `the forward/backward cell has a ${RESULT_MIME} output (got ${mimes.join(', ')})`,
    );
    const markdown = lastCell.outputs
      .flatMap((output) => output.items)
      .filter((item) => item.mime === 'text/markdown')
      .map((item) => new TextDecoder().decode(item.data))
      .join('\n');
    assert.ok(markdown.length > 0, 'the result has a Markdown fallback');
  });
});
