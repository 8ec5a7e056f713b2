/**
 * The expression sub-language: scalar expressions over names and numbers,
 * written on one line (`f = (x + y) * z`, `activation myswish(z) = z * sigmoid(z)`).
 *
 *   sum     := product (('+' | '-') product)*
 *   product := unary (('*' | '/') unary)*
 *   unary   := '-' unary | power
 *   power   := atom ('^' unary)?   (right-associative, tighter than unary minus: -x^2 = -(x^2))
 *   atom    := number | name | name '(' sum (',' sum)* ')' | '(' sum ')'
 *
 * It scans the raw text between two offsets (so the cell scanner's quantity
 * and number rules do not apply inside an expression), never throws, and
 * bounds the tree's size and depth. Every node carries its span.
 */
import type { Span } from './ast';
import {
  diagnostic,
  INTERNAL_CODE,
  type Diagnostic,
  type DiagnosticArgs,
  type DiagnosticCode,
} from './diagnostics';
import { CONSTANTS, FUNCTION_ARITY } from '../engine/expression';

export type BinaryOperator = '+' | '-' | '*' | '/' | '^';

export type Expr =
  | { kind: 'number'; value: number; span: Span }
  | { kind: 'name'; name: string; span: Span }
  | { kind: 'negate'; operand: Expr; span: Span }
  | { kind: 'binary'; op: BinaryOperator; left: Expr; right: Expr; span: Span }
  | { kind: 'call'; fn: string; args: Expr[]; span: Span; nameSpan: Span };

/**
 * The functions an expression may call, with their arity, and the named constants: the engine's own
 * tables (engine/expression.ts), so the parser and the evaluator cannot disagree.
 */
export const EXPRESSION_FUNCTIONS: Readonly<Record<string, number>> = FUNCTION_ARITY;
export const EXPRESSION_CONSTANTS: Readonly<Record<string, number>> = CONSTANTS;

/** Most operations in one expression, and most levels of nesting. */
export const MAX_EXPRESSION_NODES = 2000;
export const MAX_EXPRESSION_DEPTH = 200;

type TokenKind = 'number' | 'name' | 'op' | 'invalid' | 'end';
interface Token {
  kind: TokenKind;
  text: string;
  start: number;
  end: number;
  value?: number;
}

const OPERATOR_ALIASES: Readonly<Record<string, string>> = {
  '−': '-',
  '×': '*',
  '·': '*',
  '÷': '/',
  '**': '^',
};
const OPERATORS = ['**', '+', '-', '−', '*', '×', '·', '/', '÷', '^', '(', ')', ','];

const isDigit = (c: string): boolean => c >= '0' && c <= '9';
const isNameStart = (c: string): boolean =>
  /^[A-Za-z_]$/.test(c) || (c > '\x7f' && /^\p{L}$/u.test(c) && c !== '·' && c !== '×');
const isNameChar = (c: string): boolean => isNameStart(c) || isDigit(c) || c === "'";

/** Tokens of text[start, end); spaces and a trailing `#` comment are skipped. */
function scanExpression(text: string, start: number, end: number): Token[] {
  const tokens: Token[] = [];
  let pos = start;
  while (pos < end) {
    const c = text[pos];
    if (c === ' ' || c === '\t' || c === '\r' || c === '\u00a0') {
      pos++;
      continue;
    }
    if (c === '#') break;
    const from = pos;
    if (isDigit(c) || (c === '.' && isDigit(text[pos + 1] ?? ''))) {
      while (pos < end && isDigit(text[pos])) pos++;
      if (text[pos] === '.') {
        pos++;
        while (pos < end && isDigit(text[pos])) pos++;
      }
      if (
        (text[pos] === 'e' || text[pos] === 'E') &&
        (isDigit(text[pos + 1] ?? '') ||
          ((text[pos + 1] === '-' || text[pos + 1] === '+') && isDigit(text[pos + 2] ?? '')))
      ) {
        pos += 2;
        while (pos < end && isDigit(text[pos])) pos++;
      }
      const written = text.slice(from, pos);
      tokens.push({ kind: 'number', text: written, start: from, end: pos, value: Number(written) });
      continue;
    }
    if (isNameStart(c)) {
      while (pos < end && isNameChar(text[pos])) pos++;
      tokens.push({ kind: 'name', text: text.slice(from, pos), start: from, end: pos });
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, pos));
    if (op && pos + op.length <= end) {
      pos += op.length;
      tokens.push({ kind: 'op', text: OPERATOR_ALIASES[op] ?? op, start: from, end: pos });
      continue;
    }
    const codePoint = text.codePointAt(pos) ?? 0;
    pos += codePoint > 0xffff ? 2 : 1;
    tokens.push({ kind: 'invalid', text: text.slice(from, pos), start: from, end: pos });
  }
  tokens.push({ kind: 'end', text: '', start: pos, end: pos });
  return tokens;
}

