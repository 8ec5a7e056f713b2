import { FastNet, fastNetExtraBytes } from './fast';
import type { KernelTwin } from './wasm/twin';
import { backwardAndUpdate, forward } from './passes';
import type { Network } from './network';
import { Rng } from './rng';
import { DEFAULT_MAX_BYTES, estimateBytes, formatBytes } from './spec';
import type { Reduction, Result } from './types';

/** Samples as a list of rows or one flat sample-major array. */
export type SampleData = ArrayLike<ArrayLike<number>> | Float64Array;

export interface TrainingData {
  inputs: SampleData;
  targets: SampleData;
}

export type OptimiserKind = 'sgd' | 'momentum' | 'adam';

export interface OptimiserOptions {
  kind: OptimiserKind;
  /** momentum: velocity decay β (default 0.9) */
  beta?: number;
  /** adam: decay of the gradient average β1 (default 0.9) */
  beta1?: number;
  /** adam: decay of the squared-gradient average β2 (default 0.999) */
  beta2?: number;
  /** adam: ε added to √v̂ (default 1e-8) */
  epsilon?: number;
}

export interface TrainOptions {
  /** stop after this many epochs (default 1 when steps is not given) */
  epochs?: number;
  /** stop after this many steps (one step = one batch update) */
  steps?: number;
  /** 'full' (default) = every sample in one batch; 1 = online; n = mini-batches of n */
  batchSize?: 'full' | number;
  optimiser?: OptimiserKind | OptimiserOptions;
  /** learning rate η */
  lr: number;
  /** L2 penalty λ: adds λ·w to ∂E/∂w of every weight (not biases) */
  l2?: number;
  /**
   * Teaching switch (`mistake stale-weights on`): every step updates the weights into each layer
   * before propagating δ through them, as the seed warns not to. Plain SGD only (no l2).
   */
  staleWeights?: boolean;
  /** shuffle the samples every epoch (default true for mini-batches) */
  shuffle?: boolean;
  /** seed of the shuffling (default 1) */
  shuffleSeed?: number;
  /**
   * stop as soon as E over all the data after an epoch (or before the first) is < this (≤ with
   * stopAtOrBelow)
   */
  stopAtLoss?: number;
  /** `until E <= v`: stop at E = v too */
  stopAtOrBelow?: boolean;
  /**
   * epochs kept in the loss history before it is thinned to every 2nd, 4th, … epoch (default 1000)
   */
  maxHistory?: number;
  /**
   * `train … log N`: also keep E at every N-th epoch (from epoch 0) and at the end, never thinned,
   * in status.logged
   */
  logEvery?: number;
  /** called with the status at most every progressIntervalMs while running */
  onProgress?: (status: TrainStatus) => void;
  progressIntervalMs?: number;
  /** polled often (well under a millisecond of work apart): true stops training */
  isCancelled?: () => boolean;
  /** refuse runs whose buffers would need more bytes than this (default 256 MiB) */
  maxBytes?: number;
  /** a second thread for the big layers' products (wasm/twin.ts); the same bits without it */
  twin?: KernelTwin;
}

export interface Divergence {
  epoch: number;
  step: number;
  /** the layer Lk whose loss (output layer) or incoming weights first went non-finite */
  layer: number;
  quantity: 'loss' | 'gradient' | 'update';
  message: string;
}

export interface TrainStatus {
  /** completed epochs */
  epoch: number;
  /** completed steps (batch updates) */
  step: number;
  /** loss of the most recent batch, before its update */
  loss: number;
  /**
   * E over all the data (mean or sum per reduction) with the weights as the last completed epoch
   * left them; once done, with the final weights (so it is what `show loss` gives after training).
   * Before the first epoch: E with the initial weights.
   */
  epochLoss: number;
  /**
   * E over all the data after each epoch, from epoch 0 (the initial weights), thinned when long
   * (see maxHistory); once done, the last point is the end of training (a fraction of an epoch when
   * it stopped mid-epoch: epoch + rows done / rows). Shared with the trainer, never changed once
   * returned.
   */
  history: readonly { epoch: number; loss: number }[];
  /** with logEvery: E at every logEvery-th epoch and at the end (like history, never changed) */
  logged?: readonly { epoch: number; loss: number }[];
  lossKind: string;
  reduction: Reduction;
  done: boolean;
  reason: 'running' | 'epochs' | 'steps' | 'target-loss' | 'cancelled' | 'diverged';
  cancelled: boolean;
  diverged?: Divergence;
}

