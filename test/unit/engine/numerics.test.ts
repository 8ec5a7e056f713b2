import * as assert from 'node:assert/strict';
import {
  backward,
  createNetwork,
  createTrainer,
  diagnostics,
  estimateBytes,
  forward,
  initialise,
  update,
  validateSpec,
  type LossKind,
  type Network,
  type NetworkSpec,
} from '../../../src/engine';
import { setWasmMode } from '../../../src/engine/wasm/simd';

function net(spec: NetworkSpec): Network {
  const made = createNetwork(spec);
  assert.ok(made.ok, made.ok ? '' : made.error.message);
  return made.value;
}

const XOR = {
  inputs: [
    [0, 0],
    [0, 1],
    [1, 0],
    [1, 1],
  ],
  targets: [[0], [1], [1], [0]],
};

describe('engine: numerics, limits and training', () => {
  for (const [output, loss] of [
    ['softmax', 'cross-entropy'],
    ['sigmoid', 'binary-cross-entropy'],
    ['sigmoid', 'half-squared'],
    ['softmax', 'mse'],
  ] as const) {
    it(`logits of ±1000 give a finite loss and gradients (${output} + ${loss})`, () => {
      const n = net({
        sizes: [1, 2],
        activations: [{ kind: output }],
        bias: [false],
        loss: loss as LossKind,
      });
      n.setWeightMatrix(1, [[1000, -1000]]);
      const back = backward(n, forward(n, [1]), [0, 1]);
      assert.ok(Number.isFinite(back.loss) && back.loss > 0, `loss ${back.loss}`);
      for (const g of back.weightGrad[0]) assert.ok(Number.isFinite(g));
      if (loss === 'cross-entropy' || loss === 'binary-cross-entropy')
        assert.ok(back.loss >= 1999 && back.loss <= 2001); // ≈ 2000 (or 1000 + 1000)
    });
  }

  it('validateSpec lists problems instead of throwing', () => {
    const problems = validateSpec({
      sizes: [2, 0, 1],
      activations: [{ kind: 'softmax' }, { kind: 'relu' }],
      bias: [true],
      loss: 'cross-entropy',
    });
    assert.ok(problems.some((p) => p.includes('L2 size')));
    assert.ok(problems.some((p) => p.includes('softmax is allowed only on the output')));
    assert.ok(problems.some((p) => p.includes('bias must have one entry')));
    assert.ok(problems.some((p) => p.includes('cross-entropy needs a softmax')));
    assert.deepEqual(
      validateSpec({
        sizes: [2, 3, 1],
        activations: [{ kind: 'relu' }, { kind: 'sigmoid' }],
        bias: [true, true],
        loss: 'binary-cross-entropy',
      }),
      [],
    );
  });

  it('a huge network is refused before allocation, naming bytes needed and the limit', () => {
    const spec: NetworkSpec = {
      sizes: [100000, 100000, 10],
      activations: [{ kind: 'relu' }, { kind: 'identity' }],
      bias: [true, true],
      loss: 'mse',
    };
    const made = createNetwork(spec, { maxBytes: 64 * 1024 * 1024 });
    assert.equal(made.ok, false);
    if (made.ok) return;
    assert.equal(made.error.code, 'too-large');
    assert.equal(made.error.limit, 64 * 1024 * 1024);
    assert.equal(made.error.bytesNeeded, estimateBytes(spec));
    // 10^10 weights: allocating them would have crashed the test
    assert.ok(made.error.bytesNeeded! > 80e9);
    assert.match(made.error.message, /needs .* MB .*limit 64\.0 MB/);
  });

  it(
    "the trainer's memory estimate counts the WebAssembly kernels' copies of a " + 'large batch',
    () => {
      const spec: NetworkSpec = {
        sizes: [784, 128, 64, 10],
        activations: [{ kind: 'relu' }, { kind: 'relu' }, { kind: 'softmax' }],
        bias: [true, true, true],
        loss: 'cross-entropy',
      };
      const data = { inputs: new Float64Array(100 * 784), targets: new Float64Array(100 * 10) };
      const needed = (mode: 'auto' | 'off') => {
        setWasmMode(mode);
        try {
          const made = createTrainer(net(spec), data, { lr: 0.1, batchSize: 30, maxBytes: 1 });
          assert.equal(made.ok, false);
          return made.ok ? 0 : made.error.bytesNeeded!;
        } finally {
          setWasmMode('auto');
        }
      };
      // by hand: batch 30 → 32 rows; the inputs and the widest layer input (784) in panels; the
      // first two matrices' weights and biases (784·128 + 128, 128·64 + 64 ≥ 4096 weights; 64·10 is
      // too small)
      const copies = 8 * (32 * 784 + 32 * 784 + 784 * 128 + 128 + 128 * 64 + 64);
      assert.equal(needed('auto') - needed('off'), copies);
    },
  );

  it('online, mini-batch and full-batch training learn XOR; stop at a target loss', () => {
    for (const [batchSize, optimiser] of [
      ['full', 'momentum'],
      [1, 'sgd'],
      [2, 'adam'],
    ] as const) {
      const n = net({
        sizes: [2, 4, 1],
        activations: [{ kind: 'tanh' }, { kind: 'sigmoid' }],
        bias: [true, true],
        loss: 'half-squared',
      });
      initialise(n, { method: 'uniform', seed: 5, range: 1 });
      const made = createTrainer(n, XOR, {
        epochs: 20000,
        batchSize,
        optimiser,
        lr: optimiser === 'adam' ? 0.05 : 0.5,
        stopAtLoss: 0.005,
        shuffleSeed: 3,
      });
      assert.ok(made.ok);
      const status = made.value.run(1e7);
      assert.equal(
        status.reason,
        'target-loss',
        `${batchSize}/${optimiser}: ${status.reason} at loss ${status.epochLoss}`,
      );
      assert.ok(status.epochLoss <= 0.005);
      assert.equal(status.lossKind, 'half-squared');
      const out = forward(n, XOR.inputs).a[3];
      assert.deepEqual(
        Array.from(out, (v) => Math.round(v)),
        [0, 1, 1, 0],
      );
    }
  });

  it(
    'divergence stops at the step where it appears, names it, and keeps the last ' +
      'finite weights',
    () => {
      const n = net({
        sizes: [1, 1],
        activations: [{ kind: 'identity' }],
        bias: [false],
        loss: 'half-squared',
      });
      n.setWeight(1, 1, 1, 1);
      const made = createTrainer(
        n,
        { inputs: [[100]], targets: [[0]] },
        { epochs: 1000, lr: 1e150 },
      );
      assert.ok(made.ok);
      const status = made.value.run(1000);
      assert.equal(status.reason, 'diverged');
      assert.ok(status.diverged);
      assert.ok(status.diverged.step >= 2, `step ${status.diverged.step}`);
      assert.equal(status.step, status.diverged.step - 1);
      assert.equal(status.diverged.layer, 2);
      assert.match(status.diverged.message, /epoch \d+, step \d+/);
      assert.ok(Number.isFinite(n.getWeight(1, 1, 1)));
      assert.notEqual(n.getWeight(1, 1, 1), 1); // the finite updates before it were kept
    },
  );

  for (const mode of ['off', 'on'] as const)
    it(
      `an update that would overflow in a later matrix leaves every parameter as it was, to the ` +
        `bit (WebAssembly kernels ${mode})`,
      () => {
        setWasmMode(mode);
        try {
          // one step: the first matrix's new values are finite (and are written first), the
          // second's weight is not
          const n = net({
            sizes: [1, 1, 1],
            activations: [{ kind: 'identity' }, { kind: 'identity' }],
            bias: [true, true],
            loss: 'half-squared',
          });
          n.setWeight(1, 1, 1, 1);
          n.setBias(2, 1, 100);
          n.setWeight(2, 1, 1, 0.001);
          const before = [...n.weights, ...n.biases].map((a) => Float64Array.from(a));
          const made = createTrainer(
            n,
            { inputs: [[1]], targets: [[0]] },
            { epochs: 1, lr: 1e308 },
          );
          assert.ok(made.ok);
          const status = made.value.run(1);
          assert.equal(status.reason, 'diverged');
          assert.equal(status.diverged?.quantity, 'update');
          assert.equal(status.diverged?.layer, 3);
          assert.equal(status.step, 0);
          [...n.weights, ...n.biases].forEach((a, k) =>
            a.forEach((v, p) => assert.ok(Object.is(v, before[k][p]), `array ${k}[${p}]: ${v}`)),
          );
        } finally {
          setWasmMode('auto');
        }
      },
    );

  it('training runs in slices and a cancellation stops it promptly', () => {
    const n = net({
      sizes: [2, 8, 1],
      activations: [{ kind: 'relu' }, { kind: 'sigmoid' }],
      bias: [true, true],
      loss: 'binary-cross-entropy',
    });
    initialise(n, { method: 'he', seed: 1 });
    let polls = 0;
    const made = createTrainer(n, XOR, {
      epochs: 1e9,
      batchSize: 1,
      lr: 0.1,
      isCancelled: () => ++polls > 3,
    });
    assert.ok(made.ok);
    const first = made.value.run(10);
    assert.equal(first.step, 10);
    assert.equal(first.done, false);
    const second = made.value.run(1e9);
    assert.equal(second.cancelled, true);
    assert.equal(second.reason, 'cancelled');
    assert.ok(second.step < 10 + 1e6, `stopped after ${second.step} steps`);
    const again = made.value.run(100);
    assert.equal(again.step, second.step); // nothing runs after a cancel
  });

  /** a 2-3-1 sigmoid net without biases, uniform seed 9 */
  function xor231() {
    const n = net({
      sizes: [2, 3, 1],
      activations: [{ kind: 'sigmoid' }, { kind: 'sigmoid' }],
      bias: [false, false],
      loss: 'half-squared',
    });
    initialise(n, { method: 'uniform', seed: 9 });
    return n;
  }

  it('a status handed out never changes: later epochs and the thinning copy first', () => {
    const n = xor231();
    // XOR has 4 rows and the batch is full: one step is one epoch
    const made = createTrainer(n, XOR, { epochs: 40, lr: 0.5, maxHistory: 8, logEvery: 3 });
    assert.ok(made.ok);
    const early = made.value.run(7);
    const seen = {
      history: early.history.map((h) => h.epoch),
      logged: early.logged?.map((h) => h.epoch),
    };
    assert.deepEqual(seen, { history: [0, 1, 2, 3, 4, 5, 6, 7], logged: [0, 3, 6] });
    const late = made.value.run(100);
    // 9 points are thinned to every 2nd epoch, later ones to every 4th …
    assert.ok(late.history.length <= 9 && late.history.at(-1)?.epoch === 40);
    assert.deepEqual(
      late.logged?.slice(0, 3).map((h) => h.epoch),
      [0, 3, 6],
    );
    assert.deepEqual(
      { history: early.history.map((h) => h.epoch), logged: early.logged?.map((h) => h.epoch) },
      seen,
    );
  });

  it('trainer.cancel() between slices, steps budget, and bounded history', () => {
    const n = xor231();
    const made = createTrainer(n, XOR, { steps: 5000, lr: 0.5, maxHistory: 100 });
    assert.ok(made.ok);
    const status = made.value.run(1e9);
    assert.equal(status.reason, 'steps');
    assert.equal(status.step, 5000);
    assert.ok(
      status.history.length <= 100 && status.history.length >= 50,
      `history ${status.history.length}`,
    );
    const cancelled = createTrainer(n, XOR, { epochs: 1e9, lr: 0.5 });
    assert.ok(cancelled.ok);
    cancelled.value.run(3);
    cancelled.value.cancel();
    assert.equal(cancelled.value.run(100).step, 3);
  });

  it('refuses bad data with the row and column', () => {
    const n = net({
      sizes: [2, 1],
      activations: [{ kind: 'sigmoid' }],
      bias: [true],
      loss: 'half-squared',
    });
    const made = createTrainer(
      n,
      {
        inputs: [
          [0, 1],
          [NaN, 1],
        ],
        targets: [[0], [1]],
      },
      { lr: 0.1 },
    );
    assert.equal(made.ok, false);
    if (!made.ok) assert.match(made.error.message, /row 2 column 1/);
  });

  it('diagnostics: gradient norms, update ratios, dead relu and saturated sigmoid units', () => {
    const n = net({
      sizes: [1, 2, 1],
      activations: [{ kind: 'relu' }, { kind: 'sigmoid' }],
      bias: [false, true],
      loss: 'half-squared',
    });
    n.setWeightMatrix(1, [[1, -1]]); // node 2[2] is dead for positive inputs
    n.setWeightMatrix(2, [[20], [0]]);
    const fwd = forward(n, [[1], [2]]);
    const back = backward(n, fwd, [[0], [0]]);
    const upd = update(n, back, { lr: 0.1 });
    const [hidden, output] = diagnostics(n, fwd, back, upd);
    assert.deepEqual(hidden.dead, [2]);
    assert.deepEqual(output.saturated, [1]); // σ(20), σ(40) ≈ 1
    assert.ok(hidden.weightGradNorm > 0 && output.updateRatio! > 0);
  });
});
