/**
 * The .bpnb file format (documented in docs/file-format.md): versioned, pretty-printed JSON
 * with a stable key order and each cell's source as an array of lines.
 * `parseNotebookFile` never returns a partial notebook: a damaged file is an error naming
 * the line or field, so an editor can refuse it instead of saving over it.
 */

export const FORMAT_NAME = 'backprop-notebook';
export const FORMAT_MAJOR = 1;
export const FORMAT_MINOR = 0;

export interface FileOutputItem {
  mime: string;
  /** JSON mimes hold a JSON value; every other mime holds text */
  data: unknown;
}

export interface FileOutput {
  items: FileOutputItem[];
  /** keys of a newer minor version, kept as they were */
  extra?: Record<string, unknown>;
}

export interface FileCell {
  kind: 'code' | 'markdown';
  language: string;
  source: string;
  id?: string;
  metadata?: Record<string, unknown>;
  outputs?: FileOutput[];
  execution?: { order?: number; success?: boolean; durationMs?: number };
  extra?: Record<string, unknown>;
}

export interface FileNotebook {
  version: string;
  metadata: Record<string, unknown>;
  cells: FileCell[];
  extra?: Record<string, unknown>;
}

export class NotebookFileError extends Error {
  constructor(message: string, readonly line?: number, readonly field?: string) {
    super(message);
  }
}

const TOP_KEYS = ['format', 'version', 'metadata', 'cells'];
const CELL_KEYS = ['id', 'kind', 'language', 'source', 'metadata', 'execution', 'outputs'];
const OUTPUT_KEYS = ['items'];

declare const TextDecoder: { new (label?: string, options?: { fatal?: boolean }): { decode(bytes: Uint8Array): string } };

/** Decodes file bytes: UTF-8 (with or without BOM) or UTF-16 with a BOM. Invalid UTF-8 is an error. */
export function decodeNotebookBytes(bytes: Uint8Array): string {
  try {
    if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le', { fatal: true }).decode(bytes.subarray(2));
    if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be', { fatal: true }).decode(bytes.subarray(2));
    const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(start));
  } catch {
    throw new NotebookFileError('The file is not valid UTF-8 or UTF-16 text.');
  }
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function syntaxError(text: string, e: unknown): NotebookFileError {
  const message = e instanceof Error ? e.message : String(e);
  const pos = /position (\d+)/.exec(message);
  const offset = pos ? Number(pos[1]) : text.length;
  const line = lineOf(text, offset);
  const reason = offset >= text.trimEnd().length ? 'the file ends too early (truncated?)' : message.replace(/ in JSON at position \d+.*$/, '').replace(/^JSON\.parse: /, '');
  return new NotebookFileError(`Not a valid .bpnb file: line ${line}: ${reason}.`, line);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function extraKeys(obj: Record<string, unknown>, known: string[]): Record<string, unknown> | undefined {
  const extra: Record<string, unknown> = {};
  let any = false;
  for (const key of Object.keys(obj)) {
    if (!known.includes(key)) {
      extra[key] = obj[key];
      any = true;
    }
  }
  return any ? extra : undefined;
}

function fail(field: string, what: string): never {
  throw new NotebookFileError(`Not a valid .bpnb file: field ${field} ${what}.`, undefined, field);
}

function parseSource(v: unknown, field: string): string {
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.every((l) => typeof l === 'string')) return v.join('\n');
  return fail(field, 'must be an array of lines');
}

function parseOutput(v: unknown, field: string): FileOutput {
  if (!isRecord(v) || !Array.isArray(v.items)) fail(field, 'must be an object with an "items" array');
  const items = (v.items as unknown[]).map((item, i) => {
    if (!isRecord(item) || typeof item.mime !== 'string' || !('data' in item)) fail(`${field}.items[${i}]`, 'must have "mime" and "data"');
    return { mime: item.mime as string, data: item.data };
  });
  const extra = extraKeys(v, OUTPUT_KEYS);
  return extra ? { items, extra } : { items };
}

