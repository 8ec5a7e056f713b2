/**
 * Entry of the training worker thread in Node (dist/trainWorker.js): the extension host's own
 * thread stays free for the editor and for other extensions while this one trains.
 */
import { parentPort } from 'node:worker_threads';
import { serveJobs } from './serveJobs';

const port = parentPort;
if (port)
  port.on(
    'message',
    serveJobs((message) => port.postMessage(message)),
  );
