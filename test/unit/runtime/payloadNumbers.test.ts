/**
 * Every number in the renderer's payload (a cell's result items) and the panel's payload (the
 * snapshot, the last training, each parameter's derivation) is the runtime's own number, over
 * random notebooks. The payloads are walked generically: every numeric leaf has a path
 * (`network.snapshot.weightGrad.#.#.#`), and each path is looked up in RULES, which read the
 * session's records directly (not through the runtime's quantity lookup). A path with no rule
 * fails, so a new payload field is checked as soon as it exists. Numbers written inside text
 * (messages, derivations, notes) must be one of the runtime's numbers to the digits they show.
 * Training is checked against a twin session that replays it as forward/backward/update cells.
 */
import { strict as assert } from 'assert';
import fc from 'fast-check';
import { Session, type NetState } from '../../../src/runtime/session';
import type { LossCurveItem, ResultItem, TableItem, TextPart } from '../../../src/protocol/results';
import { activationGradOf, backward, forward } from '../../../src/engine/passes';
import type { Network } from '../../../src/engine/network';
import type { ElementwiseActivation } from '../../../src/engine/activations';
import { parseQuantity } from '../../../src/language/quantity';
import type { QuantityRef } from '../../../src/language/ast';
import { host } from '../runHost';

/**
 * What a rule answers: the runtime's number, or 'any' for a count or an index (checked by its own
 * rule's words).
 */
type Expected = number | 'any' | undefined;

interface Facts {
  st: NetState;
  /**
   * per epoch of the last `train` (0 = before it): the twin's weights, biases, E, a and δ of row 1
   */
  epochs?: EpochFacts[];
}
interface EpochFacts {
  net: Network;
  weights: number[][][];
  biases: number[][];
  loss: number;
  a: number[][];
  delta: number[][];
}

// ---- reading the session's records (sample-major arrays, 1-based layers as in the engine) ----

function row(values: Float64Array | undefined, width: number, s = 0): number[] | undefined {
  return values && Array.from(values.subarray(s * width, (s + 1) * width));
}
const width = (st: NetState, k: number) => st.net.sizes[k - 1];
const wIndex = (st: NetState, k: number, i: number, j: number) => (j - 1) * width(st, k) + i - 1;

/** The recorded value of a quantity in row `s` (0-based), read from the records themselves. */
function recorded(st: NetState, q: QuantityRef, s = 0, when: 'now' | 'before' = 'now'): Expected {
  const { net, rec } = st;
  const upd = when === 'before' ? rec.upd : undefined;
  switch (q.kind) {
    case 'loss':
      return rec.back?.loss ?? forwardLoss(st);
    case 'input':
      return rec.fwd?.a[1][s * width(st, 1) + q.node - 1];
    case 'target':
      return rec.back?.targets[s * width(st, net.layerCount) + q.node - 1];
    case 'preActivation':
      return rec.fwd?.z[q.layer][s * width(st, q.layer) + q.node - 1];
    case 'activation':
      return rec.fwd?.a[q.layer][s * width(st, q.layer) + q.node - 1];
    case 'delta':
      return rec.back?.delta[q.layer][s * width(st, q.layer) + q.node - 1];
    case 'weight': {
      const p = wIndex(st, q.layer, q.from, q.to);
      return upd ? upd.oldWeights[q.layer - 1][p] : net.weights[q.layer - 1][p];
    }
    case 'bias':
      return upd ? upd.oldBiases[q.layer - 2][q.node - 1] : net.biases[q.layer - 2][q.node - 1];
    case 'weightGrad':
      return rec.back?.weightGrad[q.layer - 1][wIndex(st, q.layer, q.from, q.to)];
    case 'biasGrad':
      return rec.back?.biasGrad[q.layer - 2][q.node - 1];
  }
}

/**
 * E of the last forward pass against its data's targets, before any backward (the engine's loss).
 */
function forwardLoss(st: NetState): number | undefined {
  const targets = st.source === 'dataset' ? st.dataset?.targets : st.target;
  return st.rec.fwd && targets ? backward(st.net, st.rec.fwd, targets).loss : undefined;
}

/**
 * A quantity written in the seed's notation (`w11[1]`, `1[2]` is node 1 of layer 2 as a table row).
 */
function quantity(
  text: string,
  kind?: 'z' | 'a' | 'δ',
): (QuantityRef & { row?: number }) | undefined {
  const name = kind && /^\d/.test(text) ? `${kind}${text}` : text;
  return parseQuantity(name, 0).quantity;
}

function slope(st: NetState, k: number, j: number, s: number): number {
  const g = st.net.activationDefs[k - 2] as ElementwiseActivation;
  const n = width(st, k);
  return g.slope(
    st.rec.fwd!.z[k][s * n + j - 1],
    st.rec.fwd!.a[k][s * n + j - 1],
    st.net.alphas[k - 2],
  );
}

/** The update's new value of a parameter (the value after a frozen one's non-update too). */
function updated(st: NetState, q: QuantityRef): Expected {
  const upd = st.rec.upd;
  if (!upd) return undefined;
  if (q.kind === 'weight') return upd.newWeights[q.layer - 1][wIndex(st, q.layer, q.from, q.to)];
  if (q.kind === 'bias') return upd.newBiases[q.layer - 2][q.node - 1];
  return undefined;
}

