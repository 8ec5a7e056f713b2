/**
 * The statements of computation-graph cells, read from the raw text of one
 * line (the cell scanner's rules for quantities and numbers do not apply to
 * expressions):
 *
 *   NAME = EXPR                          a value (no names in EXPR: a leaf) or an expression
 *   backward NAME                        ∂NAME/∂v for every node v NAME depends on
 *   show NAME [, NAME…]                  the graph of NAME (a function: its formula, g′ and a plot)
 *   explain ∂NAME/∂V   (or dNAME/dV)     the chain rule at V, summed over its outgoing edges
 *   expect NAME = NUMBER [± TOL]         also ∂NAME/∂V, and < <= > >=
 *   gradcheck NAME                       ∂NAME/∂leaf against central differences
 *   activation NAME(z) = EXPR            a user-defined activation, usable in network lines
 *   loss NAME(a, t) = EXPR               a user-defined loss, per output node
 *   check NAME'(z) = EXPR                a hand-derived derivative of an activation
 *   check ∂NAME/∂a = EXPR                … or of a loss (also dNAME/da)
 *
 * A name that looks like a network quantity (x1, w12, a2, E) stays the
 * network's: those lines are left to the main parser.
 */
import { STATEMENT_KEYWORDS, type Name, type Span } from './ast';
import { diagnostic, type Diagnostic } from './diagnostics';
import { parseExpression, type Expr } from './expr';
import { matchQuantity } from './scanner';
import { EXPRESSION_KEYWORDS, SHOW_GROUPS } from './vocabulary';

export type Comparison = '=' | '<' | '<=' | '>' | '>=';

/** ∂of/∂wrt, or the value of `of` when wrt is absent. */
export interface ExprRef {
  of: Name;
  wrt?: Name;
  text: string;
  span: Span;
}

export type ExpressionStatement =
  | { kind: 'let'; name: Name; expr: Expr; span: Span }
  | { kind: 'backwardOf'; name: Name; span: Span }
  | { kind: 'showExpr'; names: Name[]; span: Span }
  | { kind: 'explainExpr'; ref: ExprRef; span: Span }
  | {
      kind: 'expectExpr';
      ref: ExprRef;
      comparison: Comparison;
      expected: number;
      tolerance?: number;
      span: Span;
    }
  | { kind: 'gradcheckExpr'; name: Name; span: Span }
  | {
      kind: 'define';
      what: 'activation' | 'loss';
      name: Name;
      params: Name[];
      body: Expr;
      span: Span;
    }
  | {
      kind: 'checkDerivative';
      /** the function whose derivative is claimed */
      name: Name;
      /** the parameter it is taken in (z of g′(z); a of ∂E/∂a) */
      param: Name;
      /** the derivative as written by hand */
      claimed: Expr;
      span: Span;
    };

export interface LineResult {
  statement?: ExpressionStatement;
  diagnostics: Diagnostic[];
}

const IDENT = '[A-Za-z_\\p{L}][A-Za-z0-9_\\p{L}]*';
const NUMBER = '[-−]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?';
const COMMENT = '\\s*(?:#.*)?$';

/** A word that the cell language would read as a network quantity (x1, w12[1], E). */
export function isQuantityName(name: string): boolean {
  return name === 'E' || matchQuantity(name, 0) === name.length;
}

function isKeyword(name: string): boolean {
  return ([...STATEMENT_KEYWORDS, ...EXPRESSION_KEYWORDS] as readonly string[]).includes(name);
}

/** A plain name usable for an expression (not a keyword, not a network quantity). */
export function isExpressionName(name: string): boolean {
  return new RegExp(`^${IDENT}$`, 'u').test(name) && !isKeyword(name) && !isQuantityName(name);
}

const name = (text: string, start: number): Name => ({
  text,
  span: { start, end: start + text.length },
});

