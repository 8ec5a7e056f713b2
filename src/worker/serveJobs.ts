/**
 * The training side of a worker, the same in a Node worker thread (trainWorker.ts) and a Web
 * Worker (trainWebWorker.ts): runs each job with the extension host's own code (trainHere), so
 * the results are the same to the last bit, and posts progress, the outcome or the error.
 */
import { trainHere } from '../runtime/train';
import { StatementError } from '../runtime/errors';
import type { KernelTwin } from '../engine/wasm/twin';
import {
  AUTO_TWO_THREADS_CORES,
  networkFrom,
  type HostMessage,
  type WorkerMessage,
} from './messages';
import { yieldNow } from './yieldNow';

/** Least time between two progress messages (the notebook shows at most four a second). */
const PROGRESS_MS = 100;

/**
 * The handler for the host's messages; `post` sends one back. `newTwin` starts a second thread for
 * a run the trainThreads setting lets use one (where threads can share memory), on a machine of
 * `cores`.
 */
export function serveJobs(
  post: (message: WorkerMessage) => void,
  newTwin?: () => KernelTwin | undefined,
  cores = 1,
): (m: HostMessage) => void {
  /** set by a `stop` message, for jobs that came without a shared-memory flag */
  let stopped = false;
  /** the second thread, started for the first run that may use it and kept */
  let twin: KernelTwin | undefined;
  return async (m) => {
    if (m.type === 'stop') {
      stopped = true;
      return;
    }
    stopped = false; // a late stop of the previous job does not stop this one
    const { job, cancel } = m;
    const both = m.threads === 'two' || (m.threads === 'auto' && cores >= AUTO_TWO_THREADS_CORES);
    if (both && newTwin) twin ??= newTwin();
    const net = networkFrom(job.net);
    let last = -Infinity;
    try {
      const outcome = await trainHere(
        { ...job, net },
        {
          isCancelled: () => (cancel ? Atomics.load(cancel, 0) === 1 : stopped),
          twin: both ? twin : undefined,
          yieldNow,
          onProgress: (items) => {
            const now = performance.now();
            if (now - last < PROGRESS_MS) return;
            last = now;
            post({ type: 'progress', items, weights: net.weights, biases: net.biases });
          },
        },
      );
      post({ type: 'done', outcome, weights: net.weights, biases: net.biases });
    } catch (e) {
      post({
        type: 'error',
        message: e instanceof Error ? e.message : String(e),
        code: e instanceof StatementError ? e.code : undefined,
      });
    }
  };
}
