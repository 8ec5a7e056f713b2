import type { Network } from './network';
import type { BackwardRecord, ForwardRecord, UpdateRecord } from './passes';

export interface Recorded {
  net: Network;
  fwd?: ForwardRecord;
  back?: BackwardRecord;
  upd?: UpdateRecord;
}

const NAME = /^(∂E\/∂|dE\/d)?(w|b|z|a|δ|delta|x|t)(\d+|\(\d+,\d+\))(?:\[(\d+)\])?$/;

/**
 * A recorded number by its seed name: z1[2], a1[2], x1, t1, δ1[3] (or delta1[3]), w21[2],
 * w(12,3)[2], b1[2], ∂E/∂w11[1] (or dE/dw11[1]), ∂E/∂b1[2]. Per-node values are of sample `sample`
 * (1-based). Weights and biases are the network's current values. Returns undefined when not
 * available.
 */
export function lookup(name: string, rec: Recorded, sample = 1): number | undefined {
  const match = NAME.exec(name.replace(/\s+/g, ''));
  if (!match) return undefined;
  const [, grad, symbol, index, layerText] = match;
  const { net, fwd, back } = rec;
  const s = sample - 1;
  let i = 0,
    j: number;
  if (index.startsWith('(')) [i, j] = index.slice(1, -1).split(',').map(Number);
  else if (symbol === 'w') {
    if (index.length !== 2) return undefined;
    i = Number(index[0]);
    j = Number(index[1]);
  } else j = Number(index);
  const k = layerText === undefined ? (symbol === 't' ? net.layerCount : 1) : Number(layerText);
  const inRange = (layer: number, node: number) =>
    layer >= 1 && layer <= net.layerCount && node >= 1 && node <= net.sizes[layer - 1];
  if (symbol === 'w') {
    if (!inRange(k, i) || k >= net.layerCount || !inRange(k + 1, j)) return undefined;
    const p = (j - 1) * net.sizes[k - 1] + (i - 1);
    return grad ? back?.weightGrad[k - 1][p] : net.weights[k - 1][p];
  }
  if (!inRange(k, j)) return undefined;
  const node = (values: Float64Array | undefined, width: number) =>
    values && s >= 0 && s * width + j - 1 < values.length ? values[s * width + j - 1] : undefined;
  const width = net.sizes[k - 1];
  if (symbol === 'b') {
    if (k < 2) return undefined;
    return grad ? back?.biasGrad[k - 2][j - 1] : net.biases[k - 2][j - 1];
  }
  if (grad) return undefined;
  switch (symbol) {
    case 'z':
      return k >= 2 ? node(fwd?.z[k], width) : undefined;
    case 'a':
    case 'x':
      return node(fwd?.a[k], width);
    case 't':
      return k === net.layerCount ? node(back?.targets, width) : undefined;
    default:
      return k >= 2 ? node(back?.delta[k], width) : undefined;
  }
}
