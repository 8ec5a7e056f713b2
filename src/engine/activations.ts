/**
 * The activations: ONE record per activation g, from which everything else follows: the engine's
 * passes (recording, fast and explain), spec validation, the language's keywords, aliases and
 * completion, the TextMate grammar and the table in docs/language.md (both checked by tests), and
 * every test's list of activations. Adding one is adding a record to ACTIVATION_LIST (plus its
 * docs line); docs/architecture.md says how, and how a user-defined entry fits in.
 */

import { userActivation, type UserFunction } from './userDefined';
import { normalCdf, normalPdf } from './special';

/** Plain-text and LaTeX forms of g and g', for the docs table and derivations. */
interface Formulas {
  /** plain text, as docs/language.md's table writes it: '1/(1 + e^−z)' */
  g: string;
  /** g'(z), in a = g(z) where that is how the engine computes it: 'a·(1 − a)' */
  slope: string;
}

/**
 * An activation in an exported PyTorch script, as Python (src/runtime/pytorchPrelude.ts builds the
 * script's activation() and slope() from these).
 */
export interface TorchActivation {
  /** the module of its layer; `alpha` is the layer's parameter */
  readonly module: string;
  /** g'(z) from the tensors z and a = g(z) (only the stale-weight mistake needs it) */
  readonly slope: string;
  /** a Python class the module needs, when PyTorch's own rounds differently from the engine */
  readonly helper?: string;
}

/** What every activation has. */
interface ActivationBase<K extends string = string> {
  /** the engine's kind and the language's keyword */
  readonly kind: K;
  /** other spellings the language accepts */
  readonly aliases: readonly string[];
  /** in words, for the docs table and hovers */
  readonly label: string;
  readonly formula: Readonly<Formulas>;
  readonly latex: Readonly<Formulas>;
  /** a parameter written `kind(0.1)`, e.g. leaky-relu's α (default, least value) */
  readonly parameter?: { readonly name: string; readonly default: number; readonly min: number };
  /** its PyTorch form; null when it has none (the export then refuses a network using it) */
  readonly pytorch: TorchActivation | null;
}

/** An activation applied to each weighted input z on its own. */
export interface ElementwiseActivation<K extends string = string> extends ActivationBase<K> {
  readonly shape: 'element';
  /** g(z), with the layer's parameter (0 when it has none) */
  value(z: number, p: number): number;
  /** g'(z), given z and the node's output a = g(z) (whichever is more exact to compute it from) */
  slope(z: number, a: number, p: number): number;
  /** whether slope reads z: the fast path then keeps z beside a for this layer */
  readonly slopeReadsZ: boolean;
  /** g'(z) with the numbers written in, for derivations: 'a·(1 − a)' with a = '0.59' */
  slopeText(a: string, z: string, p: number): string;
  /**
   * g'(z) typeset, with the LaTeX given for a and z (a user's activation: its symbolic derivative);
   * without it a derivation typesets slopeText's notation
   */
  slopeLatex?(a: string, z: string, p: number): string;
  /**
   * Optional fused loops for the fast path, bit-identical to value/slope element by element
   * (the fast-path bit-identity test checks it for every activation). Without them the fast path
   * calls value and slope per element.
   */
  readonly kernel?: {
    /** a[p] = g(z[p]) for p < len (z and a may be the same array) */
    activate(z: Float64Array, a: Float64Array, len: number, p: number): void;
    /** P[q] *= g'(z[q]) for q < len, with the outputs a (z is only valid when slopeReadsZ) */
    slope(P: Float64Array, a: Float64Array, z: Float64Array, len: number, p: number): void;
  };
  /** g' jumps at z = 0 (relu): finite differences across 0 are meaningless there */
  readonly kinkAtZero?: boolean;
  /** g(z) = 0 with g'(z) = 0 for z ≤ 0: a unit can die (diagnostics), and many δ are exactly 0 */
  readonly dies?: boolean;
  /** whether output a is within `margin` of a bound where g' vanishes (diagnostics) */
  saturated?(a: number, margin: number): boolean;
}

/** softmax: applied per sample over the whole (output) layer; its deltas come with the loss. */
export interface SoftmaxActivation<K extends string = string> extends ActivationBase<K> {
  readonly shape: 'softmax';
}

export type ActivationDef<K extends string = string> =
  ElementwiseActivation<K> | SoftmaxActivation<K>;

