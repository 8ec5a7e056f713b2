/**
 * The SVG drawing of a small net: every node and edge a focusable element with an aria-label;
 * value lines above and below the nodes, edge labels placed where they collide with nothing
 * (labels.ts); nodes of a 2-input net drawn as heatmaps of their activation over the input plane.
 */
import { NetworkSnapshot, Num, decodeNumber } from '../protocol/results';
import { shownNumber } from '../protocol/text';
import { svg } from './dom';
import { gridDataUrl, mapRange } from './heatmap';
import {
  Box,
  LINE_HEIGHT,
  PlacedLabel,
  placeEdgeLabels,
  straight,
  textBox,
  textWidth,
} from './labels';
import {
  EDGE_VALUE_LIMIT,
  EdgeRef,
  NetworkLayout,
  NodePos,
  activationStrength,
  edgeWidth,
  maxAbs,
} from './layout';
import { nodeName, weightName } from './names';
import type { Drawn, Highlight, NetworkDrawOptions } from './network';
import { edgeDescription, nodeDescription } from './describe';
import { pointToPixel } from './boundary';
import { pushAll } from '../protocol/extent';

const at = <T>(rows: T[][] | undefined, k: number, j: number): T | undefined =>
  rows?.[k - 1]?.[j - 1];
const num = (v: Num | undefined): number => (v === undefined ? NaN : decodeNumber(v));

/** The words around one node: a line above (name in map mode, a), lines below (δ, flag). */
export interface NodeLines {
  above: Line[];
  below: Line[];
}

/** A word placed around a node: a value line or a flag. */
export interface Line extends PlacedLabel {
  flag?: boolean;
}

const FLAG_TEXT: Record<string, string> = { dead: '✕ dead', saturated: '⚠ saturated' };

/** The value lines of node j of layer k, placed above and below it (empty when they do not fit). */
export function nodeLines(
  s: NetworkSnapshot,
  layout: NetworkLayout,
  p: NodePos,
  maps: boolean,
): NodeLines {
  const r = layout.radius;
  const roomy = layout.valueLabels[p.k - 1];
  const out: NodeLines = { above: [], below: [] };
  // centred on the node, slid inward where the drawing's edge would cut it
  const put = (list: Line[], text: string, y: number, flag = false) => {
    const half = textWidth(text) / 2;
    const x = Math.max(half, Math.min(layout.width - half, p.x));
    list.push({ x, y, text, box: textBox(text, x, y), flag });
  };
  const a = at(s.a, p.k, p.j);
  const d = at(s.delta, p.k, p.j);
  const flag = at(s.flags, p.k, p.j);
  const name = nodeName(p.j, p.k);
  const aText = a === undefined ? '' : `${p.k === 1 ? `x${p.j}` : 'a'} = ${shownNumber(a)}`;
  // a map has no room for its name inside: the name goes above it and a below it
  if (maps && layout.nodeLabels) put(out.above, name, 0);
  if (roomy && aText) put(maps ? out.below : out.above, aText, 0);
  if (roomy && d !== undefined && p.k > 1) put(out.below, `δ = ${shownNumber(d)}`, 0);
  if (roomy && flag) put(out.below, FLAG_TEXT[flag] ?? flag, 0, true);
  // stack the lines outward from the node
  out.above.forEach((l, i) => move(l, p.y - r - 8 - i * LINE_HEIGHT));
  out.below.forEach((l, i) => move(l, p.y + r + 9 + i * LINE_HEIGHT));
  return out;
}

function move(l: PlacedLabel, y: number): void {
  l.box = { ...l.box, y: l.box.y + (y - l.y) };
  l.y = y;
}

/** Boxes the edge labels must keep clear of: nodes, their value lines, the layer labels. */
function obstacles(layout: NetworkLayout, lines: NodeLines[][]): Box[] {
  const r = layout.radius + 2;
  const boxes: Box[] = [];
  layout.nodes.forEach((col, idx) => {
    if (col.length) boxes.push({ x: col[0].x - 36, y: 0, w: 72, h: 32 });
    col.forEach((p, j) => {
      boxes.push({ x: p.x - r, y: p.y - r, w: 2 * r, h: 2 * r });
      for (const l of [...lines[idx][j].above, ...lines[idx][j].below]) boxes.push(l.box);
    });
  });
  return boxes;
}

/** Sources high in their column label near themselves, low ones near the target. */
const stagger = (i: number, n: number) => (n > 1 ? 0.3 + (0.4 * (i - 1)) / (n - 1) : 0.5);

function edgeTexts(e: EdgeRef, layout: NetworkLayout): string[] {
  const name = weightName(e.i, e.j, e.k);
  return layout.totalEdges <= EDGE_VALUE_LIMIT
    ? [`${name} = ${shownNumber(e.weight)}`, name]
    : [name];
}

function layerLabels(s: NetworkSnapshot, layout: NetworkLayout): SVGElement[] {
  const out: SVGElement[] = [];
  layout.nodes.forEach((col, idx) => {
    if (!col.length) return;
    const act = idx === 0 ? 'input' : (s.activations[idx - 1] ?? '');
    out.push(svg('text', { x: col[0].x, y: 14, class: 'bp-layer-label' }, [`L${idx + 1}`]));
    out.push(svg('text', { x: col[0].x, y: 27, class: 'bp-layer-label' }, [act]));
  });
  return out;
}

