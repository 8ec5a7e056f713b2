import { softmaxInPlace, type ElementwiseActivation } from './activations';
import { outputDelta, sampleLoss, type OutputSample } from './losses';
import type { Network } from './network';
import type { Reduction } from './types';

/**
 * One sample (a flat list of numbers) or a batch (a list of samples, or a flat list of m·width
 * numbers).
 */
export type Inputs = ArrayLike<number> | ArrayLike<ArrayLike<number>>;

/** Rows of a batch, sample-major: value v of sample s is data[(s-1)·width + (v-1)]. */
export interface Rows {
  data: Float64Array;
  rows: number;
}

/** Copies inputs into sample-major rows; throws RangeError when the width does not fit. */
export function toRows(input: Inputs, width: number, what = 'input'): Rows {
  if (input.length > 0 && typeof input[0] !== 'number') {
    const samples = input as ArrayLike<ArrayLike<number>>;
    const data = new Float64Array(samples.length * width);
    for (let s = 0; s < samples.length; s++) {
      const row = samples[s];
      if (row.length !== width)
        throw new RangeError(
          `${what} ${s + 1} has ${row.length} values, the network needs ${width}`,
        );
      for (let v = 0; v < width; v++) data[s * width + v] = row[v];
    }
    return { data, rows: samples.length };
  }
  const flat = input as ArrayLike<number>;
  if (flat.length === 0 || flat.length % width !== 0) {
    throw new RangeError(
      `${what} has ${flat.length} values, the network needs a multiple of ${width}`,
    );
  }
  return { data: Float64Array.from(flat), rows: flat.length / width };
}

/**
 * Everything the forward pass computed, per sample. Indexed by LAYER NUMBER k (1..n, index 0
 * unused): zj[k] of sample s is z[k][(s-1)·n_k + (j-1)]; likewise a. Layer 1 has no z (z[1] is
 * empty) and a[1] = x.
 */
export interface ForwardRecord {
  batchSize: number;
  /** zj[k]: weighted input of node j[k] */
  z: Float64Array[];
  /** aj[k]: output of node j[k]; a[1] holds the inputs xj */
  a: Float64Array[];
  /** per sample, log Σj exp(zj[n]) of the output layer (softmax outputs; 0 otherwise) */
  logSumExp: Float64Array;
}

/** Runs the network on one sample or a batch, recording z and a of every node. */
export function forward(net: Network, x: Inputs): ForwardRecord {
  const inputs = toRows(x, net.sizes[0]);
  const batch = inputs.rows;
  const n = net.layerCount;
  const z: Float64Array[] = [new Float64Array(0), new Float64Array(0)];
  const a: Float64Array[] = [new Float64Array(0), inputs.data];
  const logSumExp = new Float64Array(batch);
  for (let k = 2; k <= n; k++) {
    const nFrom = net.sizes[k - 2],
      nTo = net.sizes[k - 1];
    const w = net.weights[k - 2],
      b = net.biases[k - 2];
    const g = net.activationDefs[k - 2],
      alpha = net.alphas[k - 2];
    const prev = a[k - 1];
    const zk = new Float64Array(batch * nTo),
      ak = new Float64Array(batch * nTo);
    for (let s = 0; s < batch; s++) {
      for (let j = 0; j < nTo; j++) {
        let sum = b[j];
        for (let i = 0; i < nFrom; i++) sum += w[j * nFrom + i] * prev[s * nFrom + i];
        zk[s * nTo + j] = sum;
        if (g.shape === 'element') ak[s * nTo + j] = g.value(sum, alpha);
      }
      if (g.shape === 'softmax') logSumExp[s] = softmaxInPlace(zk, ak, s * nTo, nTo);
    }
    z.push(zk);
    a.push(ak);
  }
  return { batchSize: batch, z, a, logSumExp };
}

/**
 * Everything the backward pass computed. delta is indexed by layer number like ForwardRecord
 * (δj[k] of sample s at delta[k][(s-1)·n_k + (j-1)], delta[0] and delta[1] empty);
 * weightGrad and biasGrad are laid out like Network.weights and Network.biases (index k-1).
 */
