/**
 * Payloads for computation graphs of scalar expressions and for function
 * plots (g and g′, a hand-derived derivative beside the exact one). JSON only;
 * every number and label is the runtime's, the views only place them.
 */
import type { Num } from './results';

export interface GraphNodePayload {
  /** what the box says: the op (`+`, `×`, `exp`, `σ`), a leaf's name, or a constant's value */
  label: string;
  /** the name the node was assigned to, if any */
  name?: string;
  /** the forward value */
  value: Num;
  /** ∂root/∂node, present once `backward` ran from the root (absent for constants) */
  grad?: Num;
  /** indices (into `nodes`) of the node's inputs, in argument order */
  inputs: number[];
  /**
   * local[k] = ∂node/∂inputs[k]: the local derivative written on each incoming edge; null where
   * inputs[k] is a constant (nothing is differentiated by it, e.g. the 2 of (q + z)^2)
   */
  local: (Num | null)[];
  /** the expression text the node stands for */
  source?: string;
  /** set where a non-finite number first arose: which pass, in words */
  issue?: string;
}

/**
 * A computation graph. Its title (`f = -12, backward from f (5 nodes)`) is not sent: graphTitle in
 * text.ts writes it from these fields, the root's value with the reader's number formatting.
 */
export interface GraphItem {
  kind: 'graph';
  /** the root's name (the node gradients are taken of) */
  root: string;
  /**
   * in topological order (each node after its inputs), root last: also the forward order; backward
   * runs in reverse
   */
  nodes: GraphNodePayload[];
  /** true when `grad` is filled in (a backward pass ran) */
  hasGradients: boolean;
}

/** A graph's node in words: the name it was assigned to, else its place in forward order (#3). */
export function graphNodeName(item: GraphItem, i: number): string {
  return item.nodes[i].name ?? `#${i + 1}`;
}

export interface PlotSeries {
  label: string;
  /** [x, y]; non-finite y as the strings of encodeNumber */
  points: [number, Num][];
  dashed?: boolean;
}

/** Curves over one x range: g(z) and g′(z), or an exact derivative and a hand-derived one. */
export interface PlotItem {
  kind: 'plot';
  title: string;
  xLabel: string;
  series: PlotSeries[];
  /** vertical markers, e.g. where a hand-derived derivative first disagrees */
  marks?: { x: number; label: string }[];
}
