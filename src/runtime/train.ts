/** The `train` statement: sliced, cancellable, with live progress and a timeline of snapshots. */
import { FastNet } from '../engine/fast';
import type { Network } from '../engine/network';
import { backward, forward } from '../engine/passes';
import {
  createTrainer,
  type Trainer,
  type TrainOptions,
  type TrainStatus,
} from '../engine/trainer';
import type * as ast from '../language/ast';
import { TRAIN_DEFAULTS } from '../language/vocabulary';
import { encodeNumber, type LossCurveItem, type Num, type ResultItem } from '../protocol/results';
import {
  BOUNDARY_RESOLUTION,
  boundaryGrid,
  boundaryItem,
  boundaryValues,
  type BoundaryGrid,
} from './boundary';
import { lossLabel, table } from './present';
import { StatementError, engineErrorCode, fmt, plural, pluralWord } from './errors';
import { activeDataset, trainingData, type Ctx, type NetState } from './state';
import type { TrainIO, TrainJob, TrainOutcome } from './types';
import { MAP_RESOLUTION, mapsTimeline } from './nodeMaps';
import { TimelineRecorder } from './timeline';
import { codeSpans, plain, withNumbers } from '../protocol/text';

/**
 * Milliseconds of training between two turns of the event loop (keeps Stop and the editor
 * responsive).
 */
const TRAIN_SLICE_MS = 8;
/** Most steps between two looks at the clock while recording a timeline. */
const TIMELINE_CHUNK_STEPS = 64;

/** The trainer's options for a `train` statement (also what the benchmark gives the trainer). */
export function trainOptions(s: ast.TrainStatement, maxBytes: number): TrainOptions {
  const kind = s.optimiser ?? TRAIN_DEFAULTS.optimiser;
  const opts: TrainOptions = {
    lr: s.learningRate ?? TRAIN_DEFAULTS.learningRate,
    batchSize:
      s.batch === undefined || s.batch === 'full' ? 'full' : s.batch === 'online' ? 1 : s.batch,
    optimiser: {
      kind,
      beta: s.momentum ?? TRAIN_DEFAULTS.momentum,
      beta1: s.beta1 ?? TRAIN_DEFAULTS.beta1,
      beta2: s.beta2 ?? TRAIN_DEFAULTS.beta2,
      epsilon: s.eps ?? TRAIN_DEFAULTS.eps,
    },
    l2: s.l2 ?? TRAIN_DEFAULTS.l2,
    shuffleSeed: s.seed ?? TRAIN_DEFAULTS.seed,
    maxBytes,
  };
  if (s.log !== undefined) opts.logEvery = s.log;
  if (s.steps !== undefined) opts.steps = s.steps;
  if (s.epochs !== undefined || s.steps === undefined)
    opts.epochs = s.epochs ?? TRAIN_DEFAULTS.epochs;
  // the parser accepts only `until E < v` and `until E <= v`
  if (s.until) {
    opts.stopAtLoss = s.until.value;
    if (s.until.comparison === '<=') opts.stopAtOrBelow = true;
  }
  return opts;
}

function curveOf(name: string, net: Network, rows: number, status: TrainStatus): LossCurveItem {
  const label = lossLabel(net, rows);
  const first = status.history[0];
  const last = status.history[status.history.length - 1];
  return {
    kind: 'lossCurve',
    title: `training ${name}`,
    lossLabel: label,
    points: status.history.map((h) => [h.epoch, encodeNumber(h.loss)]),
    done: status.done,
    summary: withNumbers(
      first && last
        ? [
            `${label}: from `,
            first.loss,
            ' to ',
            last.loss,
            ' over ',
            last.epoch,
            ` ${pluralWord(last.epoch, 'epoch')}${status.done ? '' : ' (training)'}`,
          ]
        : [`${label}: no points yet`],
    ),
  };
}

/** the most points a train summary's sparkline gets */
export const SPARK_POINTS = 48;

/**
 * E at up to SPARK_POINTS evenly spaced points of the run's history, the first and last included.
 */
export function sparkline(status: TrainStatus): Num[] | undefined {
  const h = status.history;
  const n = Math.min(h.length, SPARK_POINTS);
  if (n < 2) return undefined;
  return Array.from({ length: n }, (_, i) =>
    encodeNumber(h[Math.round((i * (h.length - 1)) / (n - 1))].loss),
  );
}