export interface Trainer {
  /** runs at most maxSteps more steps (fewer if done or cancelled) and returns the status */
  run(maxSteps: number): TrainStatus;
  /** runs until about `ms` milliseconds have passed, or until done */
  runFor(ms: number): TrainStatus;
  status(): TrainStatus;
  cancel(): void;
  /**
   * One step on a batch the caller gives (x: rows·n_in inputs, t: rows·n_out targets,
   * sample-major): what run() does with each batch it draws from the data (gradients, divergence
   * checks, optimiser update), without the epoch bookkeeping. Returns the loss before the update,
   * NaN once done or diverged.
   */
  stepOn(x: Float64Array, t: Float64Array, rows: number): number;
}

/** Copies rows into one flat array; reports the first ragged or non-finite value. */
function flatten(
  data: SampleData,
  width: number,
  what: string,
): Result<{ values: Float64Array; count: number }> {
  const bad = (message: string): Result<{ values: Float64Array; count: number }> => ({
    ok: false,
    error: { code: 'bad-input', message },
  });
  let values: Float64Array;
  if (data instanceof Float64Array) {
    if (data.length % width !== 0)
      return bad(`${what} has ${data.length} values, not a multiple of ${width}`);
    values = Float64Array.from(data);
  } else {
    values = new Float64Array(data.length * width);
    for (let r = 0; r < data.length; r++) {
      if (data[r].length !== width)
        return bad(`${what} row ${r + 1} has ${data[r].length} values, expected ${width}`);
      for (let c = 0; c < width; c++) values[r * width + c] = data[r][c];
    }
  }
  for (let p = 0; p < values.length; p++) {
    if (!Number.isFinite(values[p]))
      return bad(
        `${what} row ${Math.floor(p / width) + 1} column ${(p % width) + 1} is ${values[p]}, not ` +
          `a finite number`,
      );
  }
  return { ok: true, value: { values, count: values.length / width } };
}

/**
 * Sets up training of `net` on `data`. Checks the data and the memory the run needs (before
 * allocating anything large) and returns the trainer or an error value.
 */
export function createTrainer(
  net: Network,
  data: TrainingData,
  opts: TrainOptions,
): Result<Trainer> {
  const nIn = net.sizes[0],
    nOut = net.sizes[net.sizes.length - 1];
  const rawCount =
    data.inputs instanceof Float64Array ? data.inputs.length / nIn : data.inputs.length;
  const optimiser: OptimiserOptions =
    typeof opts.optimiser === 'string'
      ? { kind: opts.optimiser }
      : (opts.optimiser ?? { kind: 'sgd' });
  const batchSize =
    opts.batchSize === undefined || opts.batchSize === 'full'
      ? rawCount
      : Math.min(opts.batchSize, rawCount);
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    return {
      ok: false,
      error: {
        code: 'bad-input',
        message:
          `batch size must be 'full' or a whole number ≥ 1 (and there must be samples), ` +
          `got ${String(opts.batchSize)}`,
      },
    };
  }
  if (!(opts.lr > 0) || !Number.isFinite(opts.lr))
    return {
      ok: false,
      error: {
        code: 'bad-input',
        message: `learning rate must be a positive number, got ${opts.lr}`,
      },
    };
  if (opts.staleWeights && (optimiser.kind !== 'sgd' || (opts.l2 ?? 0) !== 0))
    return {
      ok: false,
      error: {
        code: 'bad-input',
        message:
          `the stale-weights mistake is reproduced with plain gradient descent only ` +
          `(optimiser sgd, no l2), not ${optimiser.kind}` +
          `${(opts.l2 ?? 0) !== 0 ? ' with l2' : ''}; turn it off with \`mistake ` +
          `stale-weights off\``,
      },
    };
  const maxHistory = Math.max(2, opts.maxHistory ?? 1000);
  const limit = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const needed =
    estimateBytes(net.spec, {
      batchSize,
      recording: false,
      historyLength:
        maxHistory + (opts.logEvery ? Math.ceil((opts.epochs ?? 0) / opts.logEvery) + 2 : 0),
      optimiserSlots: optimiser.kind === 'adam' ? 3 : optimiser.kind === 'momentum' ? 2 : 1,
    }) +
    fastNetExtraBytes(net.sizes, batchSize) +
    8 * rawCount * (nIn + nOut) * 2 +
    8 * batchSize * (nIn + nOut) + // the batch gathered from the data
    4 * rawCount;
  if (needed > limit) {
    return {
      ok: false,
      error: {
        code: 'too-large',
        message:
          `training needs ${formatBytes(needed)} (${needed} bytes), limit ` +
          `${formatBytes(limit)} (${limit} bytes)`,
        bytesNeeded: needed,
        limit,
      },
    };
  }
  const inputs = flatten(data.inputs, nIn, 'inputs');
  if (!inputs.ok) return inputs;
  const targets = flatten(data.targets, nOut, 'targets');
  if (!targets.ok) return targets;
  if (inputs.value.count !== targets.value.count) {
    return {
      ok: false,
      error: {
        code: 'bad-input',
        message: `${inputs.value.count} input rows but ${targets.value.count} target rows`,
      },
    };
  }
  return {
    ok: true,
    value: new TrainerImpl(
      net,
      inputs.value.values,
      targets.value.values,
      inputs.value.count,
      batchSize,
      optimiser,
      maxHistory,
      opts,
    ),
  };
}

