/**
 * A recursive-descent parser over the scanner's tokens. It never throws: it
 * always returns the statements it could read and diagnostics for the rest,
 * recovering line by line (a bad line becomes an `error` statement and the
 * next line parses normally). Nothing here evaluates user text.
 */
import type {
  ActivationSpec,
  Comparison,
  DataRow,
  DatasetSource,
  FreezeTarget,
  LayerSpec,
  Name,
  Program,
  Quantity,
  ShowTarget,
  Span,
  Statement,
  TrainStatement,
} from './ast';
import { STATEMENT_KEYWORDS, type StatementKeyword } from './ast';
import {
  diagnostic,
  INTERNAL_CODE,
  type Diagnostic,
  type DiagnosticArgs,
  type DiagnosticCode,
} from './diagnostics';
import { expressionLine, isExpressionName } from './exprStatements';
import { EXPLAINABLE, parseQuantity } from './quantity';
import { scan, type Token } from './scanner';
import {
  ACTIVATION_ALIASES,
  ACTIVATIONS,
  activationParameter,
  closest,
  DATASET_ALIASES,
  DATASETS,
  DEFAULT_ACTIVATION,
  FIXED_DATASETS,
  INIT_DEFAULTS,
  INIT_METHODS,
  LAYERED_GROUPS,
  LOSSES,
  LOSSES_OF_NODE,
  LOSS_ALIASES,
  lookup,
  MISTAKES,
  OPTIMISERS,
  REDUCTIONS,
  SEED_MAX,
  SHOW_GROUPS,
  TRAIN_OPTIONS,
  type ShowGroup,
} from './vocabulary';

export interface ParseResult {
  program: Program;
  statements: Statement[];
  diagnostics: Diagnostic[];
}

/** Parse one cell. Total: never throws, always terminates, every span lies inside the text. */
/**
 * Longest cell text that is parsed (8 million characters, a few seconds of parsing). A longer cell
 * (a 1,000,000-row inline table is 44 million) gets one BPNB005 error before any scanning, so a
 * huge paste never costs minutes and gigabytes.
 */
export const MAX_CELL_CHARS = 8_000_000;

export function parse(text: string): ParseResult {
  if (text.length > MAX_CELL_CHARS) {
    const span = { start: 0, end: 0 };
    const size = text.length.toLocaleString('en');
    const max = MAX_CELL_CHARS.toLocaleString('en');
    return {
      program: { statements: [], span: { start: 0, end: text.length } },
      statements: [],
      diagnostics: [diagnostic('BPNB005', span, { size, max })],
    };
  }
  const scanned = scan(text);
  const parser = new Parser(scanned.tokens, [...scanned.diagnostics], text);
  const statements = parser.parseCell();
  // the cell scanner's complaints about an expression line's characters (* ^ ' ∂) do not apply
  const inExpression = (d: Diagnostic) =>
    scanned.diagnostics.includes(d) &&
    parser.expressionLines.some((l) => d.span.start >= l.start && d.span.end <= l.end);
  return {
    program: { statements, span: { start: 0, end: text.length } },
    statements,
    diagnostics: parser.diagnostics.filter((d) => !inExpression(d)),
  };
}

/** Thrown inside the parser only, after a diagnostic is recorded; caught per statement. */
class Bail {}

const LIST_CONTINUATION = new Set(['[', ']', ',', ';', '->']);
/** Most levels of [ ] in any literal: a matrix. */
const MAX_NESTING = 2;

class Parser {
  private i = 0;
  /** lines read as expression statements (exprStatements.ts) */
  readonly expressionLines: Span[] = [];
  constructor(
    private readonly tokens: Token[],
    readonly diagnostics: Diagnostic[],
    private readonly text: string,
  ) {}