const REASONS: Record<TrainStatus['reason'], string> = {
  running: 'still running',
  epochs: 'all epochs done',
  steps: 'all steps done',
  'target-loss': 'target loss reached',
  cancelled: 'stopped by the user',
  diverged: 'diverged',
};

/**
 * A `train` statement: the run itself goes to the host's trainer when it has one (a worker
 * thread, see src/worker) or runs here in slices; then the trained net is recorded and reported.
 */
export async function runTrain(
  st: NetState,
  s: ast.TrainStatement,
  ctx: Ctx,
  maxBytes: number,
): Promise<void> {
  const data = trainingData(st);
  if (!data)
    throw new StatementError(
      'BPNB301',
      'train needs data: choose a dataset (`dataset xor`) or set `input` and `target`',
    );
  const job: TrainJob = {
    name: st.name,
    net: st.net,
    data,
    boundaryData: st.net.sizes[0] === 2 ? activeDataset(st) : undefined,
    options: { ...trainOptions(s, maxBytes), staleWeights: st.staleWeightsMistake },
  };
  const io: TrainIO = {
    isCancelled: () => ctx.host.isCancelled(),
    yieldNow: () => ctx.host.yieldNow(),
    onProgress: (items) => {
      // the panel's live frames show this run's curve so far
      const curve = items.find((i) => i.kind === 'lossCurve');
      if (curve) st.lossCurve = curve;
      ctx.host.onProgress?.(items);
    },
  };
  // the records, boundary and timeline belong to the weights before training: live frames must not
  // show them beside the moving weights
  st.rec = {};
  st.boundary = undefined;
  st.timeline = undefined;
  const { status, timeline } = await (ctx.host.train ?? trainHere)(job, io);
  // record one full pass with the trained weights, so E, δ and ∂E/∂w can be shown and checked;
  // after a Stop the cell ends at once instead (the next forward/backward records them)
  if (!status.cancelled) {
    const fwd = forward(st.net, data.inputs);
    st.rec = { fwd, back: backward(st.net, fwd, data.targets) };
  }
  st.lossCurve = curveOf(st.name, st.net, data.inputs.length, status);
  st.boundary =
    st.net.sizes[0] === 2 && st.dataset && !status.cancelled
      ? boundaryItem(st.net, st.dataset)
      : undefined;
  st.timeline = timeline;
  const first = status.history[0]?.loss;
  const optimiser = s.optimiser ?? TRAIN_DEFAULTS.optimiser;
  const rows = data.inputs.length;
  const partRows = Math.round(((status.history.at(-1)?.epoch ?? 0) - status.epoch) * rows);
  const epochs =
    `${plural(status.epoch, 'epoch')}` +
    `${partRows > 0 ? ` and ${partRows} of ${rows} rows` : ''}`;
  ctx.items.push({
    kind: 'message',
    level: status.reason === 'diverged' ? 'error' : 'info',
    text: plain(
      `trained ${epochs} (${plural(status.step, 'step')}, ${optimiser}, η = ` +
        `${s.learningRate ?? TRAIN_DEFAULTS.learningRate}, batch ` +
        `${s.batch ?? TRAIN_DEFAULTS.batch}): E ${first !== undefined ? fmt(first) + ' → ' : ''}` +
        `${fmt(status.epochLoss)} (${lossLabel(st.net, rows)}); ${REASONS[status.reason]}`,
    ),
    sparkline: sparkline(status),
  });
  if (st.staleWeightsMistake)
    ctx.items.push({
      kind: 'message',
      level: 'warning',
      text: codeSpans(
        'mistake stale-weights is on: every step updated the weights into each layer before ' +
          'propagating δ through them (turn it off with `mistake stale-weights off`)',
      ),
    });
  ctx.items.push(st.lossCurve);
  if (s.log) ctx.items.push(logTable(status, s.log));
  if (status.diverged) throw new StatementError('BPNB305', status.diverged.message);
}

/**
 * Runs a training job on job.net in slices of TRAIN_SLICE_MS, yielding between them, with live
 * progress; records the timeline. The same code runs in the extension host and in the worker.
 */
