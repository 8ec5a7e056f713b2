/**
 * The canvas drawing of a big net: the strongest edges per layer, nodes as dots, a keyboard cursor
 * (arrows between nodes, Shift+Up/Down along a node's drawn edges) announced in a live region.
 */
import { NetworkSnapshot, Num, decodeNumber } from '../protocol/results';
import { el } from './dom';
import {
  EdgeRef,
  NetworkLayout,
  NodeCursor,
  activationStrength,
  edgeWidth,
  hitTest,
  maxAbs,
  moveCursor,
} from './layout';
import { nodeName, weightName } from './names';
import type { Drawn, Highlight, NetworkDrawOptions } from './network';
import { edgeDescription, nodeDescription } from './describe';

const num = (v: Num | undefined): number => (v === undefined ? NaN : decodeNumber(v));

/** keyboard position: a node, and optionally one of its drawn outgoing edges */
type Cursor = NodeCursor & { edge?: number };

interface Colours {
  pos: string;
  neg: string;
  fg: string;
  muted: string;
  hl: string;
  font: string;
}

function themeColour(name: string, fallback: string): string {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v || fallback;
}

function themeColours(): Colours {
  return {
    pos: themeColour('--vscode-charts-blue', '#1a85ff'),
    neg: themeColour('--vscode-charts-red', '#d4463b'),
    fg: themeColour('--vscode-editor-foreground', '#333'),
    muted: themeColour('--vscode-descriptionForeground', '#717171'),
    hl: themeColour('--vscode-charts-yellow', '#e2c08d'),
    font: themeColour('--vscode-font-family', 'sans-serif'),
  };
}

const outgoing = (layout: NetworkLayout, c: NodeCursor) =>
  layout.edges.filter((e) => e.k === c.k && e.i === c.j);

/** The drawn edge the cursor is on, if any. */
function cursorEdge(layout: NetworkLayout, c: Cursor | undefined): EdgeRef | undefined {
  return c?.edge !== undefined ? outgoing(layout, c)[c.edge] : undefined;
}

function cursorName(layout: NetworkLayout, c: Cursor | undefined): string | undefined {
  if (!c) return undefined;
  const e = cursorEdge(layout, c);
  return e ? weightName(e.i, e.j, e.k) : nodeName(c.j, c.k);
}

/** The cursor after a key press, or undefined when the key is not the drawing's. */
function nextCursor(
  s: NetworkSnapshot,
  layout: NetworkLayout,
  c: Cursor | undefined,
  ev: KeyboardEvent,
): Cursor | undefined {
  if (!c) return ev.key.startsWith('Arrow') ? { k: 1, j: 1 } : undefined;
  if (ev.shiftKey && (ev.key === 'ArrowDown' || ev.key === 'ArrowUp')) {
    const n = outgoing(layout, c).length;
    if (!n) return undefined;
    const at = c.edge ?? -1;
    return { ...c, edge: ev.key === 'ArrowDown' ? (at + 1) % n : (at - 1 + n) % n };
  }
  const next = moveCursor(s.sizes, c, ev.key);
  return next === c ? undefined : next;
}

const weightIndex = new WeakMap<NetworkSnapshot, Map<string, EdgeRef>>();

/**
 * Every weight of the snapshot by the name the views write it with (names.ts), so a highlighted
 * name is looked up, never parsed back into indices; built once per snapshot, at its first
 * highlight.
 */
export function weightsByName(s: NetworkSnapshot): Map<string, EdgeRef> {
  let byName = weightIndex.get(s);
  if (!byName) {
    byName = new Map();
    s.weights.forEach((layer, k0) =>
      layer.forEach((row, i0) =>
        row.forEach((w, j0) =>
          byName!.set(weightName(i0 + 1, j0 + 1, k0 + 1), {
            k: k0 + 1,
            i: i0 + 1,
            j: j0 + 1,
            weight: num(w),
          }),
        ),
      ),
    );
    weightIndex.set(s, byName);
  }
  return byName;
}