/** The step the update applied (undefined: none recorded). */
function stepTaken(st: NetState, q: QuantityRef): Expected {
  const upd = st.rec.upd;
  if (!upd) return undefined;
  if (q.kind === 'weight') return upd.weightSteps[q.layer - 1][wIndex(st, q.layer, q.from, q.to)];
  if (q.kind === 'bias') return upd.biasSteps[q.layer - 2][q.node - 1];
  return undefined;
}

/** The value of a derivation step, by what its left side names. */
function stepValue(st: NetState, symbolic: string): Expected {
  const slopeOf = /^g'\(z(\d+)\[(\d+)\](?:\(s(\d+)\))?\)$/.exec(symbolic);
  if (slopeOf) return slope(st, +slopeOf[2], +slopeOf[1], +(slopeOf[3] ?? 1) - 1);
  const frozen = /^(\S+) is frozen: not updated$/.exec(symbolic);
  if (frozen) return updated(st, quantity(frozen[1])!);
  const moved = /^(\S+) ← /.exec(symbolic);
  if (moved) return updated(st, quantity(moved[1])!);
  const lhs = /^(\S+) = /.exec(symbolic);
  const q = lhs && quantity(lhs[1]);
  return q ? recorded(st, q, (q.row ?? 1) - 1) : undefined;
}

// ---- the rules: payload path → the runtime's number ----

type Rule = (idx: number[], f: Facts, item: unknown) => Expected;

const snap = (prefix: string): Record<string, Rule> => ({
  [`${prefix}sizes.#`]: ([k], { st }) => st.net.sizes[k],
  [`${prefix}weights.#.#.#`]: ([k, i, j], { st }) => st.net.getWeight(k + 1, i + 1, j + 1),
  [`${prefix}biases.#.#`]: ([k, j], { st }) => st.net.getBias(k + 2, j + 1),
  // the rows of the last forward pass, and the one every rule below reads (the first)
  [`${prefix}rows`]: (_, { st }) => st.rec.fwd?.batchSize,
  [`${prefix}row`]: () => 1,
  [`${prefix}z.#.#`]: ([k, j], { st }) => row(st.rec.fwd?.z[k + 1], width(st, k + 1))?.[j],
  [`${prefix}a.#.#`]: ([k, j], { st }) => row(st.rec.fwd?.a[k + 1], width(st, k + 1))?.[j],
  [`${prefix}delta.#.#`]: ([k, j], { st }) => row(st.rec.back?.delta[k + 1], width(st, k + 1))?.[j],
  // ∂E/∂a of the first row: the engine's function of the records (explain and show use it too)
  [`${prefix}activationGrad.#.#`]: ([k, j], { st }) =>
    st.rec.fwd && st.rec.back
      ? activationGradOf(st.net, st.rec.fwd, st.rec.back, k + 1, j, 0)
      : undefined,
  [`${prefix}weightGrad.#.#.#`]: ([k, i, j], { st }) =>
    st.rec.back?.weightGrad[k][wIndex(st, k + 1, i + 1, j + 1)],
  [`${prefix}biasGrad.#.#`]: ([k, j], { st }) => st.rec.back?.biasGrad[k][j],
  [`${prefix}loss`]: (_, { st }) => st.rec.back?.loss,
  [`${prefix}lr`]: (_, { st }) => st.rec.upd?.lr,
  [`${prefix}weightsBefore.#.#.#`]: ([k, i, j], { st }) =>
    st.rec.upd?.oldWeights[k][wIndex(st, k + 1, i + 1, j + 1)],
  [`${prefix}biasesBefore.#.#`]: ([k, j], { st }) => st.rec.upd?.oldBiases[k][j],
  [`${prefix}weightSteps.#.#.#`]: ([k, i, j], { st }) =>
    st.rec.upd?.frozenWeights[k][wIndex(st, k + 1, i + 1, j + 1)]
      ? undefined
      : st.rec.upd?.weightSteps[k][wIndex(st, k + 1, i + 1, j + 1)],
  [`${prefix}biasSteps.#.#`]: ([k, j], { st }) =>
    st.rec.upd?.frozenBiases[k][j] ? undefined : st.rec.upd?.biasSteps[k][j],
  // the pictures' grid: its ranges pad the data by a tenth of its extent (as the docs say), 24
  // points a side
  [`${prefix}maps.xRange.#`]: ([e], { st }) => padded(st, 0)[e],
  [`${prefix}maps.yRange.#`]: ([e], { st }) => padded(st, 1)[e],
  [`${prefix}maps.resolution`]: () => 24,
  [`${prefix}maps.values.#.#.#`]: ([k, j, p], { st }, item) =>
    pictureValue(st.net, (item as { snapshot: { maps: PictureGrid } }).snapshot.maps, k, j, p),
  [`${prefix}maps.points.#.x`]: ([r], { st }) => st.dataset?.inputs[r][0],
  [`${prefix}maps.points.#.y`]: ([r], { st }) => st.dataset?.inputs[r][1],
  [`${prefix}maps.points.#.label`]: ([r], { st }) => st.dataset?.targets[r][0],
});

// ---- the pass trace (panel only): each term is the product of two recorded numbers, named by its
// weight ----

interface TraceTermLeaf {
  param: string;
}
interface TraceNodeLeaf {
  forward: TraceTermLeaf[];
  backward?: TraceTermLeaf[];
}
const traceOf = (panel: unknown) =>
  (panel as { snapshot: { trace: { nodes: TraceNodeLeaf[][]; gradients: TraceTermLeaf[] } } })
    .snapshot.trace;

