/**
 * Runs the computation-graph statements (language/exprStatements.ts) against
 * the session's expressions and user-defined functions, and writes their
 * results: graphs, derivations, expectations, gradient checks, formulas,
 * plots and derivative checks.
 */
import {
  checkDerivative,
  chainTerms,
  compileTape,
  crossesKink,
  evaluateGraph,
  GRAPH_GRADCHECK,
  exprToLatex,
  exprToText,
  latexName,
  simplify,
  userActivation,
  userDerivative,
  substitute,
  OP_RULES,
  SWITCHES,
  type ChainTerm,
  type DerivativeCheckResult,
  type ExprTree,
  type GraphGradients,
  type GraphNode,
  type UserFunction,
  type Untested,
  untested,
} from '../engine';
import type { ExpressionStatement, ExprRef, Name } from '../language/ast';
import {
  checkExpression,
  EXPRESSION_CONSTANTS,
  parseExpression,
  type Expr,
} from '../language/expr';
import { builtinNamed, DEFAULT_RELATIVE_TOLERANCE } from '../language/vocabulary';
import type { DerivationStep, ResultItem } from '../protocol/results';
import { encodeNumber } from '../protocol/results';
import { exactNumber, formatNumber, localSymbol, plain, withNumbers } from '../protocol/text';
import { StatementError } from './errors';
import { expectResult } from './expect';
import { gradcheckStatus, gradcheckVerdict, untestedNotes, untestedWords } from './inspect';
import { ExpressionScope } from './expressions';
import { graphItem, plotItem, plotRange, tapeSeries, OP_LABELS } from './expressionItems';

/** A function the user defined: `activation NAME(z) = …` or `loss NAME(a, t) = …`. */
export interface UserDefinition {
  what: 'activation' | 'loss';
  fn: UserFunction;
  /** as written */
  text: string;
}

export interface ExprCtx {
  items: ResultItem[];
  expectations: { total: number; failed: number };
  /** the cell text the statement's spans point into */
  text: string;
}

/** The default tolerance of `expect NAME = v` (relative, as for network quantities). */
export const EXPRESSION_TOLERANCE = DEFAULT_RELATIVE_TOLERANCE;
/** Where g and g′ are plotted. */
export const PLOT_RANGE = { from: -5, to: 5, points: 201 } as const;
/** The point a definition's formulas are shown at, with the numbers put in (a loss at a, t). */
export const FORMULA_POINT = { activation: [1], loss: [0.8, 1] } as const;

/** Most paths, and edges over all of them, that `explain` writes out one by one. */
export const EXPLAIN_PATHS = { paths: 8, edges: 48 } as const;

/** An edge of a graph: `consumer` reads a node as its operand number `input` (from 0). */
type Edge = Pick<ChainTerm, 'consumer' | 'input'>;

const fmt = (v: number): string => formatNumber(encodeNumber(v));
/** Full precision, for the numbers a learner checks by hand. */
const exact = (v: number): string => exactNumber(encodeNumber(v));

export class ExpressionWorkspace {
  readonly scope = new ExpressionScope();
  readonly functions = new Map<string, UserDefinition>();
  /** the result of the last `check` (the PyTorch export repeats it) */
  lastCheck?: DerivativeCheckResult;

  /** Names known so far: values and expressions, and user-defined functions. */
  names(): { values: string[]; functions: { name: string; what: 'activation' | 'loss' }[] } {
    return {
      values: this.scope.names(),
      functions: [...this.functions].map(([name, d]) => ({ name, what: d.what })),
    };
  }

  /**
   * For the editor's hover: a name's value, its gradient from the newest backward pass that reached
   * its node, or a user function's formula and derivative, as the last run left them.
   */
  describe(
    name: string,
  ):
    | { kind: 'value'; value: number; gradient?: { of: string; value: number } }
    | { kind: 'function'; what: 'activation' | 'loss'; formula: string; derivative: string }
    | undefined {
    const d = this.functions.get(name);
    if (d) {
      const [p0, p1] = d.fn.params;
      const head = d.what === 'activation' ? `${name}(${p0})` : `${name}(${p0}, ${p1})`;
      const dHead = d.what === 'activation' ? `${name}'(${p0})` : `∂${name}/∂${p0}`;
      return {
        kind: 'function',
        what: d.what,
        formula: `${head} = ${exprToText(simplify(d.fn.body))}`,
        derivative: `${dHead} = ${exprToText(userDerivative(d.fn))}`,
      };
    }
    const node = this.scope.get(name);
    if (!node) return undefined;
    const g = this.scope.passReaching(node);
    const at = g?.index.get(node.id);
    return g && at !== undefined && g.root.name
      ? { kind: 'value', value: node.value, gradient: { of: g.root.name, value: g.grad[at] } }
      : { kind: 'value', value: node.value };
  }

