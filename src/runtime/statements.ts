/**
 * What each statement does when it runs: RUNNERS maps every kind of the AST's Statement to its
 * runner, typed so that a new kind does not compile until it has one (the language's validator
 * and completion have tables of their own, language/validate.ts and language/completion.ts).
 */
import { initialise } from '../engine/network';
import { forward, backward, update, backwardAndUpdate } from '../engine/passes';
import type { Activation, NetworkSpec } from '../engine/types';
import type { UserFunction } from '../engine/userDefined';
import type * as ast from '../language/ast';
import {
  activationParameter,
  DEFAULT_ACTIVATION,
  DEFAULT_LEARNING_RATE,
  DATASET_DEFAULTS,
  type ActivationName,
} from '../language/vocabulary';
import { encodeNumber, type TableItem } from '../protocol/results';
import { builtinDataset, checkRows, parseCsvDataset, type Dataset } from './datasets';
import { boundaryItem } from './boundary';
import { networkItem, updateText } from './derive';
import { backwardDiverged, undoDivergedUpdate } from './divergence';
import { expectItem } from './expect';
import { withPictures } from './nodeMaps';
import { runExplain, runGradcheck } from './inspect';
import { gradientTable, lossLabel, nodeTable, table, weightTables } from './present';
import { quantityValue, rowTable } from './quantities';
import { StatementError, fmt, plural } from './errors';
import { describe, inputsOf, targetsOf, type Ctx, type NetState, type Workspace } from './state';
import { runTrain } from './train';
import { pushAll } from '../protocol/extent';
import { loadSafetensors, MAX_SAFETENSORS_BYTES } from './safetensors';
import { codeSpans, plain } from '../protocol/text';
import type { TextPart } from '../protocol/results';

/** How one kind of statement runs, and what it means for the cell. */
export interface StatementRunner<S extends ast.Statement> {
  run(ws: Workspace, s: S, ctx: Ctx): void | Promise<void>;
  /** the cell ends with a one-line summary of the network after it */
  defines: boolean;
  /** it (re)builds the current network: its shape may change (the panel redraws it from scratch) */
  rebuilds: boolean;
  /**
   * it runs a backward pass (or trains): the Network panel shows what it computed (the code lens)
   */
  passes?: boolean;
  /**
   * it works on computation graphs only: it never reads the network, so no rebuild makes it stale
   */
  graphOnly?: boolean;
}

export type StatementRunners = {
  [K in ast.Statement['kind']]: StatementRunner<Extract<ast.Statement, { kind: K }>>;
};

/** An info message; a string is all text (the user's names in it taken as written). */
const say = (ctx: Ctx, text: string | TextPart[]) =>
  ctx.items.push({
    kind: 'message',
    level: 'info',
    text: typeof text === 'string' ? plain(text) : text,
  });

/** A runner that neither defines nor rebuilds the network. */
function act<S extends ast.Statement>(run: StatementRunner<S>['run']): StatementRunner<S> {
  return { run, defines: false, rebuilds: false };
}
/** A runner that runs a backward pass or trains. */
function passing<S extends ast.Statement>(run: StatementRunner<S>['run']): StatementRunner<S> {
  return { run, defines: false, rebuilds: false, passes: true };
}
/** A runner that sets something the cell summary shows. */
function defining<S extends ast.Statement>(
  run: StatementRunner<S>['run'],
  rebuilds = false,
): StatementRunner<S> {
  return { run, defines: true, rebuilds };
}

/**
 * A computation-graph statement (expressionRunner.ts): neither defines nor rebuilds the network.
 */
const expression: StatementRunner<ast.ExpressionStatement> = {
  ...act((ws, s, ctx) => ws.expressions.run(s, ctx)),
  graphOnly: true,
};

/**
 * The first statement of a program that runs a backward pass or trains (where the code lens goes).
 */
export function firstPass(program: ast.Program): ast.Statement | undefined {
  return program.statements.find((s) => RUNNERS[s.kind].passes === true);
}

