import * as assert from 'node:assert/strict';
import {
  backward,
  backwardAndUpdate,
  createNetwork,
  explain,
  forward,
  lookup,
  update,
  type Network,
} from '../../../src/engine';
import { createTrainer } from '../../../src/engine/trainer';

/** The seed's 2-3-1 network: sigmoid everywhere, no biases, E = ½(a1[3] − t1)². */
function seedNet(): Network {
  const made = createNetwork({
    sizes: [2, 3, 1],
    activations: [{ kind: 'sigmoid' }, { kind: 'sigmoid' }],
    bias: [false, false],
    loss: 'half-squared',
  });
  assert.ok(made.ok);
  const net = made.value;
  // rows = from-node, columns = to-node: w[i-1][j-1] = wij[k]
  net.setWeightMatrix(1, [
    [0.1, -0.4, 0.25],
    [0.35, 0.2, -0.15],
  ]);
  net.setWeightMatrix(2, [[0.5], [-0.3], [0.8]]);
  return net;
}

const g = (z: number) => 1 / (1 + Math.exp(-z));
const gPrime = (z: number) => g(z) * (1 - g(z));
const x1 = 0.3,
  x2 = 1.0,
  t1 = 0.75,
  eta = 0.5;

/** derivation.md evaluated independently, with the seed's names */
function byHand() {
  const w11_1 = 0.1,
    w12_1 = -0.4,
    w13_1 = 0.25,
    w21_1 = 0.35,
    w22_1 = 0.2,
    w23_1 = -0.15;
  const w11_2 = 0.5,
    w21_2 = -0.3,
    w31_2 = 0.8;
  const z1_2 = w11_1 * x1 + w21_1 * x2,
    a1_2 = g(z1_2);
  const z2_2 = w12_1 * x1 + w22_1 * x2,
    a2_2 = g(z2_2);
  const z3_2 = w13_1 * x1 + w23_1 * x2,
    a3_2 = g(z3_2);
  const z1_3 = w11_2 * a1_2 + w21_2 * a2_2 + w31_2 * a3_2,
    a1_3 = g(z1_3);
  const E = 0.5 * (a1_3 - t1) ** 2;
  const d1_3 = (a1_3 - t1) * gPrime(z1_3);
  const d1_2 = gPrime(z1_2) * w11_2 * d1_3;
  const d2_2 = gPrime(z2_2) * w21_2 * d1_3;
  const d3_2 = gPrime(z3_2) * w31_2 * d1_3;
  return {
    z: { 'z1[2]': z1_2, 'z2[2]': z2_2, 'z3[2]': z3_2, 'z1[3]': z1_3 },
    a: { 'a1[2]': a1_2, 'a2[2]': a2_2, 'a3[2]': a3_2, 'a1[3]': a1_3 },
    E,
    delta: { 'δ1[3]': d1_3, 'δ1[2]': d1_2, 'δ2[2]': d2_2, 'δ3[2]': d3_2 },
    grad: {
      'w11[2]': d1_3 * a1_2,
      'w21[2]': d1_3 * a2_2,
      'w31[2]': d1_3 * a3_2,
      'w11[1]': d1_2 * x1,
      'w21[1]': d1_2 * x2,
      'w12[1]': d2_2 * x1,
      'w22[1]': d2_2 * x2,
      'w13[1]': d3_2 * x1,
      'w23[1]': d3_2 * x2,
    } as Record<string, number>,
    old: {
      'w11[2]': w11_2,
      'w21[2]': w21_2,
      'w31[2]': w31_2,
      'w11[1]': w11_1,
      'w21[1]': w21_1,
      'w12[1]': w12_1,
      'w22[1]': w22_1,
      'w13[1]': w13_1,
      'w23[1]': w23_1,
    } as Record<string, number>,
  };
}

function close(actual: number | undefined, expected: number, what: string): void {
  assert.ok(
    actual !== undefined && Math.abs(actual - expected) <= 1e-15 * Math.max(1, Math.abs(expected)),
    `${what}: ${actual} ≠ ${expected}`,
  );
}

