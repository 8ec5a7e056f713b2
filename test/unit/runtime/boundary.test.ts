import { strict as assert } from 'assert';
import { createNetwork, forward, initialise, type Network } from '../../../src/engine';
import { boundaryItem } from '../../../src/runtime/boundary';
import { trainHere } from '../../../src/runtime/train';
import { builtinDataset } from '../../../src/runtime/datasets';
import type { BoundaryItem } from '../../../src/protocol/results';

/** The boundary as the recording forward pass computes it, from the item's own grid description. */
function recorded(net: Network, item: BoundaryItem): number[] {
  const n = item.resolution,
    [x0, x1] = item.xRange,
    [y0, y1] = item.yRange;
  const grid: number[][] = [];
  for (let r = 0; r < n; r++)
    for (let c = 0; c < n; c++)
      grid.push([x0 + ((c + 0.5) / n) * (x1 - x0), y0 + ((r + 0.5) / n) * (y1 - y0)]);
  const out = forward(net, grid).a[net.layerCount];
  return Array.from({ length: n * n }, (_, p) => out[p * net.sizes[net.layerCount - 1]]);
}

function net(hidden: number, kind: 'tanh' | 'relu', seed: number): Network {
  const made = createNetwork({
    sizes: [2, hidden, 1],
    activations: [{ kind }, { kind: 'sigmoid' }],
    bias: [true, true],
    loss: 'half-squared',
  });
  assert.ok(made.ok);
  initialise(made.value, { method: 'uniform', seed, range: 1 });
  return made.value;
}

describe('runtime: decision boundary', () => {
  // 2048 wide: 2 × 2048 weights, where the fast pass uses the WebAssembly kernels
  it('equals the recording forward pass at every grid point, to the last bit', () => {
    for (const [hidden, kind, seed] of [
      [3, 'tanh', 1],
      [70, 'relu', 2],
      [5, 'tanh', 3],
      [2048, 'relu', 5],
    ] as const) {
      const n = net(hidden, kind, seed);
      const data = builtinDataset('moons', 120, 0.1, seed);
      const item = boundaryItem(n, data);
      assert.equal(item.values.length, item.resolution ** 2);
      recorded(n, item).forEach((v, p) =>
        assert.ok(Object.is(item.values[p], v), `point ${p}: ${item.values[p]} vs ${v}`),
      );
    }
  });

  it('the timeline snapshots of a run have the boundary of the net at that moment', async () => {
    const n = net(6, 'tanh', 4);
    const data = builtinDataset('circle', 100, 0.1, 4);
    const { timeline } = await trainHere(
      {
        name: 'net',
        net: n,
        data,
        boundaryData: data,
        options: { lr: 0.5, epochs: 200, batchSize: 'full' },
      },
      { isCancelled: () => false, yieldNow: async () => {} },
    );
    assert.ok(timeline && timeline.length > 2);
    const last = timeline[timeline.length - 1];
    assert.deepEqual(
      last.boundary,
      boundaryItem(n, data).values,
      'the last snapshot is the trained net',
    );
    assert.notDeepEqual(
      timeline[0].boundary,
      last.boundary,
      'the first snapshot is the untrained net',
    );
  });
});
