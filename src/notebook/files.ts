import * as vscode from 'vscode';

/**
 * Reads a text file named in a cell, relative to the notebook's folder.
 * Paths that leave the workspace (or the notebook's folder when there is no workspace) are refused.
 */
export async function readWorkspaceFile(notebookUri: vscode.Uri, path: string): Promise<string> {
  if (!vscode.workspace.isTrusted) throw new Error('Reading files is disabled in Restricted Mode: trust the workspace to read data files.');
  const base = vscode.Uri.joinPath(notebookUri, '..');
  const target = path.startsWith('/') ? vscode.Uri.file(path) : vscode.Uri.joinPath(base, path);
  const root = vscode.workspace.getWorkspaceFolder(notebookUri)?.uri ?? base;
  const rootPath = root.path.endsWith('/') ? root.path : root.path + '/';
  if (target.scheme !== root.scheme || !target.path.startsWith(rootPath)) {
    throw new Error(`"${path}" is outside the workspace; data files must be inside ${root.fsPath}.`);
  }
  const bytes = await vscode.workspace.fs.readFile(target);
  return new TextDecoder().decode(bytes);
}