/** The weights (and biases) the last forward pass used: before the update, when there was one. */
function forwardWeight(st: NetState, q: QuantityRef): number | undefined {
  if (q.kind === 'weight')
    return (st.rec.upd?.oldWeights ?? st.net.weights)[q.layer - 1][
      wIndex(st, q.layer, q.from, q.to)
    ];
  if (q.kind === 'bias') return (st.rec.upd?.oldBiases ?? st.net.biases)[q.layer - 2][q.node - 1];
  return undefined;
}

/**
 * Term t of node j of layer k+1's forward sum: wij[k]·ai[k] of row 1 (or bj[k+1]), only if it names
 * that node's weight.
 */
function forwardTerm([k, j, t]: number[], { st }: Facts, panel: unknown): Expected {
  const q = quantity(traceOf(panel).nodes[k][j].forward[t].param);
  const fwd = st.rec.fwd;
  if (!q || !fwd) return undefined;
  if (q.kind === 'bias')
    return q.layer === k + 1 && q.node === j + 1 ? forwardWeight(st, q) : undefined;
  if (q.kind !== 'weight' || q.layer !== k || q.to !== j + 1) return undefined;
  return forwardWeight(st, q)! * fwd.a[k][q.from - 1];
}

/**
 * Term t of hidden node j of layer k+1's backward sum: wij[k+1]·δj[k+2] through the weights δ was
 * propagated with.
 */
function backwardTerm([k, j, t]: number[], { st }: Facts, panel: unknown): Expected {
  const q = quantity(traceOf(panel).nodes[k][j].backward![t].param);
  const back = st.rec.back;
  if (!q || !back || q.kind !== 'weight' || q.layer !== k + 1 || q.from !== j + 1) return undefined;
  return (
    back.weightsUsed[q.layer - 1][wIndex(st, q.layer, q.from, q.to)] * back.delta[k + 2][q.to - 1]
  );
}

/** A field of gradient g of the trace, by the weight it names. */
function traceGradient(field: 'delta' | 'a' | 'product' | 'value'): Rule {
  return ([g], { st }, panel) => {
    const q = quantity(traceOf(panel).gradients[g].param);
    const { fwd, back } = st.rec;
    if (!q || q.kind !== 'weight' || !fwd || !back) return undefined;
    const delta = back.delta[q.layer + 1][q.to - 1],
      a = fwd.a[q.layer][q.from - 1];
    if (field === 'value') return back.weightGrad[q.layer - 1][wIndex(st, q.layer, q.from, q.to)];
    return { delta, a, product: delta * a }[field];
  };
}

const T = 'panel.snapshot.trace.';

// the lines of the animation: each number part is one of its step's numbers, by its place among
// the line's numbers

type Line = object[];
/** Which number of its line the part at p is (0-based), read from the line itself. */
const numIndex = (line: Line, p: number) => line.slice(0, p).filter((x) => 'num' in x).length;
const traceNode = (panel: unknown, k: number, j: number) =>
  traceOf(panel).nodes[k][j] as unknown as {
    forward: { sum: Line }[];
    backward?: { sum: Line }[];
    lines: Record<string, Line>;
  };
/** a term's sum so far: term m's value, the ones after the first as |value| (written − |t|) */
function sumPart(term: Rule, dir: 'forward' | 'backward'): Rule {
  return ([k, j, t, p], f, panel) => {
    const m = numIndex(traceNode(panel, k, j)[dir]![t].sum, p);
    const v = term([k, j, m], f, panel);
    return m === 0 || typeof v !== 'number' ? v : Math.abs(v);
  };
}
/** the number of a node's line `name`, picked from its step's numbers */
function nodeLinePart(name: string, numbers: (k: number, j: number, f: Facts) => Expected[]): Rule {
  return ([k, j, p], f, panel) => {
    const line = traceNode(panel, k, j).lines[name];
    const all = numbers(k, j, f);
    // softmax's δ line has δ alone
    const count = line.filter((x) => 'num' in x).length;
    return count === 1 ? all[all.length - 1] : all[numIndex(line, p)];
  };
}
const ruleOf = (path: string) => TRACE_RULES[path];
const LINE_RULES: Record<string, Rule> = {
  [`${T}nodes.#.#.forward.#.says.#.num`]: ([k, j, t], f, panel) => forwardTerm([k, j, t], f, panel),
  [`${T}nodes.#.#.forward.#.sum.#.num`]: sumPart(forwardTerm, 'forward'),
  [`${T}nodes.#.#.backward.#.says.#.num`]: ([k, j, t], f, panel) =>
    backwardTerm([k, j, t], f, panel),
  [`${T}nodes.#.#.backward.#.sum.#.num`]: sumPart(backwardTerm, 'backward'),
  [`${T}nodes.#.#.lines.za.#.num`]: nodeLinePart('za', (k, j, f) => [
    ruleOf(`${T}nodes.#.#.z`)([k, j], f, undefined),
    ruleOf(`${T}nodes.#.#.a`)([k, j], f, undefined),
  ]),
  [`${T}nodes.#.#.lines.sum.#.num`]: nodeLinePart('sum', (k, j, f) => [
    ruleOf(`${T}nodes.#.#.sum`)([k, j], f, undefined),
  ]),
  // the output's δ = ∂E/∂a · g'(z), a hidden node's δ = g'(z) · Σ
  [`${T}nodes.#.#.lines.delta.#.num`]: nodeLinePart('delta', (k, j, f) => [
    ruleOf(`${T}nodes.#.#.${k + 1 === f.st.net.layerCount ? 'dEda' : 'slope'}`)(
      [k, j],
      f,
      undefined,
    ),
    ruleOf(`${T}nodes.#.#.${k + 1 === f.st.net.layerCount ? 'slope' : 'sum'}`)(
      [k, j],
      f,
      undefined,
    ),
    ruleOf(`${T}nodes.#.#.delta`)([k, j], f, undefined),
  ]),
  // δ · a = δ × a, and on a batch the reduction ∂E/∂w
  [`${T}gradients.#.line.#.num`]: ([g, p], f, panel) => {
    const line = (traceOf(panel).gradients[g] as unknown as { line: Line }).line;
    const field = (['delta', 'a', 'product', 'value'] as const)[numIndex(line, p)];
    return field && traceGradient(field)([g], f, panel);
  },
};

