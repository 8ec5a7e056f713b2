import type { Span } from '../language/ast';
import type { CellRun } from './types';

/** A failure of one statement: stops the cell and points at the statement (or a part of it). */
export class StatementError extends Error {
  constructor(
    message: string,
    readonly span?: Span,
  ) {
    super(message);
  }
}

/** A number in a message: up to 10 significant digits. */
export function fmt(v: number): string {
  return Number.isFinite(v) ? String(Number(v.toPrecision(10))) : String(v);
}

/** What a stopped cell says, in VS Code, in files written by `bpnb run --write` and on the terminal. */
export const STOPPED_TEXT = 'Stopped by the user.';

/** The error output's message of a run: one line per error, naming line and column; undefined when none. */
export function errorsMessage(run: CellRun): string | undefined {
  const errors = run.problems.filter((p) => p.severity === 'error');
  return errors.length
    ? errors.map((p) => `line ${p.line}, column ${p.column}: ${p.message} [${p.code}]`).join('\n')
    : undefined;
}
