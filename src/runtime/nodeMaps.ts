/**
 * What each neuron computes: for a 2-input net, aj[k] of every node over a grid of the input plane
 * (TensorFlow Playground's neuron pictures), by the engine's forward pass over the grid's points.
 * The views only colour these values; they never evaluate the network themselves.
 */
import type { Network } from '../engine/network';
import { forward } from '../engine/passes';
import type { NetworkSnapshot, NodeMaps } from '../protocol/results';
import { boundaryGrid } from './boundary';
import type { Dataset } from './datasets';

/** Grid points per side of a node's map (small pictures: 24² points each). */
export const MAP_RESOLUTION = 24;
/** nets with more nodes than this get no maps (the drawing has no room for pictures then) */
export const MAP_MAX_NODES = 64;

/** A grid of points of the input plane, sample-major (x, y), y from the bottom row up. */
export interface PlaneGrid {
  xRange: [number, number];
  yRange: [number, number];
  inputs: Float64Array;
}

export function hasMaps(net: Network): boolean {
  return net.sizes[0] === 2 && net.sizes.reduce((a, b) => a + b, 0) <= MAP_MAX_NODES;
}

/** 10^k, exact as doubles for k ≤ 22 */
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

/**
 * v to 4 significant digits, exactly Number(v.toPrecision(4)) (0 for ±∞ and NaN): 4 digits are
 * plenty for a colour; the numbers shown as text come from elsewhere. toPrecision builds a string
 * per value, and a 10,000-epoch XOR `train` cell maps ~240,000 of them (its 60 timeline points), so
 * the 4 digits k are found by arithmetic: k = m·10^s rounded (m = |v|, k in [1000, 10000)), then
 * k / 10^s (or k·10^−s) is one correctly rounded operation on exact operands, i.e. the double the
 * string would parse to. The product m·10^s carries an error below 10⁻¹¹, so k is right unless
 * m·10^s lies within 10⁻⁹ of a half; those (and exponents with no exact 10^s) take toPrecision.
 */
export function pixel(v: number): number {
  if (!Number.isFinite(v)) return 0;
  const m = Math.abs(v);
  if (m === 0) return 0;
  const s = 3 - Math.floor(Math.log10(m));
  if (s >= -22 && s <= 22) {
    const p = POW10[s < 0 ? -s : s];
    const x = s >= 0 ? m * p : m / p,
      k = Math.floor(x + 0.5);
    if (k >= 1000 && k < 10000 && Math.abs(x - Math.floor(x) - 0.5) > 1e-9) {
      const r = s >= 0 ? k / p : k * p;
      return v < 0 ? -r : r;
    }
  }
  return Number(v.toPrecision(4));
}

/** values[k-1][j-1]: aj[k] at every grid point (layer 1: the inputs themselves). */
export function nodeMapValues(net: Network, grid: PlaneGrid): number[][][] {
  const points = grid.inputs.length / 2;
  const fwd = forward(net, grid.inputs);
  return net.sizes.map((size, m) => {
    const a = fwd.a[m + 1];
    return Array.from({ length: size }, (_, j) => {
      const out = new Array<number>(points);
      for (let p = 0; p < points; p++) out[p] = pixel(a[p * size + j]);
      return out;
    });
  });
}

/** The maps of a 2-input net over `grid`, with the data points for the output nodes' maps. */
export function nodeMaps(net: Network, grid: PlaneGrid, data?: Dataset): NodeMaps | undefined {
  if (!hasMaps(net)) return undefined;
  return {
    xRange: grid.xRange,
    yRange: grid.yRange,
    resolution: MAP_RESOLUTION,
    values: nodeMapValues(net, grid),
    ...(data
      ? {
          points: data.inputs
            .slice(0, 400)
            .map((x, r) => ({ x: x[0], y: x[1], label: data.targets[r][0] })),
        }
      : {}),
  };
}

/** The timeline's option for maps at every recorded point (2-input nets only). */
export function mapsTimeline(
  net: Network,
  grid: () => PlaneGrid,
): { maps?: () => number[][][]; mapsSize?: number } {
  if (!hasMaps(net)) return {};
  const g = grid();
  const nodes = net.sizes.reduce((a, b) => a + b, 0);
  return { maps: () => nodeMapValues(net, g), mapsSize: nodes * MAP_RESOLUTION ** 2 };
}

/**
 * The snapshot with the pictures the drawing shows beside the numbers: each node's activation over
 * the input plane (2-input nets; over the dataset's range when the net was last fed a dataset, as
 * the decision boundary is).
 */
export function withPictures(
  st: { net: Network; source?: 'sample' | 'dataset'; dataset?: Dataset },
  snap: NetworkSnapshot,
): NetworkSnapshot {
  const data = st.source === 'dataset' ? st.dataset : undefined;
  const maps = hasMaps(st.net)
    ? nodeMaps(st.net, boundaryGrid(data, MAP_RESOLUTION), data)
    : undefined;
  return maps ? { ...snap, maps } : snap;
}