export interface ExpressionResult {
  /** absent when the text has a syntax error (see diagnostics) */
  expr?: Expr;
  diagnostics: Diagnostic[];
  /** where the expression's text ended (the start of a `#` comment, or `end`) */
  end: number;
}

class Bail {}

/** Parse text[start, end) as one expression. Total: never throws; spans lie inside [start, end). */
export function parseExpression(text: string, start = 0, end = text.length): ExpressionResult {
  const tokens = scanExpression(text, start, end);
  const parser = new ExpressionParser(tokens);
  const last = tokens[tokens.length - 1];
  try {
    const expr = parser.parse();
    return { expr, diagnostics: parser.diagnostics, end: last.end };
  } catch (e) {
    if (!(e instanceof Bail))
      parser.diagnostics.push(
        diagnostic(
          INTERNAL_CODE,
          { start, end },
          { message: e instanceof Error ? e.message : String(e) },
        ),
      );
    return { diagnostics: parser.diagnostics, end: last.end };
  }
}

class ExpressionParser {
  readonly diagnostics: Diagnostic[] = [];
  private i = 0;
  private nodes = 0;
  private depth = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): Expr {
    const bad = this.tokens.find((t) => t.kind === 'invalid');
    if (bad) this.fail('BPNB001', bad, { found: JSON.stringify(bad.text) });
    if (this.peek().kind === 'end')
      this.fail('BPNB102', this.peek(), {
        expected: 'an expression',
        found: 'the end of the line',
      });
    const expr = this.sum();
    const t = this.peek();
    if (t.kind !== 'end') this.fail('BPNB103', t, { found: `'${t.text}'` });
    return expr;
  }

  private peek(): Token {
    return this.tokens[Math.min(this.i, this.tokens.length - 1)];
  }
  private isOp(text: string): boolean {
    const t = this.peek();
    return t.kind === 'op' && t.text === text;
  }
  private fail(code: DiagnosticCode, span: Span, args: DiagnosticArgs = {}): never {
    this.diagnostics.push(diagnostic(code, span, args));
    throw new Bail();
  }
  private node<T extends Expr>(e: T): T {
    if (++this.nodes > MAX_EXPRESSION_NODES)
      this.fail('BPNB130', e.span, { max: MAX_EXPRESSION_NODES });
    return e;
  }
  /** Recursion guard: every nested rule passes through here. */
  private nested<T>(at: Span, rule: () => T): T {
    if (++this.depth > MAX_EXPRESSION_DEPTH)
      this.fail('BPNB131', at, { max: MAX_EXPRESSION_DEPTH });
    try {
      return rule();
    } finally {
      this.depth--;
    }
  }
  private binary(op: BinaryOperator, left: Expr, right: Expr): Expr {
    const e = this.node({
      kind: 'binary',
      op,
      left,
      right,
      span: { start: left.span.start, end: right.span.end },
    } as const);
    // a chain of binary operators (x1 + x2 + … + x250) is long, not nested: only brackets, calls,
    // signs and powers count as depth (nested); the size bound keeps the tree's depth below
    // MAX_EXPRESSION_NODES for the walkers that recurse
    return e;
  }

  private sum(): Expr {
    let left = this.product();
    while (this.isOp('+') || this.isOp('-')) {
      const op = this.peek().text as BinaryOperator;
      this.i++;
      left = this.binary(op, left, this.product());
    }
    return left;
  }
  private product(): Expr {
    let left = this.unary();
    while (this.isOp('*') || this.isOp('/')) {
      const op = this.peek().text as BinaryOperator;
      this.i++;
      left = this.binary(op, left, this.unary());
    }
    return left;
  }
  private unary(): Expr {
    const t = this.peek();
    if (this.isOp('-') || this.isOp('+')) {
      this.i++;
      const operand = this.nested(t, () => this.unary());
      if (t.text === '+') return operand;
      return this.node({
        kind: 'negate',
        operand,
        span: { start: t.start, end: operand.span.end },
      });
    }
    return this.power();
  }
  private power(): Expr {
    const base = this.atom();
    if (!this.isOp('^')) return base;
    const caret = this.peek();
    this.i++;
    const exponent = this.nested(caret, () => this.unary());
    return this.binary('^', base, exponent);
  }
  private atom(): Expr {
    const t = this.peek();
    if (t.kind === 'number') {
      this.i++;
      if (!Number.isFinite(t.value)) this.fail('BPNB003', t, { text: t.text });
      return this.node({
        kind: 'number',
        value: t.value ?? 0,
        span: { start: t.start, end: t.end },
      });
    }
    if (t.kind === 'name') {
      this.i++;
      if (this.isOp('(')) return this.call(t);
      return this.node({ kind: 'name', name: t.text, span: { start: t.start, end: t.end } });
    }
    if (this.isOp('(')) {
      this.i++;
      const inner = this.nested(t, () => this.sum());
      const close = this.close(t);
      // the node stands for the bracketed text, brackets included
      return { ...inner, span: { start: t.start, end: close.end } };
    }
    return this.fail('BPNB102', t, {
      expected: 'a number, a name or (',
      found: t.kind === 'end' ? 'the end of the line' : `'${t.text}'`,
    });
  }
  private close(open: Token): Token {
    const t = this.peek();
    if (!this.isOp(')')) {
      if (t.kind === 'end') this.fail('BPNB104', open, { bracket: "')'" });
      this.fail('BPNB102', t, { expected: "')'", found: `'${t.text}'` });
    }
    this.i++;
    return t;
  }
  private call(name: Token): Expr {
    const open = this.peek();
    this.i++;
    const args: Expr[] = [];
    if (!this.isOp(')')) {
      for (;;) {
        args.push(this.nested(open, () => this.sum()));
        if (!this.isOp(',')) break;
        this.i++;
      }
    }
    const close = this.close(open);
    return this.node({
      kind: 'call',
      fn: name.text,
      args,
      span: { start: name.start, end: close.end },
      nameSpan: { start: name.start, end: name.end },
    });
  }
}

