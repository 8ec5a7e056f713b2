/**
 * A notebook session: the state earlier cells built (networks, data, the last passes) and
 * `runCell`, which parses, validates and runs one cell against it. Pure: the host lends
 * cancellation, yielding, progress and file reading through RunHost.
 */
import { createNetwork, initialise, type Network } from '../engine/network';
import { forward, backward, update, backwardAndUpdate } from '../engine/passes';
import type { Activation, NetworkSpec } from '../engine/types';
import { parse } from '../language/parser';
import { validate, type NetworkShape, type SessionNames } from '../language/validate';
import { formatDiagnostic, offsetToLineCol, type Diagnostic } from '../language/diagnostics';
import type * as ast from '../language/ast';
import {
  activationParameter,
  DEFAULT_ACTIVATION,
  DEFAULT_LEARNING_RATE,
  DEFAULT_RELATIVE_TOLERANCE,
  DATASET_DEFAULTS,
  type ActivationName,
} from '../language/vocabulary';
import {
  encodeNumber,
  type BoundaryItem,
  type DerivationItem,
  type LossCurveItem,
  type NetworkSnapshot,
  type ResultItem,
  type TableItem,
  type TimelineItem,
} from '../protocol/results';
import { builtinDataset, checkRows, parseCsvDataset, DataError, type Dataset } from './datasets';
import { gradientTable, nodeTable, snapshot, table, weightTables, type Records } from './present';
import { quantityValue } from './quantities';
import { explainParameter, networkItem } from './derive';
import { runExplain, runGradcheck, runTrain, boundaryItem, lossLabel } from './actions';
import type { CellProblem, CellRun, RunHost } from './types';
import { StatementError, fmt } from './errors';
import { applyWeights, checkWeights, weightsOf, type WeightsFile } from './weights';
import { ExpressionWorkspace } from './expressionRunner';
import { isExpressionStatement } from '../language/exprValidate';

export interface SessionOptions {
  /** refuse networks needing more memory than this */
  maxBytes?: number;
}

/** One named network and everything recorded about it. */
export interface NetState {
  name: string;
  net: Network;
  rec: Records;
  input?: number[];
  target?: number[];
  dataset?: Dataset;
  /** which was set last: forward/backward use it */
  source?: 'sample' | 'dataset';
  lr: number;
  staleWeightsMistake: boolean;
  /** where the current weights came from, for the cell summary */
  weightsFrom: string;
  lossCurve?: LossCurveItem;
  boundary?: BoundaryItem;
  /** evenly spaced snapshots of the last training run */
  timeline?: TimelineItem[];
}

export interface Ctx {
  host: RunHost;
  /** set by statements that define or change the network, its parameters or its sample */
  defined?: boolean;
  items: ResultItem[];
  expectations: { total: number; failed: number };
}

export class Session {
  private readonly networks = new Map<string, NetState>();
  /** named values, expressions and user-defined activations and losses */
  readonly expressions = new ExpressionWorkspace();
  /** the text of the cell running (expression spans point into it) */
  private cellText = '';
  private current?: NetState;
  private readonly tables = new Map<string, Dataset>();
  readonly maxBytes: number;

  constructor(opts: SessionOptions = {}) {
    this.maxBytes = opts.maxBytes ?? 256 * 1024 * 1024;
  }

  /** The current network's shape, for validation, completion and hovers. */
  shape(): NetworkShape | undefined {
    return this.current ? shapeOf(this.current.net) : undefined;
  }

  /** Networks and data tables earlier cells defined, for validation. */
  names(): SessionNames {
    const networks: Record<string, NetworkShape> = {};
    this.networks.forEach((st, name) => (networks[name] = shapeOf(st.net)));
    return { networks, dataNames: [...this.tables.keys()], expressions: this.expressions.names() };
  }

  /** The current network with its last recorded numbers, for the panel. */
  snapshot(): NetworkSnapshot | undefined {
    const st = this.current;
    return st ? snapshot(st.name, st.net, st.rec, lossLabel(st.net)) : undefined;
  }

