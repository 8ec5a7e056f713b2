/**
 * ∂E/∂x, ∂E/∂a and the loss that is one output node itself (issue 13), through the notebook: show,
 * explain, expect, per row and per batch. Expected values are worked out by hand in each test:
 * the 1-1-1 identity net without biases, x = 2, w11[1] = 3, w11[2] = 0.5, half-squared against
 * t = 1: z1[2] = a1[2] = 6, a1[3] = 3, δ1[3] = 3 − 1 = 2, ∂E/∂a1[2] = w11[2]·δ1[3] = 1,
 * δ1[2] = 1, ∂E/∂x1 = w11[1]·δ1[2] = 3, ∂E/∂a1[3] = a1[3] − t1 = 2.
 */
import { strict as assert } from 'assert';
import { parse } from '../../../src/language/parser';
import { validate } from '../../../src/language/validate';
import { Session } from '../../../src/runtime/session';
import type { CellRun } from '../../../src/runtime/types';
import type {
  DerivationItem,
  ExpectItem,
  MessageItem,
  TableItem,
} from '../../../src/protocol/results';
import { decodeNumber, type NetworkItem } from '../../../src/protocol/results';
import { NODE_COLUMNS, nodeRows } from '../../../src/views/gradients';
import { nodeDescription } from '../../../src/views/describe';
import { host, runOk } from '../runHost';
import { partsText } from '../../../src/protocol/text';

const NET = 'network 1 -> 1 identity -> 1 identity\nbias off\nw11[1] = 3\nw11[2] = 0.5';
const SAMPLE = `${NET}\ninput x = [2]\ntarget t = [1]\nforward\nbackward`;

const messages = (r: CellRun) =>
  r.items.filter((i): i is MessageItem => i.kind === 'message').map((m) => partsText(m.text));
const derivations = (r: CellRun) =>
  r.items.filter((i): i is DerivationItem => i.kind === 'derivation');
const expects = (r: CellRun) =>
  r.items.filter((i): i is ExpectItem => i.kind === 'expect').map((e) => [e.quantity, e.pass]);

