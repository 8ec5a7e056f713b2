/**
 * The .bpnb file format (documented in docs/file-format.md): versioned, pretty-printed JSON
 * with a stable key order and each cell's source as an array of lines.
 * `parseNotebookFile` never returns a partial notebook: a damaged file is an error naming
 * the line or field, so an editor can refuse it instead of saving over it.
 */

import { LineIndex, TRUNCATED, joinIndex, joinKey, lineColumn, scanJson } from './jsonScan';

export const FORMAT_NAME = 'backprop-notebook';
export const FORMAT_MAJOR = 1;
export const FORMAT_MINOR = 0;
/**
 * Deeper JSON nesting than this is refused on read and on write (it would overflow JSON.stringify).
 */
export const MAX_DEPTH = 256;
/** A field too deeply nested is named this many levels down from the top, not at the limit. */
const SHOWN_DEPTH = 8;

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
  /** line breaks are always '\n' (see canonicalSource) */
  source: string;
  id?: string;
  /** never empty: an empty object is left out */
  metadata?: Record<string, unknown>;
  /** never empty: an empty list is left out */
  outputs?: FileOutput[];
  execution?: { order?: number; success?: boolean; durationMs?: number };
  /** keys of a newer minor version, kept as they were */
  extra?: Record<string, unknown>;
}

export interface FileNotebook {
  version: string;
  metadata: Record<string, unknown>;
  cells: FileCell[];
  /** keys of a newer minor version, kept as they were */
  extra?: Record<string, unknown>;
}

/**
 * A file that cannot be read (or a notebook that cannot be written). `line` and `field` say where.
 */
export class NotebookFileError extends Error {
  constructor(
    message: string,
    readonly line?: number,
    readonly field?: string,
    readonly column?: number,
  ) {
    super(message);
    this.name = 'NotebookFileError';
  }
}

const TOP_KEYS = ['format', 'version', 'metadata', 'cells'];
const CELL_KEYS = ['id', 'kind', 'language', 'source', 'metadata', 'execution', 'outputs'];
const OUTPUT_KEYS = ['items'];
const ITEM_KEYS = ['mime', 'data'];
const EXECUTION_KEYS = ['order', 'success', 'durationMs'];

/** Output items with these mimes hold a JSON value; all others hold a string. */
export function isJsonMime(mime: string): boolean {
  return mime === 'application/json' || mime.endsWith('+json');
}

/**
 * The form a source takes in a file and after reading: every line break (CRLF, CR, LF) becomes LF.
 */
export function canonicalSource(source: string): string {
  return source.replace(/\r\n?/g, '\n');
}

// ---------------------------------------------------------------------------------------------
// Bytes → text

declare const TextDecoder: {
  new (label?: string, options?: { fatal?: boolean }): { decode(bytes: Uint8Array): string };
};

function countLines(
  bytes: Uint8Array,
  end: number,
  step: number,
  newline: (i: number) => boolean,
): number {
  let line = 1;
  for (let i = 0; i < end; i += step) if (newline(i)) line++;
  return line;
}

/** Offset of the first byte that does not start a valid UTF-8 sequence, or -1. */
function firstInvalidUtf8(bytes: Uint8Array, start: number): number {
  const n = bytes.length;
  const cont = (i: number, lo = 0x80, hi = 0xbf) => i < n && bytes[i] >= lo && bytes[i] <= hi;
  for (let i = start; i < n;) {
    const b = bytes[i];
    let len = 0;
    if (b < 0x80) len = 1;
    else if (b >= 0xc2 && b <= 0xdf) len = cont(i + 1) ? 2 : 0;
    else if (b >= 0xe0 && b <= 0xef)
      len = cont(i + 1, b === 0xe0 ? 0xa0 : 0x80, b === 0xed ? 0x9f : 0xbf) && cont(i + 2) ? 3 : 0;
    else if (b >= 0xf0 && b <= 0xf4)
      len =
        cont(i + 1, b === 0xf0 ? 0x90 : 0x80, b === 0xf4 ? 0x8f : 0xbf) &&
        cont(i + 2) &&
        cont(i + 3)
          ? 4
          : 0;
    if (len === 0) return i;
    i += len;
  }
  return -1;
}

