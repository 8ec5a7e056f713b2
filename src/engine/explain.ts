import type { ElementwiseActivation } from './activations';
import { outputDelta, softmaxCoupling, targetSum, type OutputSample } from './losses';
import type { Network } from './network';
import { inSample, names, rowGradient, toLatex } from './notation';
import {
  activationGradOf,
  backpropSum,
  biasGradOf,
  hiddenActivation,
  outputSample,
  weightGradOf,
  type BackwardRecord,
  type ForwardRecord,
} from './passes';

export type Quantity =
  /** ∂E/∂wij[layer] */
  | { kind: 'weightGrad'; layer: number; from: number; to: number }
  /** ∂E/∂bj[layer] */
  | { kind: 'biasGrad'; layer: number; node: number }
  /** δj[layer] of one sample (default sample 1) */
  | { kind: 'delta'; layer: number; node: number; sample?: number }
  /** ∂E_s/∂aj[layer] of one sample's own loss (default sample 1); layer 1: ∂E_s/∂xj */
  | { kind: 'activationGrad'; layer: number; node: number; sample?: number };

export interface DerivationStep {
  /** the rule, in names: 'δ1[2] = g'(z1[2]) · Σj w1j[2]·δj[3]' */
  symbolic: string;
  /** the same with the recorded numbers in place of the names */
  substituted: string;
  value: number;
  /** 'symbolic = substituted = value' in LaTeX */
  latex: string;
}

export interface Derivation {
  /** name of the quantity, e.g. '∂E/∂w11[1]' */
  quantity: string;
  /** equals the recorded number exactly */
  value: number;
  /** every factor the value was built from, dependencies first; the last step is the quantity */
  steps: DerivationStep[];
}

/** Sums longer than this show their first terms and '…' in the substituted form. */
const SHOWN_TERMS = 8;

/**
 * Significant digits of the numbers put into `substituted` (set for the duration of one `explain`
 * call).
 */
let digits = 6;

function num(v: number): string {
  return Number.isInteger(v) || digits >= 17 ? String(v) : Number(v.toPrecision(digits)).toString();
}

/**
 * A number put into a formula as an operand: a negative one in parentheses, so 1 − (−0.74)² reads
 * right.
 */
function operand(v: number): string {
  return v < 0 ? `(${num(v)})` : num(v);
}

function sumText(terms: string[]): string {
  const shown = terms.length > SHOWN_TERMS ? [...terms.slice(0, SHOWN_TERMS), '…'] : terms;
  return shown.join(' + ');
}

class Explainer {
  readonly steps: DerivationStep[] = [];
  private readonly done = new Set<string>();

  constructor(
    private readonly net: Network,
    private readonly fwd: ForwardRecord,
    private readonly back: BackwardRecord,
  ) {}

  /**
   * A step; `latex` typesets its symbolic or substituted side where the notation's toLatex would
   * not (a user's formula, typeset from its expression)
   */
  add(
    symbolic: string,
    substituted: string,
    value: number,
    latex?: { symbolic?: string; substituted?: string },
  ): void {
    this.steps.push({
      symbolic,
      substituted,
      value,
      latex: latex
        ? `${latex.symbolic ?? toLatex(symbolic)} = ${latex.substituted ?? toLatex(substituted)}` +
          ` = ${toLatex(num(value))}`
        : toLatex(`${symbolic} = ${substituted} = ${num(value)}`),
    });
  }

  /** the step g'(z) = g′ with the numbers in, at the node's z and a */
  slope(g: ElementwiseActivation, zName: string, z: number, a: number, alpha: number): number {
    const slope = g.slope(z, a, alpha);
    this.add(
      `g'(${zName})`,
      g.slopeText(operand(a), operand(z), alpha),
      slope,
      g.slopeLatex && {
        substituted: g.slopeLatex(toLatex(operand(a)), toLatex(operand(z)), alpha),
      },
    );
    return slope;
  }

