/**
 * The notebook renderer for `application/vnd.bpnb.result+json`. It checks the payload's shape and
 * draws each item; a malformed payload or an exception shows as a readable error inside its own
 * output, never outside it.
 */
import { RESULT_MIME } from '../protocol/results';
import { el, ensureStyle } from './dom';
import { latexBudget, linkKatexStyle } from './derivation';
import { drawItem } from './items';
import { VIEW_CSS, VIEW_STYLE_ID } from './styles';
import { checkPayload } from './validate';
import { setDisplayDigits } from '../protocol/text';

/** this bundle's address, dist/renderer.js (esbuild.js defines it as import.meta.url) */
declare const BPNB_SCRIPT_URL: string | undefined;

/** The parts of VS Code's renderer API this renderer uses (see vscode-notebook-renderer). */
interface OutputItem {
  readonly id: string;
  readonly mime: string;
  json(): unknown;
}

interface RendererContext {
  readonly workspace?: { readonly isTrusted: boolean };
  /** present when the host's messaging is available (requiresMessaging: optional) */
  postMessage?(message: unknown): void;
  onDidReceiveMessage?(listener: (message: unknown) => void): unknown;
}

export interface Renderer {
  renderOutputItem(item: OutputItem, element: HTMLElement, signal?: AbortSignal): void;
  disposeOutputItem(id?: string): void;
}

/** Draws a payload into `element` (used by the renderer and by previews). */
export function renderPayload(payload: unknown, element: HTMLElement): void {
  ensureStyle(element.ownerDocument, VIEW_STYLE_ID, VIEW_CSS);
  const root = el('div', { class: 'bp-root' });
  try {
    const checked = checkPayload(payload);
    if (!checked.ok)
      root.append(
        el('div', { class: 'bp-error', role: 'alert' }, [
          `Cannot show this output: ${checked.error}`,
        ]),
      );
    else {
      const budget = latexBudget();
      for (const item of checked.items) {
        try {
          root.append(drawItem(item, budget));
        } catch (e) {
          root.append(
            el('div', { class: 'bp-error', role: 'alert' }, [
              `Cannot draw a ${item.kind} item: ${e instanceof Error ? e.message : String(e)}`,
            ]),
          );
        }
      }
      for (const error of checked.errors)
        root.append(
          el('div', { class: 'bp-error', role: 'alert' }, [`Skipped a malformed item: ${error}`]),
        );
    }
  } catch (e) {
    root.replaceChildren(
      el('div', { class: 'bp-error', role: 'alert' }, [
        `Cannot show this output: ${e instanceof Error ? e.message : String(e)}`,
      ]),
    );
  }
  element.replaceChildren(root);
}

/**
 * The renderer. It asks the host for the digits setting (`ready`); when the answer comes (or the
 * setting changes) the outputs drawn so far are drawn again with those digits.
 */
export const activate = (ctx?: RendererContext): Renderer => {
  const drawn = new Map<string, { payload: unknown; element: HTMLElement }>();
  linkKatexStyle(document, typeof BPNB_SCRIPT_URL === 'string' ? BPNB_SCRIPT_URL : undefined);
  ctx?.onDidReceiveMessage?.((m) => {
    const digits = (m as { type?: unknown; digits?: unknown } | null)?.digits;
    if ((m as { type?: unknown } | null)?.type !== 'digits') return;
    setDisplayDigits(digits);
    for (const { payload, element } of drawn.values()) renderPayload(payload, element);
  });
  ctx?.postMessage?.({ type: 'ready' });
  return {
    renderOutputItem(item, element) {
      let payload: unknown;
      try {
        payload = item.mime === RESULT_MIME ? item.json() : undefined;
      } catch (e) {
        payload = { error: e instanceof Error ? e.message : String(e) };
      }
      drawn.set(item.id, { payload, element });
      renderPayload(payload, element);
    },
    disposeOutputItem(id) {
      // outputs hold no timers or listeners outside their own elements; VS Code removes the
      // elements
      if (id === undefined) drawn.clear();
      else drawn.delete(id);
    },
  };
};