  lastTraining():
    { lossCurve?: LossCurveItem; boundary?: BoundaryItem; timeline?: TimelineItem[] } | undefined {
    const st = this.current;
    return st && (st.lossCurve || st.boundary)
      ? { lossCurve: st.lossCurve, boundary: st.boundary, timeline: st.timeline }
      : undefined;
  }

  /** The derivation of a parameter's gradient for the panel (what `explain` gives), or why there is none. */
  explainParameter(param: string): DerivationItem | string {
    return this.current ? explainParameter(this.current, param) : 'no network yet';
  }

  /** Value (and gradient) of a quantity written in the seed's notation, or undefined. */
  valueOf(q: ast.QuantityRef): { value: number; gradient?: number } | undefined {
    const st = this.current;
    if (!st) return undefined;
    try {
      const v = quantityValue(st, q);
      return typeof v === 'string' ? undefined : v;
    } catch {
      return undefined;
    }
  }

  /** The current network's state as the last statement left it, read-only (for the PyTorch export). */
  inspect(): Readonly<NetState> | undefined {
    return this.current;
  }

  /** The current network's weights and biases as JSON (see weights.ts), or undefined with no network. */
  exportWeights(): WeightsFile | undefined {
    return this.current ? weightsOf(this.current.name, this.current.net) : undefined;
  }

  /** Replaces the current network's weights and biases from JSON; nothing changes unless all of it fits. */
  importWeights(json: unknown): { ok: true } | { ok: false; error: string } {
    const st = this.current;
    if (!st) return { ok: false, error: 'no network yet: run a cell that defines one first' };
    const error = checkWeights(json, st.net);
    if (error) return { ok: false, error };
    applyWeights(json as WeightsFile, st.net);
    st.rec = {};
    return { ok: true };
  }

  async runCell(text: string, host: RunHost): Promise<CellRun> {
    this.cellText = text;
    const { program, diagnostics } = parse(text);
    const problems = [...diagnostics, ...validate(program, this.shape(), this.names())].map((d) =>
      toProblem(text, d),
    );
    const ctx: Ctx = { host, items: [], expectations: { total: 0, failed: 0 } };
    if (problems.some((p) => p.severity === 'error'))
      return { ok: false, cancelled: false, items: [], problems, expectations: ctx.expectations };
    for (const statement of program.statements) {
      try {
        if (host.isCancelled())
          return {
            ok: false,
            cancelled: true,
            items: ctx.items,
            problems,
            expectations: ctx.expectations,
          };
        await this.run(statement, ctx);
      } catch (e) {
        // anything else is a bug or a failing host; it still stays in this cell, at this statement
        const known =
          e instanceof StatementError || e instanceof DataError || e instanceof RangeError;
        const message = known
          ? e.message
          : `internal error: ${e instanceof Error ? e.message : String(e)}`;
        const span = e instanceof StatementError && e.span ? e.span : statement.span;
        problems.push(problemAt(text, span, message));
        return {
          ok: false,
          cancelled: false,
          items: ctx.items,
          problems,
          expectations: ctx.expectations,
        };
      }
    }
    if (ctx.defined && this.current)
      ctx.items.unshift({ kind: 'message', level: 'info', text: summary(this.current) });
    let cancelled: boolean;
    try {
      cancelled = host.isCancelled();
    } catch {
      cancelled = true;
    }
    return {
      ok: !cancelled && ctx.expectations.failed === 0,
      cancelled,
      items: ctx.items,
      problems,
      expectations: ctx.expectations,
    };
  }

  private need(): NetState {
    if (!this.current)
      throw new StatementError(
        'no network yet: define one with `network 2 -> 3 sigmoid -> 1 sigmoid`',
      );
    return this.current;
  }

  private build(spec: NetworkSpec): Network {
    const made = createNetwork(spec, { maxBytes: this.maxBytes });
    if (!made.ok) throw new StatementError(made.error.message);
    return made.value;
  }

