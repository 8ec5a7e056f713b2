import * as vscode from 'vscode';
import { RESULT_MIME, ResultItem, PAYLOAD_VERSION } from '../protocol/results';
import { itemsToMarkdown } from '../protocol/text';
import type { CellRun } from '../runtime/types';
import { errorOutput, STOPPED_TEXT } from '../runtime/errors';

/** One rich output: the JSON payload for the renderer plus Markdown for everything else. */
export function resultOutput(items: ResultItem[]): vscode.NotebookCellOutput {
  return new vscode.NotebookCellOutput([
    vscode.NotebookCellOutputItem.json({ version: PAYLOAD_VERSION, items }, RESULT_MIME),
    vscode.NotebookCellOutputItem.text(itemsToMarkdown(items), 'text/markdown'),
  ]);
}

/**
 * An error output naming the line, shown by VS Code's own error renderer (with its stack when
 * internal).
 */
export function problemOutput(run: CellRun): vscode.NotebookCellOutput | undefined {
  const error = errorOutput(run);
  return error && new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.error(error)]);
}

export function cellOutputs(run: CellRun): vscode.NotebookCellOutput[] {
  const outputs: vscode.NotebookCellOutput[] = [];
  if (run.items.length) outputs.push(resultOutput(run.items));
  const problem = problemOutput(run);
  if (problem) outputs.push(problem);
  if (run.cancelled)
    outputs.push(
      new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.stderr(STOPPED_TEXT)]),
    );
  return outputs;
}
