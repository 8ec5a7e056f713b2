import * as vscode from 'vscode';
import { checkDataFileSize } from '../runtime/datasets';
import { trustDecision } from './trust';

/** True when `child` lies inside the folder `root` (both absolute, '/'-separated). */
function inside(root: string, child: string): boolean {
  return child.startsWith(root.endsWith('/') ? root : root + '/');
}

/** Resolves the symbolic links of a local path (Node's fs.realpath: the desktop host passes it). */
export type Realpath = (fsPath: string) => Promise<string>;

/**
 * Reads a text file named in a cell, relative to the notebook's folder. Paths that leave the
 * workspace (or the notebook's folder when there is no workspace) are refused, and so are local
 * files whose symbolic links lead out of it (checked with `realpath` where the host has one: the
 * web extension host has no Node file system and reads through vscode.workspace.fs only).
 */
export async function readWorkspaceFile(
  notebookUri: vscode.Uri,
  path: string,
  realpath?: Realpath,
): Promise<string> {
  const bytes = await readWorkspaceBytes(notebookUri, path, undefined, realpath);
  return new TextDecoder().decode(bytes);
}

/**
 * Reads a file named in a cell (a CSV, a safetensors model), once trust and confinement allow it:
 * a regular file only, refused above maxBytes (default: the data-file limit) before it is read.
 */
export async function readWorkspaceBytes(
  notebookUri: vscode.Uri,
  path: string,
  maxBytes?: number,
  realpath?: Realpath,
): Promise<Uint8Array> {
  const trust = trustDecision('readDataFile', vscode.workspace.isTrusted);
  if (!trust.allowed) throw new Error(trust.reason);
  const base = vscode.Uri.joinPath(notebookUri, '..');
  const target = path.startsWith('/') ? vscode.Uri.file(path) : vscode.Uri.joinPath(base, path);
  const root = vscode.workspace.getWorkspaceFolder(notebookUri)?.uri ?? base;
  const outside = new Error(
    `"${path}" is outside the workspace; data files must be inside ${root.fsPath}.`,
  );
  if (target.scheme !== root.scheme || !inside(root.path, target.path)) throw outside;
  if (target.scheme === 'file' && realpath) {
    // a symbolic link inside the workspace may point outside it
    const [realRoot, realTarget] = await Promise.all([
      realpath(root.fsPath),
      realpath(target.fsPath).catch(() => target.fsPath),
    ]);
    if (!inside(realRoot.replace(/\\/g, '/'), realTarget.replace(/\\/g, '/'))) throw outside;
  }
  // never read a FIFO or a device (it could block for ever), nor a file over the size limit
  const st = await vscode.workspace.fs.stat(target);
  if ((st.type & vscode.FileType.File) === 0)
    throw new Error(`"${path}" is not a regular file; only files are read`);
  if (maxBytes === undefined) checkDataFileSize(path, st.size);
  else if (st.size > maxBytes) throw new Error(`it is ${st.size} bytes; the limit is ${maxBytes}`);
  return vscode.workspace.fs.readFile(target);
}
