import type { Span } from '../language/ast';
import { INTERNAL_CODE, type DiagnosticCode } from '../language/diagnostics';
import type { EngineError } from '../engine/types';
import { displayDigits, formatNumber } from '../protocol/text';
import type { CellProblem, CellRun } from './types';

/**
 * Codes of the mistakes a statement can make only while running (the checker cannot see them
 * before). Each is listed in docs/language.md's Diagnostics table (a test checks it).
 */
export const RUN_CODES = {
  BPNB301: 'a statement needs an earlier step first (a network, an input, a forward pass…)',
  BPNB302: 'a data table or dataset that cannot be used',
  BPNB303: 'a file that cannot be read',
  BPNB304: 'a weights file that does not fit the network',
  BPNB305: 'numbers that left the finite range (training or an update diverged)',
  BPNB306: 'a network or training run that needs more memory than the limit',
  BPNB307: 'a network or training setting the engine refuses (a batch size, a combination)',
} as const;

export type RunCode = keyof typeof RUN_CODES;

/** A user's mistake is one of these codes; anything else thrown while running is a bug. */
export type ErrorCode = RunCode | DiagnosticCode;

export { INTERNAL_CODE };

/** A failure of one statement: stops the cell and points at the statement (or a part of it). */
export class StatementError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly span?: Span,
  ) {
    super(message);
  }
}

/** The code of an error value the engine returned (createNetwork, createTrainer). */
export function engineErrorCode(e: EngineError): RunCode {
  return e.code === 'too-large' ? 'BPNB306' : 'BPNB307';
}

/** "1 row", "2 rows": a count and its word in a message. */
export function plural(n: number, word: string): string {
  return `${n} ${pluralWord(n, word)}`;
}

/** The word a count takes: "row" for 1, "rows" for any other count (0.5 rows too). */
export function pluralWord(n: number, word: string): string {
  return n === 1 ? word : `${word}s`;
}

/**
 * A number in a message: formatNumber with up to 10 significant digits, or more when the digits
 * setting (`bpnb run --digits N`) asks for more; never fewer, since a message states a result in
 * a line. The same exponent rule as the tables: 1e-6, not 0.000001; 1.844674407e+19, not
 * 18446744070000000000 (zeros that were never digits).
 */
export function fmt(v: number): string {
  return formatNumber(v, Math.max(MESSAGE_DIGITS, displayDigits()));
}

/** The fewest significant digits a number in a message has. */
export const MESSAGE_DIGITS = 10;

/**
 * What a stopped cell says, in VS Code, in files written by `bpnb run --write` and on the terminal.
 */
export const STOPPED_TEXT = 'Stopped by the user.';

/** What an internal error says first: it is ours, and how to report it. */
export const INTERNAL_TEXT =
  'internal error (a bug in Backprop Notebook, not a mistake in this cell; please report it with ' +
  'the details below)';

/**
 * The error output of a run (VS Code's error renderer, files written by `bpnb run --write`): one
 * line per error, naming line and column; an internal error is named so and carries its stack.
 * Undefined when there are no errors.
 */
export function errorOutput(
  run: CellRun,
): { name: string; message: string; stack: string } | undefined {
  const errors = run.problems.filter((p) => p.severity === 'error');
  if (!errors.length) return undefined;
  const internal = errors.find((p) => p.code === INTERNAL_CODE);
  return {
    name: internal ? 'Internal error' : 'Cell error',
    message: errors.map(problemLine).join('\n'),
    // VS Code's error renderer shows the stack alone when there is one, so it starts with the
    // message
    stack: internal
      ? `Internal error: ${errors.map(problemLine).join('\n')}\n${internal.stack ?? ''}`
      : '',
  };
}

function problemLine(p: CellProblem): string {
  return `line ${p.line}, column ${p.column}: ${p.message} [${p.code}]`;
}