export interface BackwardRecord {
  batchSize: number;
  lossKind: string;
  reduction: Reduction;
  /** the batch loss E: mean (or sum) of the per-sample losses */
  loss: number;
  /** E_s of every sample */
  sampleLosses: Float64Array;
  /** targets as rows (sample-major) */
  targets: Float64Array;
  /** δj[k] = ∂E_s/∂zj[k], per sample, of that sample's own loss E_s */
  delta: Float64Array[];
  /** ∂E/∂wij[k] of the batch loss E, at weightGrad[k-1][(j-1)·n_k + (i-1)] */
  weightGrad: Float64Array[];
  /** ∂E/∂bj[k] of the batch loss E, at biasGrad[k-2][j-1] (zeros for layers without biases) */
  biasGrad: Float64Array[];
  /** the weights each δ was propagated through (a copy: the weights before any update) */
  weightsUsed: Float64Array[];
}

export interface BackwardOptions {
  /** overrides the spec's reduction */
  reduction?: Reduction;
}

/** The output of a forward record as the loss helpers read one sample. */
export function outputSample(
  net: Network,
  fwd: ForwardRecord,
  targets: Float64Array,
  s: number,
): OutputSample {
  const n = net.layerCount,
    m = n - 2;
  const width = net.sizes[n - 1];
  return {
    loss: net.lossDef,
    act: net.activationDefs[m],
    alpha: net.alphas[m],
    z: fwd.z[n],
    a: fwd.a[n],
    t: targets,
    offset: s * width,
    n: width,
    logSumExp: fwd.logSumExp[s],
    node: net.lossNode,
  };
}

/** The element-wise activation of hidden layer k (validation allows softmax only on the output). */
export function hiddenActivation(net: Network, k: number): ElementwiseActivation {
  const g = net.activationDefs[k - 2];
  if (g.shape !== 'element') throw new TypeError(`layer L${k}: ${g.kind} on a hidden layer`);
  return g;
}

/** The factor turning a sum over samples into the reduced batch value: 1/m for mean, 1 for sum. */
export function reduce(sum: number, batch: number, reduction: Reduction): number {
  return reduction === 'mean' ? sum / batch : sum;
}

/** ∂E/∂wij[k] from the per-sample deltas: reduce(Σs δj[k+1]·ai[k]). Shared with explain. */
export function weightGradOf(
  fwd: ForwardRecord,
  delta: Float64Array[],
  sizes: readonly number[],
  k: number,
  i: number,
  j: number,
  reduction: Reduction,
): number {
  const nFrom = sizes[k - 1],
    nTo = sizes[k];
  let sum = 0;
  for (let s = 0; s < fwd.batchSize; s++)
    sum += delta[k + 1][s * nTo + j] * fwd.a[k][s * nFrom + i];
  return reduce(sum, fwd.batchSize, reduction);
}

/** ∂E/∂bj[k] = reduce(Σs δj[k]). Shared with explain. */
export function biasGradOf(
  fwd: ForwardRecord,
  delta: Float64Array[],
  sizes: readonly number[],
  k: number,
  j: number,
  reduction: Reduction,
): number {
  const nTo = sizes[k - 1];
  let sum = 0;
  for (let s = 0; s < fwd.batchSize; s++) sum += delta[k][s * nTo + j];
  return reduce(sum, fwd.batchSize, reduction);
}

/**
 * ∂E_s/∂ai[k] of node i (0-based) in sample s, of that sample's own loss E_s: Σj wij[k]·δj[k+1]
 * through the weights δ was propagated with, or for the output layer the loss's slope. k = 1 gives
 * ∂E_s/∂xi. Shared with explain.
 */
export function activationGradOf(
  net: Network,
  fwd: ForwardRecord,
  back: BackwardRecord,
  k: number,
  i: number,
  s: number,
): number {
  if (k === net.layerCount) return net.lossDef.slope(outputSample(net, fwd, back.targets, s), i);
  const nFrom = net.sizes[k - 1];
  return backpropSum(back.weightsUsed[k - 1], back.delta[k + 1], nFrom, net.sizes[k], s, i);
}

