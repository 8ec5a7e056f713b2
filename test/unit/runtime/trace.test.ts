/**
 * The panel's pass trace (src/runtime/trace.ts) against independent oracles: the seed's 2-3-1
 * network worked out by hand (the numbers example 01 checks, from the derivation), and PyTorch
 * float64 autograd (scripts/examples/trace_torch.py) on random nets with biases and batches, where
 * the trace is of a row picked at random (as the panel picks it) and ∂E/∂w the reduction over every
 * row. Which nets get a trace, and
 * that the terms add up to the recorded sums, is checked here too.
 */
import * as assert from 'assert/strict';
import { resolve } from 'path';
import { mulberry32 } from '../../../src/engine';
import {
  decodeNumber,
  type Num,
  type PassTrace,
  type TextPart,
} from '../../../src/protocol/results';
import { Session } from '../../../src/runtime/session';
import { TRACE_MAX_WEIGHTS } from '../../../src/runtime/trace';
import { runTorchOracle } from '../torchOracle';
import { host } from '../runHost';

const ORACLE = resolve(__dirname, '../../../../scripts/examples/trace_torch.py');

async function traceOf(cells: string[]): Promise<PassTrace | undefined> {
  const s = new Session();
  for (const c of cells) {
    const r = await s.runCell(c, host);
    assert.ok(r.ok, `${c}: ${JSON.stringify(r.problems)}`);
  }
  return s.snapshot()?.trace;
}

const near = (got: Num | undefined, want: number, tol: number, what: string) => {
  assert.ok(got !== undefined, `${what}: missing`);
  const v = decodeNumber(got);
  assert.ok(Math.abs(v - want) <= tol * Math.max(1, Math.abs(want)), `${what}: ${v}, want ${want}`);
};

const SEED = [
  'network 2 -> 3 sigmoid -> 1 sigmoid\nbias off\nloss half-squared\nweights [1] = [[0.15, 0.25, ' +
    '0.35], [0.20, 0.30, 0.40]]\nweights [2] = [[0.40], [0.45], [0.50]]\ninput x = [0.05, ' +
    '0.10]\ntarget t = [0.01]',
  'forward\nbackward',
];

