/**
 * Draws a network in the seed's style: layers as columns L1…Ln, nodes i[k], edges wij[k].
 * Edge colour by sign (blue +, red −) with a dash pattern for negative weights so the sign does
 * not rest on colour alone; thickness by |w|; node fill by activation; δ under each node after a
 * backward pass; saturated / dead nodes flagged; for 2-input nets every node a heatmap of its
 * activation over the input plane. SVG for small nets (netSvg.ts: every node and edge is
 * keyboard-focusable with an aria-label), canvas with thinned edges for big ones (netCanvas.ts).
 * Laid out to the room it is given (layout.ts) and never scaled below it: it scrolls instead.
 */
import { NetworkSnapshot } from '../protocol/results';
import { el, svg, withCode } from './dom';
import { LayoutOptions, NetworkLayout, layoutNetwork } from './layout';
import { drawCanvas } from './netCanvas';
export { edgeDescription, nodeDescription } from './describe';
import { SvgDrawn, drawSvg } from './netSvg';

/** What to emphasise: node names like `1[2]`, parameter names like `w11[1]`. */
export interface Highlight {
  nodes?: string[];
  params?: string[];
}

export interface NetworkView {
  element: HTMLElement;
  layout: NetworkLayout;
  setHighlight(h: Highlight | undefined): void;
  /** the SVG drawing's parts (small nets), for the pass animation */
  svg?: SvgDrawn;
}

export interface Drawn {
  element: Element;
  setHighlight(h: Highlight | undefined): void;
}

export interface NetworkDrawOptions extends LayoutOptions {
  /** called with a parameter name (`w11[1]`) or node name (`1[2]`) when the user picks one */
  onSelect?: (name: string) => void;
}

/** Why a drawing with a values has no δ lines. */
export const FORWARD_ONLY_NOTE =
  'no δ on the nodes: the last pass was a `forward` alone (no `backward` for this input yet)';

export function drawNetwork(s: NetworkSnapshot, options: NetworkDrawOptions = {}): NetworkView {
  const layout = layoutNetwork(s.sizes, s.weights, { maps: s.maps !== undefined, ...options });
  const root = el('div', { class: 'bp-net' });
  const drawn = layout.mode === 'svg' ? drawSvg(s, layout, options) : undefined;
  const body = drawn ?? drawCanvas(s, layout, options);
  // drawn at its own size, never scaled down (its words stay 11 px, LABEL_FONT): where it is wider
  // than the room it scrolls sideways, and the region takes focus so the arrow keys scroll it
  const scroller = el(
    'div',
    {
      class: 'bp-net-scroll',
      tabindex: 0,
      role: 'region',
      'aria-label': 'network drawing (scrolls sideways when wider than the view)',
    },
    [body.element],
  );
  root.append(legend(layout), scroller);
  const notes: string[] = [];
  // a forward pass on its own (a new input) records no δ: say so where the δ lines would be
  if (s.a !== undefined && s.delta === undefined && s.sizes.length > 1)
    notes.push(FORWARD_ONLY_NOTE);
  if (layout.thinned)
    notes.push(
      `showing the ${layout.edges.length.toLocaleString('en')} strongest of ` +
        `${layout.totalEdges.toLocaleString('en')} edges (largest |w| in each layer); the ` +
        `table lists them all`,
    );
  if (layout.mode === 'svg' && !layout.edgeLabels)
    notes.push('edge names and values: hover or focus an edge, or open the table view');
  else if (drawn?.unlabelled)
    notes.push(
      `${drawn.unlabelled} of ${layout.edges.length} edge names found no free place: hover or ` +
        'focus an edge, or open the table view',
    );
  for (const n of notes) root.append(el('div', { class: 'bp-note' }, withCode(n)));
  return { element: root, layout, setHighlight: body.setHighlight, svg: drawn };
}

function legend(layout: NetworkLayout): HTMLElement {
  const sample = (cls: string) =>
    svg('svg', { width: 28, height: 8, 'aria-hidden': 'true', class: 'bp-sample' }, [
      svg('line', { x1: 2, y1: 4, x2: 26, y2: 4, class: `bp-edge ${cls}`, 'stroke-width': 2.5 }),
    ]);
  const ramp = el('span', { class: 'bp-ramp', 'aria-hidden': 'true' });
  return el('div', { class: 'bp-legend' }, [
    el('span', {}, [sample('pos'), 'positive weight']),
    el('span', {}, [sample('neg'), 'negative weight (dashed)']),
    el('span', {}, ['thickness: |w|']),
    layout.shape === 'map'
      ? el('span', { class: 'bp-legend-wrap' }, [
          'each node: its a over the input plane, ',
          el('span', { class: 'bp-legend-keep' }, ['low', ramp, 'high']),
        ])
      : el('span', {}, ['fill: |a|']),
  ]);
}
