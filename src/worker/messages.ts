/**
 * What the extension host and a training worker thread send each other (structured clone):
 * the job with its network as plain arrays, progress items, and the outcome with the trained
 * weights. Cancelling is a flag in shared memory, so the worker sees it within a training step;
 * where memory cannot be shared (a browser page that is not cross-origin isolated) it is a
 * `stop` message, which the worker reads between two slices of training.
 */
import { Network } from '../engine/network';
import type { NetworkSpec } from '../engine/types';
import type { ResultItem } from '../protocol/results';
import type { TrainJob, TrainOutcome } from '../runtime/types';
import type { ErrorCode } from '../runtime/errors';

export interface NetworkData {
  spec: NetworkSpec;
  weights: Float64Array[];
  biases: Float64Array[];
  frozenWeights: Uint8Array[];
  frozenBiases: Uint8Array[];
}

export interface JobMessage {
  type: 'job';
  job: Omit<TrainJob, 'net'> & { net: NetworkData };
  /**
   * Int32Array over a SharedArrayBuffer: element 0 becomes 1 when the user stops; absent without
   * shared memory
   */
  cancel?: Int32Array;
  /** the backpropNotebook.trainThreads setting: whether the run may use a second thread */
  threads?: TrainThreads;
}

/** 'auto': a second thread on machines with at least AUTO_TWO_THREADS_CORES cores */
export type TrainThreads = 'auto' | 'one' | 'two';
export const AUTO_TWO_THREADS_CORES = 4;

export type HostMessage = JobMessage | { type: 'stop' };

export type WorkerMessage =
  /** the weights so far go with every progress message, so the Network panel can draw them live */
  | { type: 'progress'; items: ResultItem[]; weights: Float64Array[]; biases: Float64Array[] }
  | { type: 'done'; outcome: TrainOutcome; weights: Float64Array[]; biases: Float64Array[] }
  /** code: the user's mistake (a StatementError); without it, the job threw something else */
  | { type: 'error'; message: string; code?: ErrorCode };

export function networkData(net: Network): NetworkData {
  return {
    spec: net.spec,
    weights: net.weights,
    biases: net.biases,
    frozenWeights: net.frozenWeights,
    frozenBiases: net.frozenBiases,
  };
}

export function networkFrom(data: NetworkData): Network {
  return Network.restore(data.spec, data);
}
