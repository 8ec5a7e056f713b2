/**
 * `--write`: stores what ran back into the notebook, in the shape VS Code itself saves
 * (see src/notebook/outputs.ts and the serializer), so the outputs show when the file is opened.
 */
import { chmodSync, realpathSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { printNotebookFile, type FileNotebook, type FileOutput } from '../protocol/notebookFile';
import { PAYLOAD_VERSION, RESULT_MIME } from '../protocol/results';
import { itemsToMarkdown } from '../protocol/text';
import { errorsMessage, STOPPED_TEXT } from '../runtime/errors';
import type { CellRun } from '../runtime/types';
import type { CellReport } from './runner';

/** VS Code's mime for an error output; its data is the JSON text of {name, message, stack}. */
export const ERROR_MIME = 'application/vnd.code.notebook.error';
export const STDERR_MIME = 'application/vnd.code.notebook.stderr';

/** The outputs VS Code's controller would give this run (cellOutputs in src/notebook/outputs.ts). */
export function fileOutputs(run: CellRun): FileOutput[] {
  const outputs: FileOutput[] = [];
  if (run.items.length) {
    outputs.push({
      items: [
        { mime: RESULT_MIME, data: { version: PAYLOAD_VERSION, items: run.items } },
        { mime: 'text/markdown', data: itemsToMarkdown(run.items) },
      ],
    });
  }
  const message = errorsMessage(run);
  if (message !== undefined) {
    outputs.push({
      items: [
        { mime: ERROR_MIME, data: JSON.stringify({ name: 'Cell error', message, stack: '' }) },
      ],
    });
  }
  if (run.cancelled) outputs.push({ items: [{ mime: STDERR_MIME, data: STOPPED_TEXT }] });
  return outputs;
}

/** A copy of the notebook with the outputs and execution facts of the cells that ran; cells not run keep theirs. */
export function withOutputs(notebook: FileNotebook, reports: CellReport[]): FileNotebook {
  const cells = notebook.cells.slice();
  let order = 0;
  for (const report of reports) {
    if (!report.run) continue;
    const outputs = fileOutputs(report.run);
    const cell = {
      ...cells[report.index],
      execution: {
        order: ++order,
        success: report.status === 'ok',
        durationMs: report.durationMs ?? 0,
      },
    };
    if (outputs.length) cell.outputs = outputs;
    else delete cell.outputs;
    cells[report.index] = cell;
  }
  return { ...notebook, cells };
}

/**
 * Writes the text next to the file and renames it over, so the notebook is never left half written.
 * A symbolic link is followed (the file it points at is replaced) and the file's mode is kept.
 */
export function writeFileAtomically(linkOrPath: string, text: string): void {
  const path = realpathSync(linkOrPath);
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(temporary, text);
    chmodSync(temporary, statSync(path).mode & 0o7777);
    renameSync(temporary, path);
  } catch (e) {
    try {
      unlinkSync(temporary);
    } catch {
      // nothing was written
    }
    throw e;
  }
}

export function writeOutputs(path: string, notebook: FileNotebook, reports: CellReport[]): void {
  writeFileAtomically(path, printNotebookFile(withOutputs(notebook, reports), true));
}