function paintEdges(
  ctx: CanvasRenderingContext2D,
  s: NetworkSnapshot,
  layout: NetworkLayout,
  colours: Colours,
  cursor: Cursor | undefined,
  highlight: Highlight | undefined,
): void {
  const maxW = maxAbs(layout.edges.map((e) => e.weight));
  const drawEdge = (e: EdgeRef, colour?: string) => {
    const from = layout.nodes[e.k - 1][e.i - 1];
    const to = layout.nodes[e.k][e.j - 1];
    ctx.strokeStyle = colour ?? (e.weight < 0 ? colours.neg : colours.pos);
    ctx.lineWidth = colour ? 3 : Math.max(0.3, edgeWidth(e.weight, maxW) * 0.6);
    ctx.setLineDash(e.weight < 0 ? [4, 3] : []);
    ctx.beginPath();
    ctx.moveTo(from.x, from.y);
    ctx.lineTo(to.x, to.y);
    ctx.stroke();
  };
  ctx.globalAlpha = layout.edges.length > 500 ? 0.35 : 0.7;
  // group by sign so the dash state changes twice, not once per edge
  for (const e of layout.edges) if (e.weight >= 0) drawEdge(e);
  for (const e of layout.edges) if (e.weight < 0) drawEdge(e);
  ctx.globalAlpha = 1;
  const onCursor = cursorEdge(layout, cursor);
  if (onCursor) drawEdge(onCursor, colours.fg);
  if (highlight?.params?.length) {
    const byName = weightsByName(s);
    for (const p of highlight.params) {
      const e = byName.get(p);
      if (e && layout.nodes[e.k - 1]?.[e.i - 1] && layout.nodes[e.k]?.[e.j - 1])
        drawEdge(e, colours.hl);
    }
  }
  ctx.setLineDash([]);
}

function paintNodes(
  ctx: CanvasRenderingContext2D,
  s: NetworkSnapshot,
  layout: NetworkLayout,
  colours: Colours,
  cursor: Cursor | undefined,
  highlight: Highlight | undefined,
): void {
  const litNodes = new Set(highlight?.nodes ?? []);
  const r = layout.radius;
  layout.nodes.forEach((col, idx) => {
    const k = idx + 1;
    const acts = (s.a?.[idx] ?? []).map(num);
    const m = maxAbs(acts);
    for (const p of col) {
      const a = acts[p.j - 1];
      ctx.globalAlpha = 0.25 + 0.75 * (a === undefined ? 0 : activationStrength(a, m));
      ctx.fillStyle =
        a !== undefined && a < 0 ? colours.neg : a !== undefined ? colours.pos : colours.muted;
      if (r < 2.5) ctx.fillRect(p.x - 5, p.y - Math.max(0.5, r), 10, Math.max(1, r * 2));
      else {
        ctx.beginPath();
        ctx.arc(p.x, p.y, r, 0, Math.PI * 2);
        ctx.fill();
      }
      ctx.globalAlpha = 1;
      if (cursor && cursor.k === k && cursor.j === p.j) {
        ctx.strokeStyle = colours.fg;
        ctx.lineWidth = 2;
        ctx.setLineDash([2, 2]);
        ctx.strokeRect(p.x - 9, p.y - Math.max(4, r) - 3, 18, Math.max(8, 2 * r) + 6);
        ctx.setLineDash([]);
      }
      if (litNodes.has(nodeName(p.j, k))) {
        ctx.strokeStyle = colours.hl;
        ctx.lineWidth = 3;
        ctx.strokeRect(p.x - 7, p.y - Math.max(3, r) - 2, 14, Math.max(6, 2 * r) + 4);
      }
    }
  });
}

function paintLayerLabels(
  ctx: CanvasRenderingContext2D,
  s: NetworkSnapshot,
  layout: NetworkLayout,
  colours: Colours,
): void {
  ctx.fillStyle = colours.muted;
  ctx.font = `12px ${colours.font}`;
  ctx.textAlign = 'center';
  layout.nodes.forEach((col, idx) => {
    if (!col.length) return;
    ctx.fillText(`L${idx + 1}`, col[0].x, 14);
    const act = idx === 0 ? 'input' : (s.activations[idx - 1] ?? '');
    ctx.fillText(`${act} · ${col.length}`, col[0].x, 27);
  });
}

