import { activationSlope, LEAKY_RELU, RELU, SIGMOID, SOFTMAX, TANH } from './activations';
import { binaryCrossEntropyTerm } from './losses';
import { denseBackprop, denseForward, denseWeightGrad } from './kernels';
import type { Network } from './network';
import type { Reduction } from './types';

/** a ← σ(z) as in activations.sigmoid (1/(1+e^−z) for z ≥ 0, e^z/(1+e^z) below), one exp shared by both arms */
function sigmoidInto(z: Float64Array, a: Float64Array, len: number): void {
  for (let p = 0; p < len; p++) {
    const v = z[p], e = Math.exp(-Math.abs(v));
    a[p] = (v >= 0 ? 1 : e) / (1 + e);
  }
}

/**
 * The fast path: forward, backward and plain updates on a network with buffers allocated once
 * for a batch capacity; records nothing per node. Training uses this; the recording passes
 * (forward/backward in passes.ts) compute the same quantities for display.
 * It reads and writes net.weights / net.biases directly.
 */
export class FastNet {
  readonly net: Network;
  private readonly sizes: number[];
  private readonly matrices: number;
  private capacity = 0;
  /** outputs a of layer m+2 (after the activation), per sample */
  private outputs: Float64Array[] = [];
  /** z of the output layer (logits), per sample */
  private logits = new Float64Array(0);
  /** log Σ exp(z) of the output layer, per sample (softmax) */
  private logSumExp = new Float64Array(0);
  /** ∂E_s/∂z of layer m+2 for each sample s (δ before the batch mean, as in the recording passes) */
  readonly deltas: Float64Array[] = [];
  /** ∂E/∂w of weights[m] (layout of Network.weights) */
  readonly weightGrad: Float64Array[];
  /** ∂E/∂b of biases[m] (zeros for layers without biases) */
  readonly biasGrad: Float64Array[];
  private live = new Int32Array(0);
  /** per weight matrix: whether its layer has biases */
  private readonly hasBias: boolean[];
  /** net.weights / net.biases / net.activationCodes, read once (the arrays are updated in place) */
  private readonly weights: Float64Array[];
  private readonly biases: Float64Array[];
  private readonly codes: Int32Array;
  private readonly reduction: Reduction;

  constructor(net: Network, capacity = 1) {
    this.net = net;
    this.sizes = net.sizes.slice();
    this.matrices = this.sizes.length - 1;
    this.weightGrad = net.weights.map((w) => new Float64Array(w.length));
    this.biasGrad = net.biases.map((b) => new Float64Array(b.length));
    this.hasBias = net.spec.bias.slice();
    this.weights = net.weights.slice();
    this.biases = net.biases.slice();
    this.codes = Int32Array.from(net.activationCodes);
    this.reduction = net.reduction;
    this.ensureCapacity(capacity);
  }

  /** grows the per-sample buffers to hold `rows` samples (allocates only when growing) */
  ensureCapacity(rows: number): void {
    if (rows <= this.capacity) return;
    this.outputs = [];
    this.deltas.length = 0;
    for (let m = 0; m < this.matrices; m++) {
      this.outputs.push(new Float64Array(rows * this.sizes[m + 1]));
      this.deltas.push(new Float64Array(rows * this.sizes[m + 1]));
    }
    this.logits = new Float64Array(rows * this.sizes[this.matrices]);
    this.logSumExp = new Float64Array(rows);
    this.live = new Int32Array(rows);
    this.capacity = rows;
  }

  /** forward pass over `rows` samples of x (sample-major); returns the output buffer (first rows·n_out values) */
  forward(x: Float64Array, rows: number): Float64Array {
    this.ensureCapacity(rows);
    const last = this.matrices - 1;
    let input = x;
    for (let m = 0; m < this.matrices; m++) {
      const nTo = this.sizes[m + 1];
      const out = this.outputs[m];
      const z = m === last ? this.logits : out;
      denseForward(input, rows, this.sizes[m], this.net.weights[m], this.net.biases[m], nTo, z);
      this.activateLayer(m, z, out, rows, nTo);
      input = out;
    }
    return this.outputs[last];
  }

