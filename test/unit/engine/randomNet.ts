import * as assert from 'node:assert/strict';
import { createNetwork, initialise, type Network, type NetworkSpec } from '../../../src/engine';

/**
 * A network for a property test: built from the spec, weights uniform(±1) from the seed, and a
 * batch cut from `data` (inputs in [−2, 2], targets in [0, 1] read from `targetOffset` on).
 */
export function randomNet(
  spec: NetworkSpec,
  seed: number,
  data: number[],
  batch: number,
  targetOffset: number,
): { net: Network; x: number[][]; t: number[][] } {
  const made = createNetwork(spec);
  assert.ok(made.ok, made.ok ? '' : made.error.message);
  const net = made.value;
  initialise(net, { method: 'uniform', seed, range: 1 });
  const nIn = spec.sizes[0],
    nOut = spec.sizes[spec.sizes.length - 1];
  const x: number[][] = [],
    t: number[][] = [];
  for (let s = 0; s < batch; s++) {
    x.push(data.slice(s * nIn, (s + 1) * nIn).map((v) => 2 * v));
    t.push(
      data.slice(targetOffset + s * nOut, targetOffset + (s + 1) * nOut).map((v) => (v + 1) / 2),
    );
  }
  return { net, x, t };
}
