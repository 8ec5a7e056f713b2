import * as assert from 'assert/strict';
import * as fc from 'fast-check';
import { gradientRows, nodeRows } from '../../../src/views/gradients';
import { weightName, biasName } from '../../../src/views/names';
import { parseQuantity, quantityLabel } from '../../../src/language/quantity';
import type { Quantity } from '../../../src/language/ast';
import { seedSnapshot } from './sample';
import { Session } from '../../../src/runtime/session';
import { host } from '../runHost';

/** The seed's 2-3-1 net after forward and backward, then `cells` (an update among them). */
async function updatedSession(...cells: string[]): Promise<Session> {
  const s = new Session();
  const seed = [
    'network 2 -> 3 sigmoid -> 1 sigmoid',
    'bias off',
    'weights [1] = [[0.15, 0.25, 0.35], [0.20, 0.30, 0.40]]',
    'weights [2] = [[0.40], [0.45], [0.50]]',
    'input x = [0.05, 0.10]',
    'target t = [0.01]',
    'forward',
    'backward',
  ];
  for (const c of [seed.join('\n'), ...cells]) {
    const run = await s.runCell(c, host);
    assert.equal(run.ok, true, JSON.stringify(run.problems));
  }
  return s;
}

describe('gradient table', () => {
  it(
    'after an update: the recorded value before it, ∂E/∂w, −η·∂E/∂w and the ' + 'weight now',
    async () => {
      const s = await updatedSession('update lr 0.5');
      const snap = s.snapshot()!;
      const rows = gradientRows(snap);
      assert.equal(rows.length, 9);
      const [name, value, grad, step, next] = rows[0] as [string, number, number, number, number];
      assert.equal(name, 'w11[1]');
      assert.equal(value, 0.15);
      assert.equal(grad, (snap.weightGrad as number[][][])[0][0][0]);
      assert.equal(step, -0.5 * grad);
      assert.equal(next, (snap.weights as number[][][])[0][0][0]);
      assert.ok(Math.abs(next - (0.15 - 0.5 * grad)) < 1e-15);
    },
  );

  it('a frozen weight shows the value it kept, never one guessed from η·∂E/∂w', async () => {
    const s = await updatedSession('freeze w11[1]', 'update lr 0.5');
    const [, value, grad, , next] = gradientRows(s.snapshot()!)[0] as number[];
    assert.notEqual(grad, 0);
    assert.equal(value, 0.15);
    assert.equal(next, 0.15);
  });

  it(
    'a frozen weight has no step: the column says frozen, the others show the ' + 'step taken',
    async () => {
      const s = await updatedSession('freeze w11[1]', 'update lr 0.5');
      const rows = gradientRows(s.snapshot()!);
      assert.equal(rows[0][3], 'frozen');
      const [, before, , step, next] = rows[1] as number[];
      assert.equal(typeof step, 'number');
      assert.equal(before + step, next, 'the step is the one the engine added');
    },
  );

  it('draws the step the runtime sent, never one recomputed from η and ∂E/∂w', async () => {
    const s = await updatedSession('update lr 0.5');
    const snap = { ...s.snapshot()!, lr: 99 };
    const steps = snap.weightSteps as number[][][];
    assert.deepEqual(
      gradientRows(snap)
        .slice(0, 3)
        .map((r) => r[3]),
      [steps[0][0][0], steps[0][0][1], steps[0][0][2]],
    );
  });

  it('the notebook gradient table says frozen too, after an update and before one', async () => {
    const s = await updatedSession('freeze w11[1]', 'update lr 0.5');
    const lastTable = async (cell: string) => {
      const run = await s.runCell(cell, host);
      const tables = run.items.filter((i) => i.kind === 'table');
      return (tables.at(-1) as { rows: unknown[][] }).rows;
    };
    const after = await lastTable('show gradients');
    assert.equal(after.find((r) => r[0] === 'w11[1]')?.[3], 'frozen');
    assert.equal(typeof after.find((r) => r[0] === 'w12[1]')?.[3], 'number');
    const before = await lastTable('forward\nbackward\nshow gradients');
    assert.deepEqual(before.find((r) => r[0] === 'w11[1]')?.slice(3), ['frozen', 0.15]);
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
  it('writes the seed notation, with parentheses above 9', () => {
    assert.equal(weightName(2, 1, 2), 'w21[2]');
    assert.equal(weightName(12, 3, 2), 'w(12,3)[2]');
    assert.equal(biasName(12, 3), 'b(12)[3]');
  });

  // the views may not import the language (docs/architecture.md), so their names are checked
  // against its parser and its canonical form here
  it('writes every weight and bias as the language reads and writes it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 1, max: 60 }),
        (i, j, k) => {
          const w = parseQuantity(weightName(i, j, k), 0);
          assert.deepEqual(w.diagnostics, []);
          const { kind, from, to, layer } = w.quantity as Quantity & { kind: 'weight' };
          assert.deepEqual({ kind, from, to, layer }, { kind: 'weight', from: i, to: j, layer: k });
          assert.equal(quantityLabel(w.quantity!), weightName(i, j, k));
          const b = parseQuantity(biasName(j, k + 1), 0).quantity as Quantity & { kind: 'bias' };
          assert.deepEqual([b.kind, b.node, b.layer], ['bias', j, k + 1]);
          assert.equal(quantityLabel(b), biasName(j, k + 1));
        },
      ),
    );
  });
});
