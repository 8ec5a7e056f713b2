/**
 * An expression of a few named parameters (an activation g(z), a loss
 * ℓ(a, t)) flattened once into a tape: slots in topological order, each an
 * op over earlier slots. `value` runs it forward; `gradient` runs it forward
 * and then backward, accumulating ∂value/∂parameter over every path. Both use
 * applyOp/edgeGradient, the same two functions the computation graphs use,
 * in the same order, so a tape and a graph of one expression give the same
 * bits.
 */
import {
  applyOp,
  childrenOf,
  CONSTANTS,
  edgeGradient,
  opOf,
  type ExprTree,
  type Op,
} from './expression';

export interface ExpressionTape {
  readonly params: readonly string[];
  /** number of slots (operations, constants and parameters) */
  readonly size: number;
  /** f(args) */
  value(args: ArrayLike<number>): number;
  /** f(args), writing ∂f/∂params[k] into grad[k] */
  gradient(args: ArrayLike<number>, grad: Float64Array): number;
  /**
   * At args, the argument of every switch in the expression (x of relu, abs,
   * step, sign; x − y of max, min): the derivative may jump where one crosses 0.
   */
  switchArguments(args: ArrayLike<number>): number[];
}

/** The ops whose derivative may jump where their argument (x − y for max, min) crosses 0. */
export const SWITCHES: ReadonlySet<Op> = new Set<Op>(['relu', 'abs', 'step', 'sign', 'max', 'min']);

export type TapeResult = { ok: true; tape: ExpressionTape } | { ok: false; unknown: string[] };

export function compileTape(tree: ExprTree, params: readonly string[]): TapeResult {
  const ops: Op[] = [];
  const a: number[] = [];
  const b: number[] = [];
  const constant: number[] = [];
  /** slot of each parameter (a parameter used twice is one slot read twice) */
  const paramSlot = params.map((_, k) => {
    ops.push('input');
    a.push(-1);
    b.push(-1);
    constant.push(k);
    return ops.length - 1;
  });
  const unknown: string[] = [];
  const visit = (t: ExprTree): number => {
    if (t.kind === 'name') {
      const k = params.indexOf(t.name);
      if (k >= 0) return paramSlot[k];
      if (!(t.name in CONSTANTS)) unknown.push(t.name);
    }
    if (t.kind === 'number' || t.kind === 'name') {
      ops.push('const');
      a.push(-1);
      b.push(-1);
      constant.push(t.kind === 'number' ? t.value : (CONSTANTS[t.name] ?? NaN));
      return ops.length - 1;
    }
    const op = opOf(t);
    const kids = childrenOf(t).map(visit);
    if (op === undefined) unknown.push(t.kind === 'call' ? `${t.fn}()` : '?');
    ops.push(op ?? 'const');
    a.push(kids[0] ?? -1);
    b.push(kids[1] ?? -1);
    constant.push(NaN);
    return ops.length - 1;
  };
  visit(tree);
  if (unknown.length) return { ok: false, unknown: [...new Set(unknown)] };
  return { ok: true, tape: new Tape(params, ops, a, b, constant) };
}

class Tape implements ExpressionTape {
  readonly size: number;
  private readonly vals: Float64Array;
  private readonly adj: Float64Array;
  private readonly isConst: Uint8Array;
  constructor(
    readonly params: readonly string[],
    private readonly ops: Op[],
    private readonly a: number[],
    private readonly b: number[],
    private readonly constant: number[],
  ) {
    this.size = ops.length;
    this.vals = new Float64Array(this.size);
    this.adj = new Float64Array(this.size);
    // a slot that depends on no parameter gets no gradient (as a torch constant)
    this.isConst = new Uint8Array(this.size);
    for (let i = 0; i < this.size; i++) {
      const op = ops[i];
      this.isConst[i] =
        op === 'const' ||
        (op !== 'input' && (a[i] < 0 || this.isConst[a[i]]) && (b[i] < 0 || this.isConst[b[i]]))
          ? 1
          : 0;
    }
  }

  value(args: ArrayLike<number>): number {
    const { ops, a, b, constant, vals } = this;
    for (let i = 0; i < this.size; i++) {
      const op = ops[i];
      if (op === 'input') vals[i] = args[constant[i]];
      else if (op === 'const') vals[i] = constant[i];
      else vals[i] = applyOp(op, vals[a[i]], b[i] >= 0 ? vals[b[i]] : 0);
    }
    return vals[this.size - 1];
  }

  switchArguments(args: ArrayLike<number>): number[] {
    this.value(args);
    const out: number[] = [];
    for (let i = 0; i < this.size; i++)
      if (SWITCHES.has(this.ops[i]))
        out.push(this.vals[this.a[i]] - (this.b[i] >= 0 ? this.vals[this.b[i]] : 0));
    return out;
  }

  gradient(args: ArrayLike<number>, grad: Float64Array): number {
    const out = this.value(args);
    const { ops, a, b, vals, adj, isConst } = this;
    adj.fill(0);
    adj[this.size - 1] = 1;
    for (let i = this.size - 1; i >= 0; i--) {
      const op = ops[i];
      if (op === 'input' || op === 'const') continue;
      const g = adj[i];
      const x = vals[a[i]];
      const y = b[i] >= 0 ? vals[b[i]] : 0;
      if (!isConst[a[i]]) adj[a[i]] += edgeGradient(op, 0, x, y, vals[i], g);
      if (b[i] >= 0 && !isConst[b[i]]) adj[b[i]] += edgeGradient(op, 1, x, y, vals[i], g);
    }
    for (let k = 0; k < this.params.length; k++) grad[k] = adj[k];
    return out;
  }
}