  /** The activation record of a user-defined activation, for a network line. */
  activation(name: string): UserFunction | undefined {
    const d = this.functions.get(name);
    return d?.what === 'activation' ? d.fn : undefined;
  }

  /** The definition of a user-defined loss, for a loss line. */
  loss(name: string): UserFunction | undefined {
    const d = this.functions.get(name);
    return d?.what === 'loss' ? d.fn : undefined;
  }

  run(s: ExpressionStatement, ctx: ExprCtx): void {
    switch (s.kind) {
      case 'let':
        return this.assign(s.name, s.expr, ctx);
      case 'backwardOf': {
        const root = this.node(s.name);
        const g = this.scope.backward(s.name.text) as GraphGradients;
        this.pushGraph(root, s.name.text, g, ctx);
        return this.warnIssues(ctx);
      }
      case 'showExpr':
        for (const n of s.names) {
          const d = this.functions.get(n.text);
          if (d) this.showFunction(n.text, d, ctx);
          else this.pushGraph(this.node(n), n.text, this.scope.lastBackward(n.text), ctx);
        }
        return;
      case 'explainExpr':
        return this.explain(s.ref, ctx);
      case 'expectExpr': {
        const item = expectResult(
          s.ref.text,
          s.comparison,
          s.expected,
          s.tolerance,
          this.valueOf(s.ref),
        );
        ctx.expectations.total++;
        if (!item.pass) ctx.expectations.failed++;
        ctx.items.push(item);
        return;
      }
      case 'gradcheckExpr':
        return this.gradcheck(s.name, ctx);
      case 'define':
        return this.define(s, ctx);
      case 'checkDerivative':
        return this.checkDerivative(s, ctx);
    }
  }

  /**
   * What each graph item shows, so that `show f` after `backward f` in one cell adds no second
   * copy.
   */
  private readonly drawn = new WeakMap<ResultItem, { root: GraphNode; g?: GraphGradients }>();

  private pushGraph(root: GraphNode, name: string, g: GraphGradients | undefined, ctx: ExprCtx) {
    const same = ctx.items.some((i) => {
      const d = this.drawn.get(i);
      return d !== undefined && d.root === root && d.g === g;
    });
    if (same) return;
    const item = graphItem(root, name, g);
    this.drawn.set(item, { root, g });
    ctx.items.push(item);
  }

  private node(n: Name): GraphNode {
    const node = this.scope.get(n.text);
    if (!node) throw new StatementError('BPNB134', unknownName(n.text, this.scope.names()), n.span);
    return node;
  }

  private assign(n: Name, expr: Expr, ctx: ExprCtx): void {
    if (this.functions.has(n.text))
      throw new StatementError(
        'BPNB136',
        `'${n.text}' is a ${this.functions.get(n.text)?.what} defined earlier; choose another name`,
        n.span,
      );
    const problems = checkExpression(expr, (name) => this.scope.has(name));
    if (problems.length) {
      const p = problems[0];
      throw new StatementError(
        p.code,
        p.code === 'BPNB134'
          ? unknownName(String(p.args.name), this.scope.names())
          : describeProblem(p.code, p.args),
        p.span,
      );
    }
    const r = this.scope.assign(n.text, expr, ctx.text);
    if (!r.ok)
      throw new StatementError('BPNB134', unknownName(r.unknown[0], this.scope.names()), n.span);
    const source = ctx.text.slice(expr.span.start, expr.span.end).trim();
    // `x = 3` says its number once; `f = q * z` says what it computed
    const literal =
      expr.kind === 'number' || (expr.kind === 'negate' && expr.operand.kind === 'number');
    const shown = literal ? '' : `${source} = `;
    ctx.items.push({
      kind: 'message',
      level: 'info',
      text: withNumbers([`${n.text} = ${shown}`, r.node.value]),
    });
    if (!Number.isFinite(r.node.value))
      ctx.items.push({
        kind: 'message',
        level: 'warning',
        text: plain(
          `${n.text} is ${fmt(r.node.value)}: ` +
            `${firstForwardIssue(r.node) ?? 'an input was not finite'}`,
        ),
      });
  }

