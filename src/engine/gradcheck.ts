import type { Network } from './network';
import { names } from './notation';
import { backward, forward, type Inputs } from './passes';

export interface GradcheckOptions {
  /** step of the central difference (default 1e-6) */
  eps?: number;
  /** relative tolerance, of |numeric| (default 1e-6) */
  rtol?: number;
  /** absolute tolerance, for gradients near zero (default 1e-9) */
  atol?: number;
}

/**
 * The rounding allowance: ROUNDING_ULPS units in the last place of E, over the 2ε of the
 * difference.
 */
export const ROUNDING_ULPS = 4;

/** The absolute part of a network gradcheck's tolerance (documented in docs/language.md). */
export const GRADCHECK_ATOL = 1e-9;

/**
 * An expression's gradcheck: the step h = step·max(1, |v|) of its central differences, and the
 * agreement |analytic − numeric| ≤ atol + rtol·max(|analytic|, |numeric|).
 */
export const GRAPH_GRADCHECK = { step: 1e-6, atol: 1e-7, rtol: 1e-5 } as const;

export interface ParamCheck {
  /** e.g. 'w11[1]' or 'b2[3]' */
  name: string;
  /** ∂E/∂(this parameter) from the backward pass */
  analytic: number;
  /** (E(p+ε) − E(p−ε)) / 2ε */
  numeric: number;
  /** |analytic − numeric|: what is compared with `allowed` */
  diff: number;
  /** |analytic − numeric| / max(|analytic|, |numeric|) (0 when both are 0) */
  relError: number;
  /**
   * the difference allowed: atol + rtol·|numeric| (PyTorch's gradcheck rule) + the rounding
   * allowance ROUNDING_ULPS·2⁻⁵²·(|E(p+ε)| + |E(p−ε)|)/2ε (what the difference of two rounded
   * losses cannot resolve, large when E is large)
   */
  allowed: number;
  /**
   * true when a ReLU-like unit (a kink at z = 0) changes side between p − ε and p + ε: E is not
   * differentiable there within ±ε, so the difference is no test of the gradient (not a failure)
   */
  kink: boolean;
  /** why the difference tested nothing (not checked, and not a pass); undefined when it did */
  untested?: Untested;
  /** tested, and |analytic − numeric| ≤ allowed or kink */
  pass: boolean;
}

/**
 * Why a central difference (f(p + h) − f(p − h)) / 2h says nothing about the gradient:
 * - 'not finite': f(p + h) or f(p − h) is not a finite number;
 * - 'step lost': p + h or p − h rounds to p (h is below the precision of p), so p did not move;
 * - 'change lost': f(p + h) = f(p − h), the difference is 0, while the gradient is larger than
 *   atol but within the rounding allowance: the change it predicts is lost in the rounding of f.
 */
export const UNTESTED = ['not finite', 'step lost', 'change lost'] as const;
export type Untested = (typeof UNTESTED)[number];

/** ROUNDING_ULPS·2⁻⁵²·(|f(p + h)| + |f(p − h)|)/2h: what the difference of two rounded f hides. */
export function roundingAllowance(up: number, down: number, h: number): number {
  return (ROUNDING_ULPS * Number.EPSILON * (Math.abs(up) + Math.abs(down))) / (2 * h);
}

/** Why the central difference of f at p with step h tests nothing, or undefined when it tests. */
export function untested(
  p: number,
  h: number,
  up: number,
  down: number,
  analytic: number,
  atol: number,
): Untested | undefined {
  if (!Number.isFinite(up) || !Number.isFinite(down)) return 'not finite';
  if (p + h === p || p - h === p) return 'step lost';
  const g = Math.abs(analytic);
  if (up === down && g > atol && g <= atol + roundingAllowance(up, down, h)) return 'change lost';
  return undefined;
}

export interface GradcheckResult {
  /**
   * E at the parameters as they are; when it is not finite no gradient can be checked (every
   * row is untested 'not finite' then, and the runtime says so instead of showing the rows)
   */
  loss: number;
  params: ParamCheck[];
  /** over the parameters tested and not at a kink */
  maxRelError: number;
  pass: boolean;
}

/** Which side of the kink every ReLU-like unit of a forward record is on (z > 0), as one string. */
function kinkSides(net: Network, fwd: ReturnType<typeof forward>): string {
  let out = '';
  for (let k = 2; k <= net.layerCount; k++) {
    const g = net.activationDefs[k - 2];
    if (g.shape !== 'element' || !g.kinkAtZero) continue;
    const z = fwd.z[k];
    for (let p = 0; p < z.length; p++) out += z[p] > 0 ? '+' : '-';
  }
  return out;
}

/**
 * Compares every analytic gradient with central finite differences of the loss (parameters restored
 * after).
 */
export function gradcheck(
  net: Network,
  x: Inputs,
  t: Inputs,
  opts: GradcheckOptions = {},
): GradcheckResult {
  const eps = opts.eps ?? 1e-6,
    rtol = opts.rtol ?? 1e-6,
    atol = opts.atol ?? 1e-9;
  const back = backward(net, forward(net, x), t);
  const lossAt = () => {
    const fwd = forward(net, x);
    return { loss: backward(net, fwd, t).loss, sides: kinkSides(net, fwd) };
  };
  const params: ParamCheck[] = [];
  const check = (values: Float64Array, p: number, analytic: number, name: string) => {
    const original = values[p];
    values[p] = original + eps;
    const plus = lossAt();
    values[p] = original - eps;
    const minus = lossAt();
    values[p] = original;
    const numeric = (plus.loss - minus.loss) / (2 * eps);
    const diff = Math.abs(analytic - numeric),
      scale = Math.max(Math.abs(analytic), Math.abs(numeric));
    const allowed = atol + rtol * Math.abs(numeric) + roundingAllowance(plus.loss, minus.loss, eps);
    const why = Number.isFinite(back.loss)
      ? untested(original, eps, plus.loss, minus.loss, analytic, atol)
      : 'not finite';
    const kink = !why && plus.sides !== minus.sides;
    params.push({
      name,
      analytic,
      numeric,
      diff,
      relError: scale === 0 ? 0 : diff / scale,
      allowed,
      kink,
      ...(why ? { untested: why } : {}),
      pass: !why && (kink || diff <= allowed),
    });
  };
  for (let m = 0; m < net.weights.length; m++) {
    const k = m + 1,
      nFrom = net.sizes[m],
      nTo = net.sizes[m + 1];
    for (let j = 0; j < nTo; j++)
      for (let i = 0; i < nFrom; i++)
        check(
          net.weights[m],
          j * nFrom + i,
          back.weightGrad[m][j * nFrom + i],
          names.w(k, i + 1, j + 1),
        );
    if (net.hasBias(k + 1))
      for (let j = 0; j < nTo; j++)
        check(net.biases[m], j, back.biasGrad[m][j], names.b(k + 1, j + 1));
  }
  let maxRelError = 0;
  for (const p of params)
    if (!p.kink && !p.untested) maxRelError = Math.max(maxRelError, p.relError);
  return { loss: back.loss, params, maxRelError, pass: params.every((p) => p.pass) };
}
