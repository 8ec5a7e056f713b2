/**
 * The second thread of a training run in Node (worker_threads): dist/trainWorker.js started again
 * in the `kernels` role, serving the WebAssembly kernels' jobs on a FastNet's shared memory
 * (src/engine/wasm/twin.ts). Undefined where no thread can start.
 */
import { Worker } from 'node:worker_threads';
import { KernelTwin } from '../engine/wasm/twin';

export const KERNELS_ROLE = 'kernels';

export function nodeKernelTwin(script: string): KernelTwin | undefined {
  try {
    const worker = new Worker(script, { workerData: { role: KERNELS_ROLE } });
    worker.unref(); // never keeps the process alive
    worker.on('error', () => undefined); // the twin stops answering; the FastNet reports it
    return new KernelTwin({
      post: (message) => worker.postMessage(message),
      terminate: () => void worker.terminate(),
    });
  } catch {
    return undefined;
  }
}
