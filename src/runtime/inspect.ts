/** `explain` and `gradcheck`: the chain rule with numbers, and central finite differences. */
import { GRADCHECK_ATOL, gradcheck, UNTESTED, type Untested } from '../engine/gradcheck';
import type * as ast from '../language/ast';
import { GRADCHECK_DEFAULTS } from '../language/vocabulary';
import { encodeNumber, type ResultItem } from '../protocol/results';
import { table } from './present';
import { StatementError, fmt } from './errors';
import type { Ctx, NetState } from './state';
import { explainQuantity } from './derive';
import { plain } from '../protocol/text';

/**
 * The chain-rule derivation of a gradient or delta, from the last recorded passes (see derive.ts).
 */
export function runExplain(st: NetState, s: ast.ExplainStatement, ctx: Ctx): void {
  const q = s.quantity;
  if (q.kind === 'weight' || q.kind === 'bias')
    throw new StatementError(
      'BPNB122',
      `explain works on gradients and deltas (dE/dw11[1], dE/db1[2], δ1[2], dE/da1[2], dE/dx1), ` +
        `not ${q.text}`,
      q.span,
    );
  const item = explainQuantity(st, q);
  if (typeof item === 'string') throw new StatementError('BPNB301', item, q.span);
  ctx.items.push(item);
}

/**
 * A gradcheck row whose difference tested nothing (engine/gradcheck.ts, Untested), in words, for
 * f of a value p moved by ±h: the row's label, and what it means (for the table's note).
 */
export function untestedWords(
  why: Untested,
  f: string,
  p: string,
  h: string,
): { label: string; meaning: string } {
  if (why === 'not finite')
    return {
      label: `${f}(${p} ± ${h}) not finite`,
      meaning:
        `${f}(${p} + ${h}) or ${f}(${p} − ${h}) is not a finite number, so the difference tests ` +
        `nothing`,
    };
  if (why === 'step lost')
    return {
      label: `${p} ± ${h} rounds to ${p}`,
      meaning: `${h} is below the precision of ${p}, so ${p} did not move`,
    };
  return {
    label: `${f}(${p} + ${h}) rounds to ${f}(${p} − ${h})`,
    meaning: `${f} changed by less than its rounding, so the difference is 0 whatever the gradient`,
  };
}

/**
 * The note's words for the untested rows, each kind once ('; "label": meaning, …'), and the
 * summary's count of them ('; 1 not checked: label').
 */
export function untestedNotes(
  whys: readonly (Untested | undefined)[],
  f: string,
  p: string,
  h: string,
): { note: string; summary: string } {
  let note = '',
    summary = '';
  for (const why of UNTESTED) {
    const n = whys.filter((w) => w === why).length;
    if (!n) continue;
    const { label, meaning } = untestedWords(why, f, p, h);
    note += `; "${label}": ${meaning} (not checked)`;
    summary += `; ${n} not checked: ${label}`;
  }
  return { note, summary };
}

/**
 * A gradcheck's verdict line: "passed", "FAILED" when a checked row disagrees, else "incomplete"
 * (rows not checked and none failed), with the counts; the largest relative error only when a row
 * was checked.
 */
/** What a gradcheck row that agrees says in its last column. */
const AGREES = 'ok';

/** A gradcheck row's last column: why it was not checked, a kink, ok or FAIL. */
export function gradcheckStatus(
  untested: string | undefined,
  kink: boolean,
  pass: boolean,
): string {
  return untested ?? (kink ? 'kink' : pass ? AGREES : 'FAIL');
}

/** How many rows of a gradcheck table agree. */
export function agreeing(rows: readonly (readonly unknown[])[]): number {
  return rows.filter((r) => r[r.length - 1] === AGREES).length;
}

export function gradcheckVerdict(
  what: string,
  noun: string,
  step: string,
  pass: boolean,
  c: {
    rows: number;
    kinks: number;
    untested: number;
    failed: number;
    summary: string;
    maxRelError: number;
  },
): ResultItem {
  const checked = c.rows - c.kinks - c.untested;
  const kinks = `; ${c.kinks} at a kink (not differentiable within ±${step}, not checked)`;
  return {
    kind: 'message',
    level: pass ? 'info' : 'error',
    text: plain(
      `${what} ${pass ? 'passed' : c.failed ? 'FAILED' : 'incomplete'}: ` +
        `${checked - c.failed} of ${checked} ${noun} agree` +
        `${c.kinks ? kinks : ''}` +
        `${c.summary}` +
        `${checked ? `; largest relative error ${fmt(c.maxRelError)}` : ''}`,
    ),
  };
}

/** Central finite differences for every parameter, with a verdict. */
export function runGradcheck(
  st: NetState,
  x: number[] | number[][],
  t: number[] | number[][],
  s: ast.GradcheckStatement,
  ctx: Ctx,
): void {
  const tol = s.tol ?? GRADCHECK_DEFAULTS.tol;
  const result = gradcheck(st.net, x, t, {
    eps: s.eps ?? GRADCHECK_DEFAULTS.eps,
    rtol: tol,
    atol: GRADCHECK_ATOL,
  });
  ctx.expectations.total++;
  if (!Number.isFinite(result.loss)) {
    // no row can say anything: the check is not possible here, and no gradient is blamed
    ctx.items.push({
      kind: 'message',
      level: 'error',
      text: plain(
        `gradcheck cannot check the gradients here: E = ${fmt(result.loss)}, not a finite ` +
          `number, so central differences of E say nothing about them (nothing was compared); ` +
          `make E finite first, e.g. with smaller weights or inputs`,
      ),
    });
    ctx.expectations.failed++;
    return;
  }
  const rows = result.params.map((p) => [
    p.name,
    encodeNumber(p.analytic),
    encodeNumber(p.numeric),
    encodeNumber(p.diff),
    encodeNumber(p.allowed),
    gradcheckStatus(p.untested && untestedWords(p.untested, 'E', 'p', 'ε').label, p.kink, p.pass),
  ]);
  const untested = untestedNotes(
    result.params.map((p) => p.untested),
    'E',
    'p',
    'ε',
  );
  ctx.items.push(
    table(
      'gradient check (central differences)',
      ['parameter', 'analytic ∂E/∂p', 'numeric', '|difference|', 'allowed |difference|', ''],
      rows,
      `passes when |analytic − numeric| ≤ ${fmt(GRADCHECK_ATOL)} + ${fmt(tol)}` +
        `·|numeric| + the rounding allowance of E (see docs/language.md, gradcheck); "kink": a ` +
        `ReLU-like unit changes side within ±ε, where E is not differentiable, so the ` +
        `difference tests nothing${untested.note}`,
    ),
  );
  ctx.items.push(
    gradcheckVerdict('gradcheck', 'parameters', 'ε', result.pass, {
      kinks: result.params.filter((p) => p.kink).length,
      untested: result.params.filter((p) => p.untested).length,
      failed: result.params.filter((p) => !p.untested && !p.kink && !p.pass).length,
      rows: result.params.length,
      summary: untested.summary,
      maxRelError: result.maxRelError,
    }),
  );
  if (!result.pass) ctx.expectations.failed++;
}
