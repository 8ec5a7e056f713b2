/**
 * The seed's 2-3-1 sigmoid net (no biases), computed here by hand so the views' tests do not depend
 * on the engine.
 */
import type { NetworkSnapshot } from '../../../src/protocol/results';

const sig = (z: number) => 1 / (1 + Math.exp(-z));

export function seedSnapshot(
  opts: { lr?: number; updated?: boolean; name?: string } = {},
): NetworkSnapshot {
  const w1 = [
    [0.15, 0.25, 0.35],
    [0.2, 0.3, 0.4],
  ];
  const w2 = [[0.4], [0.45], [0.5]];
  const x = [0.05, 0.1];
  const t = 0.01;
  const z2 = [0, 1, 2].map((j) => w1[0][j] * x[0] + w1[1][j] * x[1]);
  const a2 = z2.map(sig);
  const z3 = a2.reduce((s, a, i) => s + a * w2[i][0], 0);
  const a3 = sig(z3);
  const d3 = (a3 - t) * a3 * (1 - a3);
  const d2 = a2.map((a, i) => a * (1 - a) * w2[i][0] * d3);
  const g1 = x.map((xi) => d2.map((d) => d * xi));
  const g2 = a2.map((a) => [d3 * a]);
  const lr = opts.lr;
  const apply = (w: number[][], g: number[][]) =>
    opts.updated && lr !== undefined ? w.map((r, i) => r.map((v, j) => v - lr * g[i][j])) : w;
  return {
    name: opts.name ?? 'net',
    sizes: [2, 3, 1],
    activations: ['sigmoid', 'sigmoid'],
    weights: [apply(w1, g1), apply(w2, g2)],
    biases: [[], []],
    z: [[], z2, [z3]],
    a: [x, a2, [a3]],
    delta: [[], d2, [d3]],
    weightGrad: [g1, g2],
    biasGrad: [[], []],
    loss: 0.5 * (a3 - t) ** 2,
    lossLabel: 'E = ½(a − t)²',
    ...(lr !== undefined ? { lr } : {}),
    ...(opts.updated ? { updated: true } : {}),
  };
}

/** A dense net of the given sizes with deterministic weights (no RNG needed). */
export function denseSnapshot(sizes: number[]): NetworkSnapshot {
  const weights = sizes
    .slice(1)
    .map((nTo, k) =>
      Array.from({ length: sizes[k] }, (_, i) =>
        Array.from({ length: nTo }, (_, j) => Math.sin(1 + i * 31 + j * 17 + k * 7)),
      ),
    );
  return {
    name: 'big',
    sizes,
    activations: sizes.slice(1).map(() => 'relu'),
    weights,
    biases: sizes.slice(1).map(() => []),
  };
}