/** σ(z), stable for any z: never forms exp of a large positive number. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** a ← σ(z) as `sigmoid` (1/(1+e^−z) for z ≥ 0, e^z/(1+e^z) below), one exp shared by both arms */
export function sigmoidInto(z: Float64Array, a: Float64Array, len: number): void {
  for (let p = 0; p < len; p++) {
    const v = z[p],
      e = Math.exp(-Math.abs(v));
    a[p] = (v >= 0 ? 1 : e) / (1 + e);
  }
}

const identity: ElementwiseActivation<'identity'> = {
  kind: 'identity',
  aliases: ['linear'],
  label: 'identity (no activation)',
  formula: { g: 'z', slope: '1' },
  latex: { g: 'z', slope: '1' },
  shape: 'element',
  pytorch: { module: 'nn.Identity()', slope: 'torch.ones_like(a)' },
  value: (z) => z,
  slope: () => 1,
  slopeReadsZ: false,
  slopeText: () => '1',
  kernel: {
    activate(z, a, len) {
      if (z !== a) a.set(z.subarray(0, len));
    },
    slope() {}, // × 1
  },
};

const sigmoidDef: ElementwiseActivation<'sigmoid'> = {
  kind: 'sigmoid',
  aliases: ['logistic'],
  label: 'logistic sigmoid σ (the seed’s g)',
  formula: { g: '1/(1 + e^−z)', slope: 'a·(1 − a)' },
  latex: { g: '\\frac{1}{1 + e^{-z}}', slope: 'a\\,(1 - a)' },
  shape: 'element',
  pytorch: { module: 'nn.Sigmoid()', slope: 'a * (1 - a)' },
  value: sigmoid,
  slope: (_z, a) => a * (1 - a),
  slopeReadsZ: false,
  slopeText: (a) => `${a}·(1 − ${a})`,
  kernel: {
    activate: (z, a, len) => sigmoidInto(z, a, len),
    slope(P, a, _z, len) {
      for (let q = 0; q < len; q++) {
        const y = a[q];
        P[q] *= y * (1 - y);
      }
    },
  },
  saturated: (a, margin) => !(a > margin && a < 1 - margin),
};

const tanh: ElementwiseActivation<'tanh'> = {
  kind: 'tanh',
  aliases: [],
  label: 'hyperbolic tangent',
  formula: { g: 'tanh z', slope: '1 − a²' },
  latex: { g: '\\tanh z', slope: '1 - a^{2}' },
  shape: 'element',
  pytorch: { module: 'nn.Tanh()', slope: '1 - a * a' },
  value: Math.tanh,
  slope: (_z, a) => 1 - a * a,
  slopeReadsZ: false,
  slopeText: (a) => `1 − ${a}²`,
  kernel: {
    activate(z, a, len) {
      for (let q = 0; q < len; q++) a[q] = Math.tanh(z[q]);
    },
    slope(P, a, _z, len) {
      for (let q = 0; q < len; q++) {
        const y = a[q];
        P[q] *= 1 - y * y;
      }
    },
  },
  saturated: (a, margin) => !(Math.abs(a) < 1 - margin),
};

// relu and leaky relu read g' from a: a > 0 ⇔ z > 0 (for leaky relu with α ≥ 0)
const relu: ElementwiseActivation<'relu'> = {
  kind: 'relu',
  aliases: [],
  label: 'rectified linear unit',
  formula: { g: 'max(0, z)', slope: '1 if z > 0 else 0' },
  latex: { g: '\\max(0, z)', slope: '[z > 0]' },
  shape: 'element',
  pytorch: { module: 'nn.ReLU()', slope: '(a > 0).to(a.dtype)' },
  value: (z) => (z > 0 ? z : 0),
  slope: (_z, a) => (a > 0 ? 1 : 0),
  slopeReadsZ: false,
  slopeText: (_a, z) => `(${z} > 0 ? 1 : 0)`,
  kernel: {
    activate(z, a, len) {
      for (let q = 0; q < len; q++) a[q] = z[q] > 0 ? z[q] : 0;
    },
    slope(P, a, _z, len) {
      // 0·sum as the recording path (keeps −0 and NaN alike)
      for (let q = 0; q < len; q++) if (!(a[q] > 0)) P[q] *= 0;
    },
  },
  kinkAtZero: true,
  dies: true,
};

