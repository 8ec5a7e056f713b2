import type { Activation, ActivationKind } from './types';

/** Numeric codes for the hot loops (a switch on small integers is cheaper than on strings). */
export const IDENTITY = 0,
  SIGMOID = 1,
  TANH = 2,
  RELU = 3,
  LEAKY_RELU = 4,
  SOFTMAX = 5;

export function activationCode(kind: ActivationKind): number {
  switch (kind) {
    case 'identity':
      return IDENTITY;
    case 'sigmoid':
      return SIGMOID;
    case 'tanh':
      return TANH;
    case 'relu':
      return RELU;
    case 'leaky-relu':
      return LEAKY_RELU;
    case 'softmax':
      return SOFTMAX;
  }
}

export const DEFAULT_LEAKY_ALPHA = 0.01;

export function alphaOf(act: Activation): number {
  return act.kind === 'leaky-relu' ? (act.alpha ?? DEFAULT_LEAKY_ALPHA) : 0;
}

/** σ(z), stable for any z: never forms exp of a large positive number. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** g(z) for an element-wise activation (softmax is applied per sample, see softmaxInPlace). */
export function activate(code: number, z: number, alpha: number): number {
  switch (code) {
    case SIGMOID:
      return sigmoid(z);
    case TANH:
      return Math.tanh(z);
    case RELU:
      return z > 0 ? z : 0;
    case LEAKY_RELU:
      return z > 0 ? z : alpha * z;
    default:
      return z;
  }
}

/**
 * g'(z) for an element-wise activation, from the node's output a = g(z)
 * (identical to the formula in z: a>0 ⇔ z>0 for relu and leaky relu with α ≥ 0).
 */
export function activationSlope(code: number, a: number, alpha: number): number {
  switch (code) {
    case SIGMOID:
      return a * (1 - a);
    case TANH:
      return 1 - a * a;
    case RELU:
      return a > 0 ? 1 : 0;
    case LEAKY_RELU:
      return a > 0 ? 1 : alpha;
    default:
      return 1;
  }
}

/** Symbolic g'(z) in terms of a, for derivations: e.g. 'a1[2]·(1 − a1[2])'. */
export function slopeFormula(code: number, a: string, z: string, alpha: number): string {
  switch (code) {
    case SIGMOID:
      return `${a}·(1 − ${a})`;
    case TANH:
      return `1 − ${a}²`;
    case RELU:
      return `(${z} > 0 ? 1 : 0)`;
    case LEAKY_RELU:
      return `(${z} > 0 ? 1 : ${alpha})`;
    default:
      return '1';
  }
}

/**
 * Softmax of z[offset..offset+n) into a[offset..), stably (shifted by the maximum).
 * Returns log Σ exp(z) (the log-sum-exp), which the cross-entropy needs.
 */
export function softmaxInPlace(
  z: Float64Array,
  a: Float64Array,
  offset: number,
  n: number,
): number {
  let max = z[offset];
  for (let j = 1; j < n; j++) if (z[offset + j] > max) max = z[offset + j];
  let sum = 0;
  for (let j = 0; j < n; j++) {
    const e = Math.exp(z[offset + j] - max);
    a[offset + j] = e;
    sum += e;
  }
  const inv = 1 / sum;
  for (let j = 0; j < n; j++) a[offset + j] *= inv;
  return max + Math.log(sum);
}
