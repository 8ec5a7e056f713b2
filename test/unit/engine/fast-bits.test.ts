import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  ELEMENTWISE,
  HEADS,
  layerActivation,
  lossOf,
  randomNet,
  USER_ACTIVATIONS,
} from './randomNet';
import {
  backward,
  FastNet,
  forward,
  update,
  type Network,
  type Reduction,
} from '../../../src/engine';
import { createTrainer } from '../../../src/engine/trainer';
import { setWasmMode, wasmAvailable, type WasmMode } from '../../../src/engine/wasm/simd';

// The fast path (FastNet, used by training and the benchmarks) must give the very same bits as the
// recording passes that the notebook displays: every δ, ∂E/∂w, ∂E/∂b, the loss and updated weights.
// Layers up to 9 wide and batches up to 11 exercise the 4×2 / 2×4 register blocks and their tails.
// Everything runs twice: with the WebAssembly SIMD kernels forced on for every layer (odd widths
// and batches exercise their lane and block tails) and forced off (the JS kernels).

interface Case {
  sizes: number[];
  /** built-in kinds and user-defined activations (USER_ACTIVATIONS) */
  acts: string[];
  head: number;
  bias: boolean[];
  reduction: Reduction;
  seed: number;
  /** the parameter (α) of parameterised activations, in [0, 1] above its least value */
  parameter: number;
  batch: number;
  data: number[];
  lr: number;
  freeze: boolean;
}

const caseArb: fc.Arbitrary<Case> = fc.record({
  sizes: fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 2, maxLength: 4 }),
  acts: fc.array(fc.constantFrom<string>(...ELEMENTWISE, ...Object.keys(USER_ACTIVATIONS)), {
    minLength: 3,
    maxLength: 3,
  }),
  head: fc.integer({ min: 0, max: HEADS.length - 1 }),
  bias: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
  reduction: fc.constantFrom<Reduction>('mean', 'sum'),
  seed: fc.integer({ min: 0, max: 1 << 30 }),
  parameter: fc.double({ min: 0, max: 1, noNaN: true }),
  batch: fc.integer({ min: 1, max: 11 }),
  data: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 200, maxLength: 200 }),
  lr: fc.constantFrom(0.5, 0.1, 0.03),
  freeze: fc.boolean(),
});

function build(c: Case): { net: Network; x: number[][]; t: number[][] } {
  const head = HEADS[c.head];
  return randomNet(
    {
      sizes: c.sizes,
      activations: [
        ...c.acts.slice(0, c.sizes.length - 2).map((kind) => layerActivation(kind, c.parameter)),
        layerActivation(head.output, c.parameter),
      ],
      bias: c.bias.slice(0, c.sizes.length - 1),
      ...lossOf(head.loss),
      reduction: c.reduction,
    },
    c.seed,
    c.data,
    c.batch,
    100,
  ); // targets read from offset 100
}

/** same bits (Object.is tells 0 from −0) for the first `length` values */
function sameBits(
  actual: Float64Array,
  expected: Float64Array,
  length: number,
  what: string,
): void {
  for (let p = 0; p < length; p++) {
    assert.ok(
      Object.is(actual[p], expected[p]),
      `${what}[${p}]: fast ${actual[p]} vs recording ${expected[p]}`,
    );
  }
}

for (const mode of ['on', 'off'] as WasmMode[])
  describe(
    `engine: the fast path is bit-identical to the recording passes (WebAssembly ` +
      `kernels ${mode})`,
    () => {
      before(() => setWasmMode(mode));
      after(() => setWasmMode('auto'));

      if (mode === 'on')
        it(
          'WebAssembly SIMD is available here (else "on" would silently test the ' + 'JS kernels)',
          () => {
            assert.equal(wasmAvailable(), true);
          },
        );

      it('loss, every δ, ∂E/∂w and ∂E/∂b', () => {
        fc.assert(
          fc.property(caseArb, (c) => {
            const { net, x, t } = build(c);
            const back = backward(net, forward(net, x), t);
            const fast = new FastNet(net, 2);
            assert.equal(fast.usesWasm(0), mode === 'on');
            const loss = fast.gradients(
              Float64Array.from(x.flat()),
              Float64Array.from(t.flat()),
              c.batch,
            );
            assert.ok(Object.is(loss, back.loss), `loss ${loss} vs ${back.loss}`);
            for (let m = 0; m < net.weights.length; m++) {
              sameBits(
                fast.deltas[m],
                back.delta[m + 2],
                c.batch * net.sizes[m + 1],
                `δ of layer ${m + 2}`,
              );
              sameBits(
                fast.weightGrad[m],
                back.weightGrad[m],
                net.weights[m].length,
                `∂E/∂w m=${m}`,
              );
              if (net.hasBias(m + 2))
                sameBits(fast.biasGrad[m], back.biasGrad[m], net.biases[m].length, `∂E/∂b m=${m}`);
            }
          }),
          { numRuns: 300, seed: 20261201 },
        );
      });

      it(
        'a training step leaves the same weights and biases as backward + update (single sample, ' +
          'batch, frozen)',
        () => {
          fc.assert(
            fc.property(caseArb, (c) => {
              const recorded = build(c),
                quick = build(c);
              if (c.freeze) {
                for (const net of [recorded.net, quick.net])
                  net.freeze({ kind: 'weight', layer: 1, from: 1, to: 1 });
              }
              update(
                recorded.net,
                backward(recorded.net, forward(recorded.net, recorded.x), recorded.t),
                { lr: c.lr },
              );
              // the trainer's step (what every `train` step runs), with a train cell's plain SGD
              // options
              const made = createTrainer(
                quick.net,
                { inputs: quick.x, targets: quick.t },
                { lr: c.lr },
              );
              assert.ok(made.ok);
              const x = Float64Array.from(quick.x.flat()),
                t = Float64Array.from(quick.t.flat());
              const loss = made.value.stepOn(x, t, c.batch);
              assert.ok(Number.isFinite(loss));
              for (let m = 0; m < quick.net.weights.length; m++) {
                sameBits(
                  quick.net.weights[m],
                  recorded.net.weights[m],
                  recorded.net.weights[m].length,
                  `weights[${m}]`,
                );
                sameBits(
                  quick.net.biases[m],
                  recorded.net.biases[m],
                  recorded.net.biases[m].length,
                  `biases[${m}]`,
                );
              }
            }),
            { numRuns: 300, seed: 20261202 },
          );
        },
      );
    },
  );
