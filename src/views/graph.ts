/**
 * A computation graph drawn as boxes and arrows: one box per operation with
 * its value and gradient, each edge labelled with its local derivative,
 * leaves on the left and the root on the right; a table of the same nodes
 * beside it; and stepping through the forward pass (node by node, in order)
 * and the backward pass (in reverse). Everything written comes from the
 * GraphItem: this file only places it.
 */
import { graphNodeName, type GraphItem } from '../protocol/graph';
import { graphTable, graphTitle, localSymbol, shownNumber } from '../protocol/text';
import { el, svg } from './dom';
import { drawTable } from './tables';
import { extent, maxOf } from '../protocol/extent';
import { placeEdgeLabels, type Box, type PlacedLabel } from './labels';

export const BOX_W = 118;
export const BOX_H = 50;
const GAP_X = 78;
const GAP_Y = 22;
const PAD = 12;

export interface GraphLayout {
  /** top-left corner of each node's box, by node index */
  x: number[];
  y: number[];
  width: number;
  height: number;
}

/**
 * Layered, left to right, each node as far right as it can go: the root's
 * column is its longest path from the leaves, and every other node sits one
 * column left of its first consumer (so it is right of all its inputs). A
 * wide graph's leaves, constants and side branches then stay beside the
 * operations that read them, not all stacked in the first columns. Rows are
 * ordered by the mean row of the inputs and consumers (a few sweeps), so
 * edges mostly run left to right without crossing. Pure: no DOM.
 */
export function graphLayout(item: GraphItem): GraphLayout {
  const n = item.nodes.length;
  const depth = new Array<number>(n).fill(0);
  item.nodes.forEach((node, i) => {
    for (const input of node.inputs) depth[i] = Math.max(depth[i], depth[input] + 1);
  });
  const consumers: number[][] = item.nodes.map(() => []);
  item.nodes.forEach((node, i) => node.inputs.forEach((input) => consumers[input].push(i)));
  // nodes come after their inputs (the root last): one reverse sweep places every consumer first
  const column = depth.slice();
  for (let i = n - 2; i >= 0; i--)
    if (consumers[i].length) column[i] = extent(consumers[i].map((c) => column[c]))[0] - 1;
  const first = extent(column)[0];
  const columns: number[][] = [];
  column.forEach((c, i) => (columns[c - first] ??= []).push(i));
  for (let c = 0; c < columns.length; c++) columns[c] ??= [];
  column.forEach((c, i) => (column[i] = c - first));
  const row = new Array<number>(n).fill(0);
  columns.forEach((members) => members.forEach((i, r) => (row[i] = r)));
  const mean = (xs: number[], fallback: number) =>
    xs.length ? xs.reduce((s, i) => s + row[i], 0) / xs.length : fallback;
  for (let sweep = 0; sweep < 4; sweep++) {
    const order = sweep % 2 === 0 ? columns.slice(1) : columns.slice(0, -1).reverse();
    for (const members of order) {
      const key = new Map(
        members.map((i) => [
          i,
          mean(sweep % 2 === 0 ? [...item.nodes[i].inputs] : consumers[i], row[i]),
        ]),
      );
      members.sort((p, q) => (key.get(p) as number) - (key.get(q) as number) || p - q);
      members.forEach((i, r) => (row[i] = r));
    }
  }
  const tallest = maxOf(
    columns.map((m) => m.length),
    1,
  );
  const x = column.map((c) => PAD + c * (BOX_W + GAP_X));
  const y = item.nodes.map((_, i) => {
    const members = columns[column[i]].length;
    const offset = ((tallest - members) * (BOX_H + GAP_Y)) / 2;
    return PAD + offset + row[i] * (BOX_H + GAP_Y);
  });
  return {
    x,
    y,
    width: 2 * PAD + columns.length * BOX_W + (columns.length - 1) * GAP_X,
    height: 2 * PAD + tallest * BOX_H + (tallest - 1) * GAP_Y,
  };
}

/** Font size of an edge label (px), as in styles.ts (.bp-gedge-label). */
export const GRAPH_LABEL_FONT = 10.5;

/** How far an edge bows up or down (px) where a node reads the same input twice (f = x*x). */
const BEND = 20;

/** whether node `to` reads its k-th input more than once (its edges from it are parallel) */
function readTwice(item: GraphItem, to: number, k: number): boolean {
  const inputs = item.nodes[to].inputs;
  return inputs.filter((i) => i === inputs[k]).length > 1;
}