describe('∂E/∂x, ∂E/∂a and loss output', () => {
  it('dE/dx1, dE/da1[2] and dE/da1[3] parse (they were refused as not quantities)', () => {
    for (const q of ['dE/dx1', 'dE/da1[2]', '∂E/∂a1[3]', 'dE/dx1(s2)'])
      assert.deepEqual(parse(`explain ${q}\nshow ${q}\nexpect ${q} = 0`).diagnostics, [], q);
  });

  it('show and expect give the hand-derived numbers', async () => {
    const r = await runOk(
      new Session(),
      `${SAMPLE}\nshow dE/dx1, dE/da1[2], dE/da1[3], dE/da1[1]\nexpect dE/dx1 = 3\nexpect ` +
        `dE/da1[2] = 1\nexpect dE/da1[3] = 2`,
    );
    assert.deepEqual(messages(r).slice(-4), [
      'dE/dx1 = 3',
      'dE/da1[2] = 1',
      'dE/da1[3] = 2',
      'dE/da1[1] = 3',
    ]);
    assert.deepEqual(expects(r), [
      ['dE/dx1', true],
      ['dE/da1[2]', true],
      ['dE/da1[3]', true],
    ]);
  });

  it('explain writes the sum over the next layer with its numbers', async () => {
    const r = await runOk(new Session(), `${SAMPLE}\nexplain dE/dx1\nexplain dE/da1[3]`);
    const [dx, da] = derivations(r);
    assert.equal(dx.quantity, '∂E/∂x1');
    assert.equal(dx.value, 3);
    const last = dx.steps.at(-1)!;
    assert.equal(last.symbolic, '∂E/∂x1 = Σj w1j[1]·δj[2]');
    assert.equal(last.substituted, '3·1');
    assert.deepEqual(
      dx.steps.map((s) => s.symbolic.split(' =')[0]),
      ["g'(z1[3])", 'δ1[3]', "g'(z1[2])", 'δ1[2]', '∂E/∂x1'],
    );
    assert.equal(da.quantity, '∂E/∂a1[3]');
    assert.equal(da.steps.at(-1)!.symbolic, '∂E/∂a1[3] = a1[3] − t1');
    assert.equal(da.steps.at(-1)!.substituted, '3 − 1');
  });

  it(
    'on a batch: each row its own, and show lists every row with the batch ' + 'loss’s share',
    async () => {
      // rows x = 1, 2 against t = 0: a1[3](s) = 1.5·x(s), δ1[3](s) = 1.5·x(s), ∂Es/∂x1(s) =
      // 1.5·1.5·x(s)
      const r = await runOk(
        new Session(),
        `${NET}\ndata = [1 -> 0; 2 -> 0]\nforward\nbackward\nshow dE/dx1\nshow ` +
          `dE/dx1(s2)\nexplain ` +
          `dE/dx1(s2)\nexpect dE/dx1(s2) = 4.5`,
      );
      const table = r.items.find(
        (i): i is TableItem => i.kind === 'table' && i.title.startsWith('∂E/∂x1'),
      )!;
      assert.deepEqual(table.columns, ['row s', '∂Es/∂x1(s)', '∂E/∂x1(s) = (1/2)·∂Es/∂x1(s)']);
      assert.deepEqual(table.rows, [
        [1, 2.25, 1.125],
        [2, 4.5, 2.25],
      ]);
      assert.equal(messages(r).at(-1), 'dE/dx1(s2) = 4.5');
      const d = derivations(r)[0];
      assert.equal(d.quantity, '∂E(s2)/∂x1(s2)');
      // the row's own derivative as a fraction (it rendered as ∂E^(2)/∂x1^(2), a slash between
      // names)
      assert.ok(
        d.steps.at(-1)!.latex.startsWith('\\frac{\\partial E^{(2)}}{\\partial x_{1}^{(2)}}'),
        d.steps.at(-1)!.latex,
      );
      assert.equal(d.value, 4.5);
      assert.deepEqual(expects(r), [['dE/dx1(s2)', true]]);
    },
  );

  it(
    'loss output: E is the output node itself, δ = g′(z), and ∂E/∂x is ∂f/∂x ' + 'without a target',
    async () => {
      // two outputs: E = a2[3] = 3·(w12[2]·a1[2]), a1[2] = tanh(x) with x = 0: ∂E/∂x1 =
      // w11[1]·w12[2]·tanh′(0) = 3
      const r = await runOk(
        new Session(),
        'network 1 -> 1 tanh -> 2 identity\nloss output 2\nbias off\nw11[1] = 1\nw11[2] = ' +
          '7\nw12[2] = 3\ninput x = [0.5]\nbackward\nshow E, δ1[3], δ2[3]\nexplain ' +
          'δ1[3]\nexplain dE/dx1',
      );
      const tanh = Math.tanh(0.5);
      const [E, d1, d2] = messages(r).slice(-3);
      assert.equal(E, `E = ${Number((3 * tanh).toPrecision(10))}`);
      assert.equal(d1, 'δ1[3] = 0');
      assert.equal(d2, 'δ2[3] = 1');
      const [zero, dx] = derivations(r);
      assert.equal(zero.steps.at(-1)!.symbolic, 'δ1[3] = ∂a2[3]/∂z1[3] = 0 (E is a2[3] alone)');
      // ∂a2[3]/∂x1 = w12[2]·(1 − tanh²)·w11[1]
      assert.ok(Math.abs(decodeNumber(dx.value) - 3 * (1 - tanh * tanh)) < 1e-15, String(dx.value));
      assert.match(
        messages(r).find((m) => m.startsWith('E ='))!,
        /E = a2\[3\], output node 2 itself/,
      );
    },
  );

  it(
    'the panel’s node table and tooltips draw the runtime’s ∂E/∂x and ∂E/∂a of the ' + 'first row',
    async () => {
      const s = new Session();
      const r = await runOk(s, `${SAMPLE}\nshow network`);
      const item = r.items.find((i): i is NetworkItem => i.kind === 'network')!;
      assert.deepEqual(item.snapshot.activationGrad, [[3], [1], [2]]);
      const rows = nodeRows(item.snapshot);
      const column = NODE_COLUMNS.indexOf('∂E/∂a (∂E/∂x in L1)');
      assert.deepEqual(
        rows.map((row) => [row[0], row[column]]),
        [
          ['1[1]', 3],
          ['1[2]', 1],
          ['1[3]', 2],
        ],
      );
      assert.match(nodeDescription(item.snapshot, 1, 1), /∂E\/∂x = 3$/);
      assert.match(nodeDescription(item.snapshot, 2, 1), /δ = 1, ∂E\/∂a = 1$/);
    },
  );

  it('loss output j names a node of the output layer', async () => {
    const { program } = parse('network 1 -> 2\nloss output 3');
    assert.deepEqual(
      validate(program).map((x) => x.code),
      ['BPNB203'],
    );
    const r = await new Session().runCell('network 1 -> 2\nloss output 3', host);
    assert.equal(r.ok, false);
  });
});