  /**
   * the step `${symbol} = ∂E/∂aj` of one output node, in names and with the numbers in (its value:
   * the loss's slope, or the recorded number given); returns its value
   */
  lossSlope(
    symbol: string,
    out: OutputSample,
    j: number,
    aName: string,
    tName: string,
    value = this.net.lossDef.slope(out, j),
  ): number {
    const def = this.net.lossDef;
    const a = out.a[out.offset + j],
      t = out.t[out.offset + j];
    this.add(
      `${symbol} = ${def.slopeText(aName, tName, out.n, j, out)}`,
      def.slopeText(operand(a), operand(t), out.n, j, out),
      value,
      def.slopeLatex && {
        symbolic:
          `${toLatex(symbol)} = ` + def.slopeLatex(toLatex(aName), toLatex(tName), out.n, j, out),
        substituted: def.slopeLatex(toLatex(operand(a)), toLatex(operand(t)), out.n, j, out),
      },
    );
    return value;
  }

  /**
   * steps for δj[k] of sample s (0-based j, s), after those of the deltas it depends on; returns
   * its value
   */
  delta(k: number, j: number, s: number): number {
    const net = this.net,
      n = net.layerCount,
      batch = this.fwd.batchSize;
    const key = `${k}:${j}:${s}`;
    const nk = net.sizes[k - 1];
    const recorded = this.back.delta[k][s * nk + j];
    if (this.done.has(key)) return recorded;
    this.done.add(key);
    const g = net.activationDefs[k - 2],
      alpha = net.alphas[k - 2];
    const name = (text: string) => inSample(text, s + 1, batch);
    const a = this.fwd.a[k][s * nk + j];
    const d = name(names.delta(k, j + 1)),
      aName = name(names.a(k, j + 1)),
      zName = name(names.z(k, j + 1));
    if (k === n) {
      const out = outputSample(net, this.fwd, this.back.targets, s);
      const t = out.t[out.offset + j],
        tName = name(names.t(j + 1));
      const value = outputDelta(out, j);
      const def = net.lossDef,
        user = def.user;
      // a built-in loss with its own derivation below (a user's loss may not take a built-in's
      // name)
      const builtin = user ? undefined : def.kind;
      if (def.ofNode) {
        // E = a of one output node: δ is that node's ∂a/∂z
        const node = out.node;
        const eName = name(names.a(k, node + 1));
        if (g.shape === 'softmax')
          this.add(
            `${d} = ∂${eName}/∂${zName} = ${eName}·([${node + 1} = ${j + 1}] − ${aName})`,
            `${num(out.a[out.offset + node])}·(${j === node ? 1 : 0} − ${operand(a)})`,
            value,
          );
        else if (j === node) {
          this.slope(g, zName, this.fwd.z[k][s * nk + j], a, alpha);
          this.add(`${d} = ∂${eName}/∂${zName} = g'(${zName})`, num(value), value);
        } else this.add(`${d} = ∂${eName}/∂${zName} = 0 (E is ${eName} alone)`, '0', value);
      } else if (builtin === 'cross-entropy') {
        this.add(
          `${d} = ${aName}·Σk tk − ${tName}`,
          `${num(a)}·${num(targetSum(out))} − ${operand(t)}`,
          value,
        );
      } else if (builtin === 'binary-cross-entropy') {
        this.add(`${d} = ${aName} − ${tName}`, `${num(a)} − ${operand(t)}`, value);
      } else if (builtin === 'half-squared' || builtin === 'mse') {
        if (g.shape === 'softmax')
          this.add(
            `${d} = ${aName}·(∂E/∂${aName} − Σk ∂E/∂ak[${k}]·ak[${k}])`,
            `${num(a)}·(${num(def.slope(out, j))} − ${operand(softmaxCoupling(out))})`,
            value,
          );
        else {
          const slope = this.slope(g, zName, this.fwd.z[k][s * nk + j], a, alpha);
          const factor = builtin === 'mse' ? `(2/${out.n})·` : '';
          this.add(
            `${d} = ${factor}(${aName} − ${tName}) · g'(${zName})`,
            `${factor}(${num(a)} − ${operand(t)}) · ${num(slope)}`,
            value,
          );
        }
      } else {
        // any other loss (the user's ℓ, or a built-in written out above): its ∂ℓ/∂a from its
        // record, written symbolically with the numbers in, then through g′
        const lossName = user ? def.kind : 'E';
        const dEda = this.lossSlope(`∂${lossName}/∂${aName}`, out, j, aName, tName);
        if (g.shape === 'softmax')
          this.add(
            `${d} = ${aName}·(∂${lossName}/∂${aName} − Σk ∂${lossName}/∂ak[${k}]·ak[${k}])`,
            `${num(a)}·(${num(dEda)} − ${operand(softmaxCoupling(out))})`,
            value,
          );
        else {
          const slope = this.slope(g, zName, this.fwd.z[k][s * nk + j], a, alpha);
          this.add(
            `${d} = ∂${lossName}/∂${aName} · g'(${zName})`,
            `${num(dEda)} · ${num(slope)}`,
            value,
          );
        }
      }
      return value;
    }
    const m = k - 1,
      nNext = net.sizes[k];
    const weights = this.back.weightsUsed[m];
    const terms: string[] = [];
    for (let q = 0; q < nNext; q++) {
      const dq = this.delta(k + 1, q, s);
      terms.push(`${num(weights[q * nk + j])}·${num(dq)}`);
    }
    const slope = this.slope(hiddenActivation(net, k), zName, this.fwd.z[k][s * nk + j], a, alpha);
    const value = slope * backpropSum(weights, this.back.delta[k + 1], nk, nNext, s, j);
    this.add(
      `${d} = g'(${zName}) · Σj w${j + 1}j[${k}]·δj[${k + 1}]`,
      `${num(slope)} · (${sumText(terms)})`,
      value,
    );
    return value;
  }

