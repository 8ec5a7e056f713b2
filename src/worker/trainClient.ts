/**
 * Runs `train` jobs in a worker thread (a Node worker thread or a Web Worker: thread.ts) for the
 * extension host: the host's thread stays free while a long run uses the second core. One idle
 * worker is kept warm between runs; several notebooks training at once each get their own. The
 * host's copy of the network follows the run (its weights come with every progress message, for the
 * Network panel) and ends with the trained weights. When a worker cannot start, the job runs in the
 * host instead; when one dies mid-run, the cell fails and later jobs run in the host.
 */
import { trainHere } from '../runtime/train';
import { StatementError } from '../runtime/errors';
import type { TrainIO, TrainJob, TrainOutcome } from '../runtime/types';
import { networkData, type JobMessage, type TrainThreads, type WorkerMessage } from './messages';
import { canShareMemory, type NewThread, type TrainThread } from './thread';

/** How often the host looks at the Stop button while a worker trains. */
const CANCEL_POLL_MS = 4;
/**
 * Jobs carrying more numbers than this (data and weights) train in the host: copying them would
 * cost more than it saves.
 */
export const MAX_WORKER_NUMBERS = 4_000_000;
/**
 * Jobs smaller than this (samples seen × weights, about one multiply-add each way) train in the
 * host: they end in tens of milliseconds, less than a worker's first job costs to warm up.
 */
export const MIN_WORKER_WORK = 50_000_000;

export class TrainWorkers {
  private idle: TrainThread | undefined;
  private readonly running = new Set<TrainThread>();
  /** a worker failed to start or died: later jobs train in the host */
  private broken = false;
  /**
   * jobs run in a worker, and jobs these workers ran in the host instead (too big, or no worker)
   */
  readonly counts = { worker: 0, host: 0 };

  /**
   * sharedMemory: Stop is a flag in shared memory (else a `stop` message the worker reads between
   * slices)
   */
  constructor(
    private readonly newThread: NewThread,
    private readonly minWork = MIN_WORKER_WORK,
    readonly sharedMemory = canShareMemory(),
    /** the backpropNotebook.trainThreads setting, read for each job */
    private readonly threads: () => TrainThreads = () => 'auto',
  ) {}

  readonly train = async (job: TrainJob, io: TrainIO): Promise<TrainOutcome> => {
    if (this.broken || numbersIn(job) > MAX_WORKER_NUMBERS || workOf(job) < this.minWork)
      return this.inHost(job, io);
    let worker: TrainThread;
    try {
      worker = this.idle ?? this.newThread();
    } catch {
      this.broken = true;
      return this.inHost(job, io);
    }
    this.idle = undefined;
    this.running.add(worker);
    worker.hold(true);
    let started = false;
    try {
      const outcome = await runOn(
        worker,
        job,
        io,
        this.sharedMemory,
        () => (started = true),
        this.threads(),
      );
      this.counts.worker++;
      this.release(worker);
      return outcome;
    } catch (e) {
      if (e instanceof StatementError) {
        this.release(worker);
        throw e;
      }
      if (e instanceof JobFailed) {
        // the worker is fine but the job threw: run it here, where the error is reported as usual
        this.release(worker);
      } else {
        this.running.delete(worker);
        void worker.terminate();
        this.broken = true;
        // weights of a run cut short are in the network already: running again would train them
        // twice
        if (started)
          throw new Error(
            `the training worker stopped in the middle of the run (` +
              `${e instanceof Error ? e.message : String(e)}); the network keeps the weights ` +
              `of its last progress report`,
          );
      }
      return this.inHost(job, io);
    }
  };

  /**
   * Starts the idle worker ahead of the first `train` (loading it takes a few hundred
   * milliseconds).
   */
  warm(): void {
    if (this.idle || this.broken) return;
    try {
      const worker = this.newThread();
      worker.listen(
        () => undefined,
        () => {
          if (this.idle === worker) this.idle = undefined;
        },
      );
      worker.hold(false);
      this.idle = worker;
    } catch {
      this.broken = true;
    }
  }

  private inHost(job: TrainJob, io: TrainIO): Promise<TrainOutcome> {
    this.counts.host++;
    return trainHere(job, io);
  }

  private release(worker: TrainThread): void {
    this.running.delete(worker);
    if (this.idle) {
      void worker.terminate();
      return;
    }
    worker.hold(false); // an idle worker never keeps the process alive
    this.idle = worker;
  }

  dispose(): void {
    for (const w of [...this.running, ...(this.idle ? [this.idle] : [])]) void w.terminate();
    this.running.clear();
    this.idle = undefined;
  }
}

/** Samples the run will go through at most, times the network's weights. */
export function workOf(job: TrainJob): number {
  const { epochs, steps, batchSize } = job.options;
  const n = job.data.inputs.length;
  const batch = batchSize === undefined || batchSize === 'full' ? n : Math.min(batchSize, n);
  const samples = Math.min(
    steps === undefined ? Infinity : steps * batch,
    epochs === undefined ? Infinity : epochs * n,
  );
  return samples * weightCount(job);
}

function numbersIn(job: TrainJob): number {
  const rows = (d: { inputs: number[][]; targets: number[][] } | undefined) =>
    d ? d.inputs.length * ((d.inputs[0]?.length ?? 0) + (d.targets[0]?.length ?? 0)) : 0;
  return rows(job.data) + rows(job.boundaryData) + weightCount(job);
}

function weightCount(job: TrainJob): number {
  return job.net.weights.reduce((n, w) => n + w.length, 0);
}

/** The job threw something other than a StatementError inside a healthy worker. */
class JobFailed extends Error {}

/** Copies weights sent by the worker into the host's network. */
function adopt(job: TrainJob, weights: Float64Array[], biases: Float64Array[]): void {
  weights.forEach((w, m) => job.net.weights[m].set(w));
  biases.forEach((b, m) => job.net.biases[m].set(b));
}

/**
 * Sends one job to a worker and waits for its outcome, passing on progress (and its weights) and
 * Stop.
 */
function runOn(
  worker: TrainThread,
  job: TrainJob,
  io: TrainIO,
  sharedMemory: boolean,
  onStarted: () => void,
  threads: TrainThreads,
): Promise<TrainOutcome> {
  return new Promise<TrainOutcome>((resolve, reject) => {
    const cancel = sharedMemory ? new Int32Array(new SharedArrayBuffer(4)) : undefined;
    let stopSent = false;
    const poll = setInterval(() => {
      if (!io.isCancelled()) return;
      if (cancel) Atomics.store(cancel, 0, 1);
      else if (!stopSent) worker.post({ type: 'stop' });
      stopSent = true;
    }, CANCEL_POLL_MS);
    const finish = (settle: () => void) => {
      clearInterval(poll);
      unlisten();
      settle();
    };
    const onMessage = (m: WorkerMessage) => {
      if (m.type === 'error')
        return finish(() =>
          reject(m.code ? new StatementError(m.code, m.message) : new JobFailed(m.message)),
        );
      onStarted();
      adopt(job, m.weights, m.biases);
      if (m.type === 'progress') io.onProgress?.(m.items);
      else finish(() => resolve(m.outcome));
    };
    const unlisten = worker.listen(onMessage, (e) => finish(() => reject(e)));
    const message: JobMessage = {
      type: 'job',
      job: { ...job, net: networkData(job.net) },
      cancel,
      threads,
    };
    worker.post(message);
  });
}
