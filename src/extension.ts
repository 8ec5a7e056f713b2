/** Entry of the Node extension host (desktop VS Code, code-server): `main` in package.json. */
import type * as vscode from 'vscode';
import { realpath } from 'node:fs/promises';
import { activateWith, type Api } from './activate';
import { nodeThreads } from './worker/nodeThread';

export function activate(context: vscode.ExtensionContext): Api {
  return activateWith(context, {
    threads: (c) => nodeThreads(c.asAbsolutePath('dist/trainWorker.js')),
    realpath,
  });
}

export function deactivate(): void {}