  /** Rebuilds the current network with a changed spec, keeping every weight (and bias that still exists). */
  private respec(st: NetState, change: (spec: NetworkSpec) => void): void {
    const spec: NetworkSpec = {
      ...st.net.spec,
      activations: st.net.spec.activations.map((a) => ({ ...a })),
      bias: st.net.spec.bias.slice(),
    };
    change(spec);
    const next = this.build(spec);
    st.net.weights.forEach((w, m) => next.weights[m].set(w));
    st.net.biases.forEach((b, m) => {
      if (spec.bias[m]) next.biases[m].set(b);
    });
    st.net = next;
    st.rec = {};
  }

  /** A layer's user-defined activation: one more record of the registry, built from its definition. */
  private userActivation(name: string, span: ast.Span): Activation {
    const user = this.expressions.activation(name);
    if (!user)
      throw new StatementError(
        `no activation named '${name}': define it with activation ${name}(z) = …`,
        span,
      );
    return { kind: name, user };
  }

  private async run(s: ast.Statement, ctx: Ctx): Promise<void> {
    if (isExpressionStatement(s))
      return this.expressions.run(s, {
        items: ctx.items,
        expectations: ctx.expectations,
        text: this.cellText,
      });
    const say = (text: string) => ctx.items.push({ kind: 'message', level: 'info', text });
    if (DEFINING.has(s.kind)) ctx.defined = true;
    switch (s.kind) {
      case 'error':
        return;
      case 'network': {
        const activations: Activation[] = s.layers.slice(1).map((l) => {
          if (l.activation?.userDefined)
            return this.userActivation(l.activation.name, l.activation.span);
          const kind = (l.activation?.name ?? DEFAULT_ACTIVATION) as ActivationName;
          const parameter = activationParameter(kind);
          return parameter ? { kind, alpha: l.activation?.alpha ?? parameter.default } : { kind };
        });
        const out = activations[activations.length - 1].kind;
        const spec: NetworkSpec = {
          sizes: s.layers.map((l) => l.size),
          activations,
          bias: activations.map(() => true),
          loss: out === 'softmax' ? 'cross-entropy' : 'half-squared',
        };
        const net = this.build(spec);
        initialise(net, { method: 'xavier', seed: 1 });
        const name = s.name?.text ?? 'net';
        const st: NetState = {
          name,
          net,
          rec: {},
          lr: DEFAULT_LEARNING_RATE,
          staleWeightsMistake: false,
          weightsFrom: 'xavier, seed 1 (the default)',
        };
        this.networks.set(name, st);
        this.current = st;
        return;
      }
      case 'use': {
        const st = this.networks.get(s.name.text);
        if (!st)
          throw new StatementError(
            `no network named "${s.name.text}" (defined: ${[...this.networks.keys()].join(', ') || 'none'})`,
            s.name.span,
          );
        this.current = st;
        say(`using network ${st.name}: ${describe(st.net)}`);
        return;
      }
      case 'bias': {
        const st = this.need();
        this.respec(st, (spec) =>
          spec.bias.forEach((_, m) =>
            s.layer === undefined || s.layer === m + 2 ? (spec.bias[m] = s.on) : undefined,
          ),
        );
        return;
      }
      case 'loss': {
        const st = this.need();
        this.respec(st, (spec) => {
          spec.loss = s.loss;
          if (s.reduction) spec.reduction = s.reduction;
        });
        return;
      }
      case 'assign':
        return this.assign(s);
      case 'weights': {
        const st = this.need();
        st.net.setWeightMatrix(s.layer, s.rows);
        st.rec = {};
        st.weightsFrom = 'set by hand';
        return;
      }
      case 'biases': {
        const st = this.need();
        if (!st.net.hasBias(s.layer))
          throw new StatementError(
            `layer L${s.layer} has no biases: write \`bias on ${s.layer}\` first`,
          );
        s.values.forEach((v, j) => st.net.setBias(s.layer, j + 1, v));
        st.rec = {};
        return;
      }
      case 'init': {
        const st = this.need();
        initialise(st.net, { method: s.method, seed: s.seed, range: s.range });
        st.rec = {};
        st.weightsFrom = `${s.method}${s.range !== undefined ? ` ±${s.range}` : ''}, seed ${s.seed}`;
        return;
      }
      case 'freeze': {
        const st = this.need();
        const t = s.target;
        const refs =
          t.kind === 'quantity'
            ? t.quantity.kind === 'weight'
              ? [
                  {
                    kind: 'weight' as const,
                    layer: t.quantity.layer,
                    from: t.quantity.from,
                    to: t.quantity.to,
                  },
                ]
              : t.quantity.kind === 'bias'
                ? [{ kind: 'bias' as const, layer: t.quantity.layer, node: t.quantity.node }]
                : []
            : t.kind === 'all'
              ? st.net.weights.map((_, m) => ({ kind: 'layer' as const, layer: m + 2 }))
              : [{ kind: t.kind, layer: t.layer }];
        if (refs.length === 0) throw new StatementError('only weights and biases can be frozen');
        refs.forEach((r) => (s.frozen ? st.net.freeze(r) : st.net.unfreeze(r)));
        return;
      }
      case 'input': {
        const st = this.need();
        st.input = s.values.slice();
        st.source = 'sample';
        st.rec = {};
        return;
      }
      case 'target': {
        const st = this.need();
        st.target = s.values.slice();
        st.source = 'sample';
        return;
      }
      case 'data': {
        const data = checkRows(
          s.name?.text ?? 'data',
          s.rows.map((r) => r.inputs),
          s.rows.map((r) => r.targets),
        );
        this.tables.set(data.name, data);
        if (!s.name && this.current) this.setDataset(this.current, data);
        say(
          `data ${data.name}: ${data.inputs.length} rows, ${plural(data.inputs[0].length, 'input')}, ${plural(data.targets[0].length, 'target')}`,
        );
        return;
      }
      case 'dataset':
        return this.dataset(s, ctx);
      case 'forward': {
        const st = this.need();
        this.forward(st);
        ctx.items.push(...nodeTable(st.net, st.rec, 'all'));
        return;
      }
      case 'backward': {
        const st = this.need();
        if (!st.rec.fwd) this.forward(st);
        st.rec = { fwd: st.rec.fwd, back: backward(st.net, st.rec.fwd!, this.targets(st)) };
        ctx.items.push(...nodeTable(st.net, st.rec, 'delta'));
        say(
          `E = ${fmt(st.rec.back!.loss)} (${lossLabel(st.net)}${st.rec.back!.batchSize > 1 ? `, ${st.rec.back!.reduction} over ${st.rec.back!.batchSize} samples` : ''})`,
        );
        return;
      }
      case 'update': {
        const st = this.need();
        if (!st.rec.back || st.rec.upd)
          throw new StatementError(
            'run `backward` first: update uses the gradients of the last backward pass',
          );
        this.applyUpdate(st, s.learningRate ?? st.lr, ctx);
        return;
      }
      case 'step': {
        const st = this.need();
        this.forward(st);
        st.rec = { fwd: st.rec.fwd, back: backward(st.net, st.rec.fwd!, this.targets(st)) };
        this.applyUpdate(st, s.learningRate ?? st.lr, ctx);
        return;
      }
      case 'train':
        return runTrain(this.need(), s, ctx, this.maxBytes);
      case 'show':
        s.targets.forEach((t) => this.show(t, ctx));
        return;
      case 'explain':
        return runExplain(this.needRecords(), s, ctx);
      case 'gradcheck': {
        const st = this.need();
        const x = st.source === 'dataset' && st.dataset ? st.dataset.inputs : st.input;
        if (!x)
          throw new StatementError('gradcheck needs an input: set `input x = [...]` or a dataset');
        return runGradcheck(st, x, this.targets(st), s, ctx);
      }
      case 'expect':
        return this.expect(s, ctx);
      case 'mistake': {
        const st = this.need();
        st.staleWeightsMistake = s.on;
        say(
          s.on
            ? 'teaching switch ON: `update` and `step` now make the classic mistake of updating each layer before propagating δ through it'
            : 'teaching switch off: every δ uses the weights from before the update',
        );
        return;
      }
    }
  }

