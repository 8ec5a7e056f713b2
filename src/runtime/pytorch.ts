/**
 * Export a notebook as runnable PyTorch (float64) that prints the notebook's numbers.
 *
 * The notebook is run here, statement by statement, in its own Session; the Python for each
 * statement is written from its syntax tree and from the session's state before and after it
 * (which data a pass used, the weights an `init` drew, the records a `show` reads). Alongside the
 * code comes the list of every number the script prints, with the notebook's value: the test runs
 * the script and compares them. A statement the export cannot represent exactly is refused, naming
 * its cell and line. Pure: the host lends file reading.
 */
import { activationRecord, type Activation } from '../engine/activations';
import { lossNodeOf } from '../engine/losses';
import type { Network } from '../engine/network';
import { backward, forward } from '../engine/passes';
import { names } from '../engine/notation';
import { GRADCHECK_ATOL } from '../engine/gradcheck';
import type * as ast from '../language/ast';
import type { ExpressionStatement } from '../language/exprStatements';
import { isExpressionStatement } from '../language/exprValidate';
import { parse } from '../language/parser';
import { offsetToLineCol } from '../language/diagnostics';
import { GRADCHECK_DEFAULTS, TRAIN_DEFAULTS } from '../language/vocabulary';
import { decodeNumber, type ResultItem } from '../protocol/results';
import { PYTORCH_PRELUDE, TORCH_OPS } from './pytorchPrelude';
import {
  childrenOf,
  CONSTANTS,
  freeNames,
  opOf,
  SWITCHES,
  type ExprTree,
} from '../engine/expression';
import type { GraphGradients, GraphNode } from '../engine/graph';
import { defaultTolerance } from './expect';
import { EXPRESSION_TOLERANCE, FORMULA_POINT } from './expressionRunner';
import { Session, type NetState } from './session';
import { activeDataset, inputsOf, targetsOf } from './state';
import { agreeing } from './inspect';
import type { RunHost } from './types';
import { pushAll } from '../protocol/extent';
import { partsText } from '../protocol/text';

export interface ExportCell {
  kind: 'markdown' | 'code';
  source: string;
}

export interface ExportOptions {
  /** the notebook's file name, for the header */
  title: string;
  /** reads a data file named in a cell (CSV), as the notebook's own runs do */
  readTextFile?: (path: string) => Promise<string>;
  /** reads a binary file named in a cell (a safetensors model) */
  readBinaryFile?: (path: string, maxBytes: number) => Promise<Uint8Array>;
  maxBytes?: number;
}

/**
 * One number (or row of numbers) the exported code prints as `label = value`, with the notebook's
 * value.
 */
export interface ExportCheck {
  label: string;
  value: number | number[];
}

export interface ExportedCell {
  kind: 'markdown' | 'code';
  /** markdown as written; Python for a code cell */
  source: string;
}

export type ExportResult =
  { ok: true; cells: ExportedCell[]; checks: ExportCheck[] } | { ok: false; error: ExportRefusal };

export interface ExportRefusal {
  /** 1-based among all the notebook's cells */
  cell: number;
  /** 1-based line in the cell */
  line: number;
  /** offset into the cell's source */
  offset: number;
  message: string;
}

class Refused extends Error {
  constructor(
    message: string,
    readonly span?: ast.Span,
  ) {
    super(message);
  }
}

/** A number as Python source that reads back as the same double. */
export function pyNumber(v: number): string {
  if (Number.isNaN(v)) return 'float("nan")';
  if (!Number.isFinite(v)) return v > 0 ? 'float("inf")' : 'float("-inf")';
  return String(v);
}

const pyList = (values: readonly number[]): string => `[${values.map(pyNumber).join(', ')}]`;
const pyMatrix = (rows: readonly (readonly number[])[]): string =>
  `[${rows.map(pyList).join(', ')}]`;
const pyString = (s: string): string => JSON.stringify(s);

/** What the generator needs to remember of the state before a statement. */
interface Before {
  st?: NetState;
  hadFwd: boolean;
  hadBack: boolean;
  hadUpd: boolean;
  stale: boolean;
  frozenW: Uint8Array[];
  frozenB: Uint8Array[];
  /** the engine's correct δ (pre-update weights) for an update or step with the mistake on */
  correctDelta?: Float64Array[];
}

function captureBefore(session: Session, s: ast.Statement): Before {
  const st = session.inspect();
  const before: Before = {
    st,
    hadFwd: !!st?.rec.fwd,
    hadBack: !!st?.rec.back,
    hadUpd: !!st?.rec.upd,
    stale: st?.staleWeightsMistake ?? false,
    frozenW: st ? st.net.frozenWeights.map((f) => f.slice()) : [],
    frozenB: st ? st.net.frozenBiases.map((f) => f.slice()) : [],
  };
  if (st && st.staleWeightsMistake && (s.kind === 'update' || s.kind === 'step')) {
    if (s.kind === 'update' && st.rec.back) before.correctDelta = st.rec.back.delta;
    else {
      const x = inputsOf(st);
      try {
        if (x) before.correctDelta = backward(st.net, forward(st.net, x), targetsOf(st)).delta;
      } catch {
        // no target: the step fails in the notebook too, and the export says so
      }
    }
  }
  return before;
}

/**
 * The Python names of the inputs and targets a pass of this network uses: the active dataset's,
 * else the sample's (state.ts decides which); None for the target of a loss of one output node
 * when no target is set (that loss reads none).
 */
function xt(st: NetState): { X: string; T: string } {
  if (activeDataset(st)) return { X: 'net.X', T: 'net.T' };
  return { X: 'net.x', T: st.target ? 'net.t' : 'None' };
}

