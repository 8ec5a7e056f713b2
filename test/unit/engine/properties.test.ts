import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { ELEMENTWISE, HEADS, layerActivation, KINKED, lossOf, randomNet } from './randomNet';
import {
  backward,
  createNetwork,
  createTrainer,
  FastNet,
  forward,
  gradcheck,
  initialise,
  type ActivationKind,
  type Network,
  type Reduction,
} from '../../../src/engine';

interface Case {
  sizes: number[];
  /** built-in kinds and user-defined ones (USER_ACTIVATIONS) */
  hidden: string[];
  output: ActivationKind;
  loss: string;
  bias: boolean[];
  reduction: Reduction;
  seed: number;
  /** the parameter (α) of parameterised activations, in [0, 1] above its least value */
  parameter: number;
  batch: number;
  data: number[];
}

const caseArb: fc.Arbitrary<Case> = fc
  .record({
    sizes: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 2, maxLength: 4 }),
    // with the smooth user-defined activations: g' from the expression's reverse mode must match
    // finite differences too
    acts: fc.array(fc.constantFrom<string>(...ELEMENTWISE, 'swish', 'softplus'), {
      minLength: 3,
      maxLength: 3,
    }),
    head: fc.constantFrom(...HEADS),
    bias: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
    reduction: fc.constantFrom<Reduction>('mean', 'sum'),
    seed: fc.integer({ min: 0, max: 1 << 30 }),
    parameter: fc.double({ min: 0, max: 1, noNaN: true }),
    batch: fc.integer({ min: 1, max: 3 }),
    data: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 24, maxLength: 24 }),
  })
  .map((r) => ({
    sizes: r.sizes,
    hidden: r.acts.slice(0, r.sizes.length - 2),
    output: r.head.output,
    loss: r.head.loss,
    bias: r.bias.slice(0, r.sizes.length - 1),
    reduction: r.reduction,
    seed: r.seed,
    parameter: r.parameter,
    batch: r.batch,
    data: r.data,
  }));

function build(c: Case): { net: Network; x: number[][]; t: number[][] } {
  return randomNet(
    {
      sizes: c.sizes,
      activations: [...c.hidden, c.output].map((kind) => layerActivation(kind, c.parameter)),
      bias: c.bias,
      ...lossOf(c.loss),
      reduction: c.reduction,
    },
    c.seed,
    c.data,
    c.batch,
    12,
  ); // targets read from offset 12
}

/** relu and leaky relu (KINKED) have a kink at 0: finite differences across it are meaningless */
function nearKink(net: Network, x: number[][]): boolean {
  const fwd = forward(net, x);
  for (let k = 2; k <= net.layerCount; k++) {
    const kind = net.spec.activations[k - 2].kind;
    if ((KINKED as readonly string[]).includes(kind) && fwd.z[k].some((z) => Math.abs(z) < 1e-3))
      return true;
  }
  return false;
}

describe('engine: properties over random networks', () => {
  it('analytic gradients match central finite differences (rtol 1e-6)', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const { net, x, t } = build(c);
        fc.pre(!nearKink(net, x));
        const result = gradcheck(net, x, t, { eps: 1e-6, rtol: 1e-6, atol: 1e-8 });
        const worst = result.params.find((p) => !p.pass);
        assert.ok(
          result.pass,
          worst && `${worst.name}: analytic ${worst.analytic} numeric ${worst.numeric}`,
        );
      }),
      { numRuns: 150, seed: 20261130 },
    );
  });

  it('the fast path computes the same loss and gradients as the recording passes', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const { net, x, t } = build(c);
        const back = backward(net, forward(net, x), t);
        const fast = new FastNet(net, c.batch);
        const loss = fast.gradients(
          Float64Array.from(x.flat()),
          Float64Array.from(t.flat()),
          c.batch,
        );
        const near = (a: number, b: number) => Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b));
        assert.ok(near(loss, back.loss), `loss ${loss} vs ${back.loss}`);
        back.weightGrad.forEach((g, m) =>
          g.forEach((v, p) => assert.ok(near(fast.weightGrad[m][p], v), `∂E/∂w m=${m} p=${p}`)),
        );
        back.biasGrad.forEach((g, m) =>
          g.forEach((v, p) => assert.ok(near(fast.biasGrad[m][p], v), `∂E/∂b m=${m} p=${p}`)),
        );
      }),
      { numRuns: 150, seed: 7 },
    );
  });

  it('the same seed gives bit-identical initial weights and training results', () => {
    const train = (seed: number) => {
      const made = createNetwork({
        sizes: [3, 5, 2],
        activations: [{ kind: 'tanh' }, { kind: 'softmax' }],
        bias: [true, true],
        loss: 'cross-entropy',
      });
      assert.ok(made.ok);
      const net = made.value;
      initialise(net, { method: 'xavier', seed });
      const inputs: number[][] = [],
        targets: number[][] = [];
      for (let s = 0; s < 20; s++) {
        inputs.push([s / 20, Math.sin(s), (s % 3) - 1]);
        targets.push(s % 2 ? [1, 0] : [0, 1]);
      }
      const trainer = createTrainer(
        net,
        { inputs, targets },
        { epochs: 30, batchSize: 4, optimiser: 'adam', lr: 0.01, shuffleSeed: seed, l2: 1e-3 },
      );
      assert.ok(trainer.ok);
      const status = trainer.value.run(1e6);
      return {
        bytes: net.weights.map((w) => Buffer.from(w.buffer).toString('hex')).join('|'),
        history: status.history,
      };
    };
    const a = train(42),
      b = train(42),
      c = train(43);
    assert.equal(a.bytes, b.bytes);
    assert.deepEqual(a.history, b.history);
    assert.notEqual(a.bytes, c.bytes);
  });
});
