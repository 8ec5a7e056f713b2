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

export interface MessageItem {
  kind: 'message';
  level: 'info' | 'warning' | 'error';
  text: string;
}

/** A table of numbers in the seed's notation; `totalRows` > rows.length when it was capped. */
export interface TableItem {
  kind: 'table';
  title: string;
  columns: string[];
  rows: Cell[][];
  totalRows?: number;
  note?: string;
}

export interface DerivationStep {
  /** e.g. `∂E/∂w11[1] = δ1[2] · a1[1]` */
  symbolic: string;
  /** the same with the numbers put in */
  substituted: string;
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
  /** x: epoch (or step), y: loss */
  points: [number, Num][];
  done: boolean;
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
  /** z[k-1][j-1] = zj[k] for the first sample of the last forward pass */
  z?: Num[][];
  /** a[k-1][j-1] = aj[k] */
  a?: Num[][];
  /** delta[k-1][j-1] = δj[k] = ∂E/∂zj[k] (layer 1 has none: empty) */
  delta?: Num[][];
  /** weightGrad[k-1][i-1][j-1] = ∂E/∂wij[k] */
  weightGrad?: Num[][][];
  /** biasGrad[k-2][j-1] = ∂E/∂bj[k] */
  biasGrad?: Num[][];
  /** learning rate of the last update, for the Δw = −η·∂E/∂w column */
  lr?: number;
  /** true when `weights`/`biases` already include the update by `weightGrad`/`biasGrad` (so the value before it was w + η·∂E/∂w) */
  updated?: boolean;
  loss?: Num;
  lossLabel?: string;
  /** per node flags: 'saturated' | 'dead' */
  flags?: (string | null)[][];
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
  /** a[k-1][j-1] = aj[k] for the first sample (small nets only) */
  a?: Num[][];
  /** delta[k-1][j-1] = δj[k] = ∂E/∂zj[k] for the first sample (small nets only; layer 1 empty) */
  delta?: Num[][];
  /** first output over the final boundary's grid at this point (2-input nets trained on a dataset) */
  boundary?: number[];
}

export interface NetworkItem {
  kind: 'network';
  snapshot: NetworkSnapshot;
}

export interface ExpectItem {
  kind: 'expect';
  quantity: string;
  /** '=' (within tolerance) or an inequality */
  comparison: '=' | '<' | '<=' | '>' | '>=';
  expected: Num;
  tolerance: number;
  actual: Num;
  pass: boolean;
}

export interface ProgressItem {
  kind: 'progress';
  epoch: number;
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
