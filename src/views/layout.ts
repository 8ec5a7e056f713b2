/**
 * Geometry of the network drawing, as pure functions (no DOM): node positions in columns L1…Ln,
 * which edges are drawn (all of them for small nets; the strongest per layer for big ones),
 * and whether SVG or canvas draws it.
 */
import { Num, decodeNumber } from '../protocol/results';
import { maxOf, pushAll } from '../protocol/extent';

export interface NodePos {
  /** layer k (1-based) */
  k: number;
  /** node j within its layer (1-based) */
  j: number;
  x: number;
  y: number;
}

export interface EdgeRef {
  /** from node i of layer k to node j of layer k+1: wij[k] */
  k: number;
  i: number;
  j: number;
  weight: number;
}

export interface NetworkLayout {
  width: number;
  height: number;
  /** radius of a node circle (can be below 1 px for very tall layers) */
  radius: number;
  /** nodes[k-1][j-1] */
  nodes: NodePos[][];
  /** the edges drawn, in i-then-j order within each layer gap */
  edges: EdgeRef[];
  totalEdges: number;
  /** true when edges were left out because there were too many */
  thinned: boolean;
  /** 'svg' for nets small enough to draw as focusable elements, 'canvas' otherwise */
  mode: 'svg' | 'canvas';
  /** whether wij[k] labels fit next to every edge */
  edgeLabels: boolean;
  /** whether node labels i[k] fit inside the circles */
  nodeLabels: boolean;
  /**
   * per layer (valueLabels[k-1]): whether the a= and δ= lines fit above and below its nodes without
   * running into their neighbours
   */
  valueLabels: boolean[];
  /** 'map' when every node is drawn as a square heatmap of its activation (2-input nets) */
  shape: 'circle' | 'map';
}

export interface LayoutOptions {
  /** most edges drawn at once (canvas) */
  maxEdges?: number;
  /** most edges drawn as SVG elements; above this the canvas is used */
  svgEdgeLimit?: number;
  /** most nodes drawn as SVG elements */
  svgNodeLimit?: number;
  width?: number;
  height?: number;
  /**
   * the width there is room for (px): a drawing naturally wider is laid out narrower, its layers
   * closer together, down to `MIN_LAYER_GAP` apart in SVG, `CANVAS_LAYER_GAP` on a canvas (then it
   * scrolls: it is never scaled down)
   */
  room?: number;
  /** draw nodes as square heatmaps (the snapshot has maps) */
  maps?: boolean;
}

export const LAYOUT_DEFAULTS = { maxEdges: 2000, svgEdgeLimit: 400, svgNodeLimit: 120 };
/** most edges that get a wij[k] label (where one fits); above it names are in tooltips only */
export const EDGE_LABEL_LIMIT = 64;
/** most edges whose label also carries the weight's value (where it fits) */
export const EDGE_VALUE_LIMIT = 24;

/**
 * half the widest value line (x4 = −0.0254119, textWidth 103 px) and a little: first and last
 * layers' words stay inside
 */
const MARGIN_X = 56;
const MARGIN_TOP = 36;
const MARGIN_BOTTOM = 28;
const LAYER_GAP = 250;
/**
 * closest two layers are drawn when the room is narrow: every edge name of example 03's 2-4-4-4-1
 * still finds a place (at 185 px too; at 175 px up to 3 of its 44 find none, at 150 px 6), and a
 * 2-3-1 (2·56 + 2·190 = 492 px) fits the panel's 499 px beside VS Code 1.99's 15-px scrollbar
 */
const MIN_LAYER_GAP = 190;
/**
 * closest two layers of a canvas drawing (no words on its edges) are drawn: its layer labels stay
 * apart (at 12 px 'leaky-relu · 128' is 93 px wide in Chromium)
 */
const CANVAS_LAYER_GAP = 100;
const NODE_GAP = 84;
/** vertical pitch of map nodes: the square, its name above, a, δ and a flag below */
const MAP_GAP = 118;
/** half the side of a map node's square */
const MAP_HALF = 22;
/** room for the a= line above a node and the δ= and flag lines below it, with a gap (px) */
const VALUE_LINES = 3 * 13 + 4;

/** The drawing's natural size for these layer sizes, kept inside a sane box. */
export function preferredSize(sizes: number[], maps = false): { width: number; height: number } {
  const widest = maxOf(sizes, 1);
  const gap = maps ? MAP_GAP : NODE_GAP;
  const width = MARGIN_X * 2 + Math.max(1, sizes.length - 1) * LAYER_GAP;
  const height =
    MARGIN_TOP + MARGIN_BOTTOM + Math.min(maps ? 840 : 600, Math.max(180, widest * gap));
  return { width: Math.min(1100, Math.max(300, width)), height };
}

