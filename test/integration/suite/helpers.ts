/**
 * Shared helpers of the integration suites: the extension's API, fixture URIs, a bounded wait
 * for asynchronous UI state, and running cells through VS Code's own commands.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { BpnbController } from '../../../src/notebook/controller';
import type { NetworkPanel } from '../../../src/panel/networkPanel';
import { REPORT_PREFIX } from '../lines';

export const EXTENSION_ID = 'backprop-notebook.backprop-notebook';
export const KERNEL_ID = 'backprop-notebook-kernel';

export interface ExtensionApi {
  controller: BpnbController;
  panel: { current(): NetworkPanel | undefined };
  /**
   * `train` jobs run in the worker thread, and those the workers left to the host (too big, or no
   * worker)
   */
  workers: { counts: { worker: number; host: number }; sharedMemory: boolean };
  /** milliseconds from the bundle starting to load to the end of activate() */
  activationMs: number;
  activationPhases: { evaluateMs: number; waitMs: number; activateMs: number };
}

export async function extensionApi(): Promise<ExtensionApi> {
  const extension = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is installed`);
  return extension.activate();
}

/** A file of the test workspace (a temp copy of test/fixtures/). */
export function fixtureUri(...segments: string[]): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test workspace (a copy of test/fixtures) is open');
  return vscode.Uri.joinPath(folder.uri, ...segments);
}

/**
 * Polls `check` every 20 ms until it returns a value other than undefined/false; fails after
 * `timeoutMs`.
 */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined | false,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Opens a notebook, shows it, and selects our kernel for it. */
export async function openAndShow(uri: vscode.Uri): Promise<vscode.NotebookDocument> {
  const notebook = await vscode.workspace.openNotebookDocument(uri);
  await vscode.window.showNotebookDocument(notebook);
  await vscode.commands.executeCommand('notebook.selectKernel', {
    id: KERNEL_ID,
    extension: EXTENSION_ID,
  });
  return notebook;
}

/** A copy of a fixture under a fresh name, so a test's edits and saves leave the fixture alone. */
export async function copyFixture(name: string, copyName: string): Promise<vscode.Uri> {
  const target = fixtureUri(copyName);
  await vscode.workspace.fs.copy(fixtureUri(name), target, { overwrite: true });
  return target;
}

export function executionOrder(cell: vscode.NotebookCell): number | undefined {
  return cell.executionSummary?.executionOrder;
}

/**
 * Starts cells [start, end) through VS Code's `notebook.cell.execute` (does not wait for the
 * kernel).
 */
export function startCells(
  notebook: vscode.NotebookDocument,
  start: number,
  end: number,
): Thenable<unknown> {
  return vscode.commands.executeCommand('notebook.cell.execute', {
    ranges: [{ start, end }],
    document: notebook.uri,
  });
}

/**
 * Runs cells [start, end) and waits until each code cell in the range either finished a new run
 * or was skipped because an earlier one failed. Returns which cells ran (by index) and how.
 */
export async function runCells(
  notebook: vscode.NotebookDocument,
  start: number,
  end: number,
): Promise<Map<number, boolean>> {
  const code = notebook
    .getCells(new vscode.NotebookRange(start, end))
    .filter((c) => c.kind === vscode.NotebookCellKind.Code);
  const before = new Map(code.map((c) => [c.index, executionOrder(c)]));
  await startCells(notebook, start, end);
  const ran = new Map<number, boolean>();
  for (const cell of code) {
    const success = await waitFor(`cell ${cell.index} to finish a run`, () => {
      const s = cell.executionSummary;
      return s && s.executionOrder !== before.get(cell.index) && s.success !== undefined
        ? { ok: s.success }
        : undefined;
    });
    ran.set(cell.index, success.ok);
    if (!success.ok) break;
  }
  return ran;
}

export function outputMimes(cell: vscode.NotebookCell): string[] {
  return cell.outputs.flatMap((o) => o.items.map((i) => i.mime));
}

export function outputText(cell: vscode.NotebookCell, mime: string): string {
  const decoder = new TextDecoder();
  return cell.outputs
    .flatMap((o) => o.items)
    .filter((i) => i.mime === mime)
    .map((i) => decoder.decode(i.data))
    .join('\n');
}

/** Replaces the whole text of a cell through a WorkspaceEdit (as typing would). */
export async function setCellText(cell: vscode.NotebookCell, text: string): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  const doc = cell.document;
  edit.replace(
    doc.uri,
    new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)),
    text,
  );
  assert.equal(await vscode.workspace.applyEdit(edit), true, 'the edit applied');
}

/** Percentile (nearest rank) of a list of numbers. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Closes every editor so the next suite starts from an empty window. */
export async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/**
 * Prints a measurement on a line of its own, which the launcher (scripts/vscode-test) writes to
 * test-results/NAME.json (for docs/performance.md and docs/reliability.md); the suites need no
 * file system of their own, so they run in the browser's web extension host too.
 */
export function report(name: string, result: unknown): void {
  console.log(`${REPORT_PREFIX}${name} ${JSON.stringify(result)}`);
}