  /**
   * steps for ∂E_s/∂ai[k] of sample s (0-based i, s), after the deltas of layer k+1 it sums;
   * returns its value
   */
  activationGrad(k: number, i: number, s: number): number {
    const net = this.net,
      n = net.layerCount,
      batch = this.fwd.batchSize;
    const nk = net.sizes[k - 1];
    const value = activationGradOf(net, this.fwd, this.back, k, i, s);
    const label = rowGradient(k, i + 1, s + 1, batch);
    if (k === n) {
      const out = outputSample(net, this.fwd, this.back.targets, s);
      const name = (text: string) => inSample(text, s + 1, batch);
      this.lossSlope(label, out, i, name(names.a(k, i + 1)), name(names.t(i + 1)), value);
      return value;
    }
    const weights = this.back.weightsUsed[k - 1];
    const terms: string[] = [];
    for (let q = 0; q < net.sizes[k]; q++)
      terms.push(`${num(weights[q * nk + i])}·${num(this.delta(k + 1, q, s))}`);
    this.add(`${label} = Σj w${i + 1}j[${k}]·δj[${k + 1}]`, sumText(terms), value);
    return value;
  }

  /** deltas of every sample when the batch is small enough to show them all */
  deltasOf(k: number, j: number): void {
    if (this.fwd.batchSize <= 4) for (let s = 0; s < this.fwd.batchSize; s++) this.delta(k, j, s);
  }
}

function reductionPrefix(batch: number, reduction: string): string {
  return batch === 1 ? '' : reduction === 'mean' ? `(1/${batch})·` : '';
}

/**
 * How one recorded number came about: the chain of factors, each with its value, built by the
 * same functions the passes used, so the final value === the recorded one.
 */