function parseCell(v: unknown, index: number): FileCell {
  const field = `cells[${index}]`;
  if (!isRecord(v)) fail(field, 'must be an object');
  if (v.kind !== 'code' && v.kind !== 'markdown') fail(`${field}.kind`, 'must be "code" or "markdown"');
  const cell: FileCell = {
    kind: v.kind,
    language: typeof v.language === 'string' ? v.language : v.kind === 'code' ? 'bpnb' : 'markdown',
    source: parseSource(v.source ?? [], `${field}.source`),
  };
  if (v.id !== undefined) {
    if (typeof v.id !== 'string') fail(`${field}.id`, 'must be a string');
    cell.id = v.id;
  }
  if (v.metadata !== undefined) {
    if (!isRecord(v.metadata)) fail(`${field}.metadata`, 'must be an object');
    cell.metadata = v.metadata;
  }
  if (v.execution !== undefined) {
    if (!isRecord(v.execution)) fail(`${field}.execution`, 'must be an object');
    const e = v.execution;
    cell.execution = {};
    if (typeof e.order === 'number') cell.execution.order = e.order;
    if (typeof e.success === 'boolean') cell.execution.success = e.success;
    if (typeof e.durationMs === 'number') cell.execution.durationMs = e.durationMs;
  }
  if (v.outputs !== undefined) {
    if (!Array.isArray(v.outputs)) fail(`${field}.outputs`, 'must be an array');
    cell.outputs = v.outputs.map((o, i) => parseOutput(o, `${field}.outputs[${i}]`));
  }
  const extra = extraKeys(v, CELL_KEYS);
  if (extra) cell.extra = extra;
  return cell;
}

/** Parses file text. Whitespace only → an empty notebook. Anything damaged → NotebookFileError. */
export function parseNotebookFile(text: string): FileNotebook {
  if (text.trim() === '') return { version: `${FORMAT_MAJOR}.${FORMAT_MINOR}`, metadata: {}, cells: [] };
  const conflict = /^(<{7}|={7}|>{7})(\s|$)/m.exec(text);
  if (conflict) {
    const line = lineOf(text, conflict.index);
    throw new NotebookFileError(`The file has merge-conflict markers (line ${line}): resolve the conflict in a text editor first.`, line);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw syntaxError(text, e);
  }
  if (!isRecord(json)) fail('(top level)', 'must be a JSON object');
  if (json.format !== FORMAT_NAME) fail('format', `must be "${FORMAT_NAME}"`);
  if (typeof json.version !== 'string' || !/^\d+\.\d+$/.test(json.version)) fail('version', 'must be a string like "1.0"');
  const major = Number(json.version.split('.')[0]);
  if (major > FORMAT_MAJOR) {
    throw new NotebookFileError(`This notebook was written in format ${json.version}, newer than this extension reads (${FORMAT_MAJOR}.x). Update Backprop Notebook to open it.`, undefined, 'version');
  }
  if (major < 1) fail('version', 'has an unknown major version');
  if (json.metadata !== undefined && !isRecord(json.metadata)) fail('metadata', 'must be an object');
  if (!Array.isArray(json.cells)) fail('cells', 'must be an array');
  const notebook: FileNotebook = {
    version: json.version,
    metadata: (json.metadata as Record<string, unknown>) ?? {},
    cells: json.cells.map(parseCell),
  };
  const extra = extraKeys(json, TOP_KEYS);
  if (extra) notebook.extra = extra;
  return notebook;
}

/** Replaces non-finite numbers by refusing them: a file must never hold a silent null. */
function checkFinite(_key: string, value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new NotebookFileError('Refusing to save a non-finite number (NaN or Infinity) into the notebook file.');
  }
  return value;
}

function printOutput(o: FileOutput): Record<string, unknown> {
  return { items: o.items.map((i) => ({ mime: i.mime, data: i.data })), ...(o.extra ?? {}) };
}

function printCell(cell: FileCell, withOutputs: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (cell.id !== undefined) out.id = cell.id;
  out.kind = cell.kind;
  out.language = cell.language;
  out.source = cell.source.split(/\r?\n/);
  if (cell.metadata && Object.keys(cell.metadata).length) out.metadata = cell.metadata;
  if (withOutputs && cell.execution && Object.keys(cell.execution).length) out.execution = cell.execution;
  if (withOutputs && cell.outputs && cell.outputs.length) out.outputs = cell.outputs.map(printOutput);
  return { ...out, ...(cell.extra ?? {}) };
}

/** Prints a notebook as stable, pretty JSON ending in a newline. Outputs are left out when withOutputs is false. */
export function printNotebookFile(nb: FileNotebook, withOutputs = true): string {
  const top: Record<string, unknown> = {
    format: FORMAT_NAME,
    version: nb.version,
    metadata: nb.metadata,
    cells: nb.cells.map((c) => printCell(c, withOutputs)),
    ...(nb.extra ?? {}),
  };
  return JSON.stringify(top, checkFinite, 2) + '\n';
}