const leakyRelu: ElementwiseActivation<'leaky-relu'> = {
  kind: 'leaky-relu',
  aliases: ['leakyrelu'],
  label: 'leaky relu with slope α below 0',
  formula: { g: 'z if z > 0 else α·z', slope: '1 if z > 0 else α' },
  latex: {
    g: 'z \\text{ if } z > 0 \\text{ else } \\alpha z',
    slope: '1 \\text{ if } z > 0 \\text{ else } \\alpha',
  },
  parameter: { name: 'α', default: 0.01, min: 0 },
  shape: 'element',
  pytorch: {
    module: 'nn.LeakyReLU(alpha)',
    slope: 'torch.where(a > 0, torch.ones_like(a), torch.full_like(a, alpha))',
  },
  value: (z, alpha) => (z > 0 ? z : alpha * z),
  slope: (_z, a, alpha) => (a > 0 ? 1 : alpha),
  slopeReadsZ: false,
  slopeText: (_a, z, alpha) => `(${z} > 0 ? 1 : ${alpha})`,
  kernel: {
    activate(z, a, len, alpha) {
      for (let q = 0; q < len; q++) a[q] = z[q] > 0 ? z[q] : alpha * z[q];
    },
    slope(P, a, _z, len, alpha) {
      for (let q = 0; q < len; q++) if (!(a[q] > 0)) P[q] *= alpha;
    },
  },
  kinkAtZero: true,
};

const softplus: ElementwiseActivation<'softplus'> = {
  kind: 'softplus',
  aliases: [],
  label: 'softplus, a smooth relu',
  formula: { g: 'log(1 + e^z)', slope: 'σ(z)' },
  latex: { g: '\\log(1 + e^{z})', slope: '\\sigma(z)' },
  shape: 'element',
  pytorch: {
    module: 'Softplus()',
    slope: 'torch.sigmoid(z)',
    helper: `class Softplus(nn.Module):
    """log(1 + e^z) as the notebook computes it, max(z, 0) + log(1 + e^-|z|): nn.Softplus returns z
    itself above its threshold (z > 20), e^-z away from it."""

    def forward(self, z):
        return torch.clamp(z, min=0) + torch.log1p(torch.exp(-torch.abs(z)))`,
  },
  // log1p of the smaller exponential: exact for large |z|, never overflows
  value: (z) => (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))),
  slope: (z) => sigmoid(z),
  slopeReadsZ: true,
  slopeText: (_a, z) => `σ(${z})`,
};

const elu: ElementwiseActivation<'elu'> = {
  kind: 'elu',
  aliases: [],
  label: 'exponential linear unit with α·(e^z − 1) below 0',
  formula: { g: 'z if z > 0 else α·(e^z − 1)', slope: '1 if z > 0 else α·e^z' },
  latex: {
    g: 'z \\text{ if } z > 0 \\text{ else } \\alpha (e^{z} - 1)',
    slope: '1 \\text{ if } z > 0 \\text{ else } \\alpha e^{z}',
  },
  parameter: { name: 'α', default: 1, min: 0 },
  shape: 'element',
  pytorch: {
    module: 'ELU(alpha)',
    slope: 'torch.where(z > 0, torch.ones_like(z), alpha * torch.exp(z))',
    helper: `class ELU(nn.Module):
    """z if z > 0 else α·(e^z − 1), with expm1 as the notebook: nn.ELU computes e^z − 1, which loses
    digits for z near 0."""

    def __init__(self, alpha):
        super().__init__()
        self.alpha = alpha

    def forward(self, z):
        return torch.where(z > 0, z, self.alpha * torch.expm1(torch.clamp(z, max=0)))`,
  },
  value: (z, alpha) => (z > 0 ? z : alpha * Math.expm1(z)),
  slope: (z, _a, alpha) => (z > 0 ? 1 : alpha * Math.exp(z)),
  slopeReadsZ: true,
  slopeText: (_a, z, alpha) => `(${z} > 0 ? 1 : ${alpha}·e^${z})`,
  kinkAtZero: true, // g' jumps from α to 1 unless α = 1
};

const gelu: ElementwiseActivation<'gelu'> = {
  kind: 'gelu',
  aliases: [],
  label: 'Gaussian error linear unit, exact (with erf), as PyTorch’s default',
  formula: { g: 'z·Φ(z)', slope: 'Φ(z) + z·φ(z)' },
  latex: { g: 'z\\,\\Phi(z)', slope: '\\Phi(z) + z\\,\\varphi(z)' },
  shape: 'element',
  pytorch: {
    module: 'GELU()',
    slope:
      '0.5 * torch.special.erfc(-z / math.sqrt(2)) + z * torch.exp(-z * z / 2) / math.sqrt(2 ' +
      '* math.pi)',
    helper: `class GELU(nn.Module):
    """z·Φ(z) with Φ(z) = ½·erfc(−z/√2), exact in the tails as the notebook's: nn.GELU's
    ½·z·(1 + erf(z/√2)) cancels, and loses every digit for z below about −6."""

    def forward(self, z):
        return z * 0.5 * torch.special.erfc(-z / math.sqrt(2))`,
  },
  value: (z) => z * normalCdf(z),
  slope: (z) => normalCdf(z) + z * normalPdf(z),
  slopeReadsZ: true,
  slopeText: (_a, z) => `Φ(${z}) + ${z}·φ(${z})`,
};

