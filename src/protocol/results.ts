/**
 * Result payloads: the typed, JSON-only values a cell run produces.
 * The notebook renderer, the Network panel and the command line all draw these.
 * Numbers that are not finite are carried as the strings 'NaN', 'Infinity', '-Infinity'
 * (see `encodeNumber`), so JSON never turns them into null by accident.
 */

import type { GraphItem, PlotItem } from './graph';

export type { GraphItem, GraphNodePayload, PlotItem, PlotSeries } from './graph';

export const RESULT_MIME = 'application/vnd.bpnb.result+json';
export const PAYLOAD_VERSION = 1;

export type Num = number | 'NaN' | 'Infinity' | '-Infinity';
export type Cell = string | Num;

export interface ResultPayload {
  version: typeof PAYLOAD_VERSION;
  items: ResultItem[];
}

export type ResultItem =
  | MessageItem
  | TableItem
  | DerivationItem
  | LossCurveItem
  | BoundaryItem
  | NetworkItem
  | ExpectItem
  | ProgressItem
  | GraphItem
  | PlotItem;

/**
 * A run of words: text as written (the user's own text included, never parsed), code (a
 * statement or keyword to type, drawn as code), or a number (shown with the digits setting, every
 * digit on hover). `words` in text.ts builds text and code from a template.
 */
export type TextPart = { text: string } | { code: string } | { num: Num };

export interface MessageItem {
  kind: 'message';
  level: 'info' | 'warning' | 'error';
  text: TextPart[];
  /**
   * E at evenly spaced points of a training run (first and last included), drawn as a small line
   * beside the text
   */
  sparkline?: Num[];
}

/** A table of numbers in the seed's notation; `totalRows` > rows.length when it was capped. */
export interface TableItem {
  kind: 'table';
  title: string;
  columns: string[];
  rows: Cell[][];
  totalRows?: number;
  note?: TextPart[];
  /**
   * [old, new]: column `new` holds the new value of column `old` (after an update), so a view can
   * mark what changed
   */
  changed?: [number, number];
}

export interface DerivationStep {
  /** e.g. `∂E/∂w11[1] = δ1[2] · a1[1]` */
  symbolic: string;
  /** the same with the numbers put in (6 significant digits) */
  substituted: string;
  /**
   * the same with every digit of each number (the shortest text that reads back to the same double)
   */
  exact?: string;
  /** the same step as LaTeX, for the math renderer */
  latex: string;
  value: Num;
}

/** The chain-rule derivation of one gradient or delta, built from the recorded numbers. */
export interface DerivationItem {
  kind: 'derivation';
  quantity: string;
  steps: DerivationStep[];
  value: Num;
}

export interface LossCurveItem {
  kind: 'lossCurve';
  title: string;
  lossLabel: string;
  /** x: epoch (fractional when a run stops mid-epoch), y: loss */
  points: [number, Num][];
  done: boolean;
  /** what the curve says in words: E from the first point to the last, over how many epochs */
  summary: TextPart[];
}

/** Decision boundary of a 2-input net: a grid of output values and the data points. */
export interface BoundaryItem {
  kind: 'boundary';
  xRange: [number, number];
  yRange: [number, number];
  resolution: number;
  /** row-major, resolution × resolution, first output's value at each grid point (y from bottom) */
  values: number[];
  points: { x: number; y: number; label: number }[];
}