/** Σj wij[k]·δj[k+1] for node i (0-based) of sample s. Shared with explain. */
export function backpropSum(
  weights: Float64Array,
  delta: Float64Array,
  nFrom: number,
  nTo: number,
  s: number,
  i: number,
): number {
  let sum = 0;
  for (let j = 0; j < nTo; j++) sum += weights[j * nFrom + i] * delta[s * nTo + j];
  return sum;
}

/**
 * Runs backward; `beforePropagating(m)` is called after the gradients of weights[m] are known and
 * before δ is propagated through them (the teaching switch updates there; normally nothing
 * happens).
 */
function runBackward(
  net: Network,
  fwd: ForwardRecord,
  target: Inputs,
  reduction: Reduction,
  beforePropagating?: (m: number, back: BackwardRecord) => void,
): BackwardRecord {
  const n = net.layerCount;
  const targets = toRows(target, net.sizes[n - 1], 'target');
  const batch = fwd.batchSize;
  if (targets.rows !== batch) throw new RangeError(`${targets.rows} targets for ${batch} samples`);
  const delta: Float64Array[] = [new Float64Array(0), new Float64Array(0)];
  for (let k = 2; k <= n; k++) delta.push(new Float64Array(batch * net.sizes[k - 1]));
  const back: BackwardRecord = {
    batchSize: batch,
    lossKind: net.spec.loss,
    reduction,
    loss: 0,
    sampleLosses: new Float64Array(batch),
    targets: targets.data,
    delta,
    weightGrad: net.weights.map((w) => new Float64Array(w.length)),
    biasGrad: net.biases.map((b) => new Float64Array(b.length)),
    weightsUsed: net.weights.map(() => new Float64Array(0)),
  };
  const width = net.sizes[n - 1];
  let lossSum = 0;
  for (let s = 0; s < batch; s++) {
    const out = outputSample(net, fwd, targets.data, s);
    back.sampleLosses[s] = sampleLoss(out);
    lossSum += back.sampleLosses[s];
    for (let j = 0; j < width; j++) delta[n][s * width + j] = outputDelta(out, j);
  }
  back.loss = reduce(lossSum, batch, reduction);
  for (let k = n - 1; k >= 1; k--) {
    const m = k - 1,
      nFrom = net.sizes[k - 1],
      nTo = net.sizes[k];
    for (let j = 0; j < nTo; j++) {
      for (let i = 0; i < nFrom; i++)
        back.weightGrad[m][j * nFrom + i] = weightGradOf(fwd, delta, net.sizes, k, i, j, reduction);
      if (net.hasBias(k + 1))
        back.biasGrad[m][j] = biasGradOf(fwd, delta, net.sizes, k + 1, j, reduction);
    }
    beforePropagating?.(m, back);
    back.weightsUsed[m] = Float64Array.from(net.weights[m]);
    if (k === 1) break;
    const g = hiddenActivation(net, k);
    const alpha = net.alphas[k - 2];
    for (let s = 0; s < batch; s++) {
      for (let i = 0; i < nFrom; i++) {
        const p = s * nFrom + i;
        const slope = g.slope(fwd.z[k][p], fwd.a[k][p], alpha);
        delta[k][s * nFrom + i] =
          slope * backpropSum(back.weightsUsed[m], delta[k + 1], nFrom, nTo, s, i);
      }
    }
  }
  return back;
}

/**
 * Backward pass from a forward record and targets: every δ, ∂E/∂w and ∂E/∂b, with the current
 * (pre-update) weights.
 */
export function backward(
  net: Network,
  fwd: ForwardRecord,
  target: Inputs,
  opts: BackwardOptions = {},
): BackwardRecord {
  return runBackward(net, fwd, target, opts.reduction ?? net.reduction);
}