  private warnIssues(ctx: ExprCtx): void {
    const item = ctx.items[ctx.items.length - 1];
    if (item?.kind !== 'graph') return;
    for (const n of item.nodes)
      if (n.issue)
        ctx.items.push({
          kind: 'message',
          level: 'warning',
          text: plain(`${n.source ?? n.label}: ${n.issue}`),
        });
  }

  /** f, or ∂f/∂v from the last backward pass from f (run now if there is none). */
  /** The value of NAME, or ∂NAME/∂V from the last backward pass from NAME (run now if none). */
  valueOf(ref: ExprRef): number {
    const root = this.node(ref.of);
    if (!ref.wrt) return root.value;
    const v = this.node(ref.wrt);
    const g =
      this.scope.lastBackward(ref.of.text) ?? (this.scope.backward(ref.of.text) as GraphGradients);
    const at = g.index.get(v.id);
    return at === undefined ? 0 : g.grad[at];
  }

  private explain(ref: ExprRef, ctx: ExprCtx): void {
    const root = this.node(ref.of);
    const v = this.node(ref.wrt as Name);
    const g =
      this.scope.lastBackward(ref.of.text) ?? (this.scope.backward(ref.of.text) as GraphGradients);
    const f = ref.of.text;
    const vName = ref.wrt?.text as string;
    const value = this.valueOf(ref);
    const steps: DerivationStep[] = [];
    if (v.id === root.id) {
      steps.push({
        symbolic: `∂${f}/∂${f} = 1`,
        substituted: '1',
        latex: `\\frac{\\partial ${latexName(f)}}{\\partial ${latexName(f)}} = 1`,
        value: 1,
      });
    } else {
      const terms = chainTerms(g, v);
      if (terms.length === 0)
        steps.push({
          symbolic: `${f} does not depend on ${vName}`,
          substituted: '0',
          latex: `\\frac{\\partial ${latexName(f)}}{\\partial ${latexName(vName)}} = 0`,
          value: 0,
        });
      else {
        const label = (n: GraphNode) => n.name ?? parenthesized(n.source ?? OP_LABELS[n.op]);
        const latexLabel = (n: GraphNode) => (n.name ? latexName(n.name) : sourceLatex(n));
        const frac = (a: string, b: string) => `\\frac{\\partial ${a}}{\\partial ${b}}`;
        // ∂ₖn: node n's own (local) derivative by its k-th operand, one edge of the graph
        const local = (e: Edge) => localSymbol(label(e.consumer), e.input);
        const localLatex = (e: Edge) => `\\partial_{${e.input + 1}} ${latexLabel(e.consumer)}`;
        // one term per edge out of v: its local derivative times the gradient arriving from f
        // (∂f/∂f = 1 is left out where the edge goes into f itself)
        const last = (t: ChainTerm) => t.consumer.id === root.id;
        const sym = terms.map((t) =>
          last(t) ? local(t) : `${local(t)} · ∂${f}/∂${label(t.consumer)}`,
        );
        const sub = terms.map((t) =>
          last(t) ? fmt(t.local) : `${fmt(t.local)} · ${fmt(t.upstream)}`,
        );
        const latexTerms = terms.map((t) =>
          last(t)
            ? localLatex(t)
            : `${localLatex(t)} \\cdot ${frac(latexName(f), latexLabel(t.consumer))}`,
        );
        const latexSub = terms.map((t) =>
          last(t) ? latexNum(t.local) : `${latexNum(t.local)} \\cdot ${latexNum(t.upstream)}`,
        );
        steps.push({
          symbolic: `∂${f}/∂${vName} = ${sym.join(' + ')}`,
          substituted: sub.join(' + '),
          latex:
            `${frac(latexName(f), latexName(vName))} = ${latexTerms.join(' + ')} = ` +
            `${latexSub.join(' + ')} = ${latexNum(value)}`,
          value: encodeNumber(value),
        });
        // unless every edge goes into f itself (then the line above is it already): the sum over
        // every path from f to v of the product of the local derivatives along it
        const found = pathsToRoot(g, v);
        const paths = found && !terms.every(last) ? found : [];
        const edges: Edge[] = [...terms, ...paths.flat()];
        if (paths.length) {
          const product = (p: Edge[], one: (e: Edge) => string, times: string) =>
            p.map(one).join(times);
          steps.push({
            symbolic: `∂${f}/∂${vName} = ${paths.map((p) => product(p, local, ' · ')).join(' + ')}`,
            substituted: paths
              .map((p) => product(p, (e) => fmt(e.consumer.local[e.input]), ' · '))
              .join(' + '),
            latex:
              `${frac(latexName(f), latexName(vName))} = ` +
              `${paths.map((p) => product(p, localLatex, ' \\cdot ')).join(' + ')} = ` +
              `${paths
                .map((p) => product(p, (e) => latexNum(e.consumer.local[e.input]), ' \\cdot '))
                .join(' + ')} = ${latexNum(value)}`,
            value: encodeNumber(value),
          });
        }
        // where each local derivative comes from (from f down)
        const byKey = new Map(edges.map((e) => [`${e.consumer.id}:${e.input}`, e]));
        const shown = [...byKey.values()].sort(
          (p, q) => q.consumer.id - p.consumer.id || p.input - q.input,
        );
        for (const e of shown) {
          const formula = localFormula(
            e.consumer,
            e.input,
            (n) => n.name ?? n.source ?? fmt(n.value),
          );
          const formulaLatex = localFormula(e.consumer, e.input, (n) =>
            n.name ? latexName(n.name) : n.source ? sourceLatex(n) : latexNum(n.value),
          );
          const at = e.consumer.local[e.input];
          const withNumbers = localFormula(e.consumer, e.input, (n) => fmt(n.value));
          // nothing to derive: a constant (1 for +), or a formula of constants alone (3 for x·3)
          if (formula === withNumbers) continue;
          const numbersLatex =
            withNumbers === fmt(at) ? '' : ` = ${withNumbers.replace(/·/g, '\\cdot ')}`;
          steps.push({
            symbolic: `${local(e)} = ${formula}`,
            substituted: withNumbers,
            latex:
              `${localLatex(e)} = ${formulaLatex.replace(/·/g, '\\cdot ')}` +
              `${numbersLatex} = ${latexNum(at)}`,
            value: encodeNumber(at),
          });
        }
      }
    }
    ctx.items.push({ kind: 'derivation', quantity: ref.text, steps, value: encodeNumber(value) });
  }