  parseCell(): Statement[] {
    const statements: Statement[] = [];
    while (this.peek().kind !== 'eof') {
      if (this.peek().kind === 'newline') {
        this.i++;
        continue;
      }
      const first = this.peek();
      const firstIndex = this.i;
      let statement: Statement;
      try {
        statement = this.statement();
        if (!this.atLineEnd()) {
          const extra = this.peek();
          this.report('BPNB103', this.span(extra), { found: describe(extra) });
          this.skipLine();
        }
      } catch (e) {
        if (!(e instanceof Bail))
          this.report(INTERNAL_CODE, this.span(first), {
            message: e instanceof Error ? e.message : String(e),
          });
        this.skipLine();
        this.skipOpenList(firstIndex);
        statement = { kind: 'error', span: this.spanFrom(first) };
      }
      statements.push(statement);
    }
    return statements;
  }

  // ---- tokens -------------------------------------------------------------

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.i + ahead, this.tokens.length - 1)];
  }
  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.i++;
    return t;
  }
  private atLineEnd(): boolean {
    const k = this.peek().kind;
    return k === 'newline' || k === 'eof';
  }
  private isPunct(text: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.kind === 'punct' && t.text === text;
  }
  private isWord(text: string): boolean {
    const t = this.peek();
    return t.kind === 'word' && t.text === text;
  }
  private skipLine(): void {
    while (!this.atLineEnd()) this.i++;
  }
  /** After a failed line with an unclosed '[', skip the lines that still belong to the literal. */
  private skipOpenList(firstIndex: number): void {
    let depth = 0;
    for (let j = firstIndex; j < this.i; j++) depth += bracketDelta(this.tokens[j]);
    while (depth > 0 && this.peek().kind === 'newline') {
      const t = this.peek(1);
      if (!(t.kind === 'number' || (t.kind === 'punct' && LIST_CONTINUATION.has(t.text)))) return;
      this.i++;
      while (!this.atLineEnd()) depth += bracketDelta(this.next());
    }
  }
  private span(t: Token): Span {
    return { start: t.start, end: t.end };
  }
  /** From a token to the last token consumed. */
  private spanFrom(first: Token): Span {
    const last = this.tokens[Math.max(this.i - 1, 0)];
    return { start: first.start, end: Math.max(first.end, last.end) };
  }
  private report(code: DiagnosticCode, span: Span, args: DiagnosticArgs = {}): void {
    this.diagnostics.push(diagnostic(code, span, args));
  }
  private fail(code: DiagnosticCode, span: Span, args: DiagnosticArgs = {}): never {
    this.report(code, span, args);
    throw new Bail();
  }
  private expected(expected: string, hint?: string): never {
    const t = this.peek();
    return this.fail(
      'BPNB102',
      this.span(t),
      hint ? { expected, found: describe(t), hint } : { expected, found: describe(t) },
    );
  }

  private punct(text: string, expected = `'${text}'`): Token {
    if (!this.isPunct(text)) this.expected(expected);
    return this.next();
  }
  private number(what: string): number {
    const t = this.peek();
    if (t.kind !== 'number') this.expected(`a number (${what})`);
    this.next();
    return t.value as number;
  }
  private integer(what: string, min: number, max = Infinity): number {
    const t = this.peek();
    const value = this.number(what);
    if (!Number.isInteger(value) || value < min || value > max) {
      const must = max === Infinity ? `≥ ${min}` : `from ${min} to ${max}`;
      this.fail('BPNB107', this.span(t), { what, must: `a whole number ${must}`, value: t.text });
    }
    return value;
  }
  /** a seed of the generator, which keeps 32 bits (a larger one would lose its high bits) */
  private seed(): number {
    return this.integer('seed', 0, SEED_MAX);
  }
  private positive(what: string): number {
    const t = this.peek();
    const value = this.number(what);
    if (!(value > 0))
      this.fail('BPNB107', this.span(t), { what, must: 'greater than 0', value: t.text });
    return value;
  }
  private nonNegative(what: string): number {
    const t = this.peek();
    const value = this.number(what);
    if (value < 0) this.fail('BPNB107', this.span(t), { what, must: '0 or more', value: t.text });
    return value;
  }
  /** `[k]`: a layer index. */
  private layerIndex(): number {
    this.punct('[', "'[' and a layer number, e.g. [2]");
    const layer = this.integer('layer', 1);
    this.punct(']');
    return layer;
  }
  /** A word from a list of names (with aliases), or a diagnostic listing the names. */
  private choice<T extends string>(
    names: readonly T[],
    what: string,
    aliases: Readonly<Record<string, T>> = {},
  ): T {
    const t = this.peek();
    if (t.kind !== 'word') this.expected(`${what} (${names.join(', ')})`);
    const found = lookup(t.text, names, aliases);
    if (found === undefined) {
      const suggestion = closest(t.text, [...names, ...Object.keys(aliases)]);
      this.fail('BPNB105', this.span(t), {
        what,
        found: t.text,
        known: names.join(', '),
        ...(suggestion ? { suggestion } : {}),
      });
    }
    this.next();
    return found;
  }
  private onOff(): boolean {
    return this.choice(['on', 'off'] as const, 'switch') === 'on';
  }
  /** A name: a word, or a bracket-free quantity-like word such as `x2`. */
  private optionalName(): Name | undefined {
    const t = this.peek();
    if (t.kind !== 'word' && !(t.kind === 'quantity' && /^[A-Za-z_]\w*$/.test(t.text)))
      return undefined;
    this.next();
    return { text: t.text, span: this.span(t) };
  }
  private quantity(what: string, hint?: string): Quantity {
    const t = this.peek();
    if (t.kind !== 'quantity') this.expected(what, hint);
    this.next();
    const parsed = parseQuantity(t.text, t.start);
    if (!parsed.quantity) {
      /* eslint-disable-next-line no-restricted-syntax -- bounded: the diagnostics of one quantity
       * token
       */
      this.diagnostics.push(...parsed.diagnostics);
      throw new Bail();
    }
    return parsed.quantity;
  }

  // ---- literals -----------------------------------------------------------

  /**
   * Inside brackets a line end continues the literal when the next line goes
   * on with numbers or brackets; otherwise the bracket was never closed.
   */
  private skipListNewlines(open: Token): void {
    while (this.peek().kind === 'newline') {
      let ahead = 1;
      while (this.peek(ahead).kind === 'newline') ahead++;
      const t = this.peek(ahead);
      if (t.kind === 'number' || (t.kind === 'punct' && LIST_CONTINUATION.has(t.text))) {
        this.i += ahead;
        return;
      }
      this.fail('BPNB104', this.span(open), { bracket: "']'" });
    }
  }
  private closeOrMissing(open: Token): void {
    if (this.atLineEnd()) this.fail('BPNB104', this.span(open), { bracket: "']'" });
  }

  /** `[v1, v2, …]` (commas optional). */
  private vector(what: string): number[] {
    const open = this.punct('[', `'[' starting the ${what}`);
    const values: number[] = [];
    for (;;) {
      this.skipListNewlines(open);
      if (this.isPunct(']')) {
        this.next();
        return values;
      }
      if (this.isPunct(',')) {
        this.next();
        continue;
      }
      if (this.isPunct('[')) this.tooDeep(what, 1);
      this.closeOrMissing(open);
      values.push(this.number(`a value of the ${what}`));
    }
  }

  /** `[[r1…], [r2…]]`, or `[r1… ; r2…]` with rows split by `;` or line ends. */
  private matrix(what: string): number[][] {
    const open = this.punct('[', `'[' starting the ${what}`);
    this.skipListNewlines(open);
    const rows: number[][] = [];
    if (this.isPunct('[')) {
      for (;;) {
        this.skipListNewlines(open);
        if (this.isPunct(']')) {
          this.next();
          return rows;
        }
        if (this.isPunct(',') || this.isPunct(';')) {
          this.next();
          continue;
        }
        if (!this.isPunct('[')) {
          this.closeOrMissing(open);
          this.expected(`'[' starting a row of the ${what}`);
        }
        if (this.isPunct('[', 1)) this.tooDeep(what, MAX_NESTING);
        rows.push(this.vector(what));
      }
    }
    let row: number[] = [];
    for (;;) {
      if (this.peek().kind === 'newline') {
        if (row.length) {
          rows.push(row);
          row = [];
        }
        this.skipListNewlines(open);
        continue;
      }
      if (this.isPunct(']')) {
        this.next();
        if (row.length) rows.push(row);
        return rows;
      }
      if (this.isPunct(';')) {
        this.next();
        rows.push(row);
        row = [];
        continue;
      }
      if (this.isPunct(',')) {
        this.next();
        continue;
      }
      if (this.isPunct('[')) this.tooDeep(what, MAX_NESTING);
      this.closeOrMissing(open);
      row.push(this.number(`a value of the ${what}`));
    }
  }

  /** `[x1 x2 -> t1; …]`: rows split by `;` or line ends, inputs and targets by `->`. */
  private table(): DataRow[] {
    const open = this.punct('[', "'[' starting the table, e.g. [0 0 -> 0; 0 1 -> 1]");
    const rows: DataRow[] = [];
    let inputs: number[] = [];
    let targets: number[] | undefined;
    let rowStart = this.peek();
    const endRow = (): void => {
      if (!inputs.length && !targets) return;
      const span = this.spanFrom(rowStart);
      if (!targets)
        this.fail('BPNB102', span, {
          expected: "'->' between inputs and targets",
          found: 'end of row',
        });
      rows.push({ inputs, targets, span });
      inputs = [];
      targets = undefined;
    };
    for (;;) {
      if (this.peek().kind === 'newline') {
        endRow();
        this.skipListNewlines(open);
        rowStart = this.peek();
        continue;
      }
      if (this.isPunct(']')) {
        endRow();
        this.next();
        break;
      }
      if (this.isPunct(';')) {
        endRow();
        this.next();
        rowStart = this.peek();
        continue;
      }
      if (this.isPunct(',')) {
        this.next();
        continue;
      }
      if (this.isPunct('->')) {
        if (targets) this.expected('a number or the end of the row');
        this.next();
        targets = [];
        continue;
      }
      if (this.isPunct('[')) this.tooDeep('table', 1);
      this.closeOrMissing(open);
      (targets ?? inputs).push(this.number('a value of the row'));
    }
    this.checkRagged(rows);
    return rows;
  }

  private checkRagged(rows: DataRow[]): void {
    if (!rows.length) return;
    rows.forEach((row, r) => {
      for (const part of ['inputs', 'targets'] as const) {
        if (row[part].length !== rows[0][part].length) {
          this.report('BPNB108', row.span, {
            row: r + 1,
            got: row[part].length,
            want: rows[0][part].length,
            what: part,
          });
        }
      }
    });
  }

  /** Report brackets nested deeper than a literal allows, then skip them without recursion. */
  private tooDeep(what: string, max: number): never {
    this.fail('BPNB004', this.span(this.peek()), { what: `the ${what}`, max });
  }

  // ---- statements ---------------------------------------------------------

  private statement(): Statement {
    const first = this.peek();
    const expression = this.expressionStatement(first);
    if (expression) return expression;
    if (first.kind === 'quantity') return this.assign(first);
    if (first.kind !== 'word') this.expected('a statement', 'e.g. network, forward, show, expect');
    const keyword = first.text;
    if (!(STATEMENT_KEYWORDS as readonly string[]).includes(keyword)) {
      const suggestion = closest(keyword, STATEMENT_KEYWORDS);
      this.fail(
        'BPNB101',
        this.span(first),
        suggestion ? { found: keyword, suggestion } : { found: keyword },
      );
    }
    this.next();
    const statement = this.keywordStatement(keyword as StatementKeyword);
    return { ...statement, span: this.spanFrom(first) } as Statement;
  }

  /** A computation-graph statement on this line (exprStatements.ts), read from the raw text. */
  private expressionStatement(first: Token): Statement | undefined {
    const newline = this.text.indexOf('\n', first.start);
    const end = newline < 0 ? this.text.length : newline;
    const line = expressionLine(this.text, first.start, end);
    if (!line) return undefined;
    this.expressionLines.push({ start: first.start, end });
    for (const d of line.diagnostics) this.diagnostics.push(d);
    this.skipLine();
    if (!line.statement) throw new Bail();
    return line.statement;
  }

  /** Each returns its statement; `span` is set by the caller. */
  private keywordStatement(keyword: StatementKeyword): Statement {
    const span = { start: 0, end: 0 };
    switch (keyword) {
      case 'network':
        return { kind: 'network', span, ...this.networkBody() };
      case 'use': {
        const name = this.optionalName();
        if (!name) this.expected("a network's name");
        return { kind: 'use', span, name };
      }
      case 'bias': {
        const on = this.onOff();
        return this.isPunct('[')
          ? { kind: 'bias', span, on, layer: this.layerIndex() }
          : { kind: 'bias', span, on };
      }
      case 'loss': {
        const first = this.peek();
        // a word that is no built-in may be a user-defined loss (validated against the session)
        const user =
          first.kind === 'word' &&
          lookup(first.text, LOSSES, LOSS_ALIASES) === undefined &&
          isExpressionName(first.text)
            ? this.optionalName()
            : undefined;
        const loss = user ? user.text : this.choice(LOSSES, 'loss', LOSS_ALIASES);
        // a loss of one output node names it: `loss output 2`
        const node =
          LOSSES_OF_NODE.includes(loss) && this.peek().kind === 'number'
            ? { node: this.integer('output node', 1) }
            : {};
        const head = user
          ? { kind: 'loss' as const, span, loss, userDefined: user }
          : { kind: 'loss' as const, span, loss, ...node };
        return this.atLineEnd()
          ? head
          : { ...head, reduction: this.choice(REDUCTIONS, 'reduction') };
      }
      case 'weights': {
        const from = this.peek();
        if (from.kind === 'word' && from.text === 'from') {
          this.next();
          const pathToken = this.peek();
          if (pathToken.kind !== 'string')
            this.expected('a quoted file path, e.g. weights from "model.safetensors"');
          this.next();
          const path = pathToken.value as string;
          if (!isWorkspaceRelative(path))
            this.fail('BPNB110', this.span(pathToken), { path: JSON.stringify(path) });
          return { kind: 'weightsFrom', span, path, pathSpan: this.span(pathToken) };
        }
        const layer = this.layerIndex();
        this.punct('=');
        return { kind: 'weights', span, layer, rows: this.matrix('weight matrix') };
      }
      case 'biases': {
        const layer = this.layerIndex();
        this.punct('=');
        return { kind: 'biases', span, layer, values: this.vector('bias vector') };
      }
      case 'init':
        return this.init();
      case 'freeze':
      case 'unfreeze':
        return { kind: 'freeze', span, frozen: keyword === 'freeze', target: this.freezeTarget() };
      case 'input':
      case 'target': {
        const name = this.optionalName();
        if (this.isPunct('=')) this.next();
        const values = this.vector(keyword === 'input' ? 'input vector' : 'target vector');
        return name ? { kind: keyword, span, name, values } : { kind: keyword, span, values };
      }
      case 'data': {
        const name = this.optionalName();
        this.punct('=');
        const rows = this.table();
        return name ? { kind: 'data', span, name, rows } : { kind: 'data', span, rows };
      }
      case 'dataset':
        return { kind: 'dataset', span, source: this.datasetSource() };
      case 'forward':
        return { kind: 'forward', span };
      case 'backward':
        return { kind: 'backward', span };
      case 'update':
      case 'step': {
        const learningRate = this.learningRateOption();
        return learningRate === undefined
          ? { kind: keyword, span }
          : { kind: keyword, span, learningRate };
      }
      case 'train':
        return this.train();
      case 'show':
        return { kind: 'show', span, targets: this.showTargets() };
      case 'explain': {
        const quantity = this.quantity(
          'a delta or gradient to explain',
          'e.g. explain dE/dw11[1] or explain δ1[2]',
        );
        if (!EXPLAINABLE.includes(quantity.kind)) {
          this.fail('BPNB122', quantity.span, {
            statement: 'explain',
            allowed: 'a delta (δ1[2]) or a gradient (dE/dw11[1], dE/db1[2], dE/da1[2], dE/dx1)',
            found: quantity.text,
          });
        }
        return { kind: 'explain', span, quantity };
      }
      case 'gradcheck': {
        const options: { eps?: number; tol?: number } = {};
        this.options({
          eps: () => {
            options.eps = this.positive('eps');
          },
          tol: () => {
            options.tol = this.positive('tol');
          },
        });
        return { kind: 'gradcheck', span, ...options };
      }
      case 'expect':
        return this.expect();
      case 'mistake': {
        const mistake = this.choice(MISTAKES, 'mistake');
        return { kind: 'mistake', span, mistake, on: this.onOff() };
      }
      default: {
        const unhandled: never = keyword; // a keyword without its case here does not compile
        return this.fail('BPNB101', this.span(this.peek()), { found: unhandled });
      }
    }
  }

  /** QUANTITY = NUMBER, for a single weight or bias. */
  private assign(first: Token): Statement {
    const target = this.quantity('a quantity');
    if (target.kind !== 'weight' && target.kind !== 'bias') {
      this.fail('BPNB122', target.span, {
        statement: 'assignment',
        allowed: 'a weight (w11[1]) or a bias (b1[2])',
        found: target.text,
      });
    }
    this.punct('=');
    return { kind: 'assign', target, value: this.number('the value'), span: this.spanFrom(first) };
  }

  /** `[NAME] SIZE -> SIZE ACT -> …` */
  private networkBody(): { name?: Name; layers: LayerSpec[] } {
    const name = this.optionalName();
    const layers: LayerSpec[] = [];
    const firstSize = this.peek();
    if (firstSize.kind !== 'number')
      this.expected('the size of the input layer', 'e.g. network 2 -> 3 sigmoid -> 1 sigmoid');
    layers.push({ size: this.integer('layer size', 1), span: this.span(firstSize) });
    while (this.isPunct('->')) {
      this.next();
      const sizeToken = this.peek();
      const size = this.integer('layer size', 1);
      const activation = this.activation(sizeToken);
      layers.push({ size, activation, span: this.spanFrom(sizeToken) });
    }
    if (layers.length < 2)
      this.expected("'->' and the next layer", 'e.g. network 2 -> 3 sigmoid -> 1 sigmoid');
    return name ? { name, layers } : { layers };
  }

  private activation(sizeToken: Token): ActivationSpec {
    if (this.peek().kind !== 'word') {
      return {
        name: DEFAULT_ACTIVATION,
        implicit: true,
        span: { start: sizeToken.end, end: sizeToken.end },
      };
    }
    const first = this.peek();
    // a word that is no built-in may be a user-defined activation (validated against the session)
    if (
      lookup(first.text, ACTIVATIONS, ACTIVATION_ALIASES) === undefined &&
      isExpressionName(first.text)
    ) {
      this.next();
      return { name: first.text, userDefined: true, implicit: false, span: this.span(first) };
    }
    const name = this.choice(ACTIVATIONS, 'activation', ACTIVATION_ALIASES);
    const parameter = activationParameter(name);
    if (parameter && this.isPunct('(')) {
      this.next();
      const alpha = this.nonNegative(`${parameter.name} of ${name}`);
      this.punct(')');
      return { name, alpha, implicit: false, span: this.spanFrom(first) };
    }
    return { name, implicit: false, span: this.spanFrom(first) };
  }

  private init(): Statement {
    const method = this.choice(INIT_METHODS, 'init method');
    let range: number | undefined;
    if (method === 'uniform')
      range =
        this.peek().kind === 'number'
          ? this.positive('range of uniform')
          : INIT_DEFAULTS.uniformRange;
    let seed: number = INIT_DEFAULTS.seed;
    this.options({
      seed: () => {
        seed = this.seed();
      },
    });
    const span = { start: 0, end: 0 };
    return range === undefined
      ? { kind: 'init', span, method, seed }
      : { kind: 'init', span, method, range, seed };
  }

  private freezeTarget(): FreezeTarget {
    const t = this.peek();
    if (t.kind === 'quantity') {
      const quantity = this.quantity('a weight or bias');
      if (quantity.kind !== 'weight' && quantity.kind !== 'bias') {
        this.fail('BPNB122', quantity.span, {
          statement: 'freeze',
          allowed: 'a weight, a bias, weights [k], biases [k], layer k or all',
          found: quantity.text,
        });
      }
      return { kind: 'quantity', quantity };
    }
    const what = this.choice(['weights', 'biases', 'layer', 'all'] as const, 'freeze target');
    if (what === 'all') return { kind: 'all' };
    if (what === 'layer')
      return {
        kind: 'layer',
        layer: this.isPunct('[') ? this.layerIndex() : this.integer('layer', 1),
      };
    return { kind: what, layer: this.layerIndex() };
  }

  private datasetSource(): DatasetSource {
    const t = this.peek();
    if (t.kind !== 'word')
      this.expected(`a dataset (${DATASETS.join(', ')}, csv "file.csv" or a data table's name)`);
    this.next();
    if (t.text === 'csv') {
      const pathToken = this.peek();
      if (pathToken.kind !== 'string')
        this.expected('a quoted file path, e.g. csv "data/points.csv"');
      this.next();
      const path = pathToken.value as string;
      if (!isWorkspaceRelative(path))
        this.fail('BPNB110', this.span(pathToken), { path: JSON.stringify(path) });
      const source: DatasetSource = { kind: 'csv', path, pathSpan: this.span(pathToken) };
      this.options({
        inputs: () => {
          source.inputs = this.integer('inputs', 1);
        },
        targets: () => {
          source.targets = this.integer('targets', 1);
        },
        header: () => {
          source.header = this.onOff();
        },
      });
      return source;
    }
    const name = lookup(t.text, DATASETS, DATASET_ALIASES);
    if (name === undefined) return { kind: 'named', name: { text: t.text, span: this.span(t) } };
    const source: DatasetSource & { kind: 'builtin' } = { kind: 'builtin', name };
    if (!(FIXED_DATASETS as readonly string[]).includes(name)) {
      this.options({
        n: () => {
          source.n = this.integer('n', 1);
        },
        noise: () => {
          source.noise = this.nonNegative('noise');
        },
        seed: () => {
          source.seed = this.seed();
        },
      });
    }
    return source;
  }

  private learningRateOption(): number | undefined {
    let learningRate: number | undefined;
    const set = (): void => {
      learningRate = this.positive('learning rate');
    };
    this.options({ lr: set, η: set });
    return learningRate;
  }

  private train(): TrainStatement {
    const s: TrainStatement = { kind: 'train', span: { start: 0, end: 0 } };
    const optimiser = (): void => {
      s.optimiser = this.choice(OPTIMISERS, 'optimiser');
    };
    const lr = (): void => {
      s.learningRate = this.positive('learning rate');
    };
    s.optionSpans = this.options(
      {
        epochs: () => {
          s.epochs = this.integer('epochs', 1);
        },
        steps: () => {
          s.steps = this.integer('steps', 1);
        },
        lr,
        η: lr,
        batch: () => {
          if (this.peek().kind === 'number') s.batch = this.integer('batch size', 1);
          else s.batch = this.choice(['full', 'online'] as const, 'batch');
        },
        optimiser,
        optimizer: optimiser,
        momentum: () => {
          s.momentum = this.nonNegative('momentum');
        },
        beta1: () => {
          s.beta1 = this.nonNegative('beta1');
        },
        beta2: () => {
          s.beta2 = this.nonNegative('beta2');
        },
        eps: () => {
          s.eps = this.positive('eps');
        },
        log: () => {
          s.log = this.integer('log interval', 1);
        },
        l2: () => {
          s.l2 = this.nonNegative('l2');
        },
        seed: () => {
          s.seed = this.seed();
        },
        until: () => {
          const q = this.peek();
          if (
            !(q.kind === 'quantity' && q.text === 'E') &&
            !(q.kind === 'word' && q.text === 'loss')
          )
            this.expected("'E' (the loss), as in until E < 0.01");
          this.next();
          // training stops when the loss falls to a value: only < and <= say that
          const c = this.peek();
          if (!(c.kind === 'punct' && (c.text === '<' || c.text === '<=')))
            this.expected("'<' or '<='", 'training stops when the loss falls: until E < 0.01');
          const comparison = this.comparison();
          s.until = {
            quantity: 'E',
            comparison,
            value: this.number('the loss to stop at'),
            span: this.spanFrom(q),
          };
        },
      },
      TRAIN_OPTIONS,
    );
    if (s.epochs !== undefined && s.steps !== undefined)
      this.fail(
        'BPNB109',
        { start: this.peek().start, end: this.peek().start },
        { what: 'train', a: 'epochs', b: 'steps' },
      );
    return s;
  }

  /** `name value` pairs until the end of the line, each at most once. */
  /** Parses `word value` options in any order; returns where each option's word was written. */
  private options(
    handlers: Record<string, () => void>,
    shown: readonly string[] = Object.keys(handlers),
  ): Record<string, Span> {
    const seen = new Set<string>();
    const at: Record<string, Span> = {};
    while (!this.atLineEnd()) {
      const t = this.peek();
      if (t.kind !== 'word' || !Object.prototype.hasOwnProperty.call(handlers, t.text)) {
        this.expected(`an option (${shown.join(', ')})`);
      }
      if (seen.has(t.text)) this.fail('BPNB106', this.span(t), { option: t.text });
      seen.add(t.text);
      at[t.text] = this.span(t);
      this.next();
      handlers[t.text]();
    }
    return at;
  }

  private showTargets(): ShowTarget[] {
    const targets: ShowTarget[] = [];
    do {
      if (this.isPunct(',')) this.next();
      targets.push(this.showTarget());
    } while (this.isPunct(','));
    return targets;
  }

  private showTarget(): ShowTarget {
    const first = this.peek();
    if (first.kind === 'quantity') {
      const quantity = this.quantity('a quantity');
      return { kind: 'quantity', quantity, span: quantity.span };
    }
    let group: ShowGroup;
    if (first.kind === 'word' && first.text === 'loss') {
      this.next();
      group = 'loss';
      if (this.isWord('curve')) {
        this.next();
        group = 'loss curve';
      }
    } else {
      const singleWords = SHOW_GROUPS.filter((g) => g !== 'loss curve');
      if (first.kind !== 'word') this.expected(`a quantity or a group (${SHOW_GROUPS.join(', ')})`);
      group = this.choice(singleWords, 'group to show');
    }
    if (this.isPunct('[')) {
      if (!LAYERED_GROUPS.includes(group))
        this.expected('the end of the line', `${group} takes no layer`);
      return { kind: 'group', group, layer: this.layerIndex(), span: this.spanFrom(first) };
    }
    return { kind: 'group', group, span: this.spanFrom(first) };
  }

  private comparison(): Comparison {
    const t = this.peek();
    if (t.kind === 'punct' && ['=', '<', '<=', '>', '>='].includes(t.text)) {
      this.next();
      return t.text as Comparison;
    }
    return this.expected("'=', '<', '<=', '>' or '>='");
  }

  private expect(): Statement {
    const quantity = this.quantity(
      'a quantity to check',
      'e.g. expect dE/dw11[1] = 0.000438 ± 1e-6',
    );
    const comparison = this.comparison();
    const value = this.number('the expected value');
    const span = { start: 0, end: 0 };
    if (this.isPunct('±')) {
      if (comparison !== '=') this.expected('the end of the line', 'a tolerance goes with =');
      this.next();
      return {
        kind: 'expect',
        span,
        quantity,
        comparison,
        value,
        tolerance: this.nonNegative('tolerance'),
      };
    }
    return { kind: 'expect', span, quantity, comparison, value };
  }
}

function bracketDelta(t: Token): number {
  return t.kind !== 'punct' ? 0 : t.text === '[' ? 1 : t.text === ']' ? -1 : 0;
}

function describe(t: Token): string {
  if (t.kind === 'eof' || t.kind === 'newline') return 'the end of the line';
  const text = t.text.length > 30 ? `${t.text.slice(0, 30)}…` : t.text;
  return `'${text}'`;
}

/** A path that cannot leave the workspace: relative, no `..` segment, no drive or scheme. */
export function isWorkspaceRelative(path: string): boolean {
  if (path.length === 0 || path.startsWith('/') || path.startsWith('\\') || path.startsWith('~'))
    return false;
  if (/^[A-Za-z]:/.test(path) || /^[A-Za-z][A-Za-z0-9+.-]*:/.test(path) || path.includes('\0'))
    return false;
  return !path.split(/[\\/]/).some((segment) => segment === '..');
}
