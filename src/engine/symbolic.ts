/**
 * Symbolic differentiation of expression trees, a simplifier that makes the
 * result readable (constants folded, ·1 and +0 dropped, −−x = x, x·x = x^2),
 * and the two ways of writing a tree: plain text in the cell language and
 * LaTeX. These are for showing formulas; numbers come from the graphs and
 * tapes (graph.ts, expressionTape.ts), which a unit test checks these against.
 */
import { CONSTANTS, type BinaryOp, type ExprTree } from './expression';

const num = (value: number): ExprTree => ({ kind: 'number', value });
const bin = (op: BinaryOp, left: ExprTree, right: ExprTree): ExprTree => ({
  kind: 'binary',
  op,
  left,
  right,
});
const call = (fn: string, ...args: ExprTree[]): ExprTree => ({ kind: 'call', fn, args });
const neg = (operand: ExprTree): ExprTree => ({ kind: 'negate', operand });

/** ∂tree/∂name, unsimplified. At kinks the formula uses step(0) = 0 and sign(0) = 0. */
export function differentiate(tree: ExprTree, name: string): ExprTree {
  const d = (t: ExprTree): ExprTree => differentiate(t, name);
  switch (tree.kind) {
    case 'number':
      return num(0);
    case 'name':
      return num(tree.name === name ? 1 : 0);
    case 'negate':
      return neg(d(tree.operand));
    case 'binary': {
      const { left: u, right: v } = tree;
      switch (tree.op) {
        case '+':
        case '-':
          return bin(tree.op, d(u), d(v));
        case '*':
          return bin('+', bin('*', d(u), v), bin('*', u, d(v)));
        case '/':
          return bin('-', bin('/', d(u), v), bin('/', bin('*', u, d(v)), bin('^', v, num(2))));
        case '^':
          if (!dependsOn(v, name))
            return bin('*', bin('*', v, bin('^', u, bin('-', v, num(1)))), d(u));
          return bin(
            '*',
            tree,
            bin('+', bin('*', d(v), call('log', u)), bin('/', bin('*', v, d(u)), u)),
          );
      }
      break;
    }
    case 'call': {
      const [u, v] = tree.args;
      const du = u ? d(u) : num(0);
      switch (tree.fn) {
        case 'exp':
          return bin('*', tree, du);
        case 'log':
          return bin('/', du, u);
        case 'sqrt':
          return bin('/', du, bin('*', num(2), tree));
        case 'tanh':
          return bin('*', bin('-', num(1), bin('^', tree, num(2))), du);
        case 'sigmoid':
          return bin('*', bin('*', tree, bin('-', num(1), tree)), du);
        case 'relu':
          return bin('*', call('step', u), du);
        case 'abs':
          return bin('*', call('sign', u), du);
        case 'max':
          return bin(
            '+',
            bin('*', call('step', bin('-', u, v)), du),
            bin('*', call('step', bin('-', v, u)), d(v)),
          );
        case 'min':
          return bin(
            '+',
            bin('*', call('step', bin('-', v, u)), du),
            bin('*', call('step', bin('-', u, v)), d(v)),
          );
        default:
          return num(0); // step, sign: 0 wherever they have a derivative
      }
    }
  }
  return num(NaN);
}

export function dependsOn(tree: ExprTree, name: string): boolean {
  switch (tree.kind) {
    case 'number':
      return false;
    case 'name':
      return tree.name === name;
    case 'negate':
      return dependsOn(tree.operand, name);
    case 'binary':
      return dependsOn(tree.left, name) || dependsOn(tree.right, name);
    case 'call':
      return tree.args.some((a) => dependsOn(a, name));
  }
}

/** Structural equality (spans ignored). */
export function sameTree(p: ExprTree, q: ExprTree): boolean {
  if (p.kind !== q.kind) return false;
  switch (p.kind) {
    case 'number':
      return Object.is(p.value, (q as typeof p).value);
    case 'name':
      return p.name === (q as typeof p).name;
    case 'negate':
      return sameTree(p.operand, (q as typeof p).operand);
    case 'binary': {
      const r = q as typeof p;
      return p.op === r.op && sameTree(p.left, r.left) && sameTree(p.right, r.right);
    }
    case 'call': {
      const r = q as typeof p;
      return (
        p.fn === r.fn &&
        p.args.length === r.args.length &&
        p.args.every((a, i) => sameTree(a, r.args[i]))
      );
    }
  }
}

