import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  backward,
  createNetwork,
  FastNet,
  forward,
  initialise,
  update,
  type Network,
} from '../../../src/engine';
import { createTrainer } from '../../../src/engine/trainer';
import { setWasmMode, wasmAvailable, WASM_MIN_WEIGHTS } from '../../../src/engine/wasm/simd';
import { KERNELS_SHARED_WASM, KERNELS_WASM } from '../../../src/engine/wasm/kernels.wasm';
import { buildSource, GENERATED_PATH, render, repoRoot } from '../../../scripts/wasm/build';

describe('engine: WebAssembly SIMD kernels', () => {
  it('the committed kernels.wasm.ts is a fresh build of kernels.wat', async () => {
    const committed = fs.readFileSync(path.join(repoRoot(), GENERATED_PATH), 'utf8');
    assert.equal(
      committed,
      await buildSource(),
      'run: npx tsc -p . && node out/scripts/wasm/build.js',
    );
    assert.equal(render(KERNELS_WASM, KERNELS_SHARED_WASM), committed);
  });

  // a net big enough for 'auto' to use the kernels on its first two matrices (70·64, 64·66 ≥ 4096),
  // not the last
  function net(): Network {
    const made = createNetwork({
      sizes: [70, 64, 66, 3],
      activations: [{ kind: 'relu' }, { kind: 'tanh' }, { kind: 'softmax' }],
      bias: [true, false, true],
      loss: 'cross-entropy',
      reduction: 'mean',
    });
    assert.ok(made.ok);
    initialise(made.value, { method: 'uniform', seed: 7, range: 0.3 });
    return made.value;
  }

  it(
    "'auto' uses them on big layers with the recording passes' bits, and net.weights hold " +
      'every update',
    () => {
      assert.ok(70 * 64 >= WASM_MIN_WEIGHTS && 66 * 3 < WASM_MIN_WEIGHTS);
      assert.equal(wasmAvailable(), true);
      setWasmMode('auto');
      const rows = 7,
        recorded = net(),
        quick = net();
      const xs: number[][] = [],
        ts: number[][] = [];
      for (let s = 0; s < rows; s++) {
        xs.push(Array.from({ length: 70 }, (_, i) => Math.sin(s * 70 + i)));
        ts.push([0, 1, 2].map((k) => (k === s % 3 ? 1 : 0)));
      }
      const x = Float64Array.from(xs.flat()),
        t = Float64Array.from(ts.flat());
      const fast = new FastNet(quick, rows);
      assert.deepEqual(
        [0, 1, 2].map((m) => fast.usesWasm(m)),
        [true, true, false],
      );
      const made = createTrainer(quick, { inputs: xs, targets: ts }, { lr: 0.1 });
      assert.ok(made.ok);
      const trainer = made.value;
      for (let step = 0; step < 3; step++) {
        update(recorded, backward(recorded, forward(recorded, xs), ts), { lr: 0.1 });
        assert.ok(Number.isFinite(trainer.stepOn(x, t, rows)));
        for (let m = 0; m < 3; m++) {
          for (let p = 0; p < recorded.weights[m].length; p++)
            assert.ok(
              Object.is(quick.weights[m][p], recorded.weights[m][p]),
              `step ${step} w m=${m} p=${p}`,
            );
          for (let p = 0; p < recorded.biases[m].length; p++)
            assert.ok(
              Object.is(quick.biases[m][p], recorded.biases[m][p]),
              `step ${step} b m=${m} p=${p}`,
            );
        }
      }
      // weights changed from outside between steps are picked up (the kernels' copy is refreshed by
      // forward)
      recorded.weights[0][5] = quick.weights[0][5] = 0.25;
      const back = backward(recorded, forward(recorded, xs), ts);
      fast.gradients(x, t, rows);
      for (let m = 0; m < 3; m++) {
        for (let p = 0; p < back.weightGrad[m].length; p++)
          assert.ok(Object.is(fast.weightGrad[m][p], back.weightGrad[m][p]), `∂E/∂w m=${m} p=${p}`);
      }
    },
  );

  it(
    'wide layers of odd widths (64–200 inputs, several lane and block tails): the ' + 'same bits',
    () => {
      setWasmMode('on');
      try {
        for (const sizes of [
          [3, 131, 129, 2],
          [4, 64, 65, 3],
          [2, 200, 128, 1],
        ]) {
          const made = createNetwork({
            sizes,
            activations: [{ kind: 'tanh' }, { kind: 'sigmoid' }, { kind: 'identity' }],
            bias: [true, true, true],
            loss: 'mse',
            reduction: 'mean',
          });
          assert.ok(made.ok);
          const n = made.value;
          initialise(n, { method: 'uniform', seed: 3, range: 0.4 });
          const rows = 5,
            xs = Array.from({ length: rows }, (_, s) =>
              Array.from({ length: sizes[0] }, (_, i) => Math.cos(s * 7 + i)),
            ),
            ts = xs.map((_, s) => Array.from({ length: sizes[3] }, (_, j) => Math.sin(s + j)));
          const back = backward(n, forward(n, xs), ts);
          const fast = new FastNet(n, rows);
          fast.gradients(Float64Array.from(xs.flat()), Float64Array.from(ts.flat()), rows);
          for (let m = 0; m < 3; m++) {
            for (let p = 0; p < rows * sizes[m + 1]; p++)
              assert.ok(
                Object.is(fast.deltas[m][p], back.delta[m + 2][p]),
                `${sizes} δ m=${m} p=${p}`,
              );
            for (let p = 0; p < back.weightGrad[m].length; p++)
              assert.ok(
                Object.is(fast.weightGrad[m][p], back.weightGrad[m][p]),
                `${sizes} ∂E/∂w m=${m} p=${p}`,
              );
          }
        }
      } finally {
        setWasmMode('auto');
      }
    },
  );
});