function keyPicker(pick: (name: string) => void, name: string) {
  return (ev: KeyboardEvent) => {
    if (ev.key === 'Enter' || ev.key === ' ') {
      ev.preventDefault();
      pick(name);
    }
  };
}

function edgeElement(
  s: NetworkSnapshot,
  layout: NetworkLayout,
  e: EdgeRef,
  maxW: number,
  pick: (name: string) => void,
): SVGGElement {
  const from = layout.nodes[e.k - 1][e.i - 1];
  const to = layout.nodes[e.k][e.j - 1];
  const name = weightName(e.i, e.j, e.k);
  const desc = edgeDescription(s, e);
  const line = { x1: from.x, y1: from.y, x2: to.x, y2: to.y };
  const g = svg(
    'g',
    { class: 'bp-edge-g', tabindex: 0, role: 'button', 'aria-label': desc, 'data-param': name },
    [
      svg('title', {}, [desc]),
      svg('line', {
        ...line,
        class: `bp-edge ${e.weight < 0 ? 'neg' : 'pos'}`,
        'stroke-width': edgeWidth(e.weight, maxW).toFixed(2),
      }),
      svg('line', { ...line, class: 'bp-edge-hit' }),
    ],
  );
  g.addEventListener('click', () => pick(name));
  g.addEventListener('keydown', keyPicker(pick, name));
  return g;
}

/** The node's picture: a circle filled by |a|, or a square heatmap of a over the input plane. */
function nodeShape(s: NetworkSnapshot, layout: NetworkLayout, p: NodePos, m: number): SVGElement[] {
  const r = layout.radius;
  const maps = s.maps;
  const values = maps?.values[p.k - 1]?.[p.j - 1];
  if (layout.shape === 'map' && maps && values) {
    const side = 2 * r;
    const parts: SVGElement[] = [
      svg('rect', { x: p.x - r, y: p.y - r, width: side, height: side, class: 'bp-map-bg' }),
      svg('image', {
        href: gridDataUrl(values, maps.resolution, mapRange(values)),
        x: p.x - r,
        y: p.y - r,
        width: side,
        height: side,
        preserveAspectRatio: 'none',
        class: 'bp-map',
      }),
    ];
    if (p.k === s.sizes.length) pushAll(parts, mapPoints(s, p, r));
    parts.push(
      svg('rect', { x: p.x - r, y: p.y - r, width: side, height: side, class: 'bp-ring' }),
    );
    return parts;
  }
  const a = num(at(s.a, p.k, p.j));
  const parts: SVGElement[] = [svg('circle', { cx: p.x, cy: p.y, r, class: 'bp-ring' })];
  if (Number.isFinite(a))
    parts.push(
      svg('circle', {
        cx: p.x,
        cy: p.y,
        r: r - 1,
        class: `bp-fill ${a < 0 ? 'neg' : 'pos'}`,
        'fill-opacity': (0.12 + 0.6 * activationStrength(a, m)).toFixed(3),
        'pointer-events': 'none',
      }),
    );
  if (layout.nodeLabels)
    parts.push(svg('text', { x: p.x, y: p.y, class: 'bp-node-name' }, [nodeName(p.j, p.k)]));
  return parts;
}

/** The data points on an output node's map (the decision boundary in small). */
function mapPoints(s: NetworkSnapshot, p: NodePos, r: number): SVGElement[] {
  const maps = s.maps;
  if (!maps?.points || maps.points.length > 400) return [];
  return maps.points.map((pt) => {
    const [px, py] = pointToPixel(pt.x, pt.y, maps, 2 * r);
    return svg('circle', {
      cx: (p.x - r + px).toFixed(1),
      cy: (p.y - r + py).toFixed(1),
      r: 1.4,
      class: `bp-map-point ${pt.label >= 0.5 ? 'one' : 'zero'}`,
    });
  });
}

function nodeElement(
  s: NetworkSnapshot,
  layout: NetworkLayout,
  p: NodePos,
  m: number,
  pick: (name: string) => void,
): SVGGElement {
  const name = nodeName(p.j, p.k);
  const flag = at(s.flags, p.k, p.j) ?? undefined;
  const desc = nodeDescription(s, p.k, p.j);
  const g = svg(
    'g',
    {
      class: `bp-node${flag ? ' ' + flag : ''}`,
      tabindex: 0,
      role: 'button',
      'aria-label': desc,
      'data-node': name,
    },
    [svg('title', {}, [desc]), ...nodeShape(s, layout, p, m)],
  );
  g.addEventListener('click', () => pick(name));
  g.addEventListener('keydown', keyPicker(pick, name));
  return g;
}

/**
 * The value lines and flags of every node, in one layer the screen reader skips (each node's
 * aria-label says them). Each line sits on a rect of the editor's background, its box (the one
 * edge labels keep clear of), so no edge is drawn through the words; the rects go first, so none
 * covers another line's words.
 */
