/**
 * Result items for expressions: a computation graph with every value,
 * gradient and local derivative, and plots of functions. Built from the
 * engine's graphs and tapes only; the views place what is here.
 */
import {
  graphIssues,
  graphNodes,
  type ExpressionTape,
  type GraphGradients,
  type GraphNode,
  type Op,
} from '../engine';
import type { GraphItem, GraphNodePayload, PlotItem, PlotSeries } from '../protocol/graph';
import { encodeNumber } from '../protocol/results';
import { formatNumber } from '../protocol/text';

/** What a box of each op says. */
export const OP_LABELS: Readonly<Record<Op, string>> = {
  const: '',
  input: '',
  '+': '+',
  '-': '−',
  '*': '×',
  '/': '÷',
  '^': '^',
  neg: '−x',
  exp: 'exp',
  log: 'log',
  sqrt: '√',
  tanh: 'tanh',
  sigmoid: 'σ',
  relu: 'relu',
  abs: '|x|',
  step: 'step',
  sign: 'sign',
  max: 'max',
  min: 'min',
};

function nodeLabel(n: GraphNode): string {
  if (n.op === 'const') return formatNumber(encodeNumber(n.value));
  if (n.op === 'input') return n.name ?? 'input';
  return OP_LABELS[n.op];
}

/** The graph of `root` (with ∂root/∂node when `g` is a backward pass from it). */
export function graphItem(root: GraphNode, rootName: string, g?: GraphGradients): GraphItem {
  const nodes = g ? g.nodes : graphNodes(root);
  const index = new Map(nodes.map((n, i) => [n.id, i]));
  const issues = new Map<number, string>();
  if (g)
    for (const issue of graphIssues(g))
      issues.set(
        issue.node.id,
        `${formatNumber(encodeNumber(issue.value))} first arose here in the ${issue.phase} pass`,
      );
  else
    for (const n of nodes)
      if (!Number.isFinite(n.value) && n.inputs.every((i) => Number.isFinite(i.value)))
        issues.set(
          n.id,
          `${formatNumber(encodeNumber(n.value))} first arose here in the forward pass`,
        );
  const payload = nodes.map((n, i): GraphNodePayload => {
    const p: GraphNodePayload = {
      label: nodeLabel(n),
      value: encodeNumber(n.value),
      inputs: n.inputs.map((input) => index.get(input.id) as number),
      local: n.local.map(encodeNumber),
    };
    if (n.name !== undefined && n.op !== 'const') p.name = n.name;
    if (g && n.requiresGrad) p.grad = encodeNumber(g.grad[i]);
    if (n.source !== undefined) p.source = n.source;
    const issue = issues.get(n.id);
    if (issue) p.issue = issue;
    return p;
  });
  return {
    kind: 'graph',
    root: rootName,
    nodes: payload,
    hasGradients: g !== undefined,
  };
}

/** Evenly spaced x from `from` to `to`, `count` points. */
export function plotRange(from: number, to: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => from + ((to - from) * i) / (count - 1));
}

/** A series of f(x) (value, or ∂f/∂param with `gradientOf`), other arguments fixed. */
export function tapeSeries(
  label: string,
  tape: ExpressionTape,
  xs: number[],
  args: (x: number) => number[],
  gradientOf?: number,
  dashed = false,
): PlotSeries {
  const grad = new Float64Array(tape.params.length);
  const points = xs.map((x): [number, ReturnType<typeof encodeNumber>] => {
    const a = args(x);
    if (gradientOf === undefined) return [x, encodeNumber(tape.value(a))];
    tape.gradient(a, grad);
    return [x, encodeNumber(grad[gradientOf])];
  });
  return dashed ? { label, points, dashed } : { label, points };
}

export function plotItem(
  title: string,
  xLabel: string,
  series: PlotSeries[],
  marks?: PlotItem['marks'],
): PlotItem {
  return marks?.length
    ? { kind: 'plot', title, xLabel, series, marks }
    : { kind: 'plot', title, xLabel, series };
}