  private gradcheck(n: Name, ctx: ExprCtx): void {
    const root = this.node(n);
    if (!Number.isFinite(root.value)) {
      // a difference of non-finite values tests nothing: say so, and blame no gradient
      ctx.items.push({
        kind: 'message',
        level: 'error',
        text: plain(
          `gradcheck ${n.text}: ${n.text} = ${fmt(root.value)} here, not a finite number, so ` +
            `central differences cannot check its gradient (nothing was compared)`,
        ),
      });
      ctx.expectations.total++;
      ctx.expectations.failed++;
      return;
    }
    const g = this.scope.backward(n.text) as GraphGradients;
    const rows: (string | ReturnType<typeof encodeNumber>)[][] = [];
    const whys: (Untested | undefined)[] = [];
    let worst = 0,
      kinks = 0,
      failed = 0;
    g.nodes.forEach((leaf, i) => {
      if (leaf.op !== 'input') return;
      const h = GRAPH_GRADCHECK.step * Math.max(1, Math.abs(leaf.value));
      const up = evaluateGraph(g.nodes, new Map([[leaf.id, leaf.value + h]]));
      const down = evaluateGraph(g.nodes, new Map([[leaf.id, leaf.value - h]]));
      const fUp = up[up.length - 1],
        fDown = down[down.length - 1];
      const numeric = (fUp - fDown) / (2 * h);
      const analytic = g.grad[i];
      const why = untested(leaf.value, h, fUp, fDown, analytic, GRAPH_GRADCHECK.atol);
      whys.push(why);
      const scale = Math.max(Math.abs(analytic), Math.abs(numeric));
      const diff = Math.abs(analytic - numeric),
        allowed = GRAPH_GRADCHECK.atol + GRAPH_GRADCHECK.rtol * scale;
      const pass = diff <= allowed;
      // a switch (relu(0), a tie of max, …) between v − h and v + h: not differentiable there
      const kink = !why && crossesKink(g.nodes, up, down);
      if (kink) kinks++;
      else if (!why && !pass) failed++;
      if (!why && !kink) worst = Math.max(worst, scale === 0 ? 0 : diff / scale);
      rows.push([
        leaf.name ?? '?',
        encodeNumber(analytic),
        encodeNumber(numeric),
        encodeNumber(diff),
        encodeNumber(allowed),
        gradcheckStatus(why && untestedWords(why, n.text, 'v', 'h').label, kink, pass),
      ]);
    });
    const notes = untestedNotes(whys, n.text, 'v', 'h');
    const kinkNote = kinks
      ? `; "kink": one of ${[...SWITCHES].join(', ')} changes side within ±h, where ${n.text} ` +
        `is not differentiable, so the difference tests nothing`
      : '';
    const note = (kinkNote + notes.note).slice(2);
    ctx.items.push({
      kind: 'table',
      title:
        `gradcheck ${n.text} = ${fmt(root.value)}: backward against central differences (h ` +
        `= ${fmt(GRAPH_GRADCHECK.step)}·max(1, |v|))`,
      columns: [
        'leaf',
        `∂${n.text}/∂leaf (backward)`,
        'finite difference',
        '|difference|',
        'allowed |difference|',
        '',
      ],
      rows,
      ...(note ? { note: plain(note) } : {}),
    });
    const unchecked = whys.filter(Boolean).length;
    const pass = rows.length > kinks && failed === 0 && unchecked === 0;
    ctx.items.push(
      gradcheckVerdict(`gradcheck ${n.text}`, 'leaves', 'h', pass, {
        rows: rows.length,
        kinks,
        untested: unchecked,
        failed,
        summary: notes.summary,
        maxRelError: worst,
      }),
    );
    ctx.expectations.total++;
    if (!pass) ctx.expectations.failed++;
  }

