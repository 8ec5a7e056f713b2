import * as assert from 'node:assert/strict';
import { backwardAndUpdate, createNetwork, explain, forward } from '../../../src/engine';

/*
 * Matt Mazur's "A Step by Step Backpropagation Example" (2-2-2, sigmoid, E = Σ ½(target − out)²),
 * by hand:
 *   inputs i1 = 0.05, i2 = 0.10; targets 0.01, 0.99; biases b1 = 0.35 (hidden), b2 = 0.60 (output),
 *   η = 0.5 weights w1..w8 = .15 .20 .25 .30 .40 .45 .50 .55; in the seed's names: w1 = w11[1], w2
 *   = w21[1], w3 = w12[1], w4 = w22[1], w5 = w11[2], w6 = w21[2], w7 = w12[2], w8 = w22[2]
 *
 *   net_h1 = 0.15·0.05 + 0.20·0.10 + 0.35 = 0.3775        out_h1 = σ(0.3775) = 0.593269992
 *   net_h2 = 0.25·0.05 + 0.30·0.10 + 0.35 = 0.3925        out_h2 = σ(0.3925) = 0.596884378
 *   net_o1 = 0.40·0.593269992 + 0.45·0.596884378 + 0.60 = 1.105905967   out_o1 = 0.75136507
 *   net_o2 = 0.50·0.593269992 + 0.55·0.596884378 + 0.60 = 1.224921404   out_o2 = 0.772928465
 *   E = ½(0.01 − 0.75136507)² + ½(0.99 − 0.772928465)² = 0.274811083 + 0.023560026 = 0.298371109
 *
 *   δo1 = (0.75136507 − 0.01)·0.75136507·(1 − 0.75136507) = 0.74136507·0.186815602 = 0.138498562
 *   ∂E/∂w5 = δo1·out_h1 = 0.138498562·0.593269992 = 0.082167041
 *   w5+ = 0.40 − 0.5·0.082167041 = 0.35891648
 *   δo2 = (0.772928465 − 0.99)·0.772928465·(1 − 0.772928465) = −0.038098236
 *   ∂E/∂out_h1 = δo1·w5 + δo2·w7 = 0.055399425 − 0.019049119 = 0.036350306
 *   δh1 = 0.036350306·out_h1·(1 − out_h1) = 0.036350306·0.241300709 = 0.008771354
 *   ∂E/∂w1 = δh1·i1 = 0.008771354·0.05 = 0.000438568;   w1+ = 0.15 − 0.5·0.000438568 = 0.149780716
 * Mazur shares one bias per layer; here each node has its own bias, all set to the shared value.
 */
describe("engine: Mazur's worked 2-2-2 example", () => {
  it('reproduces E, ∂E/∂w5, ∂E/∂w1 and the updated weights', () => {
    const made = createNetwork({
      sizes: [2, 2, 2],
      activations: [{ kind: 'sigmoid' }, { kind: 'sigmoid' }],
      bias: [true, true],
      loss: 'half-squared',
    });
    assert.ok(made.ok);
    const net = made.value;
    net.setWeightMatrix(1, [
      [0.15, 0.25],
      [0.2, 0.3],
    ]);
    net.setWeightMatrix(2, [
      [0.4, 0.5],
      [0.45, 0.55],
    ]);
    net.setBias(2, 1, 0.35);
    net.setBias(2, 2, 0.35);
    net.setBias(3, 1, 0.6);
    net.setBias(3, 2, 0.6);
    const fwd = forward(net, [0.05, 0.1]);
    assert.ok(Math.abs(fwd.a[2][0] - 0.593269992) < 1e-9);
    assert.ok(Math.abs(fwd.a[3][0] - 0.75136507) < 1e-8);
    assert.ok(Math.abs(fwd.a[3][1] - 0.772928465) < 1e-9);
    const { back } = backwardAndUpdate(net, fwd, [0.01, 0.99], { lr: 0.5 });
    assert.ok(Math.abs(back.loss - 0.298371109) < 1e-9);
    assert.ok(Math.abs(back.weightGrad[1][0] - 0.082167041) < 1e-9); // ∂E/∂w5 = ∂E/∂w11[2]
    assert.ok(Math.abs(back.weightGrad[0][0] - 0.000438568) < 1e-9); // ∂E/∂w1 = ∂E/∂w11[1]
    assert.ok(Math.abs(net.getWeight(2, 1, 1) - 0.35891648) < 1e-8); // w5+
    assert.ok(Math.abs(net.getWeight(1, 1, 1) - 0.149780716) < 1e-9); // w1+
    const d = explain(net, fwd, back, { kind: 'weightGrad', layer: 1, from: 1, to: 1 });
    assert.equal(d.value, back.weightGrad[0][0]);
    assert.equal(d.steps[d.steps.length - 1].substituted.split(' · ').length, 2);
  });
});
