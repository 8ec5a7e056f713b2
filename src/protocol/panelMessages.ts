/**
 * Messages between the Network panel's webview and the extension host.
 * JSON only; the host validates every message it receives (src/panel/messages.ts).
 */
import type {
  BoundaryItem,
  DerivationItem,
  LossCurveItem,
  NetworkSnapshot,
  TimelineItem,
} from './results';
import type { GraphItem } from './graph';

/** Host → webview: the network of the active notebook and its last training, or nothing to show. */
export interface UpdateMessage {
  type: 'update';
  /** file name of the notebook the panel follows (shown as text) */
  notebook: string;
  snapshot?: NetworkSnapshot;
  lossCurve?: LossCurveItem;
  boundary?: BoundaryItem;
  /** evenly spaced snapshots of the last training run (sent with final updates, not live frames) */
  timeline?: TimelineItem[];
  /**
   * the computation graph the last statement drew: shown instead of the network (sent without it)
   */
  graph?: GraphItem;
  /** true while a cell is still running (live frames) */
  live?: boolean;
  /** significant digits to show (the `backpropNotebook.digits` setting) */
  digits?: number;
}

export interface EmptyMessage {
  type: 'empty';
  reason: string;
}

/**
 * Host → webview: the answer to `select`, the runtime's own derivation of the parameter's gradient
 * (what `explain` prints, with the last update step), or the reason there is none.
 */
export interface DerivationMessage {
  type: 'derivation';
  param: string;
  derivation?: DerivationItem;
  reason?: string;
}

export type HostToPanelMessage = UpdateMessage | EmptyMessage | DerivationMessage;

/**
 * Webview → host: the script is ready for its first update; `row` is the batch row it showed
 * before a reload (its saved state), which the host asks the runtime for again.
 */
export interface ReadyMessage {
  type: 'ready';
  row?: number;
}

/**
 * Webview → host: the user selected a parameter such as `w11[1]` or `b2[3]`; the host answers with
 * a DerivationMessage.
 */
export interface SelectMessage {
  type: 'select';
  param: string;
}

/**
 * Webview → host: the user picked row `row` (1-based) of the last batch to show and animate; the
 * host answers with an UpdateMessage whose snapshot is that row's (the runtime holds it to the
 * rows there are).
 */
export interface RowMessage {
  type: 'row';
  row: number;
}

export type PanelToHostMessage = ReadyMessage | SelectMessage | RowMessage;

/** What the webview keeps in `setState` so it restores after a reload or when shown again. */
export interface PanelState {
  last?: UpdateMessage;
  selected?: string;
  sort?: { column: number; descending: boolean };
  /** the timeline point shown (index), or undefined for the network as it is now */
  timelineIndex?: number;
  /** whether the table view of everything the drawing shows is open */
  tableView?: boolean;
  /** the pass animation's speed, milliseconds per step (one of passAnimation.ts's SPEEDS) */
  speed?: number;
  /** the batch row shown and animated (1-based), as the last snapshot's `row` or the user's pick */
  row?: number;
}
