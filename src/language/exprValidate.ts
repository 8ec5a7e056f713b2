/**
 * Validation of computation-graph statements as the cells run in order:
 * names read before they are given a value, calls to unknown functions or
 * with the wrong number of arguments, a loss that never uses its output `a`,
 * an activation in a network line that nobody defined.
 */
import type { Span } from './ast';
import { diagnostic, type Diagnostic } from './diagnostics';
import { checkExpression, exprNames } from './expr';
import type { ExpressionStatement } from './exprStatements';
import { builtinNamed, closest, SHOW_GROUPS } from './vocabulary';

export interface ExpressionNames {
  /** values and expressions defined by earlier cells */
  values?: readonly string[];
  /** activations and losses defined by earlier cells */
  functions?: readonly { name: string; what: 'activation' | 'loss' }[];
}

/** Every kind of computation-graph statement (a new kind does not compile until it is listed). */
const KINDS: Record<ExpressionStatement['kind'], true> = {
  let: true,
  backwardOf: true,
  showExpr: true,
  explainExpr: true,
  expectExpr: true,
  gradcheckExpr: true,
  define: true,
  checkDerivative: true,
};
export const EXPRESSION_KINDS: ReadonlySet<string> = new Set(Object.keys(KINDS));

export function isExpressionStatement(s: { kind: string }): s is ExpressionStatement {
  return EXPRESSION_KINDS.has(s.kind);
}

export class ExpressionValidator {
  readonly values = new Set<string>();
  readonly functions = new Map<string, 'activation' | 'loss'>();
  constructor(
    names: ExpressionNames,
    private readonly report: (d: Diagnostic) => void,
  ) {
    for (const n of names.values ?? []) this.values.add(n);
    for (const f of names.functions ?? []) this.functions.set(f.name, f.what);
  }

  private unknown(name: string, span: Span): void {
    const known = [...this.values];
    const suggestion = closest(name, known);
    this.report(
      diagnostic('BPNB134', span, {
        name,
        known: known.slice(0, 12).join(', '),
        ...(suggestion ? { hint: `did you mean '${suggestion}'?` } : {}),
      }),
    );
  }
  private value(name: string, span: Span): void {
    if (!this.values.has(name)) this.unknown(name, span);
  }

  /**
   * An activation named in a network line, or a loss in a loss line, that is not built in: it
   * must have been defined (`activation NAME(z) = …`, `loss NAME(a, t) = …`).
   */
  userFunction(
    what: 'activation' | 'loss',
    name: string,
    span: Span,
    builtins: readonly string[],
  ): void {
    if (this.functions.get(name) === what) return;
    const suggestion = closest(name, [
      ...builtins,
      ...[...this.functions].filter(([, w]) => w === what).map(([n]) => n),
    ]);
    const form = what === 'activation' ? `activation ${name}(z) = …` : `loss ${name}(a, t) = …`;
    this.report(
      diagnostic('BPNB105', span, {
        what,
        found: name,
        known: `${builtins.join(', ')}, or one defined with ${form}`,
        ...(suggestion ? { suggestion } : {}),
      }),
    );
  }

  statement(s: ExpressionStatement): void {
    switch (s.kind) {
      case 'let':
        checkExpression(s.expr, (n) => this.values.has(n)).forEach((d) =>
          this.report(
            d.code === 'BPNB134'
              ? { ...d, args: { ...d.args, known: [...this.values].join(', ') } }
              : d,
          ),
        );
        if (this.functions.has(s.name.text))
          this.report(
            diagnostic('BPNB136', s.name.span, {
              name: s.name.text,
              what: `a ${this.functions.get(s.name.text)} defined earlier`,
            }),
          );
        this.values.add(s.name.text);
        return;
      case 'backwardOf':
      case 'gradcheckExpr':
        return this.value(s.name.text, s.name.span);
      case 'showExpr':
        for (const n of s.names)
          if (!this.functions.has(n.text) && !this.values.has(n.text))
            this.report(
              diagnostic('BPNB105', n.span, {
                what: 'thing to show',
                found: n.text,
                known:
                  `${SHOW_GROUPS.join(', ')}, a quantity, or a name defined with ` +
                  `${n.text} = …`,
                ...(closest(n.text, [...SHOW_GROUPS, ...this.values, ...this.functions.keys()])
                  ? {
                      suggestion: closest(n.text, [
                        ...SHOW_GROUPS,
                        ...this.values,
                        ...this.functions.keys(),
                      ]) as string,
                    }
                  : {}),
              }),
            );
        return;
      case 'explainExpr':
      case 'expectExpr':
        this.value(s.ref.of.text, s.ref.of.span);
        if (s.ref.wrt) this.value(s.ref.wrt.text, s.ref.wrt.span);
        return;
      case 'define': {
        const params = s.params.map((p) => p.text);
        checkExpression(s.body, (n) => params.includes(n)).forEach((d) =>
          this.report(
            d.code === 'BPNB134' ? { ...d, args: { ...d.args, known: params.join(', ') } } : d,
          ),
        );
        if (s.what === 'loss' && params[0] && !exprNames(s.body).has(params[0]))
          this.report(
            diagnostic('BPNB135', s.params[0].span, {
              what: `loss ${s.name.text}`,
              param: params[0],
              hint: 'the output a: without it every gradient would be 0',
            }),
          );
        const taken = this.values.has(s.name.text)
          ? 'a value defined earlier'
          : builtinNamed(s.name.text);
        if (taken)
          this.report(diagnostic('BPNB136', s.name.span, { name: s.name.text, what: taken }));
        this.functions.set(s.name.text, s.what);
        return;
      }
      case 'checkDerivative': {
        const what = this.functions.get(s.name.text);
        if (!what) {
          this.report(
            diagnostic('BPNB134', s.name.span, {
              name: s.name.text,
              known: [...this.functions.keys()].join(', '),
              hint: 'define it first: activation NAME(z) = … or loss NAME(a, t) = …',
            }),
          );
          return;
        }
        return;
      }
    }
  }
}