/** Exports the notebook, or refuses it naming the first cell and line that cannot be exported. */
export async function exportPyTorch(
  cells: readonly ExportCell[],
  opts: ExportOptions,
): Promise<ExportResult> {
  const session = new Session({ maxBytes: opts.maxBytes });
  const host: RunHost = {
    isCancelled: () => false,
    yieldNow: () => Promise.resolve(),
    now: () => 0,
    readTextFile: opts.readTextFile,
    readBinaryFile: opts.readBinaryFile,
  };
  const out: ExportedCell[] = [];
  const checks: ExportCheck[] = [];
  for (const [index, cell] of cells.entries()) {
    if (cell.kind === 'markdown') {
      out.push({ kind: 'markdown', source: cell.source });
      continue;
    }
    const { program } = parse(cell.source);
    const lines: string[] = [];
    let cursor = 0;
    for (const s of program.statements) {
      const at = (span: ast.Span = s.span) => ({
        cell: index + 1,
        line: offsetToLineCol(cell.source, span.start).line,
        offset: span.start,
      });
      comments(cell.source.slice(cursor, s.span.start), lines);
      cursor = s.span.end;
      const text = cell.source.slice(s.span.start, s.span.end);
      const before = captureBefore(session, s);
      const run = await session.runCell(text, host);
      if (!run.ok) {
        const problem = run.problems.find((p) => p.severity === 'error');
        const why = problem
          ? problem.message
          : run.expectations.failed
            ? 'this expect does not hold in the notebook'
            : 'it does not run';
        return { ok: false, error: { ...at(), message: `cannot export: ${why}` } };
      }
      lines.push('');
      for (const l of text.split('\n')) lines.push(`# ${l}`);
      try {
        pushAll(lines, await statement(s, before, session, run.items, checks, opts));
      } catch (e) {
        if (!(e instanceof Refused)) throw e;
        return { ok: false, error: { ...at(e.span), message: `cannot export: ${e.message}` } };
      }
    }
    comments(cell.source.slice(cursor), lines);
    out.push({ kind: 'code', source: lines.join('\n').replace(/^\n+/, '') });
  }
  return { ok: true, cells: out, checks };
}

/** The comments between statements, kept as Python comments. */
function comments(gap: string, lines: string[]): void {
  for (const raw of gap.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#')) lines.push(line);
  }
}

const nodeLabel = {
  z: (k: number, j: number) => names.z(k, j),
  a: (k: number, j: number) => names.a(k, j),
  delta: (k: number, j: number) => names.delta(k, j),
};

/** Python that reads one quantity of the first row, and the notebook's value of it. */
function quantity(
  q: ast.QuantityRef,
  st: NetState,
  session: Session,
  span?: ast.Span,
): { expr: string; value: number } {
  const v = session.valueOf(q);
  if (!v) throw new Refused('the notebook has no value for it here', span);
  // the row of a per-row quantity: `(sN)`, else the first
  const r = ((q as { row?: number }).row ?? 1) - 1;
  switch (q.kind) {
    case 'loss':
      if (st.rec.back) return { expr: 'net.E.item()', value: v.value };
      if (activeDataset(st))
        throw new Refused(
          'E after a forward pass over a dataset without backward is not exported: run ' +
            '`backward` first',
          span,
        );
      return { expr: `net.row_losses(${xt(st).T})[0].item()`, value: v.value };
    case 'input':
      return {
        expr: st.rec.fwd
          ? `net.a[1][${r}, ${q.node - 1}].item()`
          : `net.x[0, ${q.node - 1}].item()`,
        value: v.value,
      };
    case 'target':
      return { expr: `${xt(st).T}[${r}, ${q.node - 1}].item()`, value: v.value };
    case 'preActivation':
      return { expr: `net.z[${q.layer}][${r}, ${q.node - 1}].item()`, value: v.value };
    case 'activation':
      return { expr: `net.a[${q.layer}][${r}, ${q.node - 1}].item()`, value: v.value };
    case 'delta':
      return { expr: `net.delta[${q.layer}][${r}, ${q.node - 1}].item()`, value: v.value };
    case 'weight':
      return {
        expr: `net.layers[${q.layer - 1}].weight[${q.to - 1}, ${q.from - 1}].item()`,
        value: v.value,
      };
    case 'bias':
      return { expr: `net.layers[${q.layer - 2}].bias[${q.node - 1}].item()`, value: v.value };
    case 'weightGrad':
      return {
        expr: `net.grad_w[${q.layer - 1}][${q.to - 1}, ${q.from - 1}].item()`,
        value: v.value,
      };
    case 'biasGrad':
      return { expr: `net.grad_b[${q.layer - 2}][${q.node - 1}].item()`, value: v.value };
    case 'activationGrad':
      return { expr: `net.dE_da[${q.layer}][${r}, ${q.node - 1}].item()`, value: v.value };
  }
}

function showLine(label: string, expr: string, value: number, checks: ExportCheck[]): string {
  checks.push({ label, value });
  return `show(${pyString(label)}, ${expr})`;
}

/** An epoch of the loss curve as the script's epoch_label writes it. */
function epochLabel(epoch: number): string {
  return `epoch ${Number(epoch.toPrecision(10))}: E`;
}

/** The label a quantity prints under: dE/dw11[1] rather than ∂E/∂w11[1], so it reads as written. */
function gradLabel(text: string): string {
  return text.replace(/^∂E\/∂/, 'dE/d');
}

/** Every parameter of the network as refs, weights then biases per layer, in the seed's order. */
function parameterRefs(net: Network, only?: number): ast.QuantityRef[] {
  const refs: ast.QuantityRef[] = [];
  for (let k = 1; k < net.layerCount; k++) {
    if (only !== undefined && only !== k) continue;
    for (let i = 1; i <= net.sizes[k - 1]; i++)
      for (let j = 1; j <= net.sizes[k]; j++)
        refs.push({ kind: 'weight', layer: k, from: i, to: j });
    if (net.hasBias(k + 1))
      for (let j = 1; j <= net.sizes[k]; j++) refs.push({ kind: 'bias', layer: k + 1, node: j });
  }
  return refs;
}