/**
 * Every name an expression reads (not function names), in order of first use, with each use's span.
 */
export function exprNames(expr: Expr): Map<string, Span[]> {
  const found = new Map<string, Span[]>();
  const visit = (e: Expr): void => {
    switch (e.kind) {
      case 'name': {
        const spans = found.get(e.name) ?? [];
        spans.push(e.span);
        found.set(e.name, spans);
        return;
      }
      case 'negate':
        return visit(e.operand);
      case 'binary':
        visit(e.left);
        return visit(e.right);
      case 'call':
        return e.args.forEach(visit);
      case 'number':
        return;
    }
  };
  visit(expr);
  return found;
}

/**
 * Checks that need no session: every call names a known function with the
 * right number of arguments, and every name is a constant or one of `known`
 * (when given).
 */
export function checkExpression(expr: Expr, known?: (name: string) => boolean): Diagnostic[] {
  const out: Diagnostic[] = [];
  const visit = (e: Expr): void => {
    switch (e.kind) {
      case 'name':
        if (known && !(e.name in EXPRESSION_CONSTANTS) && !known(e.name))
          out.push(diagnostic('BPNB134', e.span, { name: e.name }));
        return;
      case 'negate':
        return visit(e.operand);
      case 'binary':
        visit(e.left);
        return visit(e.right);
      case 'call': {
        const arity = EXPRESSION_FUNCTIONS[e.fn];
        if (arity === undefined)
          out.push(
            diagnostic('BPNB132', e.nameSpan, {
              name: e.fn,
              known: Object.keys(EXPRESSION_FUNCTIONS).join(', '),
            }),
          );
        else if (arity !== e.args.length)
          out.push(
            diagnostic('BPNB133', e.span, {
              name: e.fn,
              want: arity,
              got: e.args.length,
            }),
          );
        return e.args.forEach(visit);
      }
      case 'number':
        return;
    }
  };
  visit(expr);
  return out;
}
