/**
 * The `backpropNotebook.digits` setting: how many significant digits tables and text show (hover
 * and copy always give every digit). The host's Markdown outputs use it, the Network panel gets
 * it with each update, and the notebook renderer asks for it with a `ready` message.
 */
import * as vscode from 'vscode';
import { DEFAULT_DIGITS, setDisplayDigits } from '../protocol/text';

export const RENDERER_ID = 'backprop-notebook.renderer';

/** The setting's value (the default when unset or out of range is applied by setDisplayDigits). */
export function digitsSetting(): number {
  return vscode.workspace
    .getConfiguration('backpropNotebook')
    .get<number>('digits', DEFAULT_DIGITS);
}

/** Renderer → host: the only message accepted, sent when the renderer starts. */
export function isRendererReady(m: unknown): boolean {
  return (
    typeof m === 'object' &&
    m !== null &&
    (m as { type?: unknown }).type === 'ready' &&
    Object.keys(m).length === 1
  );
}

export function registerDigits(): vscode.Disposable[] {
  setDisplayDigits(digitsSetting());
  const messaging = vscode.notebooks.createRendererMessaging(RENDERER_ID);
  const send = (editor?: vscode.NotebookEditor) =>
    void messaging.postMessage({ type: 'digits', digits: digitsSetting() }, editor);
  // a renderer that started before the extension activated asked too early: tell it now
  send();
  return [
    messaging.onDidReceiveMessage((e) => isRendererReady(e.message) && send(e.editor)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('backpropNotebook.digits')) return;
      setDisplayDigits(digitsSetting());
      send();
    }),
  ];
}