function refLabel(q: ast.QuantityRef): string {
  switch (q.kind) {
    case 'weight':
      return names.w(q.layer, q.from, q.to);
    case 'bias':
      return names.b(q.layer, q.node);
    case 'weightGrad':
      return gradLabel(names.dw(q.layer, q.from, q.to));
    case 'biasGrad':
      return gradLabel(names.db(q.layer, q.node));
    case 'preActivation':
      return nodeLabel.z(q.layer, q.node);
    case 'activation':
      return nodeLabel.a(q.layer, q.node);
    case 'delta':
      return nodeLabel.delta(q.layer, q.node);
    case 'input':
      return `x${q.node}`;
    case 'target':
      return `t${q.node}`;
    case 'loss':
      return 'E';
    case 'activationGrad':
      return gradLabel(names.da(q.layer, q.node));
  }
}

function nodeRefs(
  net: Network,
  kind: 'preActivation' | 'activation' | 'delta',
  only?: number,
): ast.QuantityRef[] {
  const refs: ast.QuantityRef[] = [];
  for (let k = kind === 'activation' ? 1 : 2; k <= net.layerCount; k++) {
    if (only !== undefined && only !== k) continue;
    for (let j = 1; j <= net.sizes[k - 1]; j++)
      refs.push(
        kind === 'activation' && k === 1 ? { kind: 'input', node: j } : { kind, layer: k, node: j },
      );
  }
  return refs;
}

function gradRefs(net: Network, only?: number): ast.QuantityRef[] {
  return parameterRefs(net, only).map((q) =>
    q.kind === 'weight'
      ? { kind: 'weightGrad', layer: q.layer, from: q.from, to: q.to }
      : q.kind === 'bias'
        ? { kind: 'biasGrad', layer: q.layer, node: q.node }
        : q,
  );
}

function showRefs(
  refs: ast.QuantityRef[],
  st: NetState,
  session: Session,
  checks: ExportCheck[],
  span?: ast.Span,
): string[] {
  return refs.map((q) => {
    const { expr, value } = quantity(q, st, session, span);
    return showLine(refLabel(q), expr, value, checks);
  });
}

/** The weights and biases of every layer as Python that sets them (from the engine's values). */
function setParameters(net: Network): string[] {
  const lines: string[] = [];
  for (let k = 1; k < net.layerCount; k++) {
    lines.push(`net.set_weights(${k}, ${pyMatrix(net.getWeightMatrix(k))})`);
    if (net.hasBias(k + 1))
      lines.push(`net.set_biases(${k + 1}, ${pyList(Array.from(net.biases[k - 1]))})`);
  }
  return lines;
}

/** Python masks of the frozen parameters that changed. */
function frozenChanges(before: Before, net: Network): string[] {
  const lines: string[] = [];
  const mask = (flags: Uint8Array, rows: number, cols: number) =>
    `torch.tensor(${JSON.stringify(
      Array.from({ length: rows }, (_, r) =>
        Array.from({ length: cols }, (_, c) => flags[r * cols + c] === 1),
      ),
    )
      .replace(/true/g, 'True')
      .replace(/false/g, 'False')})`;
  net.frozenWeights.forEach((f, m) => {
    if (before.frozenW[m] && f.every((v, p) => v === before.frozenW[m][p])) return;
    lines.push(`net.frozen_w[${m}] = ${mask(f, net.sizes[m + 1], net.sizes[m])}`);
  });
  net.frozenBiases.forEach((f, m) => {
    if (before.frozenB[m] && f.every((v, p) => v === before.frozenB[m][p])) return;
    lines.push(`net.frozen_b[${m}] = ${mask(f, 1, net.sizes[m + 1])}[0]`);
  });
  return lines;
}

function activationsOf(net: Network): string {
  const entry = (a: Activation) => {
    const def = activationRecord(a);
    if (!def?.pytorch) throw new Refused(`the activation ${a.kind} has no PyTorch export`);
    const p = def.parameter;
    return `(${pyString(a.kind)}, ${p ? pyNumber(a.alpha ?? p.default) : 'None'})`;
  };
  return `[${net.spec.activations.map(entry).join(', ')}]`;
}

function pyBools(values: readonly boolean[]): string {
  return `[${values.map((b) => (b ? 'True' : 'False')).join(', ')}]`;
}

/** Refuses a loss without a PyTorch form (its record's `pytorch`), where a line sets it. */
function lossForm(net: Network, span: ast.Span): void {
  if (!net.lossDef.pytorch)
    throw new Refused(`the loss ${net.spec.loss} has no PyTorch export`, span);
}

/** Refuses a loss the export does not compute as the notebook does: one without its output. */
function checkLoss(st: NetState, span: ast.Span): void {
  const out = st.net.spec.activations[st.net.spec.activations.length - 1].kind;
  const { kind, requires } = st.net.lossDef;
  if (requires && out !== requires)
    throw new Refused(
      `loss ${kind} is exported only with a ${requires} output layer (this one is ${out})`,
      span,
    );
}

function datasetComment(src: ast.DatasetSource, n: number, noise: number, seed: number): string {
  if (src.kind !== 'builtin') return '';
  if (['xor', 'and', 'or'].includes(src.name)) return `# the four corners of ${src.name}`;
  return (
    `# ${src.name}: n ${n}, noise ${noise}, seed ${seed}, generated by the notebook's ` +
    `seeded generator (mulberry32); written out so the rows are the same`
  );
}