  private define(s: Extract<ExpressionStatement, { kind: 'define' }>, ctx: ExprCtx): void {
    const params = s.params.map((p) => p.text);
    const problems = checkExpression(s.body, (name) => params.includes(name));
    if (problems.length) {
      const p = problems[0];
      throw new StatementError(
        p.code,
        p.code === 'BPNB134'
          ? `'${String(p.args.name)}' is not a parameter of ${s.name.text}(${params.join(', ')}` +
              `); a definition reads only its parameters and constants`
          : describeProblem(p.code, p.args),
        p.span,
      );
    }
    const taken = this.scope.has(s.name.text)
      ? 'a value defined earlier'
      : builtinNamed(s.name.text);
    if (taken)
      throw new StatementError(
        'BPNB136',
        `'${s.name.text}' is ${taken}; choose another name`,
        s.name.span,
      );
    const used = new Set(collectNames(s.body));
    if (s.what === 'loss' && !used.has(params[0]))
      throw new StatementError(
        'BPNB135',
        `loss ${s.name.text} never uses ${params[0]} (the output): its gradient would be 0 ` +
          `everywhere`,
        s.params[0].span,
      );
    const fn: UserFunction = { params, body: s.body };
    this.functions.set(s.name.text, {
      what: s.what,
      fn,
      text: ctx.text.slice(s.span.start, s.span.end),
    });
    // builds (and checks) the record now
    if (s.what === 'activation') userActivation(s.name.text, fn);
    this.showFunction(s.name.text, this.functions.get(s.name.text) as UserDefinition, ctx);
  }