  private activateLayer(m: number, z: Float64Array, a: Float64Array, rows: number, n: number): void {
    const code = this.net.activationCodes[m], alpha = this.net.alphas[m];
    const len = rows * n;
    switch (code) {
      case SIGMOID:
        sigmoidInto(z, a, len);
        return;
      case TANH: for (let p = 0; p < len; p++) a[p] = Math.tanh(z[p]); return;
      case RELU: for (let p = 0; p < len; p++) a[p] = z[p] > 0 ? z[p] : 0; return;
      case LEAKY_RELU: for (let p = 0; p < len; p++) a[p] = z[p] > 0 ? z[p] : alpha * z[p]; return;
      case SOFTMAX:
        for (let r = 0; r < rows; r++) {
          const o = r * n;
          let max = z[o];
          for (let j = 1; j < n; j++) if (z[o + j] > max) max = z[o + j];
          let sum = 0;
          for (let j = 0; j < n; j++) { const e = Math.exp(z[o + j] - max); a[o + j] = e; sum += e; }
          const inv = 1 / sum;
          for (let j = 0; j < n; j++) a[o + j] *= inv;
          this.logSumExp[r] = max + Math.log(sum);
        }
        return;
      default:
        if (z !== a) a.set(z.subarray(0, len));
    }
  }

  /**
   * Loss of the batch and the output deltas δ = ∂E_s/∂z per sample, with the same formulas and the
   * same order of operations as losses.ts (sampleLoss, outputDelta), so that the values are bit-identical.
   */
  private outputLoss(t: Float64Array, rows: number, reduction: Reduction): number {
    const m = this.matrices - 1, n = this.sizes[this.matrices];
    const a = this.outputs[m], z = this.logits, D = this.deltas[m];
    const code = this.codes[m], alpha = this.net.alphas[m];
    const kind = this.net.spec.loss;
    let lossSum = 0;
    for (let r = 0; r < rows; r++) {
      const o = r * n;
      let sum = 0;
      switch (kind) {
        case 'half-squared':
        case 'mse': {
          const mse = kind === 'mse', twoOverN = 2 / n;
          for (let j = 0; j < n; j++) { const e = a[o + j] - t[o + j]; sum += e * e; }
          lossSum += mse ? sum / n : 0.5 * sum;
          if (code === SOFTMAX) {
            let coupling = 0;
            for (let k = 0; k < n; k++) { const y = a[o + k]; coupling += (mse ? twoOverN * (y - t[o + k]) : y - t[o + k]) * y; }
            for (let j = 0; j < n; j++) { const y = a[o + j], e = y - t[o + j]; D[o + j] = y * ((mse ? twoOverN * e : e) - coupling); }
          } else if (code === SIGMOID) {
            for (let j = 0; j < n; j++) { const y = a[o + j], e = y - t[o + j]; D[o + j] = (mse ? twoOverN * e : e) * (y * (1 - y)); }
          } else {
            for (let j = 0; j < n; j++) { const y = a[o + j], e = y - t[o + j]; D[o + j] = (mse ? twoOverN * e : e) * activationSlope(code, y, alpha); }
          }
          break;
        }
        case 'cross-entropy': {
          const lse = this.logSumExp[r];
          let targetSum = 0;
          for (let j = 0; j < n; j++) sum += t[o + j] * (lse - z[o + j]);
          lossSum += sum;
          for (let k = 0; k < n; k++) targetSum += t[o + k];
          for (let j = 0; j < n; j++) D[o + j] = a[o + j] * targetSum - t[o + j];
          break;
        }
        case 'binary-cross-entropy':
          for (let j = 0; j < n; j++) { sum += binaryCrossEntropyTerm(z[o + j], t[o + j]); D[o + j] = a[o + j] - t[o + j]; }
          lossSum += sum;
          break;
      }
    }
    return reduction === 'mean' ? lossSum / rows : lossSum;
  }

  /**
   * G ← G / rows: the batch mean of the summed gradients, as passes.ts reduce does it (a division).
   * For a power-of-two batch, ×(1/rows) is exact and gives the same bits, and is cheaper.
   */
  private static meanOf(G: Float64Array, rows: number): void {
    const n = G.length;
    if ((rows & (rows - 1)) === 0) {
      const inv = 1 / rows;
      for (let p = 0; p < n; p++) G[p] *= inv;
    } else {
      for (let p = 0; p < n; p++) G[p] = G[p] / rows;
    }
  }

