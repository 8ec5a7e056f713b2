/**
 * Pure helpers for the editor: completion candidates at an offset and the
 * quantity under the cursor. The VS Code glue turns these into its own types.
 */
import { STATEMENT_KEYWORDS, type Quantity, type Span, type StatementKeyword } from './ast';
import { parse } from './parser';
import { EXPLAINABLE, parseQuantity, quantityLabel } from './quantity';
import { scan, type Token } from './scanner';
import type { NetworkShape } from './validate';
import { EXPRESSION_CONSTANTS, EXPRESSION_FUNCTIONS } from './expr';
import { isExpressionName } from './exprStatements';
import type { ExpressionNames } from './exprValidate';
import {
  ACTIVATIONS,
  DATASETS,
  INIT_METHODS,
  LOSSES,
  MISTAKES,
  OPTIMISERS,
  REDUCTIONS,
  SHOW_GROUPS,
  EXPRESSION_KEYWORDS,
  TRAIN_OPTIONS,
} from './vocabulary';

export type CompletionKind =
  | 'keyword'
  | 'activation'
  | 'loss'
  | 'dataset'
  | 'quantity'
  | 'group'
  | 'optimiser'
  | 'init'
  | 'option'
  | 'value'
  /** a value or expression of the computation graph (`x = 2`) */
  | 'name'
  /** a function an expression may call (exp, log, …) or a constant (pi) */
  | 'function';

export interface Completion {
  label: string;
  kind: CompletionKind;
  /** the text before the cursor that the label replaces */
  span: Span;
  detail?: string;
}

/** At most this many quantities are offered, so a huge network stays quick. */
export const MAX_QUANTITY_COMPLETIONS = 400;

/**
 * Candidates for the word being typed at `offset`, from the statement's context. `names` are the
 * computation-graph values and user functions defined before the cursor (earlier cells included).
 */