function valueLayer(lines: NodeLines[][]): SVGGElement {
  const layer = svg('g', { class: 'bp-values', 'aria-hidden': 'true' });
  const all = lines.flat().flatMap((n) => [...n.above, ...n.below]);
  for (const { box } of all)
    layer.append(
      svg('rect', { x: box.x, y: box.y, width: box.w, height: box.h, rx: 3, class: 'bp-value-bg' }),
    );
  for (const l of all)
    layer.append(svg('text', { x: l.x, y: l.y, class: l.flag ? 'bp-flag' : undefined }, [l.text]));
  return layer;
}

export interface SvgDrawn extends Drawn {
  /**
   * the node and edge elements by name (`1[2]`, `w11[1]`), for highlights and the pass animation
   */
  nodeEls: Map<string, SVGGElement>;
  edgeEls: Map<string, SVGGElement>;
  /** a layer above everything, for the pass animation's words */
  overlay: SVGGElement;
  /** how many edges that were to be labelled found no free place for a label */
  unlabelled: number;
}

export function drawSvg(
  s: NetworkSnapshot,
  layout: NetworkLayout,
  options: NetworkDrawOptions,
): SvgDrawn {
  const { width, height } = layout;
  const root = svg('svg', {
    viewBox: `0 0 ${width} ${height}`,
    width,
    height,
    role: 'group',
    'aria-label': `network ${s.name}: layers ${s.sizes.join('-')}`,
  });
  const maxW = maxAbs(layout.edges.map((e) => e.weight));
  const pick = (name: string) => options.onSelect?.(name);
  const mapMode = layout.shape === 'map';
  const lines = layout.nodes.map((col) => col.map((p) => nodeLines(s, layout, p, mapMode)));
  // eslint-disable-next-line no-restricted-syntax -- bounded: one label per layer
  root.append(...layerLabels(s, layout));

  const edgeEls = new Map<string, SVGGElement>();
  const edges = svg('g', { class: 'bp-edges' });
  for (const e of layout.edges) {
    const g = edgeElement(s, layout, e, maxW, pick);
    edgeEls.set(weightName(e.i, e.j, e.k), g);
    edges.append(g);
  }
  root.append(edges);
  const labels = edgeLabelLayer(layout, lines, pick);
  root.append(labels.layer);

  const nodeEls = new Map<string, SVGGElement>();
  layout.nodes.forEach((col, idx) => {
    const m = maxAbs((s.a?.[idx] ?? []).map(num));
    col.forEach((p) => {
      const g = nodeElement(s, layout, p, m, pick);
      nodeEls.set(nodeName(p.j, p.k), g);
      root.append(g);
    });
  });
  root.append(valueLayer(lines));
  const overlay = svg('g', { class: 'bp-overlay', 'aria-hidden': 'true' });
  root.append(overlay);
  return {
    element: root,
    nodeEls,
    edgeEls,
    overlay,
    unlabelled: labels.unlabelled,
    setHighlight: highlighter(nodeEls, edgeEls),
  };
}

/** Edge names (and values where they fit) on their own lines, drawn above every edge. */
function edgeLabelLayer(
  layout: NetworkLayout,
  lines: NodeLines[][],
  pick: (name: string) => void,
): { layer: SVGGElement; unlabelled: number } {
  const layer = svg('g', { class: 'bp-edge-labels' });
  if (!layout.edgeLabels) return { layer, unlabelled: 0 };
  const requests = layout.edges.map((e) => ({
    at: straight(layout.nodes[e.k - 1][e.i - 1], layout.nodes[e.k][e.j - 1]),
    texts: edgeTexts(e, layout),
    start: stagger(e.i, layout.nodes[e.k - 1].length),
  }));
  const placed = placeEdgeLabels(requests, obstacles(layout, lines), layout.width, layout.height);
  placed.forEach((l, n) => {
    if (!l) return;
    const e = layout.edges[n];
    const name = weightName(e.i, e.j, e.k);
    const { x, y, w, h } = l.box;
    const t = svg('g', { class: 'bp-edge-label', 'data-param': name }, [
      svg('rect', { x: x + 1, y: y + 1, width: w - 2, height: h - 2, rx: 3, class: 'bp-label-bg' }),
      svg('text', { x: l.x, y: l.y }, [l.text]),
    ]);
    t.addEventListener('click', () => pick(name));
    layer.append(t);
  });
  return { layer, unlabelled: placed.filter((l) => !l).length };
}

function highlighter(
  nodeEls: Map<string, SVGGElement>,
  edgeEls: Map<string, SVGGElement>,
): (h: Highlight | undefined) => void {
  let lit: Element[] = [];
  return (h) => {
    lit.forEach((e) => e.classList.remove('bp-hl'));
    lit = [];
    for (const n of h?.nodes ?? []) {
      const e = nodeEls.get(n);
      if (e) lit.push(e);
    }
    for (const p of h?.params ?? []) {
      const e = edgeEls.get(p);
      if (e) {
        lit.push(e);
        e.parentNode?.append(e); // draw on top
      }
    }
    lit.forEach((e) => e.classList.add('bp-hl'));
  };
}
