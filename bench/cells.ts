/**
 * The workloads as notebook cells, run through the runtime's Session as the CLI runs them (no
 * worker thread): what a user waits for, with the recording, the timeline snapshots and the results
 * a `train` cell produces around the training itself. Used by bench/ab.ts as a third column. The
 * network, its weights (the workload's initial parameters, by Session.importWeights) and the data
 * (a CSV file the host hands over) are set up by untimed cells; a timed unit is:
 *   W1 `train steps N lr 0.5` on `input`/`target` (bench/ab.ts: N = 100,000) W2 `train epochs 10000
 *   lr 0.5` on the XOR table (one cell per unit, the weights reset before it) W3 `train steps N lr
 *   0.01 batch 32` on the 1,024 samples (N = 320, 10 epochs) W4 `forward` + `backward` on the 64
 *   samples (the recording passes; one cell per unit)
 */
import { Session } from '../src/runtime/session';
import type { RunHost } from '../src/runtime/types';

import type { Batch, Workload } from './workloads';

function csvOf(batches: { x: Batch; y: Batch }[]): string {
  const lines: string[] = [];
  for (const { x, y } of batches)
    for (let r = 0; r < x.rows; r++)
      lines.push(
        [
          ...x.data.subarray(r * x.cols, (r + 1) * x.cols),
          ...y.data.subarray(r * y.cols, (r + 1) * y.cols),
        ].join(','),
      );
  return lines.join('\n');
}

/**
 * the harness's initial parameters as a weights file (seed orientation: weights[k-1][i-1][j-1] =
 * wij[k])
 */
function weightsFile(wl: Workload): unknown {
  const { layers, init, bias } = wl.spec;
  return {
    format: 'backprop-notebook-weights',
    version: 1,
    name: 'net',
    sizes: layers,
    activations: [],
    weights: init!.weights.map((w, m) =>
      Array.from({ length: layers[m] }, (_, i) =>
        Array.from({ length: layers[m + 1] }, (_, j) => w[j * layers[m] + i]),
      ),
    ),
    biases: init!.weights.map((_, m) => (bias ? Array.from(init!.biases![m]) : null)),
  };
}

/**
 * a runner of `units` timed units of the workload as cells; resolves to the CPU milliseconds they
 * took
 */
export async function cellsRunner(
  wl: Workload,
  cpuMs: () => number,
): Promise<(units: number) => Promise<number>> {
  const batches = wl.makeData().batches;
  const host: RunHost = {
    isCancelled: () => false,
    yieldNow: () => new Promise<void>((resolve) => setImmediate(resolve)),
    now: () => performance.now(),
    readTextFile: async () => csvOf(batches),
  };
  const session = new Session({ maxBytes: 1024 * 1024 * 1024 });
  const run = async (text: string) => {
    const result = await session.runCell(text, host);
    if (!result.ok)
      throw new Error(`cell failed: ${text}\n${result.problems.map((p) => p.message).join('\n')}`);
  };
  const { layers, activations, loss, bias } = wl.spec;
  const [nIn, nOut] = [layers[0], layers[layers.length - 1]];
  await run(
    [
      `network ${layers[0]} ${activations.map((a, m) => `-> ${layers[m + 1]} ${a}`).join(' ')}`,
      `bias ${bias ? 'on' : 'off'}`,
      `loss ${loss === 'mse' ? 'half-squared' : 'cross-entropy'} mean`,
    ].join('\n'),
  );
  const reset = () => {
    const done = session.importWeights(weightsFile(wl));
    if (!done.ok) throw new Error(done.error);
  };
  reset();
  const x = batches[0].x.data,
    y = batches[0].y.data;
  if (wl.id === 'W1')
    await run(`input x = [${Array.from(x).join(', ')}]\ntarget t = [${Array.from(y).join(', ')}]`);
  else await run(`dataset csv "data.csv" inputs ${nIn} targets ${nOut} header off`);
  const timed = async (text: string) => {
    const t0 = cpuMs();
    await run(text);
    return cpuMs() - t0;
  };
  switch (wl.id) {
    case 'W2':
      return async (units) => {
        let ms = 0;
        for (let u = 0; u < units; u++) {
          reset(); // a fresh model per unit, untimed
          ms += await timed(`train epochs ${wl.epochs} lr ${wl.lr}`);
        }
        return ms;
      };
    case 'W4':
      return async (units) => {
        let ms = 0;
        for (let u = 0; u < units; u++) ms += await timed('forward\nbackward');
        return ms;
      };
    default: {
      const batch = wl.batchSize === 1 ? '' : ` batch ${wl.batchSize}`;
      return (units) => timed(`train steps ${units} lr ${wl.lr}${batch}`);
    }
  }
}
