/**
 * Computation graphs of scalar expressions, micrograd-style: building a node
 * computes its value and the local derivative on each incoming edge at once;
 * `backwardGraph` then sweeps the nodes in reverse topological order and
 * accumulates ∂root/∂node over every path (a node used twice receives the sum
 * of both paths' contributions). Non-finite values are flagged at the node,
 * and so at the source span, where they first arose.
 */
import {
  applyOp,
  childrenOf,
  CONSTANTS,
  edgeGradient,
  localDerivative,
  opOf,
  SWITCHES,
  type ExprTree,
  type Op,
  type SourceSpan,
} from './expression';

export interface GraphNode {
  /** creation order: every input of a node has a smaller id (a topological order) */
  readonly id: number;
  readonly op: Op;
  readonly inputs: readonly GraphNode[];
  /** the forward value */
  readonly value: number;
  /** ∂value/∂inputs[k]: the local derivative on the edge from inputs[k] into this node */
  readonly local: readonly number[];
  /** false for constants and for nodes that depend only on constants (no gradient flows to them) */
  readonly requiresGrad: boolean;
  /** where the node's expression was written (in the text it was built from) */
  readonly span?: SourceSpan;
  /** the text of the node's expression, when the source was given */
  readonly source?: string;
  /** the name the node was assigned to (x = …), if any */
  name?: string;
}

/** A non-finite number that appeared where all the numbers it came from were finite. */
export interface GraphIssue {
  node: GraphNode;
  phase: 'forward' | 'backward';
  value: number;
}

let nextId = 1;

function makeNode(
  op: Op,
  inputs: GraphNode[],
  value: number,
  span?: SourceSpan,
  source?: string,
  requiresGrad = true,
): GraphNode {
  const a = inputs[0]?.value ?? value;
  const b = inputs[1]?.value ?? 0;
  const local = inputs.map((_, k) => localDerivative(op, k, a, b, value));
  return { id: nextId++, op, inputs, value, local, requiresGrad, span, source };
}

/** A leaf: a value the user named (x = −2); gradients flow to it. */
export function leaf(value: number, name?: string, span?: SourceSpan, source?: string): GraphNode {
  const node = makeNode('input', [], value, span, source);
  node.name = name;
  return node;
}

export interface BuildResult {
  node?: GraphNode;
  /** names the tree reads that `scope` does not know */
  unknown: string[];
}

/**
 * The graph of a tree, with names read from `scope` (a name maps to the node
 * it was last assigned; using it twice uses that one node twice). `text` is
 * the text the spans point into, for each node's `source`.
 */
export function buildGraph(
  tree: ExprTree,
  scope: (name: string) => GraphNode | undefined,
  text?: string,
): BuildResult {
  const unknown: string[] = [];
  const visit = (t: ExprTree): GraphNode | undefined => {
    const source = text !== undefined && t.span ? text.slice(t.span.start, t.span.end) : undefined;
    if (t.kind === 'number') return makeNode('const', [], t.value, t.span, source, false);
    if (t.kind === 'name') {
      const found = scope(t.name);
      if (found) return found;
      if (t.name in CONSTANTS)
        return makeNode('const', [], CONSTANTS[t.name], t.span, source, false);
      if (!unknown.includes(t.name)) unknown.push(t.name);
      return undefined;
    }
    const op = opOf(t);
    const inputs = childrenOf(t).map(visit);
    if (op === undefined || inputs.some((n) => n === undefined)) return undefined;
    const ins = inputs as GraphNode[];
    const value = applyOp(op, ins[0]?.value ?? 0, ins[1]?.value ?? 0);
    return makeNode(
      op,
      ins,
      value,
      t.span,
      source,
      ins.some((n) => n.requiresGrad),
    );
  };
  const node = visit(tree);
  return unknown.length ? { unknown } : { node, unknown };
}

/** Every node the root depends on, root last, in topological (creation) order. */
export function graphNodes(root: GraphNode): GraphNode[] {
  const seen = new Set<number>();
  const out: GraphNode[] = [];
  const stack: GraphNode[] = [root];
  while (stack.length) {
    const n = stack.pop() as GraphNode;
    if (seen.has(n.id)) continue;
    seen.add(n.id);
    out.push(n);
    for (const i of n.inputs) if (!seen.has(i.id)) stack.push(i);
  }
  return out.sort((p, q) => p.id - q.id);
}

export interface GraphGradients {
  root: GraphNode;
  /** the nodes of the root's graph in topological order (root last) */
  nodes: GraphNode[];
  /** ∂root/∂node for each of `nodes` (same order); 0 for nodes no gradient reaches */
  grad: Float64Array;
  /** index of a node id in `nodes` */
  index: Map<number, number>;
}