export function completionsAt(
  text: string,
  offset: number,
  shape?: NetworkShape,
  names: ExpressionNames = {},
): Completion[] {
  const at = Math.max(0, Math.min(offset, text.length));
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  const before = text.slice(lineStart, at);
  if (before.includes('#')) return [];
  const prefixMatch = /[^\s[\](),;=<>±]*$/.exec(before);
  let prefix = prefixMatch ? prefixMatch[0] : '';
  const tokensBefore = (p: string) =>
    scan(before.slice(0, before.length - p.length)).tokens.filter(
      (t) => t.kind !== 'eof' && t.kind !== 'newline',
    );
  let words = tokensBefore(prefix);
  const body = expressionBody(words);
  if (body) {
    // inside an expression only the name being typed is replaced (`x*y+ex|` completes `ex`)
    prefix = /[\p{L}_][\p{L}\d_']*$/u.exec(before)?.[0] ?? '';
    words = tokensBefore(prefix);
  }
  const span = { start: at - prefix.length, end: at };
  const first = words[0]?.text;
  const last = words[words.length - 1];
  const make = (labels: readonly string[], kind: CompletionKind, detail?: string): Completion[] =>
    labels
      .filter((l) => l.startsWith(prefix))
      .map((label) => (detail ? { label, kind, span, detail } : { label, kind, span }));
  const quantities = (kinds?: readonly string[]): Completion[] =>
    make(quantityLabels(shape, kinds), 'quantity');
  const values = names.values ?? [];
  const functions = (what: 'activation' | 'loss') =>
    (names.functions ?? []).filter((f) => f.what === what).map((f) => f.name);
  const expr = {
    values: () => make(values, 'name'),
    gradients: () => make(gradientLabels(values), 'name'),
    activations: () => make(functions('activation'), 'activation', 'defined with activation'),
    losses: () => make(functions('loss'), 'loss', 'defined with loss'),
  };

  if (body)
    return [
      ...make(body.params ?? values, 'name'),
      ...make(Object.keys(EXPRESSION_FUNCTIONS), 'function'),
      ...make(Object.keys(EXPRESSION_CONSTANTS), 'function', 'constant'),
    ];
  if (words.length === 0)
    return [
      ...make([...STATEMENT_KEYWORDS, ...EXPRESSION_KEYWORDS], 'keyword'),
      ...quantities(['weight', 'bias']),
      ...expr.values(),
    ];
  if (first === 'check' && words.length === 1)
    return [
      ...make(
        functions('activation').map((f) => `${f}'(z)`),
        'activation',
      ),
      ...make(
        functions('loss').map((f) => `∂${f}/∂a`),
        'loss',
      ),
    ];
  if (!first || !isKeyword(first)) return [];
  return COMPLETERS[first]({
    words,
    last: last.text,
    lastKind: last.kind,
    make,
    quantities,
    expr,
  });
}

/**
 * The expression being written after `NAME =`, `activation NAME(z) =`, `loss NAME(a, t) =` or
 * `check … =`, with the parameters a function's body may read; undefined on other lines.
 */
function expressionBody(words: Token[]): { params?: string[] } | undefined {
  const eq = words.findIndex((t) => t.kind === 'punct' && t.text === '=');
  const first = words[0];
  if (eq < 1 || first.kind !== 'word') return undefined;
  if (first.text === 'activation' || (first.text === 'loss' && words[2]?.text === '(')) {
    const close = words.findIndex((t) => t.text === ')');
    return {
      params: words
        .slice(3, close < 0 ? eq : close)
        .flatMap((t) => (t.kind === 'word' ? [t.text] : [])),
    };
  }
  if (first.text === 'check') return { params: [] };
  return eq === 1 && isExpressionName(first.text) ? {} : undefined;
}

/** Most gradients ∂f/∂v offered (every pair of names). */
const MAX_GRADIENT_COMPLETIONS = 400;
function gradientLabels(values: readonly string[]): string[] {
  const labels: string[] = [];
  for (const of of values)
    for (const wrt of values)
      if (of !== wrt && labels.length < MAX_GRADIENT_COMPLETIONS) labels.push(`∂${of}/∂${wrt}`);
  return labels;
}

/**
 * What a statement's completer sees: the words before the cursor and the helpers that filter by
 * prefix.
 */
interface CompletionContext {
  words: Token[];
  last: string;
  lastKind: Token['kind'];
  make(labels: readonly string[], kind: CompletionKind, detail?: string): Completion[];
  quantities(kinds?: readonly string[]): Completion[];
  /** the computation graph's names, user activations and losses */
  expr: Record<'values' | 'gradients' | 'activations' | 'losses', () => Completion[]>;
}

function isKeyword(word: string): word is StatementKeyword {
  return (STATEMENT_KEYWORDS as readonly string[]).includes(word);
}

const none = (): Completion[] => [];
const onOff = (c: CompletionContext) => c.make(['on', 'off'], 'value');

/** Candidates after each statement keyword (typed: a new keyword does not compile without one). */
const COMPLETERS: Record<StatementKeyword, (c: CompletionContext) => Completion[]> = {
  network: (c) =>
    c.lastKind === 'number' && c.words.length > 2
      ? [...c.make(ACTIVATIONS, 'activation'), ...c.expr.activations()]
      : [],
  use: none,
  bias: onOff,
  loss: (c) =>
    c.words.length === 1
      ? [...c.make(LOSSES, 'loss'), ...c.expr.losses()]
      : c.make(REDUCTIONS, 'value'),
  weights: (c) => (c.words.length === 1 ? c.make(['from'], 'keyword') : []),
  biases: none,
  init: (c) => (c.words.length === 1 ? c.make(INIT_METHODS, 'init') : c.make(['seed'], 'option')),
  freeze: (c) => [
    ...c.make(['weights', 'biases', 'layer', 'all'], 'keyword'),
    ...c.quantities(['weight', 'bias']),
  ],
  unfreeze: (c) => COMPLETERS.freeze(c),
  input: none,
  target: none,
  data: none,
  dataset: (c) =>
    c.words.length === 1
      ? c.make([...DATASETS, 'csv'], 'dataset')
      : c.make(['n', 'noise', 'seed', 'inputs', 'targets'], 'option'),
  forward: none,
  backward: (c) => (c.words.length === 1 ? c.expr.values() : []),
  update: (c) => c.make(['lr'], 'option'),
  step: (c) => c.make(['lr'], 'option'),
  train(c) {
    if (c.last === 'optimiser' || c.last === 'optimizer') return c.make(OPTIMISERS, 'optimiser');
    if (c.last === 'batch') return c.make(['full', 'online'], 'value');
    if (c.last === 'until') return c.make(['E'], 'quantity');
    return c.make(TRAIN_OPTIONS, 'option');
  },
  show: (c) => [
    ...c.make(SHOW_GROUPS, 'group'),
    ...c.quantities(),
    ...c.expr.values(),
    ...c.expr.activations(),
    ...c.expr.losses(),
  ],
  explain: (c) => [...c.quantities(EXPLAINABLE), ...c.expr.gradients()],
  gradcheck: (c) => [
    ...c.make(['eps', 'tol'], 'option'),
    ...(c.words.length === 1 ? c.expr.values() : []),
  ],
  expect: (c) =>
    c.words.length === 1 ? [...c.quantities(), ...c.expr.values(), ...c.expr.gradients()] : [],
  mistake: (c) => (c.words.length === 1 ? c.make(MISTAKES, 'value') : onOff(c)),
};

/**
 * Every quantity of the network in canonical spelling (inputs, targets, z, a, δ, w, b, gradients,
 * E).
 */
export function quantityLabels(shape?: NetworkShape, kinds?: readonly string[]): string[] {
  const labels: string[] = [];
  const add = (kind: string, label: string): void => {
    if ((!kinds || kinds.includes(kind)) && labels.length < MAX_QUANTITY_COMPLETIONS)
      labels.push(label);
  };
  add('loss', 'E');
  if (!shape) return labels;
  const n = shape.sizes.length;
  for (let i = 1; i <= shape.sizes[0]; i++) add('input', quantityLabel({ kind: 'input', node: i }));
  for (let j = 1; j <= shape.sizes[n - 1]; j++)
    add('target', quantityLabel({ kind: 'target', node: j }));
  for (let k = 1; k <= n && labels.length < MAX_QUANTITY_COMPLETIONS; k++) {
    for (let j = 1; j <= shape.sizes[k - 1] && labels.length < MAX_QUANTITY_COMPLETIONS; j++) {
      if (k > 1) add('preActivation', quantityLabel({ kind: 'preActivation', node: j, layer: k }));
      add('activation', quantityLabel({ kind: 'activation', node: j, layer: k }));
      add('activationGrad', quantityLabel({ kind: 'activationGrad', node: j, layer: k }));
      if (k > 1) add('delta', quantityLabel({ kind: 'delta', node: j, layer: k }));
      if (k > 1 && shape.bias[k - 1]) {
        add('bias', quantityLabel({ kind: 'bias', node: j, layer: k }));
        add('biasGrad', quantityLabel({ kind: 'biasGrad', node: j, layer: k }));
      }
      if (k < n) {
        for (let to = 1; to <= shape.sizes[k]; to++) {
          add('weight', quantityLabel({ kind: 'weight', from: j, to, layer: k }));
          add('weightGrad', quantityLabel({ kind: 'weightGrad', from: j, to, layer: k }));
        }
      }
    }
  }
  return labels;
}

/** The quantity under (or just before) the cursor, with its span; undefined elsewhere. */
export function quantityAt(text: string, offset: number): Quantity | undefined {
  const lineStart = text.lastIndexOf('\n', Math.max(0, offset - 1)) + 1;
  const lineEndIndex = text.indexOf('\n', offset);
  const lineEnd = lineEndIndex < 0 ? text.length : lineEndIndex;
  const token = scan(text.slice(lineStart, lineEnd)).tokens.find(
    (t: Token) =>
      t.kind === 'quantity' && t.start <= offset - lineStart && offset - lineStart <= t.end,
  );
  if (!token) return undefined;
  return parseQuantity(token.text, token.start + lineStart).quantity;
}

/** A network or data-table name under the cursor, for go-to-definition. */
export interface NameRef {
  kind: 'network' | 'data';
  name: string;
  span: Span;
  /** true where the name is defined (`network NAME …`, `data NAME = …`), false where it is used */
  defines: boolean;
}

/** Every network or data-table name written in a cell, defined or used. */
export function namesIn(text: string): NameRef[] {
  const refs: NameRef[] = [];
  for (const s of parse(text).statements) {
    if (s.kind === 'network' && s.name)
      refs.push({ kind: 'network', name: s.name.text, span: s.name.span, defines: true });
    if (s.kind === 'use')
      refs.push({ kind: 'network', name: s.name.text, span: s.name.span, defines: false });
    if (s.kind === 'data' && s.name)
      refs.push({ kind: 'data', name: s.name.text, span: s.name.span, defines: true });
    if (s.kind === 'dataset' && s.source.kind === 'named')
      refs.push({
        kind: 'data',
        name: s.source.name.text,
        span: s.source.name.span,
        defines: false,
      });
  }
  return refs;
}

/** The network or data-table name under (or just before) the cursor. */
export function nameAt(text: string, offset: number): NameRef | undefined {
  return namesIn(text).find((r) => r.span.start <= offset && offset <= r.span.end);
}