const TRACE_RULES: Record<string, Rule> = {
  [`${T}rows`]: (_, { st }) => st.rec.fwd?.batchSize,
  // the row the trace follows: the one every rule here reads (the records' first row)
  [`${T}row`]: () => 1,
  [`${T}nodes.#.#.z`]: ([k, j], { st }) => st.rec.fwd?.z[k + 1][j],
  [`${T}nodes.#.#.a`]: ([k, j], { st }) => st.rec.fwd?.a[k + 1][j],
  [`${T}nodes.#.#.forward.#.value`]: forwardTerm,
  [`${T}nodes.#.#.backward.#.value`]: backwardTerm,
  // Σ of a hidden node and ∂E/∂a of an output: the engine's ∂E/∂a of row 1 (as activationGrad
  // above)
  [`${T}nodes.#.#.sum`]: ([k, j], { st }) =>
    k + 1 < st.net.layerCount
      ? activationGradOf(st.net, st.rec.fwd!, st.rec.back!, k + 1, j, 0)
      : undefined,
  [`${T}nodes.#.#.dEda`]: ([k, j], { st }) =>
    k + 1 === st.net.layerCount
      ? activationGradOf(st.net, st.rec.fwd!, st.rec.back!, k + 1, j, 0)
      : undefined,
  [`${T}nodes.#.#.slope`]: ([k, j], { st }) => slope(st, k + 1, j + 1, 0),
  [`${T}nodes.#.#.delta`]: ([k, j], { st }) => st.rec.back?.delta[k + 1][j],
  [`${T}gradients.#.delta`]: traceGradient('delta'),
  [`${T}gradients.#.a`]: traceGradient('a'),
  [`${T}gradients.#.product`]: traceGradient('product'),
  [`${T}gradients.#.value`]: traceGradient('value'),
};

interface PictureGrid {
  xRange: [number, number];
  yRange: [number, number];
  resolution: number;
}

/** The data's range along one input, padded by 10% of its extent ([−1.5, 1.5] without data). */
function padded(st: NetState, axis: number): [number, number] {
  if (st.source !== 'dataset' || !st.dataset) return [-1.5, 1.5];
  const xs = st.dataset.inputs.map((r) => r[axis]);
  const lo = Math.min(...xs),
    hi = Math.max(...xs);
  const pad = 0.1 * (hi - lo || 1);
  return [lo - pad, hi + pad];
}

/**
 * aj[k] at grid point p of the pictures, by a forward pass of the engine, to the 4 digits a colour
 * needs.
 */
function pictureValue(
  net: Network,
  grid: PictureGrid,
  k: number,
  j: number,
  p: number,
  round = true,
): number {
  const n = grid.resolution;
  const [x0, x1] = grid.xRange,
    [y0, y1] = grid.yRange;
  const c = p % n,
    r = Math.floor(p / n);
  const x = [x0 + ((c + 0.5) / n) * (x1 - x0), y0 + ((r + 0.5) / n) * (y1 - y0)];
  const a = forward(net, x).a[k + 1][j];
  if (!round) return a;
  return Number.isFinite(a) ? Number(a.toPrecision(4)) : 0;
}