/**
 * Old and new value of every parameter after a gradient-descent step (layout of
 * Network.weights/biases).
 */
export interface UpdateRecord {
  /** learning rate η */
  lr: number;
  oldWeights: Float64Array[];
  newWeights: Float64Array[];
  oldBiases: Float64Array[];
  newBiases: Float64Array[];
  /** the step taken, −η·∂E/∂w, for every parameter updated (0 where frozen) */
  weightSteps: Float64Array[];
  biasSteps: Float64Array[];
  /** 1 = frozen when the update ran: not updated, no step (copies of the network's masks then) */
  frozenWeights: Uint8Array[];
  frozenBiases: Uint8Array[];
}

export interface UpdateOptions {
  /** learning rate η */
  lr: number;
}

function emptyUpdate(net: Network, lr: number): UpdateRecord {
  return {
    lr,
    oldWeights: net.weights.map((w) => Float64Array.from(w)),
    newWeights: net.weights.map((w) => Float64Array.from(w)),
    oldBiases: net.biases.map((b) => Float64Array.from(b)),
    newBiases: net.biases.map((b) => Float64Array.from(b)),
    weightSteps: net.weights.map((w) => new Float64Array(w.length)),
    biasSteps: net.biases.map((b) => new Float64Array(b.length)),
    frozenWeights: net.frozenWeights.map((f) => f.slice()),
    frozenBiases: net.frozenBiases.map((f, m) => (net.hasBias(m + 2) ? f.slice() : f.map(() => 1))),
  };
}

/**
 * wij[k] ← wij[k] − η·∂E/∂wij[k] (and bj[k] likewise) for weight matrix m; frozen parameters stay.
 */
function updateMatrix(net: Network, back: BackwardRecord, m: number, record: UpdateRecord): void {
  const w = net.weights[m],
    gw = back.weightGrad[m],
    fw = net.frozenWeights[m];
  const sw = record.weightSteps[m];
  record.oldWeights[m].set(w);
  for (let p = 0; p < w.length; p++)
    if (fw[p] === 0) {
      sw[p] = -(record.lr * gw[p]);
      w[p] = w[p] + sw[p];
    }
  record.newWeights[m].set(w);
  const b = net.biases[m],
    gb = back.biasGrad[m],
    fb = net.frozenBiases[m];
  const sb = record.biasSteps[m];
  record.oldBiases[m].set(b);
  if (net.hasBias(m + 2))
    for (let p = 0; p < b.length; p++)
      if (fb[p] === 0) {
        sb[p] = -(record.lr * gb[p]);
        b[p] = b[p] + sb[p];
      }
  record.newBiases[m].set(b);
}

/** Gradient descent on every unfrozen parameter with the gradients of a backward record. */
export function update(net: Network, back: BackwardRecord, opts: UpdateOptions): UpdateRecord {
  const record = emptyUpdate(net, opts.lr);
  for (let m = 0; m < net.weights.length; m++) updateMatrix(net, back, m, record);
  return record;
}

export interface BackwardAndUpdateOptions extends UpdateOptions, BackwardOptions {
  /**
   * Teaching switch, off by default: reproduce the classic MISTAKE of updating the weights into
   * layer k+1 before propagating δ through them into layer k (the seed warns against this).
   */
  updateBeforePropagating?: boolean;
}

/**
 * backward then update; with updateBeforePropagating, the wrong interleaved order, for comparison.
 */
export function backwardAndUpdate(
  net: Network,
  fwd: ForwardRecord,
  target: Inputs,
  opts: BackwardAndUpdateOptions,
): { back: BackwardRecord; upd: UpdateRecord } {
  const reduction = opts.reduction ?? net.reduction;
  if (!opts.updateBeforePropagating) {
    const back = runBackward(net, fwd, target, reduction);
    return { back, upd: update(net, back, opts) };
  }
  const upd = emptyUpdate(net, opts.lr);
  const back = runBackward(net, fwd, target, reduction, (m, partial) =>
    updateMatrix(net, partial, m, upd),
  );
  return { back, upd };
}
