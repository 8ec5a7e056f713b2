/**
 * A training thread in the browser's web extension host (VS Code for the Web): a Web Worker
 * running dist/trainWebWorker.js. VS Code's web extension host lets an extension start a worker
 * from a script of its own (it loads the script into a blob worker of the host's origin).
 */
import type { WorkerMessage } from './messages';
import type { NewThread, TrainThread } from './thread';

export function webThreads(scriptUrl: string): NewThread {
  return (): TrainThread => {
    const worker = new Worker(scriptUrl, { name: 'Backprop Notebook training' });
    return {
      post: (message) => worker.postMessage(message),
      listen(onMessage, onFailure) {
        const message = (e: MessageEvent<WorkerMessage>) => onMessage(e.data);
        const error = (e: ErrorEvent) => onFailure(new Error(e.message || 'the worker failed'));
        const messageError = () =>
          onFailure(new Error('a message from the worker could not be read'));
        worker.addEventListener('message', message);
        worker.addEventListener('error', error);
        worker.addEventListener('messageerror', messageError);
        return () => {
          worker.removeEventListener('message', message);
          worker.removeEventListener('error', error);
          worker.removeEventListener('messageerror', messageError);
        };
      },
      hold: () => undefined,
      terminate: () => worker.terminate(),
    };
  };
}