/** ∂of/∂wrt or dof/dwrt or of, at the start of `rest` (offset `at` in the cell). */
function readRef(rest: string, at: number): { ref: ExprRef; length: number } | undefined {
  const grad = new RegExp(
    `^(?:∂(${IDENT})\\s*/\\s*∂(${IDENT})|d(${IDENT})\\s*/\\s*d(${IDENT}))`,
    'u',
  ).exec(rest);
  if (grad) {
    const of = grad[1] ?? grad[3];
    const wrt = grad[2] ?? grad[4];
    if (of === 'E') return undefined; // ∂E/∂…: the network's
    const ofAt = at + rest.indexOf(of, 1);
    const wrtAt = at + grad[0].lastIndexOf(wrt);
    return {
      ref: {
        of: name(of, ofAt),
        wrt: name(wrt, wrtAt),
        text: `∂${of}/∂${wrt}`,
        span: { start: at, end: at + grad[0].length },
      },
      length: grad[0].length,
    };
  }
  const plain = new RegExp(`^${IDENT}`, 'u').exec(rest);
  if (!plain || !isExpressionName(plain[0])) return undefined;
  return {
    ref: { of: name(plain[0], at), text: plain[0], span: { start: at, end: at + plain[0].length } },
    length: plain[0].length,
  };
}

/**
 * The expression statement on the line text[start, end), or undefined when
 * the line is not one (the main parser reads it). Never throws.
 */