/** Reverse-mode sweep from root: ∂root/∂node for every node, summed over every path. */
export function backwardGraph(root: GraphNode): GraphGradients {
  const nodes = graphNodes(root);
  const index = new Map(nodes.map((n, i) => [n.id, i]));
  const grad = new Float64Array(nodes.length);
  grad[nodes.length - 1] = 1;
  for (let i = nodes.length - 1; i >= 0; i--) {
    const n = nodes[i];
    const g = grad[i];
    n.inputs.forEach((input, k) => {
      if (!input.requiresGrad) return;
      const b = n.inputs[1]?.value ?? 0;
      grad[index.get(input.id) as number] += edgeGradient(
        n.op,
        k,
        n.inputs[0].value,
        b,
        n.value,
        g,
      );
    });
  }
  return { root, nodes, grad, index };
}

/** One term of the chain rule at a node: an edge out of it into `consumer`. */
export interface ChainTerm {
  consumer: GraphNode;
  /** which input of the consumer the node is (a node used twice by one consumer gives two terms) */
  input: number;
  /** ∂consumer/∂node on this edge */
  local: number;
  /** ∂root/∂consumer */
  upstream: number;
  /** local · upstream (exactly 0 on an edge a switch turns off: see edgeGradient) */
  product: number;
}

/** ∂root/∂node = Σ over the node's outgoing edges of local · upstream, term by term. */
export function chainTerms(g: GraphGradients, node: GraphNode): ChainTerm[] {
  const terms: ChainTerm[] = [];
  for (let i = 0; i < g.nodes.length; i++) {
    const c = g.nodes[i];
    c.inputs.forEach((input, k) => {
      if (input.id !== node.id) return;
      const upstream = g.grad[i];
      const b = c.inputs[1]?.value ?? 0;
      const product = edgeGradient(c.op, k, c.inputs[0].value, b, c.value, upstream);
      terms.push({ consumer: c, input: k, local: c.local[k], upstream, product });
    });
  }
  return terms;
}

/**
 * Where non-finite numbers arose: forward, a node whose value is NaN/±∞ while
 * its inputs are finite; backward, a node whose gradient is non-finite while
 * every gradient arriving at it came from a finite upstream gradient through
 * a node whose own value is finite (sqrt at 0, not the echo of a forward NaN).
 */
export function graphIssues(g: GraphGradients): GraphIssue[] {
  const issues: GraphIssue[] = [];
  for (const n of g.nodes)
    if (!Number.isFinite(n.value) && n.inputs.every((i) => Number.isFinite(i.value)))
      issues.push({ node: n, phase: 'forward', value: n.value });
  g.nodes.forEach((n, i) => {
    if (!n.requiresGrad || Number.isFinite(g.grad[i])) return;
    const terms = i === g.nodes.length - 1 ? [] : chainTerms(g, n);
    // a consequence of a forward NaN/∞ (the consumer's value) is not flagged again
    const bad = terms.filter((t) => !Number.isFinite(t.product));
    if (
      terms.every((t) => Number.isFinite(t.upstream)) &&
      bad.some((t) => Number.isFinite(t.consumer.value))
    )
      issues.push({ node: n, phase: 'backward', value: g.grad[i] });
  });
  return issues;
}

/**
 * The values of `nodes` (a topological order) recomputed with some leaves
 * changed, for finite differences: value[i] by the same applyOp as building.
 */
export function evaluateGraph(
  nodes: readonly GraphNode[],
  overrides: ReadonlyMap<number, number>,
): Float64Array {
  const at = new Map(nodes.map((n, i) => [n.id, i]));
  const values = new Float64Array(nodes.length);
  nodes.forEach((n, i) => {
    const changed = overrides.get(n.id);
    if (changed !== undefined) values[i] = changed;
    else if (n.inputs.length === 0) values[i] = n.value;
    else {
      const a = values[at.get(n.inputs[0].id) as number];
      const b = n.inputs[1] ? values[at.get(n.inputs[1].id) as number] : 0;
      values[i] = applyOp(n.op, a, b);
    }
  });
  return values;
}

/**
 * Whether a switch of the graph (SWITCHES: relu, abs, …; x − y of max, min) whose argument differs
 * between two evaluations of it (evaluateGraph, a leaf moved) has that argument on different sides
 * of 0, or at 0: between them the graph has a kink, where a central difference tests no derivative.
 */
export function crossesKink(
  nodes: readonly GraphNode[],
  one: Float64Array,
  other: Float64Array,
): boolean {
  const at = new Map(nodes.map((n, i) => [n.id, i]));
  const arg = (values: Float64Array, n: GraphNode) =>
    values[at.get(n.inputs[0].id) as number] -
    (n.inputs[1] ? values[at.get(n.inputs[1].id) as number] : 0);
  return nodes.some((n) => {
    if (!SWITCHES.has(n.op)) return false;
    const a = arg(one, n),
      b = arg(other, n);
    return a !== b && a * b <= 0;
  });
}
