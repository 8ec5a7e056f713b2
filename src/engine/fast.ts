import {
  ACTIVATIONS,
  softmaxInPlace,
  type ActivationDef,
  type ElementwiseActivation,
} from './activations';
import { binaryCrossEntropyTerm, type OutputSample } from './losses';
import { denseBackprop, denseForward, denseWeightGrad, denseWeightGradAll } from './kernels';
import { instantiate, useWasmFor, type WasmKernels } from './wasm/simd';
import { Op, type KernelTwin } from './wasm/twin';
import type { Network } from './network';
import type { Reduction } from './types';

const SIGMOID = ACTIVATIONS.sigmoid;

/**
 * Buffers of a FastNet that uses the WebAssembly kernels: every per-sample buffer, gradient and a
 * copy of the weights live in one WebAssembly memory (the kernels read nothing else).
 */
interface Arena {
  kernels: WasmKernels;
  /** copy of the batch inputs x (rows·n_in) */
  x: Float64Array;
  /**
   * copies of net.weights[m] / net.biases[m] for the matrices the kernels handle, refreshed by
   * every forward
   */
  w: Float64Array[];
  b: Float64Array[];
  /** scratch: the input of a layer in panels of 4 samples */
  xt: Float64Array;
  /** scratch: the samples that contribute to one output's gradient (live2: the twin's) */
  live: Int32Array;
  live2: Int32Array;
  /** the second thread on this memory (wasm/twin.ts), or null */
  twin: KernelTwin | null;
}

/**
 * Bytes a FastNet for `batch` samples holds beyond the per-node buffers estimateBytes counts: the
 * WebAssembly kernels' copies (the batch inputs, the panels of a layer's input, the weights and
 * biases of the layers they handle; batch rounded up to 4) and sgdStep's backup of every parameter.
 */