/** A table cell: found by the table's title, the column's name and the row's name. */
function tableCell([r, c]: number[], { st }: Facts, item: unknown): Expected {
  const t = item as TableItem;
  const rowName = String(t.rows[r][0]);
  const column = t.columns[c];
  const nodes = /^(nodes|weighted inputs z|activations a|deltas δ)/.exec(t.title);
  if (nodes) {
    const kind = ({ z: 'z', a: 'a', 'δ = ∂E/∂z': 'δ' } as const)[column as 'z' | 'a' | 'δ = ∂E/∂z'];
    const q = kind && quantity(rowName, kind);
    return q ? recorded(st, q) : undefined;
  }
  if (t.title === 'gradients') {
    const q = quantity(rowName)!;
    const gradient = recorded(
      st,
      q.kind === 'weight'
        ? { ...q, kind: 'weightGrad' }
        : { ...(q as { node: number; layer: number }), kind: 'biasGrad' },
    );
    if (column === 'value') return recorded(st, q, 0, 'before');
    if (column === '∂E/∂w') return gradient;
    // before an update the last two columns are what `update` with the session's η would do
    const frozen =
      q.kind === 'weight'
        ? st.net.frozenWeights[q.layer - 1][wIndex(st, q.layer, q.from, q.to)]
        : st.net.frozenBiases[(q as { layer: number }).layer - 2][(q as { node: number }).node - 1];
    const step = st.rec.upd ? stepTaken(st, q) : frozen ? 0 : -(st.lr * (gradient as number));
    if (column === 'Δw = −η·∂E/∂w') return step;
    if (column === 'new value') return updated(st, q);
    if (column === 'value after update') return (recorded(st, q) as number) + (step as number);
    return undefined;
  }
  const weights = /^weights \[(\d+)\]/.exec(t.title);
  if (weights) {
    const [i, j] = [/^(\d+)\[/.exec(rowName), /^(\d+)\[/.exec(column)];
    return i && j ? st.net.getWeight(+weights[1], +i[1], +j[1]) : undefined;
  }
  if (/^biases of layer/.test(t.title) && column === 'value')
    return recorded(st, quantity(rowName)!);
  const every = /^(\S+) in every row$/.exec(t.title);
  if (every) {
    const q = quantity(every[1])!;
    const s = (t.rows[r][0] as number) - 1;
    if (c === 0) return r + 1;
    if (c === 1) return recorded(st, q, s);
    // the batch loss's share of row s: (1/m)·δ(s) for a mean over m rows
    const m = st.rec.back!.batchSize;
    if (c === 2 && q.kind === 'delta')
      return (recorded(st, q, s) as number) * (st.rec.back!.reduction === 'mean' ? 1 / m : 1);
  }
  return undefined;
}

const epoch = (f: Facts, e: number) => f.epochs?.[e];
/** the number part at index p of a loss curve's summary: E at epoch 0, E at the end, the epochs */
function curveWords(f: Facts, summary: TextPart[], p: number): number | undefined {
  const last = (f.epochs?.length ?? 0) - 1;
  const k = summary.slice(0, p).filter((q) => 'num' in q).length;
  return [epoch(f, 0)?.loss, epoch(f, last)?.loss, last][k];
}

// ---- phase stepping (panel only): each number by the name beside it, each count by the net ----

interface PhaseLeaf {
  stage: string;
  layer?: number;
  numbers: [string, number][];
}
const phaseOf = (panel: unknown, ph: number) =>
  (panel as { snapshot: { phases: PhaseLeaf[] } }).snapshot.phases[ph];

const PHASE_RULES: Record<string, Rule> = {
  'panel.snapshot.phases.#.numbers.#.#': ([ph, n], { st }, panel) => {
    const name = phaseOf(panel, ph).numbers[n][0];
    if (name === 'E') return st.rec.back?.loss;
    if (name === 'η') return st.rec.upd?.lr;
    const q = quantity(name);
    return q && recorded(st, q);
  },
  // the update's rule: wij[k] ← wij[k] − η · ∂E/∂wij[k] with η = (the update's η)
  'panel.snapshot.phases.#.rule.#.num': (_, { st }) => st.rec.upd?.lr,
  'panel.snapshot.phases.#.layer': () => 'any',
  // how many numbers a phase produced: a layer's x, its z and a, or its δ; E; η; each ∂E/∂w, ∂E/∂b
  'panel.snapshot.phases.#.total': ([ph], { st }, panel) => {
    const { stage, layer } = phaseOf(panel, ph);
    const sizes = st.net.sizes;
    const params = sizes
      .slice(1)
      .reduce((sum, nTo, m) => sum + nTo * sizes[m] + (st.net.hasBias(m + 2) ? nTo : 0), 0);
    return {
      inputs: sizes[0],
      forward: 2 * sizes[(layer ?? 0) - 1],
      error: 1,
      output: sizes[(layer ?? 0) - 1],
      hidden: sizes[(layer ?? 0) - 1],
      gradients: params,
      update: 1,
    }[stage];
  },
};

const RULES: Record<string, Rule> = {
  ...snap('panel.snapshot.'),
  ...TRACE_RULES,
  ...PHASE_RULES,
  ...LINE_RULES,
  ...snap('network.snapshot.'),
  'table.rows.#.#': tableCell,
  'table.totalRows': () => 'any',
  'table.changed.#': ([n]) => [1, 4][n],
  'network.derivations.*.value': (_, f, d) =>
    stepValue(f.st, `${(d as { quantity: string }).quantity} = `),
  'network.derivations.*.steps.#.value': ([n], f, d) =>
    stepValue(f.st, (d as { steps: { symbolic: string }[] }).steps[n].symbolic),
  'panel.derivations.*.value': (_, f, d) =>
    stepValue(f.st, `${(d as { quantity: string }).quantity} = `),
  'panel.derivations.*.steps.#.value': ([n], f, d) =>
    stepValue(f.st, (d as { steps: { symbolic: string }[] }).steps[n].symbolic),
  'derivation.value': (_, f, d) => stepValue(f.st, `${(d as { quantity: string }).quantity} = `),
  'derivation.steps.#.value': ([n], f, d) =>
    stepValue(f.st, (d as { steps: { symbolic: string }[] }).steps[n].symbolic),
  'expect.actual': (_, f, e) =>
    recorded(
      f.st,
      quantity((e as { quantity: string }).quantity)!,
      (quantity((e as { quantity: string }).quantity)!.row ?? 1) - 1,
    ),
  // actual − expected in exact decimal: the binary difference agrees to rounding
  'expect.difference': (_, f, e) => {
    const x = e as { quantity: string; expected: number };
    const q = quantity(x.quantity)!;
    return (recorded(f.st, q, (q.row ?? 1) - 1) as number) - x.expected;
  },
  // the expected value and tolerance are the cell's own text (checked against it below)
  'expect.expected': () => 'any',
  'expect.tolerance': () => 'any',
  // a training run: E at every epoch and the weights and numbers of every timeline point, from the
  // twin
  'lossCurve.points.#.#': ([p, c], f) => (c === 0 ? p : epoch(f, p)?.loss),
  'panel.lossCurve.points.#.#': ([p, c], f) => (c === 0 ? p : epoch(f, p)?.loss),
  'message.sparkline.#': ([p], f) => epoch(f, p)?.loss,
  // the curve's words: E before the run, E after it, and the epochs it ran
  'lossCurve.summary.#.num': ([p], f, c) => curveWords(f, (c as LossCurveItem).summary, p),
  'panel.lossCurve.summary.#.num': ([p], f, t) =>
    curveWords(f, (t as { lossCurve: LossCurveItem }).lossCurve.summary, p),
  // the decision boundary: the first output over a 48² grid covering the data, by the engine's
  // forward pass
  'panel.boundary.xRange.#': ([e], { st }) => padded(st, 0)[e],
  'panel.boundary.yRange.#': ([e], { st }) => padded(st, 1)[e],
  'panel.boundary.resolution': () => 48,
  'panel.boundary.values.#': ([p], f, panel) =>
    boundaryValue(f, (panel as { boundary: PictureGrid }).boundary, p, f.epochs?.at(-1)?.net),
  'panel.boundary.points.#.x': ([r], { st }) => st.dataset?.inputs[r][0],
  'panel.boundary.points.#.y': ([r], { st }) => st.dataset?.inputs[r][1],
  'panel.boundary.points.#.label': ([r], { st }) => st.dataset?.targets[r][0],
  'panel.timeline.#.boundary.#': ([t, p], f, panel) =>
    boundaryValue(f, (panel as { boundary: PictureGrid }).boundary, p, pointNet(f, panel, t)),
  'panel.timeline.#.maps.#.#.#': ([t, k, j, p], f, panel) => {
    const net = pointNet(f, panel, t);
    const grid = (panel as { snapshot: { maps: PictureGrid } }).snapshot.maps;
    return net && pictureValue(net, grid, k, j, p);
  },
  'panel.timeline.#.epoch': ([p], f, t) =>
    (t as { timeline: { epoch: number }[] }).timeline[p].epoch <= (f.epochs?.length ?? 0)
      ? 'any'
      : undefined,
  'panel.timeline.#.step': () => 'any',
  // a and δ of the training data's first row (the twin's), of all its rows
  'panel.timeline.#.rows': (_, { st }) => (st.source === 'dataset' ? st.dataset?.inputs.length : 1),
  'panel.timeline.#.row': () => 1,
  'panel.timeline.#.loss': ([p], f, t) =>
    epoch(f, (t as { timeline: { epoch: number }[] }).timeline[p].epoch)?.loss,
  'panel.timeline.#.weights.#.#.#': ([p, k, i, j], f, t) =>
    epoch(f, (t as { timeline: { epoch: number }[] }).timeline[p].epoch)?.weights[k][i][j],
  'panel.timeline.#.biases.#.#': ([p, k, j], f, t) =>
    epoch(f, (t as { timeline: { epoch: number }[] }).timeline[p].epoch)?.biases[k][j],
  'panel.timeline.#.a.#.#': ([p, k, j], f, t) =>
    epoch(f, (t as { timeline: { epoch: number }[] }).timeline[p].epoch)?.a[k][j],
  'panel.timeline.#.delta.#.#': ([p, k, j], f, t) =>
    epoch(f, (t as { timeline: { epoch: number }[] }).timeline[p].epoch)?.delta[k][j],
};

/** The twin's network at timeline point t. */
function pointNet(f: Facts, panel: unknown, t: number): Network | undefined {
  return epoch(f, (panel as { timeline: { epoch: number }[] }).timeline[t].epoch)?.net;
}

/**
 * The first output at point p of the boundary grid (a training's boundary: with the weights it
 * left).
 */
function boundaryValue(f: Facts, grid: PictureGrid, p: number, net = f.st.net): number | undefined {
  return pictureValue(net, grid, f.st.net.layerCount - 1, 0, p, false);
}

// ---- the walk ----

interface Leaf {
  pattern: string;
  idx: number[];
  value: number;
  /** the derivation a `derivations.*` leaf belongs to */
  keyed: unknown;
}

const NUM_STRINGS = new Set(['NaN', 'Infinity', '-Infinity']);

/**
 * Every number under `v`, with its path; the keys of `derivations` (parameter names) become `*`.
 */
function walk(
  v: unknown,
  path: string[],
  idx: number[],
  keyed: unknown,
  out: Leaf[],
  strings: string[],
): void {
  const pattern = path.join('.');
  if (typeof v === 'number') out.push({ pattern, idx, value: v, keyed });
  else if (typeof v === 'string') {
    // an expectation's difference is a number written as exact decimal text
    if (NUM_STRINGS.has(v) || pattern === 'expect.difference')
      out.push({ pattern, idx, value: Number(v), keyed });
    else strings.push(v);
  } else if (Array.isArray(v))
    v.forEach((x, i) => walk(x, [...path, '#'], [...idx, i], keyed, out, strings));
  else if (v && typeof v === 'object') {
    const byName = path[path.length - 1] === 'derivations';
    for (const [key, x] of Object.entries(v))
      walk(x, [...path, byName ? '*' : key], idx, byName ? x : keyed, out, strings);
  }
}

/** Equal as the display needs: the same double (a replayed training agrees to rounding). */
function same(a: number, b: number, replayed: boolean): boolean {
  if (Object.is(a, b) || a === b || (Number.isNaN(a) && Number.isNaN(b))) return true;
  return replayed && Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b));
}

