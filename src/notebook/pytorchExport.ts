/**
 * "Export to PyTorch…": the notebook as a Python script or a Jupyter notebook (runtime/pytorch.ts),
 * written through vscode.workspace.fs (so it works wherever the workspace lives, the web included).
 */
import * as vscode from 'vscode';
import { exportPyTorch, toIpynb, toScript } from '../runtime/pytorch';
import type { BpnbController } from './controller';
import { trustDecision } from './trust';

const encoder = new TextEncoder();

function baseName(uri: vscode.Uri): string {
  return (
    uri.path
      .split('/')
      .pop()
      ?.replace(/\.bpnb$/, '') || 'notebook'
  );
}

export async function exportPyTorchCommand(controller: BpnbController): Promise<void> {
  const nb = vscode.window.activeNotebookEditor?.notebook;
  if (nb?.notebookType !== 'bpnb') {
    void vscode.window.showInformationMessage('Open a Backprop Notebook (.bpnb) first.');
    return;
  }
  const trust = trustDecision('run', vscode.workspace.isTrusted);
  if (!trust.allowed) {
    void vscode.window.showInformationMessage(`The export runs the notebook: ${trust.reason}`);
    return;
  }
  const picks: (vscode.QuickPickItem & { format: 'py' | 'ipynb' })[] = [
    {
      label: 'Python script',
      description: '.py: runs with python3, prints every number',
      format: 'py',
    },
    {
      label: 'Jupyter notebook',
      description: '.ipynb: markdown cells kept, one code cell per cell',
      format: 'ipynb',
    },
  ];
  const pick = await vscode.window.showQuickPick(picks, {
    title: 'Export to PyTorch (float64)',
    placeHolder: 'Format',
  });
  if (!pick) return;
  const name = `${baseName(nb.uri)}.${pick.format}`;
  const folder =
    nb.uri.scheme === 'untitled'
      ? vscode.workspace.workspaceFolders?.[0]?.uri
      : vscode.Uri.joinPath(nb.uri, '..');
  const uri = await vscode.window.showSaveDialog({
    defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
    filters: { [pick.label]: [pick.format] },
    title: 'Export to PyTorch',
  });
  if (!uri) return;
  const cells = nb.getCells().map((c) => ({
    kind: c.kind === vscode.NotebookCellKind.Code ? ('code' as const) : ('markdown' as const),
    source: c.document.getText(),
  }));
  const title = nb.uri.path.split('/').pop() ?? 'notebook.bpnb';
  const result = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: 'Exporting to PyTorch (running the notebook)…',
    },
    () =>
      exportPyTorch(cells, {
        title,
        ...controller.fileReaders(nb),
      }),
  );
  if (!result.ok) {
    const { cell, line, message } = result.error;
    void vscode.window.showErrorMessage(`Not exported: cell ${cell}, line ${line}: ${message}`);
    return;
  }
  const text =
    pick.format === 'ipynb' ? toIpynb(result.cells, title) : toScript(result.cells, title);
  await vscode.workspace.fs.writeFile(uri, encoder.encode(text));
  void vscode.window.showInformationMessage(
    `Exported to ${vscode.workspace.asRelativePath(uri)}: it prints the notebook's ` +
      `${result.checks.length} numbers (run it with python3 and torch).`,
  );
}