export function fastNetExtraBytes(sizes: readonly number[], batch: number): number {
  const rows4 = (batch + 3) & ~3,
    M = sizes.length - 1;
  let params = 0,
    kernelParams = 0,
    widest = 0;
  for (let m = 0; m < M; m++) {
    const n = sizes[m] * sizes[m + 1] + sizes[m + 1];
    params += n;
    if (useWasmFor(sizes[m], sizes[m + 1])) kernelParams += n;
    widest = Math.max(widest, sizes[m]);
  }
  const kernels = kernelParams > 0 ? rows4 * (sizes[0] + widest) + kernelParams : 0;
  return 8 * (kernels + params);
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
  /**
   * z of hidden layer m+2 when its g' reads z (keepZ[m]); empty otherwise (z is overwritten by a)
   */
  private preacts: Float64Array[] = [];
  /** log Σ exp(z) of the output layer, per sample (softmax) */
  private logSumExp = new Float64Array(0);
  /**
   * ∂E_s/∂z of layer m+2 for each sample s (δ before the batch mean, as in the recording passes)
   */
  readonly deltas: Float64Array[] = [];
  /** ∂E/∂w of weights[m] (layout of Network.weights) */
  readonly weightGrad: Float64Array[];
  /** ∂E/∂b of biases[m] (zeros for layers without biases) */
  readonly biasGrad: Float64Array[];
  private live = new Int32Array(0);
  /** per weight matrix: whether its layer has biases */
  private readonly hasBias: boolean[];
  /**
   * net.weights / net.biases / net.activationDefs / net.alphas, read once (the arrays are updated
   * in place)
   */
  private readonly weights: Float64Array[];
  private readonly biases: Float64Array[];
  private readonly defs: ActivationDef[];
  private readonly alphas: number[];
  /** per weight matrix: whether a hidden layer keeps its z apart from a (its g' reads z) */
  private readonly keepZ: boolean[];
  private readonly reduction: Reduction;
  /** half-squared loss on sigmoid outputs (outputLoss's common case) */
  private readonly halfSquaredSigmoid: boolean;
  /**
   * per weight matrix: whether its products run in the WebAssembly kernels (wasm/simd.ts decides)
   */
  private readonly wasmLayer: boolean[];
  /** the WebAssembly memory and its views, when any matrix uses the kernels */
  private arena: Arena | null = null;

  /**
   * twin: a second thread for the kernels' products (wasm/twin.ts): used when a layer runs in the
   * kernels and the memory can be shared with it; the results are the same bits either way.
   */
  constructor(
    net: Network,
    capacity = 1,
    private readonly twin?: KernelTwin,
  ) {
    this.net = net;
    this.sizes = net.sizes.slice();
    this.matrices = this.sizes.length - 1;
    this.weightGrad = net.weights.map((w) => new Float64Array(w.length));
    this.biasGrad = net.biases.map((b) => new Float64Array(b.length));
    this.hasBias = net.spec.bias.slice();
    this.weights = net.weights.slice();
    this.biases = net.biases.slice();
    this.defs = net.activationDefs.slice();
    this.alphas = net.alphas.slice();
    this.keepZ = this.defs.map(
      (g, m) => m < this.matrices - 1 && g.shape === 'element' && g.slopeReadsZ,
    );
    this.reduction = net.reduction;
    this.halfSquaredSigmoid =
      net.spec.loss === 'half-squared' && this.defs[this.matrices - 1] === SIGMOID;
    this.wasmLayer = this.weights.map((_, m) => useWasmFor(this.sizes[m], this.sizes[m + 1]));
    this.ensureCapacity(capacity);
  }

  /** grows the per-sample buffers to hold `rows` samples (allocates only when growing) */
  ensureCapacity(rows: number): void {
    if (rows <= this.capacity) return;
    if (this.wasmLayer.some((on) => on) && this.allocateArena(rows)) return;
    this.outputs = [];
    this.preacts = [];
    this.deltas.length = 0;
    for (let m = 0; m < this.matrices; m++) {
      this.outputs.push(new Float64Array(rows * this.sizes[m + 1]));
      this.preacts.push(new Float64Array(this.keepZ[m] ? rows * this.sizes[m + 1] : 0));
      this.deltas.push(new Float64Array(rows * this.sizes[m + 1]));
    }
    this.logits = new Float64Array(rows * this.sizes[this.matrices]);
    this.logSumExp = new Float64Array(rows);
    this.live = new Int32Array(rows);
    this.capacity = rows;
  }

  /**
   * Puts every buffer into one new WebAssembly memory, for `rows` rounded up to 4 samples (the
   * kernels work on blocks of samples; the padding rows hold values nobody reads). Gradients
   * already computed are carried over. Returns false (and allocates nothing) if instantiation
   * fails.
   */
  private allocateArena(rows: number): boolean {
    const rows4 = (rows + 3) & ~3,
      s = this.sizes,
      M = this.matrices;
    let bytes = 0;
    const take = (count: number, size = 8): number => {
      const at = bytes;
      bytes += (count * size + 15) & ~15;
      return at;
    };
    const at = {
      x: take(rows4 * s[0]),
      logits: take(rows4 * s[M]),
      live: take(rows4, 4),
      live2: take(rows4, 4),
      // eslint-disable-next-line no-restricted-syntax -- bounded: one size per layer
      xt: take(rows4 * Math.max(...s.slice(0, M))),
      outputs: s.slice(1).map((n) => take(rows4 * n)),
      preacts: s.slice(1).map((n, m) => take(this.keepZ[m] ? rows4 * n : 0)),
      deltas: s.slice(1).map((n) => take(rows4 * n)),
      weightGrad: this.weightGrad.map((g) => take(g.length)),
      biasGrad: this.biasGrad.map((g) => take(g.length)),
      w: this.weights.map((w, m) => take(this.wasmLayer[m] ? w.length : 0)),
      b: this.biases.map((b, m) => take(this.wasmLayer[m] ? b.length : 0)),
    };
    const made = (this.twin && instantiate(bytes, true)) || instantiate(bytes);
    if (!made) return false;
    const shared = made.buffer instanceof SharedArrayBuffer;
    const f64 = (offset: number, length: number) => new Float64Array(made.buffer, offset, length);
    this.outputs = at.outputs.map((o, m) => f64(o, rows4 * s[m + 1]));
    this.preacts = at.preacts.map((o, m) => f64(o, this.keepZ[m] ? rows4 * s[m + 1] : 0));
    this.deltas.length = 0;
    at.deltas.forEach((o, m) => this.deltas.push(f64(o, rows4 * s[m + 1])));
    this.logits = f64(at.logits, rows4 * s[M]);
    for (let m = 0; m < M; m++) {
      const g = f64(at.weightGrad[m], this.weightGrad[m].length),
        gb = f64(at.biasGrad[m], this.biasGrad[m].length);
      g.set(this.weightGrad[m]);
      gb.set(this.biasGrad[m]);
      this.weightGrad[m] = g;
      this.biasGrad[m] = gb;
    }
    this.arena = {
      kernels: made.kernels,
      x: f64(at.x, rows4 * s[0]),
      w: at.w.map((o, m) => f64(o, this.wasmLayer[m] ? this.weights[m].length : 0)),
      b: at.b.map((o, m) => f64(o, this.wasmLayer[m] ? this.biases[m].length : 0)),
      // eslint-disable-next-line no-restricted-syntax -- bounded: one size per layer
      xt: f64(at.xt, rows4 * Math.max(...s.slice(0, M))),
      live: new Int32Array(made.buffer, at.live, rows4),
      live2: new Int32Array(made.buffer, at.live2, rows4),
      twin: this.twin && shared && this.twin.bind(made.memory) ? this.twin : null,
    };
    this.logSumExp = new Float64Array(rows4);
    this.live = new Int32Array(rows4);
    this.capacity = rows4;
    return true;
  }

  /** whether a second thread shares the kernels' work (wasm/twin.ts) */
  usesTwin(): boolean {
    return this.arena?.twin != null;
  }

  /** whether the products of weight matrix m run in the WebAssembly SIMD kernels */
  usesWasm(m: number): boolean {
    return this.arena !== null && this.wasmLayer[m];
  }

  /** the inputs as the kernels see them: x itself, or its copy in the WebAssembly memory */
  private inputs(x: Float64Array): Float64Array {
    return this.arena ? this.arena.x : x;
  }

  /**
   * where the forward pass leaves z of matrix m's layer: the logits, its own buffer, or a itself
   */
  private zOf(m: number): Float64Array {
    if (m === this.matrices - 1) return this.logits;
    return this.keepZ[m] ? this.preacts[m] : this.outputs[m];
  }

  /** ∂E/∂w and ∂E/∂b of matrix m summed over the batch, from its δ and its input a */
  private layerWeightGrad(m: number, rows: number, input: Float64Array): void {
    const nFrom = this.sizes[m],
      nTo = this.sizes[m + 1],
      g = this.defs[m],
      relu = g.shape === 'element' && g.dies === true; // many δ exactly 0: skipped
    const D = this.deltas[m],
      G = this.weightGrad[m],
      gB = this.biasGrad[m],
      arena = this.arena;
    if (arena && this.wasmLayer[m]) {
      // weight rows j < h here, the others in the twin (started by the caller, see summedGradients)
      const h = arena.twin ? nTo >> 1 : nTo,
        skip = relu ? 1 : 0;
      if (arena.twin)
        arena.twin.add(Op.WeightGrad, [
          D.byteOffset + 8 * h,
          rows,
          nTo - h,
          nTo,
          input.byteOffset,
          nFrom,
          G.byteOffset + 8 * h * nFrom,
          gB.byteOffset + 8 * h,
          arena.live2.byteOffset,
          skip,
        ]);
      if (arena.twin && m > 0) {
        // and input rows i ≥ hb of δ sent back through these weights (layerBackprop does i < hb)
        const hb = (nFrom >> 2) << 1;
        arena.twin.add(Op.Backprop, [
          D.byteOffset,
          (rows + 1) & ~1,
          nTo,
          arena.w[m].byteOffset + 8 * hb,
          nFrom,
          nFrom - hb,
          this.deltas[m - 1].byteOffset + 8 * hb,
        ]);
      }
      arena.twin?.start();
      arena.kernels.weightGrad(
        D.byteOffset,
        rows,
        h,
        nTo,
        input.byteOffset,
        nFrom,
        G.byteOffset,
        gB.byteOffset,
        arena.live.byteOffset,
        skip,
      );
      if (m === 0) arena.twin?.finish(); // else layerBackprop waits for the job
    } else if (relu || rows === 1) {
      denseWeightGrad(D, rows, nTo, input, nFrom, G, gB, this.live);
    } else {
      denseWeightGradAll(D, rows, nTo, input, nFrom, G, gB);
    }
  }

  /**
   * δ of matrix m sent back through its weights into the deltas of matrix m − 1, then ⊙ g'(z) of
   * that layer
   */
  private layerBackprop(m: number, rows: number): void {
    const nFrom = this.sizes[m],
      nTo = this.sizes[m + 1],
      D = this.deltas[m],
      P = this.deltas[m - 1],
      arena = this.arena;
    if (arena && this.wasmLayer[m]) {
      // the weights' copy taken by forward (the weights of this batch); input rows i < h here, the
      // others in the twin (their job went with the weight gradient's, layerWeightGrad)
      const h = arena.twin ? (nFrom >> 2) << 1 : nFrom;
      arena.kernels.backprop(
        D.byteOffset,
        (rows + 1) & ~1,
        nTo,
        arena.w[m].byteOffset,
        nFrom,
        h,
        P.byteOffset,
      );
      arena.twin?.finish();
    } else if (this.defs[m - 1] === SIGMOID) {
      // g' applied by the kernel
      denseBackprop(D, rows, nTo, this.weights[m], nFrom, P, this.outputs[m - 1]);
      return;
    } else {
      denseBackprop(D, rows, nTo, this.weights[m], nFrom, P);
    }
    this.applySlope(m - 1, P, rows * nFrom);
  }

  /**
   * forward pass over `rows` samples of x (sample-major); returns the output buffer (first
   * rows·n_out values)
   */
  forward(x: Float64Array, rows: number): Float64Array {
    this.ensureCapacity(rows);
    const last = this.matrices - 1,
      arena = this.arena;
    let input = x;
    if (arena) {
      arena.x.set(x.subarray(0, rows * this.sizes[0]));
      input = arena.x;
    }
    for (let m = 0; m < this.matrices; m++) {
      const nTo = this.sizes[m + 1];
      const out = this.outputs[m];
      const z = this.zOf(m);
      if (arena && this.wasmLayer[m]) {
        const w = arena.w[m],
          b = arena.b[m];
        w.set(this.weights[m]);
        b.set(this.biases[m]);
        const rows4 = (rows + 3) & ~3,
          nFrom = this.sizes[m],
          xt = arena.xt.byteOffset,
          twin = arena.twin,
          h = twin ? (nTo >> 3) << 2 : nTo; // output rows j < h here, the others in the twin
        arena.kernels.panels(input.byteOffset, rows4, nFrom, xt);
        if (twin) {
          twin.add(Op.Forward, [
            xt,
            rows4,
            nFrom,
            w.byteOffset + 8 * h * nFrom,
            b.byteOffset + 8 * h,
            nTo - h,
            nTo,
            z.byteOffset + 8 * h,
          ]);
          twin.start();
        }
        arena.kernels.forward(xt, rows4, nFrom, w.byteOffset, b.byteOffset, h, nTo, z.byteOffset);
        twin?.finish();
      } else {
        denseForward(input, rows, this.sizes[m], this.weights[m], this.biases[m], nTo, z);
      }
      this.activateLayer(m, z, out, rows, nTo);
      input = out;
    }
    return this.outputs[last];
  }

  /** a ← g(z) over `rows` samples of layer m+2: its record's fused kernel, else g per element */
  private activateLayer(
    m: number,
    z: Float64Array,
    a: Float64Array,
    rows: number,
    n: number,
  ): void {
    const g = this.defs[m],
      alpha = this.alphas[m],
      len = rows * n;
    if (g.shape === 'softmax') {
      for (let r = 0; r < rows; r++) this.logSumExp[r] = softmaxInPlace(z, a, r * n, n);
    } else if (g.kernel) {
      g.kernel.activate(z, a, len, alpha);
    } else {
      for (let p = 0; p < len; p++) a[p] = g.value(z[p], alpha);
    }
  }

  /**
   * Loss of the batch and the output deltas δ = ∂E_s/∂z per sample, with the same formulas and the
   * same order of operations as losses.ts (sampleLoss, outputDelta), so that the values are
   * bit-identical.
   */
  private outputLoss(t: Float64Array, rows: number, reduction: Reduction): number {
    const lossSum = this.halfSquaredSigmoid
      ? this.halfSquaredSigmoidLoss(t, rows)
      : this.generalLoss(t, rows);
    return reduction === 'mean' ? lossSum / rows : lossSum;
  }

  /**
   * outputLoss's sum for the common half-squared loss on sigmoid outputs: one pass, the same
   * formulas
   */
  private halfSquaredSigmoidLoss(t: Float64Array, rows: number): number {
    const m = this.matrices - 1,
      n = this.sizes[this.matrices],
      a = this.outputs[m],
      D = this.deltas[m];
    let lossSum = 0,
      sum = 0;
    for (let p = 0, j = 1, len = rows * n; p < len; p++, j++) {
      const y = a[p],
        e = y - t[p];
      sum += e * e;
      D[p] = e * (y * (1 - y));
      if (j === n) {
        lossSum += 0.5 * sum;
        sum = 0;
        j = 0;
      } // a sample's sum is complete
    }
    return lossSum;
  }

  private generalLoss(t: Float64Array, rows: number): number {
    const m = this.matrices - 1,
      n = this.sizes[this.matrices];
    const a = this.outputs[m],
      z = this.logits,
      D = this.deltas[m];
    const g = this.defs[m],
      alpha = this.alphas[m];
    // a user-defined loss runs its record (the default branch), whatever its name
    const kind = this.net.lossDef.user ? '' : this.net.spec.loss;
    let lossSum = 0;
    for (let r = 0; r < rows; r++) {
      const o = r * n;
      let sum = 0;
      switch (kind) {
        case 'half-squared':
        case 'mse': {
          const mse = kind === 'mse',
            twoOverN = 2 / n;
          for (let j = 0; j < n; j++) {
            const e = a[o + j] - t[o + j];
            sum += e * e;
          }
          lossSum += mse ? sum / n : 0.5 * sum;
          if (g.shape === 'softmax') {
            let coupling = 0;
            for (let k = 0; k < n; k++) {
              const y = a[o + k];
              coupling += (mse ? twoOverN * (y - t[o + k]) : y - t[o + k]) * y;
            }
            for (let j = 0; j < n; j++) {
              const y = a[o + j],
                e = y - t[o + j];
              D[o + j] = y * ((mse ? twoOverN * e : e) - coupling);
            }
          } else if (g === SIGMOID) {
            for (let j = 0; j < n; j++) {
              const y = a[o + j],
                e = y - t[o + j];
              D[o + j] = (mse ? twoOverN * e : e) * (y * (1 - y));
            }
          } else {
            for (let j = 0; j < n; j++) {
              const y = a[o + j],
                e = y - t[o + j];
              D[o + j] = (mse ? twoOverN * e : e) * g.slope(z[o + j], y, alpha);
            }
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
          for (let j = 0; j < n; j++) {
            sum += binaryCrossEntropyTerm(z[o + j], t[o + j]);
            D[o + j] = a[o + j] - t[o + j];
          }
          lossSum += sum;
          break;
        default: {
          // a loss without a fused loop here: its record's sample loss and deltas
          const def = this.net.lossDef;
          const out: OutputSample = {
            loss: def,
            act: g,
            alpha,
            z,
            a,
            t,
            offset: o,
            n,
            logSumExp: this.logSumExp[r],
            node: this.net.lossNode,
          };
          lossSum += def.sample(out);
          for (let j = 0; j < n; j++) D[o + j] = def.delta(out, j);
        }
      }
    }
    return lossSum;
  }

  /**
   * G ← G / rows: the batch mean of the summed gradients, as passes.ts reduce does it (a division).
   * For a power-of-two batch, ×(1/rows) is exact and gives the same bits, and is cheaper.
   */
  private meanOf(G: Float64Array, rows: number): void {
    const n = G.length;
    if (this.arena && G.buffer === this.arena.x.buffer) {
      // in the kernels: a JS loop over a view of WebAssembly memory re-checks its bounds every
      // access
      this.arena.kernels.mean(G.byteOffset, n, rows, (rows & (rows - 1)) === 0 ? 1 : 0);
      return;
    }
    if ((rows & (rows - 1)) === 0) {
      const inv = 1 / rows;
      for (let p = 0; p < n; p++) G[p] *= inv;
    } else {
      for (let p = 0; p < n; p++) G[p] = G[p] / rows;
    }
  }

  /**
   * The sum of the losses of `rows` samples with the current weights: a forward pass and the loss,
   * no gradients (the same formulas as gradients(), so mean = this / rows bit for bit).
   */
  lossSum(x: Float64Array, t: Float64Array, rows: number): number {
    this.forward(x, rows);
    return this.outputLoss(t, rows, 'sum');
  }

  /**
   * Loss of a batch and every gradient (into weightGrad / biasGrad), with the current weights.
   * x: rows·n_in inputs, t: rows·n_out targets, sample-major.
   */
  gradients(
    x: Float64Array,
    t: Float64Array,
    rows: number,
    reduction: Reduction = this.net.reduction,
  ): number {
    const loss = this.summedGradients(x, t, rows, reduction);
    if (reduction === 'mean' && rows > 1)
      for (let m = 0; m < this.matrices; m++) this.meanAt(m, rows);
    return loss;
  }

  /**
   * The trainer's plain SGD step (nothing frozen): gradients() with the batch mean taken in the
   * same pass that checks every new value, w ← w − η·(g + λ·w), b ← b − η·(g + 0·b) (the trainer's
   * formulas), then the update. Returns the loss; `applied` says whether the weights changed: not
   * when the loss or a new value is not finite, and then weightGrad / biasGrad hold what
   * gradients() leaves, for the trainer to find which. Frozen flags are not looked at.
   */
  sgdStep(
    x: Float64Array,
    t: Float64Array,
    rows: number,
    lr: number,
    l2: number,
    reduction: Reduction = this.net.reduction,
  ): number {
    const loss = this.summedGradients(x, t, rows, reduction);
    const mean = reduction === 'mean' && rows > 1 ? rows : 1;
    this.applied = this.descendIfFinite(lr, l2, mean, Number.isFinite(loss));
    return loss;
  }

  /** whether the last sgdStep changed the weights */
  applied = false;

  /** the values before the last sgdStep's update, to put back when a new value is not finite */
  private backup: Float64Array[] = [];

  /**
   * In one pass per array: the batch mean of every gradient (when `rows` > 1, as meanOf), the new
   * value, the old one kept in `backup`; then, if any new value is not finite (or not `go`), every
   * old value is put back. Returns whether the update stands.
   */
  private descendIfFinite(lr: number, l2: number, rows: number, go: boolean): boolean {
    if (this.backup.length === 0)
      this.backup = this.weights.map((w, m) => new Float64Array(w.length + this.biases[m].length));
    if (!go) {
      if (rows > 1) for (let m = 0; m < this.matrices; m++) this.meanAt(m, rows);
      return false;
    }
    const eta = +lr,
      decay = +l2,
      pow2 = (rows & (rows - 1)) === 0,
      inv = 1 / rows;
    let check = 0;
    const arena = this.arena;
    for (let m = 0; m < this.matrices; m++) {
      const w = this.weights[m],
        g = this.weightGrad[m],
        old = this.backup[m],
        n = w.length;
      if (arena && this.wasmLayer[m]) {
        // in the kernels, on their copy of the weights (net.weights get it below, once all is
        // finite); values p ≥ h in the twin
        const twin = arena.twin,
          h = twin ? (n >> 2) << 1 : n,
          k = arena.kernels,
          wAt = arena.w[m].byteOffset;
        if (twin) {
          if (rows > 1) twin.add(Op.Mean, [g.byteOffset + 8 * h, n - h, pow2 ? 1 : 0], rows);
          twin.add(Op.Descend, [wAt + 8 * h, g.byteOffset + 8 * h, n - h], eta, decay);
          twin.start();
        }
        if (rows > 1) {
          k.mean(g.byteOffset, h, rows, pow2 ? 1 : 0);
          this.meanOf(this.biasGrad[m], rows);
        }
        check += k.descend(wAt, g.byteOffset, h, eta, decay);
        if (twin) check += twin.finish();
        if (this.hasBias[m])
          check += arena.kernels.descend(
            arena.b[m].byteOffset,
            this.biasGrad[m].byteOffset,
            this.biases[m].length,
            eta,
            0,
          );
        continue;
      }
      // (v − v) is NaN exactly when v is not finite; one loop per way of taking the mean (×1 is
      // exact)
      if (pow2)
        for (let p = 0; p < n; p++) {
          const v = g[p] * inv,
            o = w[p],
            next = o - eta * (v + decay * o);
          g[p] = v;
          old[p] = o;
          w[p] = next;
          check += next - next;
        }
      else
        for (let p = 0; p < n; p++) {
          const v = g[p] / rows,
            o = w[p],
            next = o - eta * (v + decay * o);
          g[p] = v;
          old[p] = o;
          w[p] = next;
          check += next - next;
        }
      const gb = this.biasGrad[m];
      if (rows > 1) this.meanOf(gb, rows);
      if (!this.hasBias[m]) continue;
      const b = this.biases[m];
      for (let p = 0; p < b.length; p++) {
        const o = b[p],
          next = o - eta * (gb[p] + 0 * o);
        old[n + p] = o;
        b[p] = next;
        check += next - next;
      }
    }
    if (check === check) {
      if (arena)
        for (let m = 0; m < this.matrices; m++) {
          if (!this.wasmLayer[m]) continue;
          this.weights[m].set(arena.w[m]);
          if (this.hasBias[m]) this.biases[m].set(arena.b[m]);
        }
      return true;
    }
    for (let m = 0; m < this.matrices; m++) {
      if (arena && this.wasmLayer[m]) continue; // net.weights were not written
      const old = this.backup[m],
        n = this.weights[m].length;
      this.weights[m].set(old.subarray(0, n));
      if (this.hasBias[m]) this.biases[m].set(old.subarray(n));
    }
    return false;
  }

  /** the batch mean of matrix m's summed gradients */
  private meanAt(m: number, rows: number): void {
    this.meanOf(this.weightGrad[m], rows);
    this.meanOf(this.biasGrad[m], rows);
  }

  /** forward, loss, δ and the gradients summed over the batch (before the batch mean) */
  private summedGradients(
    x: Float64Array,
    t: Float64Array,
    rows: number,
    reduction: Reduction,
  ): number {
    if (rows === 1 && !this.arena) return this.sampleGradients(x, t, reduction);
    this.forward(x, rows);
    const loss = this.outputLoss(t, rows, reduction);
    for (let m = this.matrices - 1; m >= 0; m--) {
      const nTo = this.sizes[m + 1];
      this.layerWeightGrad(m, rows, m === 0 ? this.inputs(x) : this.outputs[m - 1]);
      if (m > 0) this.layerBackprop(m, rows);
      if (!this.hasBias[m]) {
        const gb = this.biasGrad[m];
        for (let j = 0; j < nTo; j++) gb[j] = 0;
      }
    }
    return loss;
  }

  /**
   * gradients() for one sample (online training, the seed's loop) in fewer passes: the dot products
   * with the activation fused in, then from the output back each matrix's gradient
   * ∂E/∂w_ji = 0 + δj·ai (the recording sum from 0, hence the "0 +": it turns −0 into 0) and δ sent
   * back through it, summed over j from 0 as denseBackprop does. Same values as the general path.
   */
  private sampleGradients(x: Float64Array, t: Float64Array, reduction: Reduction): number {
    this.ensureCapacity(1);
    const last = this.matrices - 1;
    let input = x;
    for (let m = 0; m < this.matrices; m++) {
      const nFrom = this.sizes[m],
        nTo = this.sizes[m + 1],
        sigmoid = this.defs[m] === SIGMOID;
      const W = this.weights[m],
        b = this.biases[m],
        a = this.outputs[m];
      const z = this.zOf(m);
      for (let j = 0; j < nTo; j++) {
        const w0 = j * nFrom;
        let s = b[j];
        for (let i = 0; i < nFrom; i++) s += W[w0 + i] * input[i];
        z[j] = s;
        if (sigmoid) {
          const e = Math.exp(-Math.abs(s));
          a[j] = (s >= 0 ? 1 : e) / (1 + e);
        }
      }
      if (!sigmoid) this.activateLayer(m, z, a, 1, nTo);
      input = a;
    }
    const loss = this.outputLoss(t, 1, reduction);
    for (let m = last; m >= 0; m--) {
      const nFrom = this.sizes[m],
        nTo = this.sizes[m + 1];
      const W = this.weights[m],
        D = this.deltas[m],
        G = this.weightGrad[m],
        gB = this.biasGrad[m],
        bias = this.hasBias[m];
      const A = m === 0 ? x : this.outputs[m - 1];
      for (let j = 0; j < nTo; j++) {
        const e = D[j],
          w0 = j * nFrom;
        gB[j] = bias ? 0 + e : 0;
        for (let i = 0; i < nFrom; i++) G[w0 + i] = 0 + e * A[i];
      }
      if (m === 0) break;
      const P = this.deltas[m - 1];
      for (let i = 0; i < nFrom; i++) P[i] = 0;
      for (let j = 0; j < nTo; j++) {
        const e = D[j],
          w0 = j * nFrom;
        for (let i = 0; i < nFrom; i++) P[i] += e * W[w0 + i];
      }
      this.applySlope(m - 1, P, nFrom);
    }
    return loss;
  }

  /** P ← P ⊙ g'(z) of hidden layer m+2: its record's fused kernel, else g' per element */
  private applySlope(m: number, P: Float64Array, len: number): void {
    const g = this.defs[m] as ElementwiseActivation, // softmax is only ever the output layer
      alpha = this.alphas[m],
      a = this.outputs[m],
      z = this.zOf(m);
    if (g.kernel) g.kernel.slope(P, a, z, len, alpha);
    else for (let p = 0; p < len; p++) P[p] *= g.slope(z[p], a[p], alpha);
  }

  /**
   * index m of the first weight matrix (from the output back) whose gradients are not all finite,
   * or −1
   */
  firstNonFiniteGradient(): number {
    for (let m = this.matrices - 1; m >= 0; m--) {
      let sum = 0;
      const g = this.weightGrad[m],
        gb = this.biasGrad[m];
      for (let p = 0; p < g.length; p++) sum += g[p] * 0;
      for (let p = 0; p < gb.length; p++) sum += gb[p] * 0;
      if (sum !== sum) return m; // g·0 is NaN exactly when g is ±∞ or NaN
    }
    return -1;
  }
}