/**
 * Numbers written in text: each must be a runtime number (or one the notebook wrote) to the digits
 * shown.
 */
function textNumbers(strings: string[], pool: number[]): string[] {
  const bad: string[] = [];
  const abs = pool.filter(Number.isFinite).map(Math.abs);
  for (const s of strings)
    for (const m of s.matchAll(/\d+\.\d+(?:e[+-]?\d+)?|\d+(?:\.\d+)?e[+-]?\d+/g)) {
      const v = Number(m[0]);
      const digits = m[0].replace(/e.*$/, '').replace('.', '').replace(/^0+/, '').length;
      const ok = abs.some((x) => x === v || Number(x.toPrecision(Math.max(1, digits))) === v);
      if (!ok) bad.push(`${m[0]} in "${s.slice(0, 120)}"`);
    }
  return bad;
}

/** Every number the session holds, and those the notebook's text wrote. */
function poolOf(f: Facts, source: string, extra: number[]): number[] {
  const { st } = f;
  const out: number[] = [...extra, st.lr];
  const add = (xs: ArrayLike<number> | undefined) => xs && out.push(...Array.from(xs));
  st.net.weights.forEach(add);
  st.net.biases.forEach(add);
  const { fwd, back, upd } = st.rec;
  fwd?.z.forEach(add);
  fwd?.a.forEach(add);
  if (back) {
    back.delta.forEach(add);
    back.weightGrad.forEach(add);
    back.biasGrad.forEach(add);
    add(back.sampleLosses);
    add(back.targets);
    out.push(back.loss);
  }
  if (upd) out.push(upd.lr);
  if (upd)
    [
      upd.oldWeights,
      upd.newWeights,
      upd.oldBiases,
      upd.newBiases,
      upd.weightSteps,
      upd.biasSteps,
    ].forEach((l) => l.forEach(add));
  if (!back && fwd) out.push(forwardLoss(st) ?? NaN);
  st.dataset?.inputs.forEach(add);
  st.dataset?.targets.forEach(add);
  f.epochs?.forEach((e) => out.push(e.loss));
  for (const m of source.matchAll(/\d+(?:\.\d+)?(?:e[+-]?\d+)?/g)) out.push(Number(m[0]));
  return out;
}