  /** The formula of a user function, its derivative (symbolic, simplified), and a plot of both. */
  private showFunction(name: string, d: UserDefinition, ctx: ExprCtx): void {
    const [p0, p1] = d.fn.params;
    const body = simplify(d.fn.body);
    const derivative = userDerivative(d.fn);
    const head = d.what === 'activation' ? `${name}(${p0})` : `${name}(${p0}, ${p1})`;
    const dHead = d.what === 'activation' ? `${name}'(${p0})` : `∂${name}/∂${p0}`;
    const latexHead =
      d.what === 'activation'
        ? `\\operatorname{${name}}(${latexName(p0)})`
        : `\\operatorname{${name}}(${latexName(p0)}, ${latexName(p1)})`;
    const latexDHead =
      d.what === 'activation'
        ? `\\operatorname{${name}}'(${latexName(p0)})`
        : `\\frac{\\partial \\operatorname{${name}}}{\\partial ${latexName(p0)}}`;
    // the formulas, with the numbers put in at one point (z = 1; a loss at a = 0.8, t = 1)
    const tape = this.tape(d.fn);
    const point = FORMULA_POINT[d.what];
    const grad = new Float64Array(d.fn.params.length);
    const value = tape.gradient(point, grad);
    const values = Object.fromEntries(d.fn.params.map((p, i) => [p, exact(point[i])]));
    const pointText = d.fn.params.map((p, i) => `${p} = ${exact(point[i])}`).join(', ');
    ctx.items.push({
      kind: 'derivation',
      quantity: `${dHead} at ${pointText}`,
      value: encodeNumber(grad[0]),
      steps: [
        {
          symbolic: `${head} = ${exprToText(body)}`,
          substituted: exprToText(substitute(body, values)),
          latex: `${latexHead} = ${exprToLatex(body)}`,
          value: encodeNumber(value),
        },
        {
          symbolic: `${dHead} = ${exprToText(derivative)}`,
          substituted: exprToText(substitute(derivative, values)),
          latex: `${latexDHead} = ${exprToLatex(derivative)}`,
          value: encodeNumber(grad[0]),
        },
      ],
    });
    const xs = plotRange(PLOT_RANGE.from, PLOT_RANGE.to, PLOT_RANGE.points);
    const others = d.what === 'loss' ? [1] : [];
    const args = (x: number) => [x, ...others];
    const at = d.what === 'loss' ? `, ${p1} = 1` : '';
    ctx.items.push(
      plotItem(`${head} and ${dHead}${at}`, p0, [
        tapeSeries(head, tape, xs, args),
        tapeSeries(dHead, tape, xs, args, 0, true),
      ]),
    );
  }

  private tape(fn: UserFunction) {
    const r = compileTape(fn.body, fn.params);
    if (!r.ok) throw new StatementError('BPNB134', `unknown names ${r.unknown.join(', ')}`);
    return r.tape;
  }

