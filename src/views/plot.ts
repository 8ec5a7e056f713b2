/**
 * Curves of functions over one x range (g and g′, an exact derivative and a
 * hand-derived one), as SVG with axes, a legend and vertical markers. The y
 * range is clipped to the finite values' central 98% so one huge value does
 * not flatten the rest; every point drawn is one the runtime sent.
 */
import type { PlotItem } from '../protocol/graph';
import { decodeNumber } from '../protocol/results';
import { shownNumber } from '../protocol/text';
import { el, svg } from './dom';
import { textWidth } from './labels';
import { extent, maxOf } from '../protocol/extent';

const W = 460;
const H = 220;
const PAD = { left: 56, right: 12, top: 10, bottom: 28 };
/** between a y label's end and the plot area */
const Y_LABEL_GAP = 4;

export interface PlotGeometry {
  /** one SVG path per series (broken where a value is not finite or off the range) */
  paths: string[];
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
  /** the left edge of the plot area: room for the longer y label (a minus sign included) */
  left: number;
  px: (x: number) => number;
  py: (y: number) => number;
}

/** Pure geometry of a plot in a W×H box. */
export function plotGeometry(item: PlotItem, width = W, height = H): PlotGeometry {
  const all = item.series.flatMap((s) => s.points.map(([x, y]) => [x, decodeNumber(y)]));
  const xs = all.map(([x]) => x).filter(Number.isFinite);
  const ys = all
    .map(([, y]) => y)
    .filter(Number.isFinite)
    .sort((p, q) => p - q);
  const xMin = xs.length ? extent(xs)[0] : 0;
  const xMax = xs.length ? maxOf(xs, xMin + 1e-9) : 1;
  let yMin = ys.length ? ys[Math.floor(ys.length * 0.01)] : 0;
  let yMax = ys.length ? ys[Math.ceil(ys.length * 0.99) - 1] : 1;
  if (yMax - yMin < 1e-12) {
    yMin -= 0.5;
    yMax += 0.5;
  }
  const margin = (yMax - yMin) * 0.06;
  yMin -= margin;
  yMax += margin;
  const left = Math.max(
    PAD.left,
    Y_LABEL_GAP + Math.max(textWidth(shownNumber(yMin)), textWidth(shownNumber(yMax))) + 4,
  );
  const innerW = width - left - PAD.right;
  const innerH = height - PAD.top - PAD.bottom;
  const px = (x: number) => left + ((x - xMin) / (xMax - xMin)) * innerW;
  const py = (y: number) => PAD.top + (1 - (y - yMin) / (yMax - yMin)) * innerH;
  const paths = item.series.map((s) => {
    let d = '';
    let pen = false;
    for (const [x, raw] of s.points) {
      const y = decodeNumber(raw);
      if (!Number.isFinite(y) || y < yMin || y > yMax) {
        pen = false;
        continue;
      }
      d += `${pen ? 'L' : 'M'}${px(x).toFixed(1)},${py(y).toFixed(1)}`;
      pen = true;
    }
    return d;
  });
  return { paths, xMin, xMax, yMin, yMax, left, px, py };
}

export function drawPlot(item: PlotItem): HTMLElement {
  const g = plotGeometry(item);
  const zeroY = g.yMin < 0 && g.yMax > 0 ? g.py(0) : H - PAD.bottom;
  const zeroX = g.xMin < 0 && g.xMax > 0 ? g.px(0) : g.left;
  const chart = svg(
    'svg',
    {
      viewBox: `0 0 ${W} ${H}`,
      width: W,
      height: H,
      role: 'img',
      'aria-label': `${item.title}: ${item.series.map((s) => s.label).join(', ')}`,
    },
    [
      svg('line', { x1: g.left, y1: zeroY, x2: W - PAD.right, y2: zeroY, class: 'bp-axis' }),
      svg('line', { x1: zeroX, y1: PAD.top, x2: zeroX, y2: H - PAD.bottom, class: 'bp-axis' }),
      svg('text', { x: g.left - Y_LABEL_GAP, y: PAD.top + 8, 'text-anchor': 'end' }, [
        shownNumber(g.yMax),
      ]),
      svg('text', { x: g.left - Y_LABEL_GAP, y: H - PAD.bottom, 'text-anchor': 'end' }, [
        shownNumber(g.yMin),
      ]),
      svg('text', { x: g.left, y: H - 8, 'text-anchor': 'start' }, [shownNumber(g.xMin)]),
      svg('text', { x: W - PAD.right, y: H - 8, 'text-anchor': 'end' }, [
        `${shownNumber(g.xMax)}  ${item.xLabel}`,
      ]),
      ...(item.marks ?? []).map((m) =>
        svg('line', {
          x1: g.px(m.x),
          x2: g.px(m.x),
          y1: PAD.top,
          y2: H - PAD.bottom,
          class: 'bp-mark',
        }),
      ),
      ...g.paths.map((d, i) =>
        d
          ? svg('path', {
              d,
              class: `bp-line bp-series-${i % 4}${item.series[i].dashed ? ' dashed' : ''}`,
            })
          : null,
      ),
    ],
  );
  const legend = el(
    'div',
    { class: 'bp-legend' },
    item.series.map((s, i) =>
      el('span', {}, [
        svg('svg', { width: 22, height: 8 }, [
          svg('line', {
            x1: 0,
            y1: 4,
            x2: 22,
            y2: 4,
            class: `bp-line bp-series-${i % 4}${s.dashed ? ' dashed' : ''}`,
          }),
        ]),
        ` ${s.label}`,
      ]),
    ),
  );
  return el('div', { class: 'bp-item bp-curve bp-plot' }, [
    el('div', { class: 'bp-title' }, [item.title]),
    chart,
    legend,
    ...(item.marks ?? []).map((m) => el('div', { class: 'bp-note' }, [m.label])),
  ]);
}
