/**
 * The training timeline in the panel: checking the recorded points and turning one into a drawable
 * snapshot. Pure.
 */
import type { BoundaryItem, NetworkSnapshot, NodeMaps, TimelineItem } from '../protocol/results';
import { shownNumber } from '../protocol/text';
import { isNum, isObj, mapValuesOk, perLayerOk, rowOk, weightsOk, type Checked } from './validate';

/** Most points accepted (the runtime records at most 60). */
export const MAX_TIMELINE_POINTS = 200;

/**
 * Checks a timeline against the network it belongs to (and the boundary grid, when there is one).
 */
export function checkTimeline(
  v: unknown,
  sizes: number[],
  boundary?: BoundaryItem,
  maps?: NodeMaps,
): Checked<TimelineItem[]> {
  if (!Array.isArray(v) || v.length > MAX_TIMELINE_POINTS)
    return { ok: false, error: 'timeline is not a list of points' };
  const cells = boundary ? boundary.resolution ** 2 : 0;
  for (const [n, t] of v.entries()) {
    const bad = (what: string) => ({
      ok: false as const,
      error: `timeline point ${n + 1}: ${what}`,
    });
    if (!isObj(t) || !Number.isInteger(t.epoch) || !Number.isInteger(t.step))
      return bad('needs whole epoch and step numbers');
    if (t.loss !== undefined && !isNum(t.loss)) return bad('loss is not a number');
    if (!weightsOk(t.weights, sizes)) return bad('weights do not match the network');
    if (!perLayerOk(t.biases, sizes, 1, isNum)) return bad('biases do not match the network');
    if (!rowOk(t)) return bad('row is not one of its rows');
    if (t.a !== undefined && !perLayerOk(t.a, sizes, 0, isNum))
      return bad('a does not match the network');
    if (t.delta !== undefined && !perLayerOk(t.delta, sizes, 0, isNum))
      return bad('δ does not match the network');
    if (
      t.boundary !== undefined &&
      (!Array.isArray(t.boundary) ||
        t.boundary.length !== cells ||
        !t.boundary.every((x) => typeof x === 'number'))
    )
      return bad('boundary does not match the grid');
    if (t.maps !== undefined && !(maps && mapValuesOk(t.maps, sizes, maps.resolution ** 2)))
      return bad('node maps do not match the network');
  }
  return { ok: true, value: v as TimelineItem[] };
}

/**
 * The network as it was at a timeline point: its weights, and its recorded row's a and δ when
 * recorded.
 */
export function snapshotAt(s: NetworkSnapshot, t: TimelineItem): NetworkSnapshot {
  const at: NetworkSnapshot = {
    name: s.name,
    sizes: s.sizes,
    activations: s.activations,
    weights: t.weights,
    biases: t.biases,
  };
  if (t.row !== undefined) {
    at.rows = t.rows;
    at.row = t.row;
  }
  if (t.a) at.a = t.a;
  if (t.delta) at.delta = t.delta;
  if (t.loss !== undefined) at.loss = t.loss;
  if (s.maps && t.maps) at.maps = { ...s.maps, values: t.maps };
  if (s.lossLabel !== undefined) at.lossLabel = s.lossLabel;
  return at;
}

/**
 * The boundary heatmap at a timeline point (the same grid and data points, that point's values).
 */
export function boundaryAt(b: BoundaryItem, t: TimelineItem): BoundaryItem {
  return t.boundary ? { ...b, values: t.boundary } : b;
}

/** Words for a timeline point, for the slider's aria-valuetext and its label. */
export function timelineLabel(t: TimelineItem, last: TimelineItem): string {
  const when =
    t.epoch === 0 && t.step === 0
      ? 'before training'
      : `epoch ${t.epoch} of ${last.epoch}, step ${t.step}`;
  return t.loss !== undefined ? `${when}, E = ${shownNumber(t.loss)}` : when;
}