/**
 * An edge's curve from the right side of `from` to the left side of `to` (the k-th input's port).
 * Two edges between the same pair of nodes leave from two ports too and bow apart (the first up,
 * the second down), so each has its own curve and its own label.
 */
export function edgeCurve(item: GraphItem, layout: GraphLayout, to: number, k: number) {
  const from = item.nodes[to].inputs[k];
  const port = item.nodes[to].inputs.length > 1 ? (k - 0.5) * 14 : 0;
  const twice = readTwice(item, to, k);
  const x1 = layout.x[from] + BOX_W;
  const y1 = layout.y[from] + BOX_H / 2 + (twice ? port : 0);
  const x2 = layout.x[to];
  const y2 = layout.y[to] + BOX_H / 2 + port;
  const mx = (x1 + x2) / 2;
  const bow = twice ? Math.sign(port) * BEND : 0;
  // the cubic Bézier M x1,y1 C mx,y1+bow mx,y2+bow x2,y2 at t
  const at = (t: number) => {
    const u = 1 - t;
    return {
      x: u * u * u * x1 + 3 * u * t * (u * mx + t * mx) + t * t * t * x2,
      y: u * u * u * y1 + 3 * u * t * (u * (y1 + bow) + t * (y2 + bow)) + t * t * t * y2,
    };
  };
  const d = `M${x1},${y1} C${mx},${y1 + bow} ${mx},${y2 + bow} ${x2},${y2}`;
  return { x1, y1, x2, y2, mx, at, d };
}

/**
 * Where each edge's label goes (labels.ts, as for the network): the first point along its curve,
 * middle first, where the label's box touches no node box and no label placed before; undefined
 * where there is none (the edge keeps its tooltip, and the table lists every local derivative).
 * texts[to][k] is the label of input k of node `to`; the result is indexed the same way.
 */
export function graphEdgeLabels(
  item: GraphItem,
  layout: GraphLayout,
  texts: string[][],
): (PlacedLabel | undefined)[][] {
  const boxes: Box[] = item.nodes.map((_, i) => ({
    x: layout.x[i] - 2,
    y: layout.y[i] - 2,
    w: BOX_W + 4,
    h: BOX_H + 4,
  }));
  // an edge from a constant has no local derivative, so no label
  const edges = item.nodes.flatMap((node, to) =>
    node.inputs.flatMap((_, k) => (node.local[k] === null ? [] : [{ to, k }])),
  );
  const placed = placeEdgeLabels(
    edges.map(({ to, k }) => {
      const { at } = edgeCurve(item, layout, to, k);
      // a bowed edge's label sits just outside its bow, off the line
      const out = readTwice(item, to, k) ? (k - 0.5) * 2 * (GRAPH_LABEL_FONT - 2) : 0;
      return { at: (t: number) => ({ x: at(t).x, y: at(t).y + out }), texts: [texts[to][k]] };
    }),
    boxes,
    layout.width,
    layout.height,
    GRAPH_LABEL_FONT,
  );
  const out = item.nodes.map((node) => node.inputs.map((): PlacedLabel | undefined => undefined));
  edges.forEach(({ to, k }, n) => (out[to][k] = placed[n]));
  return out;
}

type Phase = 'forward' | 'backward';

function button(text: string, title: string, onClick: () => void): HTMLButtonElement {
  const b = el('button', { class: 'bp-button', type: 'button', title }, [text]);
  b.addEventListener('click', onClick);
  return b;
}

/**
 * Each edge's label: its local derivative (none from a constant); where a node reads one input
 * twice, each of the two says which operand it is (∂₁f = 3, ∂₂f = 3 for f = x*x).
 */
export function graphEdgeTexts(item: GraphItem): string[][] {
  const nodeName = (i: number) => graphNodeName(item, i);
  return item.nodes.map((node, to) =>
    node.local.map((v, k) =>
      v === null
        ? ''
        : readTwice(item, to, k)
          ? `${localSymbol(nodeName(to), k)} = ${shownNumber(v)}`
          : shownNumber(v),
    ),
  );
}

export interface GraphView {
  element: HTMLElement;
  /**
   * show the passes up to this point (forward: nodes 0..step valued; backward: the last step+1
   * nodes have gradients)
   */
  show(phase: Phase, step: number): void;
}

