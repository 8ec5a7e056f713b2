import * as assert from 'assert/strict';
import { edgeWidth, layoutNetwork, preferredSize, strongestEdges } from '../../../src/views/layout';
import { denseSnapshot, seedSnapshot } from './sample';

describe('network layout', () => {
  it('puts layers in columns L1…Ln from left to right, nodes top to bottom, inside the box', () => {
    const s = seedSnapshot();
    const l = layoutNetwork(s.sizes, s.weights);
    assert.deepEqual(
      l.nodes.map((c) => c.length),
      [2, 3, 1],
    );
    const xs = l.nodes.map((c) => c[0].x);
    assert.ok(xs[0] < xs[1] && xs[1] < xs[2]);
    for (const col of l.nodes) {
      assert.ok(
        col.every((p) => p.x === col[0].x),
        'one x per column',
      );
      for (let j = 1; j < col.length; j++)
        assert.ok(col[j].y > col[j - 1].y, 'node j below node j-1');
      assert.ok(
        col.every(
          (p) => p.y - l.radius >= 0 && p.y + l.radius <= l.height && p.x >= 0 && p.x <= l.width,
        ),
      );
    }
    // a column is centred vertically: the middle node of L2 is level with the single L3 node
    assert.ok(Math.abs(l.nodes[1][1].y - l.nodes[2][0].y) < 1e-9);
  });

  it('draws every edge of a small net as SVG with wij[k] labels and node labels', () => {
    const s = seedSnapshot();
    const l = layoutNetwork(s.sizes, s.weights);
    assert.equal(l.mode, 'svg');
    assert.equal(l.edges.length, 9);
    assert.equal(l.totalEdges, 9);
    assert.equal(l.thinned, false);
    assert.ok(l.edgeLabels && l.nodeLabels);
    assert.deepEqual(l.valueLabels, [true, true, true]);
    assert.deepEqual(l.edges[0], { k: 1, i: 1, j: 1, weight: 0.15 });
  });

  it(
    'leaves out the a= and δ= lines when nodes are too close for them, and keeps ' + 'the names',
    () => {
      const s = denseSnapshot([2, 16, 1]);
      const l = layoutNetwork(s.sizes, s.weights, { height: 700 });
      assert.equal(l.mode, 'svg');
      assert.ok(l.nodeLabels, 'names still fit inside the circles');
      assert.deepEqual(
        l.valueLabels,
        [true, false, true],
        'only the crowded 16-node column drops them',
      );
      const roomy = layoutNetwork(s.sizes, s.weights, { height: 1800 });
      assert.deepEqual(roomy.valueLabels, [true, true, true], 'with room enough they are drawn');
    },
  );

  it(
    'uses the canvas and thins a 784-128-64-10 net to the strongest edges of each ' + 'layer gap',
    () => {
      const s = denseSnapshot([784, 128, 64, 10]);
      const l = layoutNetwork(s.sizes, s.weights, { maxEdges: 1500 });
      assert.equal(l.mode, 'canvas');
      assert.equal(l.totalEdges, 784 * 128 + 128 * 64 + 64 * 10);
      assert.ok(l.thinned);
      assert.ok(l.edges.length <= 1500, `${l.edges.length} edges drawn`);
      for (let k = 1; k <= 3; k++) {
        const kept = l.edges.filter((e) => e.k === k);
        const all = s.weights[k - 1]
          .flat()
          .map((w) => Math.abs(Number(w)))
          .sort((a, b) => b - a);
        assert.equal(kept.length, Math.min(all.length, 500));
        const weakestKept = Math.min(...kept.map((e) => Math.abs(e.weight)));
        assert.equal(
          weakestKept,
          all[kept.length - 1],
          `layer ${k}: no dropped edge is stronger than a kept one`,
        );
      }
      assert.equal(l.edgeLabels, false);
    },
  );

  it('thinning is deterministic and keeps ties in i-then-j order', () => {
    const weights = [
      [1, 1, 1],
      [1, 1, 1],
    ];
    assert.deepEqual(
      strongestEdges(weights, 1, 4).map((e) => [e.i, e.j]),
      [
        [1, 1],
        [1, 2],
        [1, 3],
        [2, 1],
      ],
    );
    assert.deepEqual(
      strongestEdges(
        [
          [0.1, -5],
          ['NaN', 2],
        ],
        2,
        2,
      ).map((e) => [e.i, e.j]),
      [
        [1, 2],
        [2, 1],
      ],
    );
  });

  it('edge thickness grows with |w| and is the same for +w and −w', () => {
    assert.ok(edgeWidth(0.1, 1) < edgeWidth(0.9, 1));
    assert.equal(edgeWidth(-0.5, 1), edgeWidth(0.5, 1));
    assert.equal(edgeWidth(1, 1), 5);
    assert.equal(edgeWidth(0, 0), 0.5);
  });

  it('keeps the natural size inside bounds for huge layers', () => {
    const { width, height } = preferredSize([784, 128, 64, 10]);
    assert.ok(width <= 1100 && height <= 700);
  });

  it('lays a net out to the room it is given, SVG layers at least 190 px apart', () => {
    const at = (sizes: number[], room?: number) => layoutNetwork(sizes, [], { room }).width;
    // 2-4-4-4-1: naturally 1100 px (the cap); narrowest 2·56 + 4·190 = 872 px
    assert.equal(at([2, 4, 4, 4, 1]), 1100);
    assert.equal(at([2, 4, 4, 4, 1], 2000), 1100);
    assert.equal(at([2, 4, 4, 4, 1], 1000), 1000);
    assert.equal(at([2, 4, 4, 4, 1], 514), 872);
    // 2-3-1: naturally 2·56 + 2·250 = 612 px; it fits the panel's 514 px, and its 499 px beside
    // a scrollbar (narrowest 492)
    assert.equal(at([2, 3, 1], 514), 514);
    assert.equal(at([2, 3, 1], 499), 499);
    assert.equal(at([2, 3, 1], 400), 492);
    // a canvas (64-256-128-10: 50,432 weights) has no edge words: naturally 2·56 + 3·250 = 862 px,
    // it takes the room down to layers 100 px apart (2·56 + 3·100 = 412)
    const big = layoutNetwork([64, 256, 128, 10], [], { room: 499 });
    assert.equal(big.mode, 'canvas');
    assert.equal(big.width, 499);
    assert.equal(at([64, 256, 128, 10]), 862);
    assert.equal(at([64, 256, 128, 10], 300), 412);
    const l = layoutNetwork([2, 3, 1], [], { room: 514 });
    assert.deepEqual(
      l.nodes.map((c) => c[0].x),
      [56, 257, 458],
    );
  });
});
