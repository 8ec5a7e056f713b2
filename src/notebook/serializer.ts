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
} from '../protocol/notebookFile';

/** Metadata keys the serializer uses to carry file fields through VS Code's NotebookData. */
const ID_KEY = '__bpnbId';
const EXTRA_KEY = '__bpnbExtra';
const VERSION_KEY = '__bpnbVersion';

function isJsonMime(mime: string): boolean {
  return mime === 'application/json' || mime.endsWith('+json');
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function toCellData(cell: FileCell): vscode.NotebookCellData {
  const kind = cell.kind === 'code' ? vscode.NotebookCellKind.Code : vscode.NotebookCellKind.Markup;
  const data = new vscode.NotebookCellData(kind, cell.source, cell.language);
  const metadata: Record<string, unknown> = { ...(cell.metadata ?? {}) };
  if (cell.id !== undefined) metadata[ID_KEY] = cell.id;
  if (cell.extra) metadata[EXTRA_KEY] = cell.extra;
  data.metadata = metadata;
  data.outputs = (cell.outputs ?? []).map(
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
  const {
    [ID_KEY]: id,
    [EXTRA_KEY]: extra,
    ...metadata
  } = (cell.metadata ?? {}) as Record<string, unknown>;
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

/** Reads and writes .bpnb files; a damaged file is refused (VS Code then offers the text editor). */
export class BpnbSerializer implements vscode.NotebookSerializer {
  deserializeNotebook(content: Uint8Array): vscode.NotebookData {
    const file = parseNotebookFile(decodeNotebookBytes(content));
    const data = new vscode.NotebookData(file.cells.map(toCellData));
    data.metadata = {
      ...file.metadata,
      [VERSION_KEY]: file.version,
      ...(file.extra ? { [EXTRA_KEY]: file.extra } : {}),
    };
    return data;
  }

  serializeNotebook(data: vscode.NotebookData): Uint8Array {
    const {
      [VERSION_KEY]: version,
      [EXTRA_KEY]: extra,
      ...metadata
    } = (data.metadata ?? {}) as Record<string, unknown>;
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
