/** Decision boundaries: a 2-input network's first output over a grid covering the data. */
import { FastNet } from '../engine/fast';
import type { Network } from '../engine/network';
import type { BoundaryItem } from '../protocol/results';
import type { Dataset } from './datasets';
import { extent } from '../protocol/extent';

/** Grid points per side of a decision-boundary heatmap. */
export const BOUNDARY_RESOLUTION = 48;

/**
 * A grid covering the data (or [−1.5, 1.5]²), BOUNDARY_RESOLUTION points a side, as network inputs.
 */
export interface BoundaryGrid {
  xRange: [number, number];
  yRange: [number, number];
  inputs: Float64Array;
}

export function boundaryGrid(data?: Dataset, n = BOUNDARY_RESOLUTION): BoundaryGrid {
  let [x0, x1, y0, y1] = [-1.5, 1.5, -1.5, 1.5];
  if (data) {
    const xs = data.inputs.map((r) => r[0]);
    const ys = data.inputs.map((r) => r[1]);
    const [xMin, xMax] = extent(xs);
    const [yMin, yMax] = extent(ys);
    const padX = 0.1 * (xMax - xMin || 1);
    const padY = 0.1 * (yMax - yMin || 1);
    [x0, x1, y0, y1] = [xMin - padX, xMax + padX, yMin - padY, yMax + padY];
  }
  const inputs = new Float64Array(n * n * 2);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      inputs[(r * n + c) * 2] = x0 + ((c + 0.5) / n) * (x1 - x0);
      inputs[(r * n + c) * 2 + 1] = y0 + ((r + 0.5) / n) * (y1 - y0);
    }
  }
  return { xRange: [x0, x1], yRange: [y0, y1], inputs };
}

/**
 * The network's first output at every grid point, by the fast forward pass (the same bits as the
 * recording forward, without recording 2,304 samples' z and a). Pass the same FastNet of `net` to
 * reuse its buffers across snapshots of one run.
 */
export function boundaryValues(
  net: Network,
  grid: BoundaryGrid,
  fast = new FastNet(net, BOUNDARY_RESOLUTION ** 2),
): number[] {
  const count = BOUNDARY_RESOLUTION ** 2;
  const out = fast.forward(grid.inputs, count);
  const width = net.sizes[net.layerCount - 1];
  const values = new Array<number>(count);
  for (let p = 0; p < count; p++) values[p] = out[p * width];
  return values;
}

/** The first output of a 2-input network over a grid covering the data (or [−1.5, 1.5]²). */
export function boundaryItem(net: Network, data?: Dataset): BoundaryItem {
  const grid = boundaryGrid(data);
  const points = (data?.inputs ?? [])
    .slice(0, 2000)
    .map((x, r) => ({ x: x[0], y: x[1], label: data!.targets[r][0] }));
  return {
    kind: 'boundary',
    xRange: grid.xRange,
    yRange: grid.yRange,
    resolution: BOUNDARY_RESOLUTION,
    values: boundaryValues(net, grid),
    points,
  };
}
