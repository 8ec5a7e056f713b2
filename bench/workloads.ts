/**
 * The four workloads the bench times, defined here so that `npm run bench` runs on a fresh clone
 * without the optional yardstick (../shared/bench). They follow the yardstick's published
 * conventions (its README: networks, seeds, mulberry32, Glorot-uniform weights, biases U(−0.1,
 * 0.1), the synthetic data, nominal FLOPs), so the same seeds give the same parameters and data;
 * when the yardstick is present, bench/ab.ts checks that to the bit before it uses this file's
 * workloads against the yardstick's `opt-f64`.
 */

export interface Batch {
  data: Float64Array;
  rows: number;
  cols: number;
}

export interface Spec {
  layers: number[];
  activations: ('sigmoid' | 'relu' | 'softmax')[];
  loss: 'mse' | 'cross-entropy';
  bias: boolean;
  seed: number;
  init: { weights: Float64Array[]; biases?: Float64Array[] };
}

export interface Workload {
  id: 'W1' | 'W2' | 'W3' | 'W4';
  spec: Spec;
  batchSize: number;
  lr: number;
  /** one timed unit: a training step, a run of `epochs` full-batch epochs, or forward + backward */
  mode: 'step' | 'epochs' | 'fwdbwd';
  epochs?: number;
  /** nominal FLOPs of one unit: 2 per multiply-add of the dense layers (the yardstick's count) */
  flopsPerUnit: number;
  makeData(): { batches: { x: Batch; y: Batch }[] };
}

export const WORKLOAD_IDS = ['W1', 'W2', 'W3', 'W4'] as const;

/** mulberry32, the seeded generator the yardstick's conventions name */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Glorot-uniform weights [n_out][n_in] layer by layer, each followed by its biases U(−0.1, 0.1) */
function init(layers: number[], bias: boolean, seed: number): Spec['init'] {
  const rnd = mulberry32(seed);
  const weights: Float64Array[] = [],
    biases: Float64Array[] = [];
  for (let l = 0; l + 1 < layers.length; l++) {
    const a = Math.sqrt(6 / (layers[l] + layers[l + 1]));
    const w = new Float64Array(layers[l] * layers[l + 1]);
    for (let k = 0; k < w.length; k++) w[k] = (2 * rnd() - 1) * a;
    weights.push(w);
    const b = new Float64Array(layers[l + 1]);
    if (bias) for (let k = 0; k < b.length; k++) b[k] = (2 * rnd() - 1) * 0.1;
    biases.push(b);
  }
  return bias ? { weights, biases } : { weights };
}

function batchOf(rows: number, cols: number, f: (r: number, c: number) => number): Batch {
  const data = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) data[r * cols + c] = f(r, c);
  return { data, rows, cols };
}

/**
 * forward + weight gradient per layer, δ through the weights but into the input, bias terms, update
 */
function flops(layers: number[], B: number, bias: boolean, update: boolean): number {
  let f = 0;
  for (let l = 0; l + 1 < layers.length; l++) {
    const p = layers[l] * layers[l + 1];
    f += 4 * B * p + (l > 0 ? 2 * B * p : 0) + (bias ? 2 * B * layers[l + 1] : 0);
    if (update) f += 2 * p + (bias ? 2 * layers[l + 1] : 0);
  }
  return f;
}

function spec(
  layers: number[],
  activations: Spec['activations'],
  loss: Spec['loss'],
  bias: boolean,
  seed: number,
): Spec {
  return { layers, activations, loss, bias, seed, init: init(layers, bias, seed) };
}

export function getWorkload(id: string): Workload {
  switch (id) {
    case 'W1':
      return {
        id,
        spec: spec([2, 3, 1], ['sigmoid', 'sigmoid'], 'mse', false, 1),
        batchSize: 1,
        lr: 0.5,
        mode: 'step',
        flopsPerUnit: flops([2, 3, 1], 1, false, true),
        makeData: () => ({
          batches: [{ x: batchOf(1, 2, (_r, c) => [0.3, 1.0][c]), y: batchOf(1, 1, () => 0.75) }],
        }),
      };
    case 'W2': {
      const X = [
        [0, 0],
        [0, 1],
        [1, 0],
        [1, 1],
      ];
      return {
        id,
        spec: spec([2, 4, 1], ['sigmoid', 'sigmoid'], 'mse', true, 2),
        batchSize: 4,
        lr: 0.5,
        mode: 'epochs',
        epochs: 10000,
        flopsPerUnit: 10000 * flops([2, 4, 1], 4, true, true),
        makeData: () => ({
          batches: [
            { x: batchOf(4, 2, (r, c) => X[r][c]), y: batchOf(4, 1, (r) => [0, 1, 1, 0][r]) },
          ],
        }),
      };
    }
    case 'W3': {
      const layers = [784, 128, 64, 10];
      return {
        id,
        spec: spec(layers, ['relu', 'relu', 'softmax'], 'cross-entropy', true, 3),
        batchSize: 32,
        lr: 0.01,
        mode: 'step',
        flopsPerUnit: flops(layers, 32, true, true),
        makeData: () => {
          // 1,024 samples in 32 batches of 32: inputs U(0, 1), one-hot labels
          const rnd = mulberry32(33);
          const batches = [];
          for (let k = 0; k < 32; k++) {
            const x = batchOf(32, 784, () => rnd());
            const labels = Array.from({ length: 32 }, () => Math.floor(rnd() * 10));
            batches.push({ x, y: batchOf(32, 10, (r, c) => (labels[r] === c ? 1 : 0)) });
          }
          return { batches };
        },
      };
    }
    case 'W4': {
      const layers = [1024, 1024, 1024];
      return {
        id,
        spec: spec(layers, ['relu', 'sigmoid'], 'mse', true, 4),
        batchSize: 64,
        lr: 0,
        mode: 'fwdbwd',
        flopsPerUnit: flops(layers, 64, true, false),
        makeData: () => {
          const rnd = mulberry32(44);
          const x = batchOf(64, 1024, () => 2 * rnd() - 1);
          return { batches: [{ x, y: batchOf(64, 1024, () => rnd()) }] };
        },
      };
    }
    default:
      throw new Error(`unknown workload ${id}`);
  }
}
