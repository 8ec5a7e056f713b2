/**
 * Phase stepping as the runtime sends it (src/runtime/phases.ts, NetworkSnapshot.phases): titles,
 * rules and numbers written out here by hand for the seed's 2-3-1 network (the numbers of its hand
 * derivation, as example 01 checks them), for a batch with biases, for softmax and for a layer
 * wider than the phases list.
 */
import * as assert from 'assert/strict';
import { decodeNumber, type Num, type PassPhase } from '../../../src/protocol/results';
import { partsText } from '../../../src/protocol/text';
import { PHASE_NUMBERS } from '../../../src/runtime/phases';
import { Session } from '../../../src/runtime/session';
import { host } from '../runHost';

const SEED =
  'network 2 -> 3 sigmoid -> 1 sigmoid\nbias off\nloss half-squared\nweights [1] = [[0.15, 0.25, ' +
  '0.35], [0.20, 0.30, 0.40]]\nweights [2] = [[0.40], [0.45], [0.50]]\ninput x = [0.05, ' +
  '0.10]\ntarget t = [0.01]';

async function phasesOf(...cells: string[]): Promise<PassPhase[] | undefined> {
  const s = new Session();
  for (const c of cells) {
    const r = await s.runCell(c, host);
    assert.ok(r.ok, `${c}: ${JSON.stringify(r.problems)}`);
  }
  return s.snapshot()?.phases;
}

/** a rule's words, each number written as # */
const words = (p: PassPhase) => partsText(p.rule, () => '#');

/** the phase's numbers against hand values, by name */
function numbersNear(p: PassPhase, want: [string, number][], tol = 1e-9): void {
  assert.deepEqual(
    p.numbers.map(([n]) => n),
    want.map(([n]) => n),
    p.title,
  );
  p.numbers.forEach(([n, v]: [string, Num], i) => {
    const w = want[i][1];
    assert.ok(Math.abs(decodeNumber(v) - w) <= tol, `${n}: ${v}, want ${w}`);
  });
}

