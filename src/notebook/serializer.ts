import * as vscode from 'vscode';
import {
  FileCell,
  FileNotebook,
  FileOutput,
  decodeNotebookBytes,
  parseNotebookFile,
  printNotebookFile,
  FORMAT_MAJOR,
  FORMAT_MINOR,
  isJsonMime,
} from '../protocol/notebookFile';
import { OWN_KEYS, keepKnownOutputs, splitOwnKeys, withOwnKeys } from '../protocol/hostNotebook';

const { id: ID_KEY, extra: EXTRA_KEY, version: VERSION_KEY } = OWN_KEYS;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function toCellData(cell: FileCell): vscode.NotebookCellData {
  const kind = cell.kind === 'code' ? vscode.NotebookCellKind.Code : vscode.NotebookCellKind.Markup;
  const data = new vscode.NotebookCellData(kind, cell.source, cell.language);
  data.metadata = withOwnKeys(cell.metadata, { [ID_KEY]: cell.id, [EXTRA_KEY]: cell.extra });
  data.outputs = keepKnownOutputs(cell.outputs ?? []).map(
    (o) =>
      new vscode.NotebookCellOutput(
        o.items.map(
          (item) =>
            new vscode.NotebookCellOutputItem(
              encoder.encode(isJsonMime(item.mime) ? JSON.stringify(item.data) : String(item.data)),
              item.mime,
            ),
        ),
        o.extra ? { [EXTRA_KEY]: o.extra } : undefined,
      ),
  );
  if (cell.execution) {
    const e = cell.execution;
    data.executionSummary = {
      executionOrder: e.order,
      success: e.success,
      timing: e.durationMs !== undefined ? { startTime: 0, endTime: e.durationMs } : undefined,
    };
  }
  return data;
}

function fromCellData(cell: vscode.NotebookCellData): FileCell {
  const { own, user: metadata } = splitOwnKeys(cell.metadata, [ID_KEY, EXTRA_KEY]);
  const { [ID_KEY]: id, [EXTRA_KEY]: extra } = own;
  const out: FileCell = {
    kind: cell.kind === vscode.NotebookCellKind.Code ? 'code' : 'markdown',
    language: cell.languageId,
    source: cell.value,
  };
  if (typeof id === 'string') out.id = id;
  if (Object.keys(metadata).length) out.metadata = metadata;
  if (extra && typeof extra === 'object') out.extra = extra as Record<string, unknown>;
  const summary = cell.executionSummary;
  if (summary && (summary.executionOrder !== undefined || summary.success !== undefined)) {
    out.execution = {};
    if (summary.executionOrder !== undefined) out.execution.order = summary.executionOrder;
    if (summary.success !== undefined) out.execution.success = summary.success;
    // never negative or NaN: the file format refuses both, and the save would fail
    if (summary.timing) {
      const ms = Math.round(summary.timing.endTime - summary.timing.startTime);
      if (Number.isFinite(ms)) out.execution.durationMs = Math.max(0, ms);
    }
  }
  if (cell.outputs?.length) {
    out.outputs = cell.outputs.map((o): FileOutput => {
      const items = o.items.map((item) => {
        const text = decoder.decode(item.data);
        return { mime: item.mime, data: isJsonMime(item.mime) ? JSON.parse(text) : text };
      });
      const oextra = o.metadata?.[EXTRA_KEY];
      return oextra && typeof oextra === 'object'
        ? { items, extra: oextra as Record<string, unknown> }
        : { items };
    });
  }
  return out;
}

/**
 * Reads and writes .bpnb files; a damaged file is refused (VS Code then offers the text editor).
 */
export class BpnbSerializer implements vscode.NotebookSerializer {
  deserializeNotebook(content: Uint8Array): vscode.NotebookData {
    const file = parseNotebookFile(decodeNotebookBytes(content));
    const data = new vscode.NotebookData(file.cells.map(toCellData));
    data.metadata = withOwnKeys(file.metadata, {
      [VERSION_KEY]: file.version,
      [EXTRA_KEY]: file.extra,
    });
    return data;
  }

  serializeNotebook(data: vscode.NotebookData): Uint8Array {
    const { own, user: metadata } = splitOwnKeys(data.metadata, [VERSION_KEY, EXTRA_KEY]);
    const { [VERSION_KEY]: version, [EXTRA_KEY]: extra } = own;
    const file: FileNotebook = {
      version: typeof version === 'string' ? version : `${FORMAT_MAJOR}.${FORMAT_MINOR}`,
      metadata,
      cells: data.cells.map(fromCellData),
    };
    if (extra && typeof extra === 'object') file.extra = extra as Record<string, unknown>;
    const saveOutputs = vscode.workspace
      .getConfiguration('backpropNotebook')
      .get<boolean>('saveOutputs', true);
    return encoder.encode(printNotebookFile(file, saveOutputs));
  }
}
