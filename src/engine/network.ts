import { alphaOf, resolveActivation, type ActivationDef } from './activations';
import { lossNodeOf, lossRecord, type LossDef } from './losses';
import { Rng } from './rng';
import { DEFAULT_MAX_BYTES, estimateBytes, formatBytes, validateSpec } from './spec';
import type { NetworkSpec, ParamRef, Reduction, Result } from './types';

/**
 * A fully-connected network and its parameters.
 *
 * Layout: weights[k-1] holds the matrix between layer k and k+1, row-major with one row per
 * TO-node: wij[k] (from node i[k] to node j[k+1]) is weights[k-1][(j-1)·n_k + (i-1)],
 * so zj[k+1] = Σi wij[k]·ai[k] is a dot product with one contiguous row.
 * biases[k-1] holds the biases of layer k+1: bj[k] is biases[k-2][j-1]; a layer without
 * biases keeps an all-zero array that nothing updates.
 * frozenWeights / frozenBiases mirror that layout: 1 = kept out of every update.
 */
export class Network {
  readonly spec: NetworkSpec;
  readonly sizes: readonly number[];
  readonly weights: Float64Array[];
  readonly biases: Float64Array[];
  readonly frozenWeights: Uint8Array[];
  readonly frozenBiases: Uint8Array[];
  /** the activation's record per weight matrix (index k-1 → layer k+1) */
  readonly activationDefs: ActivationDef[];
  /**
   * the activation's parameter (leaky-relu's α, else 0) per weight matrix (index k-1 → layer k+1)
   */
  readonly alphas: number[];
  /** the loss's record: a built-in, or the user's `loss NAME(a, t) = …` */
  readonly lossDef: LossDef;
  /** the output node (0-based) of a loss that is one node itself (`loss output j`), else 0 */
  readonly lossNode: number;

  /** Use createNetwork, which validates the spec and checks the memory limit first. */
  constructor(spec: NetworkSpec) {
    this.spec = {
      sizes: spec.sizes.slice(),
      activations: spec.activations.map((a) => ({ ...a })),
      bias: spec.bias.slice(),
      loss: spec.loss,
      reduction: spec.reduction ?? 'mean',
    };
    if (spec.userLoss) this.spec.userLoss = spec.userLoss;
    if (spec.lossNode !== undefined) this.spec.lossNode = spec.lossNode;
    this.sizes = this.spec.sizes;
    this.weights = [];
    this.biases = [];
    this.frozenWeights = [];
    this.frozenBiases = [];
    for (let k = 1; k < this.sizes.length; k++) {
      const nFrom = this.sizes[k - 1],
        nTo = this.sizes[k];
      this.weights.push(new Float64Array(nFrom * nTo));
      this.biases.push(new Float64Array(nTo));
      this.frozenWeights.push(new Uint8Array(nFrom * nTo));
      this.frozenBiases.push(new Uint8Array(nTo));
    }
    this.activationDefs = this.spec.activations.map(resolveActivation);
    this.alphas = this.spec.activations.map(alphaOf);
    const loss = lossRecord(this.spec);
    if (!loss) throw new TypeError(`unknown loss ${String(spec.loss)} in a validated spec`);
    this.lossDef = loss;
    this.lossNode = lossNodeOf(this.spec);
  }

  /** number of layers n (L1 … Ln) */
  get layerCount(): number {
    return this.sizes.length;
  }

  get reduction(): Reduction {
    return this.spec.reduction ?? 'mean';
  }

  /** whether layer k (≥ 2) has biases */
  hasBias(k: number): boolean {
    return this.spec.bias[k - 2] === true;
  }

  /** wij[k] */
  getWeight(k: number, i: number, j: number): number {
    return this.weights[k - 1][this.weightIndex(k, i, j)];
  }

  /** sets wij[k] */
  setWeight(k: number, i: number, j: number, value: number): void {
    this.weights[k - 1][this.weightIndex(k, i, j)] = value;
  }

  /** bj[k] (k ≥ 2) */
  getBias(k: number, j: number): number {
    return this.biases[k - 2][this.biasIndex(k, j)];
  }