export function explain(
  net: Network,
  fwd: ForwardRecord,
  back: BackwardRecord,
  quantity: Quantity,
  /**
   * significant digits of the substituted numbers; 17 or more writes every digit (the shortest
   * exact form)
   */
  significant = 6,
): Derivation {
  const saved = digits;
  digits = significant;
  try {
    return explainWith(net, fwd, back, quantity);
  } finally {
    digits = saved;
  }
}

function explainWith(
  net: Network,
  fwd: ForwardRecord,
  back: BackwardRecord,
  quantity: Quantity,
): Derivation {
  const ex = new Explainer(net, fwd, back);
  const batch = fwd.batchSize,
    red = back.reduction;
  if (quantity.kind === 'delta') {
    const { layer: k, node: j } = quantity;
    const s = (quantity.sample ?? 1) - 1;
    if (k < 2 || k > net.layerCount || j < 1 || j > net.sizes[k - 1] || s < 0 || s >= batch)
      throw new RangeError(`no ${names.delta(k, j)} for sample ${s + 1}`);
    const value = ex.delta(k, j - 1, s);
    return { quantity: inSample(names.delta(k, j), s + 1, batch), value, steps: ex.steps };
  }
  if (quantity.kind === 'activationGrad') {
    const { layer: k, node: j } = quantity;
    const s = (quantity.sample ?? 1) - 1;
    if (k < 1 || k > net.layerCount || j < 1 || j > net.sizes[k - 1] || s < 0 || s >= batch)
      throw new RangeError(`no ${names.da(k, j)} for sample ${s + 1}`);
    const value = ex.activationGrad(k, j - 1, s);
    return { quantity: rowGradient(k, j, s + 1, batch), value, steps: ex.steps };
  }
  if (quantity.kind === 'weightGrad') {
    const { layer: k, from: i, to: j } = quantity;
    net.weightIndex(k, i, j); // range check
    ex.deltasOf(k + 1, j - 1);
    const value = weightGradOf(fwd, back.delta, net.sizes, k, i - 1, j - 1, red);
    const nFrom = net.sizes[k - 1],
      nTo = net.sizes[k];
    const terms: string[] = [];
    for (let s = 0; s < batch; s++)
      terms.push(`${num(back.delta[k + 1][s * nTo + j - 1])}·${num(fwd.a[k][s * nFrom + i - 1])}`);
    const d = names.delta(k + 1, j),
      a = names.a(k, i);
    const symbolic =
      batch === 1
        ? `${names.dw(k, i, j)} = ${d} · ${a}`
        : `${names.dw(k, i, j)} = ${reductionPrefix(batch, red)}Σs ${d}(s)·${a}(s)`;
    const substituted =
      batch === 1
        ? terms[0].replace('·', ' · ')
        : `${reductionPrefix(batch, red)}(${sumText(terms)})`;
    ex.add(symbolic, substituted, value);
    return { quantity: names.dw(k, i, j), value, steps: ex.steps };
  }
  const { layer: k, node: j } = quantity;
  net.biasIndex(k, j); // range check
  ex.deltasOf(k, j - 1);
  const value = net.hasBias(k) ? biasGradOf(fwd, back.delta, net.sizes, k, j - 1, red) : 0;
  const terms: string[] = [];
  for (let s = 0; s < batch; s++) terms.push(num(back.delta[k][s * net.sizes[k - 1] + j - 1]));
  const d = names.delta(k, j);
  const symbolic = net.hasBias(k)
    ? batch === 1
      ? `${names.db(k, j)} = ${d}`
      : `${names.db(k, j)} = ${reductionPrefix(batch, red)}Σs ${d}(s)`
    : `${names.db(k, j)} = 0 (L${k} has no biases)`;
  const substituted = net.hasBias(k)
    ? batch === 1
      ? terms[0]
      : `${reductionPrefix(batch, red)}(${sumText(terms)})`
    : '0';
  ex.add(symbolic, substituted, value);
  return { quantity: names.db(k, j), value, steps: ex.steps };
}
