/**
 * Draws a network in the seed's style: layers as columns L1…Ln, nodes i[k], edges wij[k].
 * Edge colour by sign (blue +, red −) with a dash pattern for negative weights so the sign does
 * not rest on colour alone; thickness by |w|; node fill by activation; δ under each node after a
 * backward pass; saturated / dead nodes flagged. SVG for small nets (every node and edge is
 * keyboard-focusable with an aria-label), canvas with thinned edges for big ones.
 */
import { NetworkSnapshot, Num, decodeNumber } from '../protocol/results';
import { formatNumber } from '../protocol/text';
import { el, svg } from './dom';
import {
  EdgeRef,
  LayoutOptions,
  NetworkLayout,
  NodeCursor,
  activationStrength,
  edgeWidth,
  hitTest,
  layoutNetwork,
  maxAbs,
  moveCursor,
} from './layout';
import { nodeName, parseParam, weightName } from './names';

/** What to emphasise: node names like `1[2]`, parameter names like `w11[1]`. */
export interface Highlight {
  nodes?: string[];
  params?: string[];
}

export interface NetworkView {
  element: HTMLElement;
  layout: NetworkLayout;
  setHighlight(h: Highlight | undefined): void;
}

export interface NetworkDrawOptions extends LayoutOptions {
  /** called with a parameter name (`w11[1]`) or node name (`1[2]`) when the user picks one */
  onSelect?: (name: string) => void;
}

const num = (v: Num | undefined): number => (v === undefined ? NaN : decodeNumber(v));
const at = <T>(rows: T[][] | undefined, k: number, j: number): T | undefined =>
  rows?.[k - 1]?.[j - 1];

/** One line describing a node, for aria-labels and tooltips. */
export function nodeDescription(s: NetworkSnapshot, k: number, j: number): string {
  const parts = [`node ${nodeName(j, k)}`];
  const z = at(s.z, k, j);
  const a = at(s.a, k, j);
  const d = at(s.delta, k, j);
  if (z !== undefined && k > 1) parts.push(`z = ${formatNumber(z)}`);
  if (a !== undefined) parts.push(`a = ${formatNumber(a)}`);
  if (d !== undefined) parts.push(`δ = ${formatNumber(d)}`);
  const flag = at(s.flags, k, j);
  if (flag) parts.push(flag);
  return parts.join(', ');
}

export function edgeDescription(s: NetworkSnapshot, e: EdgeRef): string {
  const g = s.weightGrad?.[e.k - 1]?.[e.i - 1]?.[e.j - 1];
  const sign = e.weight < 0 ? 'negative' : 'positive';
  return `${weightName(e.i, e.j, e.k)} = ${formatNumber(e.weight)} (${sign})${g !== undefined ? `, ∂E/∂w = ${formatNumber(g)}` : ''}`;
}

export function drawNetwork(s: NetworkSnapshot, options: NetworkDrawOptions = {}): NetworkView {
  const layout = layoutNetwork(s.sizes, s.weights, options);
  const root = el('div', { class: 'bp-net' });
  const body = layout.mode === 'svg' ? drawSvg(s, layout, options) : drawCanvas(s, layout, options);
  root.append(legend(), body.element);
  if (layout.thinned) {
    root.append(
      el('div', { class: 'bp-note' }, [
        `showing the ${layout.edges.length.toLocaleString('en')} strongest of ${layout.totalEdges.toLocaleString('en')} edges (largest |w| in each layer); the table lists them all`,
      ]),
    );
  }
  return { element: root, layout, setHighlight: body.setHighlight };
}

function legend(): HTMLElement {
  const sample = (cls: string) =>
    svg('svg', { width: 28, height: 8, 'aria-hidden': 'true' }, [
      svg('line', { x1: 2, y1: 4, x2: 26, y2: 4, class: `bp-edge ${cls}`, 'stroke-width': 2.5 }),
    ]);
  return el('div', { class: 'bp-legend' }, [
    el('span', {}, [sample('pos'), ' positive weight']),
    el('span', {}, [sample('neg'), ' negative weight (dashed)']),
    el('span', {}, ['thickness: |w|; fill: activation']),
  ]);
}

