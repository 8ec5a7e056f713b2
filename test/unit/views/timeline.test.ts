import * as assert from 'assert/strict';
import type { BoundaryItem, TimelineItem } from '../../../src/protocol/results';
import { boundaryAt, checkTimeline, snapshotAt, timelineLabel } from '../../../src/views/timeline';
import { seedSnapshot } from './sample';

const point = (epoch: number, scale: number): TimelineItem => ({
  epoch,
  step: epoch,
  ...(epoch ? { loss: 0.5 / (epoch + 1) } : {}),
  weights: [
    [
      [0.1 * scale, 0.2, 0.3],
      [0.4, 0.5, 0.6],
    ],
    [[1], [2], [3]],
  ],
  biases: [[], []],
  a: [[0.05, 0.1], [0.5, 0.5, 0.5], [0.6]],
  delta: [[], [0.01, 0.02, 0.03], [0.1]],
  boundary: [0, 0.25, 0.5, 1],
});
const grid: BoundaryItem = {
  kind: 'boundary',
  xRange: [0, 1],
  yRange: [0, 1],
  resolution: 2,
  values: [1, 1, 1, 1],
  points: [],
};

describe('panel timeline (pure)', () => {
  it('accepts points that fit the network and the boundary grid', () => {
    const c = checkTimeline([point(0, 1), point(10, 2)], [2, 3, 1], grid);
    assert.equal(c.ok, true);
  });

  it('refuses points whose weights, biases, δ or boundary do not fit, naming the point', () => {
    const wrongW = { ...point(10, 1), weights: [[[1, 2]], [[1]]] };
    const r1 = checkTimeline([point(0, 1), wrongW], [2, 3, 1], grid);
    assert.equal(r1.ok, false);
    assert.match(!r1.ok ? r1.error : '', /point 2: weights/);
    assert.equal(checkTimeline([{ ...point(0, 1), delta: [[1]] }], [2, 3, 1], grid).ok, false);
    assert.equal(
      checkTimeline([{ ...point(0, 1), boundary: [1, 2, 3] }], [2, 3, 1], grid).ok,
      false,
    );
    assert.equal(checkTimeline([{ ...point(0, 1), epoch: 1.5 }], [2, 3, 1], grid).ok, false);
    assert.equal(checkTimeline([{ ...point(0, 1), rows: 4, row: 5 }], [2, 3, 1]).ok, false);
    assert.equal(checkTimeline([{ ...point(0, 1), row: 1 }], [2, 3, 1]).ok, false);
    assert.equal(checkTimeline([{ ...point(0, 1), loss: null }], [2, 3, 1], grid).ok, false);
    assert.equal(checkTimeline({}, [2, 3, 1]).ok, false);
    assert.equal(
      checkTimeline(
        Array.from({ length: 201 }, () => point(0, 1)),
        [2, 3, 1],
      ).ok,
      false,
    );
  });

  it('draws a point as a snapshot with its weights, a and δ, and no gradients', () => {
    const s = seedSnapshot({ lr: 0.5 });
    const p = point(10, 2);
    const at = snapshotAt(s, p);
    assert.deepEqual(at.weights, p.weights);
    assert.deepEqual(at.delta, p.delta);
    assert.equal(at.weightGrad, undefined);
    assert.equal(at.z, undefined);
    assert.equal(at.loss, p.loss);
    assert.deepEqual(at.sizes, s.sizes);
    assert.equal(at.row, undefined, 'a point that does not say its row has none');
    // the row the point's a and δ are, as the runtime recorded it
    const r = snapshotAt(s, { ...p, rows: 4, row: 1 });
    assert.deepEqual([r.row, r.rows], [1, 4]);
    assert.deepEqual(boundaryAt(grid, p).values, [0, 0.25, 0.5, 1]);
    assert.deepEqual(boundaryAt(grid, { ...p, boundary: undefined }).values, grid.values);
  });

  it('labels a point in words', () => {
    assert.equal(timelineLabel(point(0, 1), point(100, 1)), 'before training');
    assert.match(
      timelineLabel(point(10, 1), point(100, 1)),
      /^epoch 10 of 100, step 10, E = 0\.04545/,
    );
    // the typographic minus, as every drawn number (shownNumber): an exponent's and a user
    // loss's negative value
    const last = point(100, 1);
    assert.equal(
      timelineLabel({ ...point(10, 1), loss: 1.5e-7 }, last),
      'epoch 10 of 100, step 10, E = 1.5e−7',
    );
    assert.equal(
      timelineLabel({ ...point(10, 1), loss: -0.25 }, last),
      'epoch 10 of 100, step 10, E = −0.25',
    );
  });
});