export const RUNNERS: StatementRunners = {
  error: act(() => {}),
  let: expression,
  backwardOf: expression,
  showExpr: expression,
  explainExpr: expression,
  expectExpr: expression,
  gradcheckExpr: expression,
  define: expression,
  checkDerivative: expression,
  network: defining((ws, s) => defineNetwork(ws, s), true),
  use: defining((ws, s, ctx) => {
    const st = ws.networks.get(s.name.text);
    if (!st)
      throw new StatementError(
        'BPNB207',
        `no network named "${s.name.text}" (defined: ` +
          `${[...ws.networks.keys()].join(', ') || 'none'})`,
        s.name.span,
      );
    ws.current = st;
    say(ctx, `using network ${st.name}: ${describe(st.net)}`);
  }),
  bias: defining((ws, s) => {
    ws.respec(ws.need(), (spec) =>
      spec.bias.forEach((_, m) =>
        s.layer === undefined || s.layer === m + 2 ? (spec.bias[m] = s.on) : undefined,
      ),
    );
  }, true),
  loss: defining((ws, s) => {
    const user = s.userDefined ? userLoss(ws, s.userDefined) : undefined;
    ws.respec(ws.need(), (spec) => {
      spec.loss = s.loss;
      if (user) spec.userLoss = user;
      else delete spec.userLoss;
      if (s.node !== undefined) spec.lossNode = s.node;
      else delete spec.lossNode;
      if (s.reduction) spec.reduction = s.reduction;
    });
  }, true),
  assign: defining((ws, s) => assign(ws, s)),
  weights: defining((ws, s) => {
    const st = ws.need();
    st.net.setWeightMatrix(s.layer, s.rows);
    st.rec = {};
    st.weightsFrom = 'set by hand';
  }),
  weightsFrom: defining(async (ws, s, ctx) => {
    const st = ws.need();
    if (!ctx.host.readBinaryFile)
      throw new StatementError('BPNB303', 'reading files is not available here', s.pathSpan);
    let bytes: Uint8Array;
    try {
      bytes = await ctx.host.readBinaryFile(s.path, MAX_SAFETENSORS_BYTES);
    } catch (e) {
      throw new StatementError(
        'BPNB303',
        `cannot read "${s.path}": ${e instanceof Error ? e.message : String(e)}`,
        s.pathSpan,
      );
    }
    const result = loadSafetensors(bytes, s.path, st.net);
    if (!result.ok) throw new StatementError('BPNB304', result.error, s.pathSpan);
    st.rec = {};
    st.weightsFrom = `from ${s.path}`;
    say(ctx, result.message);
  }),
  biases: defining((ws, s) => {
    const st = ws.need();
    if (!st.net.hasBias(s.layer))
      throw new StatementError(
        'BPNB206',
        `layer L${s.layer} has no biases: write \`bias on ${s.layer}\` first`,
      );
    s.values.forEach((v, j) => st.net.setBias(s.layer, j + 1, v));
    st.rec = {};
  }),
  init: defining((ws, s) => {
    const st = ws.need();
    initialise(st.net, { method: s.method, seed: s.seed, range: s.range });
    st.rec = {};
    // zeros draws nothing: no seed is involved
    st.weightsFrom =
      s.method === 'zeros'
        ? 'zeros'
        : `${s.method}${s.range !== undefined ? ` ±${s.range}` : ''}, seed ${s.seed}`;
  }),
  freeze: defining((ws, s) => freeze(ws.need(), s)),
  input: defining((ws, s) => {
    const st = ws.need();
    st.input = s.values.slice();
    st.source = 'sample';
    st.rec = {};
  }),
  target: defining((ws, s) => {
    const st = ws.need();
    st.target = s.values.slice();
    st.source = 'sample';
  }),
  data: act((ws, s, ctx) => {
    const data = checkRows(
      s.name?.text ?? 'data',
      s.rows.map((r) => r.inputs),
      s.rows.map((r) => r.targets),
    );
    ws.tables.set(data.name, data);
    if (!s.name && ws.current) setDataset(ws.current, data);
    say(ctx, `data ${data.name}: ${rowsText(data)}`);
  }),
  dataset: act((ws, s, ctx) => dataset(ws, s, ctx)),
  forward: act((ws, _s, ctx) => {
    const st = ws.need();
    forwardPass(st);
    pushAll(ctx.items, nodeTable(st.net, st.rec, 'all'));
  }),
  backward: passing((ws, _s, ctx) => {
    const st = ws.need();
    if (!st.rec.fwd) forwardPass(st);
    const back = backward(st.net, st.rec.fwd!, targetsOf(st));
    st.rec = { fwd: st.rec.fwd, back };
    pushAll(ctx.items, nodeTable(st.net, st.rec, 'delta'));
    say(ctx, `E = ${fmt(back.loss)} (${lossLabel(st.net, back.batchSize)})`);
  }),
  update: act((ws, s, ctx) => {
    const st = ws.need();
    if (!st.rec.back || st.rec.upd)
      throw new StatementError(
        'BPNB301',
        'run `backward` first: update uses the gradients of the last backward pass',
      );
    applyUpdate(st, s.learningRate, ctx);
  }),
  step: passing((ws, s, ctx) => {
    const st = ws.need();
    forwardPass(st);
    st.rec = { fwd: st.rec.fwd, back: backward(st.net, st.rec.fwd!, targetsOf(st)) };
    applyUpdate(st, s.learningRate, ctx);
  }),
  train: passing((ws, s, ctx) => runTrain(ws.need(), s, ctx, ws.maxBytes)),
  show: act((ws, s, ctx) => s.targets.forEach((t) => show(ws, t, ctx))),
  explain: act((ws, s, ctx) => runExplain(needRecords(ws), s, ctx)),
  gradcheck: act((ws, s, ctx) => {
    const st = ws.need();
    const x = inputsOf(st);
    if (!x)
      throw new StatementError(
        'BPNB301',
        'gradcheck needs an input: set `input x = [...]` or a dataset',
      );
    runGradcheck(st, x, targetsOf(st), s, ctx);
  }),
  expect: act((ws, s, ctx) => expect(ws, s, ctx)),
  mistake: act((ws, s, ctx) => {
    ws.need().staleWeightsMistake = s.on;
    say(
      ctx,
      codeSpans(
        s.on
          ? 'teaching switch ON: `update`, `step` and `train` now make the classic mistake of ' +
              'updating each layer before propagating δ through it'
          : 'teaching switch off: every δ uses the weights from before the update',
      ),
    );
  }),
};

