/**
 * Draws one moment of the pass animation (passSteps.ts) on the network drawing: the edge and its
 * two nodes lit, a dot travelling the edge from where the number comes from to where it goes (set
 * at its end at once when motion is reduced), and the term written beside the edge. The words sit
 * in the drawing's overlay layer, hidden from screen readers: the panel's live region says them.
 */
import { svg } from './dom';
import { textBox } from './labels';
import type { NodePos } from './layout';
import type { NetworkView } from './network';
import type { Moment } from './passSteps';

/** Animation speeds: milliseconds per step. */
export const SPEEDS: { label: string; ms: number }[] = [
  { label: 'slow', ms: 2400 },
  { label: 'normal', ms: 1300 },
  { label: 'fast', ms: 600 },
];

/** Whether the user asked for reduced motion (then the dot jumps and nothing slides). */
export function reducedMotion(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
}

function position(view: NetworkView, name: string | undefined): NodePos | undefined {
  const m = name ? /^(\d+)\[(\d+)\]$/.exec(name) : null;
  return m ? view.layout.nodes[+m[2] - 1]?.[+m[1] - 1] : undefined;
}

/** The centre and width of an edge's label box in the drawing (netSvg.ts draws it as a rect). */
function labelRect(
  view: NetworkView,
  edge: string,
): { cx: number; cy: number; w: number } | undefined {
  const r = view.svg?.element.querySelector(`.bp-edge-label[data-param="${edge}"] rect`);
  const n = (a: string) => Number(r?.getAttribute(a));
  if (!r || !Number.isFinite(n('x') + n('y') + n('width') + n('height'))) return undefined;
  return { cx: n('x') + n('width') / 2, cy: n('y') + n('height') / 2, w: n('width') + 2 };
}

/** Shows moment `m` (or clears the drawing's animation layer when there is none). */
export function showMoment(
  view: NetworkView,
  m: Moment | undefined,
  ms: number,
  reduced: boolean,
): void {
  const overlay = view.svg?.overlay;
  overlay?.replaceChildren();
  if (!m) return;
  view.setHighlight({
    nodes: [m.node, m.from, m.to].filter((n): n is string => !!n),
    params: m.edge ? [m.edge] : [],
  });
  const from = position(view, m.from),
    to = position(view, m.to);
  if (!overlay || !from || !to) return;
  const dot = svg('circle', { cx: to.x, cy: to.y, r: 6, class: 'bp-pulse' });
  overlay.append(dot);
  if (!reduced && typeof dot.animate === 'function')
    dot.animate(
      [
        { transform: `translate(${from.x - to.x}px, ${from.y - to.y}px)` },
        { transform: 'translate(0px, 0px)' },
      ],
      { duration: Math.round(ms * 0.6), easing: 'ease-in-out' },
    );
  if (!m.term) return;
  // the term covers the edge's own label when it has one, else sits just past the edge's middle
  const { width, height } = view.layout;
  const box = textBox(m.term, 0, 0);
  const ownRect = m.edge ? labelRect(view, m.edge) : undefined;
  const x = Math.min(
    Math.max(ownRect ? ownRect.cx : from.x + 0.6 * (to.x - from.x), box.w / 2 + 6),
    width - box.w / 2 - 6,
  );
  const y = Math.min(
    Math.max(ownRect ? ownRect.cy : from.y + 0.6 * (to.y - from.y) - 14, box.h / 2 + 2),
    height - box.h / 2 - 2,
  );
  const w = Math.max(box.w + 8, ownRect?.w ?? 0);
  overlay.append(
    svg('g', { class: 'bp-term' }, [
      svg('rect', {
        x: x - w / 2,
        y: y - box.h / 2 - 1,
        width: w,
        height: box.h + 2,
        rx: 4,
      }),
      svg('text', { x, y }, [m.term]),
    ]),
  );
}
