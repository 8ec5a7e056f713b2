/** `explain` and `gradcheck`: the chain rule with numbers, and central finite differences. */
import { GRADCHECK_ATOL, gradcheck } from '../engine/gradcheck';
import type * as ast from '../language/ast';
import { GRADCHECK_DEFAULTS } from '../language/vocabulary';
import { encodeNumber } from '../protocol/results';
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

/** A gradcheck row whose E(p ± ε) is not finite: nothing was tested there. */
const NOT_FINITE = 'E(p ± ε) not finite';

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
    !p.finite ? NOT_FINITE : p.kink ? 'kink' : p.pass ? 'ok' : 'FAIL',
  ]);
  ctx.items.push(
    table(
      'gradient check (central differences)',
      ['parameter', 'analytic ∂E/∂p', 'numeric', '|difference|', 'allowed |difference|', ''],
      rows,
      `passes when |analytic − numeric| ≤ ${fmt(GRADCHECK_ATOL)} + ${fmt(tol)}` +
        `·|numeric| + the rounding allowance of E (see docs/language.md, gradcheck); "kink": a ` +
        `ReLU-like unit changes side within ±ε, where E is not differentiable, so the ` +
        `difference tests nothing; "${NOT_FINITE}": E(p + ε) or E(p − ε) is not a finite ` +
        `number, so the difference tests nothing`,
    ),
  );
  const kinks = result.params.filter((p) => p.kink).length;
  const unchecked = result.params.filter((p) => !p.finite).length;
  const failed = result.params.filter((p) => p.finite && !p.kink && !p.pass).length;
  const checked = result.params.length - kinks - unchecked;
  // a row E is not finite at did not fail: the check is incomplete, not failed, unless one did
  const verdict = result.pass ? 'passed' : failed ? 'FAILED' : 'incomplete';
  ctx.items.push({
    kind: 'message',
    level: result.pass ? 'info' : 'error',
    text: plain(
      `gradcheck ${verdict}: ${checked - failed} of ${checked} ` +
        `parameters agree` +
        `${kinks ? `; ${kinks} at a kink (not differentiable within ±ε, not checked)` : ''}` +
        `${unchecked ? `; ${unchecked} not checked: E is not finite at p ± ε` : ''}; ` +
        `largest relative error ${fmt(result.maxRelError)}`,
    ),
  });
  if (!result.pass) ctx.expectations.failed++;
}
