import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import fc from 'fast-check';
import { createNetwork, FastNet, initialise, type Network } from '../../../src/engine';
import { createTrainer } from '../../../src/engine/trainer';
import { setWasmMode } from '../../../src/engine/wasm/simd';
import type { KernelTwin } from '../../../src/engine/wasm/twin';
import { nodeKernelTwin } from '../../../src/worker/kernelThread';

// Two threads must give the one-thread bits: the twin takes output rows (forward), input rows (δ
// through the weights), weight rows (∂E/∂w) and halves of the update, never samples. Random nets
// with the WebAssembly kernels forced on for every layer; a real second thread (worker_threads).

const SCRIPT = path.join(__dirname, '../../../src/worker/trainWorker.js');
const KINDS = ['relu', 'tanh', 'sigmoid', 'leaky-relu'] as const;

interface Case {
  sizes: number[];
  acts: number[];
  bias: boolean[];
  seed: number;
  batch: number;
  lr: number;
}

const caseArb: fc.Arbitrary<Case> = fc.record({
  sizes: fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 2, maxLength: 4 }),
  acts: fc.array(fc.integer({ min: 0, max: KINDS.length - 1 }), { minLength: 3, maxLength: 3 }),
  bias: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
  seed: fc.integer({ min: 0, max: 1 << 30 }),
  batch: fc.integer({ min: 1, max: 13 }),
  lr: fc.constantFrom(0.5, 0.1),
});

function build(c: Case): Network {
  const M = c.sizes.length - 1;
  const made = createNetwork({
    sizes: c.sizes,
    activations: [
      ...c.acts.slice(0, M - 1).map((k) => ({ kind: KINDS[k] })),
      { kind: 'sigmoid' as const },
    ],
    bias: c.bias.slice(0, M),
    loss: 'half-squared',
    reduction: 'mean',
  });
  assert.ok(made.ok);
  initialise(made.value, { method: 'uniform', seed: c.seed, range: 0.5 });
  return made.value;
}

function data(c: Case): { x: Float64Array; t: Float64Array } {
  const nIn = c.sizes[0],
    nOut = c.sizes[c.sizes.length - 1];
  return {
    x: Float64Array.from({ length: c.batch * nIn }, (_, p) => Math.sin(c.seed + 7 * p)),
    t: Float64Array.from({ length: c.batch * nOut }, (_, p) => (Math.cos(c.seed + p) + 1) / 2),
  };
}

function sameBits(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  assert.equal(a.length, b.length, what);
  for (let p = 0; p < a.length; p++)
    assert.ok(Object.is(a[p], b[p]), `${what}[${p}]: two threads ${a[p]}, one ${b[p]}`);
}

describe('engine: two threads give the one-thread bits (KernelTwin)', function () {
  this.timeout(120_000);
  let twin: KernelTwin;
  before(() => {
    setWasmMode('on');
    const made = nodeKernelTwin(SCRIPT);
    assert.ok(made, 'a worker thread starts');
    twin = made;
  });
  after(() => {
    setWasmMode('auto');
    twin.dispose();
  });

  it('the twin takes part (its FastNet shares its memory)', () => {
    const c: Case = {
      sizes: [9, 8, 3],
      acts: [0, 0, 0],
      bias: [true, true, true],
      seed: 1,
      batch: 5,
      lr: 0.1,
    };
    const fast = new FastNet(build(c), c.batch, twin);
    assert.ok(fast.usesTwin(), 'shared memory bound to the second thread');
  });

  it('loss, δ, ∂E/∂w, ∂E/∂b and three trainer steps', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const { x, t } = data(c);
        const one = build(c),
          two = build(c);
        const a = new FastNet(one, c.batch),
          b = new FastNet(two, c.batch, twin);
        assert.ok(b.usesTwin());
        assert.ok(Object.is(b.gradients(x, t, c.batch), a.gradients(x, t, c.batch)), 'loss');
        for (let m = 0; m < one.weights.length; m++) {
          sameBits(
            b.deltas[m].subarray(0, c.batch * c.sizes[m + 1]),
            a.deltas[m].subarray(0, c.batch * c.sizes[m + 1]),
            `δ m=${m}`,
          );
          sameBits(b.weightGrad[m], a.weightGrad[m], `∂E/∂w m=${m}`);
          sameBits(b.biasGrad[m], a.biasGrad[m], `∂E/∂b m=${m}`);
        }
        const trainers = [one, two].map((net, k) => {
          const made = createTrainer(
            net,
            { inputs: x, targets: t },
            { lr: c.lr, ...(k ? { twin } : {}) },
          );
          assert.ok(made.ok);
          return made.value;
        });
        for (let step = 0; step < 3; step++) {
          const [la, lb] = trainers.map((tr) => tr.stepOn(x, t, c.batch));
          assert.ok(Object.is(lb, la), `step ${step} loss`);
        }
        for (let m = 0; m < one.weights.length; m++) {
          sameBits(two.weights[m], one.weights[m], `weights[${m}]`);
          sameBits(two.biases[m], one.biases[m], `biases[${m}]`);
        }
      }),
      { numRuns: 150, seed: 20261203 },
    );
  });
});
