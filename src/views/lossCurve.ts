/** The loss curve as SVG: loss against epoch, log scale when it spans decades. */
import { LossCurveItem, decodeNumber } from '../protocol/results';
import { partsText, shownNumber } from '../protocol/text';
import { drawParts, el, svg } from './dom';
import { textWidth } from './labels';
import { extent } from '../protocol/extent';

export interface CurveGeometry {
  /** SVG path `d` of the curve (empty when nothing finite) */
  path: string;
  logScale: boolean;
  yMin: number;
  yMax: number;
  xMin: number;
  xMax: number;
}

const W = 420;
const H = 180;
const PAD = { left: 76, right: 12, top: 10, bottom: 26 };
type Pad = typeof PAD;
/** the chart's text size (styles.ts: .bp-curve text), the rotated axis title's room at the left */
const FONT = 11;
const TITLE_W = 14;
/** between a y label's end and the axis */
const Y_LABEL_GAP = 4;

/** Pure geometry of the curve in a W×H box; at most ~2 points per pixel column are kept. */
export function curveGeometry(
  points: [number, number][],
  width = W,
  height = H,
  pad: Pad = PAD,
): CurveGeometry {
  const finite = points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  if (finite.length === 0) return { path: '', logScale: false, yMin: 0, yMax: 1, xMin: 0, xMax: 1 };
  const ys = finite.map(([, y]) => y);
  let [yMin, yMax] = extent(ys);
  const logScale = yMin > 0 && yMax / yMin > 100;
  const fy = (y: number) => (logScale ? Math.log10(y) : y);
  let lo = fy(yMin);
  let hi = fy(yMax);
  if (hi === lo) {
    hi += 0.5;
    lo -= 0.5;
    if (!logScale) {
      yMin = lo;
      yMax = hi;
    }
  }
  const xMin = finite[0][0];
  const xMax = Math.max(finite[finite.length - 1][0], xMin + 1);
  const innerW = width - pad.left - pad.right;
  const innerH = height - pad.top - pad.bottom;
  const step = Math.max(1, Math.floor(finite.length / (innerW * 2)));
  const parts: string[] = [];
  for (let i = 0; i < finite.length; i += step) {
    const [x, y] = finite[i];
    const px = pad.left + ((x - xMin) / (xMax - xMin)) * innerW;
    const py = pad.top + (1 - (fy(y) - lo) / (hi - lo)) * innerH;
    parts.push(`${parts.length ? 'L' : 'M'}${px.toFixed(1)},${py.toFixed(1)}`);
  }
  const [lx, ly] = finite[finite.length - 1];
  if ((finite.length - 1) % step !== 0)
    parts.push(
      `L${(pad.left + ((lx - xMin) / (xMax - xMin)) * innerW).toFixed(1)},` +
        `${(pad.top + (1 - (fy(ly) - lo) / (hi - lo)) * innerH).toFixed(1)}`,
    );
  return { path: parts.join(''), logScale, yMin, yMax, xMin, xMax };
}

/** The chart's width when it has room: narrower, it is drawn narrower, its text kept at FONT. */
export const CURVE_WIDTH = W;

export function drawLossCurve(item: LossCurveItem, width = W): HTMLElement {
  const pts = item.points.map(([x, y]) => [x, decodeNumber(y)] as [number, number]);
  const range = curveGeometry(pts);
  const yLabels = [shownNumber(range.yMax), shownNumber(range.yMin)];
  const left = Math.max(
    PAD.left,
    TITLE_W + Y_LABEL_GAP + Math.max(textWidth(yLabels[0], FONT), textWidth(yLabels[1], FONT)),
  );
  const g = curveGeometry(pts, width, H, { ...PAD, left });
  const label = `${item.title}: ${partsText(item.summary, shownNumber)}`;
  const chart = svg(
    'svg',
    { viewBox: `0 0 ${width} ${H}`, width, height: H, role: 'img', 'aria-label': label },
    [
      svg('line', {
        x1: left,
        y1: PAD.top,
        x2: left,
        y2: H - PAD.bottom,
        class: 'bp-axis',
      }),
      svg('line', {
        x1: left,
        y1: H - PAD.bottom,
        x2: width - PAD.right,
        y2: H - PAD.bottom,
        class: 'bp-axis',
      }),
      svg('text', { x: left - Y_LABEL_GAP, y: PAD.top + 8, 'text-anchor': 'end' }, [yLabels[0]]),
      svg('text', { x: left - Y_LABEL_GAP, y: H - PAD.bottom, 'text-anchor': 'end' }, [yLabels[1]]),
      svg('text', { x: left, y: H - 8, 'text-anchor': 'start' }, [shownNumber(g.xMin)]),
      svg('text', { x: (left + width - PAD.right) / 2, y: H - 8, 'text-anchor': 'middle' }, [
        'epoch',
      ]),
      svg('text', { x: width - PAD.right, y: H - 8, 'text-anchor': 'end' }, [shownNumber(g.xMax)]),
      svg(
        'text',
        {
          x: 10,
          y: PAD.top + (H - PAD.top - PAD.bottom) / 2,
          transform: `rotate(-90 10 ${PAD.top + (H - PAD.top - PAD.bottom) / 2})`,
          'text-anchor': 'middle',
        },
        ['E' + (g.logScale ? ' (log scale)' : '')],
      ),
      g.path ? svg('path', { d: g.path, class: 'bp-line' }) : null,
    ],
  );
  return el('div', { class: 'bp-item bp-curve' }, [
    el('div', { class: 'bp-title' }, [item.title]),
    chart,
    el('div', { class: 'bp-note' }, drawParts(item.summary)),
  ]);
}

const SPARK_W = 96;
const SPARK_H = 18;

/**
 * A small line of E through a training run, for the train summary (its numbers are in the text
 * beside it).
 */
export function drawSparkline(values: number[]): SVGElement {
  const g = curveGeometry(
    values.map((v, i) => [i, v]),
    SPARK_W,
    SPARK_H,
    { left: 1, right: 1, top: 2, bottom: 2 },
  );
  return svg(
    'svg',
    {
      class: 'bp-spark',
      viewBox: `0 0 ${SPARK_W} ${SPARK_H}`,
      width: SPARK_W,
      height: SPARK_H,
      'aria-hidden': 'true',
    },
    [g.path ? svg('path', { d: g.path, class: 'bp-line' }) : null],
  );
}
