import * as assert from 'assert/strict';
import * as fc from 'fast-check';
import { gradientRows, nodeRows } from '../../../src/views/gradients';
import { parseParam, weightName, biasName } from '../../../src/views/names';
import { phases } from '../../../src/views/phases';
import { seedSnapshot } from './sample';

describe('gradient table', () => {
  it('lists every weight with value, ∂E/∂w, −η·∂E/∂w and the new value', () => {
    const s = seedSnapshot({ lr: 0.5 });
    const rows = gradientRows(s);
    assert.equal(rows.length, 9);
    const [name, value, grad, step, next] = rows[0] as [string, number, number, number, number];
    assert.equal(name, 'w11[1]');
    assert.equal(value, 0.15);
    assert.equal(grad, (s.weightGrad as number[][][])[0][0][0]);
    assert.equal(step, -0.5 * grad);
    assert.equal(next, 0.15 - 0.5 * grad);
  });

  it('recovers the value before the update when the snapshot is already updated', () => {
    const before = gradientRows(seedSnapshot({ lr: 0.5 }));
    const after = gradientRows(seedSnapshot({ lr: 0.5, updated: true }));
    after.forEach((row, r) =>
      row
        .slice(1)
        .forEach((c, i) =>
          assert.ok(Math.abs((c as number) - (before[r][i + 1] as number)) < 1e-15),
        ),
    );
  });

  it('leaves the update columns empty without a learning rate', () => {
    assert.deepEqual(
      gradientRows(seedSnapshot()).map((r) => r.slice(3)),
      Array.from({ length: 9 }, () => ['', '']),
    );
  });

  it('has one node row per node with z, a and δ', () => {
    const rows = nodeRows(seedSnapshot());
    assert.deepEqual(
      rows.map((r) => r[0]),
      ['1[1]', '2[1]', '1[2]', '2[2]', '3[2]', '1[3]'],
    );
    assert.equal(rows[0][1], '');
  });
});

describe('parameter names', () => {
  it('writes and reads the seed notation, with parentheses above 9', () => {
    assert.equal(weightName(2, 1, 2), 'w21[2]');
    assert.equal(weightName(12, 3, 2), 'w(12,3)[2]');
    assert.equal(biasName(12, 3), 'b(12)[3]');
    assert.deepEqual(parseParam('w21[2]'), { kind: 'weight', i: 2, j: 1, k: 2 });
    assert.equal(parseParam('w0[1]'), undefined);
    assert.equal(parseParam('<img src=x>'), undefined);
  });

  it('round-trips every weight and bias name', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 1, max: 60 }),
        (i, j, k) => {
          assert.deepEqual(parseParam(weightName(i, j, k)), { kind: 'weight', i, j, k });
          assert.deepEqual(parseParam(biasName(j, k + 1)), { kind: 'bias', j, k: k + 1 });
        },
      ),
    );
  });
});

describe('phase stepping', () => {
  it('goes forward layer by layer, then error, output deltas, hidden deltas, gradients, update', () => {
    const p = phases(seedSnapshot({ lr: 0.5 }));
    assert.deepEqual(
      p.map((x) => x.title),
      [
        'Inputs',
        'Forward: layer L2',
        'Forward: layer L3',
        'Error',
        'Output deltas',
        'Hidden deltas: layer L2',
        'Gradients',
        'Update',
      ],
    );
    const l2 = p[1];
    assert.deepEqual(l2.nodes, ['1[2]', '2[2]', '3[2]']);
    assert.deepEqual(l2.params, ['w11[1]', 'w12[1]', 'w13[1]', 'w21[1]', 'w22[1]', 'w23[1]']);
    assert.deepEqual(
      p[5].params,
      ['w11[2]', 'w21[2]', 'w31[2]'],
      'hidden deltas use the outgoing weights',
    );
    assert.equal(p[4].numbers[0][0], 'δ1[3]');
  });

  it('stops after the forward phases when there was no backward pass', () => {
    const s = seedSnapshot();
    delete s.delta;
    delete s.weightGrad;
    assert.equal(phases(s).at(-1)?.title, 'Error');
  });
});