const isNum = (t: ExprTree, v?: number): t is { kind: 'number'; value: number } =>
  t.kind === 'number' && (v === undefined || t.value === v);

/** A readable equivalent of the tree (bottom-up rewriting; spans dropped). */
export function simplify(tree: ExprTree): ExprTree {
  switch (tree.kind) {
    case 'number':
      return tree.value < 0 ? neg(num(-tree.value)) : num(tree.value);
    case 'name':
      return { kind: 'name', name: tree.name };
    case 'negate': {
      const u = simplify(tree.operand);
      if (u.kind === 'negate') return u.operand;
      if (isNum(u, 0)) return u;
      return neg(u);
    }
    case 'call':
      return { kind: 'call', fn: tree.fn, args: tree.args.map(simplify) };
    case 'binary':
      return simplifyBinary(tree.op, simplify(tree.left), simplify(tree.right));
  }
}

/** The number a simplified tree stands for, if it is one (a literal or −literal). */
function numberOf(t: ExprTree): number | undefined {
  if (t.kind === 'number') return t.value;
  if (t.kind === 'negate' && t.operand.kind === 'number') return -t.operand.value;
  return undefined;
}

function fold(op: BinaryOp, x: number, y: number): number | undefined {
  const r =
    op === '+'
      ? x + y
      : op === '-'
        ? x - y
        : op === '*'
          ? x * y
          : op === '/'
            ? x / y
            : Math.pow(x, y);
  // only fold when the result is as short as what it replaces (keeps 1/3 as a fraction)
  return Number.isFinite(r) && (Number.isInteger(r) || String(r).length <= 6) ? r : undefined;
}

function simplifyBinary(op: BinaryOp, u: ExprTree, v: ExprTree): ExprTree {
  const x = numberOf(u);
  const y = numberOf(v);
  if (x !== undefined && y !== undefined) {
    const r = fold(op, x, y);
    if (r !== undefined) return simplify(num(r));
  }
  switch (op) {
    case '+':
      if (x === 0) return v;
      if (y === 0) return u;
      if (v.kind === 'negate') return simplifyBinary('-', u, v.operand);
      if (sameTree(u, v)) return simplifyBinary('*', num(2), u);
      break;
    case '-':
      if (y === 0) return u;
      if (x === 0) return simplify(neg(v));
      if (v.kind === 'negate') return simplifyBinary('+', u, v.operand);
      if (sameTree(u, v)) return num(0);
      break;
    case '*':
      if (x === 0 || y === 0) return num(0);
      if (x === 1) return v;
      if (y === 1) return u;
      if (x === -1) return simplify(neg(v));
      if (y === -1) return simplify(neg(u));
      if (u.kind === 'negate') return simplify(neg(simplifyBinary('*', u.operand, v)));
      if (v.kind === 'negate') return simplify(neg(simplifyBinary('*', u, v.operand)));
      if (y !== undefined) return simplifyBinary('*', v, u); // numbers first: 2·x
      if (x !== undefined && v.kind === 'binary' && v.op === '*') {
        const inner = numberOf(v.left);
        if (inner !== undefined) return simplifyBinary('*', num(x * inner), v.right);
      }
      if (sameTree(u, v)) return bin('^', u, num(2));
      break;
    case '/':
      if (x === 0) return num(0);
      if (y === 1) return u;
      if (sameTree(u, v)) return num(1);
      if (u.kind === 'negate') return simplify(neg(simplifyBinary('/', u.operand, v)));
      // (c·x)/d = (c/d)·x when c/d is short
      if (y !== undefined && u.kind === 'binary' && u.op === '*') {
        const c = numberOf(u.left);
        const q = c === undefined ? undefined : fold('/', c, y);
        if (q !== undefined) return simplifyBinary('*', num(q), u.right);
      }
      break;
    case '^':
      if (y === 0) return num(1);
      if (y === 1) return u;
      break;
  }
  return bin(op, u, v);
}

// ---- writing trees -----------------------------------------------------------

const PRECEDENCE: Readonly<Record<BinaryOp, number>> = { '+': 1, '-': 1, '*': 2, '/': 2, '^': 4 };
const NEGATE_PRECEDENCE = 3;

function precedenceOf(t: ExprTree): number {
  if (t.kind === 'binary') return PRECEDENCE[t.op];
  if (t.kind === 'negate') return NEGATE_PRECEDENCE;
  if (t.kind === 'number' && t.value < 0) return NEGATE_PRECEDENCE;
  return 5;
}

