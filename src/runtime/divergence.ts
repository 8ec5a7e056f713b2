/**
 * The divergence check of `update` and `step`, as `train` has one: a non-finite loss or gradient
 * stops before the update, and an update that would make a weight or bias non-finite is undone
 * (the last finite weights are kept) and stops the cell.
 */
import type { Network } from '../engine/network';
import type { BackwardRecord, UpdateRecord } from '../engine/passes';
import { names } from '../engine/notation';

/** The first non-finite value of per-layer arrays (layout of Network.weights/biases), by name. */
function firstNonFinite(
  net: Network,
  arrays: Float64Array[],
  kind: 'w' | 'b',
): { name: string; value: number } | undefined {
  for (let m = 0; m < arrays.length; m++) {
    const a = arrays[m];
    for (let p = 0; p < a.length; p++) {
      if (Number.isFinite(a[p])) continue;
      const nFrom = net.sizes[m];
      const name =
        kind === 'w'
          ? names.w(m + 1, (p % nFrom) + 1, Math.floor(p / nFrom) + 1)
          : names.b(m + 2, p + 1);
      return { name, value: a[p] };
    }
  }
  return undefined;
}

/**
 * Why the gradients of a backward pass cannot be applied (a non-finite E or gradient), or
 * undefined.
 */
export function backwardDiverged(net: Network, back: BackwardRecord): string | undefined {
  if (!Number.isFinite(back.loss))
    return `diverged: E = ${back.loss} with the current weights; nothing was updated`;
  const bad =
    firstNonFinite(net, back.weightGrad, 'w') ??
    firstNonFinite(
      net,
      back.biasGrad.map((g, m) => (net.spec.bias[m] ? g : new Float64Array(0))),
      'b',
    );
  return bad
    ? `diverged: ∂E/∂${bad.name} = ${bad.value} with the current weights; nothing was updated`
    : undefined;
}

/**
 * After an update: if a new weight or bias is not finite, puts every parameter back to its value
 * before the update and says why; otherwise undefined.
 */
export function undoDivergedUpdate(net: Network, upd: UpdateRecord): string | undefined {
  const bad = firstNonFinite(net, upd.newWeights, 'w') ?? firstNonFinite(net, upd.newBiases, 'b');
  if (!bad) return undefined;
  upd.oldWeights.forEach((w, m) => net.weights[m].set(w));
  upd.oldBiases.forEach((b, m) => net.biases[m].set(b));
  return (
    `diverged: the update with η = ${upd.lr} would make ${bad.name} = ${bad.value}; the ` +
    `weights before it are kept`
  );
}