  private assign(s: ast.AssignStatement): void {
    const st = this.need();
    const q = s.target;
    if ((q.kind === 'weight' || q.kind === 'bias') && !st.weightsFrom.includes('by hand'))
      st.weightsFrom += ', some set by hand';
    if (q.kind === 'weight') st.net.setWeight(q.layer, q.from, q.to, s.value);
    else if (q.kind === 'bias') {
      if (!st.net.hasBias(q.layer))
        throw new StatementError(
          `layer L${q.layer} has no biases: write \`bias on ${q.layer}\` first`,
          q.span,
        );
      st.net.setBias(q.layer, q.node, s.value);
    } else if (q.kind === 'input') {
      st.input = st.input ?? new Array(st.net.sizes[0]).fill(0);
      st.input[q.node - 1] = s.value;
      st.source = 'sample';
    } else if (q.kind === 'target') {
      st.target = st.target ?? new Array(st.net.sizes[st.net.layerCount - 1]).fill(0);
      st.target[q.node - 1] = s.value;
    } else
      throw new StatementError(
        `${q.text} is computed, not set: only weights, biases, inputs and targets can be assigned`,
        q.span,
      );
    st.rec = {};
  }

  private setDataset(st: NetState, data: Dataset): void {
    const nIn = st.net.sizes[0],
      nOut = st.net.sizes[st.net.layerCount - 1];
    if (data.inputs[0].length !== nIn || data.targets[0].length !== nOut) {
      throw new StatementError(
        `dataset ${data.name} has ${data.inputs[0].length} inputs and ${data.targets[0].length} targets; the network needs ${nIn} and ${nOut}`,
      );
    }
    st.dataset = data;
    st.source = 'dataset';
    st.rec = {};
  }