/** Checks every number of a cell's items and of the panel's payload; returns what disagrees. */
function check(
  items: ResultItem[],
  panel: Record<string, unknown>,
  f: Facts,
  source: string,
): string[] {
  const leaves: Leaf[] = [];
  const strings: string[] = [];
  const roots: unknown[] = [];
  const add = (name: string, root: unknown) => {
    const start = leaves.length;
    walk(root, [name], [], undefined, leaves, strings);
    for (let n = start; n < leaves.length; n++) roots.push(root);
  };
  // as VS Code and the webview receive them: JSON
  for (const item of JSON.parse(JSON.stringify(items)) as ResultItem[]) add(item.kind, item);
  add('panel', JSON.parse(JSON.stringify(panel)));
  const problems: string[] = [];
  const stepValues: number[] = [];
  for (const [n, leaf] of leaves.entries()) {
    const rule = RULES[leaf.pattern];
    if (!rule) {
      problems.push(`no rule for payload field ${leaf.pattern}: say which runtime number it is`);
      continue;
    }
    const want = rule(leaf.idx, f, leaf.keyed ?? roots[n]);
    if (want === 'any') continue;
    const replayed = /lossCurve|sparkline|timeline|difference/.test(leaf.pattern);
    if (want === undefined || !same(leaf.value, want, replayed))
      problems.push(
        `${leaf.pattern} [${leaf.idx.join(',')}] = ${leaf.value}, the runtime has ${want}`,
      );
    if (/steps\.#\.value/.test(leaf.pattern)) stepValues.push(leaf.value);
  }
  problems.push(...textNumbers(strings, poolOf(f, source, stepValues)));
  // one line per kind of disagreement, with how often it came
  const counts = new Map<string, number>();
  for (const p of problems) {
    const kind = p.replace(/ \[.*$/, '');
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  return [...counts].map(([kind, n]) =>
    n > 1
      ? `${kind} (×${n}), e.g. ${problems.find((p) => p.startsWith(kind))}`
      : problems.find((p) => p.startsWith(kind))!,
  );
}

// ---- random notebooks ----

const ACTIVATIONS = ['sigmoid', 'tanh', 'relu', 'identity', 'leaky-relu(0.1)'];
const decimal = fc.integer({ min: -20, max: 20 }).map((n) => n / 10);

interface Notebook {
  setup: string;
  cells: string[];
}

const notebook: fc.Arbitrary<Notebook> = fc
  .record({
    sizes: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 2, maxLength: 4 }),
    acts: fc.array(fc.constantFrom(...ACTIVATIONS), { minLength: 3, maxLength: 3 }),
    seed: fc.integer({ min: 1, max: 9999 }),
    reduction: fc.constantFrom('mean', 'sum'),
    rows: fc.integer({ min: 1, max: 3 }),
    values: fc.array(decimal, { minLength: 24, maxLength: 24 }),
    ops: fc.array(fc.tuple(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 999 })), {
      minLength: 3,
      maxLength: 9,
    }),
  })
  .map(({ sizes, acts, seed, reduction, rows, values, ops }) => {
    const layers = sizes.map((n, k) => (k === 0 ? `${n}` : `${n} ${acts[k - 1]}`)).join(' -> ');
    let v = 0;
    const next = () => values[v++ % values.length];
    const data = Array.from(
      { length: rows },
      () =>
        `${Array.from({ length: sizes[0] }, next).join(', ')} -> ` +
        `${Array.from({ length: sizes[sizes.length - 1] }, next).join(', ')}`,
    ).join('; ');
    const params: string[] = [];
    for (let k = 1; k < sizes.length; k++)
      for (let i = 1; i <= sizes[k - 1]; i++) {
        for (let j = 1; j <= sizes[k]; j++) params.push(`w${i}${j}[${k}]`);
        if (i <= sizes[k]) params.push(`b${i}[${k + 1}]`);
      }
    const nodes: string[] = [];
    for (let k = 2; k <= sizes.length; k++)
      for (let j = 1; j <= sizes[k - 1]; j++) nodes.push(`${j}[${k}]`);
    const pick = <T>(xs: T[], r: number) => xs[r % xs.length];
    const cells = ops.map(([op, r]) => {
      const s = (r % rows) + 1;
      const choices = [
        'forward',
        'backward',
        'forward',
        'backward',
        `update lr ${(1 + (r % 9)) / 10}`,
        `freeze ${pick(params, r)}`,
        'show gradients',
        'show deltas',
        'show network',
        'show weights',
        'show biases',
        'show activations',
        'show preactivations',
        'show loss',
        `show δ${pick(nodes, r)}`,
        `show z${pick(nodes, r)}(s${s}), a${pick(nodes, r + 1)}`,
        `explain dE/d${pick(params, r)}`,
        `explain δ${pick(nodes, r)}(s${s})`,
        `expect a${pick(nodes, r)} > -1`,
        `expect dE/d${pick(params, r)} = 0.01 ± 0.5`,
        `train epochs ${1 + (r % 3)} lr ${(1 + (r % 5)) / 10}`,
      ];
      return pick(choices, op);
    });
    return {
      setup:
        `network ${layers}\nloss mse ${reduction}\ninit uniform 0.8 seed ${seed}\ndata = ` +
        `[${data}]`,
      cells,
    };
  });