export function drawGraph(item: GraphItem): GraphView {
  const n = item.nodes.length;
  const layout = graphLayout(item);
  const nodeName = (i: number) => graphNodeName(item, i);
  const title = graphTitle(item, shownNumber);
  const root = el('div', { class: 'bp-item bp-graph', role: 'group', 'aria-label': title });
  root.append(el('div', { class: 'bp-title' }, [title]));

  const status = el('div', { class: 'bp-note', 'aria-live': 'polite' });
  const area = svg('svg', {
    width: layout.width,
    height: layout.height,
    viewBox: `0 0 ${layout.width} ${layout.height}`,
    role: 'list', // its nodes are focusable list items (an img's children would be hidden)
    'aria-label': `computation graph of ${item.root}, ${n} nodes`,
  });
  const defs = svg('defs');
  const marker = svg('marker', {
    id: 'bp-arrow',
    viewBox: '0 0 10 10',
    refX: 10,
    refY: 5,
    // in drawing units, so a highlighted (thicker) edge keeps the same arrowhead
    markerUnits: 'userSpaceOnUse',
    markerWidth: 9,
    markerHeight: 9,
    orient: 'auto-start-reverse',
  });
  marker.append(svg('path', { d: 'M0,0 L10,5 L0,10 z', class: 'bp-arrowhead' }));
  defs.append(marker);
  area.append(defs);

  // edges first, so boxes cover their ends
  const edges: { from: number; to: number; k: number; g: SVGGElement }[] = [];
  const texts = graphEdgeTexts(item);
  const places = graphEdgeLabels(item, layout, texts);
  item.nodes.forEach((node, to) =>
    node.inputs.forEach((from, k) => {
      const g = svg('g', { class: 'bp-gedge' });
      g.append(
        svg('path', {
          d: edgeCurve(item, layout, to, k).d,
          class: 'bp-gedge-line',
          'marker-end': 'url(#bp-arrow)',
        }),
      );
      const v = node.local[k];
      const local =
        v === null
          ? `${nodeName(from)} is a constant: no local derivative by it`
          : `${localSymbol(nodeName(to), k)} = ${shownNumber(v)}, the local derivative ` +
            `of ${nodeName(to)} by ${nodeName(from)}`;
      g.append(svg('title', {}, [local]));
      const place = places[to][k];
      if (place)
        g.append(svg('text', { x: place.x, y: place.y, class: 'bp-gedge-label' }, [texts[to][k]]));
      area.append(g);
      edges.push({ from, to, k, g });
    }),
  );

  const boxes = item.nodes.map((node, i) => {
    const g = svg('g', {
      class:
        `bp-gnode${node.inputs.length === 0 ? ' leaf' : ''}${node.issue ? ' issue' : ''}` +
        `${i === n - 1 ? ' root' : ''}`,
      transform: `translate(${layout.x[i]},${layout.y[i]})`,
      tabindex: 0,
      role: 'listitem',
    });
    g.append(svg('rect', { width: BOX_W, height: BOX_H, rx: 6, class: 'bp-gbox' }));
    const head =
      node.inputs.length && node.name ? `${node.name} = ${node.label}` : (node.name ?? node.label);
    g.append(svg('text', { x: BOX_W / 2, y: 14, class: 'bp-glabel' }, [head]));
    const value = svg('text', { x: BOX_W / 2, y: 29, class: 'bp-gvalue' }, [
      shownNumber(node.value),
    ]);
    const grad = svg('text', { x: BOX_W / 2, y: 43, class: 'bp-ggrad' }, [
      node.grad !== undefined ? `∂ ${shownNumber(node.grad)}` : '',
    ]);
    g.append(value, grad);
    const words = [
      node.source ?? head,
      `value ${shownNumber(node.value)}`,
      node.grad !== undefined ? `∂${item.root}/∂${nodeName(i)} = ${shownNumber(node.grad)}` : '',
      node.issue ?? '',
    ].filter(Boolean);
    g.append(svg('title', {}, [words.join('\n')]));
    g.setAttribute('aria-label', words.join(', '));
    area.append(g);
    return { g, value, grad };
  });

  const scroller = el('div', { class: 'bp-graph-scroll' }, [area]);
  const { columns, rows } = graphTable(item, shownNumber);
  const table = drawTable({ columns, rows, cap: 60, rowKey: (r) => String(r[0]) });

  /** `reveal`: a step the user took scrolls its node (and its table row) into view */
  const show = (phase: Phase, step: number, reveal = false): void => {
    const s = Math.max(0, Math.min(step, n - 1));
    // forward: node i is computed once i ≤ s; backward: node i has its gradient once i ≥ n−1−s
    const current = phase === 'forward' ? s : n - 1 - s;
    boxes.forEach((b, i) => {
      const computed = phase === 'backward' || i <= s;
      const graded = phase === 'backward' && i >= current && item.hasGradients;
      b.value.textContent = computed ? shownNumber(item.nodes[i].value) : '';
      b.grad.textContent =
        graded && item.nodes[i].grad !== undefined ? `∂ ${shownNumber(item.nodes[i].grad!)}` : '';
      b.g.classList.toggle('bp-dim', !computed);
      b.g.classList.toggle('bp-hl', i === current);
    });
    // forward highlights the edges into the current node; backward the edges out of it
    for (const e of edges)
      e.g.classList.toggle('bp-hl', phase === 'forward' ? e.to === current : e.from === current);
    const node = item.nodes[current];
    if (reveal) {
      boxes[current].g.scrollIntoView?.({ block: 'nearest', inline: 'nearest' });
      table.select(nodeName(current));
    }
    status.textContent =
      phase === 'forward'
        ? `forward ${s + 1}/${n}: ${node.source ?? node.label} = ${shownNumber(node.value)}`
        : `backward ${s + 1}/${n}: ∂${item.root}/∂${nodeName(current)} = ` +
          `${node.grad !== undefined ? shownNumber(node.grad) : '—'}`;
  };

  let phase: Phase = item.hasGradients ? 'backward' : 'forward';
  let step = n - 1;
  const forwardButton = button('forward', 'step through the forward pass', () => {
    phase = 'forward';
    step = 0;
    update(true);
  });
  const backwardButton = button('backward', 'step through the backward pass', () => {
    phase = 'backward';
    step = 0;
    update(true);
  });
  backwardButton.disabled = !item.hasGradients;
  const update = (reveal = false) => {
    forwardButton.setAttribute('aria-pressed', String(phase === 'forward'));
    backwardButton.setAttribute('aria-pressed', String(phase === 'backward'));
    show(phase, step, reveal);
  };
  const go = (by: number) => {
    step = Math.max(0, Math.min(n - 1, step + by));
    update(true);
  };
  // ← and → step too, while the focus is in the drawing or on its buttons
  root.addEventListener('keydown', (ev) => {
    const key = (ev as KeyboardEvent).key;
    if ((ev.target as HTMLElement | null)?.closest?.('table')) return;
    if (key === 'ArrowRight' || key === 'ArrowLeft') {
      go(key === 'ArrowRight' ? 1 : -1);
      ev.preventDefault();
    }
  });
  const controls = el('div', { class: 'bp-timeline' }, [
    forwardButton,
    backwardButton,
    button('◀', 'previous step (←)', () => go(-1)),
    button('▶', 'next step (→)', () => go(1)),
    status,
  ]);
  root.append(controls);
  // a graph wider or taller than its frame can be zoomed out to see all of it, and back in to read
  // it
  if (layout.width > 900 || layout.height > 640) root.append(zoomControls(area, layout, scroller));
  root.append(el('div', { class: 'bp-graph-pair' }, [scroller, table.element]));
  update();
  return { element: root, show };
}

/** −, + and "fit" buttons that scale the drawing (its viewBox stays: every word scales with it). */
function zoomControls(area: SVGElement, layout: GraphLayout, scroller: HTMLElement): HTMLElement {
  let zoom = 1;
  const shown = el('span', { class: 'bp-muted', 'aria-live': 'polite' }, ['100 %']);
  const set = (z: number) => {
    zoom = Math.max(0.2, Math.min(2, z));
    area.setAttribute('width', String(Math.round(layout.width * zoom)));
    area.setAttribute('height', String(Math.round(layout.height * zoom)));
    shown.textContent = `${Math.round(zoom * 100)} %`;
  };
  return el('div', { class: 'bp-timeline', role: 'group', 'aria-label': 'zoom' }, [
    button('−', 'zoom out', () => set(zoom / 1.25)),
    button('+', 'zoom in', () => set(zoom * 1.25)),
    button('fit', 'fit the whole graph in view', () =>
      set(
        Math.min(
          (scroller.clientWidth || layout.width) / layout.width,
          (scroller.clientHeight || layout.height) / layout.height,
        ),
      ),
    ),
    button('1:1', 'actual size', () => set(1)),
    shown,
  ]);
}
