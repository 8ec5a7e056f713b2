/**
 * The session's named scalar values and expressions (`x = -2`, `f = (x + y) * z`).
 * Assignment evaluates at once, as in Python or micrograd: a name is bound to
 * the graph node its expression built, later expressions that read the name
 * share that node, and reassigning a name binds it to a new node (expressions
 * built earlier keep the node they read). An expression that reads no name
 * (`x = -2`, `w = 2 * pi`) makes a leaf: a value gradients flow to. `y = x`
 * binds y to x's node itself.
 */
import {
  backwardGraph,
  buildGraph,
  freeNames,
  leaf,
  type ExprTree,
  type GraphGradients,
  type GraphNode,
} from '../engine';

export type AssignResult = { ok: true; node: GraphNode } | { ok: false; unknown: string[] };

export class ExpressionScope {
  private readonly bound = new Map<string, GraphNode>();
  /** the last backward pass from each root name */
  private readonly gradients = new Map<string, GraphGradients>();

  has(name: string): boolean {
    return this.bound.has(name);
  }
  get(name: string): GraphNode | undefined {
    return this.bound.get(name);
  }
  names(): string[] {
    return [...this.bound.keys()];
  }

  /** Bind name to the value of tree (spans point into text). */
  assign(name: string, tree: ExprTree, text: string): AssignResult {
    const built = buildGraph(tree, (n) => this.bound.get(n), text);
    if (!built.node) return { ok: false, unknown: built.unknown };
    const source = tree.span ? text.slice(tree.span.start, tree.span.end) : undefined;
    // `y = x` binds y to x's own node (one node, shown under its first name)
    const node =
      freeNames(tree).length === 0 ? leaf(built.node.value, name, tree.span, source) : built.node;
    if (node.name === undefined) node.name = name;
    this.bound.set(name, node);
    return { ok: true, node };
  }

  /** ∂name/∂node for every node name depends on; kept as the last pass from name. */
  backward(name: string): GraphGradients | undefined {
    const root = this.bound.get(name);
    if (!root) return undefined;
    const g = backwardGraph(root);
    this.gradients.set(name, g);
    return g;
  }
  /** The last backward pass from `name`, if its node has not been rebound since. */
  lastBackward(name: string): GraphGradients | undefined {
    const g = this.gradients.get(name);
    return g && g.root === this.bound.get(name) ? g : undefined;
  }
  /** The most recent backward pass that reached node, newest root first. */
  passReaching(node: GraphNode): GraphGradients | undefined {
    const passes = [...this.gradients.values()].reverse();
    return passes.find((g) => g.root === this.bound.get(g.root.name ?? '') && g.index.has(node.id));
  }
}
