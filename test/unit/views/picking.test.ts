import * as assert from 'assert/strict';
import { hitTest, layoutNetwork, moveCursor, segmentDistance } from '../../../src/views/layout';
import { weightsByName } from '../../../src/views/netCanvas';
import { denseSnapshot, seedSnapshot } from './sample';

describe('network picking and keyboard route (pure layout)', () => {
  it('hits the node under the point, and the edge nearest a point on its line', () => {
    const s = seedSnapshot();
    const l = layoutNetwork(s.sizes, s.weights);
    const n = l.nodes[1][2];
    assert.deepEqual(hitTest(l, n.x + 1, n.y - 1), { kind: 'node', k: 2, j: 3 });
    // a point near w21[1] (from 2[1] to 1[2]), clear of the other edges leaving 2[1]
    const a = l.nodes[0][1],
      b = l.nodes[1][0];
    const x = a.x + (b.x - a.x) * 0.6,
      y = a.y + (b.y - a.y) * 0.6;
    assert.deepEqual(hitTest(l, x, y + 1), { kind: 'edge', k: 1, i: 2, j: 1 });
    const c = l.nodes[0][0],
      d = l.nodes[1][2];
    assert.deepEqual(hitTest(l, c.x + (d.x - c.x) * 0.7, c.y + (d.y - c.y) * 0.7 - 1), {
      kind: 'edge',
      k: 1,
      i: 1,
      j: 3,
    });
    // empty space: nothing
    assert.equal(hitTest(l, 2, l.height - 2), undefined);
  });

  it(
    'on a thinned big net only drawn edges are hit, and every hit edge lies within ' + 'tolerance',
    () => {
      const s = denseSnapshot([64, 256, 128, 10]);
      const l = layoutNetwork(s.sizes, s.weights);
      assert.equal(l.mode, 'canvas');
      assert.ok(l.thinned);
      const drawn = new Set(l.edges.map((e) => `${e.k}:${e.i}:${e.j}`));
      let hits = 0;
      for (let x = 0; x < l.width; x += 7) {
        for (let y = 0; y < l.height; y += 7) {
          const h = hitTest(l, x, y, 3);
          if (h?.kind !== 'edge') continue;
          hits++;
          assert.ok(drawn.has(`${h.k}:${h.i}:${h.j}`), 'a hit edge is a drawn edge');
          assert.ok(segmentDistance(x, y, l.nodes[h.k - 1][h.i - 1], l.nodes[h.k][h.j - 1]) <= 3);
        }
      }
      assert.ok(hits > 100, `hits ${hits}`);
    },
  );

  it(
    'moves a node cursor with arrow keys, clamped, across layers at the same ' + 'relative height',
    () => {
      const sizes = [2, 3, 1];
      assert.deepEqual(moveCursor(sizes, { k: 1, j: 1 }, 'ArrowDown'), { k: 1, j: 2 });
      assert.deepEqual(moveCursor(sizes, { k: 1, j: 2 }, 'ArrowDown'), { k: 1, j: 2 });
      assert.deepEqual(moveCursor(sizes, { k: 1, j: 1 }, 'ArrowUp'), { k: 1, j: 1 });
      assert.deepEqual(moveCursor(sizes, { k: 1, j: 2 }, 'ArrowRight'), { k: 2, j: 3 });
      assert.deepEqual(moveCursor(sizes, { k: 2, j: 3 }, 'ArrowRight'), { k: 3, j: 1 });
      assert.deepEqual(moveCursor(sizes, { k: 3, j: 1 }, 'ArrowRight'), { k: 3, j: 1 });
      assert.deepEqual(moveCursor(sizes, { k: 1, j: 1 }, 'ArrowLeft'), { k: 1, j: 1 });
      assert.deepEqual(moveCursor(sizes, { k: 2, j: 2 }, 'End'), { k: 2, j: 3 });
      assert.deepEqual(moveCursor(sizes, { k: 2, j: 2 }, 'Home'), { k: 2, j: 1 });
      const c = { k: 2, j: 2 };
      assert.equal(moveCursor(sizes, c, 'x'), c);
    },
  );

  it('a highlighted weight is found by its name, with parentheses above 9, never parsed', () => {
    const s = denseSnapshot([12, 3, 2]);
    const byName = weightsByName(s);
    assert.equal(byName.size, 12 * 3 + 3 * 2);
    assert.deepEqual(byName.get('w(12,3)[1]'), {
      k: 1,
      i: 12,
      j: 3,
      weight: Math.sin(1 + 11 * 31 + 2 * 17),
    });
    assert.deepEqual(byName.get('w21[2]'), { k: 2, i: 2, j: 1, weight: Math.sin(1 + 31 + 7) });
    assert.equal(byName.get('w123[1]'), undefined);
    assert.equal(byName.get('b1[2]'), undefined);
    assert.equal(weightsByName(s), byName, 'built once per snapshot');
  });
});
