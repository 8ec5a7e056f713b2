/**
 * An expression of a few named parameters (an activation g(z), a loss
 * ℓ(a, t)) flattened once into a tape (slots in topological order, each an op
 * over earlier slots) and compiled from it into a tree of JavaScript closures,
 * one per slot, each calling its op's rule (OP_RULES) on what its operands'
 * closures return: nothing is evaluated as JavaScript, and the tree is as deep
 * as the expression (whose size and depth the parser bounds). `value` runs it
 * forward; `gradient` runs it forward, keeping every slot's value, and then
 * backward, accumulating ∂value/∂parameter over every path. Values, local
 * derivatives and masking come from the same rules the computation graphs
 * use, in the same order, so a tape and a graph of one expression give the
 * same bits.
 */
import {
  applyOp,
  childrenOf,
  CONSTANTS,
  OP_RULES,
  opOf,
  passGradient,
  SWITCHES,
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
  const root = visit(tree);
  if (unknown.length) return { ok: false, unknown: [...new Set(unknown)] };
  return { ok: true, tape: new Tape(params, { ops, a, b, constant }, root) };
}

/** A tape's slots: op, operand slots (−1: none), a constant's value or a parameter's index. */
interface Slots {
  ops: Op[];
  a: number[];
  b: number[];
  constant: number[];
}

type Forward = (args: ArrayLike<number>) => number;
type Backward = (upstream: number) => void;

class Tape implements ExpressionTape {
  readonly size: number;
  /** every slot's value at the last gradient's (or switchArguments') args */
  private readonly vals: Float64Array;
  /** ∂f/∂params[k], accumulated by the backward closures */
  private readonly acc: Float64Array;
  /** a slot that depends on no parameter: folded into its value, given no gradient */
  private readonly isConst: Uint8Array;
  private readonly run: Forward;
  private readonly record: Forward;
  private readonly back: Backward | null;
  constructor(
    readonly params: readonly string[],
    private readonly slots: Slots,
    private readonly root: number,
  ) {
    const { ops, a, b, constant } = slots;
    this.size = ops.length;
    this.vals = new Float64Array(this.size);
    this.acc = new Float64Array(params.length);
    this.isConst = new Uint8Array(this.size);
    for (let i = 0; i < this.size; i++) {
      const op = ops[i];
      if (op === 'input') continue;
      const constA = a[i] < 0 || this.isConst[a[i]] === 1;
      const constB = b[i] < 0 || this.isConst[b[i]] === 1;
      if (op !== 'const' && !(constA && constB)) continue;
      this.isConst[i] = 1;
      this.vals[i] =
        op === 'const'
          ? constant[i]
          : applyOp(op, this.vals[a[i]], b[i] >= 0 ? this.vals[b[i]] : 0);
    }
    this.run = this.forward(root, false);
    this.record = this.forward(root, true);
    this.back = this.backward(root);
  }

  /** The closure computing slot i from the args; with `keep`, storing every slot's value. */
  private forward(i: number, keep: boolean): Forward {
    const { ops, a, b, constant } = this.slots;
    const vals = this.vals;
    if (this.isConst[i]) {
      const c = vals[i];
      return () => c;
    }
    if (ops[i] === 'input') {
      const k = constant[i];
      return keep ? (args) => (vals[i] = args[k]) : (args) => args[k];
    }
    const f = OP_RULES[ops[i]].value;
    const fa = this.forward(a[i], keep);
    if (b[i] < 0) return keep ? (args) => (vals[i] = f(fa(args), 0)) : (args) => f(fa(args), 0);
    const fb = this.forward(b[i], keep);
    return keep ? (args) => (vals[i] = f(fa(args), fb(args))) : (args) => f(fa(args), fb(args));
  }

  /**
   * The closure passing ∂f/∂(slot i) back to slot i's operands, in the order a reverse sweep over
   * the slots would (a node's edges, a before b, into the parameters; then the b subtree, then a),
   * so that every parameter's sum adds the same terms in the same order; null for a leaf.
   */
  private backward(i: number): Backward | null {
    const { ops, a, b, constant } = this.slots;
    const { vals, acc, isConst } = this;
    if (isConst[i] || ops[i] === 'input') return null;
    const rule = OP_RULES[ops[i]];
    const ia = a[i];
    const ib = b[i];
    const [slopeA, slopeB = slopeA] = rule.slope;
    const needA = !isConst[ia];
    const needB = ib >= 0 && !isConst[ib];
    /** the parameter an operand is, or −1 */
    const paramA = ops[ia] === 'input' ? constant[ia] : -1;
    const paramB = ib >= 0 && ops[ib] === 'input' ? constant[ib] : -1;
    const backA = needA ? this.backward(ia) : null;
    const backB = needB ? this.backward(ib) : null;
    if (ib < 0)
      return (g) => {
        const ea = passGradient(rule, slopeA(vals[ia], 0, vals[i]), g);
        if (paramA >= 0) acc[paramA] += ea;
        else if (backA) backA(0 + ea);
      };
    return (g) => {
      const x = vals[ia];
      const y = vals[ib];
      const out = vals[i];
      const ea = needA ? passGradient(rule, slopeA(x, y, out), g) : 0;
      const eb = needB ? passGradient(rule, slopeB(x, y, out), g) : 0;
      if (paramA >= 0) acc[paramA] += ea;
      if (paramB >= 0) acc[paramB] += eb;
      if (backB) backB(0 + eb);
      if (backA) backA(0 + ea);
    };
  }

  value(args: ArrayLike<number>): number {
    return this.run(args);
  }

  switchArguments(args: ArrayLike<number>): number[] {
    this.record(args);
    const { ops, a, b } = this.slots;
    const vals = this.vals;
    const out: number[] = [];
    for (let i = 0; i < this.size; i++)
      if (SWITCHES.has(ops[i])) out.push(vals[a[i]] - (b[i] >= 0 ? vals[b[i]] : 0));
    return out;
  }

  gradient(args: ArrayLike<number>, grad: Float64Array): number {
    const out = this.record(args);
    const acc = this.acc;
    acc.fill(0);
    const { ops, constant } = this.slots;
    if (ops[this.root] === 'input') acc[constant[this.root]] = 1;
    else if (this.back) this.back(1);
    for (let k = 0; k < acc.length; k++) grad[k] = acc[k];
    return out;
  }
}