/** E at an epoch (fractional where a run stopped mid-epoch) */
type LossPoint = TrainStatus['history'][number];

/**
 * A list of E by epoch that status() hands out as it is: once handed out it is never changed, but
 * copied before its next change.
 */
class HandedOut {
  private list: LossPoint[] = [];
  private shared = false;

  get length(): number {
    return this.list.length;
  }
  get last(): LossPoint | undefined {
    return this.list[this.list.length - 1];
  }
  push(point: LossPoint): void {
    if (this.shared) this.list = this.list.slice();
    this.shared = false;
    this.list.push(point);
  }
  /** keeps only the points `which` picks (a new list: what was handed out stays as it was) */
  keep(which: (point: LossPoint) => boolean): void {
    this.list = this.list.filter(which);
    this.shared = false;
  }
  handOut(): readonly LossPoint[] {
    this.shared = true;
    return this.list;
  }
}

class TrainerImpl implements Trainer {
  private readonly fast: FastNet;
  /** evaluates E over all the data in chunks (the training FastNet itself for full batches) */
  private readonly evaluator: FastNet;
  private readonly order: Int32Array;
  private readonly rng: Rng;
  private readonly shuffle: boolean;
  private readonly batchX: Float64Array;
  private readonly batchT: Float64Array;
  /** per weight matrix: the step each parameter is about to take (checked before it is applied) */
  private readonly weightSteps: Float64Array[];
  private readonly biasSteps: Float64Array[];
  /** momentum velocity, or adam's first moment, per parameter */
  private readonly weightMoment1: Float64Array[];
  private readonly biasMoment1: Float64Array[];
  /** adam's second moment per parameter */
  private readonly weightMoment2: Float64Array[];
  private readonly biasMoment2: Float64Array[];
  private readonly checkEvery: number;
  private readonly maxEpochs: number;
  private readonly maxSteps: number;
  private readonly reduction: Reduction;
  private cursor = 0;
  private historyStride = 1;
  /** the per-epoch losses */
  private readonly history = new HandedOut();
  /** the epochs `log` asked for (with logEvery) */
  private readonly logged = new HandedOut();
  private cancelFlag = false;
  private lastProgress = 0;
  private state: TrainStatus;

