/**
 * Our engine as one more column of the shared yardstick (../shared/bench, see its src/adapter.ts).
 * Bundled by bench/run.sh with esbuild to .bench/adapter.js (not out/: tsc writes its own adapter.js there). The timed path is FastNet
 * (no per-node recording); weights use the same row-major [n_out][n_in] layout as the harness.
 */
import { createNetwork, FastNet, type ActivationKind, type LossKind } from '../src/engine';

interface HarnessSpec {
  layers: number[];
  activations: ActivationKind[];
  loss: 'mse' | 'cross-entropy';
  bias: boolean;
  seed: number;
  init?: { weights: Float64Array[]; biases?: Float64Array[] };
}

interface HarnessBatch {
  data: Float64Array;
  rows: number;
  cols: number;
}

function createMLP(spec: HarnessSpec) {
  // the harness's "mse" is ½Σ(y−t)² per sample, averaged over the batch: our half-squared with mean reduction
  const loss: LossKind = spec.loss === 'mse' ? 'half-squared' : 'cross-entropy';
  const created = createNetwork(
    {
      sizes: spec.layers,
      activations: spec.activations.map((kind) => ({ kind })),
      bias: spec.activations.map(() => spec.bias),
      loss,
      reduction: 'mean',
    },
    { batchSize: 64, maxBytes: 1024 * 1024 * 1024 },
  );
  if (!created.ok) throw new Error(created.error.message);
  const net = created.value;
  spec.init?.weights.forEach((w, m) => net.weights[m].set(w));
  if (spec.bias) spec.init?.biases?.forEach((b, m) => net.biases[m].set(b));
  const fast = new FastNet(net, 1);
  const inputs = spec.layers[0];
  return {
    step: (x: Float64Array, y: Float64Array, lr: number) =>
      fast.sgdStep(x, y, x.length / inputs, lr),
    forwardBackward: (x: Float64Array, y: Float64Array) => fast.gradients(x, y, x.length / inputs),
    gradients: (x: HarnessBatch, y: HarnessBatch) => {
      const loss = fast.gradients(x.data, y.data, x.rows);
      const copy = (arrays: Float64Array[], per: (m: number) => number) =>
        arrays.map((a, m) => Float64Array.from(a.subarray(0, per(m))));
      // our δ are per sample (∂E_s/∂z, as the recording passes show them); the harness wants ∂L/∂z of the mean loss
      const deltas = copy(fast.deltas, (m) => x.rows * spec.layers[m + 1]).map((d) =>
        d.map((v) => v / x.rows),
      );
      return {
        loss,
        deltas,
        gradW: copy(fast.weightGrad, (m) => spec.layers[m] * spec.layers[m + 1]),
        gradB: spec.bias ? copy(fast.biasGrad, (m) => spec.layers[m + 1]) : undefined,
      };
    },
    getParams: () => ({
      weights: net.weights.map((w) => Float64Array.from(w)),
      biases: net.biases.map((b) => Float64Array.from(b)),
    }),
  };
}

export const adapter = {
  name: 'bpnb',
  description:
    'Backprop Notebook engine (src/engine FastNet): Float64Array, blocked loops, WebAssembly SIMD (f64x2) kernels for big layers, dead-unit skipping, no recording',
  precision: 'f64' as const,
  prepare: (b: HarnessBatch) => b.data,
  createMLP,
};
