/**
 * Tiny DOM helpers for the browser views. Text goes in through `textContent` only, so names,
 * file names and messages from the user's text can never become markup. KaTeX builds the nodes
 * of a formula itself (derivation.ts), and makes text nodes of any text in it.
 */
import type { TextPart } from '../protocol/results';
import { codeSpans, exactNumber, shownNumber } from '../protocol/text';

export type Child = Node | string | null | undefined | false;
export type Attrs = Record<string, string | number | boolean | undefined>;

const SVG_NS = 'http://www.w3.org/2000/svg';

function applyAttrs(node: Element, attrs: Attrs | undefined): void {
  if (!attrs) return;
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    // attribute names are ours (fixed in code); event handler attributes are refused outright
    if (/^on/i.test(name) || name === 'style') throw new Error(`refusing attribute ${name}`);
    node.setAttribute(name, value === true ? '' : String(value));
  }
}

function append(node: Element, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    node.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
}

/** An HTML element with attributes and children (strings become text nodes). */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs?: Attrs,
  children: Child[] = [],
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  applyAttrs(node, attrs);
  append(node, children);
  return node;
}

/** An SVG element with attributes and children. */
export function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs?: Attrs,
  children: Child[] = [],
): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG_NS, tag);
  applyAttrs(node, attrs);
  append(node, children);
  return node;
}

/**
 * Words as the runtime sends them: text as text, each code part a <code> element, each number as
 * the digits setting shows it with every digit in its tooltip. Text only.
 */
export function drawParts(parts: readonly TextPart[]): Child[] {
  return parts.map((p) =>
    'code' in p
      ? el('code', {}, [p.code])
      : 'num' in p
        ? el('span', { class: 'bp-num', title: exactNumber(p.num) }, [shownNumber(p.num)])
        : p.text,
  );
}

/**
 * The views' own words and the host's reasons, with code spans written as in Markdown
 * (``run `backward` first``): each span becomes a <code> element (codeSpans, text.ts).
 */
export function withCode(text: string): Child[] {
  return drawParts(codeSpans(text));
}

/**
 * Adds the shared view stylesheet once per document (notebook renderer; the panel passes its
 * nonce).
 */
export function ensureStyle(doc: Document, id: string, css: string, nonce?: string): void {
  if (doc.getElementById(id)) return;
  const style = doc.createElement('style');
  style.id = id;
  if (nonce) style.nonce = nonce;
  style.textContent = css;
  doc.head.append(style);
}

export function clear(node: Element): void {
  while (node.firstChild) node.firstChild.remove();
}