const silu: ElementwiseActivation<'silu'> = {
  kind: 'silu',
  aliases: ['swish'],
  label: 'sigmoid linear unit (swish)',
  formula: { g: 'z·σ(z)', slope: 'σ(z)·(1 + z·(1 − σ(z)))' },
  latex: { g: 'z\\,\\sigma(z)', slope: '\\sigma(z)\\,(1 + z\\,(1 - \\sigma(z)))' },
  shape: 'element',
  pytorch: { module: 'nn.SiLU()', slope: 'torch.sigmoid(z) * (1 + z * (1 - torch.sigmoid(z)))' },
  value: (z) => z * sigmoid(z),
  slope(z) {
    const s = sigmoid(z);
    return s * (1 + z * (1 - s));
  },
  slopeReadsZ: true,
  slopeText: (_a, z) => `σ(${z})·(1 + ${z}·(1 − σ(${z})))`,
};

const softmax: SoftmaxActivation<'softmax'> = {
  kind: 'softmax',
  aliases: [],
  label: 'softmax over the layer (output layer only)',
  formula: { g: 'e^zj / Σk e^zk', slope: 'aj·([j = k] − ak)' },
  latex: { g: '\\frac{e^{z_j}}{\\sum_k e^{z_k}}', slope: 'a_j([j = k] - a_k)' },
  shape: 'softmax',
  // an output layer only: the stale-weight mistake never takes its slope
  pytorch: { module: 'nn.Softmax(dim=1)', slope: 'torch.ones_like(a)' },
};

/** Every built-in activation, in the order the docs and completion list them. */
export const ACTIVATION_LIST = [
  identity,
  sigmoidDef,
  tanh,
  relu,
  leakyRelu,
  softplus,
  elu,
  gelu,
  silu,
  softmax,
] as const;

/** The built-in activations' kinds (a literal union: a misspelt kind does not compile). */
export type ActivationKind = (typeof ACTIVATION_LIST)[number]['kind'];

/** The built-in records by kind. */
export const ACTIVATIONS: Readonly<Record<ActivationKind, ActivationDef>> = Object.fromEntries(
  ACTIVATION_LIST.map((d) => [d.kind, d]),
) as Record<ActivationKind, ActivationDef>;

/** The record of a kind written by a user or read from a file, or undefined when there is none. */
export function activationDef(kind: string): ActivationDef | undefined {
  return Object.prototype.hasOwnProperty.call(ACTIVATIONS, kind)
    ? ACTIVATIONS[kind as ActivationKind]
    : undefined;
}

/**
 * One layer's activation in a spec: the kind, and its parameter (α) when it has one. A
 * user-defined activation carries its definition (JSON, so a spec still crosses to the training
 * worker); its record is built from it (userDefined.ts), one more entry beside the built-ins.
 */
export interface Activation {
  /** a built-in's kind, or the name of a user-defined activation */
  kind: ActivationKind | (string & {});
  /** the record's parameter (leaky-relu's α); must be ≥ parameter.min */
  alpha?: number;
  /** `activation NAME(z) = body`, for a user-defined activation */
  user?: UserFunction;
}

/** The record of a spec's activation: the built-in of its kind, or the user's definition. */
export function activationRecord(a: Activation): ActivationDef | undefined {
  if (a.user) return userActivation(a.kind, a.user);
  return activationDef(a.kind);
}

/** The record of a spec's activation (a spec is validated first: its kind is known). */
export function resolveActivation(a: Activation): ActivationDef {
  const def = activationRecord(a);
  if (!def) throw new TypeError(`unknown activation ${String(a.kind)} in a validated spec`);
  return def;
}

/** The parameter of a layer: written, or the record's default, or 0 without one. */
export function alphaOf(act: Activation): number {
  const parameter = resolveActivation(act).parameter;
  return parameter ? (act.alpha ?? parameter.default) : 0;
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
