/**
 * Where a cell's text sits in its .bpnb file. A cell's source is stored as a JSON array of lines
 * (or one string); this maps an offset in the cell's text to the line and column of the file,
 * so `file:line:col` opens the editor at the very character.
 */
import { lineColumn, scanJson } from '../protocol/jsonScan';

export interface FilePosition {
  line: number;
  column: number;
}

const SIMPLE_ESCAPES = '"\\/bfnrt';

/**
 * Walks the JSON string starting at `quote` (text[quote] === '"'), calling `stop` once per decoded
 * character. Returns the raw offset where `stop` said yes, else −(offset after the closing quote),
 * or undefined for a broken string.
 */
function walkString(text: string, quote: number, stop: () => boolean): number | undefined {
  let i = quote + 1;
  while (i < text.length && text[i] !== '"') {
    if (stop()) return i;
    if (text[i] === '\\') i += SIMPLE_ESCAPES.includes(text[i + 1]) ? 2 : 6;
    else i += 1;
  }
  return text[i] === '"' ? -(i + 1) : undefined;
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && ' \t\r\n'.includes(text[i])) i++;
  return i;
}

/** The file position of `offset` in the source of cells[cellIndex], or undefined when it cannot be found. */
export function cellOffsetToFile(
  fileText: string,
  cellIndex: number,
  offset: number,
): FilePosition | undefined {
  const start = scanJson(fileText, `cells[${cellIndex}].source`).pathOffset;
  if (start === undefined) return undefined;
  let remaining = offset;
  const found = (): boolean => remaining-- === 0;
  let i = skipSpace(fileText, start);
  if (fileText[i] === '"') return position(fileText, walkString(fileText, i, found), i);
  if (fileText[i] !== '[') return undefined;
  i = skipSpace(fileText, i + 1);
  let lastQuote = i;
  while (fileText[i] === '"') {
    lastQuote = i;
    const end = walkString(fileText, i, found);
    if (end === undefined) return undefined;
    if (end >= 0) return lineColumn(fileText, end);
    // the line break between two lines of the array
    if (remaining-- === 0) return lineColumn(fileText, -end - 1);
    i = skipSpace(fileText, -end);
    if (fileText[i] !== ',') break;
    i = skipSpace(fileText, i + 1);
  }
  // past the end of the source: point at the last line's closing quote
  return fileText[lastQuote] === '"' ? lineColumn(fileText, lastQuote) : undefined;
}

function position(text: string, end: number | undefined, quote: number): FilePosition | undefined {
  if (end === undefined) return undefined;
  return lineColumn(text, end >= 0 ? end : quote);
}

/** The line where cells[cellIndex] starts in the file (1 when it cannot be found). */
export function cellStartLine(fileText: string, cellIndex: number): number {
  const start = scanJson(fileText, `cells[${cellIndex}]`).pathOffset;
  return start === undefined ? 1 : lineColumn(fileText, start).line;
}