  /**
   * Loss of a batch and every gradient (into weightGrad / biasGrad), with the current weights.
   * x: rows·n_in inputs, t: rows·n_out targets, sample-major.
   */
  gradients(x: Float64Array, t: Float64Array, rows: number, reduction: Reduction = this.net.reduction): number {
    this.forward(x, rows);
    const loss = this.outputLoss(t, rows, reduction);
    for (let m = this.matrices - 1; m >= 0; m--) {
      const nFrom = this.sizes[m], nTo = this.sizes[m + 1];
      const input = m === 0 ? x : this.outputs[m - 1];
      denseWeightGrad(this.deltas[m], rows, nTo, input, nFrom, this.weightGrad[m], this.biasGrad[m], this.live, this.codes[m] === RELU);
      if (reduction === 'mean' && rows > 1) { FastNet.meanOf(this.weightGrad[m], rows); FastNet.meanOf(this.biasGrad[m], rows); }
      if (!this.hasBias[m]) { const gb = this.biasGrad[m]; for (let j = 0; j < nTo; j++) gb[j] = 0; }
      if (m > 0) {
        const P = this.deltas[m - 1];
        denseBackprop(this.deltas[m], rows, nTo, this.net.weights[m], nFrom, P);
        this.applySlope(m - 1, P, this.outputs[m - 1], rows * nFrom);
      }
    }
    return loss;
  }

  /** P ← P ⊙ g'(z) of layer m+2, with g' read from its outputs a */
  private applySlope(m: number, P: Float64Array, a: Float64Array, len: number): void {
    const code = this.net.activationCodes[m], alpha = this.net.alphas[m];
    switch (code) {
      case SIGMOID: for (let p = 0; p < len; p++) { const y = a[p]; P[p] *= y * (1 - y); } return;
      case TANH: for (let p = 0; p < len; p++) { const y = a[p]; P[p] *= 1 - y * y; } return;
      case RELU: for (let p = 0; p < len; p++) if (!(a[p] > 0)) P[p] *= 0; return; // 0·sum, as passes.ts (keeps −0 and NaN alike)
      case LEAKY_RELU: for (let p = 0; p < len; p++) if (!(a[p] > 0)) P[p] *= alpha; return;
      default: return;
    }
  }

  /** One plain gradient-descent step (w ← w − η·∂E/∂w) on unfrozen parameters; returns the loss before it. */
  sgdStep(x: Float64Array, t: Float64Array, rows: number, lr: number): number {
    if (this.anyFrozen()) {
      const loss = this.gradients(x, t, rows);
      this.applySgd(lr);
      return loss;
    }
    return rows === 1 ? this.sampleStep(x, t, lr) : this.batchStep(x, t, rows, lr);
  }

  /**
   * Nothing frozen, several samples: the same gradients as gradients(), each matrix updated right
   * after δ has been sent back through it (so δ always uses the pre-update weights), which saves
   * the second pass and the frozen-mask reads of applySgd. Same values as gradients() + applySgd().
   */
  private batchStep(x: Float64Array, t: Float64Array, rows: number, lr: number): number {
    this.forward(x, rows);
    const loss = this.outputLoss(t, rows, this.reduction);
    for (let m = this.matrices - 1; m >= 0; m--) {
      const nFrom = this.sizes[m], nTo = this.sizes[m + 1];
      const W = this.weights[m], G = this.weightGrad[m], gB = this.biasGrad[m];
      const input = m === 0 ? x : this.outputs[m - 1];
      denseWeightGrad(this.deltas[m], rows, nTo, input, nFrom, G, gB, this.live, this.codes[m] === RELU);
      if (m > 0) {
        const P = this.deltas[m - 1];
        denseBackprop(this.deltas[m], rows, nTo, W, nFrom, P);
        this.applySlope(m - 1, P, this.outputs[m - 1], rows * nFrom);
      }
      // the batch mean (as meanOf) fused with w ← w − η·∂E/∂w
      const mean = this.reduction === 'mean', exact = (rows & (rows - 1)) === 0, inv = 1 / rows;
      for (let p = 0, n = W.length; p < n; p++) {
        const g = mean ? (exact ? G[p] * inv : G[p] / rows) : G[p];
        G[p] = g;
        W[p] -= lr * g;
      }
      if (this.hasBias[m]) {
        const b = this.biases[m];
        for (let j = 0; j < nTo; j++) {
          const g = mean ? (exact ? gB[j] * inv : gB[j] / rows) : gB[j];
          gB[j] = g;
          b[j] -= lr * g;
        }
      } else {
        for (let j = 0; j < nTo; j++) gB[j] = 0;
      }
    }
    return loss;
  }

