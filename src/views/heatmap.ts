/**
 * Small heatmaps of a node's activation over the input plane (the grid values come from the
 * runtime).
 */
import { heatColour } from './boundary';

/**
 * The colour scale of one node's map: at least [0, 1] (sigmoid, softmax), widened to the values'
 * own range (tanh's −1, relu's large values), so 0.5 is white for sigmoid and 0 for tanh.
 */
export function mapRange(values: number[]): [number, number] {
  let lo = 0;
  let hi = 1;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo < 0 && hi <= 1) hi = Math.max(hi, -lo); // symmetric about 0 for tanh-like ranges
  return [lo, hi];
}

/** Paints a resolution² grid (row-major, y from bottom) into an n × n canvas. */
export function paintGrid(
  canvas: HTMLCanvasElement,
  values: number[],
  n: number,
  range: [number, number],
): void {
  canvas.width = n;
  canvas.height = n;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const img = ctx.createImageData(n, n);
  const [lo, hi] = range;
  const span = hi - lo || 1;
  for (let row = 0; row < n; row++)
    for (let col = 0; col < n; col++) {
      const [r, g, b] = heatColour((values[row * n + col] - lo) / span);
      const p = ((n - 1 - row) * n + col) * 4;
      img.data[p] = r;
      img.data[p + 1] = g;
      img.data[p + 2] = b;
      img.data[p + 3] = 255;
    }
  ctx.putImageData(img, 0, 0);
}

/** The grid as a PNG data URL, for an SVG <image> (the panel's CSP allows data: images). */
export function gridDataUrl(values: number[], n: number, range = mapRange(values)): string {
  try {
    const canvas = document.createElement('canvas');
    paintGrid(canvas, values, n, range);
    return canvas.toDataURL('image/png');
  } catch {
    return '';
  }
}
