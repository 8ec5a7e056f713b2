import type { KernelTwin } from '../engine/wasm/twin';
import type { Network } from '../engine/network';
import type { TrainOptions, TrainStatus } from '../engine/trainer';
import type { Span } from '../language/ast';
import type { ExpectItem, ResultItem, TimelineItem } from '../protocol/results';
import type { Dataset } from './datasets';

/** What the host (VS Code or the CLI) lends a session while a cell runs. */
export interface RunHost {
  /** true once the user asked to stop; checked between training slices */
  isCancelled(): boolean;
  /** gives the event loop a turn (the pure runtime has no timers of its own) */
  yieldNow(): Promise<void>;
  /** live results of a long run (training progress); the host rate-limits what it shows */
  onProgress?(items: ResultItem[]): void;
  /** reads a text file named relative to the notebook; rejects paths outside the workspace */
  readTextFile?(path: string): Promise<string>;
  /**
   * reads a binary file named relative to the notebook (a safetensors model); rejects paths outside
   * the workspace, and files above maxBytes before reading them
   */
  readBinaryFile?(path: string, maxBytes: number): Promise<Uint8Array>;
  /** milliseconds since some fixed point, for slicing long work */
  now(): number;
  /**
   * Runs a training job somewhere else (the VS Code host: a worker thread, so the extension host
   * stays free); when it resolves, job.net holds the trained weights, exactly as trainHere would
   * have left them. Without it, training runs in slices on this thread.
   */
  train?(job: TrainJob, io: TrainIO): Promise<TrainOutcome>;
}

/** One `train` run: the network to train (changed in place), its data and the trainer's options. */
export interface TrainJob {
  /** the network's name, for the loss curve's title */
  name: string;
  net: Network;
  data: Dataset;
  /**
   * the dataset whose decision boundary the timeline snapshots (2-input networks trained on a
   * dataset)
   */
  boundaryData?: Dataset;
  /** plain options (no callbacks) */
  options: TrainOptions;
}

export interface TrainIO {
  isCancelled(): boolean;
  yieldNow(): Promise<void>;
  /** the progress item and the loss curve so far, after every slice */
  onProgress?(items: ResultItem[]): void;
  /**
   * a second thread for the big layers' products (engine/wasm/twin.ts; the same bits without it)
   */
  twin?: KernelTwin;
}

export interface TrainOutcome {
  status: TrainStatus;
  /** evenly spaced snapshots of the run, when they fit */
  timeline?: TimelineItem[];
}

/** A problem located in the cell text (offsets into the cell). */
export interface CellProblem {
  message: string;
  code: string;
  severity: 'error' | 'warning' | 'info';
  start: number;
  end: number;
  line: number;
  column: number;
  /** where an internal error (code BPNB900, a bug) was thrown, for its report */
  stack?: string;
}

/**
 * A quantity's value (and gradient) as the statement it is written in left it, recorded while the
 * cell ran: what the editor shows beside that line (inlay hints, hovers), so a cell shows the
 * numbers of its own run, not those of whatever ran after it.
 */
export interface RecordedValue {
  /** the quantity token's offsets in the cell text that ran */
  start: number;
  end: number;
  value: number;
  gradient?: number;
}

export interface CellRun {
  /** false when a statement failed, an expect did not hold, or the run was cancelled */
  ok: boolean;
  cancelled: boolean;
  items: ResultItem[];
  problems: CellProblem[];
  /** expectations checked in this cell and how many held */
  expectations: { total: number; failed: number };
  /** each expectation that did not hold, with the span of the statement that made it */
  failedExpectations: { item: ExpectItem; span: Span }[];
  /**
   * the networks whose numbers the cell shows, each as it was when the cell ended: none for a cell
   * of computation graphs only. Session.rebuiltSince says whether a later cell rebuilt one of them
   * (a runner with `rebuilds`, see statements.ts) or defined another network by its name
   */
  shows: number[];
  /**
   * each quantity of each statement that ran, read just after that statement (a statement that
   * failed or did not run records none)
   */
  values: RecordedValue[];
}

/** A cell run in which no statement ran and nothing was recorded (for reports built by hand). */
export function emptyCellRun(ok: boolean): CellRun {
  return {
    ok,
    cancelled: false,
    items: [],
    problems: [],
    expectations: { total: 0, failed: 0 },
    failedExpectations: [],
    shows: [],
    values: [],
  };
}
