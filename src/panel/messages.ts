/**
 * Validation of messages from the Network panel's webview. The webview is untrusted: every message
 * is checked against its schema and anything unknown or malformed is dropped (returns undefined).
 * No vscode import, so it is unit-tested directly.
 */
import type { PanelToHostMessage } from '../protocol/panelMessages';

/** Longest parameter name accepted (`w(99999,99999)[64]` is 19 characters). */
const MAX_PARAM_LENGTH = 40;
const PARAM = /^(?:w(?:\d\d|\(\d{1,6},\d{1,6}\))|b(?:\d|\(\d{1,6}\))|\d{1,6})\[\d{1,4}\]$/;

export function parsePanelMessage(raw: unknown): PanelToHostMessage | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const m = raw as Record<string, unknown>;
  const keys = Object.keys(m);
  switch (m.type) {
    case 'ready':
      return keys.length === 1 ? { type: 'ready' } : undefined;
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