describe('phase stepping (the runtime’s phases)', () => {
  it('the seed’s 2-3-1 network after forward, backward and update lr 0.5', async () => {
    const p = (await phasesOf(SEED, 'forward\nbackward\nupdate lr 0.5'))!;
    assert.deepEqual(
      p.map((x) => [x.stage, x.layer, x.title]),
      [
        ['inputs', undefined, 'Inputs'],
        ['forward', 2, 'Forward: layer L2'],
        ['forward', 3, 'Forward: layer L3'],
        ['error', undefined, 'Error'],
        ['output', 3, 'Output deltas'],
        ['hidden', 2, 'Hidden deltas: layer L2'],
        ['gradients', undefined, 'Gradients'],
        ['update', undefined, 'Update'],
      ],
    );
    assert.deepEqual(p.map(words), [
      'aj[1] = xj',
      // no bias term: the seed's net has none; g from the sigmoid's record
      'zj[2] = Σi wij[1]·ai[1],  aj[2] = g(zj[2]) with g = sigmoid, g(z) = 1/(1 + e^−z)',
      'zj[3] = Σi wij[2]·ai[2],  aj[3] = g(zj[3]) with g = sigmoid, g(z) = 1/(1 + e^−z)',
      'E = ½·Σ(a − t)²',
      // ∂E/∂a from the loss's record, g' from the activation's
      "δj[3] = ∂E/∂aj[3] · g'(zj[3]), ∂E/∂aj[3] = aj[3] − tj, g'(z) = a·(1 − a)",
      "δi[2] = g'(zi[2]) · Σj wij[2]·δj[3], g'(z) = a·(1 − a)  (weights before the update)",
      '∂E/∂wij[k] = δj[k+1] · ai[k]',
      'wij[k] ← wij[k] − η · ∂E/∂wij[k] with η = #',
    ]);
    assert.deepEqual(p[7].rule.at(-1), { num: 0.5 });
    // what each phase lights up
    assert.deepEqual(p[0].nodes, ['1[1]', '2[1]']);
    assert.deepEqual(p[1].nodes, ['1[2]', '2[2]', '3[2]']);
    assert.deepEqual(p[1].params, ['w11[1]', 'w12[1]', 'w13[1]', 'w21[1]', 'w22[1]', 'w23[1]']);
    assert.deepEqual(p[5].params, ['w11[2]', 'w21[2]', 'w31[2]'], 'the outgoing weights');
    assert.equal(p[6].params.length, 9);
    // the numbers of the hand derivation
    numbersNear(p[0], [
      ['x1', 0.05],
      ['x2', 0.1],
    ]);
    numbersNear(p[2], [
      ['z1[3]', 0.6897158775],
      ['a1[3]', 0.6659037193],
    ]);
    assert.deepEqual(
      p[1].numbers.map(([n]) => n),
      ['z1[2]', 'a1[2]', 'z2[2]', 'a2[2]', 'z3[2]', 'a3[2]'],
    );
    numbersNear(p[1], [
      ['z1[2]', 0.0275],
      ['a1[2]', 0.5068745668],
      ['z2[2]', 0.0425],
      ['a2[2]', 0.510623401],
      ['z3[2]', 0.0575],
      ['a3[2]', 0.5143710407],
    ]);
    numbersNear(p[3], [['E', 0.5 * (0.6659037193 - 0.01) ** 2]]);
    numbersNear(p[4], [['δ1[3]', 0.1459228069]]);
    assert.equal(p[5].numbers[0][0], 'δ1[2]');
    numbersNear(p[5], [
      ['δ1[2]', 0.01458952219],
      ['δ2[2]', 0.016408905],
      ['δ3[2]', 0.01822528238],
    ]);
    assert.equal(p[6].total, 9);
    assert.deepEqual(p[6].numbers[0][0], '∂E/∂w11[1]');
    numbersNear(p[6], [
      ['∂E/∂w11[1]', 0.0007294761095],
      ['∂E/∂w12[1]', 0.000820445251],
      ['∂E/∂w13[1]', 0.000911264119],
      ['∂E/∂w21[1]', 0.001458952219],
      ['∂E/∂w22[1]', 0.0016408905],
      ['∂E/∂w23[1]', 0.001822528238],
      ['∂E/∂w11[2]', 0.07396455955],
      ['∂E/∂w21[2]', 0.07451159997],
      ['∂E/∂w31[2]', 0.07505846607],
    ]);
    assert.deepEqual(p[7].numbers, [['η', 0.5]]);
  });

  it('with the stale-weights mistake the hidden rule says the weights were updated', async () => {
    const p = (await phasesOf(SEED, 'mistake stale-weights on\nforward\nbackward\nupdate lr 0.5'))!;
    const hidden = p.find((x) => x.stage === 'hidden')!;
    assert.match(words(hidden), /\(weights already updated: the stale-weights mistake\)$/);
    // by hand, from the seed's numbers: wi1[2] ← wi1[2] − 0.5·δ1[3]·ai[2] first, then
    // δi[2] = ai[2]·(1 − ai[2])·wi1[2]·δ1[3] through the new weight
    const d3 = 0.1459228069;
    const a2 = [0.5068745668, 0.510623401, 0.5143710407];
    const w2 = [0.4, 0.45, 0.5];
    numbersNear(
      hidden,
      a2.map((a, i) => [`δ${i + 1}[2]`, a * (1 - a) * (w2[i] - 0.5 * d3 * a) * d3]),
      1e-9,
    );
  });

  it('after a forward alone: the forward phases, no more (E comes with backward)', async () => {
    const p = (await phasesOf(SEED, 'forward'))!;
    assert.deepEqual(
      p.map((x) => x.title),
      ['Inputs', 'Forward: layer L2', 'Forward: layer L3'],
    );
    assert.equal(await phasesOf(SEED), undefined, 'no pass: no phases');
  });

  it('a batch with biases: bj in the sums and the gradients, the reduction said', async () => {
    const p = (await phasesOf(
      'network 2 -> 2 tanh -> 1 sigmoid\ninit uniform 0.8 seed 4\ndataset xor',
      'forward\nbackward',
    ))!;
    const byStage = new Map(p.map((x) => [x.stage + (x.layer ?? ''), x]));
    assert.equal(
      words(byStage.get('forward2')!),
      'zj[2] = Σi wij[1]·ai[1] + bj[2],  aj[2] = g(zj[2]) with g = tanh, g(z) = tanh z',
    );
    assert.equal(words(byStage.get('error')!), 'E = ½·Σ(a − t)², mean over 4 rows');
    assert.equal(
      words(byStage.get('hidden2')!),
      "δi[2] = g'(zi[2]) · Σj wij[2]·δj[3], g'(z) = 1 − a²  (weights before the update)",
    );
    const grads = byStage.get('gradients')!;
    assert.equal(
      words(grads),
      '∂E/∂wij[k] = δj[k+1] · ai[k],  ∂E/∂bj[k] = δj[k], the mean over the 4 rows',
    );
    // 2·2 + 2·1 weights, 2 + 1 biases
    assert.equal(grads.total, 9);
    assert.deepEqual(
      grads.numbers.map(([n]) => n),
      [
        '∂E/∂w11[1]',
        '∂E/∂w12[1]',
        '∂E/∂w21[1]',
        '∂E/∂w22[1]',
        '∂E/∂w11[2]',
        '∂E/∂w21[2]',
        '∂E/∂b1[2]',
        '∂E/∂b2[2]',
        '∂E/∂b1[3]',
      ],
    );
    assert.equal(byStage.get('update'), undefined, 'no update yet');
  });

  it('softmax couples the outputs: the output rule says so instead of ∂E/∂a · g′', async () => {
    const p = (await phasesOf(
      'network 2 -> 3 softmax\nloss cross-entropy\ninput x = [1, 2]\ntarget t = [0, 1, 0]',
      'forward\nbackward',
    ))!;
    const out = p.find((x) => x.stage === 'output')!;
    assert.equal(words(out), 'δj[2] = ∂E/∂zj[2]: softmax couples the outputs (explain shows how)');
    assert.equal(out.total, 3);
  });

  it("the user's own activation and loss: g' and ∂E/∂a written in z and aj, tj", async () => {
    const p = (await phasesOf(
      'activation sq(u) = u*u + u\nloss hl(p, q) = (p - q)^2\nnetwork 1 -> 1 sq\nloss hl\n' +
        'input x = [0.5]\ntarget t = [1]',
      'forward\nbackward',
    ))!;
    // its g is named by its label (its formula is in u, not z)
    assert.equal(
      words(p.find((x) => x.stage === 'forward')!),
      'zj[2] = Σi wij[1]·ai[1] + bj[2],  aj[2] = g(zj[2]) with g = sq',
    );
    assert.equal(
      words(p.find((x) => x.stage === 'output')!),
      "δj[2] = ∂E/∂aj[2] · g'(zj[2]), ∂E/∂aj[2] = 2 * (aj[2] - tj), g'(z) = 2 * z + 1",
    );
  });

  it(`a wide layer lists its first ${PHASE_NUMBERS} numbers and counts them all`, async () => {
    const p = (await phasesOf(
      'network 2 -> 20 relu -> 1 identity\ninput x = [1, 2]\ntarget t = [1]',
      'forward\nbackward',
    ))!;
    const l2 = p.find((x) => x.stage === 'forward' && x.layer === 2)!;
    assert.equal(l2.total, 40, 'z and a of 20 nodes');
    assert.equal(l2.numbers.length, 24);
    assert.equal(l2.numbers.at(-1)![0], 'a(12)[2]');
    const grads = p.find((x) => x.stage === 'gradients')!;
    assert.equal(grads.total, 2 * 20 + 20 + 20 + 1);
    assert.equal(grads.numbers.length, 24);
  });
});