interface Drawn {
  element: Element;
  setHighlight(h: Highlight | undefined): void;
}

function layerActivations(s: NetworkSnapshot, k: number): number[] {
  return (s.a?.[k - 1] ?? []).map(num);
}

function drawSvg(s: NetworkSnapshot, layout: NetworkLayout, options: NetworkDrawOptions): Drawn {
  const { width, height, radius } = layout;
  const root = svg('svg', {
    viewBox: `0 0 ${width} ${height}`,
    width,
    height,
    role: 'group',
    'aria-label': `network ${s.name}: layers ${s.sizes.join('-')}`,
  });
  const maxW = maxAbs(layout.edges.map((e) => e.weight));
  const pick = (name: string) => options.onSelect?.(name);
  const keyPick = (name: string) => (ev: KeyboardEvent) => {
    if (ev.key === 'Enter' || ev.key === ' ') {
      ev.preventDefault();
      pick(name);
    }
  };

  layout.nodes.forEach((col, idx) => {
    if (!col.length) return;
    const act = idx === 0 ? 'input' : (s.activations[idx - 1] ?? '');
    root.append(svg('text', { x: col[0].x, y: 14, class: 'bp-layer-label' }, [`L${idx + 1}`]));
    root.append(svg('text', { x: col[0].x, y: 27, class: 'bp-layer-label' }, [act]));
  });

  const edgeEls = new Map<string, SVGGElement>();
  const edges = svg('g', { class: 'bp-edges' });
  for (const e of layout.edges) {
    const from = layout.nodes[e.k - 1][e.i - 1];
    const to = layout.nodes[e.k][e.j - 1];
    const name = weightName(e.i, e.j, e.k);
    const desc = edgeDescription(s, e);
    const g = svg(
      'g',
      { class: 'bp-edge-g', tabindex: 0, role: 'button', 'aria-label': desc, 'data-param': name },
      [
        svg('title', {}, [desc]),
        svg('line', {
          x1: from.x,
          y1: from.y,
          x2: to.x,
          y2: to.y,
          class: `bp-edge ${e.weight < 0 ? 'neg' : 'pos'}`,
          'stroke-width': edgeWidth(e.weight, maxW).toFixed(2),
        }),
        svg('line', { x1: from.x, y1: from.y, x2: to.x, y2: to.y, class: 'bp-edge-hit' }),
      ],
    );
    if (layout.edgeLabels) {
      // stagger labels by source node so the fan of edges leaving one node does not stack them
      const nFrom = s.sizes[e.k - 1];
      const t = nFrom > 1 ? 0.22 + (0.5 * (e.i - 1)) / (nFrom - 1) : 0.35;
      g.append(
        svg(
          'text',
          {
            x: from.x + (to.x - from.x) * t,
            y: from.y + (to.y - from.y) * t - 4,
            class: 'bp-edge-label',
            'text-anchor': 'middle',
          },
          [name],
        ),
      );
    }
    g.addEventListener('click', () => pick(name));
    g.addEventListener('keydown', keyPick(name));
    edgeEls.set(name, g);
    edges.append(g);
  }
  root.append(edges);

  const nodeEls = new Map<string, SVGGElement>();
  layout.nodes.forEach((col, idx) => {
    const k = idx + 1;
    const acts = layerActivations(s, k);
    const m = maxAbs(acts);
    for (const p of col) {
      const name = nodeName(p.j, k);
      const a = acts[p.j - 1];
      const flag = at(s.flags, k, p.j) ?? undefined;
      const desc = nodeDescription(s, k, p.j);
      const g = svg(
        'g',
        {
          class: `bp-node${flag ? ' ' + flag : ''}`,
          tabindex: 0,
          role: 'button',
          'aria-label': desc,
          'data-node': name,
        },
        [svg('title', {}, [desc])],
      );
      g.append(svg('circle', { cx: p.x, cy: p.y, r: radius, class: 'bp-ring' }));
      if (a !== undefined && Number.isFinite(a)) {
        g.append(
          svg('circle', {
            cx: p.x,
            cy: p.y,
            r: radius - 1,
            class: `bp-fill ${a < 0 ? 'neg' : 'pos'}`,
            'fill-opacity': (0.12 + 0.6 * activationStrength(a, m)).toFixed(3),
            'pointer-events': 'none',
          }),
        );
      }
      if (layout.nodeLabels) {
        g.append(svg('text', { x: p.x, y: p.y }, [name]));
        const d = at(s.delta, k, p.j);
        // when the values would collide with the next node they stay in the tooltip and the tables
        if (d !== undefined && layout.valueLabels[idx])
          g.append(
            svg('text', { x: p.x, y: p.y + radius + 9, class: 'bp-delta' }, [
              `δ=${formatNumber(d)}`,
            ]),
          );
        if (a !== undefined && k > 1 && layout.valueLabels[idx])
          g.append(
            svg('text', { x: p.x, y: p.y - radius - 8, class: 'bp-delta' }, [
              `a=${formatNumber(a)}`,
            ]),
          );
        if (flag)
          g.append(
            svg(
              'text',
              { x: p.x + radius + 4, y: p.y - radius, class: 'bp-flag', 'text-anchor': 'start' },
              [flag === 'dead' ? '✕ dead' : '⚠ saturated'],
            ),
          );
      }
      g.addEventListener('click', () => pick(name));
      g.addEventListener('keydown', keyPick(name));
      nodeEls.set(name, g);
      root.append(g);
    }
  });

  let lit: Element[] = [];
  return {
    element: root,
    setHighlight(h) {
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
    },
  };
}

