/**
 * What `bpnb run` prints: each cell's results as text, Markdown or JSON, and a summary per file.
 */
import { maxOf, pushAll } from '../protocol/extent';
import type { FileNotebook } from '../protocol/notebookFile';
import { PAYLOAD_VERSION, type ResultPayload } from '../protocol/results';
import { expectParts, itemsToMarkdown, itemsToText } from '../protocol/text';
import { STOPPED_TEXT } from '../runtime/errors';
import type { Format } from './args';
import type { CellReport, FailedExpectation, LocatedProblem } from './runner';

/** Everything known about one file after `run`. */
export interface FileReport {
  path: string;
  /** set when the file could not be read or parsed (then nothing ran) */
  loadError?: { message: string; line?: number };
  notebook?: FileNotebook;
  cells: CellReport[];
  /** with --write: true once stored, false when the write failed (then writeError says why) */
  written?: boolean;
  writeError?: { message: string; besidePath?: string };
}

export interface Totals {
  cells: number;
  ran: number;
  failed: number;
  notRun: number;
  cancelled: number;
  expectations: { total: number; failed: number };
}

export function totals(cells: CellReport[]): Totals {
  const t: Totals = {
    cells: cells.length,
    ran: 0,
    failed: 0,
    notRun: 0,
    cancelled: 0,
    expectations: { total: 0, failed: 0 },
  };
  for (const c of cells) {
    if (c.status === 'not run') t.notRun++;
    else t.ran++;
    if (c.status === 'failed') t.failed++;
    if (c.status === 'cancelled') t.cancelled++;
    t.expectations.total += c.run?.expectations.total ?? 0;
    t.expectations.failed += c.run?.expectations.failed ?? 0;
  }
  return t;
}

/** `file:line:col: severity: message [code]`, the line being the line of the .bpnb file. */
export function problemLine(path: string, cell: CellReport, p: LocatedProblem): string {
  const where = p.file
    ? `${p.file.line}:${p.file.column}`
    : `cell${cell.index + 1}:${p.cell.line}:${p.cell.column}`;
  const stack = p.stack ? `\n${p.stack.replace(/^/gm, '    ')}` : '';
  return `${path}:${where}: ${p.severity}: ${p.message} [${p.code}]${stack}`;
}

export function expectationLine(path: string, cell: CellReport, f: FailedExpectation): string {
  const where = f.file
    ? `${f.file.line}:${f.file.column}`
    : `cell${cell.index + 1}:${f.cell.line}:${f.cell.column}`;
  const { claim, got } = expectParts(f.item);
  return `${path}:${where}: error: ${claim} did not hold: got ${got} (cell ${cell.index + 1})`;
}

/** A cell's problems, then its failed expectations, a line each. */
function problemLines(path: string, cell: CellReport): string[] {
  return [
    ...cell.problems.map((p) => problemLine(path, cell, p)),
    ...cell.failedExpectations.map((f) => expectationLine(path, cell, f)),
  ];
}

function cellHeading(cell: CellReport): string {
  const status = cell.status === 'ok' ? '' : ` (${cell.status})`;
  return `[cell ${cell.index + 1}, line ${cell.line}]${status}`;
}

/** A file's results as plain text (what the notebook shows, as text). */
export function fileText(report: FileReport, quiet: boolean): string {
  if (quiet && report.cells.every((c) => c.status === 'ok')) return '';
  const out: string[] = [`=== ${report.path}`];
  for (const cell of report.cells) {
    if (quiet && cell.status === 'ok') continue;
    out.push('', cellHeading(cell));
    for (const line of cell.source.split('\n')) out.push(`  | ${line}`);
    if (!cell.run) continue;
    if (cell.run.items.length && !quiet) out.push('', itemsToText(cell.run.items));
    const problems = problemLines(report.path, cell);
    if (problems.length) pushAll(out, [''].concat(problems));
    if (cell.status === 'cancelled') out.push('', STOPPED_TEXT);
  }
  return out.join('\n') + '\n';
}

