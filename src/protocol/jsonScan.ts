/**
 * A small JSON scanner, used only where JSON.parse says too little: it finds the offset and
 * reason of the first syntax error, or the offset where the value at a field path starts.
 * It keeps an explicit stack (no recursion), so deep nesting cannot overflow the call stack.
 */

export interface JsonSyntaxProblem {
  offset: number;
  reason: string;
}

export interface JsonScan {
  /** the first syntax error, when the text is not valid JSON */
  problem?: JsonSyntaxProblem;
  /** where the value at the requested path starts, when it was found */
  pathOffset?: number;
  /** with `duplicates`: the first field name an object holds twice */
  duplicate?: { path: string; offset: number; firstOffset: number };
}

export interface ScanOptions {
  /** called where each value starts, with its field path; returning true stops the scan */
  visit?: (path: string, offset: number) => boolean | void;
  /** stop at the first field name that an object already holds (JSON.parse keeps only the last) */
  duplicates?: boolean;
}

export const TRUNCATED = 'the file ends too early (truncated?)';

/** Field path segment, the way error messages write it: `cells[2].outputs[0].items`. */
export function joinKey(parent: string, key: string): string {
  const part = /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key);
  if (part !== key) return `${parent}[${part}]`;
  return parent === '' ? key : `${parent}.${key}`;
}

export function joinIndex(parent: string, index: number): string {
  return `${parent}[${index}]`;
}

interface Frame {
  isObject: boolean;
  path: string;
  index: number;
  key: string;
  /** with `duplicates`: the offset of each field name seen in this object */
  keys?: Map<string, number>;
}

function describe(ch: string): string {
  const code = ch.charCodeAt(0);
  if (code < 0x20 || code === 0x7f || code === 0xfeff || (code >= 0xd800 && code <= 0xdfff))
    return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return `'${ch}'`;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPES = '"\\/bfnrt';

/**
 * Scans `text` as JSON. Without `target` it reports the first syntax problem (or nothing for valid
 * JSON). With `target` (a field path, '' for the top level) it stops where that value starts. One
 * pass, linear in the text: `visit` sees every value's path and offset on the way.
 */
export function scanJson(text: string, target?: string, options: ScanOptions = {}): JsonScan {
  const { duplicates } = options;
  const visit =
    options.visit ?? (target === undefined ? undefined : (path: string) => path === target);
  const paths = visit !== undefined || duplicates;
  const n = text.length;
  const stack: Frame[] = [];
  let i = 0;
  let state: 'value' | 'firstValue' | 'key' | 'firstKey' | 'after' = 'value';
  const at = (offset: number, reason: string): JsonScan => ({ problem: { offset, reason } });

  const skipSpace = () => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 10 || c === 13 || c === 9) i++;
      else break;
    }
  };

  /** Moves i past the string starting at i; returns a problem or undefined. */
  const scanString = (): JsonScan | undefined => {
    i++;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 34) {
        i++;
        return undefined;
      }
      if (c === 92) {
        if (i + 1 >= n) return at(n, TRUNCATED);
        const e = text[i + 1];
        if (e === 'u') {
          const hex = text.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{0,4}$/.test(hex)) return at(i, 'a broken \\u escape in a string');
          if (hex.length < 4) return at(n, TRUNCATED);
          i += 6;
        } else if (ESCAPES.includes(e)) i += 2;
        else return at(i, `an unknown escape \\${e} in a string`);
      } else if (c < 0x20)
        return at(i, `${describe(text[i])} inside a string (a missing closing quote?)`);
      else i++;
    }
    return at(n, TRUNCATED);
  };

  const valuePath = (): string => {
    const top = stack[stack.length - 1];
    if (!top) return '';
    if (top.isObject) return paths ? joinKey(top.path, top.key) : '';
    const index = top.index++;
    return paths ? joinIndex(top.path, index) : '';
  };

  for (;;) {
    skipSpace();
    if (i >= n) return state === 'after' && stack.length === 0 ? {} : at(n, TRUNCATED);
    const ch = text[i];
    if (state === 'after') {
      const top = stack[stack.length - 1];
      if (!top) return at(i, `unexpected ${describe(ch)} after the end of the notebook`);
      const close = top.isObject ? '}' : ']';
      if (ch === ',') {
        i++;
        state = top.isObject ? 'key' : 'value';
      } else if (ch === close) {
        i++;
        stack.pop();
      } else return at(i, `expected ',' or '${close}' but found ${describe(ch)}`);
      continue;
    }
    if (state === 'key' || state === 'firstKey') {
      if (ch === '}' && state === 'firstKey') {
        i++;
        stack.pop();
        state = 'after';
        continue;
      }
      if (ch !== '"') return at(i, `expected a quoted field name but found ${describe(ch)}`);
      const start = i;
      const problem = scanString();
      if (problem) return problem;
      if (paths) {
        const top = stack[stack.length - 1];
        top.key = JSON.parse(text.slice(start, i)) as string;
        if (duplicates) {
          top.keys ??= new Map();
          const first = top.keys.get(top.key);
          if (first !== undefined)
            return {
              duplicate: { path: joinKey(top.path, top.key), offset: start, firstOffset: first },
            };
          top.keys.set(top.key, start);
        }
      }
      skipSpace();
      if (i >= n) return at(n, TRUNCATED);
      if (text[i] !== ':')
        return at(i, `expected ':' after a field name but found ${describe(text[i])}`);
      i++;
      state = 'value';
      continue;
    }
    if (ch === ']' && state === 'firstValue') {
      i++;
      stack.pop();
      state = 'after';
      continue;
    }
    const path = valuePath();
    if (visit !== undefined && visit(path, i)) return { pathOffset: i };
    state = 'after';
    if (ch === '{' || ch === '[') {
      stack.push({ isObject: ch === '{', path, index: 0, key: '' });
      state = ch === '{' ? 'firstKey' : 'firstValue';
      i++;
    } else if (ch === '"') {
      const problem = scanString();
      if (problem) return problem;
    } else if (ch === '-' || (ch >= '0' && ch <= '9')) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(text);
      if (!m) return i + 1 >= n ? at(n, TRUNCATED) : at(i, `a broken number`);
      i += m[0].length;
      // "1." or "1e+" is a broken number; at the very end of the text it was cut off
      if (i < n && /[.eE]/.test(text[i]))
        return /^(\.|[eE][+-]?)$/.test(text.slice(i)) ? at(n, TRUNCATED) : at(i, 'a broken number');
    } else {
      const literal = ['true', 'false', 'null'].find((word) => word[0] === ch);
      if (literal && text.startsWith(literal, i)) i += literal.length;
      else if (
        literal &&
        literal.startsWith(text.slice(i, i + literal.length)) &&
        i + literal.length > n
      )
        return at(n, TRUNCATED);
      else return at(i, `unexpected ${describe(ch)} where a value should be`);
    }
  }
}

/** Line and column of many offsets in one text: the line starts are found once. */
export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(private readonly text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1))
      this.starts.push(i + 1);
  }

  /** 1-based line and column (in UTF-16 code units) of an offset, by binary search. */
  at(offset: number): { line: number; column: number } {
    const end = Math.min(offset, this.text.length);
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= end) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: end - this.starts[lo] + 1 };
  }
}

/** 1-based line and column (in UTF-16 code units) of an offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: end - lineStart + 1 };
}