export async function trainHere(job: TrainJob, io: TrainIO): Promise<TrainOutcome> {
  const made = createTrainer(job.net, job.data, {
    ...job.options,
    isCancelled: io.isCancelled,
    twin: io.twin,
  });
  if (!made.ok) throw new StatementError(engineErrorCode(made.error), made.error.message);
  const trainer = made.value;
  const timeline = timelineFor(job);
  let status = trainer.status();
  timeline?.record(0, 0, NaN);
  while (!status.done) {
    status = timeline ? runToPoints(trainer, timeline, Date.now) : trainer.runFor(TRAIN_SLICE_MS);
    if (status.done) break;
    const progress: ResultItem = {
      kind: 'progress',
      epoch: status.epoch,
      ...(job.options.epochs !== undefined ? { epochs: job.options.epochs } : {}),
      step: status.step,
      loss: encodeNumber(status.epochLoss),
      done: false,
    };
    io.onProgress?.([progress, curveOf(job.name, job.net, job.data.inputs.length, status)]);
    await io.yieldNow();
  }
  return { status, timeline: timeline?.finish(status.epoch, status.step, status.epochLoss) };
}

/** A recorder of evenly spaced snapshots for this run, or undefined when they would not fit. */
function timelineFor(job: TrainJob): TimelineRecorder | undefined {
  const { net, data, options: opts, boundaryData } = job;
  const count = data.inputs.length;
  const batch =
    opts.batchSize === 'full' || opts.batchSize === undefined
      ? count
      : Math.min(opts.batchSize, count);
  const stepsPerEpoch = Math.ceil(count / Math.max(1, batch));
  const totalSteps = Math.min(opts.steps ?? Infinity, (opts.epochs ?? Infinity) * stepsPerEpoch);
  return TimelineRecorder.create(net, {
    totalSteps,
    stepsPerEpoch,
    byEpoch: opts.steps === undefined,
    // a and δ of the data's first row, recorded as row 1 of `count`
    sample: {
      input: Array.from(data.inputs[0]),
      target: Array.from(data.targets[0]),
      row: 1,
      rows: count,
    },
    ...(boundaryData
      ? {
          boundary: boundaryOf(net, boundaryGrid(boundaryData)),
          boundarySize: BOUNDARY_RESOLUTION ** 2,
        }
      : {}),
    ...mapsTimeline(net, () => boundaryGrid(boundaryData, MAP_RESOLUTION)),
  });
}

/**
 * The timeline's boundary snapshots of one run's network: one grid and one set of buffers for all
 * of them.
 */
function boundaryOf(net: Network, grid: BoundaryGrid): () => number[] {
  const fast = new FastNet(net, BOUNDARY_RESOLUTION ** 2);
  return () => boundaryValues(net, grid, fast);
}

/**
 * Like runFor(TRAIN_SLICE_MS), but stops on every due timeline point to record it. Steps run in
 * chunks that grow while a chunk is quick and shrink when it is slow, so a slice never runs much
 * past TRAIN_SLICE_MS however long one step takes (a full batch of thousands of rows).
 */
function runToPoints(trainer: Trainer, timeline: TimelineRecorder, now: () => number): TrainStatus {
  const start = now();
  let status = trainer.status();
  let chunk = 1;
  while (!status.done && now() - start < TRAIN_SLICE_MS) {
    const t0 = now();
    status = trainer.run(Math.max(1, Math.min(chunk, timeline.nextStep - status.step)));
    chunk =
      now() - t0 < TRAIN_SLICE_MS / 8
        ? Math.min(TIMELINE_CHUNK_STEPS, chunk * 2)
        : Math.max(1, chunk >> 1);
    if (status.step >= timeline.nextStep && !status.done)
      timeline.record(status.epoch, status.step, status.epochLoss);
  }
  return status;
}

/**
 * E over all the data every `every` epochs (from epoch 0, the initial weights) and at the end, as
 * the trainer kept them for `log`.
 */
function logTable(status: TrainStatus, every: number): ResultItem {
  const rows = (status.logged ?? []).map((h) => [
    Number(h.epoch.toPrecision(10)),
    encodeNumber(h.loss),
  ]);
  return table(`loss every ${every} epochs`, ['epoch', 'E'], rows);
}