  constructor(
    private readonly net: Network,
    private readonly inputs: Float64Array,
    private readonly targets: Float64Array,
    private readonly count: number,
    private readonly batchSize: number,
    private readonly optimiser: OptimiserOptions,
    private readonly maxHistory: number,
    private readonly opts: TrainOptions,
  ) {
    this.fast = new FastNet(net, batchSize, opts.twin);
    this.evaluator =
      batchSize >= count ? this.fast : new FastNet(net, Math.min(count, Math.max(batchSize, 512)));
    this.order = new Int32Array(count);
    for (let r = 0; r < count; r++) this.order[r] = r;
    this.rng = new Rng(opts.shuffleSeed ?? 1);
    this.shuffle = (opts.shuffle ?? batchSize < count) && batchSize < count;
    const needCopy = batchSize < count || this.shuffle;
    this.batchX = needCopy ? new Float64Array(batchSize * net.sizes[0]) : inputs;
    this.batchT = needCopy
      ? new Float64Array(batchSize * net.sizes[net.sizes.length - 1])
      : targets;
    const zerosLike = (arrays: Float64Array[], used: boolean) =>
      arrays.map((a) => new Float64Array(used ? a.length : 0));
    this.weightSteps = zerosLike(net.weights, true);
    this.biasSteps = zerosLike(net.biases, true);
    this.weightMoment1 = zerosLike(net.weights, optimiser.kind !== 'sgd');
    this.biasMoment1 = zerosLike(net.biases, optimiser.kind !== 'sgd');
    this.weightMoment2 = zerosLike(net.weights, optimiser.kind === 'adam');
    this.biasMoment2 = zerosLike(net.biases, optimiser.kind === 'adam');
    let params = 0;
    for (const w of net.weights) params += w.length;
    // ~6 flops per parameter per sample; poll cancellation about every 2·10^5 flops (well under 1
    // ms)
    this.checkEvery = Math.max(1, Math.floor(2e5 / (6 * params * batchSize + 1)));
    this.maxEpochs = opts.epochs ?? (opts.steps === undefined ? 1 : Infinity);
    this.maxSteps = opts.steps ?? Infinity;
    this.reduction = net.reduction;
    this.state = {
      epoch: 0,
      step: 0,
      loss: NaN,
      epochLoss: NaN,
      history: [],
      lossKind: net.spec.loss,
      reduction: this.reduction,
      done: false,
      reason: 'running',
      cancelled: false,
    };
    if (this.shuffle) this.rng.shuffle(this.order);
    const initial = this.evaluate();
    this.state.epochLoss = initial;
    this.history.push({ epoch: 0, loss: initial });
    this.logged.push({ epoch: 0, loss: initial });
    if (this.reached(initial)) this.finish('target-loss');
    else this.checkFinished();
  }

  /**
   * E over all the data with the current weights, in the data's order (mean or sum per reduction).
   */
  private evaluate(): number {
    const nIn = this.net.sizes[0],
      nOut = this.net.sizes[this.net.sizes.length - 1];
    const chunk =
      this.batchSize >= this.count
        ? this.count
        : Math.min(this.count, Math.max(this.batchSize, 512));
    let sum = 0;
    for (let r = 0; r < this.count; r += chunk) {
      const rows = Math.min(chunk, this.count - r);
      sum += this.evaluator.lossSum(
        this.inputs.subarray(r * nIn, (r + rows) * nIn),
        this.targets.subarray(r * nOut, (r + rows) * nOut),
        rows,
      );
    }
    return this.reduction === 'mean' ? sum / this.count : sum;
  }

  status(): TrainStatus {
    // the lists are copied before they next change, so this costs O(1) per call
    const history = this.history.handOut();
    if (this.opts.logEvery === undefined) return { ...this.state, history };
    return { ...this.state, history, logged: this.logged.handOut() };
  }

  cancel(): void {
    this.cancelFlag = true;
  }

  run(maxSteps: number): TrainStatus {
    for (let done = 0; done < maxSteps && !this.state.done; done++) {
      if (done % this.checkEvery === 0 && this.pollCancel()) break;
      this.step();
    }
    this.reportProgress(true);
    return this.status();
  }

  runFor(ms: number): TrainStatus {
    const start = Date.now();
    while (!this.state.done) {
      this.run(this.checkEvery);
      if (Date.now() - start >= ms) break;
    }
    return this.status();
  }

  private pollCancel(): boolean {
    if (this.cancelFlag || this.opts.isCancelled?.()) {
      this.finish('cancelled');
      this.state.cancelled = true;
      return true;
    }
    this.reportProgress(false);
    return false;
  }

  private reportProgress(force: boolean): void {
    if (!this.opts.onProgress) return;
    const now = Date.now();
    if (!force && now - this.lastProgress < (this.opts.progressIntervalMs ?? 100)) return;
    this.lastProgress = now;
    this.opts.onProgress(this.status());
  }

  private finish(reason: TrainStatus['reason']): void {
    this.state.done = true;
    this.state.reason = reason;
    // the end of training: E with the final weights (mid-epoch, a fractional point), kept unthinned
    const at = this.state.epoch + this.cursor / this.count;
    if (this.cursor > 0) this.state.epochLoss = this.evaluate();
    const end = { epoch: at, loss: this.state.epochLoss };
    if (this.history.last && this.history.last.epoch !== at) this.history.push(end);
    if (this.logged.last?.epoch !== at) this.logged.push(end);
  }

  private checkFinished(): void {
    if (this.state.epoch >= this.maxEpochs) this.finish('epochs');
    else if (this.state.step >= this.maxSteps) this.finish('steps');
  }