/**
 * Keeps the `budget` edges of largest |w| of one layer gap (non-finite weights count as largest;
 * ties are kept in i-then-j order, so it is deterministic). Runs in O(n log n) on a typed array,
 * fast enough for 100,000 edges.
 */
export function strongestEdges(weights: Num[][], k: number, budget: number): EdgeRef[] {
  const nTo = weights[0]?.length ?? 0;
  const count = weights.length * nTo;
  const all = (): EdgeRef[] => {
    const out: EdgeRef[] = [];
    weights.forEach((row, i) =>
      row.forEach((w, j) => out.push({ k, i: i + 1, j: j + 1, weight: decodeNumber(w) })),
    );
    return out;
  };
  if (count <= budget) return all();
  if (budget <= 0) return [];
  const mags = new Float64Array(count);
  weights.forEach((row, i) =>
    row.forEach((w, j) => {
      const v = decodeNumber(w);
      mags[i * nTo + j] = Number.isFinite(v) ? Math.abs(v) : Infinity;
    }),
  );
  const sorted = Float64Array.from(mags).sort();
  const threshold = sorted[count - budget];
  let above = 0;
  for (let p = 0; p < count; p++) if (mags[p] > threshold) above++;
  let tiesLeft = budget - above;
  const kept: EdgeRef[] = [];
  for (let p = 0; p < count; p++) {
    const m = mags[p];
    if (m > threshold || (m === threshold && tiesLeft-- > 0)) {
      const i = Math.floor(p / nTo);
      const j = p % nTo;
      kept.push({ k, i: i + 1, j: j + 1, weight: decodeNumber(weights[i][j]) });
    }
  }
  return kept;
}

export function layoutNetwork(
  sizes: number[],
  weights: Num[][][],
  options: LayoutOptions = {},
): NetworkLayout {
  const maxEdges = options.maxEdges ?? LAYOUT_DEFAULTS.maxEdges;
  const svgEdgeLimit = options.svgEdgeLimit ?? LAYOUT_DEFAULTS.svgEdgeLimit;
  const svgNodeLimit = options.svgNodeLimit ?? LAYOUT_DEFAULTS.svgNodeLimit;
  const maps = options.maps === true;
  const natural = preferredSize(sizes, maps);
  const gaps = Math.max(0, sizes.length - 1);
  const totalEdges = sizes.slice(1).reduce((sum, n, idx) => sum + n * sizes[idx], 0);
  const totalNodes = sizes.reduce((a, b) => a + b, 0);
  const mode = totalEdges <= svgEdgeLimit && totalNodes <= svgNodeLimit ? 'svg' : 'canvas';
  // SVG layers keep the room their edges' words need (then it scrolls); a canvas fits the room
  const minGap = mode === 'svg' ? MIN_LAYER_GAP : CANVAS_LAYER_GAP;
  const narrowest = MARGIN_X * 2 + Math.max(1, gaps) * minGap;
  const width =
    options.width ??
    (options.room && options.room < natural.width
      ? Math.max(Math.floor(options.room), Math.min(natural.width, narrowest))
      : natural.width);
  const height = options.height ?? natural.height;
  const innerH = height - MARGIN_TOP - MARGIN_BOTTOM;
  const innerW = width - 2 * MARGIN_X;
  const widest = maxOf(sizes, 1);
  const pitch = innerH / widest;
  const radius = maps
    ? Math.max(8, Math.min(MAP_HALF, pitch * 0.3))
    : Math.max(0.3, Math.min(16, pitch * 0.32));

  const nodes = sizes.map((n, idx) => {
    const x = sizes.length === 1 ? width / 2 : MARGIN_X + (innerW * idx) / (sizes.length - 1);
    const layerPitch = Math.min(maps ? MAP_GAP : NODE_GAP, innerH / Math.max(1, n));
    const top = MARGIN_TOP + (innerH - layerPitch * n) / 2 + layerPitch / 2;
    return Array.from({ length: n }, (_, j) => ({
      k: idx + 1,
      j: j + 1,
      x,
      y: top + j * layerPitch,
    }));
  });

  const budget = gaps === 0 ? 0 : Math.floor(maxEdges / gaps);
  const edges: EdgeRef[] = [];
  for (let k = 1; k <= gaps; k++)
    pushAll(
      edges,
      strongestEdges(weights[k - 1] ?? [], k, totalEdges <= maxEdges ? Infinity : budget),
    );

  const shape = maps && mode === 'svg' ? 'map' : 'circle';
  return {
    width,
    height,
    radius,
    nodes,
    edges,
    totalEdges,
    thinned: edges.length < totalEdges,
    mode,
    edgeLabels: mode === 'svg' && totalEdges <= EDGE_LABEL_LIMIT,
    nodeLabels: mode === 'svg' && radius >= 9,
    shape,
    valueLabels: nodes.map(
      (col) =>
        mode === 'svg' &&
        radius >= 9 &&
        (col.length < 2 || col[1].y - col[0].y >= 2 * radius + VALUE_LINES + (maps ? 13 : 0)),
    ),
  };
}

