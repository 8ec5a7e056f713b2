/**
 * Validation of messages from the Network panel's webview. The webview is untrusted: every message
 * is checked against its schema and anything unknown or malformed is dropped (returns undefined).
 * No vscode import, so it is unit-tested directly.
 */
import type { GraphItem } from '../protocol/graph';
import type { PanelToHostMessage, UpdateMessage } from '../protocol/panelMessages';
import type {
  BoundaryItem,
  DerivationItem,
  LossCurveItem,
  NetworkSnapshot,
  TimelineItem,
} from '../protocol/results';

/** What the panel needs from a notebook's session (the runtime Session has these). */
export interface PanelSession {
  shape(): { sizes: number[] } | undefined;
  /** the network with z, a, δ and the pass of row `row` (1-based) of the last batch */
  snapshot(row?: number): NetworkSnapshot | undefined;
  /** the computation graph the last statement drew, if no network statement ran since */
  lastGraph(): GraphItem | undefined;
  lastTraining():
    { lossCurve?: LossCurveItem; boundary?: BoundaryItem; timeline?: TimelineItem[] } | undefined;
  /**
   * the runtime's derivation of a parameter's gradient (as `explain` gives it), or why there is
   * none
   */
  explainParameter(param: string): DerivationItem | string;
}

/**
 * What the panel is sent for a session: the computation graph the last statement drew, or else
 * the current network with its last training (the timeline only with final updates, not with
 * every live frame: it can hold a million numbers). All of a live frame's host-side work but the
 * post (bench/product.ts times it). The snapshot's z, a, δ and pass are of batch row `row`.
 */
export function updateMessage(
  session: Pick<PanelSession, 'snapshot' | 'lastGraph' | 'lastTraining'> | undefined,
  notebook: string,
  live: boolean,
  digits?: number,
  row?: number,
): UpdateMessage {
  const graph = session?.lastGraph();
  if (graph) return { type: 'update', notebook, graph, live, digits };
  const snapshot = session?.snapshot(row);
  if (!session || !snapshot) return { type: 'update', notebook, live, digits };
  const training = session.lastTraining();
  const timeline = live ? undefined : training?.timeline;
  return {
    type: 'update',
    notebook,
    snapshot,
    lossCurve: training?.lossCurve,
    boundary: training?.boundary,
    ...(timeline ? { timeline } : {}),
    live,
    digits,
  };
}

/** Longest parameter name accepted (`w(99999,99999)[64]` is 19 characters). */
const MAX_PARAM_LENGTH = 40;
const PARAM = /^(?:w(?:\d\d|\(\d{1,6},\d{1,6}\))|b(?:\d|\(\d{1,6}\))|\d{1,6})\[\d{1,4}\]$/;

/** A batch row as the webview may send it: a whole number from 1 (the runtime caps it). */
const isRow = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 1;

export function parsePanelMessage(raw: unknown): PanelToHostMessage | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const m = raw as Record<string, unknown>;
  const keys = Object.keys(m);
  switch (m.type) {
    case 'ready':
      if (keys.length === 1) return { type: 'ready' };
      return keys.length === 2 && isRow(m.row) ? { type: 'ready', row: m.row } : undefined;
    case 'row':
      return keys.length === 2 && isRow(m.row) ? { type: 'row', row: m.row } : undefined;
    case 'select':
      if (
        keys.length !== 2 ||
        typeof m.param !== 'string' ||
        m.param.length > MAX_PARAM_LENGTH ||
        !PARAM.test(m.param)
      )
        return undefined;
      return { type: 'select', param: m.param };
    default:
      return undefined;
  }
}