/** The updated parameters after update/step: each one's value before (kept by hand) and after. */
function updateLines(
  s: ast.UpdateStatement | ast.StepStatement,
  before: Before,
  st: NetState,
  session: Session,
  checks: ExportCheck[],
): string[] {
  const lr = st.rec.upd!.lr;
  const { X, T } = xt(st);
  const lines: string[] = [];
  if (s.kind === 'step') lines.push(`net.forward(${X})`);
  if (before.stale) {
    lines.push(`net.update_stale(${pyNumber(lr)}, ${T})`);
    const correct = before.correctDelta!;
    lines.push('# the deltas computed correctly, with the weights before the update (autograd):');
    for (let k = 2; k <= st.net.layerCount; k++)
      for (let j = 1; j <= st.net.sizes[k - 1]; j++)
        lines.push(
          showLine(
            `${names.delta(k, j)} (pre-update weights)`,
            `net.correct_delta[${k}][0, ${j - 1}].item()`,
            correct[k][j - 1],
            checks,
          ),
        );
    lines.push('# the deltas with the mistake (propagated through weights already updated):');
    pushAll(lines, showRefs(nodeRefs(st.net, 'delta'), st, session, checks));
  } else {
    if (s.kind === 'step') lines.push(`net.backward(${T})`);
    lines.push(`net.update(${pyNumber(lr)})`);
  }
  const upd = st.rec.upd!;
  lines.push('# every parameter before the update (kept by net.update), its gradient and after:');
  for (const q of parameterRefs(st.net)) {
    const label = refLabel(q);
    if (q.kind === 'weight') {
      const p = st.net.weightIndex(q.layer, q.from, q.to);
      lines.push(
        showLine(
          `${label} before update`,
          `net.old_w[${q.layer - 1}][${q.to - 1}, ${q.from - 1}].item()`,
          upd.oldWeights[q.layer - 1][p],
          checks,
        ),
      );
    } else if (q.kind === 'bias') {
      lines.push(
        showLine(
          `${label} before update`,
          `net.old_b[${q.layer - 2}][${q.node - 1}].item()`,
          upd.oldBiases[q.layer - 2][q.node - 1],
          checks,
        ),
      );
    }
  }
  pushAll(lines, showRefs(gradRefs(st.net), st, session, checks));
  pushAll(lines, showRefs(parameterRefs(st.net), st, session, checks));
  return lines;
}

function trainCall(s: ast.TrainStatement, X: string, T: string): string {
  const args = [X, T];
  if (s.steps !== undefined) args.push(`steps=${s.steps}`);
  if (s.epochs !== undefined || s.steps === undefined)
    args.push(`epochs=${s.epochs ?? TRAIN_DEFAULTS.epochs}`);
  args.push(`lr=${pyNumber(s.learningRate ?? TRAIN_DEFAULTS.learningRate)}`);
  const batch = s.batch ?? TRAIN_DEFAULTS.batch;
  args.push(`batch=${batch === 'full' ? '"full"' : batch === 'online' ? '1' : batch}`);
  const optimiser = s.optimiser ?? TRAIN_DEFAULTS.optimiser;
  args.push(`optimiser=${pyString(optimiser)}`);
  if (optimiser === 'momentum')
    args.push(`momentum=${pyNumber(s.momentum ?? TRAIN_DEFAULTS.momentum)}`);
  if (optimiser === 'adam')
    args.push(
      `beta1=${pyNumber(s.beta1 ?? TRAIN_DEFAULTS.beta1)}`,
      `beta2=${pyNumber(s.beta2 ?? TRAIN_DEFAULTS.beta2)}`,
      `eps=${pyNumber(s.eps ?? TRAIN_DEFAULTS.eps)}`,
    );
  const l2 = s.l2 ?? TRAIN_DEFAULTS.l2;
  if (l2) args.push(`l2=${pyNumber(l2)}`);
  args.push(`seed=${s.seed ?? TRAIN_DEFAULTS.seed}`);
  if (s.until) args.push(`until=${pyNumber(s.until.value)}`);
  if (s.until?.comparison === '<=') args.push('until_or_equal=True');
  if (s.log !== undefined) args.push(`log=${s.log}`);
  return `net.train(${args.join(', ')})`;
}

/** A number of an expression as a float64 tensor (so that exp(2) and 2 ** x are tensor ops). */
const pyConst = (v: number): string => `const(${pyNumber(v)})`;
const pyName = (name: string): string => `v[${pyString(name)}]`;

/**
 * An expression as PyTorch, each name as `nameOf` writes it (undefined: a constant such as pi):
 * the session's names, or a user function's parameters.
 */
function pyExpression(t: ExprTree, nameOf: (name: string) => string | undefined): string {
  if (t.kind === 'number') return pyConst(t.value);
  if (t.kind === 'name') return nameOf(t.name) ?? pyConst(CONSTANTS[t.name]);
  const op = opOf(t);
  const args = childrenOf(t).map((c) => pyExpression(c, nameOf));
  if (op === undefined || op === 'const' || op === 'input')
    throw new Refused(`an expression the export does not know (${t.kind})`, t.span);
  if (op === 'neg') return `(-${args[0]})`;
  if (t.kind === 'binary') return `(${args[0]} ${t.op === '^' ? '**' : t.op} ${args[1]})`;
  return `${TORCH_OPS[op]}(${args.join(', ')})`;
}

/** A Python lambda of a user function's parameters, as x0, x1 whatever the user named them. */
function pyLambda(
  params: readonly string[],
  body: (nameOf: (n: string) => string | undefined) => string,
): string {
  const nameOf = (n: string) => (params.includes(n) ? `x${params.indexOf(n)}` : undefined);
  return `lambda ${params.map((_, k) => `x${k}`).join(', ')}: ${body(nameOf)}`;
}

/** The argument of every switch of an expression (relu, abs, …; x − y of max, min), in Python. */
function pySwitches(tree: ExprTree, nameOf: (n: string) => string | undefined): string {
  const args: ExprTree[] = [];
  const visit = (t: ExprTree): void => {
    const op = opOf(t);
    const kids = childrenOf(t);
    if (op && SWITCHES.has(op))
      args.push(
        kids.length > 1 ? { kind: 'binary', op: '-', left: kids[0], right: kids[1] } : kids[0],
      );
    kids.forEach(visit);
  };
  visit(tree);
  return `[${args.map((a) => pyExpression(a, nameOf)).join(', ')}]`;
}

/** The Python dict entry of a user-defined activation or loss. */
const pyUserFunction = (what: 'activation' | 'loss', name: string): string =>
  `${what === 'activation' ? 'user_activations' : 'user_losses'}[${pyString(name)}]`;

