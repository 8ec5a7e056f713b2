import type { ActivationDef, ActivationKind } from './activations';
import type { NetworkSpec } from './types';
import { userLoss } from './userDefined';

/**
 * Per-sample losses and output-layer deltas, written once and shared by the recording
 * passes and by `explain`, so a derivation reproduces the recorded numbers bit for bit.
 * One sample's output values sit at z[offset..offset+n), a[…], t[…].
 */
export interface OutputSample {
  /** the loss's record */
  loss: LossDef;
  /** activation of the output layer */
  act: ActivationDef;
  /** its parameter (α), 0 without one */
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
  /** the output node (0-based) a loss of one node (`loss output j`) is; 0 for the others */
  node: number;
}

/**
 * One loss: ONE record, from which the engine's passes, spec validation, the language's keywords
 * and completion, the grammar, the docs and the runtime's labels follow (see ACTIVATION_LIST for
 * the activations' records).
 */
export interface LossDef<K extends string = string> {
  /** the engine's kind and the language's keyword */
  readonly kind: K;
  readonly aliases: readonly string[];
  /** E in words, as results and the panel show it: 'E = ½·Σ(a − t)²' */
  readonly label: string;
  readonly latex: string;
  /** the output activation this loss is computed from (its logits), when it needs one */
  readonly requires?: ActivationKind;
  /**
   * Its PyTorch form, as Python (src/runtime/pytorchPrelude.ts builds the script's losses from
   * these): `rows`, E_s of every row from the output layer's z, a and targets T (`self` is the
   * network); `inA`, the same written in a alone when `rows` reads z (∂E/∂a at the output needs
   * it). null when it has none: the export then refuses a network with this loss.
   */
  readonly pytorch: { readonly rows: string; readonly inA?: string } | null;
  /** E_s, this sample's loss */
  sample(s: OutputSample): number;
  /** δj[n] = ∂E_s/∂zj[n] of output node j (0-based) */
  delta(s: OutputSample, j: number): number;
  /** ∂E_s/∂aj[n] of output node j (0-based) */
  slope(s: OutputSample, j: number): number;
  /** that slope in names or numbers: aj and tj as written, n the output nodes, j 0-based */
  slopeText(a: string, t: string, n: number, j: number, s: OutputSample): string;
  /**
   * that slope typeset, with the LaTeX given for aj and tj (a user's loss: its symbolic ∂NAME/∂a);
   * without it a derivation typesets slopeText's notation
   */
  slopeLatex?(a: string, t: string, n: number, j: number, s: OutputSample): string;
  /**
   * E is one output node's activation itself (`loss output j`): it takes a node and reads no target
   */
  readonly ofNode?: true;
  /**
   * a user-defined loss (`loss NAME(a, t) = …`): its slope ∂NAME/∂a at one output, for derivations
   */
  readonly user?: {
    slope(a: number, t: number): number;
    /** the symbolic ∂NAME/∂a with the numbers put in */
    slopeText(aText: string, tText: string): string;
    formula: { loss: string; slope: string };
  };
}

/** One output's binary cross-entropy from its logit z, stably: max(z,0) − z·t + log(1 + e^−|z|). */
export function binaryCrossEntropyTerm(z: number, t: number): number {
  return Math.max(z, 0) - z * t + Math.log1p(Math.exp(-Math.abs(z)));
}

function squaredSum(s: OutputSample): number {
  let sum = 0;
  for (let j = 0; j < s.n; j++) {
    const e = s.a[s.offset + j] - s.t[s.offset + j];
    sum += e * e;
  }
  return sum;
}

/** δj for a squared-error loss, through the output's g' (softmax couples every output). */
function squaredDelta(s: OutputSample, j: number): number {
  const a = s.a[s.offset + j];
  const dEda = s.loss.slope(s, j);
  if (s.act.shape === 'softmax') return a * (dEda - softmaxCoupling(s));
  return dEda * s.act.slope(s.z[s.offset + j], a, s.alpha);
}

/** Σk tk of this sample (1 for one-hot targets). */
export function targetSum(s: OutputSample): number {
  let sum = 0;
  for (let k = 0; k < s.n; k++) sum += s.t[s.offset + k];
  return sum;
}

const halfSquared: LossDef<'half-squared'> = {
  kind: 'half-squared',
  aliases: [],
  label: 'E = ½·Σ(a − t)²',
  latex: 'E = \\tfrac{1}{2}\\sum_j (a_j - t_j)^2',
  pytorch: { rows: '0.5 * ((a - T) ** 2).sum(dim=1)' },
  sample: (s) => 0.5 * squaredSum(s),
  delta: squaredDelta,
  slope: (s, j) => s.a[s.offset + j] - s.t[s.offset + j],
  slopeText: (a, t) => `${a} − ${t}`,
};

const mse: LossDef<'mse'> = {
  kind: 'mse',
  aliases: [],
  label: 'E = (1/n)·Σ(a − t)²',
  latex: 'E = \\tfrac{1}{n}\\sum_j (a_j - t_j)^2',
  pytorch: { rows: '((a - T) ** 2).sum(dim=1) / self.sizes[-1]' },
  sample: (s) => squaredSum(s) / s.n,
  delta: squaredDelta,
  slope: (s, j) => (2 / s.n) * (s.a[s.offset + j] - s.t[s.offset + j]),
  slopeText: (a, t, n) => `(2/${n})·(${a} − ${t})`,
};

