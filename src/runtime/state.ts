/**
 * What a session holds between cells (its networks, data tables and the current network) and
 * what one cell's run collects; which data a network's passes use is decided here, once.
 */
import { ExpressionWorkspace } from './expressionRunner';
import { createNetwork, type Network } from '../engine/network';
import type { NetworkSpec } from '../engine/types';
import type { NetworkShape } from '../language/validate';
import type { BoundaryItem, LossCurveItem, ResultItem, TimelineItem } from '../protocol/results';
import type { Dataset } from './datasets';
import { StatementError, engineErrorCode, fmt } from './errors';
import { lossLabel, type Records } from './present';
import type { RunHost } from './types';

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

/** One cell's run: the host, and what its statements produce. */
export interface Ctx {
  host: RunHost;
  /** set by statements that define or change the network, its parameters or its sample */
  defined?: boolean;
  items: ResultItem[];
  expectations: { total: number; failed: number };
  /** the names of the networks the cell's statements read (current after each, graphs aside) */
  shown?: Set<string>;
  /** the cell's text (the spans of its statements point into it) */
  text: string;
}

/** The session's state that statements read and change. */
export class Workspace {
  readonly networks = new Map<string, NetState>();
  readonly tables = new Map<string, Dataset>();
  /** named values, expressions and user-defined activations and losses */
  readonly expressions = new ExpressionWorkspace();
  current?: NetState;

  constructor(readonly maxBytes: number) {}

  /** The current network, or a StatementError saying how to define one. */
  need(): NetState {
    if (!this.current)
      throw new StatementError(
        'BPNB201',
        'no network yet: define one with `network 2 -> 3 sigmoid -> 1 sigmoid`',
      );
    return this.current;
  }

  build(spec: NetworkSpec): Network {
    const made = createNetwork(spec, { maxBytes: this.maxBytes });
    if (!made.ok) throw new StatementError(engineErrorCode(made.error), made.error.message);
    return made.value;
  }

  /** Rebuilds a network with a changed spec, keeping every weight (and bias that still exists). */
  respec(st: NetState, change: (spec: NetworkSpec) => void): void {
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
}

/** The dataset the passes use: the one chosen last, unless a sample was set after it. */
export function activeDataset(st: Pick<NetState, 'source' | 'dataset'>): Dataset | undefined {
  return st.source === 'dataset' ? st.dataset : undefined;
}

/** The inputs of forward passes and gradcheck: the active dataset's rows, else the sample. */
export function inputsOf(st: NetState): number[] | number[][] | undefined {
  return activeDataset(st)?.inputs ?? st.input;
}

/** The targets of backward passes and gradcheck, or a StatementError when there are none. */
export function targetsOf(
  st: Pick<NetState, 'source' | 'dataset' | 'target' | 'net'>,
): number[] | number[][] {
  const data = activeDataset(st);
  if (data) return data.targets;
  if (!st.target && st.net.lossDef.ofNode) return noTarget(st);
  if (!st.target)
    throw new StatementError('BPNB301', 'no target yet: set one with `target t = [...]`');
  return st.target;
}

/** A loss of one output node reads no target: zeros stand in for one when none is set. */
function noTarget(st: Pick<NetState, 'net'>): number[] {
  return new Array(st.net.sizes[st.net.layerCount - 1]).fill(0);
}

/** What `train` learns from: the active dataset, else the sample as a one-row table. */
export function trainingData(st: NetState): Dataset | undefined {
  const data = activeDataset(st);
  if (data) return data;
  const target = st.target ?? (st.net.lossDef.ofNode ? noTarget(st) : undefined);
  return st.input && target ? { name: 'sample', inputs: [st.input], targets: [target] } : undefined;
}

/** The language's view of a network: bias[k-1] for layer k (the input layer has none). */
export function shapeOf(net: Network): NetworkShape {
  return { sizes: net.sizes.slice(), bias: [false, ...net.spec.bias] };
}

export function describe(net: Network): string {
  return (
    net.sizes
      .map((n, k) => (k === 0 ? `${n}` : `${n} ${net.spec.activations[k - 1].kind}`))
      .join(' -> ') + (net.spec.bias.some(Boolean) ? '' : ', no biases')
  );
}

/** One line: the network, its loss, where its weights came from, and the current sample. */
export function summary(st: NetState): string {
  const parts = [
    `network ${st.name}: ${describe(st.net)}`,
    `loss ${lossLabel(st.net, activeDataset(st)?.inputs.length ?? (st.input ? 1 : undefined))}`,
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