/** PyTorch of `activation NAME(z) = …` or `loss NAME(a, t) = …`, printing its formulas' numbers. */
function defineLines(
  s: Extract<ast.Statement, { kind: 'define' }>,
  items: ResultItem[],
  checks: ExportCheck[],
): string[] {
  const params = s.params.map((p) => p.text);
  const fn = pyUserFunction(s.what, s.name.text);
  const point = FORMULA_POINT[s.what];
  const at = params.map((p, k) => `${p} = ${point[k]}`).join(', ');
  const head = `${s.name.text}(${params.join(', ')})`;
  const dHead =
    s.what === 'activation' ? `${s.name.text}'(${params[0]})` : `∂${s.name.text}/∂${params[0]}`;
  const formulas = items.find((i) => i.kind === 'derivation');
  if (formulas?.kind !== 'derivation')
    throw new Refused('the notebook did not show its formulas', s.span);
  return [
    `${fn} = ${pyLambda(params, (nameOf) => pyExpression(s.body, nameOf))}`,
    `# its formulas with the numbers put in, at ${at}:`,
    `g, dg = at_point(${fn}, ${point.join(', ')})`,
    showLine(`${head} at ${at}`, 'g', decodeNumber(formulas.steps[0].value), checks),
    showLine(`${dHead} at ${at}`, 'dg', decodeNumber(formulas.steps[1].value), checks),
  ];
}

/** PyTorch of `check NAME'(z) = …` or `check ∂NAME/∂a = …`: the notebook's check, repeated. */
function checkLines(
  s: Extract<ast.Statement, { kind: 'checkDerivative' }>,
  ex: ReturnType<Session['expressions']>,
  checks: ExportCheck[],
): string[] {
  const d = ex.functions.get(s.name.text);
  const r = ex.lastCheck;
  if (!d || !r) throw new Refused('the notebook has no check here', s.span);
  const label =
    d.what === 'activation'
      ? `check ${s.name.text}'(${s.param.text})`
      : `check ∂${s.name.text}/∂${s.param.text}`;
  const claimed = pyLambda(d.fn.params, (nameOf) => pyExpression(s.claimed, nameOf));
  const switches = pyLambda(d.fn.params, (nameOf) => pySwitches(d.fn.body, nameOf));
  const kinks = pyMatrix(r.kinks.map((k) => k.at));
  return [
    '# the derivative written by hand against autograd, at the points the notebook compares (see ' +
      'check_derivative)',
    `compared, left_out, agrees = check_derivative(${pyUserFunction(d.what, s.name.text)}, ` +
      `${claimed}, ${switches}, ${kinks}${d.what === 'loss' ? ', loss=True' : ''})`,
    showLine(`${label}: points compared`, 'compared', r.compared, checks),
    showLine(`${label}: points left out`, 'left_out', r.skipped, checks),
    showLine(`${label}: agrees`, 'int(agrees)', r.agree ? 1 : 0, checks),
    `assert agrees, "${label}: the derivative disagrees"`,
  ];
}

/** The label of ∂of/∂wrt, or of the value of `of`. */
const graphLabel = (of: string, wrt?: string): string => (wrt ? `∂${of}/∂${wrt}` : of);

/**
 * PyTorch of a computation-graph statement that ran in the session (user-defined functions and
 * `check` too); undefined for any other.
 */
function expressionStatement(
  s: ExpressionStatement,
  session: Session,
  items: ResultItem[],
  checks: ExportCheck[],
): string[] {
  const ex = session.expressions();
  const scope = ex.scope;
  const value = (name: string) => (scope.get(name) as GraphNode).value;
  const ref = (of: string, wrt?: string) =>
    wrt ? `grad_of(${pyName(of)}, ${pyName(wrt)})` : `${pyName(of)}.item()`;
  switch (s.kind) {
    case 'let': {
      const name = s.name.text;
      const node = scope.get(name) as GraphNode;
      const code =
        freeNames(s.expr).length === 0
          ? `leaf(${pyNumber(node.value)})`
          : pyExpression(s.expr, (n) => (scope.has(n) ? pyName(n) : undefined));
      return [`${pyName(name)} = ${code}`, showLine(name, ref(name), node.value, checks)];
    }
    case 'backwardOf':
    case 'showExpr': {
      const roots = s.kind === 'backwardOf' ? [s.name] : s.names;
      return roots.flatMap(({ text: root }) => {
        const lines = [showLine(root, ref(root), value(root), checks)];
        const g = s.kind === 'backwardOf' ? scope.lastBackward(root) : undefined;
        if (g)
          for (const name of scope.names()) {
            const at = g.index.get((scope.get(name) as GraphNode).id);
            if (at !== undefined)
              lines.push(showLine(graphLabel(root, name), ref(root, name), g.grad[at], checks));
          }
        return lines;
      });
    }
    case 'explainExpr': {
      const { of, wrt } = s.ref;
      return [
        '# explain writes out the chain rule with the numbers put in; the value it arrives at is:',
        showLine(
          graphLabel(of.text, wrt?.text),
          ref(of.text, wrt?.text),
          ex.valueOf(s.ref),
          checks,
        ),
      ];
    }
    case 'expectExpr': {
      const { of, wrt } = s.ref;
      const label = graphLabel(of.text, wrt?.text);
      const tol = s.tolerance ?? EXPRESSION_TOLERANCE * Math.max(1, Math.abs(s.expected));
      return [
        showLine(label, ref(of.text, wrt?.text), ex.valueOf(s.ref), checks),
        `expect(${pyString(label)}, ${ref(of.text, wrt?.text)}, ${pyString(s.comparison)}, ` +
          `${pyNumber(s.expected)}${s.comparison === '=' ? `, ${pyNumber(tol)}` : ''})`,
      ];
    }
    case 'define':
      return defineLines(s, items, checks);
    case 'checkDerivative':
      return checkLines(s, ex, checks);
    case 'gradcheckExpr': {
      const root = s.name.text;
      const g = scope.lastBackward(root) as GraphGradients;
      const at = new Map(g.nodes.map((n, i) => [n.id, i]));
      const leaves = g.nodes.filter((n) => n.op === 'input');
      const nodes = g.nodes.map((n) =>
        n.op === 'input'
          ? `("input", ${leaves.indexOf(n)})`
          : n.op === 'const'
            ? `("const", ${pyNumber(n.value)})`
            : `(${pyString(n.op)}, ${n.inputs.map((i) => at.get(i.id)).join(', ')})`,
      );
      const lines = [
        `# gradcheck: the graph of ${root} node by node, its leaves at their values, through ` +
          `gradcheck_graph`,
        `agree = gradcheck_graph(${pyString(root)}, ` +
          `${JSON.stringify(leaves.map((n) => n.name ?? '?'))}, ` +
          `${pyList(leaves.map((n) => n.value))}, [${nodes.join(', ')}])`,
      ];
      for (const n of leaves)
        checks.push({
          label: `gradcheck ∂${root}/∂${n.name ?? '?'}`,
          value: g.grad[at.get(n.id) as number],
        });
      // as many as in the notebook (at a kink, relu(0) say, the two disagree there too)
      const table = items.find((i) => i.kind === 'table');
      const agree = table?.kind === 'table' ? agreeing(table.rows) : 0;
      lines.push(
        showLine('gradcheck leaves agreeing', 'agree', agree, checks),
        `assert agree == ${agree}, "gradcheck: not as many leaves agree as in the notebook"`,
      );
      return lines;
    }
    default:
      return unhandled(s);
  }
}

