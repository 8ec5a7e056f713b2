/**
 * A network's weights and biases as JSON, and reading them back with every field checked.
 * Orientation as in the seed: weights[k-1][i-1][j-1] = wij[k] (rows = from-node i of layer k,
 * columns = to-node j of layer k+1); biases[k-2][j-1] = bj[k], null for a layer without biases.
 */
import type { Network } from '../engine/network';
import { activationLabel } from './present';

export const WEIGHTS_FORMAT = 'backprop-notebook-weights';

export interface WeightsFile {
  format: typeof WEIGHTS_FORMAT;
  version: 1;
  /** the network's name in the notebook (informational) */
  name: string;
  /** nodes per layer, L1 first */
  sizes: number[];
  /** activation of layers 2..n (informational; not checked on import) */
  activations: string[];
  /** weights[k-1][i-1][j-1] = wij[k] */
  weights: number[][][];
  /** biases[k-2][j-1] = bj[k]; null for a layer without biases */
  biases: (number[] | null)[];
}

export function weightsOf(name: string, net: Network): WeightsFile {
  const layers = net.sizes.length;
  return {
    format: WEIGHTS_FORMAT,
    version: 1,
    name,
    sizes: net.sizes.slice(),
    activations: net.spec.activations.map(activationLabel),
    weights: Array.from({ length: layers - 1 }, (_, m) => net.getWeightMatrix(m + 1)),
    biases: Array.from({ length: layers - 1 }, (_, m) =>
      net.hasBias(m + 2) ? Array.from(net.biases[m]) : null,
    ),
  };
}

/** What is wrong with `json` as weights for `net`, or undefined when it fits exactly. */
export function checkWeights(json: unknown, net: Network): string | undefined {
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    return 'not a weights file: expected a JSON object';
  const o = json as Record<string, unknown>;
  if (o.format !== WEIGHTS_FORMAT)
    return `not a weights file: "format" must be "${WEIGHTS_FORMAT}"`;
  if (o.version !== 1)
    return `unsupported weights file version ${JSON.stringify(o.version)} (this version reads 1)`;
  const sizes = o.sizes;
  if (
    !Array.isArray(sizes) ||
    sizes.length !== net.sizes.length ||
    sizes.some((n, k) => n !== net.sizes[k])
  ) {
    return (
      `the file is for a network ${Array.isArray(sizes) ? sizes.join(' -> ') : '(no sizes)'}` +
      `; the current network is ${net.sizes.join(' -> ')}`
    );
  }
  const layers = net.sizes.length;
  if (!Array.isArray(o.weights) || o.weights.length !== layers - 1)
    return `"weights" must hold ${layers - 1} matrices`;
  for (let k = 1; k < layers; k++) {
    const rows = (o.weights as unknown[])[k - 1];
    const nFrom = net.sizes[k - 1],
      nTo = net.sizes[k];
    if (!Array.isArray(rows) || rows.length !== nFrom)
      return `weights [${k}] must have ${nFrom} rows (one per node of L${k})`;
    for (let i = 1; i <= nFrom; i++) {
      const row = rows[i - 1];
      if (!Array.isArray(row) || row.length !== nTo)
        return `weights [${k}] row ${i} must have ${nTo} values (one per node of L${k + 1})`;
      const j = row.findIndex((w) => typeof w !== 'number' || !Number.isFinite(w));
      if (j >= 0) return `w(${i},${j + 1})[${k}] is not a finite number`;
    }
  }
  if (!Array.isArray(o.biases) || o.biases.length !== layers - 1)
    return `"biases" must hold ${layers - 1} entries (layers 2–${layers})`;
  for (let k = 2; k <= layers; k++) {
    const b = (o.biases as unknown[])[k - 2];
    if (!net.hasBias(k)) {
      if (b !== null && !(Array.isArray(b) && b.every((x) => x === 0)))
        return `layer L${k} has no biases (bias off), but the file gives some`;
      continue;
    }
    if (!Array.isArray(b) || b.length !== net.sizes[k - 1])
      return `biases [${k}] must have ${net.sizes[k - 1]} values`;
    const j = b.findIndex((x) => typeof x !== 'number' || !Number.isFinite(x));
    if (j >= 0) return `b${j + 1}[${k}] is not a finite number`;
  }
  return undefined;
}

/** Sets every weight and bias from a file that checkWeights accepted. */
export function applyWeights(file: WeightsFile, net: Network): void {
  file.weights.forEach((rows, m) => net.setWeightMatrix(m + 1, rows));
  file.biases.forEach((b, m) => {
    if (b && net.hasBias(m + 2)) b.forEach((x, j) => net.setBias(m + 2, j + 1, x));
  });
}