  /** one batch of the data: stepOn it, then the epoch bookkeeping */
  private step(): void {
    const rows = Math.min(this.batchSize, this.count - this.cursor);
    this.gatherBatch(rows);
    if (!this.descend(this.batchX, this.batchT, rows)) return;
    this.cursor += rows;
    if (this.cursor >= this.count) this.endEpoch();
    if (!this.state.done) this.checkFinished();
  }

  stepOn(x: Float64Array, t: Float64Array, rows: number): number {
    if (this.state.done) return NaN;
    if (!this.descend(x, t, rows)) return NaN;
    this.checkFinished();
    return this.state.loss;
  }

  /**
   * gradients of one batch, divergence checks, optimiser update; false (nothing applied) when it
   * diverged
   */
  private descend(x: Float64Array, t: Float64Array, rows: number): boolean {
    if (this.opts.staleWeights) return this.descendStale(x, t, rows);
    const n = this.net.sizes.length;
    // plain SGD with nothing frozen: FastNet checks and applies every step in two passes; when
    // something is not finite nothing changed, and the checks below find which
    const plain = this.plainSgd();
    const loss = plain
      ? this.fast.sgdStep(x, t, rows, this.opts.lr, this.opts.l2 ?? 0, this.reduction)
      : this.fast.gradients(x, t, rows, this.reduction);
    if (!Number.isFinite(loss)) return this.diverge('loss', n);
    if (plain && this.fast.applied) {
      this.state.step++;
      this.state.loss = loss;
      return true;
    }
    const bad = this.fast.firstNonFiniteGradient();
    if (bad >= 0) return this.diverge('gradient', bad + 2);
    const badStep = this.computeSteps();
    if (badStep >= 0) return this.diverge('update', badStep + 2);
    this.applySteps();
    this.state.step++;
    this.state.loss = loss;
    return true;
  }

  /**
   * one step making the stale-weights mistake (the engine's own interleaved backward and update)
   */
  private descendStale(x: Float64Array, t: Float64Array, rows: number): boolean {
    const net = this.net,
      n = net.sizes.length;
    const fwd = forward(net, x.subarray(0, rows * net.sizes[0]));
    const { back, upd } = backwardAndUpdate(net, fwd, t.subarray(0, rows * net.sizes[n - 1]), {
      lr: this.opts.lr,
      reduction: this.reduction,
      updateBeforePropagating: true,
    });
    const bad = upd.newWeights.findIndex(
      (w, m) => !w.every(Number.isFinite) || !upd.newBiases[m].every(Number.isFinite),
    );
    if (!Number.isFinite(back.loss) || bad >= 0) {
      upd.oldWeights.forEach((w, m) => net.weights[m].set(w));
      upd.oldBiases.forEach((b, m) => net.biases[m].set(b));
      return Number.isFinite(back.loss) ? this.diverge('update', bad + 2) : this.diverge('loss', n);
    }
    this.state.step++;
    this.state.loss = back.loss;
    return true;
  }

  private gatherBatch(rows: number): void {
    if (this.batchX === this.inputs) return;
    const nIn = this.net.sizes[0],
      nOut = this.net.sizes[this.net.sizes.length - 1];
    for (let r = 0; r < rows; r++) {
      const src = this.order[this.cursor + r];
      for (let c = 0; c < nIn; c++) this.batchX[r * nIn + c] = this.inputs[src * nIn + c];
      for (let c = 0; c < nOut; c++) this.batchT[r * nOut + c] = this.targets[src * nOut + c];
    }
  }

  private endEpoch(): void {
    this.cursor = 0;
    const epochLoss = this.evaluate();
    this.state.epoch++;
    this.state.epochLoss = epochLoss;
    if (this.state.epoch % this.historyStride === 0) {
      this.history.push({ epoch: this.state.epoch, loss: epochLoss });
      if (this.history.length > this.maxHistory) {
        this.historyStride *= 2;
        this.history.keep((h) => h.epoch % this.historyStride === 0);
      }
    }
    const every = this.opts.logEvery;
    if (every !== undefined && this.state.epoch % every === 0)
      this.logged.push({ epoch: this.state.epoch, loss: epochLoss });
    if (this.shuffle) this.rng.shuffle(this.order);
    if (this.reached(epochLoss)) this.finish('target-loss');
  }

  /** whether E has reached the `until` value */
  private reached(loss: number): boolean {
    const v = this.opts.stopAtLoss;
    return v !== undefined && (loss < v || (this.opts.stopAtOrBelow === true && loss === v));
  }

