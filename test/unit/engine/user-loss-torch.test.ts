/**
 * User-defined losses (`loss NAME(a, t) = …`) in networks against PyTorch float64 autograd: on 200
 * random networks (sizes, built-in and user-defined activations, bias on or off, mean or sum, a
 * batch), E, every ∂E/∂w and ∂E/∂b from the recording passes, and the weights after 3 training
 * steps through the trainer (the fast path), agree with the same network written in PyTorch
 * (scripts/examples/user_loss_torch.py, one Python process). Needs Debian's python3-torch (.ci/run
 * installs it); without it the test fails saying so.
 */
import { strict as assert } from 'assert';
import { resolve } from 'path';
import {
  backward,
  createTrainer,
  forward,
  mulberry32,
  type Activation,
  type Network,
} from '../../../src/engine';
import { parseExpression } from '../../../src/language/expr';
import { runTorchOracle } from '../torchOracle';
import { lossOf, randomNet, USER_ACTIVATIONS, USER_LOSSES } from './randomNet';

const ORACLE = resolve(__dirname, '../../../../scripts/examples/user_loss_torch.py');
const BUILT_IN = ['sigmoid', 'tanh', 'relu', 'identity'];
const STEPS = 3;

interface OracleResult {
  loss: number;
  weightGrad: number[][];
  biasGrad: number[][];
  weightsAfter: number[][];
  biasesAfter: number[][];
}

const tree = (text: string) => {
  const parsed = parseExpression(text);
  assert.ok(parsed.expr, text);
  return parsed.expr;
};

/** The activation as the oracle reads it: a built-in's name, or the user's expression in z. */
const oracleActivation = (a: Activation) =>
  a.user ? { z: 'z', tree: tree(USER_ACTIVATIONS[a.kind]) } : a.kind;

function close(ours: number, theirs: number, what: string): void {
  assert.ok(
    Math.abs(ours - theirs) <= 1e-11 * Math.max(1, Math.abs(theirs)),
    `${what}: ours ${ours}, PyTorch ${theirs}`,
  );
}

describe('user-defined losses in networks against PyTorch float64 autograd', function () {
  this.timeout(120_000);

  it('200 random networks: E, ∂E/∂w, ∂E/∂b, and the weights after 3 training steps', () => {
    const rand = mulberry32(1515);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
    const lossNames = Object.keys(USER_LOSSES);
    const cases: { net: Network; x: number[][]; t: number[][]; lr: number }[] = [];
    for (let c = 0; c < 200; c++) {
      const loss = lossNames[c % lossNames.length];
      const sizes = Array.from(
        { length: 2 + Math.floor(rand() * 3) },
        () => 1 + Math.floor(rand() * 5),
      );
      const hidden = sizes
        .slice(2)
        .map(() => pick([...BUILT_IN, ...Object.keys(USER_ACTIVATIONS)]));
      // the output: one whose range suits the loss (log(a) and log(1 − a) need a in (0, 1))
      const output = loss === 'bce' ? 'sigmoid' : pick([...BUILT_IN, 'softmax', 'swish']);
      const activations: Activation[] = [...hidden, output].map((kind) =>
        kind in USER_ACTIVATIONS
          ? { kind, user: { params: ['z'], body: tree(USER_ACTIVATIONS[kind]) } }
          : { kind },
      );
      const batch = 1 + Math.floor(rand() * 4);
      const data = Array.from({ length: 60 }, () => rand() * 2 - 1);
      const { net, x, t } = randomNet(
        {
          sizes,
          activations,
          bias: sizes.slice(1).map(() => rand() < 0.7),
          ...lossOf(loss),
          reduction: rand() < 0.5 ? 'mean' : 'sum',
        },
        Math.floor(rand() * 1e9),
        data,
        batch,
        30,
      );
      cases.push({ net, x, t, lr: pick([0.5, 0.1]) });
    }
    const results = runTorchOracle<OracleResult[]>(
      [ORACLE],
      JSON.stringify(
        cases.map(({ net, x, t, lr }) => ({
          sizes: net.sizes,
          weights: net.weights.map((w) => [...w]),
          biases: net.biases.map((b) => [...b]),
          bias: net.spec.bias,
          activations: net.spec.activations.map(oracleActivation),
          loss: { a: 'a', t: 't', tree: tree(USER_LOSSES[net.spec.loss]) },
          reduction: net.reduction,
          x,
          t,
          lr,
          steps: STEPS,
        })),
      ),
    );
    assert.equal(results.length, cases.length);
    cases.forEach(({ net, x, t, lr }, c) => {
      const ref = results[c];
      const where =
        `case ${c} (${net.sizes.join('-')} ` +
        `${net.spec.activations.map((a) => a.kind).join(',')}, loss ${net.spec.loss}, ` +
        `${net.reduction})`;
      const back = backward(net, forward(net, x), t);
      close(back.loss, ref.loss, `${where} E`);
      back.weightGrad.forEach((g, m) =>
        g.forEach((v, p) => close(v, ref.weightGrad[m][p], `${where} ∂E/∂w m=${m} p=${p}`)),
      );
      back.biasGrad.forEach((g, m) => {
        if (net.hasBias(m + 2))
          g.forEach((v, p) => close(v, ref.biasGrad[m][p], `${where} ∂E/∂b m=${m} p=${p}`));
      });
      const trainer = createTrainer(net, { inputs: x, targets: t }, { lr, steps: STEPS });
      assert.ok(trainer.ok);
      const status = trainer.value.run(STEPS);
      assert.equal(status.step, STEPS, `${where}: ${status.reason}`);
      net.weights.forEach((w, m) =>
        w.forEach((v, p) => close(v, ref.weightsAfter[m][p], `${where} trained w m=${m} p=${p}`)),
      );
      net.biases.forEach((b, m) =>
        b.forEach((v, p) => close(v, ref.biasesAfter[m][p], `${where} trained b m=${m} p=${p}`)),
      );
    });
  });
});
