/**
 * ∂E/∂x and ∂E/∂a (issue 13) against PyTorch float64 autograd: on 300 random networks (sizes,
 * activations, bias on or off, every built-in loss including `output j`, mean or sum, a batch),
 * each row's own ∂Es/∂xi and ∂Es/∂aj[k] from the engine (activationGradOf, what show, expect and
 * the panel read) agree with x.grad and the retained a.grad of the same network written in
 * PyTorch (scripts/examples/input_grad_torch.py) to 1e-10, and explain's value is that number.
 */
import { strict as assert } from 'assert';
import { resolve } from 'path';
import {
  activationGradOf,
  backward,
  explain,
  forward,
  mulberry32,
  type Network,
} from '../../../src/engine';
import { runTorchOracle } from '../torchOracle';
import { randomNet } from './randomNet';

const ORACLE = resolve(__dirname, '../../../../scripts/examples/input_grad_torch.py');
const HIDDEN = ['sigmoid', 'tanh', 'relu', 'identity'];
const HEADS: [string, string][] = [
  ['sigmoid', 'half-squared'],
  ['tanh', 'mse'],
  ['identity', 'half-squared'],
  ['softmax', 'cross-entropy'],
  ['sigmoid', 'binary-cross-entropy'],
  ['identity', 'output'],
  ['tanh', 'output'],
  ['softmax', 'output'],
];

interface OracleResult {
  dx: number[][];
  da: number[][][];
}

describe('∂E/∂x and ∂E/∂a against PyTorch float64 autograd', function () {
  this.timeout(120_000);

  it('300 random networks: every row’s ∂Es/∂xi and ∂Es/∂aj[k], and explain of them', () => {
    const rand = mulberry32(1313);
    const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
    const cases: { net: Network; x: number[][]; t: number[][] }[] = [];
    for (let c = 0; c < 300; c++) {
      const sizes = Array.from({ length: int(2, 4) }, () => int(1, 4));
      const [output, loss] = HEADS[int(0, HEADS.length - 1)];
      if (output === 'softmax') sizes[sizes.length - 1] = int(2, 4);
      const outputs = sizes[sizes.length - 1];
      const data = Array.from({ length: 40 }, () => 2 * rand() - 1);
      cases.push(
        randomNet(
          {
            sizes,
            activations: [
              ...sizes.slice(2).map(() => ({ kind: HIDDEN[int(0, HIDDEN.length - 1)] })),
              { kind: output },
            ],
            bias: sizes.slice(1).map(() => rand() < 0.7),
            loss,
            ...(loss === 'output' ? { lossNode: int(1, outputs) } : {}),
            reduction: rand() < 0.5 ? 'mean' : 'sum',
          },
          int(0, 1 << 30),
          data,
          int(1, 3),
          20,
        ),
      );
    }
    const theirs = runTorchOracle<OracleResult[]>(
      [ORACLE],
      JSON.stringify(
        cases.map(({ net, x, t }) => ({
          weights: net.weights.map((w, m) =>
            Array.from({ length: net.sizes[m + 1] }, (_, j) =>
              Array.from(w.subarray(j * net.sizes[m], (j + 1) * net.sizes[m])),
            ),
          ),
          biases: net.biases.map((b, m) => (net.hasBias(m + 2) ? Array.from(b) : null)),
          activations: net.spec.activations.map((a) => a.kind),
          loss: net.spec.loss,
          node: net.lossNode + 1,
          x,
          t,
        })),
      ),
    );
    let compared = 0;
    cases.forEach(({ net, x, t }, c) => {
      const fwd = forward(net, x);
      const back = backward(net, fwd, t);
      for (let k = 1; k <= net.layerCount; k++)
        for (let s = 0; s < x.length; s++)
          for (let i = 0; i < net.sizes[k - 1]; i++) {
            const ours = activationGradOf(net, fwd, back, k, i, s);
            const want = k === 1 ? theirs[c].dx[s][i] : theirs[c].da[k - 2][s][i];
            const what =
              `case ${c} (${net.spec.loss}, sizes ${net.sizes}) ∂E(s${s + 1})/∂a` +
              `${i + 1}[${k}]`;
            assert.ok(
              Math.abs(ours - want) <= 1e-10 * Math.max(1, Math.abs(want)),
              `${what}: ours ${ours}, PyTorch ${want}`,
            );
            const d = explain(net, fwd, back, {
              kind: 'activationGrad',
              layer: k,
              node: i + 1,
              sample: s + 1,
            });
            assert.equal(d.value, ours, `${what}: explain`);
            compared++;
          }
    });
    assert.ok(compared > 3000, `${compared} numbers compared`);
  });
});