/** Shortest round-tripping decimal, as the cell language reads it. */
function numberText(v: number): string {
  return Number.isFinite(v) ? String(v) : String(v);
}

/** The tree in the cell language's syntax (reads back to an equal tree). */
export function exprToText(tree: ExprTree): string {
  switch (tree.kind) {
    case 'number':
      return numberText(tree.value);
    case 'name':
      return tree.name;
    case 'negate': {
      const precedence = NEGATE_PRECEDENCE + (tree.operand.kind === 'negate' ? 1 : 0);
      return `-${wrap(tree.operand, precedence, exprToText)}`;
    }
    case 'call':
      return `${tree.fn}(${tree.args.map(exprToText).join(', ')})`;
    case 'binary': {
      const p = PRECEDENCE[tree.op];
      // left-associative: the right operand of - and / needs brackets at equal precedence;
      // ^ is right-associative: its left operand does
      const left = wrap(tree.left, tree.op === '^' ? p + 1 : p, exprToText);
      const right = wrap(
        tree.right,
        tree.op === '^' ? NEGATE_PRECEDENCE : p + (tree.op === '-' || tree.op === '/' ? 1 : 0),
        exprToText,
      );
      return tree.op === '^' ? `${left}^${right}` : `${left} ${tree.op} ${right}`;
    }
  }
}

function wrap(
  t: ExprTree,
  min: number,
  write: (t: ExprTree) => string,
  open = '(',
  close = ')',
): string {
  return precedenceOf(t) < min ? `${open}${write(t)}${close}` : write(t);
}

const LATEX_FUNCTIONS: Readonly<Record<string, string>> = {
  sigmoid: '\\sigma',
  tanh: '\\tanh',
  log: '\\ln',
  exp: '\\exp',
  relu: '\\operatorname{relu}',
  step: '\\operatorname{step}',
  sign: '\\operatorname{sign}',
  max: '\\max',
  min: '\\min',
};

/** A name in LaTeX: trailing digits become a subscript (x1 → x_{1}), Greek stays Greek. */
export function latexName(name: string): string {
  if (name in CONSTANTS) return '\\pi';
  const m = /^([^\d]*?)(\d+)$/.exec(name);
  const base = m ? m[1] : name;
  const body =
    base.length > 1 ? `\\mathit{${base.replace(/_/g, '\\_')}}` : base.replace(/_/g, '\\_');
  return m ? `${body}_{${m[2]}}` : body;
}

/**
 * The tree typeset for KaTeX; `leaves` typesets the names it lists as the LaTeX given (the numbers
 * or the notation put in for a function's parameters).
 */
export function exprToLatex(tree: ExprTree, leaves?: Readonly<Record<string, string>>): string {
  const L = (t: ExprTree) => exprToLatex(t, leaves);
  switch (tree.kind) {
    case 'number':
      return Number.isFinite(tree.value)
        ? String(tree.value).replace(/e\+?(-?\d+)$/, '\\times 10^{$1}')
        : `\\text{${tree.value}}`;
    case 'name':
      return leaves && Object.prototype.hasOwnProperty.call(leaves, tree.name)
        ? leaves[tree.name]
        : latexName(tree.name);
    case 'negate':
      return `-${wrap(tree.operand, NEGATE_PRECEDENCE + 1, L, '\\left(', '\\right)')}`;
    case 'call': {
      if (tree.fn === 'sqrt') return `\\sqrt{${L(tree.args[0])}}`;
      if (tree.fn === 'abs') return `\\left|${L(tree.args[0])}\\right|`;
      const fn = LATEX_FUNCTIONS[tree.fn] ?? `\\operatorname{${tree.fn}}`;
      return `${fn}\\left(${tree.args.map(L).join(', ')}\\right)`;
    }
    case 'binary': {
      switch (tree.op) {
        case '/':
          return `\\frac{${L(tree.left)}}{${L(tree.right)}}`;
        case '^':
          return `{${wrap(tree.left, 5, L, '\\left(', '\\right)')}}^{${L(tree.right)}}`;
        case '*':
          return (
            `${wrap(tree.left, 2, L, '\\left(', '\\right)')} \\cdot ` +
            `${wrap(tree.right, 2, L, '\\left(', '\\right)')}`
          );
        default: {
          const right = wrap(tree.right, tree.op === '-' ? 2 : 1, L, '\\left(', '\\right)');
          return `${L(tree.left)} ${tree.op} ${right}`;
        }
      }
    }
  }
}
