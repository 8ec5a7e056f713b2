/**
 * Entry of the training worker thread (dist/trainWorker.js): runs `train` jobs with the same
 * code as the extension host (trainHere), so the results are the same to the last bit, while the
 * extension host's own thread stays free for the editor and for other extensions.
 */
import { parentPort } from 'node:worker_threads';
import { trainHere } from '../runtime/train';
import { StatementError } from '../runtime/errors';
import { networkFrom, type JobMessage, type WorkerMessage } from './messages';

/** Least time between two progress messages (the notebook shows at most four a second). */
const PROGRESS_MS = 100;

const port = parentPort;
if (port) {
  const post = (message: WorkerMessage) => port.postMessage(message);
  port.on('message', async ({ job, cancel }: JobMessage) => {
    const net = networkFrom(job.net);
    let last = -Infinity;
    try {
      const outcome = await trainHere(
        { ...job, net },
        {
          isCancelled: () => Atomics.load(cancel, 0) === 1,
          yieldNow: () => new Promise<void>((resolve) => setImmediate(resolve)),
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
        statement: e instanceof StatementError,
      });
    }
  });
}
