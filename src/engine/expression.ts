/**
 * Scalar expressions: the primitive operations (value and local derivative of
 * each, defined once), and the expression tree the engine evaluates. Nothing
 * is ever evaluated as JavaScript: trees are walked, or flattened into a tape
 * (expressionTape.ts) compiled into closures that call the same rules below.
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

/** The local derivative of an op in one argument, at a, b with value out. */
export type LocalSlope = (a: number, b: number, out: number) => number;

/** One primitive operation: its value and its local derivatives, defined once. */
export interface OpRule {
  /** op applied to a (and b; 0 for a unary op) */
  readonly value: (a: number, b: number) => number;
  /** ∂op/∂a, and ∂op/∂b for a binary op */
  readonly slope: readonly [LocalSlope, LocalSlope?];
  /** the same derivatives as formulas in the operands' names (explain writes them) */
  readonly formula: readonly [SlopeFormula, SlopeFormula?];
  /** whether a zero local derivative is a switch, not a factor: the edge then passes exactly 0 */
  readonly masks: boolean;
}

/**
 * A local derivative as a formula in the operands as written (a, b): a text of its own when it is a
 * constant, which then depends on no operand.
 */
export type SlopeFormula = string | ((a: string, b: string) => string);

const zero: LocalSlope = () => 0;
const one: LocalSlope = () => 1;
const unary = (
  value: (a: number) => number,
  slope: LocalSlope,
  formula: SlopeFormula,
  masks = false,
): OpRule => ({ value, slope: [slope], formula: [formula], masks });

/** The ops whose derivative may jump where their argument (x − y for max, min) crosses 0. */
export const SWITCHES: ReadonlySet<Op> = new Set<Op>(['relu', 'abs', 'step', 'sign', 'max', 'min']);

/**
 * Every op's value and local derivatives. Conventions at kinks are PyTorch's: relu'(0) = 0,
 * |x|'(0) = 0, a tie of max/min splits ½ and ½, ∂(a^b)/∂a = 0 when b = 0, ∂(a^b)/∂b = 0 when
 * a = 0 and b ≥ 0. The switches (relu, step, sign, max, min) mask: the edge they turn off passes
 * exactly 0 even when the upstream gradient is ±∞ or NaN, as PyTorch's backward formulas do.
 */
export const OP_RULES: Readonly<Record<Op, OpRule>> = {
  const: unary((a) => a, zero, '0'),
  input: unary((a) => a, zero, '0'),
  '+': { value: (a, b) => a + b, slope: [one, one], formula: ['1', '1'], masks: false },
  '-': { value: (a, b) => a - b, slope: [one, () => -1], formula: ['1', '−1'], masks: false },
  '*': {
    value: (a, b) => a * b,
    slope: [(_a, b) => b, (a) => a],
    formula: [(_a, b) => b, (a) => a],
    masks: false,
  },
  '/': {
    value: (a, b) => a / b,
    slope: [(_a, b) => 1 / b, (a, b) => -a / (b * b)],
    formula: [(_a, b) => `1/${b}`, (a, b) => `−${a}/${b}²`],
    masks: false,
  },
  '^': {
    value: (a, b) => Math.pow(a, b),
    slope: [
      (a, b) => (b === 0 ? 0 : b * Math.pow(a, b - 1)),
      (a, b, out) => (a === 0 && b >= 0 ? 0 : out * Math.log(a)),
    ],
    formula: [(a, b) => `${b}·${a}^(${b} − 1)`, (a, b) => `${a}^${b}·log(${a})`],
    masks: false,
  },
  neg: unary(
    (a) => -a,
    () => -1,
    '−1',
  ),
  exp: unary(
    Math.exp,
    (_a, _b, out) => out,
    (a) => `exp(${a})`,
  ),
  log: unary(
    Math.log,
    (a) => 1 / a,
    (a) => `1/${a}`,
  ),
  sqrt: unary(
    Math.sqrt,
    (_a, _b, out) => 1 / (2 * out),
    (a) => `1/(2·sqrt(${a}))`,
  ),
  tanh: unary(
    Math.tanh,
    (_a, _b, out) => 1 - out * out,
    (a) => `1 − tanh(${a})²`,
  ),
  sigmoid: unary(
    sigmoid,
    (_a, _b, out) => out * (1 - out),
    (a) => `σ(${a})·(1 − σ(${a}))`,
  ),
  relu: unary(
    (a) => (a > 0 ? a : a <= 0 ? 0 : NaN),
    (a) => (a <= 0 ? 0 : 1),
    (a) => `step(${a})`,
    true,
  ),
  abs: unary(
    Math.abs,
    (a) => (a > 0 ? 1 : a < 0 ? -1 : 0),
    (a) => `sign(${a})`,
  ),
  step: unary((a) => (a > 0 ? 1 : 0), zero, '0', true),
  sign: unary((a) => (a > 0 ? 1 : a < 0 ? -1 : 0), zero, '0', true),
  // (a NaN argument passes the gradient to both sides, as in PyTorch)
  max: {
    value: (a, b) => (a > b ? a : a < b ? b : a + 0 * b),
    slope: [(a, b) => (a === b ? 0.5 : a < b ? 0 : 1), (a, b) => (a === b ? 0.5 : a > b ? 0 : 1)],
    formula: [
      (a) => `1 if ${a} is the larger (½ at a tie), else 0`,
      (_a, b) => `1 if ${b} is the larger (½ at a tie), else 0`,
    ],
    masks: true,
  },
  min: {
    value: (a, b) => (a < b ? a : a > b ? b : a + 0 * b),
    slope: [(a, b) => (a === b ? 0.5 : a > b ? 0 : 1), (a, b) => (a === b ? 0.5 : a < b ? 0 : 1)],
    formula: [
      (a) => `1 if ${a} is the smaller (½ at a tie), else 0`,
      (_a, b) => `1 if ${b} is the smaller (½ at a tie), else 0`,
    ],
    masks: true,
  },
};

/** The value of op applied to a (and b). */
export function applyOp(op: Op, a: number, b: number): number {
  return OP_RULES[op].value(a, b);
}

/** ∂(op(a, b))/∂(argument k) at a, b with value out (conventions at kinks: OP_RULES). */
export function localDerivative(op: Op, k: number, a: number, b: number, out: number): number {
  return (OP_RULES[op].slope[k] ?? OP_RULES[op].slope[0])(a, b, out);
}

/** local · upstream, except exactly 0 where a masking op's zero local derivative turns it off. */
export function passGradient(rule: OpRule, local: number, upstream: number): number {
  return local === 0 && rule.masks ? 0 : local * upstream;
}

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
  return passGradient(OP_RULES[op], localDerivative(op, k, a, b, out), upstream);
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