/** The canvas element, sized for the device's pixel ratio (at most 2), with its description. */
function networkCanvas(
  s: NetworkSnapshot,
  layout: NetworkLayout,
  ratio: number,
): HTMLCanvasElement {
  const canvas = el('canvas', {
    class: 'bp-focusable',
    tabindex: 0,
    role: 'application',
    'aria-roledescription': 'network drawing',
    'aria-label':
      `network ${s.name}: layers ${s.sizes.join('-')}, ${layout.totalEdges} weights; ` +
      `drawn with the ${layout.edges.length} strongest edges. Arrow keys move between nodes, ` +
      'Shift+Up/Down walk the drawn edges leaving a node, Enter selects; click a node or edge to ' +
      'select it; the table view lists everything',
  });
  canvas.width = Math.round(layout.width * ratio);
  canvas.height = Math.round(layout.height * ratio);
  canvas.style.width = `${layout.width}px`;
  return canvas;
}

/** What a click on the canvas hit: the cursor it puts there and the name it selects. */
function clicked(
  canvas: HTMLCanvasElement,
  layout: NetworkLayout,
  ev: MouseEvent,
): { cursor: Cursor; name: string } | undefined {
  const rect = canvas.getBoundingClientRect();
  if (!rect.width || !rect.height) return undefined;
  const { width, height } = layout;
  const x = ((ev.clientX - rect.left) * width) / rect.width;
  const y = ((ev.clientY - rect.top) * height) / rect.height;
  const hit = hitTest(layout, x, y, Math.max(3, (4 * width) / rect.width));
  if (!hit) return undefined;
  if (hit.kind === 'node') return { cursor: { k: hit.k, j: hit.j }, name: nodeName(hit.j, hit.k) };
  const from = { k: hit.k, j: hit.i };
  const edge = outgoing(layout, from).findIndex((e) => e.j === hit.j);
  return { cursor: { ...from, edge }, name: weightName(hit.i, hit.j, hit.k) };
}

export function drawCanvas(
  s: NetworkSnapshot,
  layout: NetworkLayout,
  options: NetworkDrawOptions,
): Drawn {
  const { width, height } = layout;
  const ratio = Math.min(2, globalThis.devicePixelRatio || 1);
  const canvas = networkCanvas(s, layout, ratio);
  const status = el('div', { class: 'bp-sr-only', role: 'status', 'aria-live': 'polite' });
  let cursor: Cursor | undefined;
  let highlight: Highlight | undefined;

  const paint = () => {
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    const colours = themeColours();
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, height);
    paintEdges(ctx, s, layout, colours, cursor, highlight);
    paintNodes(ctx, s, layout, colours, cursor, highlight);
    paintLayerLabels(ctx, s, layout, colours);
  };
  const announce = () => {
    const e = cursorEdge(layout, cursor);
    if (cursor)
      status.textContent = e ? edgeDescription(s, e) : nodeDescription(s, cursor.k, cursor.j);
  };
  canvas.addEventListener('click', (ev: MouseEvent) => {
    const hit = clicked(canvas, layout, ev);
    if (!hit) return;
    cursor = hit.cursor;
    announce();
    options.onSelect?.(hit.name);
  });
  canvas.addEventListener('keydown', (ev: KeyboardEvent) => {
    if (ev.key === 'Enter' || ev.key === ' ') {
      const name = cursorName(layout, cursor);
      if (!name) return;
      ev.preventDefault();
      options.onSelect?.(name);
      return;
    }
    const next = nextCursor(s, layout, cursor, ev);
    if (!next) return;
    ev.preventDefault();
    cursor = next;
    announce();
    paint();
  });
  // the canvas must be in the document for theme colours to resolve: paint once it is attached
  requestAnimationFrame(paint);
  return {
    element: el('div', { class: 'bp-canvas-wrap' }, [canvas, status]),
    setHighlight(h) {
      highlight = h;
      paint();
    },
  };
}
