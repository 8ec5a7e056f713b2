/**
 * Our engine as one more column of the shared yardstick (../shared/bench, see its src/adapter.ts).
 * Bundled by bench/run.sh with esbuild to .bench/adapter.js (not out/: tsc writes its own
 * adapter.js there). The timed path is the one a `train` cell runs: the Trainer, created with the
 * options the runtime derives from a parsed `train` statement (runtime/train trainOptions), one
 * `stepOn` per harness step: the same gradients, divergence checks and optimiser update as every
 * step of `run`. W4 (gradients only, no update) times FastNet.gradients, the call each step makes
 * first. Weights use the harness's row-major [n_out][n_in] layout, as Network does.
 */
import {
  createNetwork,
  FastNet,
  type Activation,
  type ActivationKind,
  type LossKind,
} from '../src/engine';
import { createTrainer, type Trainer, type TrainOptions } from '../src/engine/trainer';
import type { KernelTwin } from '../src/engine/wasm/twin';
import { parse } from '../src/language/parser';
import type { TrainStatement } from '../src/language/ast';
import { trainOptions } from '../src/runtime/train';

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

const MAX_BYTES = 1024 * 1024 * 1024;

/**
 * every batch the harness prepared (one process runs one workload): the training data of the
 * trainer
 */
const prepared: { x: HarnessBatch; y: HarnessBatch }[] = [];

const parsed = new Map<string, TrainOptions>();

/**
 * the options a `train` cell with this text gives the trainer (parsed once per text, outside the
 * timing)
 */
export function cellOptions(text: string): TrainOptions {
  let options = parsed.get(text);
  if (!options) {
    const statement = parse(text).statements[0] as TrainStatement;
    if (statement?.kind !== 'train') throw new Error(`not a train statement: ${text}`);
    options = trainOptions(statement, MAX_BYTES);
    parsed.set(text, options);
  }
  return options;
}

/** rows of all prepared batches as one data set (or the one batch given) */
function dataOf(x: Float64Array, y: Float64Array): { inputs: Float64Array; targets: Float64Array } {
  if (prepared.length === 0) return { inputs: x, targets: y };
  const join = (parts: Float64Array[]) => {
    const out = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  };
  return {
    inputs: join(prepared.map((b) => b.x.data)),
    targets: join(prepared.map((b) => b.y.data)),
  };
}

function createMLP(
  spec: HarnessSpec,
  twin?: KernelTwin,
  activations: Activation[] = spec.activations.map((kind) => ({ kind })),
) {
  // the harness's "mse" is ½Σ(y−t)² per sample, averaged over the batch: our half-squared with mean
  // reduction
  const loss: LossKind = spec.loss === 'mse' ? 'half-squared' : 'cross-entropy';
  const created = createNetwork(
    {
      sizes: spec.layers,
      activations,
      bias: spec.activations.map(() => spec.bias),
      loss,
      reduction: 'mean',
    },
    { batchSize: 64, maxBytes: MAX_BYTES },
  );
  if (!created.ok) throw new Error(created.error.message);
  const net = created.value;
  spec.init?.weights.forEach((w, m) => net.weights[m].set(w));
  if (spec.bias) spec.init?.biases?.forEach((b, m) => net.biases[m].set(b));
  const inputs = spec.layers[0];
  let trainer: Trainer | undefined;
  let fast: FastNet | undefined;
  const fastNet = (rows: number) => (fast ??= new FastNet(net, rows, twin));
  return {
    step: (x: Float64Array, y: Float64Array, lr: number) => {
      const rows = x.length / inputs;
      if (!trainer) {
        const data = dataOf(x, y);
        const full = data.inputs.length === x.length;
        const made = createTrainer(net, data, {
          ...cellOptions(`train steps 1000000000 lr ${lr} batch ${full ? 'full' : rows}`),
          twin,
        });
        if (!made.ok) throw new Error(made.error.message);
        trainer = made.value;
      }
      return trainer.stepOn(x, y, rows);
    },
    forwardBackward: (x: Float64Array, y: Float64Array) => {
      const rows = x.length / inputs;
      return fastNet(rows).gradients(x, y, rows);
    },
    gradients: (x: HarnessBatch, y: HarnessBatch) => {
      const f = fastNet(x.rows);
      const loss = f.gradients(x.data, y.data, x.rows);
      const copy = (arrays: Float64Array[], per: (m: number) => number) =>
        arrays.map((a, m) => Float64Array.from(a.subarray(0, per(m))));
      // our δ are per sample (∂E_s/∂z, as the recording passes show them); the harness wants ∂L/∂z
      // of the mean loss
      const deltas = copy(f.deltas, (m) => x.rows * spec.layers[m + 1]).map((d) =>
        d.map((v) => v / x.rows),
      );
      return {
        loss,
        deltas,
        gradW: copy(f.weightGrad, (m) => spec.layers[m] * spec.layers[m + 1]),
        gradB: spec.bias ? copy(f.biasGrad, (m) => spec.layers[m + 1]) : undefined,
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
    'Backprop Notebook engine through its train path (Trainer.stepOn with a train cell’s ' +
    'options; FastNet: blocked loops, WebAssembly SIMD (f64x2) kernels for big layers, no ' +
    'recording)',
  precision: 'f64' as const,
  prepareBatch: (x: HarnessBatch, y: HarnessBatch) => {
    prepared.push({ x, y });
    return { x: x.data, y: y.data };
  },
  createMLP,
};

/**
 * the same train path with a second thread for the kernels (src/engine/wasm/twin.ts), as a run of
 * `train` with both cores
 */
export function twoThreads(twin: KernelTwin): typeof adapter {
  return { ...adapter, name: 'bpnb-2t', createMLP: (spec: HarnessSpec) => createMLP(spec, twin) };
}

/**
 * The same train path with other activations, per layer (a user-defined one, say). Its batches are
 * only unwrapped, not kept: the trainer trains on the batch it is given, so two of these in one
 * process do not share a data set.
 */
export function withActivations(activations: Activation[]) {
  return {
    name: 'bpnb-activations',
    prepare: (b: HarnessBatch) => b.data,
    createMLP: (spec: HarnessSpec) => createMLP(spec, undefined, activations),
  };
}