export function expressionLine(text: string, start: number, end: number): LineResult | undefined {
  const line = text.slice(start, end);
  const lead = line.length - line.trimStart().length;
  const body = line.slice(lead);
  const at = start + lead;
  const span: Span = { start: at, end: start + line.trimEnd().length };
  const expr = (from: number): { expr?: Expr; diagnostics: Diagnostic[] } => {
    const r = parseExpression(text, from, end);
    return { expr: r.expr, diagnostics: r.diagnostics };
  };

  // activation NAME(z) = EXPR, loss NAME(a, t) = EXPR
  const def = new RegExp(`^(activation|loss)\\s+(${IDENT})\\s*\\(([^)]*)\\)\\s*=`, 'u').exec(body);
  if (def) {
    const what = def[1] as 'activation' | 'loss';
    const nameAt = at + body.indexOf(def[2], def[1].length);
    const open = body.indexOf('(', def[1].length + def[2].length);
    const params: Name[] = [];
    let offset = at + open + 1;
    for (const part of def[3].split(',')) {
      const trimmed = part.trim();
      params.push(name(trimmed, offset + part.indexOf(trimmed)));
      offset += part.length + 1;
    }
    const diagnostics: Diagnostic[] = [];
    const want = what === 'activation' ? 1 : 2;
    if (params.length !== want || params.some((p) => !new RegExp(`^${IDENT}$`, 'u').test(p.text)))
      diagnostics.push(
        diagnostic(
          'BPNB102',
          { start: at + open, end: at + open + def[3].length + 2 },
          {
            expected:
              what === 'activation' ? 'one parameter, e.g. (z)' : 'two parameters, e.g. (a, t)',
            found: `(${def[3]})`,
          },
        ),
      );
    const parsed = expr(at + def[0].length);
    for (const d of parsed.diagnostics) diagnostics.push(d);
    const statement =
      parsed.expr && diagnostics.length === 0
        ? {
            kind: 'define' as const,
            what,
            name: name(def[2], nameAt),
            params,
            body: parsed.expr,
            span,
          }
        : undefined;
    return { statement, diagnostics };
  }

  // check NAME'(z) = EXPR, check ∂NAME/∂a = EXPR
  const check = /^check\s+/.exec(body);
  if (check) {
    const rest = body.slice(check[0].length);
    const restAt = at + check[0].length;
    const prime = new RegExp(`^(${IDENT})(?:'|′)\\s*\\(\\s*(${IDENT})\\s*\\)\\s*=`, 'u').exec(rest);
    const ref = prime ? undefined : readRef(rest, restAt);
    const eq = prime ? prime[0].length : ref?.ref.wrt ? rest.indexOf('=', ref.length) : -1;
    if (
      !(prime || ref?.ref.wrt) ||
      eq < 0 ||
      (!prime && rest.slice(ref?.length ?? 0, eq).trim() !== '')
    )
      return {
        diagnostics: [
          diagnostic('BPNB102', span, {
            expected: "a derivative to check: NAME'(z) = … or ∂NAME/∂a = …",
            found: JSON.stringify(body.slice(0, 40)),
          }),
        ],
      };
    const fn = prime ? name(prime[1], restAt) : (ref as { ref: ExprRef }).ref.of;
    const param = prime
      ? name(prime[2], restAt + rest.indexOf(prime[2], prime[1].length))
      : ((ref as { ref: ExprRef }).ref.wrt as Name);
    const parsed = expr(restAt + eq + (prime ? 0 : 1));
    return {
      statement: parsed.expr
        ? { kind: 'checkDerivative', name: fn, param, claimed: parsed.expr, span }
        : undefined,
      diagnostics: parsed.diagnostics,
    };
  }

  // backward NAME
  const back = new RegExp(`^backward\\s+(${IDENT})${COMMENT}`, 'u').exec(body);
  if (back && isExpressionName(back[1]))
    return {
      statement: { kind: 'backwardOf', name: name(back[1], at + body.indexOf(back[1], 8)), span },
      diagnostics: [],
    };

  // show NAME, NAME…   (only names that are not show groups or quantities)
  const show = new RegExp(`^show\\s+(${IDENT}(?:\\s*,\\s*${IDENT})*)${COMMENT}`, 'u').exec(body);
  if (show) {
    const parts = show[1].split(',').map((p) => p.trim());
    if (parts.every(isExpressionName) && !parts.some(isShowGroup)) {
      let from = 4;
      const names = parts.map((p) => {
        const i = body.indexOf(p, from);
        from = i + p.length;
        return name(p, at + i);
      });
      return { statement: { kind: 'showExpr', names, span }, diagnostics: [] };
    }
  }

  // explain ∂f/∂x
  const explain = /^explain\s+/.exec(body);
  if (explain) {
    const ref = readRef(body.slice(explain[0].length), at + explain[0].length);
    if (ref?.ref.wrt && new RegExp(COMMENT, 'u').test(body.slice(explain[0].length + ref.length)))
      return { statement: { kind: 'explainExpr', ref: ref.ref, span }, diagnostics: [] };
  }

  // gradcheck NAME
  const gc = new RegExp(`^gradcheck\\s+(${IDENT})${COMMENT}`, 'u').exec(body);
  if (gc && isExpressionName(gc[1]))
    return {
      statement: { kind: 'gradcheckExpr', name: name(gc[1], at + body.indexOf(gc[1], 9)), span },
      diagnostics: [],
    };

  // expect REF = NUMBER [± TOL]
  const ex = /^expect\s+/.exec(body);
  if (ex) {
    const ref = readRef(body.slice(ex[0].length), at + ex[0].length);
    if (ref) {
      const tail = body.slice(ex[0].length + ref.length);
      const m = new RegExp(
        `^\\s*(<=|>=|=|<|>|≤|≥)\\s*(${NUMBER})\\s*(?:(?:±|\\+-)\\s*(${NUMBER}))?${COMMENT}`,
        'u',
      ).exec(tail);
      if (!m)
        return {
          diagnostics: [
            diagnostic(
              'BPNB102',
              { start: ref.ref.span.end, end: span.end },
              {
                expected: '= NUMBER (± TOLERANCE), or < <= > >= NUMBER',
                found: JSON.stringify(tail.trim().slice(0, 30)),
              },
            ),
          ],
        };
      const comparison =
        ({ '≤': '<=', '≥': '>=' } as Record<string, Comparison>)[m[1]] ?? (m[1] as Comparison);
      const num = (s: string) => Number(s.replace('−', '-'));
      return {
        statement: {
          kind: 'expectExpr',
          ref: ref.ref,
          comparison,
          expected: num(m[2]),
          ...(m[3] !== undefined ? { tolerance: num(m[3]) } : {}),
          span,
        },
        diagnostics: [],
      };
    }
  }

  // NAME = EXPR
  const assign = new RegExp(`^(${IDENT})\\s*=(?!=)`, 'u').exec(body);
  if (assign && isExpressionName(assign[1])) {
    const parsed = expr(at + assign[0].length);
    return {
      statement: parsed.expr
        ? { kind: 'let', name: name(assign[1], at), expr: parsed.expr, span }
        : undefined,
      diagnostics: parsed.diagnostics,
    };
  }
  return undefined;
}

/**
 * A word the main parser reads as a show group (`show weights`), or the start of one (`loss
 * curve`).
 */
function isShowGroup(word: string): boolean {
  return SHOW_GROUPS.some((g) => g.split(' ')[0] === word);
}