  /**
   * Nothing frozen, one sample (online SGD, the seed's loop): forward with the element-wise
   * activation fused into the dot products, then from the output back δ is propagated through
   * each matrix BEFORE that matrix is updated (the seed's warning), and wij ← wij − η·δj·ai in place.
   * The gradient buffers are not written.
   */
  private sampleStep(x: Float64Array, t: Float64Array, lr: number): number {
    this.ensureCapacity(1);
    const last = this.matrices - 1;
    let input = x;
    for (let m = 0; m < this.matrices; m++) {
      const nFrom = this.sizes[m], nTo = this.sizes[m + 1], code = this.codes[m];
      const W = this.weights[m], b = this.biases[m], a = this.outputs[m];
      const z = m === last ? this.logits : a;
      for (let j = 0; j < nTo; j++) {
        const w0 = j * nFrom;
        let s = b[j];
        for (let i = 0; i < nFrom; i++) s += W[w0 + i] * input[i];
        z[j] = s;
        if (code === SIGMOID) { const e = Math.exp(-Math.abs(s)); a[j] = (s >= 0 ? 1 : e) / (1 + e); }
      }
      if (code !== SIGMOID) this.activateLayer(m, z, a, 1, nTo);
      input = a;
    }
    const loss = this.outputLoss(t, 1, this.reduction);
    for (let m = last; m >= 0; m--) {
      const nFrom = this.sizes[m], nTo = this.sizes[m + 1];
      const W = this.weights[m], D = this.deltas[m];
      if (m > 0) {
        const P = this.deltas[m - 1], A = this.outputs[m - 1], code = this.codes[m - 1];
        for (let i = 0; i < nFrom; i++) P[i] = 0;
        for (let j = 0; j < nTo; j++) {
          const e = D[j], w0 = j * nFrom;
          for (let i = 0; i < nFrom; i++) P[i] += e * W[w0 + i];
        }
        if (code === SIGMOID) for (let i = 0; i < nFrom; i++) { const y = A[i]; P[i] *= y * (1 - y); }
        else this.applySlope(m - 1, P, A, nFrom);
      }
      const input = m === 0 ? x : this.outputs[m - 1];
      // w ← w − η·(0 + δj·ai): the recording path's gradient is a sum from 0, hence the "+ 0" (turns −0 into 0)
      for (let j = 0; j < nTo; j++) {
        const e = D[j], w0 = j * nFrom;
        for (let i = 0; i < nFrom; i++) W[w0 + i] -= lr * (e * input[i] + 0);
      }
      if (this.hasBias[m]) {
        const b = this.biases[m];
        for (let j = 0; j < nTo; j++) b[j] -= lr * (D[j] + 0);
      }
    }
    return loss;
  }

  private frozenSeen = -1;
  private frozenAny = false;

  private anyFrozen(): boolean {
    if (this.frozenSeen !== this.net.frozenVersion) {
      this.frozenSeen = this.net.frozenVersion;
      this.frozenAny = this.net.hasFrozen();
    }
    return this.frozenAny;
  }

  /** w ← w − η·∂E/∂w for every unfrozen parameter, using the gradients computed last */
  applySgd(lr: number): void {
    const net = this.net;
    for (let m = 0; m < this.matrices; m++) {
      const w = net.weights[m], g = this.weightGrad[m], frozen = net.frozenWeights[m];
      for (let p = 0; p < w.length; p++) if (frozen[p] === 0) w[p] -= lr * g[p];
      if (this.hasBias[m]) {
        const b = net.biases[m], gb = this.biasGrad[m], fb = net.frozenBiases[m];
        for (let p = 0; p < b.length; p++) if (fb[p] === 0) b[p] -= lr * gb[p];
      }
    }
  }

  /** index m of the first weight matrix (from the output back) whose gradients are not all finite, or −1 */
  firstNonFiniteGradient(): number {
    for (let m = this.matrices - 1; m >= 0; m--) {
      let sum = 0;
      const g = this.weightGrad[m], gb = this.biasGrad[m];
      for (let p = 0; p < g.length; p++) sum += g[p] * 0;
      for (let p = 0; p < gb.length; p++) sum += gb[p] * 0;
      if (sum !== sum) return m; // g·0 is NaN exactly when g is ±∞ or NaN
    }
    return -1;
  }
}
