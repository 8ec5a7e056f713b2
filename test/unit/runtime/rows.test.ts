/**
 * Any row of a batch (issue 13): `(sN)` after z, a, δ, x or t picks row N for show, explain and
 * expect; on a batch, show of such a quantity lists every row with the batch loss's ∂E/∂z(s). The
 * panel's snapshot and trace of any row (issue 18). Expected values are worked out by hand in each
 * test.
 */
import { strict as assert } from 'assert';
import { parse } from '../../../src/language/parser';
import { Session } from '../../../src/runtime/session';
import type { CellRun } from '../../../src/runtime/types';
import {
  decodeNumber,
  type DerivationItem,
  type ExpectItem,
  type MessageItem,
  type Num,
  type TableItem,
} from '../../../src/protocol/results';
import { host, runOk } from '../runHost';
import { partsText } from '../../../src/protocol/text';

// identity net, w = 1, b = 0: z = a = x per row; half-squared against t = 0 gives δ(s) = x(s)
const BATCH =
  'network 1 -> 1 identity\nw11[1] = 1\nb1[2] = 0\ndata = [1 -> 0; 2 -> 0; 4 -> ' +
  '0]\nforward\nbackward';

const messages = (r: CellRun) =>
  r.items.filter((i): i is MessageItem => i.kind === 'message').map((m) => partsText(m.text));