function themeColour(name: string, fallback: string): string {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v || fallback;
}

function drawCanvas(s: NetworkSnapshot, layout: NetworkLayout, options: NetworkDrawOptions): Drawn {
  const { width, height } = layout;
  const canvas = el('canvas', {
    class: 'bp-focusable',
    tabindex: 0,
    role: 'application',
    'aria-roledescription': 'network drawing',
    'aria-label': `network ${s.name}: layers ${s.sizes.join('-')}, ${layout.totalEdges} weights; drawn with the ${layout.edges.length} strongest edges. Arrow keys move between nodes, Shift+Up/Down walk the drawn edges leaving a node, Enter selects; click a node or edge to select it; the table view lists everything`,
  });
  const status = el('div', { class: 'bp-sr-only', role: 'status', 'aria-live': 'polite' });
  /** keyboard position: a node, and optionally one of its drawn outgoing edges */
  let cursor: (NodeCursor & { edge?: number }) | undefined;
  const outgoing = (c: NodeCursor) => layout.edges.filter((e) => e.k === c.k && e.i === c.j);
  const cursorName = (): string | undefined => {
    if (!cursor) return undefined;
    const e = cursor.edge !== undefined ? outgoing(cursor)[cursor.edge] : undefined;
    return e ? weightName(e.i, e.j, e.k) : nodeName(cursor.j, cursor.k);
  };
  const announce = () => {
    if (!cursor) return;
    const e = cursor.edge !== undefined ? outgoing(cursor)[cursor.edge] : undefined;
    status.textContent = e ? edgeDescription(s, e) : nodeDescription(s, cursor.k, cursor.j);
  };
  canvas.addEventListener('click', (ev: MouseEvent) => {
    const rect = canvas.getBoundingClientRect();
    if (!rect.width || !rect.height) return;
    const x = ((ev.clientX - rect.left) * width) / rect.width;
    const y = ((ev.clientY - rect.top) * height) / rect.height;
    const hit = hitTest(layout, x, y, Math.max(3, (4 * width) / rect.width));
    if (!hit) return;
    cursor =
      hit.kind === 'node'
        ? { k: hit.k, j: hit.j }
        : {
            k: hit.k,
            j: hit.i,
            edge: outgoing({ k: hit.k, j: hit.i }).findIndex((e) => e.j === hit.j),
          };
    announce();
    options.onSelect?.(
      hit.kind === 'node' ? nodeName(hit.j, hit.k) : weightName(hit.i, hit.j, hit.k),
    );
  });
  canvas.addEventListener('keydown', (ev: KeyboardEvent) => {
    if (ev.key === 'Enter' || ev.key === ' ') {
      const name = cursorName();
      if (!name) return;
      ev.preventDefault();
      options.onSelect?.(name);
      return;
    }
    if (!cursor && ev.key.startsWith('Arrow')) {
      ev.preventDefault();
      cursor = { k: 1, j: 1 };
    } else if (cursor && ev.shiftKey && (ev.key === 'ArrowDown' || ev.key === 'ArrowUp')) {
      ev.preventDefault();
      const n = outgoing(cursor).length;
      if (!n) return;
      const at = cursor.edge ?? -1;
      cursor = { ...cursor, edge: ev.key === 'ArrowDown' ? (at + 1) % n : (at - 1 + n) % n };
    } else if (cursor) {
      const next = moveCursor(s.sizes, cursor, ev.key);
      if (next === cursor) return;
      ev.preventDefault();
      cursor = next;
    } else return;
    announce();
    paint();
  });
  const ratio = Math.min(2, globalThis.devicePixelRatio || 1);
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  canvas.style.width = `${width}px`;
  let highlight: Highlight | undefined;

  const paint = () => {
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    const colours = {
      pos: themeColour('--vscode-charts-blue', '#1a85ff'),
      neg: themeColour('--vscode-charts-red', '#d4463b'),
      fg: themeColour('--vscode-editor-foreground', '#333'),
      muted: themeColour('--vscode-descriptionForeground', '#717171'),
      hl: themeColour('--vscode-charts-yellow', '#e2c08d'),
      font: themeColour('--vscode-font-family', 'sans-serif'),
    };
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, height);
    const maxW = maxAbs(layout.edges.map((e) => e.weight));
    const lit = new Set(highlight?.params ?? []);
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
    const cursorEdge = cursor?.edge !== undefined ? outgoing(cursor)[cursor.edge] : undefined;
    if (cursorEdge) drawEdge(cursorEdge, colours.fg);
    for (const p of lit) {
      const ref = parseParam(p);
      if (ref?.kind !== 'weight') continue;
      const { i, j, k } = ref;
      const w = s.weights[k - 1]?.[i - 1]?.[j - 1];
      if (w !== undefined && layout.nodes[k]?.[j - 1])
        drawEdge({ k, i, j, weight: num(w) }, colours.hl);
    }
    ctx.setLineDash([]);
    const litNodes = new Set(highlight?.nodes ?? []);
    layout.nodes.forEach((col, idx) => {
      const k = idx + 1;
      const acts = layerActivations(s, k);
      const m = maxAbs(acts);
      const r = layout.radius;
      for (const p of col) {
        const a = acts[p.j - 1];
        const strength = a === undefined ? 0 : activationStrength(a, m);
        ctx.globalAlpha = 0.25 + 0.75 * strength;
        ctx.fillStyle =
          a !== undefined && a < 0 ? colours.neg : a !== undefined ? colours.pos : colours.muted;
        if (r < 2.5) ctx.fillRect(p.x - 5, p.y - Math.max(0.5, r), 10, Math.max(1, r * 2));
        else {
          ctx.beginPath();
          ctx.arc(p.x, p.y, r, 0, Math.PI * 2);
          ctx.fill();
        }
        if (cursor && cursor.k === k && cursor.j === p.j) {
          ctx.globalAlpha = 1;
          ctx.strokeStyle = colours.fg;
          ctx.lineWidth = 2;
          ctx.setLineDash([2, 2]);
          ctx.strokeRect(p.x - 9, p.y - Math.max(4, r) - 3, 18, Math.max(8, 2 * r) + 6);
          ctx.setLineDash([]);
        }
        if (litNodes.has(nodeName(p.j, k))) {
          ctx.globalAlpha = 1;
          ctx.strokeStyle = colours.hl;
          ctx.lineWidth = 3;
          ctx.strokeRect(p.x - 7, p.y - Math.max(3, r) - 2, 14, Math.max(6, 2 * r) + 4);
        }
      }
      ctx.globalAlpha = 1;
      ctx.fillStyle = colours.muted;
      ctx.font = `12px ${colours.font}`;
      ctx.textAlign = 'center';
      if (col.length) {
        ctx.fillText(`L${k}`, col[0].x, 14);
        ctx.fillText(
          `${idx === 0 ? 'input' : (s.activations[idx - 1] ?? '')} · ${col.length}`,
          col[0].x,
          27,
        );
      }
    });
  };
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