  private checkDerivative(
    s: Extract<ExpressionStatement, { kind: 'checkDerivative' }>,
    ctx: ExprCtx,
  ): void {
    const d = this.functions.get(s.name.text);
    if (!d)
      throw new StatementError(
        'BPNB134',
        `no activation or loss named '${s.name.text}'` +
          `${
            this.functions.size
              ? `; defined: ${[...this.functions.keys()].join(', ')}`
              : '; define one first, e.g. activation myswish(z) = z * sigmoid(z)'
          }`,
        s.name.span,
      );
    const param = d.fn.params.indexOf(s.param.text);
    if (param !== 0)
      throw new StatementError(
        'BPNB122',
        d.what === 'activation'
          ? `${s.name.text} is a function of ${d.fn.params[0]}: write ${s.name.text}'(` +
              `${d.fn.params[0]}) = …`
          : `check the loss's derivative in the output: ∂${s.name.text}/∂${d.fn.params[0]} = …`,
        s.param.span,
      );
    const problems = checkExpression(s.claimed, (n) => d.fn.params.includes(n));
    if (problems.length)
      throw new StatementError(
        problems[0].code,
        describeProblem(problems[0].code, problems[0].args),
        problems[0].span,
      );
    const claimedTape = this.tape({ params: d.fn.params, body: s.claimed });
    const tape = this.tape(d.fn);
    const r = checkDerivative(tape, claimedTape, 0);
    this.lastCheck = r;
    const p0 = d.fn.params[0];
    const dHead = d.what === 'activation' ? `${s.name.text}'(${p0})` : `∂${s.name.text}/∂${p0}`;
    const where = (at: number[]) =>
      d.what === 'activation'
        ? `${p0} = ${exact(at[0])}`
        : `${p0} = ${exact(at[0])}, ${d.fn.params[1]} = ${exact(at[1])}`;
    ctx.expectations.total++;
    if (!r.agree) ctx.expectations.failed++;
    const kinkNote = r.kinks.filter(
      (k) => k.accepted && !Object.is(k.claimed, k.exact) && Math.abs(k.claimed - k.exact) > 1e-12,
    );
    const range =
      `${r.compared} points (−10 … 10 every 0.005, 0, ±1e-12, ±1e-6, ±1, ±50, ±100, ` +
      `±1000, ±1e6` +
      `${
        r.kinks.length
          ? `, kinks at ${[...new Set(r.kinks.map((k) => exact(k.at[0])))].join(', ')}`
          : ''
      }${d.what === 'loss' ? `; ${d.fn.params[1]} = 0, 0.5, 1` : ''})`;
    const text = r.agree
      ? `✓ your ${dHead} = ${ctx.text.slice(s.claimed.span.start, s.claimed.span.end).trim()} ` +
        `agrees with the exact derivative at all ${range}` +
        `${r.skipped ? `; ${r.skipped} points outside the domain left out` : ''}` +
        `${
          kinkNote.length
            ? `. At the kink ${where(kinkNote[0].at)} yours gives ` +
              `${exact(kinkNote[0].claimed)}, the one-sided limits are ` +
              `${exact(kinkNote[0].left)} ` +
              `and ${exact(kinkNote[0].right)} (autograd takes ${exact(kinkNote[0].exact)}): any ` +
              `of them is a valid choice there`
            : ''
        }`
      : `✗ your ${dHead} first disagrees at ${where(r.first?.at ?? [NaN])}: yours ` +
        `${exact(r.first?.claimed ?? NaN)}, exact ${exact(r.first?.exact ?? NaN)} (difference ` +
        `${exact(r.first?.difference ?? NaN)})` +
        `${
          r.worst && r.worst !== r.first
            ? `; the largest difference is at ${where(r.worst.at)}` +
              `: yours ${exact(r.worst.claimed)}, exact ` +
              `${exact(r.worst.exact)}`
            : ''
        }. Checked ${range}.`;
    ctx.items.push({ kind: 'message', level: r.agree ? 'info' : 'error', text: plain(text) });
    const xs = plotRange(PLOT_RANGE.from, PLOT_RANGE.to, PLOT_RANGE.points);
    const args = (x: number) => (d.what === 'loss' ? [x, r.first?.at[1] ?? 1] : [x]);
    const first =
      r.first && r.first.at[0] >= PLOT_RANGE.from && r.first.at[0] <= PLOT_RANGE.to
        ? r.first
        : undefined;
    ctx.items.push(
      plotItem(
        `${dHead}: exact and yours` +
          `${d.what === 'loss' ? ` (${d.fn.params[1]} = ${exact(args(0)[1])})` : ''}`,
        p0,
        [
          tapeSeries(`exact ${dHead}`, tape, xs, args, 0),
          tapeSeries(
            `yours: ${exprToText(simplify(s.claimed))}`,
            claimedTape,
            xs,
            args,
            undefined,
            true,
          ),
        ],
        first ? [{ x: first.at[0], label: `first disagreement at ${where(first.at)}` }] : undefined,
      ),
    );
  }
}

/** Whether `actual` satisfies `comparison expected` (within tol for =). */
function unknownName(name: string, known: string[]): string {
  return (
    `unknown name '${name}'` +
    `${
      known.length ? `; defined so far: ${known.join(', ')}` : '; give it a value first, e.g. x = 2'
    }`
  );
}

function describeProblem(code: string, args: Readonly<Record<string, string | number>>): string {
  if (code === 'BPNB132') return `unknown function '${args.name}'; known: ${args.known}`;
  if (code === 'BPNB133')
    return `${args.name} takes ${args.want} argument${args.want === 1 ? '' : 's'}, got ${args.got}`;
  return `${code}`;
}

