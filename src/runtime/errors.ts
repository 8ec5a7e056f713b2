import type { Span } from '../language/ast';

/** A failure of one statement: stops the cell and points at the statement (or a part of it). */
export class StatementError extends Error {
  constructor(message: string, readonly span?: Span) {
    super(message);
  }
}

/** A number in a message: up to 10 significant digits. */
export function fmt(v: number): string {
  return Number.isFinite(v) ? String(Number(v.toPrecision(10))) : String(v);
}
