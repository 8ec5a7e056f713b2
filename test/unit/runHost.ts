/**
 * The run host of the unit tests that drive a Session: never cancelled, yields at once, time stands
 * at 0.
 */
import { strict as assert } from 'assert';
import type { Session } from '../../src/runtime/session';
import type { CellRun, RunHost } from '../../src/runtime/types';

export const host: RunHost = { isCancelled: () => false, yieldNow: async () => {}, now: () => 0 };

/** Runs a cell and fails the test, with its problems, unless it succeeded. */
export async function runOk(s: Session, text: string): Promise<CellRun> {
  const r = await s.runCell(text, host);
  assert.equal(r.ok, true, JSON.stringify(r.problems));
  return r;
}