function decodeUtf16(bytes: Uint8Array, littleEndian: boolean): string {
  const unit = (i: number) =>
    littleEndian ? bytes[i] | (bytes[i + 1] << 8) : (bytes[i] << 8) | bytes[i + 1];
  const isNewline = (i: number) => unit(i) === 10;
  const n = bytes.length;
  if (n % 2 !== 0) {
    const line = countLines(bytes, n - 1, 2, isNewline);
    throw new NotebookFileError(
      `The file is not valid UTF-16 text: line ${line}: the file ends in the middle of a ` +
        `character (truncated?).`,
      line,
    );
  }
  const units: number[] = [];
  const chunks: string[] = [];
  const broken = (i: number): never => {
    const line = countLines(bytes, i, 2, isNewline);
    throw new NotebookFileError(
      `The file is not valid UTF-16 text: line ${line}: a broken surrogate pair.`,
      line,
    );
  };
  for (let i = 2; i < n; i += 2) {
    const u = unit(i);
    if (u >= 0xdc00 && u <= 0xdfff) broken(i);
    units.push(u);
    if (u >= 0xd800 && u <= 0xdbff) {
      const low = i + 2 < n ? unit(i + 2) : 0;
      if (low < 0xdc00 || low > 0xdfff) broken(i);
      units.push(low);
      i += 2;
    }
    // eslint-disable-next-line no-restricted-syntax -- bounded: at most 8,193 code units a chunk
    if (units.length >= 8192) chunks.push(String.fromCharCode(...units.splice(0)));
  }
  // eslint-disable-next-line no-restricted-syntax -- bounded: fewer than 8,192 code units
  chunks.push(String.fromCharCode(...units));
  return chunks.join('');
}

/**
 * Decodes file bytes: UTF-8 (with or without BOM) or UTF-16 with a BOM.
 * Invalid text is a NotebookFileError naming the line of the first bad byte.
 */
export function decodeNotebookBytes(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return decodeUtf16(bytes, true);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return decodeUtf16(bytes, false);
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  try {
    return new TextDecoder('utf-8', { fatal: true })
      .decode(bytes.subarray(start))
      .replace(/^\uFEFF/, '');
  } catch {
    // fall through: find the bad byte to name its line
  }
  const bad = firstInvalidUtf8(bytes, start);
  if (bad === -1)
    throw new NotebookFileError(
      'The file is not valid UTF-8 text: line 1: it could not be decoded.',
      1,
    );
  const line = countLines(bytes, bad, 1, (i) => bytes[i] === 10);
  const hex = bytes[bad].toString(16).toUpperCase().padStart(2, '0');
  const needed = bytes[bad] >= 0xf0 ? 4 : bytes[bad] >= 0xe0 ? 3 : 2;
  const tail = Array.from(bytes.subarray(bad + 1));
  const cutOff =
    bytes[bad] >= 0xc2 &&
    bytes[bad] <= 0xf4 &&
    bytes.length - bad < needed &&
    tail.every((b) => b >= 0x80 && b <= 0xbf);
  const why = cutOff
    ? 'the file ends in the middle of a character (truncated?)'
    : `byte 0x${hex} is not valid UTF-8`;
  throw new NotebookFileError(`The file is not valid UTF-8 text: line ${line}: ${why}.`, line);
}

// ---------------------------------------------------------------------------------------------
// Text → notebook

/**
 * A wrong field found while checking the parsed JSON; turned into a NotebookFileError with its
 * line.
 */
class FieldProblem {
  constructor(
    readonly field: string,
    readonly what: string,
    /** a whole message of its own, instead of "Not a valid .bpnb file: ..." */
    readonly message?: (line: number) => string,
  ) {}
}

/** A field's path as a message shows it: a path longer than a line (huge keys) is cut. */
function shownField(field: string): string {
  return field.length > 120 ? `${field.slice(0, 100)}…` : field;
}