/**
 * The twin's numbers after each of `epochs` full-batch epochs of plain SGD with η, replayed as
 * cells.
 */
async function replay(twin: Session, epochs: number, lr: number): Promise<EpochFacts[]> {
  const out: EpochFacts[] = [];
  const facts = async () => {
    await twin.runCell('forward\nbackward', host);
    const st = twin.inspect()!;
    const sizes = st.net.sizes;
    out.push({
      net: st.net.clone(),
      weights: sizes.slice(1).map((_, m) => st.net.getWeightMatrix(m + 1)),
      biases: st.net.biases.map((b) => Array.from(b)),
      loss: st.rec.back!.loss,
      a: sizes.map((n, m) => row(st.rec.fwd!.a[m + 1], n)!),
      delta: sizes.map((n, m) => (m === 0 ? [] : row(st.rec.back!.delta[m + 1], n)!)),
    });
  };
  await facts();
  for (let e = 0; e < epochs; e++) {
    await twin.runCell(`update lr ${lr}`, host);
    await facts();
  }
  return out;
}

/**
 * The panel's payload as the host sends it: snapshot, last training, and each parameter's
 * derivation.
 */
function panelPayload(s: Session): Record<string, unknown> {
  const training = s.lastTraining();
  const derivations: Record<string, unknown> = {};
  const snapshot = s.snapshot();
  if (snapshot)
    for (let k = 1; k < snapshot.sizes.length; k++)
      for (let i = 1; i <= snapshot.sizes[k - 1]; i++)
        for (let j = 1; j <= snapshot.sizes[k]; j++) {
          const d = s.explainParameter(`w${i}${j}[${k}]`);
          if (typeof d !== 'string') derivations[`w${i}${j}[${k}]`] = d;
        }
  return {
    snapshot,
    lossCurve: training?.lossCurve,
    boundary: training?.boundary,
    timeline: training?.timeline,
    derivations,
  };
}

describe(
  'every number in the renderer and panel payloads is the runtime’s (random ' + 'notebooks)',
  () => {
    it(
      'walks every payload field of every cell and finds each number in the ' + 'session’s records',
      async () => {
        await fc.assert(
          fc.asyncProperty(notebook, async (nb) => {
            const s = new Session();
            const twin = new Session();
            let epochs: EpochFacts[] | undefined;
            for (const text of [nb.setup, ...nb.cells]) {
              const train = /^train epochs (\d+) lr (\S+)$/.exec(text);
              if (train) epochs = await replay(twin, +train[1], +train[2]);
              else await twin.runCell(text, host);
              const run = await s.runCell(text, host);
              const st = s.inspect();
              if (!st) continue;
              const problems = check(
                run.items,
                panelPayload(s),
                { st, epochs },
                `${nb.setup}\n${text}`,
              );
              assert.deepEqual(
                problems,
                [],
                `${nb.setup}\n---\n${nb.cells.join('\n---\n')}\n--- at: ${text}`,
              );
            }
          }),
          { numRuns: 40 },
        );
      },
    );
  },
);
