/**
 * Data a network trains on: built-in 2-input datasets generated from a seed, inline tables,
 * and CSV text. Everything is checked here so nothing non-finite reaches training.
 */
import Papa from 'papaparse';
import { Rng } from '../engine/rng';
import { plural } from './errors';

export interface Dataset {
  name: string;
  inputs: number[][];
  targets: number[][];
}

/** A data problem with the (1-based) row and column it was found at. */
export class DataError extends Error {
  readonly code = 'BPNB302';
  constructor(
    message: string,
    readonly row?: number,
    readonly column?: number,
  ) {
    super(message);
  }
}

function gaussian(rng: Rng): number {
  // Box–Muller; 1 − u keeps the logarithm's argument in (0, 1]
  const u = 1 - rng.next();
  const v = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

const TRUTH: Record<'xor' | 'and' | 'or', (a: number, b: number) => number> = {
  xor: (a, b) => a ^ b,
  and: (a, b) => a & b,
  or: (a, b) => a | b,
};

/** Most rows a built-in dataset may have (a bigger `n` is refused before anything is generated). */
export const MAX_BUILTIN_ROWS = 100_000;

/** Generates a built-in dataset: 2 inputs, 1 target (0 or 1). */
export function builtinDataset(name: string, n: number, noise: number, seed: number): Dataset {
  if (!(n >= 1 && n <= MAX_BUILTIN_ROWS))
    throw new DataError(
      `dataset ${name}: n ${n} is out of range; use 1 to ${MAX_BUILTIN_ROWS} rows`,
    );
  if (name === 'xor' || name === 'and' || name === 'or') {
    const inputs = [
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
    ];
    return { name, inputs, targets: inputs.map(([a, b]) => [TRUTH[name](a, b)]) };
  }
  const rng = new Rng(seed);
  const inputs: number[][] = [];
  const targets: number[][] = [];
  const add = (x: number, y: number, label: number) => {
    inputs.push([x + noise * gaussian(rng), y + noise * gaussian(rng)]);
    targets.push([label]);
  };
  for (let s = 0; s < n; s++) {
    const label = s % 2;
    if (name === 'circle') {
      const r = label === 1 ? 0.5 * rng.next() : 0.7 + 0.3 * rng.next();
      const angle = 2 * Math.PI * rng.next();
      add(r * Math.cos(angle), r * Math.sin(angle), label);
    } else if (name === 'spiral') {
      const t = (Math.floor(s / 2) / Math.max(1, Math.ceil(n / 2))) * 1.75 * 2 * Math.PI;
      const r = t / (3.5 * Math.PI);
      const phase = label * Math.PI;
      add(r * Math.sin(t + phase), r * Math.cos(t + phase), label);
    } else if (name === 'blobs') {
      const c = label === 1 ? 0.5 : -0.5;
      add(c + 0.25 * gaussian(rng), c + 0.25 * gaussian(rng), label);
    } else if (name === 'moons') {
      const t = Math.PI * rng.next();
      if (label === 0) add(Math.cos(t), Math.sin(t), 0);
      else add(1 - Math.cos(t), 0.5 - Math.sin(t), 1);
    } else {
      throw new DataError(`unknown dataset "${name}"`);
    }
  }
  return { name, inputs, targets };
}

/** Checks that every row has the right widths and finite numbers. */
export function checkRows(name: string, inputs: number[][], targets: number[][]): Dataset {
  if (inputs.length === 0) throw new DataError(`dataset "${name}" has no rows`);
  const nIn = inputs[0].length;
  const nOut = targets[0]?.length ?? 0;
  inputs.forEach((row, r) => {
    if (row.length !== nIn || targets[r].length !== nOut) {
      throw new DataError(
        `row ${r + 1} has ${row.length} inputs and ${targets[r].length} targets; row 1 has ${nIn}` +
          ` and ${nOut}`,
        r + 1,
      );
    }
    [...row, ...targets[r]].forEach((v, c) => {
      if (!Number.isFinite(v))
        throw new DataError(
          `row ${r + 1}, column ${c + 1}: ${v} is not a finite number`,
          r + 1,
          c + 1,
        );
    });
  });
  return { name, inputs, targets };
}

/** Largest CSV file read (checked on the file's size before reading, and on the text). */
export const MAX_CSV_BYTES = 64 * 1024 * 1024;
/** Most rows a CSV file may have (counted before the CSV is parsed). */
export const MAX_CSV_ROWS = 1_000_000;

const megabytes = (n: number) => `${(n / (1024 * 1024)).toFixed(1)} MB`;

/** Refuses a data file over MAX_CSV_BYTES, naming the limit; readers call it before reading. */
export function checkDataFileSize(name: string, bytes: number): void {
  if (bytes > MAX_CSV_BYTES)
    throw new DataError(
      `${name} is ${megabytes(bytes)}; a CSV file may be at most ${megabytes(MAX_CSV_BYTES)} ` +
        `(MAX_CSV_BYTES)`,
    );
}

export interface CsvOptions {
  /**
   * number of input columns, the first ones (default: all but the last `targets`; `dataset csv`
   * passes the network's input size)
   */
  inputs?: number;
  /**
   * number of target columns, the last ones (default 1; `dataset csv` passes the network's output
   * size)
   */
  targets?: number;
  /**
   * whether the first row names the columns (default: detected: a first row that is not all
   * numbers)
   */
  header?: boolean;
}

/**
 * The numbers a data file may hold: decimal, with an optional sign, point and exponent (`-1.5`,
 * `.5`, `2e-3`). `Number()` alone would also take `0x10`, `0b1`, `0o7` and `Infinity`.
 */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
/** How a spreadsheet formula starts (`=1+1`, `@SUM(A1)`, `+A1`, `-A1`) when it is not a number. */
const FORMULA = /^[=+\-@]/;

const quoted = (cell: string) => `"${cell.length > 40 ? cell.slice(0, 40) + '…' : cell}"`;

function refuseFormula(name: string, cell: string, row: number, column: number): void {
  const text = cell.trim();
  if (FORMULA.test(text) && !DECIMAL.test(text) && !/^[+-]?(nan|inf(inity)?)$/i.test(text))
    throw new DataError(
      `${name}: row ${row}, column ${column}: ${quoted(cell)} looks like a spreadsheet formula; ` +
        `a data file holds its values (decimal numbers), not formulas`,
      row,
      column,
    );
}

/** Parses CSV text into a dataset; any problem is a DataError naming the row and column. */
export function parseCsvDataset(name: string, text: string, opts: CsvOptions = {}): Dataset {
  checkDataFileSize(name, text.length);
  let lines = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1))
    if (++lines > MAX_CSV_ROWS + 1)
      throw new DataError(
        `${name} has more than ${MAX_CSV_ROWS.toLocaleString('en')} rows (MAX_CSV_ROWS); use ` +
          `fewer rows`,
      );
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), {
    skipEmptyLines: false,
    dynamicTyping: false,
  });
  const quoteError = parsed.errors.find((e) => e.type === 'Quotes');
  if (quoteError)
    throw new DataError(
      `${name}: row ${(quoteError.row ?? 0) + 1}: ${quoteError.message}`,
      (quoteError.row ?? 0) + 1,
    );
  // blank lines are skipped, but rows keep their place in the file so messages name the right row
  const rows = parsed.data
    .map((cells, r) => ({ cells, row: r + 1 }))
    .filter(({ cells }) => cells.some((c) => c.trim() !== ''));
  if (rows.length === 0) throw new DataError(`${name} is empty`);
  // a bad number (NaN, 1e309, 0x10, an empty cell) in the first row is a data error, not a header
  const numberLike = (s: string) =>
    s.trim() === '' || !Number.isNaN(Number(s)) || /^\s*[+-]?(nan|inf(inity)?)\s*$/i.test(s);
  const header = opts.header ?? !rows[0].cells.every(numberLike);
  // a spreadsheet formula is neither a column name nor a number, in the header or anywhere else
  if (header) rows[0].cells.forEach((cell, c) => refuseFormula(name, cell, rows[0].row, c + 1));
  const head = header ? rows.shift() : undefined;
  if (rows.length === 0) throw new DataError(`${name} has a header but no data rows`);
  const firstDataRow = rows[0].row;
  const width = rows[0].cells.length;
  if (head && head.cells.length !== width) {
    throw new DataError(
      `${name}: row ${firstDataRow} has ${width} columns, but the header (row ${head.row}) names ` +
        `${head.cells.length}`,
      firstDataRow,
    );
  }
  const nTargets = opts.targets ?? 1;
  const nInputs = opts.inputs ?? width - nTargets;
  if (nInputs < 1 || nTargets < 1 || nInputs + nTargets !== width) {
    throw new DataError(
      `${name}: row ${firstDataRow} has ${width} columns, but ${plural(nInputs, 'input')} + ` +
        `${plural(nTargets, 'target')} were asked for`,
      firstDataRow,
    );
  }
  const inputs: number[][] = [];
  const targets: number[][] = [];
  rows.forEach(({ cells, row }) => {
    if (cells.length !== width)
      throw new DataError(
        `${name}: row ${row} has ${cells.length} columns, expected ${width}`,
        row,
      );
    const values = cells.map((cell, c) => {
      const text = cell.trim();
      const v = Number(text);
      if (DECIMAL.test(text) && Number.isFinite(v)) return v;
      refuseFormula(name, cell, row, c + 1);
      throw new DataError(
        `${name}: row ${row}, column ${c + 1}: ${quoted(cell)} is not a ` +
          `${Number.isFinite(v) && text !== '' ? 'decimal' : 'finite'} number`,
        row,
        c + 1,
      );
    });
    inputs.push(values.slice(0, nInputs));
    targets.push(values.slice(nInputs));
  });
  return { name, inputs, targets };
}
