/**
 * The decision boundary of a 2-input net: the output over a grid as a canvas heatmap, data points
 * on top.
 */
import { BoundaryItem } from '../protocol/results';
import { el } from './dom';

const SIZE = 280;

/**
 * Maps an output value to a colour between two theme-neutral hues (blue for low, orange for high).
 */
export function heatColour(v: number): [number, number, number] {
  const t = Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0.5;
  const lo: [number, number, number] = [49, 120, 198];
  const hi: [number, number, number] = [230, 140, 40];
  const mid: [number, number, number] = [235, 235, 235];
  const mix = (a: number[], b: number[], u: number) =>
    a.map((x, i) => Math.round(x + (b[i] - x) * u)) as [number, number, number];
  return t < 0.5 ? mix(lo, mid, t * 2) : mix(mid, hi, (t - 0.5) * 2);
}

/** Pixel position of a data point on the canvas (y grows upward in data, downward on screen). */
export function pointToPixel(
  x: number,
  y: number,
  item: Pick<BoundaryItem, 'xRange' | 'yRange'>,
  size = SIZE,
): [number, number] {
  const [x0, x1] = item.xRange;
  const [y0, y1] = item.yRange;
  return [((x - x0) / (x1 - x0 || 1)) * size, (1 - (y - y0) / (y1 - y0 || 1)) * size];
}

export function drawBoundary(item: BoundaryItem): HTMLElement {
  const n = Math.max(1, Math.floor(item.resolution));
  const canvas = el('canvas', {
    role: 'img',
    'aria-label':
      `decision boundary over x from ${item.xRange[0]} to ${item.xRange[1]} and y ` +
      `from ${item.yRange[0]} to ${item.yRange[1]}, ${item.points.length} data points ` +
      `(circles: label 0, squares: label 1)`,
  });
  canvas.width = SIZE;
  canvas.height = SIZE;
  const ctx = canvas.getContext('2d');
  if (ctx) {
    const grid = document.createElement('canvas');
    grid.width = n;
    grid.height = n;
    const gctx = grid.getContext('2d');
    if (gctx) {
      const img = gctx.createImageData(n, n);
      for (let row = 0; row < n; row++) {
        for (let col = 0; col < n; col++) {
          const v = item.values[row * n + col];
          const [r, g, b] = heatColour(v);
          const p = ((n - 1 - row) * n + col) * 4; // values are stored y from bottom
          img.data[p] = r;
          img.data[p + 1] = g;
          img.data[p + 2] = b;
          img.data[p + 3] = 255;
        }
      }
      gctx.putImageData(img, 0, 0);
      ctx.imageSmoothingEnabled = true;
      ctx.drawImage(grid, 0, 0, SIZE, SIZE);
    }
    for (const pt of item.points) {
      const [px, py] = pointToPixel(pt.x, pt.y, item);
      ctx.lineWidth = 1.5;
      ctx.strokeStyle = '#000';
      ctx.fillStyle = pt.label >= 0.5 ? 'rgb(230,140,40)' : 'rgb(49,120,198)';
      ctx.beginPath();
      if (pt.label >= 0.5) ctx.rect(px - 4, py - 4, 8, 8);
      else ctx.arc(px, py, 4.5, 0, Math.PI * 2);
      ctx.fill();
      ctx.stroke();
    }
  }
  return el('div', { class: 'bp-item bp-boundary' }, [
    el('div', { class: 'bp-title' }, ['Decision boundary']),
    canvas,
    el('div', { class: 'bp-note' }, [
      'blue: output near 0, orange: near 1; circles are label 0, squares label 1',
    ]),
  ]);
}
