import { activationSlope, SOFTMAX } from './activations';
import type { LossKind } from './types';

/**
 * Per-sample losses and output-layer deltas, written once and shared by the recording
 * passes and by `explain`, so a derivation reproduces the recorded numbers bit for bit.
 * One sample's output values sit at z[offset..offset+n), a[…], t[…].
 */
export interface OutputSample {
  loss: LossKind;
  /** activation code of the output layer */
  act: number;
  alpha: number;
  /** weighted inputs of the output layer (logits) */
  z: Float64Array;
  /** outputs of the output layer */
  a: Float64Array;
  /** targets */
  t: Float64Array;
  offset: number;
  n: number;
  /** log Σ exp(z) of this sample (softmax output only) */
  logSumExp: number;
}

/** One output's binary cross-entropy from its logit z, stably: max(z,0) − z·t + log(1 + e^−|z|). */
export function binaryCrossEntropyTerm(z: number, t: number): number {
  return Math.max(z, 0) - z * t + Math.log1p(Math.exp(-Math.abs(z)));
}

/** This sample's loss E_s. */
export function sampleLoss(s: OutputSample): number {
  const { z, a, t, offset, n } = s;
  let sum = 0;
  switch (s.loss) {
    case 'half-squared':
    case 'mse':
      for (let j = 0; j < n; j++) {
        const e = a[offset + j] - t[offset + j];
        sum += e * e;
      }
      return s.loss === 'mse' ? sum / n : 0.5 * sum;
    case 'cross-entropy':
      // −Σ t·log softmax(z) = Σ t·(lse − z), never log of a rounded probability
      for (let j = 0; j < n; j++) sum += t[offset + j] * (s.logSumExp - z[offset + j]);
      return sum;
    case 'binary-cross-entropy':
      for (let j = 0; j < n; j++) sum += binaryCrossEntropyTerm(z[offset + j], t[offset + j]);
      return sum;
  }
}

/** ∂E_s/∂aj: the loss's slope in output j (squared-error losses only). */
export function lossSlope(loss: LossKind, a: number, t: number, n: number): number {
  return loss === 'mse' ? (2 / n) * (a - t) : a - t;
}

/** Σk ∂E_s/∂ak · ak: the term softmax couples every output through (squared-error losses). */
export function softmaxCoupling(s: OutputSample): number {
  let sum = 0;
  for (let k = 0; k < s.n; k++) {
    const a = s.a[s.offset + k];
    sum += lossSlope(s.loss, a, s.t[s.offset + k], s.n) * a;
  }
  return sum;
}

/** Σk tk of this sample (1 for one-hot targets). */
export function targetSum(s: OutputSample): number {
  let sum = 0;
  for (let k = 0; k < s.n; k++) sum += s.t[s.offset + k];
  return sum;
}

/** δj[n] = ∂E_s/∂zj[n] for output node j (0-based here) of this sample. */
export function outputDelta(s: OutputSample, j: number): number {
  const a = s.a[s.offset + j];
  const t = s.t[s.offset + j];
  if (s.loss === 'cross-entropy') return a * targetSum(s) - t; // softmax + cross-entropy
  if (s.loss === 'binary-cross-entropy') return a - t; // sigmoid + binary cross-entropy
  const slope = lossSlope(s.loss, a, t, s.n);
  if (s.act === SOFTMAX) return a * (slope - softmaxCoupling(s));
  return slope * activationSlope(s.act, a, s.alpha);
}