/** Everything the network drawing needs; per-node values present only when recorded. */
export interface NetworkSnapshot {
  name: string;
  sizes: number[];
  activations: string[];
  /** weights[k-1][i-1][j-1] = wij[k] */
  weights: Num[][][];
  /** biases[k-2][j-1] = bj[k]; empty array for a layer without biases */
  biases: Num[][];
  /** the rows of the last forward pass (present with z and a) */
  rows?: number;
  /**
   * the row, 1-based, whose z, a, δ and ∂E/∂a these are: row 1, or the row the panel asked for
   * (held to `rows`)
   */
  row?: number;
  /** z[k-1][j-1] = zj[k] of row `row` of the last forward pass */
  z?: Num[][];
  /** a[k-1][j-1] = aj[k] */
  a?: Num[][];
  /** delta[k-1][j-1] = δj[k] = ∂E/∂zj[k] (layer 1 has none: empty) */
  delta?: Num[][];
  /** activationGrad[k-1][j-1] = ∂E/∂aj[k] of row `row`; layer 1: ∂E/∂xj */
  activationGrad?: Num[][];
  /** weightGrad[k-1][i-1][j-1] = ∂E/∂wij[k] */
  weightGrad?: Num[][][];
  /** biasGrad[k-2][j-1] = ∂E/∂bj[k] */
  biasGrad?: Num[][];
  /** learning rate of the last update, for the Δw = −η·∂E/∂w column */
  lr?: number;
  /**
   * after a backward with no update since: why there is no step −η·∂E/∂w and no new value (the
   * runtime's words)
   */
  noUpdate?: TextPart[];
  /** true when `weights`/`biases` already include the update by `weightGrad`/`biasGrad` */
  updated?: boolean;
  /** after an update: each weight as it was before it (recorded, same layout as `weights`) */
  weightsBefore?: Num[][][];
  /** after an update: each bias as it was before it (recorded, same layout as `biases`) */
  biasesBefore?: Num[][];
  /**
   * after an update: the step each weight took, −η·∂E/∂w as the engine applied it; null = frozen,
   * no step
   */
  weightSteps?: (Num | null)[][][];
  /** after an update: the step each bias took (null = frozen, no step) */
  biasSteps?: (Num | null)[][];
  loss?: Num;
  lossLabel?: string;
  /** per node flags: 'saturated' | 'dead' */
  flags?: (string | null)[][];
  /** every node's activation over the input plane (2-input nets only; computed by the runtime) */
  maps?: NodeMaps;
  /**
   * the forward and backward sums term by term, for the panel's pass animation (small nets only)
   */
  trace?: PassTrace;
  /** phase stepping through the recorded pass, in order (src/runtime/phases.ts); none before it */
  phases?: PassPhase[];
}

/**
 * One phase of stepping through a pass: forward layer by layer → error → output deltas → hidden
 * deltas → gradients → update. What it computes in the seed's notation, the nodes and edges it
 * touches, and the numbers it produced (the runtime's words and numbers: the panel draws them).
 */
export interface PassPhase {
  /** which part of the pass: the animation (views/passSteps.ts) finds this phase's moments by it */
  stage: 'inputs' | 'forward' | 'error' | 'output' | 'hidden' | 'gradients' | 'update';
  /** the layer a forward, output-delta or hidden-delta phase computes */
  layer?: number;
  /** `Forward: layer L2` */
  title: string;
  /** what happens in this phase, in the seed's notation: `aj[1] = xj` */
  rule: TextPart[];
  /** the nodes (`1[2]`) and parameters (`w11[1]`) it touches, for the drawing's highlight */
  nodes: string[];
  params: string[];
  /** [name, value] pairs this phase produced, the first of them for a big layer */
  numbers: [string, Num][];
  /** how many numbers the phase produced in all */
  total: number;
}

/**
 * What each neuron computes: aj[k] of every node over a grid of the input plane of a 2-input net,
 * as TensorFlow Playground draws inside its neurons.
 */
export interface NodeMaps {
  xRange: [number, number];
  yRange: [number, number];
  resolution: number;
  /**
   * values[k-1][j-1]: aj[k] at every grid point, row-major, resolution × resolution, y from bottom
   */
  values: number[][][];
  /** the data points, drawn on the output nodes' maps (label: first target) */
  points?: { x: number; y: number; label: number }[];
}

/** One term of a sum the pass builds: its name and value, e.g. `w21[1]·a2[1]` = 0.02. */
export interface TraceTerm {
  /** the weight wij[k] (or bias bj[k]) this term goes through */
  param: string;
  /**
   * the number on the far side of that weight: the source ai[k] forward, δj[k+1] backward (none for
   * a bias)
   */
  node?: string;
  /** a weight's source and target nodes, `['1[1]', '2[2]']` (none for a bias) */
  edge?: [string, string];
  /** the product of the two (a bias: its value), formed as the engine's loop forms it */
  value: Num;
  /** the term's own line, `w21[1]·a2[1] = 0.02` (what a screen reader says at this step) */
  says: TextPart[];
  /** the sum so far through this term, by name then by value: `z1[2] = w11[1]·x1 + … = 0.0075 + …`
   */
  sum: TextPart[];
}

