/**
 * Every name written in a cell's computation-graph statements, read from the
 * parsed statements (never from the text by pattern): values and expressions,
 * user-defined activations and losses (also where a network or loss line
 * uses them), their parameters, built-in functions and constants. The editor
 * highlights, hovers and completes from these.
 */
import type { Span, Statement } from './ast';
import { EXPRESSION_CONSTANTS, type Expr } from './expr';
import type { ExpressionNames } from './exprValidate';
import { parse } from './parser';

export type ExprRole = 'value' | 'function' | 'parameter' | 'builtin' | 'constant';

export interface ExprNameRef {
  name: string;
  span: Span;
  role: ExprRole;
  /** true where the statement gives the name its value or definition */
  defines: boolean;
  /** of a user function (role function), or of the function a parameter belongs to */
  what?: 'activation' | 'loss';
  /** the function a parameter belongs to */
  owner?: string;
}

/**
 * The names of an expression; inside a function's body (owner), `isParam` says which are its
 * parameters.
 */
function exprRefs(
  e: Expr,
  isParam: (name: string) => boolean,
  owner: ExprNameRef | undefined,
  out: ExprNameRef[],
): void {
  switch (e.kind) {
    case 'name': {
      const role: ExprRole =
        e.name in EXPRESSION_CONSTANTS ? 'constant' : isParam(e.name) ? 'parameter' : 'value';
      out.push({
        name: e.name,
        span: e.span,
        role,
        defines: false,
        ...(role === 'parameter' && owner ? { owner: owner.name, what: owner.what } : {}),
      });
      return;
    }
    case 'negate':
      return exprRefs(e.operand, isParam, owner, out);
    case 'binary':
      exprRefs(e.left, isParam, owner, out);
      return exprRefs(e.right, isParam, owner, out);
    case 'call':
      out.push({ name: e.fn, span: e.nameSpan, role: 'builtin', defines: false });
      return e.args.forEach((a) => exprRefs(a, isParam, owner, out));
    case 'number':
      return;
  }
}

/** The names of one statement, in the order they are written. */
function statementRefs(s: Statement, out: ExprNameRef[]): void {
  const value = (n: { text: string; span: Span }, defines = false): void => {
    out.push({ name: n.text, span: n.span, role: 'value', defines });
  };
  switch (s.kind) {
    case 'let':
      value(s.name, true);
      return exprRefs(s.expr, () => false, undefined, out);
    case 'backwardOf':
    case 'gradcheckExpr':
      return value(s.name);
    case 'showExpr':
      return s.names.forEach((n) => value(n));
    case 'explainExpr':
    case 'expectExpr':
      value(s.ref.of);
      if (s.ref.wrt) value(s.ref.wrt);
      return;
    case 'define': {
      const fn: ExprNameRef = {
        name: s.name.text,
        span: s.name.span,
        role: 'function',
        defines: true,
        what: s.what,
      };
      out.push(fn);
      for (const p of s.params)
        out.push({
          name: p.text,
          span: p.span,
          role: 'parameter',
          defines: true,
          owner: fn.name,
          what: s.what,
        });
      return exprRefs(s.body, (n) => s.params.some((p) => p.text === n), fn, out);
    }
    case 'checkDerivative': {
      const fn: ExprNameRef = {
        name: s.name.text,
        span: s.name.span,
        role: 'function',
        defines: false,
      };
      out.push(fn);
      out.push({
        name: s.param.text,
        span: s.param.span,
        role: 'parameter',
        defines: false,
        owner: fn.name,
      });
      // the claimed derivative reads only the function's parameters (z; a and t)
      return exprRefs(s.claimed, () => true, fn, out);
    }
    case 'network':
      for (const layer of s.layers)
        if (layer.activation?.userDefined)
          out.push({
            name: layer.activation.name,
            span: layer.activation.span,
            role: 'function',
            defines: false,
            what: 'activation',
          });
      return;
    case 'loss':
      if (s.userDefined)
        out.push({
          name: s.userDefined.text,
          span: s.userDefined.span,
          role: 'function',
          defines: false,
          what: 'loss',
        });
      return;
  }
}

/** Every expression name of a cell, in order. */
export function expressionRefs(text: string): ExprNameRef[] {
  const out: ExprNameRef[] = [];
  for (const s of parse(text).statements) statementRefs(s, out);
  return out;
}

/** The expression name under (or just before) the cursor. */
export function expressionRefAt(text: string, offset: number): ExprNameRef | undefined {
  return expressionRefs(text).find((r) => r.span.start <= offset && offset <= r.span.end);
}

/** The values and user functions a text defines, in order of first definition. */
export function expressionNamesIn(text: string): Required<ExpressionNames> {
  const values = new Set<string>();
  const functions = new Map<string, 'activation' | 'loss'>();
  for (const r of expressionRefs(text)) {
    if (!r.defines) continue;
    if (r.role === 'value') values.add(r.name);
    else if (r.role === 'function' && r.what) functions.set(r.name, r.what);
  }
  return {
    values: [...values],
    functions: [...functions].map(([name, what]) => ({ name, what })),
  };
}
