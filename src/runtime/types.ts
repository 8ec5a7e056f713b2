import type { ResultItem } from '../protocol/results';

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
  /** milliseconds since some fixed point, for slicing long work */
  now(): number;
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
}

export interface CellRun {
  /** false when a statement failed, an expect did not hold, or the run was cancelled */
  ok: boolean;
  cancelled: boolean;
  items: ResultItem[];
  problems: CellProblem[];
  /** expectations checked in this cell and how many held */
  expectations: { total: number; failed: number };
}
