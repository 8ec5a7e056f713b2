/**
 * "Check my derivative": a derivative a learner worked out by hand, compared
 * with the exact one (reverse mode over the expression, expressionTape.ts)
 * over a dense range of inputs plus the awkward points: 0, tiny and large
 * ±, and the kinks, located where a switch's argument (relu, abs, max, …)
 * crosses 0. At a kink the derivative is not defined; there a hand-derived
 * value equal to either one-sided limit is accepted (and said so).
 */
import type { ExpressionTape } from './expressionTape';

export interface DerivativePoint {
  /** the arguments of the function (z; or a, t) */
  at: number[];
  claimed: number;
  exact: number;
  /** |claimed − exact| (NaN when one of them is not a number) */
  difference: number;
}

export interface KinkPoint extends DerivativePoint {
  /** the exact derivative just left and just right of the kink */
  left: number;
  right: number;
  /** claimed equals the exact value or one of the one-sided limits */
  accepted: boolean;
}

export interface DerivativeCheckResult {
  /** which argument the derivative is taken with respect to */
  param: string;
  /** how many points were compared */
  compared: number;
  /** points where the function itself is not finite (outside its domain), left out */
  skipped: number;
  agree: boolean;
  /**
   * the first point (in the order: dense range left to right, then the awkward points) where they
   * differ
   */
  first?: DerivativePoint;
  /** the point of largest relative difference */
  worst?: DerivativePoint;
  kinks: KinkPoint[];
}

export interface DerivativeCheckOptions {
  /** the dense range of the checked argument (default −10 … 10) */
  from?: number;
  to?: number;
  /** points in the dense range (default 4001) */
  points?: number;
  /** relative tolerance (default 1e-9, against max(1, |exact|)) */
  rtol?: number;
  /** values of the other arguments (e.g. t of a loss), one check per value (default [0, 0.5, 1]) */
  others?: number[][];
}

/** Tiny, unit and large magnitudes of both signs, and 0. */
export const AWKWARD_POINTS = [
  0, 1e-12, -1e-12, 1e-6, -1e-6, 1, -1, 50, -50, 100, -100, 1e3, -1e3, 1e6, -1e6,
];

/** The defaults of a check (the PyTorch export repeats the check with them). */
export const CHECK_DEFAULTS = {
  from: -10,
  to: 10,
  points: 4001,
  rtol: 1e-9,
  others: [[0], [0.5], [1]],
  /**
   * at a kink: the one-sided limits are taken at x ± kinkStep·max(1, |x|), and match within
   * kinkRtol
   */
  kinkStep: 1e-7,
  kinkRtol: 1e-5,
} as const;

export function checkDerivative(
  f: ExpressionTape,
  claimed: ExpressionTape,
  param: number,
  opts: DerivativeCheckOptions = {},
): DerivativeCheckResult {
  const from = opts.from ?? CHECK_DEFAULTS.from;
  const to = opts.to ?? CHECK_DEFAULTS.to;
  const n = Math.max(2, opts.points ?? CHECK_DEFAULTS.points);
  const rtol = opts.rtol ?? CHECK_DEFAULTS.rtol;
  const othersList =
    f.params.length > 1 ? (opts.others ?? CHECK_DEFAULTS.others.map((o) => [...o])) : [[]];
  const grad = new Float64Array(f.params.length);
  const argsAt = (x: number, rest: number[]): number[] => {
    const args = [...rest];
    args.splice(param, 0, x);
    return args;
  };
  const exactAt = (args: number[]): number => {
    f.gradient(args, grad);
    return grad[param];
  };
  const result: DerivativeCheckResult = {
    param: f.params[param],
    compared: 0,
    skipped: 0,
    agree: true,
    kinks: [],
  };
  let worstRel = -1;
  const done = new Set<string>();
  const record = (point: DerivativePoint, same: boolean): void => {
    result.compared++;
    if (!same) {
      result.agree = false;
      result.first ??= point;
    }
    const rel = Number.isNaN(point.difference)
      ? Infinity
      : point.difference / Math.max(1, Math.abs(point.exact));
    if (rel > worstRel) {
      worstRel = rel;
      result.worst = point;
    }
  };
  const compare = (args: number[], kink: boolean): void => {
    const key = args.join(',');
    if (done.has(key)) return;
    done.add(key);
    if (!Number.isFinite(f.value(args))) {
      result.skipped++;
      return;
    }
    const exact = exactAt(args);
    const mine = claimed.value(args);
    const point = { at: args, claimed: mine, exact, difference: Math.abs(mine - exact) };
    const near = (p: number, q: number, tol: number): boolean =>
      Object.is(p, q) || Math.abs(p - q) <= tol * Math.max(1, Math.abs(q));
    if (!kink && !f.switchArguments(args).includes(0))
      return record(point, near(mine, exact, rtol));
    // at a kink: the exact value (PyTorch's convention) or either one-sided limit
    const x = args[param];
    const h = CHECK_DEFAULTS.kinkStep * Math.max(1, Math.abs(x));
    const left = exactAt(argsAt(x - h, rest(args)));
    const right = exactAt(argsAt(x + h, rest(args)));
    const accepted =
      near(mine, exact, rtol) ||
      near(mine, left, CHECK_DEFAULTS.kinkRtol) ||
      near(mine, right, CHECK_DEFAULTS.kinkRtol);
    result.kinks.push({ ...point, left, right, accepted });
    record(point, accepted);
  };
  const rest = (args: number[]): number[] => args.filter((_, k) => k !== param);
  for (const others of othersList) {
    const grid = Array.from({ length: n }, (_, i) => from + ((to - from) * i) / (n - 1));
    grid.forEach((x) => compare(argsAt(x, others), false));
    AWKWARD_POINTS.forEach((x) => compare(argsAt(x, others), false));
    for (const x of kinksOf(f, grid, (v) => argsAt(v, others))) compare(argsAt(x, others), true);
  }
  return result;
}

/**
 * Where a switch argument of f changes sign between grid points, located by bisection (at most 20
 * kinks).
 */
function kinksOf(f: ExpressionTape, grid: number[], args: (x: number) => number[]): number[] {
  const found: number[] = [];
  let before = f.switchArguments(args(grid[0]));
  for (let i = 1; i < grid.length && found.length < 20; i++) {
    const now = f.switchArguments(args(grid[i]));
    now.forEach((s, k) => {
      const p = before[k];
      if (p === 0 && i === 1) found.push(grid[0]);
      if (s === 0) found.push(grid[i]);
      else if (
        p !== 0 &&
        Math.sign(p) !== Math.sign(s) &&
        Number.isFinite(p) &&
        Number.isFinite(s)
      ) {
        let lo = grid[i - 1];
        let hi = grid[i];
        for (let it = 0; it < 80 && hi - lo > 0; it++) {
          const mid = (lo + hi) / 2;
          if (mid === lo || mid === hi) break;
          const m = f.switchArguments(args(mid))[k];
          if (m === 0) {
            lo = hi = mid;
            break;
          }
          if (Math.sign(m) === Math.sign(p)) lo = mid;
          else hi = mid;
        }
        found.push(
          Math.abs(f.switchArguments(args(lo))[k]) <= Math.abs(f.switchArguments(args(hi))[k])
            ? lo
            : hi,
        );
      }
    });
    before = now;
  }
  return [...new Set(found)].sort((p, q) => p - q);
}