describe('pass trace', function () {
  this.timeout(120_000);

  it('the seed’s 2-3-1 network, against the hand derivation', async () => {
    const tr = (await traceOf(SEED))!;
    assert.equal(tr.rows, 1);
    const [in1, in2] = tr.nodes[0];
    assert.deepEqual([in1.forward, in1.z, in2.a], [[], undefined, 0.1]);
    const h1 = tr.nodes[1][0];
    // z1[2] = w11[1]·x1 + w21[1]·x2 = 0.15·0.05 + 0.20·0.10
    assert.deepEqual(
      h1.forward.map((t) => [t.param, t.node]),
      [
        ['w11[1]', 'x1'],
        ['w21[1]', 'x2'],
      ],
    );
    near(h1.forward[0].value, 0.0075, 1e-15, 'w11[1]·x1');
    near(h1.forward[1].value, 0.02, 1e-15, 'w21[1]·x2');
    near(h1.z, 0.0275, 1e-15, 'z1[2]');
    near(h1.a, 0.5068745668, 1e-9, 'a1[2]');
    const out = tr.nodes[2][0];
    near(out.z, 0.6897158775, 1e-9, 'z1[3]');
    near(out.a, 0.6659037193, 1e-9, 'a1[3]');
    // δ1[3] = (a − t)·a(1 − a)
    near(out.dEda, 0.6659037193 - 0.01, 1e-9, '∂E/∂a1[3]');
    near(out.slope, 0.6659037193 * (1 - 0.6659037193), 1e-9, "g'(z1[3])");
    near(out.delta, 0.1459228069, 1e-9, 'δ1[3]');
    assert.equal(out.backward, undefined);
    // δ1[2] = g'(z1[2]) · w11[2]·δ1[3], the weight before any update
    assert.deepEqual(
      h1.backward?.map((t) => [t.param, t.node]),
      [['w11[2]', 'δ1[3]']],
    );
    near(h1.backward![0].value, 0.4 * 0.1459228069, 1e-9, 'w11[2]·δ1[3]');
    near(h1.sum, 0.4 * 0.1459228069, 1e-9, 'Σ of 1[2]');
    near(h1.slope, 0.5068745668 * (1 - 0.5068745668), 1e-9, "g'(z1[2])");
    near(h1.delta, 0.01458952219, 1e-9, 'δ1[2]');
    near(tr.nodes[1][2].delta, 0.01822528238, 1e-9, 'δ3[2]');
    // ∂E/∂w = δ × a, last layer first; one row, so the product is the gradient
    const g = new Map(tr.gradients!.map((x) => [x.param, x]));
    assert.equal(tr.gradients![0].param, 'w11[2]');
    assert.equal(tr.gradients!.length, 9);
    near(g.get('w11[2]')!.product, 0.07396455955, 1e-9, 'δ1[3]·a1[2]');
    near(g.get('w31[2]')!.value, 0.07505846607, 1e-9, '∂E/∂w31[2]');
    near(g.get('w11[1]')!.product, 0.0007294761095, 1e-9, 'δ1[2]·x1');
    near(g.get('w23[1]')!.value, 0.001822528238, 1e-9, '∂E/∂w23[1]');
    for (const x of tr.gradients!) assert.equal(x.product, x.value, x.param);
  });

  it('writes the line of every step, words and numbers, as worked out by hand', async () => {
    /** a line's words with each number a #, and its numbers */
    const split = (parts: TextPart[] | undefined) => {
      assert.ok(parts, 'a line');
      return {
        words: parts
          .map((p) => ('num' in p ? '#' : 'text' in p ? p.text : `\`${p.code}\``))
          .join(''),
        nums: parts.flatMap((p) => ('num' in p ? [decodeNumber(p.num)] : [])),
      };
    };
    const lineIs = (parts: TextPart[] | undefined, words: string, nums: number[]) => {
      const got = split(parts);
      assert.equal(got.words, words);
      assert.equal(got.nums.length, nums.length, words);
      got.nums.forEach((v, i) => near(v, nums[i], 1e-9, `${words}: number ${i + 1}`));
    };
    const tr = (await traceOf(SEED))!;
    const [h1, h2] = tr.nodes[1];
    const out = tr.nodes[2][0];
    const [a1, y] = [0.5068745668, 0.6659037193];
    // a2[2] = sigmoid(w12[1]·x1 + w22[1]·x2)
    const a2 = 1 / (1 + Math.exp(-(0.25 * 0.05 + 0.3 * 0.1)));
    lineIs(h1.forward[0].says, 'w11[1]·x1 = #', [0.0075]);
    lineIs(h1.forward[1].says, 'w21[1]·x2 = #', [0.02]);
    lineIs(h1.forward[0].sum, 'z1[2] = w11[1]·x1 = #', [0.0075]);
    lineIs(h1.forward[1].sum, 'z1[2] = w11[1]·x1 + w21[1]·x2 = # + #', [0.0075, 0.02]);
    lineIs(h1.lines?.za, 'z1[2] = #, a1[2] = sigmoid(z1[2]) = #', [0.0275, a1]);
    // the output's δ = ∂E/∂a · g'(z) = (a − t) · a(1 − a)
    lineIs(out.lines?.delta, "δ1[3] = ∂E/∂a1[3] · g'(z1[3]) = # · # = #", [
      y - 0.01,
      y * (1 - y),
      0.1459228069,
    ]);
    // a hidden node's Σ through w2q[2] (one term) and its δ = g'(z) · Σ
    lineIs(h2.backward![0].says, 'w21[2]·δ1[3] = #', [0.45 * 0.1459228069]);
    lineIs(h2.backward![0].sum, 'Σ = w21[2]·δ1[3] = #', [0.45 * 0.1459228069]);
    lineIs(h2.lines?.sum, 'Σ = Σq w2q[2]·δq[3] = #', [0.45 * 0.1459228069]);
    lineIs(h2.lines?.delta, "δ2[2] = g'(z2[2]) · Σ = # · # = #", [
      a2 * (1 - a2),
      0.45 * 0.1459228069,
      a2 * (1 - a2) * 0.45 * 0.1459228069,
    ]);
    const g = tr.gradients!.find((x) => x.param === 'w11[1]')!;
    lineIs(g.line, '∂E/∂w11[1] = δ1[2] · x1 = # · # = #', [0.01458952219, 0.05, 0.0007294761095]);
    assert.equal(tr.note, undefined, 'one row: nothing to say about rows');

    // a negative term is written − |t|; a bias is the last term; on a batch the trace says which
    // row it follows and ∂E/∂w is the mean over the rows: (3·(−4.5) + 1·(−0.5))/2 = −7
    const net = 'network 2 -> 1 identity\nweights [1] = [[1], [-2]]\nbiases [2] = [0.5]';
    const batch = (await traceOf([net + '\ndata = [3, 4 -> 0; 1, 1 -> 0]', 'forward\nbackward']))!;
    const z = batch.nodes[1][0];
    lineIs(z.forward[2].sum, 'z1[2] = w11[1]·x1 + w21[1]·x2 + b1[2] = # − # + #', [3, 8, 0.5]);
    lineIs(z.forward[1].says, 'w21[1]·x2 = #', [-8]);
    lineIs(z.lines?.za, 'z1[2] = #, a1[2] = identity(z1[2]) = #', [-4.5, -4.5]);
    lineIs(
      batch.gradients![0].line,
      '∂E/∂w11[1] = δ1[2] · x1 = # · # = # in row 1; over the 2 rows (mean) ∂E/∂w11[1] = #',
      [-4.5, 3, -13.5, -7],
    );
    lineIs(
      batch.note,
      'The animation follows row 1 of the 2 rows of the batch; ∂E/∂w is the mean over all 2.',
      [],
    );
  });

  it('after an update: the forward terms use the weights before it', async () => {
    const tr = (await traceOf([...SEED, 'update lr 0.5']))!;
    near(tr.nodes[1][0].forward[0].value, 0.0075, 1e-15, 'w11[1]·x1 with the old w11[1]');
  });

  it('only a forward: sums and values, no backward numbers', async () => {
    const tr = (await traceOf([SEED[0], 'forward']))!;
    assert.equal(tr.gradients, undefined);
    assert.equal(tr.nodes[2][0].delta, undefined);
    assert.equal(tr.nodes[1][0].backward, undefined);
  });

  it(
    `no trace without a pass, nor for a net of more than ` + `${TRACE_MAX_WEIGHTS} weights`,
    async () => {
      assert.equal(await traceOf([SEED[0]]), undefined);
      const big = 'network 2 -> 8 tanh -> 8 tanh -> 1 sigmoid\ninput x = [1, 2]\ntarget t = [1]';
      // 16 + 64 + 8 weights
      assert.equal(await traceOf([big, 'forward\nbackward']), undefined);
      const edge = 'network 2 -> 6 tanh -> 8 tanh -> 1 sigmoid\ninput x = [1, 2]\ntarget t = [1]';
      // 12 + 48 + 8 = 68 > 64; 2-4-8-1: 8 + 32 + 8 = 48
      assert.equal(await traceOf([edge, 'forward']), undefined);
      const small = 'network 2 -> 4 tanh -> 8 tanh -> 1 sigmoid\ninput x = [1, 2]\ntarget t = [1]';
      assert.ok(await traceOf([small, 'forward']));
    },
  );

  it('random nets with biases and batches, against PyTorch float64 autograd', async () => {
    const rand = mulberry32(1818);
    const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
    const dec = () => (Math.round((rand() * 2 - 1) * 1000) / 1000).toString();
    const ACTS = ['sigmoid', 'tanh', 'relu', 'identity'];
    const cases: { sizes: number[]; acts: string[]; bias: boolean; loss: string; red: string }[] =
      [];
    const inputs: { x: number[][]; row: number; [key: string]: unknown }[] = [];
    const traces: PassTrace[] = [];
    for (let c = 0; c < 40; c++) {
      const sizes = Array.from({ length: int(2, 4) }, () => int(1, 3));
      const acts = sizes.slice(1).map(() => ACTS[int(0, 3)]);
      const bias = rand() < 0.7,
        loss = rand() < 0.5 ? 'half-squared' : 'mse',
        red = rand() < 0.5 ? 'mean' : 'sum';
      const rows = int(1, 3),
        row = int(1, rows);
      const x = Array.from({ length: rows }, () =>
        sizes.slice(0, 1).flatMap((n) => Array.from({ length: n }, dec)),
      );
      const t = Array.from({ length: rows }, () => Array.from({ length: sizes.at(-1)! }, dec));
      const layers = sizes.map((n, k) => (k === 0 ? `${n}` : `${n} ${acts[k - 1]}`)).join(' -> ');
      const s = new Session();
      const text = [
        `network ${layers}${bias ? '' : '\nbias off'}\nloss ${loss} ${red}\ninit uniform 1 ` +
          `seed ${c + 1}`,
        `data = [${x.map((r, i) => `${r.join(', ')} -> ${t[i].join(', ')}`).join('; ')}]`,
        'forward\nbackward',
      ];
      for (const cell of text) {
        const r = await s.runCell(cell, host);
        assert.ok(r.ok, `${cell}: ${JSON.stringify(r.problems)}`);
      }
      const snap = s.snapshot(row)!;
      traces.push(snap.trace!);
      // the snapshot's a and δ, which the drawing and the node table show, are the trace's row's
      assert.deepEqual(
        [snap.row, snap.a, snap.delta!.slice(1)],
        [
          row,
          snap.trace!.nodes.map((l) => l.map((x) => x.a)),
          snap.trace!.nodes.slice(1).map((l) => l.map((x) => x.delta)),
        ],
      );
      cases.push({ sizes, acts, bias, loss, red });
      inputs.push({
        weights: snap.weights.map((m, k) =>
          Array.from({ length: sizes[k + 1] }, (_, j) => m.map((row) => decodeNumber(row[j]))),
        ),
        biases: snap.biases.map((b) => (bias ? b.map(decodeNumber) : null)),
        activations: acts,
        loss,
        reduction: red,
        x: x.map((r) => r.map(Number)),
        t: t.map((r) => r.map(Number)),
        row,
      });
    }
    interface Oracle {
      forward: number[][][];
      z: number[][];
      a: number[][];
      dEda: number[];
      hidden: { terms: number[]; sum: number; slope: number; delta: number }[][];
      grads: number[][][];
    }
    const theirs = runTorchOracle<Oracle[]>([ORACLE], JSON.stringify(inputs));
    const TOL = 1e-12;
    let compared = 0;
    traces.forEach((tr, c) => {
      const o = theirs[c],
        { sizes } = cases[c];
      const n = sizes.length;
      const at =
        `case ${c} (${sizes.join('-')} ${cases[c].acts}, ${cases[c].loss} ` + `${cases[c].red})`;
      assert.equal(tr.rows, inputs[c].x.length, at);
      // the trace says it follows the row asked for, the row PyTorch's numbers below are of
      assert.equal(tr.row, inputs[c].row, at);
      assert.equal(tr.reduction, cases[c].red, at);
      for (let k = 2; k <= n; k++)
        for (let j = 0; j < sizes[k - 1]; j++) {
          const node = tr.nodes[k - 1][j];
          const what = `${at} node ${j + 1}[${k}]`;
          assert.equal(node.forward.length, o.forward[k - 2][j].length, what);
          node.forward.forEach((term, i) =>
            near(term.value, o.forward[k - 2][j][i], TOL, `${what} ${term.param}`),
          );
          near(node.z, o.z[k - 2][j], TOL, `${what} z`);
          near(node.a, o.a[k - 2][j], TOL, `${what} a`);
          if (k === n) near(node.dEda, o.dEda[j], TOL, `${what} ∂E/∂a`);
          else {
            const h = o.hidden[k - 2][j];
            assert.equal(node.backward!.length, h.terms.length, what);
            node.backward!.forEach((term, q) =>
              near(term.value, h.terms[q], TOL, `${what} ${term.param}·${term.node}`),
            );
            near(node.sum, h.sum, TOL, `${what} Σ`);
            near(node.slope, h.slope, TOL, `${what} g'(z)`);
            near(node.delta, h.delta, TOL, `${what} δ`);
          }
          compared++;
        }
      // ∂E/∂w: the reduction over every row, beside the row's δ × a
      for (const g of tr.gradients!) {
        const m = /^w(\d)(\d)\[(\d)\]$/.exec(g.param)!;
        const [i, j, k] = [+m[1], +m[2], +m[3]];
        near(g.value, o.grads[k - 1][j - 1][i - 1], TOL, `${at} ∂E/∂${g.param}`);
        near(g.delta, decodeNumber(tr.nodes[k][j - 1].delta!), 0, `${at} δ of ${g.param}`);
        near(g.a, decodeNumber(tr.nodes[k - 1][i - 1].a), 0, `${at} a of ${g.param}`);
        compared++;
      }
    });
    assert.ok(compared > 200, `${compared} numbers compared`);
  });
});