describe('engine: the seed 2-3-1 network against derivation.md', () => {
  it('forward: every z and a', () => {
    const net = seedNet();
    const fwd = forward(net, [x1, x2]);
    const hand = byHand();
    for (const [name, v] of Object.entries(hand.z)) close(lookup(name, { net, fwd }), v, name);
    for (const [name, v] of Object.entries(hand.a)) close(lookup(name, { net, fwd }), v, name);
    close(lookup('x2', { net, fwd }), x2, 'x2');
  });

  it('backward: E, every δ and every ∂E/∂w', () => {
    const net = seedNet();
    const fwd = forward(net, [x1, x2]);
    const back = backward(net, fwd, [t1]);
    const hand = byHand();
    close(back.loss, hand.E, 'E');
    assert.equal(back.lossKind, 'half-squared');
    assert.equal(back.reduction, 'mean');
    for (const [name, v] of Object.entries(hand.delta))
      close(lookup(name, { net, fwd, back }), v, name);
    for (const [name, v] of Object.entries(hand.grad))
      close(lookup(`∂E/∂${name}`, { net, fwd, back }), v, `∂E/∂${name}`);
  });

  it('update: every weight becomes w − η·∂E/∂w, old values recorded', () => {
    const net = seedNet();
    const fwd = forward(net, [x1, x2]);
    const back = backward(net, fwd, [t1]);
    const upd = update(net, back, { lr: eta });
    const hand = byHand();
    for (const [name, grad] of Object.entries(hand.grad))
      close(lookup(name, { net }), hand.old[name] - eta * grad, `new ${name}`);
    assert.equal(upd.oldWeights[1][0], 0.5);
    assert.equal(upd.newWeights[1][0], net.getWeight(2, 1, 1));
  });

  it('frozen weights are kept out of the update', () => {
    const net = seedNet();
    net.freeze({ kind: 'weight', layer: 2, from: 2, to: 1 });
    net.freeze({ kind: 'weights', layer: 1 });
    const fwd = forward(net, [x1, x2]);
    update(net, backward(net, fwd, [t1]), { lr: eta });
    assert.equal(net.getWeight(2, 2, 1), -0.3);
    assert.deepEqual(net.getWeightMatrix(1), [
      [0.1, -0.4, 0.25],
      [0.35, 0.2, -0.15],
    ]);
    assert.notEqual(net.getWeight(2, 1, 1), 0.5);
  });

  it('the stale-weight trap: hidden deltas use the weights from before the update', () => {
    const net = seedNet();
    const fwd = forward(net, [x1, x2]);
    const { back } = backwardAndUpdate(net, fwd, [t1], { lr: eta });
    const hand = byHand();
    // δ1[2] = g'(z1[2])·w11[2]·δ1[3] with the OLD w11[2] = 0.5, although net now holds the new one
    close(back.delta[2][0], gPrime(hand.z['z1[2]']) * 0.5 * hand.delta['δ1[3]'], 'δ1[2]');
    assert.notEqual(net.getWeight(2, 1, 1), 0.5);
    assert.equal(back.weightsUsed[1][0], 0.5);
  });

  it(
    'the teaching switch reproduces the mistake: δ propagated through ' + 'already-updated weights',
    () => {
      const right = seedNet(),
        wrong = seedNet();
      const hand = byHand();
      const good = backwardAndUpdate(right, forward(right, [x1, x2]), [t1], { lr: eta });
      const bad = backwardAndUpdate(wrong, forward(wrong, [x1, x2]), [t1], {
        lr: eta,
        updateBeforePropagating: true,
      });
      const newW11 = 0.5 - eta * hand.grad['w11[2]'];
      close(
        bad.back.delta[2][0],
        gPrime(hand.z['z1[2]']) * newW11 * hand.delta['δ1[3]'],
        'wrong δ1[2]',
      );
      assert.notEqual(bad.back.delta[2][0], good.back.delta[2][0]);
      assert.notEqual(wrong.getWeight(1, 1, 1), right.getWeight(1, 1, 1));
      // the output layer's update is the same
      assert.equal(wrong.getWeight(2, 1, 1), right.getWeight(2, 1, 1));
    },
  );

  it('explain: the chain of factors ends in exactly the recorded gradient', () => {
    const net = seedNet();
    const fwd = forward(net, [x1, x2]);
    const back = backward(net, fwd, [t1]);
    const d = explain(net, fwd, back, { kind: 'weightGrad', layer: 1, from: 1, to: 1 });
    assert.equal(d.quantity, '∂E/∂w11[1]');
    assert.equal(d.value, back.weightGrad[0][0]);
    const last = d.steps[d.steps.length - 1];
    assert.equal(last.symbolic, '∂E/∂w11[1] = δ1[2] · x1');
    assert.equal(last.value, back.weightGrad[0][0]);
    assert.ok(
      d.steps.some(
        (s) => s.symbolic === "δ1[2] = g'(z1[2]) · Σj w1j[2]·δj[3]" && s.value === back.delta[2][0],
      ),
    );
    assert.ok(
      d.steps.some(
        (s) => s.symbolic === "δ1[3] = (a1[3] − t1) · g'(z1[3])" && s.value === back.delta[3][0],
      ),
    );
    assert.match(last.latex, /\\frac\{\\partial E\}\{\\partial w_\{11\}\^\{\[1\]\}\}/);
    for (const q of [
      { kind: 'delta', layer: 2, node: 3 },
      { kind: 'weightGrad', layer: 2, from: 3, to: 1 },
      { kind: 'biasGrad', layer: 3, node: 1 },
    ] as const) {
      const expected =
        q.kind === 'delta'
          ? back.delta[2][2]
          : q.kind === 'weightGrad'
            ? back.weightGrad[1][2]
            : back.biasGrad[1][0];
      assert.equal(explain(net, fwd, back, q).value, expected);
    }
  });

  it('a single-sample training step also propagates δ through the pre-update weights', () => {
    const recorded = seedNet(),
      fast = seedNet();
    update(recorded, backward(recorded, forward(recorded, [x1, x2]), [t1]), { lr: eta });
    const made = createTrainer(fast, { inputs: [[x1, x2]], targets: [[t1]] }, { lr: eta });
    assert.ok(made.ok);
    const loss = made.value.stepOn(Float64Array.from([x1, x2]), Float64Array.from([t1]), 1);
    close(loss, byHand().E, 'E');
    for (let m = 0; m < 2; m++)
      recorded.weights[m].forEach((w, p) => close(fast.weights[m][p], w, `weights[${m}][${p}]`));
  });
});