  private async dataset(s: ast.DatasetStatement, ctx: Ctx): Promise<void> {
    const st = this.need();
    const src = s.source;
    let data: Dataset;
    if (src.kind === 'builtin') {
      data = builtinDataset(
        src.name,
        src.n ?? DATASET_DEFAULTS.n,
        src.noise ?? DATASET_DEFAULTS.noise,
        src.seed ?? DATASET_DEFAULTS.seed,
      );
    } else if (src.kind === 'named') {
      const found = this.tables.get(src.name.text);
      if (!found) throw new StatementError(`no data named "${src.name.text}"`, src.name.span);
      data = found;
    } else {
      if (!ctx.host.readTextFile)
        throw new StatementError('reading files is not available here', src.pathSpan);
      let text: string;
      try {
        text = await ctx.host.readTextFile(src.path);
      } catch (e) {
        throw new StatementError(
          `cannot read "${src.path}": ${e instanceof Error ? e.message : String(e)}`,
          src.pathSpan,
        );
      }
      data = parseCsvDataset(src.path, text, {
        inputs: src.inputs,
        targets: src.targets,
        header: src.header,
      });
    }
    this.setDataset(st, data);
    ctx.items.push({
      kind: 'message',
      level: 'info',
      text: `dataset ${data.name}: ${data.inputs.length} rows, ${plural(data.inputs[0].length, 'input')}, ${plural(data.targets[0].length, 'target')}`,
    });
  }

  private forward(st: NetState): void {
    const x = st.source === 'dataset' && st.dataset ? st.dataset.inputs : st.input;
    if (!x)
      throw new StatementError('no input yet: set one with `input x = [...]` or choose a dataset');
    st.rec = { fwd: forward(st.net, x) };
  }

  private targets(st: NetState): number[] | number[][] {
    if (st.source === 'dataset' && st.dataset) return st.dataset.targets;
    if (!st.target) throw new StatementError('no target yet: set one with `target t = [...]`');
    return st.target;
  }