describe('any row of a batch', () => {
  it('show picks row N of z, a, δ, x and t', async () => {
    const s = new Session();
    const r = await runOk(
      s,
      `${BATCH}\nshow z1[2](s2), a1[2](s3), δ1[2](s3), x1(s2), t1(s3), dE/db1[2]`,
    );
    assert.deepEqual(messages(r).slice(-6, -1), [
      'z1[2](s2) = 2',
      'a1[2](s3) = 4',
      'δ1[2](s3) = 4',
      'x1(s2) = 2',
      't1(s3) = 0',
    ]);
    // the batch's gradient is the mean over rows: (1/3)·(1 + 2 + 4)
    assert.match(messages(r).at(-1)!, /^dE\/db1\[2\] = 2\.33333/);
  });

  it("the panel's snapshot says which row of the batch its z, a and δ are", async () => {
    const s = new Session();
    await runOk(s, BATCH);
    const snap = s.snapshot()!;
    assert.deepEqual([snap.row, snap.rows], [1, 3]);
    // row 1's numbers: x = 1, so z = a = δ = 1
    assert.deepEqual([snap.z![1][0], snap.a![1][0], snap.delta![1][0]], [1, 1, 1]);
    const one = new Session();
    await runOk(one, 'network 1 -> 1 identity\ninput x = [3]\ntarget t = [0]\nforward');
    assert.deepEqual([one.snapshot()!.row, one.snapshot()!.rows], [1, 1]);
  });

  it("the panel's snapshot and pass trace of a chosen row (issue 18), by hand", async () => {
    // x → z2 = 2x = a2 → z3 = 3·a2 = a3; half-squared against t = 0: δ3 = a3 = 6x, δ2 = 3·δ3 = 18x
    const s = new Session();
    await runOk(
      s,
      'network 1 -> 1 identity -> 1 identity\nbias off\nw11[1] = 2\nw11[2] = 3\ndata = [1 -> 0; ' +
        '2 -> 0; 4 -> 0]\nforward\nbackward',
    );
    const nodes = (row?: number) => {
      const snap = s.snapshot(row)!;
      const v = (m: Num[][] | undefined) => m!.map((l) => l.map(decodeNumber));
      return {
        row: [snap.row, snap.rows, snap.trace!.row, snap.trace!.rows],
        z: v(snap.z),
        a: v(snap.a),
        delta: v(snap.delta),
        dEda: v(snap.activationGrad),
      };
    };
    // row 2, x = 2: a2 = 4, a3 = 12, δ3 = 12, δ2 = 36 (= ∂E/∂a2), ∂E/∂x = 2·36 = 72
    assert.deepEqual(nodes(2), {
      row: [2, 3, 2, 3],
      z: [[], [4], [12]],
      a: [[2], [4], [12]],
      delta: [[], [36], [12]],
      dEda: [[72], [36], [12]],
    });
    assert.deepEqual(nodes().row, [1, 3, 1, 3], 'row 1 unless asked');
    assert.deepEqual(nodes().a, [[1], [2], [6]]);
    // a row beyond the batch is its last (x = 4), a row below it the first
    assert.deepEqual(nodes(9).row, [3, 3, 3, 3]);
    assert.deepEqual(nodes(9).delta, [[], [72], [24]]);
    assert.deepEqual(nodes(0).row, [1, 3, 1, 3]);
    const tr = s.snapshot(2)!.trace!;
    const out = tr.nodes[2][0],
      hidden = tr.nodes[1][0];
    assert.deepEqual(
      [out.forward[0].value, out.z, out.a, out.dEda, out.slope, out.delta],
      [12, 12, 12, 12, 1, 12],
    );
    // Σ = w11[2]·δ1[3] = 3·12
    assert.deepEqual([hidden.backward![0].value, hidden.sum, hidden.delta], [36, 36, 36]);
    // δ × a in row 2; ∂E/∂w over the 3 rows: mean of 6x·2x and of 18x·x, x = 1, 2, 4
    const g = new Map(tr.gradients!.map((x) => [x.param, [x.delta, x.a, x.product, x.value]]));
    assert.deepEqual(g.get('w11[2]'), [12, 4, 48, (12 * 21) / 3]);
    assert.deepEqual(g.get('w11[1]'), [36, 2, 72, (18 * 21) / 3]);
    assert.equal(
      partsText(tr.note!),
      'The animation follows row 2 of the 3 rows of the batch; ∂E/∂w is the mean over all 3.',
    );
  });

  it('explain δ of a chosen row derives that row, and expect checks it', async () => {
    const s = new Session();
    const r = await runOk(
      s,
      `${BATCH}\nexplain δ1[2](s2)\nexpect δ1[2](s2) = 2\nexpect z1[2](s3) = 4`,
    );
    const d = r.items.find((i): i is DerivationItem => i.kind === 'derivation')!;
    assert.equal(d.quantity, 'δ1[2](s2)');
    assert.equal(d.value, 2);
    assert.match(d.steps.at(-1)!.substituted, /\(2 − 0\)/);
    const expects = r.items.filter((i): i is ExpectItem => i.kind === 'expect');
    assert.deepEqual(
      expects.map((e) => [e.quantity, e.actual, e.pass]),
      [
        ['δ1[2](s2)', 2, true],
        ['z1[2](s3)', 4, true],
      ],
    );
  });

  it('a row that is not in the batch, or a row of a weight, is refused', async () => {
    const s = new Session();
    await runOk(s, BATCH);
    const missing = await s.runCell('show a1[2](s4)', host);
    assert.equal(missing.ok, false);
    assert.match(
      missing.problems[0].message,
      /row 4 is not there: the last forward pass had 3 rows/,
    );
    assert.match(
      parse('show w11[1](s2)')
        .diagnostics.map((d) => d.code)
        .join(),
      /BPNB124/,
    );
    assert.deepEqual(parse('show δ1[2](s12)').diagnostics, []);
  });

  it(
    'show δ on a batch lists every row: δ(s) = ∂Es/∂z(s) and the mean’s share (1/m)·δ(s), which ' +
      'add up to ∂E/∂b',
    async () => {
      const s = new Session();
      const r = await runOk(s, `${BATCH}\nshow δ1[2]`);
      const t = r.items.find(
        (i): i is TableItem => i.kind === 'table' && i.title === 'δ1[2] in every row',
      )!;
      assert.deepEqual(
        t.rows.map((row) => row.slice(0, 2)),
        [
          [1, 1],
          [2, 2],
          [3, 4],
        ],
      );
      const shares = t.rows.map((row) => row[2] as number);
      assert.deepEqual(shares, [1 / 3, 2 / 3, 4 / 3]);
      const sum = await runOk(s, 'loss half-squared sum\nforward\nbackward\nshow δ1[2]');
      const ts = sum.items.find(
        (i): i is TableItem => i.kind === 'table' && i.title === 'δ1[2] in every row',
      )!;
      assert.deepEqual(
        ts.rows.map((row) => row[2]),
        [1, 2, 4],
      );
    },
  );
});
