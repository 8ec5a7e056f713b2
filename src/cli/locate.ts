/**
 * Where a cell's text sits in its .bpnb file. A cell's source is stored as a JSON array of lines
 * (or one string); this maps an offset in the cell's text to the line and column of the file,
 * so `file:line:col` opens the editor at the very character.
 *
 * The file is scanned once (the offsets of every cell and its source, the line starts), and a
 * cell's characters are mapped once, when its first problem is located: run and check stay
 * linear in the file, whatever the number of cells and problems.
 */
import { LineIndex, scanJson } from '../protocol/jsonScan';

export interface FilePosition {
  line: number;
  column: number;
}

const SIMPLE_ESCAPES = '"\\/bfnrt';
const CELL_PATH = /^cells\[(\d+)\](\.source)?$/;

function skipSpace(text: string, i: number): number {
  while (i < text.length && ' \t\r\n'.includes(text[i])) i++;
  return i;
}

/**
 * The raw offset of each character of the JSON string starting at `quote`, pushed onto `out`;
 * returns the offset after the closing quote, or undefined for a broken string.
 */
function mapString(text: string, quote: number, out: number[]): number | undefined {
  let i = quote + 1;
  while (i < text.length && text[i] !== '"') {
    out.push(i);
    if (text[i] === '\\') i += SIMPLE_ESCAPES.includes(text[i + 1]) ? 2 : 6;
    else i += 1;
  }
  return text[i] === '"' ? i + 1 : undefined;
}

/** A source's characters → raw offsets; `pastEnd` is where offsets beyond the source point. */
interface SourceMap {
  raw: number[];
  pastEnd?: number;
}

function mapSource(text: string, start: number): SourceMap | undefined {
  const raw: number[] = [];
  let i = skipSpace(text, start);
  if (text[i] === '"') {
    const quote = i;
    return mapString(text, i, raw) === undefined ? { raw } : { raw, pastEnd: quote };
  }
  if (text[i] !== '[') return undefined;
  i = skipSpace(text, i + 1);
  let lastQuote: number | undefined;
  while (text[i] === '"') {
    lastQuote = i;
    const end = mapString(text, i, raw);
    if (end === undefined) return { raw };
    raw.push(end - 1); // the line break between two lines: the closing quote of the first
    i = skipSpace(text, end);
    if (text[i] !== ',') break;
    i = skipSpace(text, i + 1);
  }
  // past the end of the source: the last line's opening quote
  return { raw, pastEnd: lastQuote };
}

/** Cell positions in one file text, found in one pass. */
export class FileLocator {
  private readonly lines: LineIndex;
  private readonly cellStart: number[] = [];
  private readonly sourceStart: number[] = [];
  private readonly maps = new Map<number, SourceMap | undefined>();

  constructor(private readonly text: string) {
    this.lines = new LineIndex(text);
    scanJson(text, undefined, {
      visit: (path, offset) => {
        if (!path.startsWith('cells[')) return;
        const m = CELL_PATH.exec(path);
        if (m) (m[2] ? this.sourceStart : this.cellStart)[Number(m[1])] = offset;
      },
    });
  }

  /** The line where cells[cellIndex] starts in the file (1 when it cannot be found). */
  startLine(cellIndex: number): number {
    const start = this.cellStart[cellIndex];
    return start === undefined ? 1 : this.lines.at(start).line;
  }

  /**
   * The file position of `offset` in the source of cells[cellIndex], or undefined when it cannot be
   * found.
   */
  position(cellIndex: number, offset: number): FilePosition | undefined {
    if (!this.maps.has(cellIndex)) {
      const start = this.sourceStart[cellIndex];
      this.maps.set(cellIndex, start === undefined ? undefined : mapSource(this.text, start));
    }
    const map = this.maps.get(cellIndex);
    if (!map) return undefined;
    const raw = offset >= 0 && offset < map.raw.length ? map.raw[offset] : map.pastEnd;
    return raw === undefined ? undefined : this.lines.at(raw);
  }

  /** Forgets a cell's character map (run and check go cell by cell: memory stays one cell's). */
  done(cellIndex: number): void {
    this.maps.delete(cellIndex);
  }
}
