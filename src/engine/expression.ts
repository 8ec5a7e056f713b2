/**
 * Scalar expressions: the primitive operations (value and local derivative of
 * each, defined once), and the expression tree the engine evaluates. Nothing
 * is ever evaluated as JavaScript: trees are walked, or flattened into a tape
 * (expressionTape.ts) whose loop calls the same two functions below.
 *
 * The tree has the same shape as the language layer's `Expr`
 * (language/expr.ts), so a parsed expression is passed in as it is; a unit
 * test checks both the shape and the list of function names agree.
 */

export interface SourceSpan {
  start: number;
  end: number;
}

export type BinaryOp = '+' | '-' | '*' | '/' | '^';

export type ExprTree =
  | { kind: 'number'; value: number; span?: SourceSpan }
  | { kind: 'name'; name: string; span?: SourceSpan }
  | { kind: 'negate'; operand: ExprTree; span?: SourceSpan }
  | { kind: 'binary'; op: BinaryOp; left: ExprTree; right: ExprTree; span?: SourceSpan }
  | { kind: 'call'; fn: string; args: ExprTree[]; span?: SourceSpan };

/** Every operation a node of an expression graph can be. */
export const OPS = [
  'const',
  'input',
  '+',
  '-',
  '*',
  '/',
  '^',
  'neg',
  'exp',
  'log',
  'sqrt',
  'tanh',
  'sigmoid',
  'relu',
  'abs',
  'step',
  'sign',
  'max',
  'min',
] as const;
export type Op = (typeof OPS)[number];

/**
 * The functions an expression may call, with their arity (the language's list is checked against
 * this).
 */
export const FUNCTION_ARITY: Readonly<Partial<Record<Op, number>>> = {
  exp: 1,
  log: 1,
  sqrt: 1,
  tanh: 1,
  sigmoid: 1,
  relu: 1,
  abs: 1,
  step: 1,
  sign: 1,
  max: 2,
  min: 2,
};
export const CONSTANTS: Readonly<Record<string, number>> = { pi: Math.PI, π: Math.PI };

export function isFunction(name: string): name is Op {
  return Object.prototype.hasOwnProperty.call(FUNCTION_ARITY, name);
}

/** σ(x), stable for any x (the same routine the networks use). */
function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** The value of op applied to a (and b). */
export function applyOp(op: Op, a: number, b: number): number {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / b;
    case '^':
      return Math.pow(a, b);
    case 'neg':
      return -a;
    case 'exp':
      return Math.exp(a);
    case 'log':
      return Math.log(a);
    case 'sqrt':
      return Math.sqrt(a);
    case 'tanh':
      return Math.tanh(a);
    case 'sigmoid':
      return sigmoid(a);
    case 'relu':
      return a > 0 ? a : a <= 0 ? 0 : NaN;
    case 'abs':
      return Math.abs(a);
    case 'step':
      return a > 0 ? 1 : 0;
    case 'sign':
      return a > 0 ? 1 : a < 0 ? -1 : 0;
    case 'max':
      return a > b ? a : a < b ? b : a + 0 * b;
    case 'min':
      return a < b ? a : a > b ? b : a + 0 * b;
    case 'const':
    case 'input':
      return a;
  }
}

/**
 * ∂(op(a, b))/∂(argument k) at a, b with value out. Conventions at kinks are
 * PyTorch's: relu'(0) = 0, |x|'(0) = 0, a tie of max/min splits ½ and ½,
 * ∂(a^b)/∂a = 0 when b = 0, ∂(a^b)/∂b = 0 when a = 0 and b ≥ 0.
 */
export function localDerivative(op: Op, k: number, a: number, b: number, out: number): number {
  switch (op) {
    case '+':
      return 1;
    case '-':
      return k === 0 ? 1 : -1;
    case '*':
      return k === 0 ? b : a;
    case '/':
      return k === 0 ? 1 / b : -a / (b * b);
    case '^':
      if (k === 0) return b === 0 ? 0 : b * Math.pow(a, b - 1);
      return a === 0 && b >= 0 ? 0 : out * Math.log(a);
    case 'neg':
      return -1;
    case 'exp':
      return out;
    case 'log':
      return 1 / a;
    case 'sqrt':
      return 1 / (2 * out);
    case 'tanh':
      return 1 - out * out;
    case 'sigmoid':
      return out * (1 - out);
    case 'relu':
      return a <= 0 ? 0 : 1;
    case 'abs':
      return a > 0 ? 1 : a < 0 ? -1 : 0;
    case 'step':
    case 'sign':
      return 0;
    // (a NaN argument passes the gradient to both sides, as in PyTorch)
    case 'max':
      return a === b ? 0.5 : (k === 0 ? a < b : a > b) ? 0 : 1;
    case 'min':
      return a === b ? 0.5 : (k === 0 ? a > b : a < b) ? 0 : 1;
    case 'const':
    case 'input':
      return 0;
  }
}

/** Ops whose zero local derivative is a switch, not a factor: the edge passes exactly 0. */
const MASKING: ReadonlySet<Op> = new Set<Op>(['relu', 'step', 'sign', 'max', 'min']);

/**
 * The gradient the edge from argument k passes back: local derivative times
 * the upstream gradient ∂root/∂(this node), except that an edge a switch turns
 * off (relu at z ≤ 0, step, sign, the side of max/min not taken) passes
 * exactly 0 even when the upstream gradient is ±∞ or NaN, as PyTorch's
 * backward formulas do.
 */
export function edgeGradient(
  op: Op,
  k: number,
  a: number,
  b: number,
  out: number,
  upstream: number,
): number {
  const local = localDerivative(op, k, a, b, out);
  return local === 0 && MASKING.has(op) ? 0 : local * upstream;
}

const BINARY_OP: Readonly<Record<BinaryOp, Op>> = {
  '+': '+',
  '-': '-',
  '*': '*',
  '/': '/',
  '^': '^',
};

/** The op of a tree node that applies one (numbers and names are leaves). */
export function opOf(tree: ExprTree): Op | undefined {
  switch (tree.kind) {
    case 'binary':
      return BINARY_OP[tree.op];
    case 'negate':
      return 'neg';
    case 'call':
      return isFunction(tree.fn) ? tree.fn : undefined;
    default:
      return undefined;
  }
}

/** The operands of a tree node, in order. */
export function childrenOf(tree: ExprTree): ExprTree[] {
  switch (tree.kind) {
    case 'binary':
      return [tree.left, tree.right];
    case 'negate':
      return [tree.operand];
    case 'call':
      return tree.args;
    default:
      return [];
  }
}

/** Names a tree reads (constants excluded), in order of first use. */
export function freeNames(tree: ExprTree): string[] {
  const seen = new Set<string>();
  const visit = (t: ExprTree): void => {
    if (t.kind === 'name') {
      if (!(t.name in CONSTANTS)) seen.add(t.name);
    } else childrenOf(t).forEach(visit);
  };
  visit(tree);
  return [...seen];
}
