/**
 * The derivation of one recorded number, as a result item: the engine's `explain` (the same code
 * and numbers `explain` prints in a notebook), followed by what the last update did to the
 * parameter (its recorded old and new values, or that it is frozen and did not move). The
 * notebook's `explain` statement, the Network panel (on `select`) and `show network` all use this.
 */
import { explain, type Derivation, type Quantity } from '../engine/explain';
import { toLatex } from '../engine/notation';
import type { QuantityRef } from '../language/ast';
import { parseQuantity, quantityLabel } from '../language/quantity';
import { encodeNumber, type DerivationItem, type NetworkItem } from '../protocol/results';
import { displayDigits } from '../protocol/text';
import { snapshot } from './present';
import type { Records } from './present';
import type { Network } from '../engine/network';
import { codeSpans } from '../protocol/text';
import type { TextPart } from '../protocol/results';

export interface Explainable {
  net: Network;
  rec: Records;
}

/**
 * A number as the substituted text writes it: the display digits (6 unless set), or every digit.
 */
function shown(v: number, exact: boolean): string {
  return exact || Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(displayDigits())));
}

/**
 * The result item of a derivation; `exact` (the same derivation with every digit) fills each step's
 * `exact`.
 */
export function derivationItem(d: Derivation, exact?: Derivation): DerivationItem {
  return {
    kind: 'derivation',
    quantity: d.quantity,
    value: encodeNumber(d.value),
    steps: d.steps.map((step, i) => ({
      symbolic: step.symbolic,
      substituted: step.substituted,
      ...(exact ? { exact: exact.steps[i].substituted } : {}),
      latex: step.latex,
      value: encodeNumber(step.value),
    })),
  };
}

/** The engine's quantity for a reference, or why it has no derivation. */
export function explainable(q: QuantityRef & { row?: number }): Quantity | string {
  if (q.kind === 'weightGrad' || q.kind === 'weight')
    return { kind: 'weightGrad', layer: q.layer, from: q.from, to: q.to };
  if (q.kind === 'biasGrad' || q.kind === 'bias')
    return { kind: 'biasGrad', layer: q.layer, node: q.node };
  if (q.kind === 'delta' || q.kind === 'activationGrad')
    return { kind: q.kind, layer: q.layer, node: q.node, ...(q.row ? { sample: q.row } : {}) };
  return (
    `explain works on gradients and deltas (dE/dw11[1], dE/db1[2], δ1[2], dE/da1[2], ` +
    `dE/dx1), not ${quantityLabel(q)}`
  );
}

/**
 * The derivation of ∂E/∂w, ∂E/∂b or δ from the last recorded passes, with the update step when the
 * last `update` changed (or, frozen, did not change) a parameter. A string says why there is none.
 */