  /** sets bj[k]; refused on a layer without biases */
  setBias(k: number, j: number, value: number): void {
    const index = this.biasIndex(k, j);
    if (!this.hasBias(k)) throw new RangeError(`layer L${k} has no biases`);
    this.biases[k - 2][index] = value;
  }

  /**
   * sets every wij[k] from rows[i-1][j-1] (rows = from-nodes, columns = to-nodes, like the seed)
   */
  setWeightMatrix(k: number, rows: ArrayLike<ArrayLike<number>>): void {
    this.checkLayer(k, 1, this.sizes.length - 1);
    const nFrom = this.sizes[k - 1],
      nTo = this.sizes[k];
    if (rows.length !== nFrom)
      throw new RangeError(
        `w[${k}] needs ${nFrom} rows (one per node of L${k}), got ${rows.length}`,
      );
    for (let i = 1; i <= nFrom; i++) {
      const row = rows[i - 1];
      if (row.length !== nTo)
        throw new RangeError(
          `w[${k}] row ${i} needs ${nTo} values (one per node of L${k + 1}), got ${row.length}`,
        );
      for (let j = 1; j <= nTo; j++) this.weights[k - 1][(j - 1) * nFrom + (i - 1)] = row[j - 1];
    }
  }

  /** wij[k] as rows[i-1][j-1] (the seed's orientation) */
  getWeightMatrix(k: number): number[][] {
    this.checkLayer(k, 1, this.sizes.length - 1);
    const nFrom = this.sizes[k - 1],
      nTo = this.sizes[k];
    const rows: number[][] = [];
    for (let i = 1; i <= nFrom; i++) {
      const row: number[] = [];
      for (let j = 1; j <= nTo; j++) row.push(this.weights[k - 1][(j - 1) * nFrom + (i - 1)]);
      rows.push(row);
    }
    return rows;
  }

  freeze(ref: ParamRef): void {
    this.setFrozen(ref, 1);
  }

  unfreeze(ref: ParamRef): void {
    this.setFrozen(ref, 0);
  }

  isFrozen(
    ref:
      | { kind: 'weight'; layer: number; from: number; to: number }
      | { kind: 'bias'; layer: number; node: number },
  ): boolean {
    if (ref.kind === 'weight')
      return this.frozenWeights[ref.layer - 1][this.weightIndex(ref.layer, ref.from, ref.to)] === 1;
    return this.frozenBiases[ref.layer - 2][this.biasIndex(ref.layer, ref.node)] === 1;
  }

  /** whether any parameter is frozen */
  hasFrozen(): boolean {
    return (
      this.frozenWeights.some((m) => m.includes(1)) || this.frozenBiases.some((m) => m.includes(1))
    );
  }

  clone(): Network {
    return Network.restore(this.spec, this);
  }

  /**
   * A network of this spec holding copies of the given parameters and frozen marks (e.g. sent to a
   * worker thread).
   */
  static restore(
    spec: NetworkSpec,
    from: Pick<Network, 'weights' | 'biases' | 'frozenWeights' | 'frozenBiases'>,
  ): Network {
    const copy = new Network(spec);
    for (let m = 0; m < copy.weights.length; m++) {
      copy.weights[m].set(from.weights[m]);
      copy.biases[m].set(from.biases[m]);
      copy.frozenWeights[m].set(from.frozenWeights[m]);
      copy.frozenBiases[m].set(from.frozenBiases[m]);
    }
    return copy;
  }

  /** position of wij[k] inside weights[k-1] */
  weightIndex(k: number, i: number, j: number): number {
    this.checkLayer(k, 1, this.sizes.length - 1);
    this.checkNode(k, i);
    this.checkNode(k + 1, j);
    return (j - 1) * this.sizes[k - 1] + (i - 1);
  }

  /** position of bj[k] inside biases[k-2] */
  biasIndex(k: number, j: number): number {
    this.checkLayer(k, 2, this.sizes.length);
    this.checkNode(k, j);
    return j - 1;
  }