/** A statement kind the export's switch does not handle: a compile error (s is never). */
function unhandled(s: never): never {
  throw new Refused(`the statement \`${(s as { kind: string }).kind}\` has no PyTorch export yet`);
}

/** The Python of one statement that ran in the session (`st` is the state after it). */
async function statement(
  s: ast.Statement,
  before: Before,
  session: Session,
  items: ResultItem[],
  checks: ExportCheck[],
  opts: ExportOptions,
): Promise<string[]> {
  if (isExpressionStatement(s)) return expressionStatement(s, session, items, checks);
  const st = session.inspect();
  const need = (): NetState => {
    if (!st) throw new Refused('no network');
    return st;
  };
  switch (s.kind) {
    case 'error':
      return [];
    case 'network': {
      const net = need().net;
      lossForm(net, s.span);
      return [
        `net = nets[${pyString(st!.name)}] = Network(${pyString(st!.name)}, ` +
          `${JSON.stringify(net.sizes)}, ${activationsOf(net)}, bias=${pyBools(net.spec.bias)}` +
          `, loss=${pyString(net.spec.loss)}, reduction=${pyString(net.reduction)}, loss_node=` +
          `${lossNodeOf(net.spec) + 1})`,
        '# the notebook starts a network with xavier weights drawn by its own seeded generator ' +
          '(seed 1); they are:',
        ...setParameters(net),
      ];
    }
    case 'use':
      return [`net = nets[${pyString(s.name.text)}]`];
    case 'bias': {
      const net = need().net;
      return [
        `net = nets[${pyString(st!.name)}] = net.with_bias(${pyBools(net.spec.bias)})`,
        ...setParameters(net).filter((l) => l.startsWith('net.set_biases')),
      ];
    }
    case 'loss': {
      const net = need().net;
      lossForm(net, s.span);
      return [
        `net.loss, net.reduction, net.loss_node = ${pyString(net.spec.loss)}, ` +
          `${pyString(net.reduction)}, ${lossNodeOf(net.spec) + 1}`,
      ];
    }
    case 'assign': {
      const q = s.target;
      const v = pyNumber(s.value);
      if (q.kind === 'weight')
        return [
          'with torch.no_grad():',
          `    net.layers[${q.layer - 1}].weight[${q.to - 1}, ${q.from - 1}] = ${v}  # ${q.text} ` +
            `is layers[${q.layer - 1}].weight[${q.to}-1, ${q.from}-1]`,
        ];
      if (q.kind === 'bias')
        return [
          'with torch.no_grad():',
          `    net.layers[${q.layer - 2}].bias[${q.node - 1}] = ${v}  # ${q.text} is layers[` +
            `${q.layer - 2}].bias[${q.node}-1]`,
        ];
      if (q.kind === 'input') return [`net.x = tensor([${pyList(need().input!)}])`];
      if (q.kind === 'target') return [`net.t = tensor([${pyList(need().target!)}])`];
      throw new Refused(`${q.text} cannot be set`, q.span);
    }
    case 'weights':
      return [
        `net.set_weights(${s.layer}, ${pyMatrix(need().net.getWeightMatrix(s.layer))})  # row i, ` +
          `column j is w(i,j)[${s.layer}] = layers[${s.layer - 1}].weight[j-1, i-1]`,
      ];
    case 'weightsFrom':
      return [
        `# the notebook read these from ${s.path} (safetensors, a stack of nn.Linear: N.weight ` +
          `is [out, in]);`,
        `# in PyTorch: net.model.load_state_dict(safetensors.torch.load_file(${pyString(s.path)}` +
          `)) with matching keys`,
        ...setParameters(need().net),
      ];
    case 'biases':
      return [
        `net.set_biases(${s.layer}, ${pyList(Array.from(need().net.biases[s.layer - 2]))})  # bj[` +
          `${s.layer}] = layers[${s.layer - 2}].bias[j-1]`,
      ];
    case 'init':
      return [
        `# init ${s.method}: these numbers were drawn by the notebook's seeded generator ` +
          `(mulberry32, seed ${s.seed}); torch.manual_seed would draw others`,
        ...setParameters(need().net),
      ];
    case 'freeze':
      return [
        '# frozen parameters still get gradients but keep their value in every update (masks, ' +
          'since PyTorch freezes whole tensors only)',
        ...frozenChanges(before, need().net),
      ];
    case 'input':
      return [`net.x = tensor([${pyList(need().input!)}])`];
    case 'target':
      return [`net.t = tensor([${pyList(need().target!)}])`];
    case 'data': {
      const name = s.name?.text ?? 'data';
      const lines = [
        `tables[${pyString(name)}] = (tensor(${pyMatrix(s.rows.map((r) => r.inputs))}), tensor(` +
          `${pyMatrix(s.rows.map((r) => r.targets))}))`,
      ];
      if (!s.name && st) lines.push(`net.X, net.T = tables[${pyString(name)}]`);
      return lines;
    }
    case 'dataset': {
      const d = need().dataset!;
      const src = s.source;
      if (src.kind === 'named') return [`net.X, net.T = tables[${pyString(src.name.text)}]`];
      if (src.kind === 'csv') {
        const text = opts.readTextFile ? await opts.readTextFile(src.path) : '';
        const rowsInFile = text.split(/\r?\n/).filter((l) => l.trim() !== '').length;
        const header = src.header ?? rowsInFile > d.inputs.length;
        return [
          `net.X, net.T = read_csv(${pyString(src.path)}, inputs=${d.inputs[0].length}, targets=` +
            `${d.targets[0].length}, header=${header ? 'True' : 'False'})`,
        ];
      }
      return [
        datasetComment(src, src.n ?? 200, src.noise ?? 0.1, src.seed ?? 1),
        `net.X = tensor(${pyMatrix(d.inputs)})`,
        `net.T = tensor(${pyMatrix(d.targets)})`,
      ].filter(Boolean);
    }
    case 'forward':
      return [`net.forward(${xt(need()).X})`];
    case 'backward': {
      const cur = need();
      checkLoss(cur, s.span);
      if (before.hadFwd && before.hadUpd)
        throw new Refused(
          'backward right after update reuses the forward pass of the old weights; write ' +
            '`forward` before it to export',
        );
      const { X, T } = xt(cur);
      return [
        ...(before.hadFwd ? [] : [`net.forward(${X})`]),
        `net.backward(${T})`,
        showLine('E', 'net.E.item()', cur.rec.back!.loss, checks),
      ];
    }
    case 'update':
    case 'step': {
      const cur = need();
      checkLoss(cur, s.span);
      return updateLines(s, before, cur, session, checks);
    }
    case 'train': {
      const cur = need();
      checkLoss(cur, s.span);
      if (before.stale)
        throw new Refused(
          'train with the stale-weights mistake is not exported (update and step are)',
          s.span,
        );
      const { X, T } = xt(cur);
      const lines = [trainCall(s, X, T)];
      const said = items.flatMap((i) => (i.kind === 'message' ? [partsText(i.text)] : []));
      const counts = said
        .map((t) => /^trained (\d+) epochs?(?: and \d+ of \d+ rows)? \((\d+) steps?/.exec(t))
        .find((m) => m);
      if (!counts) throw new Refused('the notebook did not report the training run');
      lines.push(showLine('epochs run', 'net.epochs_run', Number(counts[1]), checks));
      lines.push(showLine('steps run', 'net.steps_run', Number(counts[2]), checks));
      const log = items.find((i) => i.kind === 'table' && i.title.startsWith('loss every'));
      if (log && log.kind === 'table' && s.log) {
        lines.push(
          `for e, E in net.logged:  # E every ${s.log} epochs, and at the end`,
          `    show(epoch_label(e), E)`,
        );
        for (const row of log.rows)
          checks.push({
            label: epochLabel(row[0] as number),
            value: decodeNumber(row[1] as number),
          });
      }
      lines.push(
        '# the notebook records one full pass with the trained weights, so E, δ and ∂E/∂w ' +
          'can be shown',
        `net.forward(${X})`,
        `net.backward(${T})`,
        showLine('E', 'net.E.item()', cur.rec.back!.loss, checks),
      );
      return lines;
    }
    case 'show':
      return s.targets.flatMap((t) => showTarget(t, need(), session, items, checks));
    case 'explain': {
      const cur = need();
      const { expr, value } = quantity(s.quantity, cur, session, s.quantity.span);
      return [
        '# explain writes out the chain rule with the numbers put in; the value it arrives at is:',
        showLine(gradLabel(s.quantity.text), expr, value, checks),
      ];
    }
    case 'gradcheck': {
      const cur = need();
      checkLoss(cur, s.span);
      const table = items.find((i) => i.kind === 'table');
      const rows = table && table.kind === 'table' ? table.rows : [];
      const { X, T } = xt(cur);
      return [
        `agree, total = net.gradcheck(${X}, ${T}, eps=` +
          `${pyNumber(s.eps ?? GRADCHECK_DEFAULTS.eps)}, tol=` +
          `${pyNumber(s.tol ?? GRADCHECK_DEFAULTS.tol)}, atol=${pyNumber(GRADCHECK_ATOL)})`,
        showLine('gradcheck parameters', 'total', rows.length, checks),
        showLine('gradcheck parameters agreeing', 'agree', agreeing(rows), checks),
        'assert agree == total, "gradcheck failed"',
      ];
    }
    case 'expect': {
      const cur = need();
      const { expr, value } = quantity(s.quantity, cur, session, s.quantity.span);
      const label = gradLabel(s.quantity.text);
      const tol = s.tolerance ?? defaultTolerance(s.value);
      return [
        showLine(label, expr, value, checks),
        `expect(${pyString(label)}, ${expr}, ${pyString(s.comparison)}, ${pyNumber(s.value)}` +
          `${s.comparison === '=' ? `, ${pyNumber(tol)}` : ''})`,
      ];
    }
    case 'mistake':
      return [
        `net.stale_weights = ${s.on ? 'True' : 'False'}  # update and step: see ` +
          `Network.update_stale`,
      ];
    default:
      return unhandled(s);
  }
}

function showTarget(
  t: ast.ShowTarget,
  st: NetState,
  session: Session,
  items: ResultItem[],
  checks: ExportCheck[],
): string[] {
  if (t.kind === 'quantity') {
    const q = t.quantity;
    const { expr, value } = quantity(q, st, session, q.span);
    const lines = [showLine(gradLabel(q.text), expr, value, checks)];
    const v = session.valueOf(q);
    if (v?.gradient !== undefined && (q.kind === 'weight' || q.kind === 'bias')) {
      const g: ast.QuantityRef =
        q.kind === 'weight'
          ? { kind: 'weightGrad', layer: q.layer, from: q.from, to: q.to }
          : { kind: 'biasGrad', layer: q.layer, node: q.node };
      pushAll(lines, showRefs([g], st, session, checks, q.span));
    }
    return lines;
  }
  const net = st.net;
  switch (t.group) {
    case 'weights':
      return showRefs(
        parameterRefs(net, t.layer).filter((q) => q.kind === 'weight'),
        st,
        session,
        checks,
        t.span,
      );
    case 'biases':
      return showRefs(
        parameterRefs(net).filter(
          (q) => q.kind === 'bias' && (t.layer === undefined || q.layer === t.layer),
        ),
        st,
        session,
        checks,
        t.span,
      );
    case 'preactivations':
      return showRefs(nodeRefs(net, 'preActivation', t.layer), st, session, checks, t.span);
    case 'activations':
      return showRefs(nodeRefs(net, 'activation', t.layer), st, session, checks, t.span);
    case 'deltas':
      return showRefs(nodeRefs(net, 'delta', t.layer), st, session, checks, t.span);
    case 'gradients':
      return showRefs(gradRefs(net, t.layer), st, session, checks, t.span);
    case 'loss':
      return showRefs([{ kind: 'loss' }], st, session, checks, t.span);
    case 'network': {
      const refs = parameterRefs(net);
      if (st.rec.fwd) pushAll(refs, nodeRefs(net, 'activation'));
      if (st.rec.back) pushAll(refs, nodeRefs(net, 'delta'));
      return showRefs(refs, st, session, checks, t.span);
    }
    case 'loss curve': {
      const curve = st.lossCurve!;
      for (const [epoch, loss] of curve.points)
        checks.push({ label: epochLabel(epoch), value: decodeNumber(loss) });
      return ['for e, E in net.history:', '    show(epoch_label(e), E)'];
    }
    case 'boundary': {
      const item = items.find((i) => i.kind === 'boundary');
      if (!item || item.kind !== 'boundary') throw new Refused('no decision boundary', t.span);
      const n = item.resolution;
      const [x0, x1] = item.xRange;
      const [y0, y1] = item.yRange;
      checks.push(
        { label: 'boundary x from', value: x0 },
        { label: 'boundary x to', value: x1 },
        { label: 'boundary y from', value: y0 },
        { label: 'boundary y to', value: y1 },
      );
      for (let r = 0; r < n; r++)
        checks.push({
          label: `boundary row ${r + 1}`,
          value: item.values.slice(r * n, (r + 1) * n).map((v) => decodeNumber(v)),
        });
      return [
        `# the first output over a ${n} × ${n} grid covering the data: row r is y, column c is x`,
        `(x0, x1, y0, y1), grid = net.boundary(${st.dataset ? 'net.X' : 'None'}, ${n})`,
        'show("boundary x from", x0)',
        'show("boundary x to", x1)',
        'show("boundary y from", y0)',
        'show("boundary y to", y1)',
        `for r in range(${n}):`,
        '    show_row(f"boundary row {r + 1}", grid[r].tolist())',
      ];
    }
    case 'data': {
      const d = st.dataset!;
      d.inputs.forEach((x, r) =>
        checks.push({ label: `row ${r + 1}`, value: [...x, ...d.targets[r]] }),
      );
      return [
        'for r in range(net.X.shape[0]):',
        '    show_row(f"row {r + 1}", net.X[r].tolist() + net.T[r].tolist())',
      ];
    }
  }
}

/** The whole export as one Python script: the helpers, then every cell (markdown as comments). */
export function toScript(cells: readonly ExportedCell[], title: string): string {
  const parts = [
    `# ${title}, exported from Backprop Notebook as PyTorch (float64).`,
    '# Run it with: python3 this-file.py   (needs torch; prints every number the notebook shows,',
    '# and each expect of the notebook is an assert).',
    '',
    PYTORCH_PRELUDE,
    'nets, tables = {}, {}',
  ];
  cells.forEach((cell, n) => {
    parts.push('', `# %% cell ${n + 1}${cell.kind === 'markdown' ? ' (markdown)' : ''}`);
    if (cell.kind === 'markdown')
      pushAll(
        parts,
        cell.source.split('\n').map((l) => `# ${l}`.trimEnd()),
      );
    else parts.push(`print(${pyString(`## cell ${n + 1}`)})`, cell.source);
  });
  return parts.join('\n') + '\n';
}

/**
 * The export as a Jupyter notebook (nbformat 4): a first cell with the helpers, then one cell per
 * cell.
 */
export function toIpynb(cells: readonly ExportedCell[], title: string): string {
  const lines = (text: string) => {
    const all = text.split('\n');
    return all.map((l, i) => (i < all.length - 1 ? l + '\n' : l)).filter((l) => l !== '');
  };
  const code = (source: string) => ({
    cell_type: 'code',
    execution_count: null,
    metadata: {},
    outputs: [],
    source: lines(source),
  });
  const nb = {
    nbformat: 4,
    nbformat_minor: 4,
    metadata: {
      kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' },
      language_info: { name: 'python' },
    },
    cells: [
      {
        cell_type: 'markdown',
        metadata: {},
        source: lines(
          `*${title}, exported from Backprop Notebook as PyTorch (float64). The first code cell ` +
            `holds the helpers; each cell after it is one cell of the notebook, and each ` +
            `expect is an assert.*`,
        ),
      },
      code(PYTORCH_PRELUDE + '\nnets, tables = {}, {}'),
      ...cells.map((cell) =>
        cell.kind === 'markdown'
          ? { cell_type: 'markdown', metadata: {}, source: lines(cell.source) }
          : code(cell.source),
      ),
    ],
  };
  return JSON.stringify(nb, null, 1) + '\n';
}