  private diverge(quantity: Divergence['quantity'], layer: number): false {
    const epoch = this.state.epoch + 1,
      step = this.state.step + 1;
    const what =
      quantity === 'loss'
        ? 'the loss'
        : quantity === 'gradient'
          ? `a gradient of the weights into L${layer}`
          : `an update of the weights into L${layer}`;
    this.state.diverged = {
      epoch,
      step,
      layer,
      quantity,
      message:
        `training diverged: ${what} became non-finite at epoch ${epoch}, step ${step}; ` +
        `the last finite weights are kept`,
    };
    this.finish('diverged');
    return false;
  }

  /**
   * the step each parameter takes, into weightSteps/biasSteps; index of a matrix with a non-finite
   * step, or −1
   */
  private computeSteps(): number {
    const { net, fast, optimiser } = this;
    const lr = this.opts.lr,
      l2 = this.opts.l2 ?? 0;
    const t = this.state.step + 1;
    const beta = optimiser.beta ?? 0.9;
    const beta1 = optimiser.beta1 ?? 0.9,
      beta2 = optimiser.beta2 ?? 0.999,
      epsilon = optimiser.epsilon ?? 1e-8;
    const correction1 = 1 - Math.pow(beta1, t),
      correction2 = 1 - Math.pow(beta2, t);
    const plain = this.plainSgd();
    for (let m = 0; m < net.weights.length; m++) {
      for (let pass = 0; pass < 2; pass++) {
        const isWeight = pass === 0;
        if (!isWeight && !net.spec.bias[m]) continue;
        const values = isWeight ? net.weights[m] : net.biases[m];
        const grads = isWeight ? fast.weightGrad[m] : fast.biasGrad[m];
        const frozen = isWeight ? net.frozenWeights[m] : net.frozenBiases[m];
        const steps = isWeight ? this.weightSteps[m] : this.biasSteps[m];
        const m1 = isWeight ? this.weightMoment1[m] : this.biasMoment1[m];
        const m2 = isWeight ? this.weightMoment2[m] : this.biasMoment2[m];
        const decay = isWeight ? l2 : 0;
        let check = 0;
        if (plain) {
          // sgd with nothing frozen: the loop below without its branches (same formulas, same bits)
          for (let p = 0; p < values.length; p++) {
            const s = lr * (grads[p] + decay * values[p]);
            steps[p] = s;
            check += (values[p] - s) * 0;
          }
          if (check !== check) return m;
          continue;
        }
        for (let p = 0; p < values.length; p++) {
          if (frozen[p] === 1) {
            steps[p] = 0;
            continue;
          }
          // g: ∂E/∂w plus the L2 term λ·w
          const g = grads[p] + decay * values[p];
          let s: number;
          if (optimiser.kind === 'sgd') s = lr * g;
          else if (optimiser.kind === 'momentum') {
            m1[p] = beta * m1[p] + g;
            s = lr * m1[p];
          } else {
            m1[p] = beta1 * m1[p] + (1 - beta1) * g;
            m2[p] = beta2 * m2[p] + (1 - beta2) * g * g;
            s = (lr * (m1[p] / correction1)) / (Math.sqrt(m2[p] / correction2) + epsilon);
          }
          steps[p] = s;
          check += (values[p] - s) * 0; // NaN exactly when the new value would not be finite
        }
        if (check !== check) return m;
      }
    }
    return -1;
  }

  /** plain SGD with nothing frozen */
  private plainSgd(): boolean {
    return this.optimiser.kind === 'sgd' && !this.anyFrozen();
  }

  private frozenSeen = -1;
  private frozenAny = false;

  /** whether any parameter is frozen (looked up again only when the net's frozen flags changed) */
  private anyFrozen(): boolean {
    if (this.frozenSeen !== this.net.frozenVersion) {
      this.frozenSeen = this.net.frozenVersion;
      this.frozenAny = this.net.hasFrozen();
    }
    return this.frozenAny;
  }

  private applySteps(): void {
    const net = this.net;
    for (let m = 0; m < net.weights.length; m++) {
      const w = net.weights[m],
        s = this.weightSteps[m];
      for (let p = 0; p < w.length; p++) w[p] -= s[p];
      if (!net.spec.bias[m]) continue;
      const b = net.biases[m],
        sb = this.biasSteps[m];
      for (let p = 0; p < b.length; p++) b[p] -= sb[p];
    }
  }
}
