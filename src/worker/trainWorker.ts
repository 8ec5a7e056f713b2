/**
 * Entry of the training worker thread in Node (dist/trainWorker.js): the extension host's own
 * thread stays free for the editor and for other extensions while this one trains. Started with
 * workerData.role `kernels`, it is a run's second thread instead (kernelThread.ts).
 */
import { availableParallelism } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { serveTwin, type TwinMessage } from '../engine/wasm/twin';
import { KERNELS_ROLE, nodeKernelTwin } from './kernelThread';
import { serveJobs } from './serveJobs';

const port = parentPort;
if (port && (workerData as { role?: string } | null)?.role === KERNELS_ROLE)
  port.on('message', (m: TwinMessage) => serveTwin(m));
else if (port)
  port.on(
    'message',
    serveJobs(
      (message) => port.postMessage(message),
      () => nodeKernelTwin(__filename),
      availableParallelism(),
    ),
  );
