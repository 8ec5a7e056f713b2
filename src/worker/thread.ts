/**
 * What TrainWorkers needs from a thread, so one client drives a Node worker thread (desktop and
 * code-server: nodeThread.ts) and a browser Web Worker (VS Code for the Web: webThread.ts).
 */
import type { HostMessage, WorkerMessage } from './messages';

export interface TrainThread {
  post(message: HostMessage): void;
  /**
   * Calls onMessage for each message, onFailure when the thread fails or ends; returns a function
   * that stops listening.
   */
  listen(onMessage: (m: WorkerMessage) => void, onFailure: (e: Error) => void): () => void;
  /**
   * Whether the host process waits for this thread (a Node worker's ref/unref; a no-op in a
   * browser).
   */
  hold(busy: boolean): void;
  terminate(): void;
}

/** Starts a thread (it may throw when none can start). */
export type NewThread = () => TrainThread;

/**
 * Whether a Stop can be a flag in shared memory: SharedArrayBuffer exists and may be posted
 * (cross-origin isolated pages only).
 */
export function canShareMemory(): boolean {
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated;
  return typeof SharedArrayBuffer === 'function' && isolated !== false;
}