function fail(field: string, what: string): never {
  throw new FieldProblem(field, what);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Copies keys not in `known`; defineProperty keeps a key named "__proto__" as plain data. */
function extraKeys(
  obj: Record<string, unknown>,
  known: string[],
): Record<string, unknown> | undefined {
  let extra: Record<string, unknown> | undefined;
  for (const key of Object.keys(obj)) {
    if (known.includes(key)) continue;
    extra ??= {};
    Object.defineProperty(extra, key, {
      value: obj[key],
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return extra;
}

function noUnknownKeys(obj: Record<string, unknown>, known: string[], field: string): void {
  const unknown = Object.keys(obj).find((key) => !known.includes(key));
  if (unknown !== undefined)
    fail(
      joinKey(field, unknown),
      'is not a known field (this object takes no new fields in format 1.x)',
    );
}

/**
 * Walks a JSON value without recursion: refuses non-finite numbers, nesting deeper than MAX_DEPTH
 * and values JSON cannot hold. Returns undefined when all is well, else the problem.
 */
function checkJsonValue(root: unknown, rootPath: string): FieldProblem | undefined {
  interface Node {
    value: unknown;
    depth: number;
    parent?: Node;
    key?: string | number;
  }
  const pathOf = (node: Node): string => {
    const keys: (string | number)[] = [];
    for (let at: Node | undefined = node; at?.key !== undefined; at = at.parent)
      keys.unshift(at.key);
    return keys.reduce<string>(
      (path, key) => (typeof key === 'number' ? joinIndex(path, key) : joinKey(path, key)),
      rootPath,
    );
  };
  const stack: Node[] = [{ value: root, depth: 1 }];
  while (stack.length) {
    const node = stack.pop() as Node;
    const v = node.value;
    if (typeof v === 'number') {
      if (!Number.isFinite(v))
        return new FieldProblem(
          pathOf(node),
          `holds a non-finite number (${v}); store it as the string "${v}" instead`,
        );
    } else if (typeof v === 'bigint' || typeof v === 'function' || typeof v === 'symbol') {
      return new FieldProblem(pathOf(node), `holds a ${typeof v}, which JSON cannot store`);
    } else if (typeof v === 'object' && v !== null) {
      if (node.depth > MAX_DEPTH) {
        // name the value a few levels in, not every level down to the limit (one readable line)
        let shown = node;
        while (shown.parent && shown.depth > SHOWN_DEPTH) shown = shown.parent;
        return new FieldProblem(
          pathOf(shown),
          `holds values nested more than ${MAX_DEPTH} levels deep (the limit)`,
        );
      }
      if (Array.isArray(v)) {
        for (let index = 0; index < v.length; index++) {
          const item: unknown = v[index];
          const child: Node = { value: item, depth: node.depth + 1, parent: node, key: index };
          if (item === undefined)
            return new FieldProblem(pathOf(child), 'is undefined (JSON would write null)');
          stack.push(child);
        }
      } else {
        for (const key of Object.keys(v)) {
          const item = (v as Record<string, unknown>)[key];
          if (item !== undefined)
            stack.push({ value: item, depth: node.depth + 1, parent: node, key });
        }
      }
    }
  }
  return undefined;
}

function parseSource(v: unknown, field: string): string {
  if (typeof v === 'string') return canonicalSource(v);
  if (Array.isArray(v) && v.every((l) => typeof l === 'string'))
    return canonicalSource(v.join('\n'));
  const bad = Array.isArray(v) ? v.findIndex((l) => typeof l !== 'string') : -1;
  return fail(
    bad >= 0 ? joinIndex(field, bad) : field,
    bad >= 0 ? 'must be a string (one line of the source)' : 'must be an array of lines',
  );
}

function parseItem(v: unknown, field: string): FileOutputItem {
  if (!isRecord(v)) return fail(field, 'must be an object with "mime" and "data"');
  if (typeof v.mime !== 'string' || v.mime === '')
    return fail(joinKey(field, 'mime'), 'must be a mime type string');
  if (!('data' in v)) return fail(joinKey(field, 'data'), 'is missing');
  if (!isJsonMime(v.mime) && typeof v.data !== 'string')
    fail(joinKey(field, 'data'), `must be a string for mime ${v.mime}`);
  noUnknownKeys(v, ITEM_KEYS, field);
  return { mime: v.mime, data: v.data };
}

function parseOutput(v: unknown, field: string): FileOutput {
  if (!isRecord(v)) return fail(field, 'must be an object with an "items" array');
  if (!Array.isArray(v.items)) return fail(joinKey(field, 'items'), 'must be an array');
  const itemsField = joinKey(field, 'items');
  const items = v.items.map((item, i) => parseItem(item, joinIndex(itemsField, i)));
  const extra = extraKeys(v, OUTPUT_KEYS);
  return extra ? { items, extra } : { items };
}

function parseExecution(v: unknown, field: string): FileCell['execution'] {
  if (!isRecord(v)) return fail(field, 'must be an object');
  noUnknownKeys(v, EXECUTION_KEYS, field);
  const execution: NonNullable<FileCell['execution']> = {};
  if (v.order !== undefined) {
    if (typeof v.order !== 'number' || !Number.isInteger(v.order) || v.order < 0)
      fail(joinKey(field, 'order'), 'must be a whole number ≥ 0');
    execution.order = v.order;
  }
  if (v.success !== undefined) {
    if (typeof v.success !== 'boolean') fail(joinKey(field, 'success'), 'must be true or false');
    execution.success = v.success;
  }
  if (v.durationMs !== undefined) {
    if (typeof v.durationMs !== 'number' || v.durationMs < 0)
      fail(joinKey(field, 'durationMs'), 'must be a number ≥ 0');
    execution.durationMs = v.durationMs;
  }
  return Object.keys(execution).length ? execution : undefined;
}

function parseCell(v: unknown, index: number): FileCell {
  const field = joinIndex('cells', index);
  if (!isRecord(v)) return fail(field, 'must be an object');
  if (v.kind !== 'code' && v.kind !== 'markdown')
    return fail(
      joinKey(field, 'kind'),
      `${v.kind === undefined ? 'is missing; it ' : ''}must be "code" or "markdown"`,
    );
  if (v.language !== undefined && (typeof v.language !== 'string' || v.language === ''))
    fail(joinKey(field, 'language'), 'must be a language id string');
  if (v.source === undefined) fail(joinKey(field, 'source'), 'is missing');
  const cell: FileCell = {
    kind: v.kind,
    language: typeof v.language === 'string' ? v.language : v.kind === 'code' ? 'bpnb' : 'markdown',
    source: parseSource(v.source, joinKey(field, 'source')),
  };
  if (v.id !== undefined) {
    if (typeof v.id !== 'string') fail(joinKey(field, 'id'), 'must be a string');
    cell.id = v.id;
  }
  if (v.metadata !== undefined) {
    if (!isRecord(v.metadata)) fail(joinKey(field, 'metadata'), 'must be an object');
    if (Object.keys(v.metadata).length) cell.metadata = v.metadata;
  }
  if (v.execution !== undefined) {
    const execution = parseExecution(v.execution, joinKey(field, 'execution'));
    if (execution) cell.execution = execution;
  }
  if (v.outputs !== undefined) {
    if (!Array.isArray(v.outputs)) fail(joinKey(field, 'outputs'), 'must be an array');
    const outputsField = joinKey(field, 'outputs');
    const outputs = v.outputs.map((o, i) => parseOutput(o, joinIndex(outputsField, i)));
    if (outputs.length) cell.outputs = outputs;
  }
  const extra = extraKeys(v, CELL_KEYS);
  if (extra) cell.extra = extra;
  return cell;
}

function parseTop(json: unknown): FileNotebook {
  if (!isRecord(json)) return fail('', 'must be a JSON object (this is not a .bpnb notebook)');
  if (json.format !== FORMAT_NAME)
    fail(
      'format',
      `must be "${FORMAT_NAME}" (this is not a .bpnb notebook, or its first field is damaged)`,
    );
  if (typeof json.version !== 'string' || !/^\d+\.\d+$/.test(json.version))
    return fail('version', 'must be a string like "1.0"');
  const major = Number(json.version.split('.')[0]);
  if (major > FORMAT_MAJOR) {
    const version = json.version;
    throw new FieldProblem(
      'version',
      `is ${version}, newer than this extension reads (${FORMAT_MAJOR}.x)`,
      (line) =>
        `This notebook was written in format ${version} (line ${line}, field version), newer ` +
        `than this extension reads (${FORMAT_MAJOR}.x). Update Backprop Notebook to open it.`,
    );
  }
  if (major < 1) fail('version', `is ${json.version}, an unknown major version`);
  if (json.metadata !== undefined && !isRecord(json.metadata))
    fail('metadata', 'must be an object');
  if (!Array.isArray(json.cells)) return fail('cells', 'must be an array');
  const problem = checkJsonValue(json, '');
  if (problem) throw problem;
  const notebook: FileNotebook = {
    version: json.version,
    metadata: (json.metadata as Record<string, unknown>) ?? {},
    cells: json.cells.map(parseCell),
  };
  const extra = extraKeys(json, TOP_KEYS);
  if (extra) notebook.extra = extra;
  return notebook;
}

/** The line where a field (or, when it is missing, its nearest present parent) starts. */
function lineOfField(text: string, field: string): number {
  for (let path = field; ;) {
    const found = scanJson(text, path).pathOffset;
    if (found !== undefined) return lineColumn(text, found).line;
    if (path === '') return 1;
    const cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
    path = cut > 0 ? path.slice(0, cut) : '';
  }
}

function syntaxError(text: string, message: string): NotebookFileError {
  const problem = scanJson(text).problem ?? {
    offset: Number(/position (\d+)/.exec(message)?.[1] ?? 0),
    reason: message,
  };
  const { line, column } = lineColumn(text, problem.offset);
  const where = problem.reason === TRUNCATED ? `line ${line}` : `line ${line}, column ${column}`;
  let hint = '';
  if (/^\s*</.test(text)) hint = ' The file looks like HTML or XML, not a notebook.';
  else if (text.includes('\u0000'))
    hint = ' The file holds NUL characters: is it UTF-16 without a byte order mark?';
  return new NotebookFileError(
    `Not a valid .bpnb file: ${where}: ${problem.reason}.${hint}`,
    line,
    undefined,
    column,
  );
}

/**
 * Parses file text. Whitespace only → a new, empty notebook. Anything else that is not a whole,
 * valid notebook → NotebookFileError naming the line and, where it applies, the field.
 */
export function parseNotebookFile(text: string): FileNotebook {
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  if (text.trim() === '')
    return { version: `${FORMAT_MAJOR}.${FORMAT_MINOR}`, metadata: {}, cells: [] };
  const conflict = /^(<{7}|\|{7}|={7}|>{7})(?=\s|$)/m.exec(text);
  if (conflict) {
    const line = lineColumn(text, conflict.index).line;
    throw new NotebookFileError(
      `The file has merge-conflict markers (line ${line}): resolve the conflict in a text ` +
        `editor first.`,
      line,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw syntaxError(text, e instanceof Error ? e.message : String(e));
  }
  // JSON.parse keeps the last of two equal field names and drops the first without a word
  const duplicate = scanJson(text, undefined, { duplicates: true }).duplicate;
  if (duplicate) {
    const lines = new LineIndex(text);
    const line = lines.at(duplicate.offset).line;
    const field = duplicate.path === '' ? '(top level)' : duplicate.path;
    throw new NotebookFileError(
      `Not a valid .bpnb file: line ${line}: field ${shownField(field)} appears twice (first at ` +
        `line ${lines.at(duplicate.firstOffset).line}); keep one of them.`,
      line,
      field,
    );
  }
  try {
    return parseTop(json);
  } catch (e) {
    if (!(e instanceof FieldProblem)) throw e;
    const line = lineOfField(text, e.field);
    const name = e.field === '' ? 'the top level' : `field ${shownField(e.field)}`;
    const message = e.message
      ? e.message(line)
      : `Not a valid .bpnb file: line ${line}: ${name} ${e.what}.`;
    throw new NotebookFileError(message, line, e.field === '' ? '(top level)' : e.field);
  }
}

// ---------------------------------------------------------------------------------------------
// Notebook → text

/** Known keys first in a fixed order, then the extra keys (never overriding a known one). */
function withExtra(
  known: Record<string, unknown>,
  extra: Record<string, unknown> | undefined,
  knownKeys: string[],
): Record<string, unknown> {
  if (!extra) return known;
  for (const key of Object.keys(extra)) {
    if (!knownKeys.includes(key)) {
      Object.defineProperty(known, key, {
        value: extra[key],
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
  return known;
}

function printCell(cell: FileCell, withOutputs: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (cell.id !== undefined) out.id = cell.id;
  out.kind = cell.kind;
  out.language = cell.language;
  out.source = canonicalSource(cell.source).split('\n');
  if (cell.metadata && Object.keys(cell.metadata).length) out.metadata = cell.metadata;
  const e = cell.execution;
  if (
    withOutputs &&
    e &&
    (e.order !== undefined || e.success !== undefined || e.durationMs !== undefined)
  ) {
    out.execution = { order: e.order, success: e.success, durationMs: e.durationMs };
  }
  if (withOutputs && cell.outputs && cell.outputs.length) {
    out.outputs = cell.outputs.map((o) =>
      withExtra(
        { items: o.items.map((i) => ({ mime: i.mime, data: i.data })) },
        o.extra,
        OUTPUT_KEYS,
      ),
    );
  }
  return withExtra(out, cell.extra, CELL_KEYS);
}

/**
 * Prints a notebook as stable, pretty JSON ending in a newline. Outputs (and execution facts) are
 * left out when withOutputs is false. Anything parseNotebookFile would refuse (a value JSON cannot
 * hold faithfully such as NaN, ±Infinity or a bigint; nesting deeper than MAX_DEPTH; a wrong type)
 * is refused with a NotebookFileError naming the field: never a silent null, never a file that
 * cannot reopen.
 */
export function printNotebookFile(nb: FileNotebook, withOutputs = true): string {
  const top = withExtra(
    {
      format: FORMAT_NAME,
      version: nb.version,
      metadata: nb.metadata,
      cells: nb.cells.map((c) => printCell(c, withOutputs)),
    },
    nb.extra,
    TOP_KEYS,
  );
  // check what is written by the rules it will be read with: a saved file always opens again
  try {
    parseTop(top);
  } catch (e) {
    if (!(e instanceof FieldProblem)) throw e;
    throw new NotebookFileError(
      `Cannot save the notebook: field ${e.field === '' ? '(top level)' : shownField(e.field)} ` +
        `${e.what}.`,
      undefined,
      e.field,
    );
  }
  return JSON.stringify(top, null, 2) + '\n';
}