  /**
   * changes whenever freeze/unfreeze is called (lets the fast path cache whether anything is
   * frozen)
   */
  frozenVersion = 0;

  private setFrozen(ref: ParamRef, flag: 0 | 1): void {
    this.frozenVersion++;
    switch (ref.kind) {
      case 'weight':
        this.frozenWeights[ref.layer - 1][this.weightIndex(ref.layer, ref.from, ref.to)] = flag;
        return;
      case 'bias':
        this.frozenBiases[ref.layer - 2][this.biasIndex(ref.layer, ref.node)] = flag;
        return;
      case 'weights':
        this.checkLayer(ref.layer, 1, this.sizes.length - 1);
        this.frozenWeights[ref.layer - 1].fill(flag);
        return;
      case 'biases':
        this.checkLayer(ref.layer, 2, this.sizes.length);
        this.frozenBiases[ref.layer - 2].fill(flag);
        return;
      case 'layer':
        this.checkLayer(ref.layer, 2, this.sizes.length);
        this.frozenWeights[ref.layer - 2].fill(flag);
        this.frozenBiases[ref.layer - 2].fill(flag);
        return;
    }
  }

  private checkLayer(k: number, low: number, high: number): void {
    if (!Number.isInteger(k) || k < low || k > high)
      throw new RangeError(`layer ${k} is outside ${low}..${high}`);
  }

  private checkNode(k: number, i: number): void {
    if (!Number.isInteger(i) || i < 1 || i > this.sizes[k - 1])
      throw new RangeError(`node ${i}[${k}] does not exist (L${k} has ${this.sizes[k - 1]} nodes)`);
  }
}

export interface CreateOptions {
  /** refuse networks needing more bytes than this (default 256 MiB) */
  maxBytes?: number;
  /** the batch size the network will be used with, for the memory estimate (default 1) */
  batchSize?: number;
}

/**
 * Validates the spec and checks its memory estimate against the limit BEFORE allocating;
 * returns the network or an error value (never throws for bad specs).
 */
export function createNetwork(spec: NetworkSpec, opts: CreateOptions = {}): Result<Network> {
  const problems = validateSpec(spec);
  if (problems.length > 0) {
    return { ok: false, error: { code: 'invalid-spec', message: problems.join('; '), problems } };
  }
  const limit = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const needed = estimateBytes(spec, { batchSize: opts.batchSize });
  if (needed > limit) {
    return {
      ok: false,
      error: {
        code: 'too-large',
        message:
          `network needs ${formatBytes(needed)} (${needed} bytes), limit ` +
          `${formatBytes(limit)} (${limit} bytes)`,
        bytesNeeded: needed,
        limit,
      },
    };
  }
  return { ok: true, value: new Network(spec) };
}

export interface InitOptions {
  method: 'uniform' | 'xavier' | 'he' | 'zeros';
  seed: number;
  /** uniform: weights drawn from U(−range, range); default 0.5 */
  range?: number;
}

/**
 * Sets every weight from a seeded generator and every bias to 0 (random weights already break the
 * symmetry between nodes). uniform: U(±range); xavier: U(±√(6/(n_in+n_out))); he: U(±√(6/n_in)).
 * Uses only +, ×, / and √, so the same seed gives the same bits on every machine.
 */
export function initialise(net: Network, opts: InitOptions): void {
  const rng = new Rng(opts.seed);
  const range = opts.range ?? 0.5;
  for (let m = 0; m < net.weights.length; m++) {
    const nIn = net.sizes[m],
      nOut = net.sizes[m + 1];
    const w = net.weights[m],
      b = net.biases[m];
    let limit = 0;
    if (opts.method === 'uniform') limit = range;
    else if (opts.method === 'xavier') limit = Math.sqrt(6 / (nIn + nOut));
    else if (opts.method === 'he') limit = Math.sqrt(6 / nIn);
    for (let p = 0; p < w.length; p++) w[p] = limit === 0 ? 0 : (2 * rng.next() - 1) * limit;
    b.fill(0);
  }
}
