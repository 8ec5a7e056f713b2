/**
 * Entry of the browser's web extension host (VS Code for the Web: vscode.dev, github.dev):
 * `browser` in package.json, bundled for the browser with no Node module. Training threads are
 * Web Workers; files are read through vscode.workspace.fs only.
 */
import * as vscode from 'vscode';
import { activateWith, type Api } from './activate';
import { webThreads } from './worker/webThread';

export function activate(context: vscode.ExtensionContext): Api {
  const script = vscode.Uri.joinPath(context.extensionUri, 'dist', 'web', 'trainWebWorker.js');
  return activateWith(context, { threads: () => webThreads(script.toString(true)) });
}

export function deactivate(): void {}
