/**
 * The training timeline: copies of the weights (and, when cheap, one row's a and δ and the
 * decision boundary) at evenly spaced points of a training run, for the panel's scrubber.
 * Memory is bounded: at most TIMELINE_MAX_ITEMS points and TIMELINE_MAX_NUMBERS numbers in all.
 */
import type { Network } from '../engine/network';
import { backward, forward } from '../engine/passes';
import { encodeNumber, type Num, type TimelineItem } from '../protocol/results';

export const TIMELINE_MAX_ITEMS = 60;
/** numbers kept over the whole timeline (weights, biases, a, δ, boundary values) */
export const TIMELINE_MAX_NUMBERS = 1_000_000;
/** nets with at most this many parameters also get one row's a and δ at every point */
export const TIMELINE_DELTA_MAX_PARAMS = 5_000;

export interface TimelineOptions {
  /** steps the run will take at most (epochs × steps per epoch, or the step limit) */
  totalSteps: number;
  /** steps in one epoch: points fall on whole epochs when the run is counted in epochs */
  stepsPerEpoch: number;
  /** count in epochs (true) or steps (false) */
  byEpoch: boolean;
  /** the row of the `rows` of the training data whose a and δ are recorded (small nets only) */
  sample?: { input: number[]; target: number[]; row: number; rows: number };
  /** the boundary values of the recorded net as it is now (2-input nets with a dataset) */
  boundary?: () => number[];
  boundarySize?: number;
  /** every node's activation over the maps grid (2-input nets), and how many numbers that is */
  maps?: () => number[][][];
  mapsSize?: number;
  maxItems?: number;
  maxNumbers?: number;
}

function paramCount(net: Network): number {
  let n = 0;
  for (let m = 0; m < net.weights.length; m++)
    n += net.weights[m].length + (net.spec.bias[m] ? net.biases[m].length : 0);
  return n;
}

/**
 * Records the timeline of one run: call `record` whenever the step reaches `nextStep`, and `finish`
 * at the end.
 */
export class TimelineRecorder {
  readonly items: TimelineItem[] = [];
  /** steps between two points */
  readonly stride: number;
  /** the step at which the next point is due */
  nextStep = 0;
  private readonly withNodes: boolean;
  private readonly maxItems: number;

  /** undefined when not even two points fit in the number budget */
  static create(net: Network, opts: TimelineOptions): TimelineRecorder | undefined {
    const params = paramCount(net);
    const withNodes = opts.sample !== undefined && params <= TIMELINE_DELTA_MAX_PARAMS;
    const nodes = net.sizes.reduce((a, b) => a + b, 0);
    const perItem =
      params +
      (withNodes ? 2 * nodes : 0) +
      (opts.boundary ? (opts.boundarySize ?? 0) : 0) +
      (opts.maps ? (opts.mapsSize ?? 0) : 0);
    const maxItems = Math.min(
      opts.maxItems ?? TIMELINE_MAX_ITEMS,
      Math.floor((opts.maxNumbers ?? TIMELINE_MAX_NUMBERS) / Math.max(1, perItem)),
    );
    if (maxItems < 2 || !(opts.totalSteps >= 1)) return undefined;
    return new TimelineRecorder(net, opts, withNodes, maxItems);
  }

  private constructor(
    private readonly net: Network,
    private readonly opts: TimelineOptions,
    withNodes: boolean,
    maxItems: number,
  ) {
    this.withNodes = withNodes;
    this.maxItems = maxItems;
    // the start, evenly spaced points, and the end: at most maxItems
    const unit = opts.byEpoch ? Math.max(1, opts.stepsPerEpoch) : 1;
    const units = Math.max(1, Math.ceil(opts.totalSteps / unit));
    this.stride = unit * Math.max(1, Math.ceil(units / Math.max(1, maxItems - 2)));
  }

  /**
   * Records the net as it is now (after `step` steps and `epoch` epochs), and moves `nextStep` on.
   */
  record(epoch: number, step: number, loss: number): void {
    const net = this.net;
    const item: TimelineItem = { epoch, step, weights: [], biases: [] };
    if (Number.isFinite(loss) || epoch > 0) item.loss = encodeNumber(loss);
    for (let k = 1; k < net.sizes.length; k++) {
      item.weights.push(net.getWeightMatrix(k).map((row) => row.map(encodeNumber)));
      item.biases.push(net.hasBias(k + 1) ? Array.from(net.biases[k - 1], encodeNumber) : []);
    }
    const sample = this.opts.sample;
    if (this.withNodes && sample) {
      const fwd = forward(net, [sample.input]);
      const back = backward(net, fwd, [sample.target]);
      const n = net.sizes.length;
      item.rows = sample.rows;
      item.row = sample.row;
      item.a = Array.from({ length: n }, (_, m) =>
        Array.from(fwd.a[m + 1].subarray(0, net.sizes[m]), encodeNumber),
      );
      item.delta = [
        [],
        ...Array.from({ length: n - 1 }, (_, m): Num[] =>
          Array.from(back.delta[m + 2].subarray(0, net.sizes[m + 1]), encodeNumber),
        ),
      ];
    }
    if (this.opts.boundary)
      item.boundary = this.opts.boundary().map((v) => (Number.isFinite(v) ? v : 0.5));
    if (this.opts.maps) item.maps = this.opts.maps();
    // only the final point can overflow: it replaces the last
    if (this.items.length >= this.maxItems) this.items.pop();
    this.items.push(item);
    this.nextStep = step - (step % this.stride) + this.stride;
  }

  /** Records the end of the run unless its last step already was. */
  finish(epoch: number, step: number, loss: number): TimelineItem[] {
    if (this.items[this.items.length - 1]?.step !== step) this.record(epoch, step, loss);
    return this.items;
  }
}
