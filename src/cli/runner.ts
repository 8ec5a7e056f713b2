/**
 * Runs the code cells of one loaded notebook in order, in one Session, the way "Run All" does
 * in VS Code: the first failing cell stops the notebook and the cells after it are not run.
 */
import { constants } from 'node:fs';
import { open, realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { offsetToLineCol } from '../language/diagnostics';
import type { ExpectItem, ResultItem } from '../protocol/results';
import { checkDataFileSize } from '../runtime/datasets';
import { Session } from '../runtime/session';
import type { CellRun, RunHost } from '../runtime/types';
import type { LoadedNotebook } from './load';
import { FileLocator, type FilePosition } from './locate';

export type CellStatus = 'ok' | 'failed' | 'cancelled' | 'not run';

/** A problem of one cell, located both in the cell and in the file. */
export interface LocatedProblem {
  severity: 'error' | 'warning' | 'info';
  code: string;
  message: string;
  /** line and column in the .bpnb file (undefined when the source could not be found in it) */
  file?: FilePosition;
  /** line and column inside the cell's text */
  cell: FilePosition;
  /** an internal error's (BPNB900) stack, for its report */
  stack?: string;
}

/** An `expect` that did not hold, with where it is written. */
export interface FailedExpectation {
  item: ExpectItem;
  file?: FilePosition;
  cell: FilePosition;
}

export interface CellReport {
  /** 0-based index among all cells of the file (markdown cells included) */
  index: number;
  /** file line where the cell starts */
  line: number;
  source: string;
  status: CellStatus;
  run?: CellRun;
  problems: LocatedProblem[];
  failedExpectations: FailedExpectation[];
  durationMs?: number;
}

export interface RunHooks {
  isCancelled(): boolean;
  /** live progress of a long cell (training) */
  onProgress?(cell: CellReport, items: ResultItem[]): void;
  maxBytes?: number;
}

const yieldNow = () => new Promise<void>((done) => setImmediate(done));

/**
 * Reads a data file named relative to the notebook; the file must lie inside the notebook's folder
 * (symlinks resolved).
 */
export function notebookFileReader(notebookPath: string): (path: string) => Promise<string> {
  return async (path: string) => readDataFile(await insideNotebookFolder(notebookPath, path));
}

/**
 * Reads a binary file (a safetensors model) like notebookFileReader; refused above maxBytes before
 * it is read.
 */
export function notebookBinaryReader(
  notebookPath: string,
): (path: string, maxBytes: number) => Promise<Uint8Array> {
  return async (path: string, maxBytes: number) => {
    const target = await insideNotebookFolder(notebookPath, path);
    return readRegularFile(target, (size) => {
      if (size > maxBytes) throw new Error(`it is ${size} bytes; the limit is ${maxBytes}`);
    });
  };
}

/**
 * The real path of a file named relative to the notebook, when it lies inside the notebook's
 * folder.
 */
async function insideNotebookFolder(notebookPath: string, path: string): Promise<string> {
  const folder = dirname(resolve(notebookPath));
  if (isAbsolute(path))
    throw new Error(`"${path}" is absolute: data files are named relative to the notebook`);
  const root = await realpath(folder);
  const target = await realpath(resolve(folder, path));
  const rel = relative(root, target);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel) || rel.split(sep)[0] === '..') {
    throw new Error(`"${path}" is outside the notebook's folder ${root}`);
  }
  return target;
}

/** A data file as text: a regular file of at most the data-file limit. */
async function readDataFile(target: string): Promise<string> {
  const bytes = await readRegularFile(target, (size) => checkDataFileSize(basename(target), size));
  return Buffer.from(bytes).toString('utf8');
}

/**
 * Reads a regular file without ever blocking: opened non-blocking (a FIFO opens at once instead of
 * waiting for a writer), its type and size checked on the open descriptor, then read.
 */
async function readRegularFile(
  target: string,
  checkSize: (size: number) => void,
): Promise<Uint8Array> {
  const file = await open(target, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const st = await file.stat();
    if (!st.isFile())
      throw new Error(
        `"${basename(target)}" is not a regular file (` +
          `${st.isDirectory() ? 'a folder' : 'a FIFO, socket or device'}); only files are read`,
      );
    checkSize(st.size);
    return await file.readFile();
  } finally {
    await file.close();
  }
}

export async function runNotebook(loaded: LoadedNotebook, hooks: RunHooks): Promise<CellReport[]> {
  const session = new Session({ maxBytes: hooks.maxBytes });
  const readTextFile = notebookFileReader(loaded.path);
  const readBinaryFile = notebookBinaryReader(loaded.path);
  const reports: CellReport[] = [];
  const locator = new FileLocator(loaded.text);
  let stopped = false;
  for (const [index, cell] of loaded.notebook.cells.entries()) {
    if (cell.kind !== 'code' || cell.language !== 'bpnb') continue;
    const report: CellReport = {
      index,
      line: locator.startLine(index),
      source: cell.source,
      status: 'not run',
      problems: [],
      failedExpectations: [],
    };
    reports.push(report);
    if (stopped) continue;
    if (hooks.isCancelled()) {
      stopped = true;
      continue;
    }
    const host: RunHost = {
      isCancelled: hooks.isCancelled,
      yieldNow,
      now: () => performance.now(),
      onProgress: hooks.onProgress ? (items) => hooks.onProgress!(report, items) : undefined,
      readTextFile,
      readBinaryFile,
    };
    const started = performance.now();
    const run = await session.runCell(cell.source, host);
    report.durationMs = Math.round(performance.now() - started);
    report.run = run;
    report.status = run.cancelled ? 'cancelled' : run.ok ? 'ok' : 'failed';
    const locate = (offset: number) => {
      const { line, col } = offsetToLineCol(cell.source, offset);
      return { file: locator.position(index, offset), cell: { line, column: col } };
    };
    report.problems = run.problems.map((p) => ({
      severity: p.severity,
      code: p.code,
      message: p.message,
      ...locate(p.start),
      ...(p.stack ? { stack: p.stack } : {}),
    }));
    report.failedExpectations = run.failedExpectations.map(({ item, span }) => ({
      item,
      ...locate(span.start),
    }));
    locator.done(index);
    if (!run.ok) stopped = true;
  }
  return reports;
}
