import * as vscode from 'vscode';
import { trustDecision } from './trust';

/**
 * Reads a text file named in a cell, relative to the notebook's folder.
 * Paths that leave the workspace (or the notebook's folder when there is no workspace) are refused.
 */
export async function readWorkspaceFile(notebookUri: vscode.Uri, path: string): Promise<string> {
  const trust = trustDecision('readDataFile', vscode.workspace.isTrusted);
  if (!trust.allowed) throw new Error(trust.reason);
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
