/**
 * A computation graph drawn as boxes and arrows: one box per operation with
 * its value and gradient, each edge labelled with its local derivative,
 * leaves on the left and the root on the right; a table of the same nodes
 * beside it; and stepping through the forward pass (node by node, in order)
 * and the backward pass (in reverse). Everything written comes from the
 * GraphItem: this file only places it.
 */
import type { GraphItem } from '../protocol/graph';
import { graphTable, formatNumber } from '../protocol/text';
import { el, svg } from './dom';
import { drawTable } from './tables';
import { maxOf } from '../protocol/extent';

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
 * Columns by longest path from the leaves (a node sits right of all its
 * inputs), rows ordered by the mean row of the inputs (a few sweeps), so
 * edges mostly run left to right without crossing. Pure: no DOM.
 */
export function graphLayout(item: GraphItem): GraphLayout {
  const n = item.nodes.length;
  const column = new Array<number>(n).fill(0);
  item.nodes.forEach((node, i) => {
    for (const input of node.inputs) column[i] = Math.max(column[i], column[input] + 1);
  });
  const columns: number[][] = [];
  column.forEach((c, i) => (columns[c] ??= []).push(i));
  const row = new Array<number>(n).fill(0);
  columns.forEach((members) => members.forEach((i, r) => (row[i] = r)));
  // consumers of each node, for the backward sweep of the ordering
  const consumers: number[][] = item.nodes.map(() => []);
  item.nodes.forEach((node, i) => node.inputs.forEach((input) => consumers[input].push(i)));
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

/** A box in drawing coordinates. */
export interface Box {
  l: number;
  t: number;
  r: number;
  b: number;
}
/** Width of one character of an edge label (10.5px monospace is ~6.3px; a little more, to be safe). */
export const LABEL_CHAR_W = 6.8;
export const LABEL_H = 13;

/** An edge's curve from the right side of `from` to the left side of `to` (the k-th input's port). */
export function edgeCurve(item: GraphItem, layout: GraphLayout, to: number, k: number) {
  const from = item.nodes[to].inputs[k];
  const x1 = layout.x[from] + BOX_W;
  const y1 = layout.y[from] + BOX_H / 2;
  const x2 = layout.x[to];
  const y2 = layout.y[to] + BOX_H / 2 + (item.nodes[to].inputs.length > 1 ? (k - 0.5) * 14 : 0);
  const mx = (x1 + x2) / 2;
  // the cubic Bézier M x1,y1 C mx,y1 mx,y2 x2,y2 at t
  const at = (t: number) => {
    const u = 1 - t;
    return {
      x: u * u * u * x1 + 3 * u * t * (u * mx + t * mx) + t * t * t * x2,
      y: u * u * u * y1 + 3 * u * t * (u * y1 + t * y2) + t * t * t * y2,
    };
  };
  return { x1, y1, x2, y2, mx, at };
}

const overlaps = (a: Box, b: Box) =>
  Math.min(a.r, b.r) - Math.max(a.l, b.l) > 0 && Math.min(a.b, b.b) - Math.max(a.t, b.t) > 0;

/**
 * Where each edge's label goes: the first point along its curve (middle first) where the label's
 * box touches no node box and no label placed before; undefined where there is none (the edge
 * keeps its tooltip, and the table lists every local derivative). labels[to][k] is the text.
 */
export function placeEdgeLabels(
  item: GraphItem,
  layout: GraphLayout,
  labels: string[][],
): ({ x: number; y: number; box: Box } | undefined)[][] {
  const taken: Box[] = item.nodes.map((_, i) => ({
    l: layout.x[i] - 2,
    t: layout.y[i] - 2,
    r: layout.x[i] + BOX_W + 2,
    b: layout.y[i] + BOX_H + 2,
  }));
  const ts = [0.5, 0.38, 0.62, 0.28, 0.72, 0.18, 0.82];
  return item.nodes.map((node, to) =>
    node.inputs.map((_, k) => {
      const curve = edgeCurve(item, layout, to, k);
      const w = labels[to][k].length * LABEL_CHAR_W + 4;
      for (const t of ts)
        for (const dy of [-3, LABEL_H]) {
          const p = curve.at(t);
          // text is drawn centred on x, its baseline at y
          const y = p.y + dy;
          const box = { l: p.x - w / 2, r: p.x + w / 2, t: y - LABEL_H + 2, b: y + 3 };
          if (box.l < 0 || box.r > layout.width || box.t < 0 || box.b > layout.height) continue;
          if (taken.some((o) => overlaps(o, box))) continue;
          taken.push(box);
          return { x: p.x, y, box };
        }
      return undefined;
    }),
  );
}

type Phase = 'forward' | 'backward';

export interface GraphView {
  element: HTMLElement;
  /** show the passes up to this point (forward: nodes 0..step valued; backward: the last step+1 nodes have gradients) */
  show(phase: Phase, step: number): void;
}

export function drawGraph(item: GraphItem): GraphView {
  const n = item.nodes.length;
  const layout = graphLayout(item);
  const nodeName = (i: number) => item.nodes[i].name ?? `#${i + 1}`;
  const root = el('div', {
    class: 'bp-item bp-graph',
    role: 'group',
    'aria-label': item.title,
  });
  root.append(el('div', { class: 'bp-title' }, [item.title]));

  const status = el('div', { class: 'bp-note', 'aria-live': 'polite' });
  const area = svg('svg', {
    width: layout.width,
    height: layout.height,
    viewBox: `0 0 ${layout.width} ${layout.height}`,
    role: 'img',
    'aria-label': `computation graph of ${item.root}, ${n} nodes`,
  });
  const defs = svg('defs');
  const marker = svg('marker', {
    id: 'bp-arrow',
    viewBox: '0 0 10 10',
    refX: 10,
    refY: 5,
    markerWidth: 7,
    markerHeight: 7,
    orient: 'auto-start-reverse',
  });
  marker.append(svg('path', { d: 'M0,0 L10,5 L0,10 z', class: 'bp-arrowhead' }));
  defs.append(marker);
  area.append(defs);

  // edges first, so boxes cover their ends
  const edges: { from: number; to: number; k: number; g: SVGGElement }[] = [];
  const texts = item.nodes.map((node) => node.local.map((v) => formatNumber(v)));
  const places = placeEdgeLabels(item, layout, texts);
  item.nodes.forEach((node, to) =>
    node.inputs.forEach((from, k) => {
      const { x1, y1, x2, y2, mx } = edgeCurve(item, layout, to, k);
      const g = svg('g', { class: 'bp-gedge' });
      g.append(
        svg('path', {
          d: `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}`,
          class: 'bp-gedge-line',
          'marker-end': 'url(#bp-arrow)',
        }),
      );
      const local = `∂${nodeName(to)}/∂${nodeName(from)} = ${formatNumber(node.local[k])}`;
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
      class: `bp-gnode${node.inputs.length === 0 ? ' leaf' : ''}${node.issue ? ' issue' : ''}${i === n - 1 ? ' root' : ''}`,
      transform: `translate(${layout.x[i]},${layout.y[i]})`,
      tabindex: 0,
      role: 'listitem',
    });
    g.append(svg('rect', { width: BOX_W, height: BOX_H, rx: 6, class: 'bp-gbox' }));
    const head =
      node.inputs.length && node.name ? `${node.name} = ${node.label}` : (node.name ?? node.label);
    g.append(svg('text', { x: BOX_W / 2, y: 14, class: 'bp-glabel' }, [head]));
    const value = svg('text', { x: BOX_W / 2, y: 29, class: 'bp-gvalue' }, [
      formatNumber(node.value),
    ]);
    const grad = svg('text', { x: BOX_W / 2, y: 43, class: 'bp-ggrad' }, [
      node.grad !== undefined ? `∂ ${formatNumber(node.grad)}` : '',
    ]);
    g.append(value, grad);
    const words = [
      node.source ?? head,
      `value ${formatNumber(node.value)}`,
      node.grad !== undefined ? `∂${item.root}/∂${nodeName(i)} = ${formatNumber(node.grad)}` : '',
      node.issue ?? '',
    ].filter(Boolean);
    g.append(svg('title', {}, [words.join('\n')]));
    g.setAttribute('aria-label', words.join(', '));
    area.append(g);
    return { g, value, grad };
  });

  const scroller = el('div', { class: 'bp-graph-scroll' }, [area]);
  const { columns, rows } = graphTable(item);
  const table = drawTable({ columns, rows, cap: 60 });

  const show = (phase: Phase, step: number): void => {
    const s = Math.max(0, Math.min(step, n - 1));
    // forward: node i is computed once i ≤ s; backward: node i has its gradient once i ≥ n−1−s
    const current = phase === 'forward' ? s : n - 1 - s;
    boxes.forEach((b, i) => {
      const computed = phase === 'backward' || i <= s;
      const graded = phase === 'backward' && i >= current && item.hasGradients;
      b.value.textContent = computed ? formatNumber(item.nodes[i].value) : '';
      b.grad.textContent =
        graded && item.nodes[i].grad !== undefined ? `∂ ${formatNumber(item.nodes[i].grad!)}` : '';
      b.g.classList.toggle('bp-dim', !computed);
      b.g.classList.toggle('bp-hl', i === current);
    });
    // forward highlights the edges into the current node; backward the edges out of it
    for (const e of edges)
      e.g.classList.toggle('bp-hl', phase === 'forward' ? e.to === current : e.from === current);
    const node = item.nodes[current];
    status.textContent =
      phase === 'forward'
        ? `forward ${s + 1}/${n}: ${node.source ?? node.label} = ${formatNumber(node.value)}`
        : `backward ${s + 1}/${n}: ∂${item.root}/∂${nodeName(current)} = ${node.grad !== undefined ? formatNumber(node.grad) : '—'}`;
  };

  let phase: Phase = item.hasGradients ? 'backward' : 'forward';
  let step = n - 1;
  const button = (text: string, title: string, onClick: () => void) => {
    const b = el('button', { class: 'bp-button', type: 'button', title }, [text]);
    b.addEventListener('click', onClick);
    return b;
  };
  const forwardButton = button('forward', 'step through the forward pass', () => {
    phase = 'forward';
    step = 0;
    update();
  });
  const backwardButton = button('backward', 'step through the backward pass', () => {
    phase = 'backward';
    step = 0;
    update();
  });
  backwardButton.disabled = !item.hasGradients;
  const update = () => {
    forwardButton.setAttribute('aria-pressed', String(phase === 'forward'));
    backwardButton.setAttribute('aria-pressed', String(phase === 'backward'));
    show(phase, step);
  };
  const controls = el('div', { class: 'bp-timeline' }, [
    forwardButton,
    backwardButton,
    button('◀', 'previous step', () => {
      step = Math.max(0, step - 1);
      update();
    }),
    button('▶', 'next step', () => {
      step = Math.min(n - 1, step + 1);
      update();
    }),
    status,
  ]);
  root.append(controls, el('div', { class: 'bp-graph-pair' }, [scroller, table.element]));
  update();
  return { element: root, show };
}