/** A file as a Markdown page: markdown cells as they are, code cells fenced, results after each. */
export function fileMarkdown(report: FileReport, quiet: boolean): string {
  const out: string[] = [];
  const byIndex = new Map(report.cells.map((c) => [c.index, c]));
  report.notebook?.cells.forEach((cell, index) => {
    const run = byIndex.get(index);
    if (!run) {
      if (!quiet && cell.kind === 'markdown') out.push(cell.source, '');
      return;
    }
    if (quiet && run.status === 'ok') return;
    pushAll(out, fenced(cell.source, 'bpnb')).push('');
    if (run.status !== 'ok') out.push(`*${run.status}*`, '');
    if (run.run?.items.length && !quiet) out.push(itemsToMarkdown(run.run.items), '');
    const problems = problemLines(report.path, run);
    if (problems.length) pushAll(out, fenced(problems.join('\n'))).push('');
  });
  return out.join('\n');
}

/**
 * A fenced code block whose fence is longer than any run of backticks inside, so the text cannot
 * close it early.
 */
function fenced(text: string, info = ''): string[] {
  const longest = maxOf(
    (text.match(/`+/g) ?? []).map((run) => run.length),
    0,
  );
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return [fence + info, text, fence];
}

/**
 * The JSON of a whole `run`: per file, per code cell, the same result payload the renderer draws.
 */
export function runJson(reports: FileReport[], exitCode: number): unknown {
  return {
    version: 1,
    exitCode,
    files: reports.map((r) => ({
      file: r.path,
      ...(r.loadError ? { error: r.loadError } : {}),
      summary: totals(r.cells),
      ...(r.written !== undefined ? { written: r.written } : {}),
      ...(r.writeError ? { writeError: r.writeError } : {}),
      cells: r.cells.map((c) => {
        const payload: ResultPayload = { version: PAYLOAD_VERSION, items: c.run?.items ?? [] };
        return {
          index: c.index + 1,
          line: c.line,
          status: c.status,
          ...(c.run ? { payload, expectations: c.run.expectations } : {}),
          problems: c.problems.map((p) => ({ ...p, file: p.file ?? null })),
          failedExpectations: c.failedExpectations.map((f) => ({
            quantity: f.item.quantity,
            file: f.file ?? null,
            cell: f.cell,
          })),
        };
      }),
    })),
  };
}

/** One summary line per file, then a line per failure. Printed on stderr. */
export function summaryLines(report: FileReport): string[] {
  if (report.loadError) return [`${report.path}: not run: ${report.loadError.message}`];
  const t = totals(report.cells);
  const expectations =
    `${t.expectations.total - t.expectations.failed} of ` +
    `${t.expectations.total} expectations held`;
  const verdict = t.cancelled ? 'STOPPED' : t.failed || report.writeError ? 'FAILED' : 'ok';
  const lines = [
    `${report.path}: ${verdict}: ${t.ran} of ${t.cells} code cells ran, ${expectations}` +
      `${t.notRun ? `, ${t.notRun} not run` : ''}${report.written ? ', outputs written' : ''}` +
      `${report.writeError ? ', outputs NOT written' : ''}`,
  ];
  if (report.writeError) lines.push(`  ${report.writeError.message}`);
  for (const cell of report.cells) {
    if (cell.status === 'ok' || cell.status === 'not run') continue;
    lines.push(`  cell ${cell.index + 1} (line ${cell.line}) ${cell.status}`);
    for (const p of cell.problems)
      if (p.severity === 'error') lines.push(`    ${problemLine(report.path, cell, p)}`);
    for (const f of cell.failedExpectations)
      lines.push(`    ${expectationLine(report.path, cell, f)}`);
  }
  const firstNotRun = report.cells.find((c) => c.status === 'not run');
  if (firstNotRun)
    lines.push(
      `  cells from cell ${firstNotRun.index + 1} (line ${firstNotRun.line}) on were not run`,
    );
  return lines;
}

export function formatFile(report: FileReport, format: Format, quiet: boolean): string {
  return format === 'markdown' ? fileMarkdown(report, quiet) : fileText(report, quiet);
}