export function explainQuantity(
  st: Explainable,
  q: QuantityRef & { row?: number },
): DerivationItem | string {
  const { net, rec } = st;
  const quantity = explainable(q);
  if (typeof quantity === 'string') return quantity;
  if (!rec.fwd || !rec.back)
    return (
      'run `forward` and `backward` first: explain shows the numbers of the last ' + 'backward pass'
    );
  if (quantity.kind === 'biasGrad' && !net.hasBias(quantity.layer))
    return `layer L${quantity.layer} has no biases`;
  let d: Derivation, exact: Derivation;
  try {
    d = explain(net, rec.fwd, rec.back, quantity, displayDigits());
    exact = explain(net, rec.fwd, rec.back, quantity, 17);
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  const item = derivationItem(d, exact);
  const upd = rec.upd;
  if (upd && (quantity.kind === 'weightGrad' || quantity.kind === 'biasGrad')) {
    const isWeight = quantity.kind === 'weightGrad';
    const m = quantity.layer - (isWeight ? 1 : 2);
    const p = isWeight
      ? net.weightIndex(quantity.layer, quantity.from, quantity.to)
      : net.biasIndex(quantity.layer, quantity.node);
    const before = (isWeight ? upd.oldWeights : upd.oldBiases)[m][p];
    const after = (isWeight ? upd.newWeights : upd.newBiases)[m][p];
    const name = quantityLabel(
      isWeight
        ? { kind: 'weight', layer: quantity.layer, from: quantity.from, to: quantity.to }
        : { kind: 'bias', layer: quantity.layer, node: quantity.node },
    );
    const frozen = isWeight
      ? net.isFrozen({
          kind: 'weight',
          layer: quantity.layer,
          from: quantity.from,
          to: quantity.to,
        })
      : net.isFrozen({ kind: 'bias', layer: quantity.layer, node: quantity.node });
    const stayed = frozen && before === after;
    const g = (exact: boolean) =>
      d.value < 0 ? `(${shown(d.value, exact)})` : shown(d.value, exact);
    item.steps.push(
      stayed
        ? {
            symbolic: `${name} is frozen: not updated`,
            substituted: `${name} stays ${shown(before, false)}`,
            exact: `${name} stays ${shown(before, true)}`,
            latex:
              `${toLatex(name)}\\text{ is frozen: not updated, it stays } ` +
              `${shown(before, false)}`,
            value: encodeNumber(after),
          }
        : {
            symbolic: `${name} ← ${name} − η·∂E/∂${name}`,
            substituted: `${shown(before, false)} − ${upd.lr}·${g(false)}`,
            exact: `${shown(before, true)} − ${upd.lr}·${g(true)}`,
            latex:
              `${toLatex(name)} \\leftarrow ` +
              `${toLatex(`${name} − η·∂E/∂${name}`).replace('η', '\\eta')} = ` +
              `${shown(before, false)} - ${upd.lr} \\cdot ${g(false)} = ${shown(after, false)}`,
            value: encodeNumber(after),
          },
    );
  }
  return item;
}

/**
 * A parameter name from the panel (`w11[1]`, `w(12,3)[2]`, `b2[3]`), read by the language's own
 * parser.
 */
export function explainParameter(st: Explainable, param: string): DerivationItem | string {
  const { quantity } = parseQuantity(param, 0);
  if (!quantity || (quantity.kind !== 'weight' && quantity.kind !== 'bias'))
    return `${param} is not a weight or a bias`;
  const k = quantity.layer;
  const sizes = st.net.sizes;
  const inRange =
    quantity.kind === 'weight'
      ? k < sizes.length && quantity.from <= sizes[k - 1] && quantity.to <= sizes[k]
      : k >= 2 && k <= sizes.length && quantity.node <= sizes[k - 1];
  if (!inRange) return `${param} is not a parameter of this network`;
  return explainQuantity(st, quantity);
}

/** Nets with more parameters than this get no derivations in their inline `show network` item. */
const INLINE_DERIVATION_LIMIT = 100;

/**
 * `show network`: the snapshot, and for a small net after backward every parameter's derivation.
 */
export function networkItem(st: Explainable & { name: string }, lossLabel: string): NetworkItem {
  const item: NetworkItem = {
    kind: 'network',
    snapshot: snapshot(st.name, st.net, st.rec, lossLabel),
  };
  const { net } = st;
  const count = net.weights.reduce((n, w, m) => n + w.length + net.biases[m].length, 0);
  if (!st.rec.back || count > INLINE_DERIVATION_LIMIT) return item;
  const derivations: Record<string, DerivationItem> = {};
  for (let k = 1; k < net.layerCount; k++) {
    for (let i = 1; i <= net.sizes[k - 1]; i++)
      for (let j = 1; j <= net.sizes[k]; j++) {
        const q = { kind: 'weight' as const, layer: k, from: i, to: j };
        const d = explainQuantity(st, q);
        if (typeof d !== 'string') derivations[quantityLabel(q)] = d;
      }
    if (net.hasBias(k + 1))
      for (let j = 1; j <= net.sizes[k]; j++) {
        const q = { kind: 'bias' as const, layer: k + 1, node: j };
        const d = explainQuantity(st, q);
        if (typeof d !== 'string') derivations[quantityLabel(q)] = d;
      }
  }
  item.derivations = derivations;
  return item;
}

/**
 * The line `update` and `step` print: the rule and the η it used (and that it is the default when
 * not written).
 */
export function updateText(lr: number, isDefault: boolean): TextPart[] {
  return codeSpans(
    `w ← w − η·∂E/∂w with η = ${lr}` +
      `${isDefault ? ' (the default; `update lr η` sets another for one update)' : ''}`,
  );
}