  private needRecords(): NetState {
    const st = this.need();
    if (!st.rec.back)
      throw new StatementError(
        'run `forward` and `backward` first: explain shows the numbers of the last backward pass',
      );
    return st;
  }

  private applyUpdate(st: NetState, lr: number, ctx: Ctx): void {
    st.lr = lr;
    if (st.staleWeightsMistake) {
      const right = backward(st.net, st.rec.fwd!, this.targets(st));
      const { back, upd } = backwardAndUpdate(st.net, st.rec.fwd!, this.targets(st), {
        lr,
        updateBeforePropagating: true,
      });
      st.rec = { fwd: st.rec.fwd, back, upd };
      ctx.items.push({
        kind: 'message',
        level: 'warning',
        text: 'mistake stale-weights is on: hidden deltas below were propagated through weights that had already been updated',
      });
      const titled = (items: TableItem[], title: string) =>
        items.map((item) => ({ ...item, title }));
      ctx.items.push(
        ...titled(
          nodeTable(st.net, { fwd: st.rec.fwd, back: right }, 'delta'),
          'deltas δ, computed correctly (pre-update weights)',
        ),
      );
      ctx.items.push(
        ...titled(
          nodeTable(st.net, st.rec, 'delta'),
          'deltas δ, computed with the mistake (updated weights)',
        ),
      );
    } else {
      st.rec = { ...st.rec, upd: update(st.net, st.rec.back!, { lr }) };
    }
    ctx.items.push(...gradientTable(st.net, st.rec, lr));
  }

  private show(t: ast.ShowTarget, ctx: Ctx): void {
    const st = this.need();
    if (t.kind === 'quantity') {
      const v = quantityValue(st, t.quantity);
      if (typeof v === 'string')
        throw new StatementError(`${t.quantity.text}: ${v}`, t.quantity.span);
      const extra =
        v.gradient !== undefined ? `   (∂E/∂${t.quantity.text} = ${fmt(v.gradient)})` : '';
      ctx.items.push({
        kind: 'message',
        level: 'info',
        text: `${t.quantity.text} = ${fmt(v.value)}${extra}`,
      });
      return;
    }
    const { net, rec } = st;
    const needFwd = () => {
      if (!rec.fwd) throw new StatementError('run `forward` first', t.span);
    };
    const needBack = () => {
      if (!rec.back) throw new StatementError('run `backward` first', t.span);
    };
    switch (t.group) {
      case 'weights':
        ctx.items.push(...weightTables(net, t.layer));
        return;
      case 'biases':
        ctx.items.push(...weightTables(net, t.layer, true));
        return;
      case 'preactivations':
        needFwd();
        ctx.items.push(...nodeTable(net, rec, 'z', t.layer));
        return;
      case 'activations':
        needFwd();
        ctx.items.push(...nodeTable(net, rec, 'a', t.layer));
        return;
      case 'deltas':
        needBack();
        ctx.items.push(...nodeTable(net, rec, 'delta', t.layer));
        return;
      case 'gradients':
        needBack();
        ctx.items.push(...gradientTable(net, rec, st.lr, t.layer));
        return;
      case 'loss': {
        const v = quantityValue(st, { kind: 'loss' });
        if (typeof v === 'string') throw new StatementError(v, t.span);
        ctx.items.push({
          kind: 'message',
          level: 'info',
          text: `E = ${fmt(v.value)} (${lossLabel(net)})`,
        });
        return;
      }
      case 'network':
        ctx.items.push(networkItem(st, lossLabel(net)));
        return;
      case 'loss curve':
        if (!st.lossCurve) throw new StatementError('no training yet: run `train` first', t.span);
        ctx.items.push(st.lossCurve);
        return;
      case 'boundary':
        if (net.sizes[0] !== 2)
          throw new StatementError(
            `a decision boundary needs a 2-input network; this one has ${net.sizes[0]} inputs`,
            t.span,
          );
        ctx.items.push(boundaryItem(net, st.dataset));
        return;
      case 'data': {
        const d = st.dataset;
        if (!d) throw new StatementError('no dataset yet', t.span);
        const rows = d.inputs.map((x, r) => [
          String(r + 1),
          ...x.map(encodeNumber),
          ...d.targets[r].map(encodeNumber),
        ]);
        const columns = [
          'row',
          ...d.inputs[0].map((_, i) => `x${i + 1}`),
          ...d.targets[0].map((_, j) => `t${j + 1}`),
        ];
        ctx.items.push(table(`dataset ${d.name}`, columns, rows));
        return;
      }
    }
  }