/** Stroke width for an edge: grows with |w| relative to the largest drawn, from 0.5 to 5 px. */
export function edgeWidth(weight: number, maxAbs: number): number {
  if (!Number.isFinite(weight)) return 5;
  if (maxAbs <= 0) return 0.5;
  return 0.5 + 4.5 * Math.min(1, Math.abs(weight) / maxAbs);
}

/** Fill strength (0…1) for a node from its activation, relative to the largest |a| in its layer. */
export function activationStrength(a: number, maxAbs: number): number {
  if (!Number.isFinite(a)) return 1;
  if (maxAbs <= 0) return 0;
  return Math.min(1, Math.abs(a) / maxAbs);
}

export function maxAbs(values: number[]): number {
  let m = 0;
  for (const v of values) if (Number.isFinite(v) && Math.abs(v) > m) m = Math.abs(v);
  return m;
}

/** What a point on the drawing hits: a node `j[k]` or a drawn edge `wij[k]`. */
export type Hit =
  { kind: 'node'; k: number; j: number } | { kind: 'edge'; k: number; i: number; j: number };

/** Distance from (x, y) to the segment from a to b. */
export function segmentDistance(
  x: number,
  y: number,
  a: { x: number; y: number },
  b: { x: number; y: number },
): number {
  const dx = b.x - a.x,
    dy = b.y - a.y;
  const len2 = dx * dx + dy * dy;
  const t = len2 > 0 ? Math.max(0, Math.min(1, ((x - a.x) * dx + (y - a.y) * dy) / len2)) : 0;
  return Math.hypot(x - (a.x + t * dx), y - (a.y + t * dy));
}

/**
 * The node or drawn edge under (x, y), in layout coordinates: a node within max(radius, 5) px
 * (nodes win over edges), else the nearest drawn edge within `tolerance` px, else undefined.
 */
export function hitTest(
  layout: NetworkLayout,
  x: number,
  y: number,
  tolerance = 4,
): Hit | undefined {
  const reach = Math.max(layout.radius, 5);
  let best: Hit | undefined;
  let bestD = Infinity;
  for (const col of layout.nodes) {
    // columns are vertical: skip a whole column that is too far left or right
    if (!col.length || Math.abs(col[0].x - x) > reach) continue;
    for (const p of col) {
      const d = Math.hypot(p.x - x, p.y - y);
      if (d <= reach && d < bestD) {
        bestD = d;
        best = { kind: 'node', k: p.k, j: p.j };
      }
    }
  }
  if (best) return best;
  for (const e of layout.edges) {
    const from = layout.nodes[e.k - 1][e.i - 1];
    const to = layout.nodes[e.k][e.j - 1];
    if (x < Math.min(from.x, to.x) - tolerance || x > Math.max(from.x, to.x) + tolerance) continue;
    const d = segmentDistance(x, y, from, to);
    if (d <= tolerance && d < bestD) {
      bestD = d;
      best = { kind: 'edge', k: e.k, i: e.i, j: e.j };
    }
  }
  return best;
}

/** A keyboard cursor on the nodes: layer k, node j (1-based). */
export interface NodeCursor {
  k: number;
  j: number;
}

/**
 * Moves the cursor with an arrow key (Up/Down within a layer, Left/Right to the neighbouring layer
 * at the same relative height), Home/End to the first/last node of the layer; clamped at the edges.
 * Returns the cursor unchanged for any other key.
 */
export function moveCursor(sizes: number[], c: NodeCursor, key: string): NodeCursor {
  const clampJ = (k: number, j: number) => Math.max(1, Math.min(sizes[k - 1], j));
  const across = (k: number) => {
    const from = sizes[c.k - 1],
      to = sizes[k - 1];
    return clampJ(k, from <= 1 ? 1 : Math.round(1 + ((c.j - 1) * (to - 1)) / (from - 1)));
  };
  switch (key) {
    case 'ArrowUp':
      return { k: c.k, j: clampJ(c.k, c.j - 1) };
    case 'ArrowDown':
      return { k: c.k, j: clampJ(c.k, c.j + 1) };
    case 'Home':
      return { k: c.k, j: 1 };
    case 'End':
      return { k: c.k, j: sizes[c.k - 1] };
    case 'ArrowLeft':
      return c.k > 1 ? { k: c.k - 1, j: across(c.k - 1) } : c;
    case 'ArrowRight':
      return c.k < sizes.length ? { k: c.k + 1, j: across(c.k + 1) } : c;
    default:
      return c;
  }
}