const crossEntropy: LossDef<'cross-entropy'> = {
  kind: 'cross-entropy',
  aliases: [],
  label: 'E = −Σ t·log softmax(z)',
  latex: 'E = -\\sum_j t_j \\log \\operatorname{softmax}(z)_j',
  // −Σ t·log softmax(z) = Σ t·(logsumexp(z) − z)
  pytorch: {
    rows: '(T * (torch.logsumexp(z, dim=1, keepdim=True) - z)).sum(dim=1)',
    inA: '-(T * torch.log(a)).sum(dim=1)',
  },
  requires: 'softmax',
  // −Σ t·log softmax(z) = Σ t·(lse − z), never log of a rounded probability
  sample(s) {
    let sum = 0;
    for (let j = 0; j < s.n; j++) sum += s.t[s.offset + j] * (s.logSumExp - s.z[s.offset + j]);
    return sum;
  },
  delta: (s, j) => s.a[s.offset + j] * targetSum(s) - s.t[s.offset + j],
  slope: (s, j) => -s.t[s.offset + j] / s.a[s.offset + j],
  slopeText: (a, t) => `−${t}/${a}`,
};

const binaryCrossEntropy: LossDef<'binary-cross-entropy'> = {
  kind: 'binary-cross-entropy',
  aliases: [],
  label: 'E = −Σ [t·log σ(z) + (1 − t)·log(1 − σ(z))]',
  latex: 'E = -\\sum_j [t_j \\log \\sigma(z_j) + (1 - t_j) \\log(1 - \\sigma(z_j))]',
  // max(z, 0) − z·t + log(1 + e^−|z|)
  pytorch: {
    rows: '(torch.clamp(z, min=0) - z * T + torch.log1p(torch.exp(-torch.abs(z)))).sum(dim=1)',
    inA: '-(T * torch.log(a) + (1 - T) * torch.log(1 - a)).sum(dim=1)',
  },
  requires: 'sigmoid',
  sample(s) {
    let sum = 0;
    for (let j = 0; j < s.n; j++)
      sum += binaryCrossEntropyTerm(s.z[s.offset + j], s.t[s.offset + j]);
    return sum;
  },
  delta: (s, j) => s.a[s.offset + j] - s.t[s.offset + j],
  slope(s, j) {
    const a = s.a[s.offset + j];
    return (a - s.t[s.offset + j]) / (a * (1 - a));
  },
  slopeText: (a, t) => `(${a} − ${t})/(${a}·(1 − ${a}))`,
};

/**
 * E = aj[n], one output node's activation itself (`loss output j`, node 1 when not written): the
 * circuit view, where the quantity differentiated is the output f, not a distance to a target.
 * δk[n] = ∂aj[n]/∂zk[n]: g′(zj[n]) for k = j and 0 for the other nodes (softmax: aj·([j = k] −
 * ak)).
 */
const output: LossDef<'output'> = {
  kind: 'output',
  aliases: [],
  label: 'E = aj[n], output node j itself (j = 1 unless named)',
  latex: 'E = a_j^{[n]}',
  pytorch: { rows: 'a[:, self.loss_node - 1]' }, // reads no target (T is None)
  ofNode: true,
  sample: (s) => s.a[s.offset + s.node],
  delta(s, j) {
    const a = s.a[s.offset + s.node];
    if (s.act.shape === 'softmax') return a * ((j === s.node ? 1 : 0) - s.a[s.offset + j]);
    return j === s.node ? s.act.slope(s.z[s.offset + j], s.a[s.offset + j], s.alpha) : 0;
  },
  slope: (s, j) => (j === s.node ? 1 : 0),
  slopeText: (_a, _t, _n, j, s) => (j === s.node ? '1' : '0'),
};

/** Every built-in loss, in the order the docs and completion list them. */
export const LOSS_LIST = [halfSquared, mse, crossEntropy, binaryCrossEntropy, output] as const;

/** The built-in losses' kinds (a literal union). */
export type LossKind = (typeof LOSS_LIST)[number]['kind'];

export const LOSSES: Readonly<Record<LossKind, LossDef>> = Object.fromEntries(
  LOSS_LIST.map((d) => [d.kind, d]),
) as Record<LossKind, LossDef>;

/** The record of a loss kind, or undefined when there is none. */
export function lossDef(kind: string): LossDef | undefined {
  return Object.prototype.hasOwnProperty.call(LOSSES, kind) ? LOSSES[kind as LossKind] : undefined;
}

/**
 * The output node (0-based) a spec's loss of one node is (`loss output j`): node 1 when not named.
 */
export function lossNodeOf(spec: Pick<NetworkSpec, 'lossNode'>): number {
  return (spec.lossNode ?? 1) - 1;
}

/** The record of a spec's loss: the built-in of its kind, or the user's definition. */
export function lossRecord(spec: Pick<NetworkSpec, 'loss' | 'userLoss'>): LossDef | undefined {
  if (spec.userLoss) return userLoss(spec.loss, spec.userLoss);
  return lossDef(spec.loss);
}

/** This sample's loss E_s. */
export function sampleLoss(s: OutputSample): number {
  return s.loss.sample(s);
}

/** δj[n] = ∂E_s/∂zj[n] for output node j (0-based here) of this sample. */
export function outputDelta(s: OutputSample, j: number): number {
  return s.loss.delta(s, j);
}

/** Σk ∂E_s/∂ak · ak: the term softmax couples every output through (by the loss's own slope). */
export function softmaxCoupling(s: OutputSample): number {
  let sum = 0;
  for (let k = 0; k < s.n; k++) sum += s.loss.slope(s, k) * s.a[s.offset + k];
  return sum;
}