/**
 * A layer's user-defined activation: one more record of the registry, built from its definition.
 */
function userActivation(ws: Workspace, name: string, span: ast.Span): Activation {
  const user = ws.expressions.activation(name);
  if (!user)
    throw new StatementError(
      'BPNB134',
      `no activation named '${name}': define it with activation ${name}(z) = …`,
      span,
    );
  return { kind: name, user };
}

/** A loss line's user-defined loss: one more record of the registry, built from its definition. */
function userLoss(ws: Workspace, name: ast.Name): UserFunction {
  const user = ws.expressions.loss(name.text);
  if (!user)
    throw new StatementError(
      'BPNB134',
      `no loss named '${name.text}': define it with loss ${name.text}(a, t) = …`,
      name.span,
    );
  return user;
}

function defineNetwork(ws: Workspace, s: ast.NetworkStatement): void {
  const activations: Activation[] = s.layers.slice(1).map((l) => {
    if (l.activation?.userDefined) return userActivation(ws, l.activation.name, l.activation.span);
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
  const net = ws.build(spec);
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
  ws.networks.set(name, st);
  ws.current = st;
}

function freeze(st: NetState, s: ast.FreezeStatement): void {
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
  if (refs.length === 0)
    throw new StatementError('BPNB122', 'only weights and biases can be frozen');
  refs.forEach((r) => (s.frozen ? st.net.freeze(r) : st.net.unfreeze(r)));
}

function rowsText(data: Dataset): string {
  return (
    `${plural(data.inputs.length, 'row')}, ${plural(data.inputs[0].length, 'input')}, ` +
    `${plural(data.targets[0].length, 'target')}`
  );
}

function assign(ws: Workspace, s: ast.AssignStatement): void {
  const st = ws.need();
  const q = s.target;
  if ((q.kind === 'weight' || q.kind === 'bias') && !st.weightsFrom.includes('by hand'))
    st.weightsFrom += ', some set by hand';
  if (q.kind === 'weight') st.net.setWeight(q.layer, q.from, q.to, s.value);
  else if (q.kind === 'bias') {
    if (!st.net.hasBias(q.layer))
      throw new StatementError(
        'BPNB206',
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
      'BPNB122',
      `${q.text} is computed, not set: only weights, biases, inputs and targets can be assigned`,
      q.span,
    );
  st.rec = {};
}

function setDataset(st: NetState, data: Dataset): void {
  const nIn = st.net.sizes[0],
    nOut = st.net.sizes[st.net.layerCount - 1];
  if (data.inputs[0].length !== nIn || data.targets[0].length !== nOut) {
    throw new StatementError(
      'BPNB302',
      `dataset ${data.name} has ${data.inputs[0].length} inputs and ${data.targets[0].length} ` +
        `targets; the network needs ${nIn} and ${nOut}`,
    );
  }
  st.dataset = data;
  st.source = 'dataset';
  st.rec = {};
}

async function dataset(ws: Workspace, s: ast.DatasetStatement, ctx: Ctx): Promise<void> {
  const st = ws.need();
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
    const found = ws.tables.get(src.name.text);
    if (!found)
      throw new StatementError('BPNB210', `no data named "${src.name.text}"`, src.name.span);
    data = found;
  } else {
    if (!ctx.host.readTextFile)
      throw new StatementError('BPNB303', 'reading files is not available here', src.pathSpan);
    let text: string;
    try {
      text = await ctx.host.readTextFile(src.path);
    } catch (e) {
      throw new StatementError(
        'BPNB303',
        `cannot read "${src.path}": ${e instanceof Error ? e.message : String(e)}`,
        src.pathSpan,
      );
    }
    // columns not given: the network's input and output sizes (the first ones inputs, then targets)
    data = parseCsvDataset(src.path, text, {
      inputs: src.inputs ?? st.net.sizes[0],
      targets: src.targets ?? st.net.sizes[st.net.layerCount - 1],
      header: src.header,
    });
  }
  setDataset(st, data);
  say(ctx, `dataset ${data.name}: ${rowsText(data)}`);
}

function forwardPass(st: NetState): void {
  const x = inputsOf(st);
  if (!x)
    throw new StatementError(
      'BPNB301',
      'no input yet: set one with `input x = [...]` or choose a dataset',
    );
  st.rec = { fwd: forward(st.net, x) };
}

function needRecords(ws: Workspace): NetState {
  const st = ws.need();
  if (!st.rec.back)
    throw new StatementError(
      'BPNB301',
      'run `forward` and `backward` first: explain shows the numbers of the last backward pass',
    );
  return st;
}

/**
 * One gradient-descent step; η is the one written, else always the default (never the last one
 * used).
 */
function applyUpdate(st: NetState, written: number | undefined, ctx: Ctx): void {
  const lr = written ?? DEFAULT_LEARNING_RATE;
  const stop = backwardDiverged(st.net, st.rec.back!);
  if (stop) throw new StatementError('BPNB305', stop);
  ctx.items.push({ kind: 'message', level: 'info', text: updateText(lr, written === undefined) });
  if (st.staleWeightsMistake) {
    const right = backward(st.net, st.rec.fwd!, targetsOf(st));
    const { back, upd } = backwardAndUpdate(st.net, st.rec.fwd!, targetsOf(st), {
      lr,
      updateBeforePropagating: true,
    });
    st.rec = { fwd: st.rec.fwd, back, upd };
    ctx.items.push({
      kind: 'message',
      level: 'warning',
      text: plain(
        'mistake stale-weights is on: hidden deltas below were propagated through weights ' +
          'that had already been updated',
      ),
    });
    const titled = (items: TableItem[], title: string) => items.map((item) => ({ ...item, title }));
    pushAll(
      ctx.items,
      titled(
        nodeTable(st.net, { fwd: st.rec.fwd, back: right }, 'delta'),
        'deltas δ, computed correctly (pre-update weights)',
      ),
    );
    pushAll(
      ctx.items,
      titled(
        nodeTable(st.net, st.rec, 'delta'),
        'deltas δ, computed with the mistake (updated weights)',
      ),
    );
  } else {
    st.rec = { ...st.rec, upd: update(st.net, st.rec.back!, { lr }) };
  }
  const undone = undoDivergedUpdate(st.net, st.rec.upd!);
  if (undone) {
    st.rec = {};
    throw new StatementError('BPNB305', undone);
  }
  pushAll(ctx.items, gradientTable(st.net, st.rec, lr));
}

function show(ws: Workspace, t: ast.ShowTarget, ctx: Ctx): void {
  const st = ws.need();
  if (t.kind === 'quantity') {
    const v = quantityValue(st, t.quantity);
    if (typeof v === 'string')
      throw new StatementError('BPNB301', `${t.quantity.text}: ${v}`, t.quantity.span);
    const extra =
      v.gradient !== undefined ? `   (∂E/∂${t.quantity.text} = ${fmt(v.gradient)})` : '';
    const perRow = rowTable(st, t.quantity);
    ctx.items.push({
      kind: 'message',
      level: 'info',
      text: plain(
        `${t.quantity.text} = ${fmt(v.value)}${extra}` +
          `${perRow ? ` (row 1 of ${perRow.rows.length}; every row below)` : ''}`,
      ),
    });
    if (perRow) ctx.items.push(perRow);
    return;
  }
  const { net, rec } = st;
  const needFwd = () => {
    if (!rec.fwd) throw new StatementError('BPNB301', 'run `forward` first', t.span);
  };
  const needBack = () => {
    if (!rec.back) throw new StatementError('BPNB301', 'run `backward` first', t.span);
  };
  switch (t.group) {
    case 'weights':
      pushAll(ctx.items, weightTables(net, t.layer));
      return;
    case 'biases':
      pushAll(ctx.items, weightTables(net, t.layer, true));
      return;
    case 'preactivations':
      needFwd();
      pushAll(ctx.items, nodeTable(net, rec, 'z', t.layer));
      return;
    case 'activations':
      needFwd();
      pushAll(ctx.items, nodeTable(net, rec, 'a', t.layer));
      return;
    case 'deltas':
      needBack();
      pushAll(ctx.items, nodeTable(net, rec, 'delta', t.layer));
      return;
    case 'gradients':
      needBack();
      pushAll(ctx.items, gradientTable(net, rec, st.lr, t.layer));
      return;
    case 'loss': {
      const v = quantityValue(st, { kind: 'loss' });
      if (typeof v === 'string') throw new StatementError('BPNB301', v, t.span);
      ctx.items.push({
        kind: 'message',
        level: 'info',
        text: plain(`E = ${fmt(v.value)} (${lossLabel(net, rec.fwd?.batchSize)})`),
      });
      return;
    }
    case 'network':
      const item = networkItem(st, lossLabel(net, rec.fwd?.batchSize));
      ctx.items.push({ ...item, snapshot: withPictures(st, item.snapshot) });
      return;
    case 'loss curve':
      if (!st.lossCurve)
        throw new StatementError('BPNB301', 'no training yet: run `train` first', t.span);
      ctx.items.push(st.lossCurve);
      return;
    case 'boundary':
      if (net.sizes[0] !== 2)
        throw new StatementError(
          'BPNB212',
          `a decision boundary needs a 2-input network; this one has ${net.sizes[0]} inputs`,
          t.span,
        );
      ctx.items.push(boundaryItem(net, st.dataset));
      return;
    case 'data': {
      const d = st.dataset;
      if (!d) throw new StatementError('BPNB301', 'no dataset yet', t.span);
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

function expect(ws: Workspace, s: ast.ExpectStatement, ctx: Ctx): void {
  const st = ws.need();
  const v = quantityValue(st, s.quantity);
  if (typeof v === 'string')
    throw new StatementError('BPNB301', `${s.quantity.text}: ${v}`, s.quantity.span);
  const item = expectItem(s, v.value);
  ctx.expectations.total++;
  if (!item.pass) ctx.expectations.failed++;
  ctx.items.push(item);
}