  private expect(s: ast.ExpectStatement, ctx: Ctx): void {
    const st = this.need();
    const v = quantityValue(st, s.quantity);
    if (typeof v === 'string')
      throw new StatementError(`${s.quantity.text}: ${v}`, s.quantity.span);
    const actual = v.value;
    const tol = s.tolerance ?? DEFAULT_RELATIVE_TOLERANCE * Math.max(1, Math.abs(s.value));
    const pass =
      s.comparison === '='
        ? Math.abs(actual - s.value) <= tol
        : s.comparison === '<'
          ? actual < s.value
          : s.comparison === '<='
            ? actual <= s.value
            : s.comparison === '>'
              ? actual > s.value
              : actual >= s.value;
    ctx.expectations.total++;
    if (!pass) ctx.expectations.failed++;
    ctx.items.push({
      kind: 'expect',
      quantity: s.quantity.text,
      comparison: s.comparison,
      expected: encodeNumber(s.value),
      tolerance: s.comparison === '=' ? tol : 0,
      actual: encodeNumber(actual),
      pass,
    });
  }
}

/** Statements after which a cell ends with a one-line summary of the network. */
const DEFINING = new Set<ast.Statement['kind']>([
  'network',
  'use',
  'bias',
  'loss',
  'assign',
  'weights',
  'biases',
  'init',
  'freeze',
  'input',
  'target',
]);

/** One line: the network, its loss, where its weights came from, and the current sample. */
function summary(st: NetState): string {
  const parts = [
    `network ${st.name}: ${describe(st.net)}`,
    `loss ${lossLabel(st.net)}`,
    `weights ${st.weightsFrom}`,
  ];
  if (st.net.hasFrozen()) parts.push('some parameters frozen');
  if (st.input) parts.push(`x = ${vector(st.input)}`);
  if (st.target) parts.push(`t = ${vector(st.target)}`);
  return parts.join(' · ');
}

/** A vector for a one-line message: all of a short one, the start of a long one. */
function vector(values: number[]): string {
  const shown = values.slice(0, 6).map(fmt).join(', ');
  return values.length > 6 ? `[${shown}, … (${values.length} values)]` : `[${shown}]`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The language's view of a network: bias[k-1] for layer k (the input layer has none). */
function shapeOf(net: Network): NetworkShape {
  return { sizes: net.sizes.slice(), bias: [false, ...net.spec.bias] };
}

function describe(net: Network): string {
  return (
    net.sizes
      .map((n, k) => (k === 0 ? `${n}` : `${n} ${net.spec.activations[k - 1].kind}`))
      .join(' -> ') + (net.spec.bias.some(Boolean) ? '' : ', no biases')
  );
}

function toProblem(text: string, d: Diagnostic): CellProblem {
  const { line, col } = offsetToLineCol(text, d.span.start);
  return {
    message: formatDiagnostic(d),
    code: d.code,
    severity: d.severity,
    start: d.span.start,
    end: d.span.end,
    line,
    column: col,
  };
}

/** A statement that failed while running (code BPNB900: runtime error). */
function problemAt(text: string, span: ast.Span, message: string): CellProblem {
  const { line, col } = offsetToLineCol(text, span.start);
  return {
    message,
    code: 'BPNB900',
    severity: 'error',
    start: span.start,
    end: span.end,
    line,
    column: col,
  };
}
