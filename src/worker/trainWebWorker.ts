/**
 * Entry of the training Web Worker in the browser's web extension host (dist/trainWebWorker.js,
 * a classic script): the same jobs and code as the Node worker thread.
 */
import type { HostMessage } from './messages';
import { serveJobs } from './serveJobs';

const scope = globalThis as unknown as {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (e: MessageEvent<HostMessage>) => void): void;
};
const handle = serveJobs((message) => scope.postMessage(message));
scope.addEventListener('message', (e) => handle(e.data));