/** How one node's numbers were built, in the seed's order (one row of the recorded pass). */
export interface NodeTrace {
  /** `1[2]`: node 1 of layer 2 */
  node: string;
  /** forward: the terms wij·ai (then bj) that add up to zj; empty in layer 1 */
  forward: TraceTerm[];
  /** zj, the recorded sum of `forward` (layer 1 has none) */
  z?: Num;
  a: Num;
  /**
   * backward, hidden nodes: the terms wij[k]·δj[k+1] of Σ (through the weights δ was propagated
   * with)
   */
  backward?: TraceTerm[];
  /** Σj wij[k]·δj[k+1] = ∂E/∂ai[k] of a hidden node */
  sum?: Num;
  /** ∂E/∂a of an output node */
  dEda?: Num;
  /** g'(z) (absent for softmax, whose δ couples the outputs) */
  slope?: Num;
  /** the recorded δ */
  delta?: Num;
  /**
   * the lines of the node's other steps: `z1[2] = …, a1[2] = sigmoid(z1[2]) = …`, a hidden node's
   * Σ, and δ (`δ1[3] = ∂E/∂a1[3] · g'(z1[3]) = … · … = …` or `δ1[2] = g'(z1[2]) · Σ = …`)
   */
  lines?: { za?: TextPart[]; sum?: TextPart[]; delta?: TextPart[] };
}

/**
 * The recorded pass of a small net as the panel animates it (the runtime sends it for nets of at
 * most 64 weights, src/runtime/trace.ts): each node's sums and each edge's δ × a.
 */
export interface PassTrace {
  /** nodes[k-1][j-1] */
  nodes: NodeTrace[][];
  /**
   * rows of the recorded pass: the trace is row `row`'s; ∂E/∂w is the reduction over all rows
   */
  rows: number;
  /** the row of the batch the trace follows, 1-based (the snapshot's `row`) */
  row: number;
  /** how ∂E/∂w reduces the rows' δ × a: 'mean' or 'sum' (after backward) */
  reduction?: string;
  /** for a batch: which of its rows the animation follows, in words */
  note?: TextPart[];
  /**
   * per weight, last layer first: δj[k+1] and ai[k] of row `row`, their product, and the
   * engine's ∂E/∂wij[k]
   */
  gradients?: {
    param: string;
    /** the weight's source and target nodes */
    edge: [string, string];
    /** the names of its two factors, `δ2[3]` and `a1[2]` (`x1` on layer 1) */
    deltaName: string;
    aName: string;
    delta: Num;
    a: Num;
    product: Num;
    value: Num;
    /** `∂E/∂w11[1] = δ1[2] · x1 = … · … = …` (and, for a batch, the reduction over the rows) */
    line: TextPart[];
  }[];
}

/**
 * One recorded point of a training run, for the panel's timeline (a few dozen per run, evenly
 * spaced; the runtime caps the numbers kept, see src/runtime/timeline.ts).
 */
export interface TimelineItem {
  /** completed epochs and steps when this was recorded (0, 0 = the weights before training) */
  epoch: number;
  step: number;
  /** loss of the last completed epoch (absent before the first) */
  loss?: Num;
  /** weights[k-1][i-1][j-1] = wij[k] at this point */
  weights: Num[][][];
  /** biases[k-2][j-1] = bj[k]; empty array for a layer without biases */
  biases: Num[][];
  /** the rows of the training data, and the one (1-based) whose a and δ these are (with a) */
  rows?: number;
  row?: number;
  /** a[k-1][j-1] = aj[k] of row `row` (small nets only) */
  a?: Num[][];
  /** delta[k-1][j-1] = δj[k] = ∂E/∂zj[k] of row `row` (small nets only; layer 1 empty) */
  delta?: Num[][];
  /**
   * first output over the final boundary's grid at this point (2-input nets trained on a dataset)
   */
  boundary?: number[];
  /** every node's activation over the snapshot's maps grid at this point (NodeMaps.values) */
  maps?: number[][][];
}

export interface NetworkItem {
  kind: 'network';
  snapshot: NetworkSnapshot;
  /**
   * the runtime's derivation of each parameter's gradient, by name (`w11[1]`, `b2[3]`), for small
   * nets after backward
   */
  derivations?: Record<string, DerivationItem>;
}

export interface ExpectItem {
  kind: 'expect';
  quantity: string;
  /** '=' (within tolerance) or an inequality */
  comparison: '=' | '<' | '<=' | '>' | '>=';
  expected: Num;
  tolerance: number;
  actual: Num;
  /**
   * for '=': actual − expected, exactly, as a decimal (the decision is |difference| ≤ tolerance in
   * decimal)
   */
  difference?: string;
  pass: boolean;
}

export interface ProgressItem {
  kind: 'progress';
  epoch: number;
  /**
   * the epochs the `train` statement asks for, when it names them (the length of a progress bar)
   */
  epochs?: number;
  step: number;
  loss: Num;
  done: boolean;
}

export function encodeNumber(v: number): Num {
  if (Number.isFinite(v)) return v;
  if (Number.isNaN(v)) return 'NaN';
  return v > 0 ? 'Infinity' : '-Infinity';
}

export function decodeNumber(v: Num): number {
  return typeof v === 'number' ? v : Number(v);
}
