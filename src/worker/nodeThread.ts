/**
 * A training thread in Node (the extension host of desktop VS Code and code-server):
 * worker_threads.
 */
import { Worker } from 'node:worker_threads';
import type { NewThread, TrainThread } from './thread';

export function nodeThreads(script: string): NewThread {
  return (): TrainThread => {
    const worker = new Worker(script);
    return {
      post: (message) => worker.postMessage(message),
      listen(onMessage, onFailure) {
        const onExit = (code: number) => onFailure(new Error(`exit code ${code}`));
        worker.on('message', onMessage).on('error', onFailure).on('exit', onExit);
        return () => worker.off('message', onMessage).off('error', onFailure).off('exit', onExit);
      },
      hold: (busy) => (busy ? worker.ref() : worker.unref()),
      terminate: () => void worker.terminate(),
    };
  };
}