function collectNames(tree: ExprTree): string[] {
  if (tree.kind === 'name') return tree.name in EXPRESSION_CONSTANTS ? [] : [tree.name];
  if (tree.kind === 'number') return [];
  if (tree.kind === 'negate') return collectNames(tree.operand);
  if (tree.kind === 'binary') return [...collectNames(tree.left), ...collectNames(tree.right)];
  return tree.args.flatMap(collectNames);
}

function firstForwardIssue(node: GraphNode): string | undefined {
  const stack = [node];
  const seen = new Set<number>();
  while (stack.length) {
    const n = stack.pop() as GraphNode;
    if (seen.has(n.id)) continue;
    seen.add(n.id);
    if (!Number.isFinite(n.value) && n.inputs.every((i) => Number.isFinite(i.value)))
      return `${fmt(n.value)} first arose at ${n.source ?? OP_LABELS[n.op]}`;
    for (const input of n.inputs) stack.push(input);
  }
  return undefined;
}

function latexNum(v: number): string {
  const t = fmt(v);
  if (t === 'NaN') return '\\text{NaN}';
  if (t === 'Infinity' || t === '-Infinity') return t[0] === '-' ? '-\\infty' : '\\infty';
  const m = /^(-?[\d.]+)e([+-]?\d+)$/.exec(t);
  const body = m ? `${m[1]}\\times10^{${Number(m[2])}}` : t;
  // braced: MathML draws the sign as a prefix, not spaced as a binary minus
  return t.startsWith('-') ? `({${body}})` : body;
}

/** ∂consumer/∂(its input k), as a formula in the consumer's operands, each written by `name`. */
function localFormula(c: GraphNode, k: number, name: (n: GraphNode) => string): string {
  const f = OP_RULES[c.op].formula[k] ?? '0';
  if (typeof f === 'string') return f;
  return f(c.inputs[0] ? name(c.inputs[0]) : '', c.inputs[1] ? name(c.inputs[1]) : '');
}

/**
 * Every path from v up to the root of g, each as its edges from the root down; undefined when
 * there are more than EXPLAIN_PATHS allows (the search stops there).
 */
function pathsToRoot(g: GraphGradients, v: GraphNode): Edge[][] | undefined {
  const out = new Map<number, Edge[]>();
  for (const consumer of g.nodes)
    consumer.inputs.forEach((n, input) => {
      if (!out.has(n.id)) out.set(n.id, []);
      out.get(n.id)?.push({ consumer, input });
    });
  const up = (n: GraphNode): Edge[][] | undefined => {
    if (n.id === g.root.id) return [[]];
    const paths: Edge[][] = [];
    for (const e of out.get(n.id) ?? []) {
      const above = up(e.consumer);
      if (!above) return undefined;
      for (const p of above) paths.push([...p, e]);
      if (paths.length > EXPLAIN_PATHS.paths) return undefined;
    }
    return paths;
  };
  const paths = up(v);
  return paths && paths.flat().length <= EXPLAIN_PATHS.edges ? paths : undefined;
}

/**
 * An unnamed node's expression typeset (its source parsed again), in parentheses unless it is a
 * call or a number.
 */
function sourceLatex(n: GraphNode): string {
  const e = n.source === undefined ? undefined : parseExpression(n.source).expr;
  if (!e) return `\\text{${OP_LABELS[n.op]}}`;
  // in braces: a long formula does not break at the `+` inside (KaTeX breaks a line only between
  // the formula's outermost atoms)
  return e.kind === 'binary' || e.kind === 'negate' ? `({${exprToLatex(e)}})` : exprToLatex(e);
}

/** `text` in parentheses, unless one pair already encloses all of it. */
function parenthesized(text: string): string {
  if (/^[\w.]+$/.test(text)) return text;
  if (text.startsWith('(') && text.endsWith(')')) {
    let depth = 0;
    for (let i = 0; i < text.length; i++) {
      depth += text[i] === '(' ? 1 : text[i] === ')' ? -1 : 0;
      if (depth === 0 && i < text.length - 1) return `(${text})`;
    }
    return text;
  }
  return `(${text})`;
}
