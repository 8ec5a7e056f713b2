/**
 * What a learner sees is what the engine computed (issue: every number on screen is the engine's
 * number). Expected values are derived by hand in each test, never read from the engine.
 */
import { strict as assert } from 'assert';
import { Session } from '../../../src/runtime/session';
import type { CellRun } from '../../../src/runtime/types';
import type { LossCurveItem, MessageItem, Num, TableItem } from '../../../src/protocol/results';
import { decodeNumber } from '../../../src/protocol/results';
import { itemsToMarkdown, itemsToText, partsText } from '../../../src/protocol/text';
import { host } from '../runHost';
import { fmt } from '../../../src/runtime/errors';

async function run(s: Session, text: string): Promise<CellRun> {
  return s.runCell(text, host);
}

const messages = (r: CellRun) =>
  r.items.filter((i): i is MessageItem => i.kind === 'message').map((m) => partsText(m.text));
const curve = (r: CellRun) => r.items.find((i) => i.kind === 'lossCurve') as LossCurveItem;
const close = (a: number, b: number, tol = 1e-12) =>
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} vs ${b}`);

/** E of `show loss` (the number after `E = `). */
function shownLoss(r: CellRun): number {
  const m = messages(r)
    .map((t) => /^E = (\S+)/.exec(t))
    .find(Boolean);
  assert.ok(m, messages(r).join('\n'));
  return Number(m[1]);
}

describe('the numbers a learner sees', () => {
  it(
    'train reports E with the weights it leaves: full batch, 3 epochs, x = 1,2,' + '3, t = 2x',
    async () => {
      const s = new Session();
      const r = await run(
        s,
        'network 1 -> 1 identity\nbias off\nw11[1] = 0\ndata = [1 -> 2; 2 -> 4; 3 -> 6]\ntrain ' +
          'epochs 3 lr 0.1 log 1\nshow loss',
      );
      assert.equal(r.ok, true, JSON.stringify(r.problems));
      // by hand: E(w) = ½·(w − 2)²·mean(x²) = (7/3)(w − 2)², ∂E/∂w = (14/3)(w − 2)
      const E = (w: number) => (7 / 3) * (w - 2) ** 2;
      const ws = [0];
      for (let e = 0; e < 3; e++) ws.push(ws[e] - 0.1 * (14 / 3) * (ws[e] - 2));
      const c = curve(r);
      assert.deepEqual(
        c.points.map((p) => p[0]),
        [0, 1, 2, 3],
      );
      c.points.forEach(([, loss], e) => close(loss as number, E(ws[e])));
      const summary = messages(r).find((t) => t.startsWith('trained'))!;
      assert.match(summary, /^trained 3 epochs \(3 steps, .*E 9\.333333333 → 0\.2147974614 /);
      close(shownLoss(r), E(ws[3]), 1e-9);
      const log = r.items.find(
        (i) => i.kind === 'table' && i.title.startsWith('loss every'),
      ) as TableItem;
      assert.deepEqual(
        log.rows.map((row) => row[0]),
        [0, 1, 2, 3],
      );
    },
  );

  it('the loss curve of one epoch says "over 1 epoch"', async () => {
    // by hand: x = 1, t = 2, w: 0 → 0 − 0.1·(0 − 2) = 0.2; E = ½(w − 2)²: 2, then 1.62
    const r = await run(
      new Session(),
      'network 1 -> 1 identity\nbias off\nw11[1] = 0\ndata = [1 -> 2]\ntrain epochs 1 lr 0.1',
    );
    assert.equal(r.ok, true, JSON.stringify(r.problems));
    assert.equal(partsText(curve(r).summary), 'E = ½·Σ(a − t)²: from 2 to 1.62 over 1 epoch');
  });

  it('`log N` lists every N-th epoch of a run long enough to thin the loss curve', async () => {
    const s = new Session();
    // by hand: one row x = 1, t = 2, E(w) = ½(w − 2)², w ← w − η(w − 2), so w − 2 shrinks by
    // (1 − η) per epoch: E after e epochs = ½·4·(1 − η)^(2e); 2500 epochs thin the curve to every
    // 4th epoch, which drops 250, 750, …
    const r = await run(
      s,
      'network 1 -> 1 identity\nbias off\nw11[1] = 0\ndata = [1 -> 2]\n' +
        'train epochs 2500 lr 0.001 log 250',
    );
    assert.equal(r.ok, true, JSON.stringify(r.problems));
    const log = r.items.find((i) => i.kind === 'table') as TableItem;
    assert.equal(log.title, 'loss every 250 epochs');
    const epochs = Array.from({ length: 11 }, (_, k) => 250 * k);
    assert.deepEqual(
      log.rows.map((row) => row[0]),
      epochs,
    );
    log.rows.forEach((row, k) =>
      close(decodeNumber(row[1] as Num), 2 * 0.999 ** (2 * epochs[k]), 1e-9),
    );
  });

  it('`until E < v` tests E with the current weights, not the epoch before', async () => {
    const s = new Session();
    // E after epochs 1, 2, 3 (by hand, as above): 2.4 ·(…); stop below 0.8: epoch 2 has E ≈ 0.7551,
    // epoch 3 ≈ 0.2148
    const E = (w: number) => (7 / 3) * (w - 2) ** 2;
    const ws = [0];
    for (let e = 0; e < 4; e++) ws.push(ws[e] - 0.1 * (14 / 3) * (ws[e] - 2));
    assert.ok(E(ws[2]) < 0.8 && E(ws[1]) > 0.8);
    const r = await run(
      s,
      'network 1 -> 1 identity\nbias off\nw11[1] = 0\ndata = [1 -> 2; 2 -> 4; 3 -> 6]\ntrain ' +
        'epochs 10 lr 0.1 until E < 0.8\nshow w11[1]',
    );
    assert.match(
      messages(r).find((t) => t.startsWith('trained'))!,
      /^trained 2 epochs .*target loss reached/,
    );
    close(Number(/w11\[1\] = (\S+)/.exec(messages(r).at(-1)!)![1]), ws[2], 1e-9);
  });

  it(
    'train steps N shorter than an epoch: the steps, E before and after, a curve of ' +
      'two points',
    async () => {
      const s = new Session();
      // three equal rows make the order irrelevant: online, lr 0.1, w: 0 → 0.2 → 0.38; E = ½(w −
      // 2)²
      const r = await run(
        s,
        'network 1 -> 1 identity\nbias off\nw11[1] = 0\ndata = [1 -> 2; 1 -> 2; 1 -> 2]\ntrain ' +
          'steps 2 batch online lr 0.1 log 1',
      );
      assert.equal(r.ok, true, JSON.stringify(r.problems));
      const summary = messages(r).find((t) => t.startsWith('trained'))!;
      assert.match(summary, /^trained 0 epochs and 2 of 3 rows \(2 steps, .*E 2 → 1\.3122 /);
      const c = curve(r);
      assert.equal(c.points.length, 2);
      close(c.points[0][0], 0);
      close(c.points[1][0], 2 / 3);
      close(c.points[1][1] as number, 0.5 * (0.38 - 2) ** 2);
      // the curve's words carry the same numbers, the fraction of an epoch as a number
      const nums = c.summary.flatMap((p) => ('num' in p ? [decodeNumber(p.num)] : []));
      assert.deepEqual(nums.slice(0, 1), [2]);
      close(nums[1], 0.5 * (0.38 - 2) ** 2);
      close(nums[2], 2 / 3);
      assert.match(partsText(c.summary), / over 0\.6+7 epochs$/);
    },
  );

  it('9,999 steps on one row report 9,999 epochs (the history ends at the end)', async () => {
    const s = new Session();
    const r = await run(
      s,
      'network 1 -> 1 identity\nbias off\nw11[1] = 0\ninput x = [1]\ntarget t = [1]\ntrain steps ' +
        '9999 lr 0.001',
    );
    const c = curve(r);
    assert.equal(c.points.at(-1)![0], 9999);
    // w_n = 1 − 0.999^n, E = ½(1 − w)² = ½·0.999^(2n)
    close(c.points.at(-1)![1] as number, 0.5 * 0.999 ** (2 * 9999), 1e-9);
    assert.match(
      messages(r).find((t) => t.startsWith('trained'))!,
      /^trained 9999 epochs/,
    );
  });

  it(
    'E after forward on a dataset is the batch loss against its targets, with or without a ' +
      '`target` line',
    async () => {
      // rows (1 → 0), (2 → 0), w = 1: E = mean of ½·1², ½·2² = 1.25 (the old t = 5 plays no part)
      for (const target of ['target t = [5]\n', '']) {
        const s = new Session();
        const r = await run(
          s,
          `network 1 -> 1 identity\nbias off\nw11[1] = 1\n${target}data = [1 -> 0; 2 -> ` +
            `0]\nforward\nshow loss`,
        );
        assert.equal(r.ok, true, JSON.stringify(r.problems));
        assert.equal(shownLoss(r), 1.25);
      }
    },
  );

  it(
    'update and step without lr use η = 0.5 (the default), whatever η came before, ' + 'and say so',
    async () => {
      const s = new Session();
      const r = await run(
        s,
        'network 1 -> 1 identity\nbias off\nw11[1] = 1\ninput x = [1]\ntarget t = ' +
          '[0]\nbackward\nupdate lr 0.1\nstep\nshow w11[1]',
      );
      // w: 1 − 0.1·1 = 0.9, then ∂E/∂w = 0.9·1: 0.9 − 0.5·0.9 = 0.45
      assert.equal(messages(r).at(-1), 'w11[1] = 0.45   (∂E/∂w11[1] = 0.9)');
      assert.ok(messages(r).includes('w ← w − η·∂E/∂w with η = 0.1'));
      assert.ok(messages(r).some((t) => /^w ← w − η·∂E\/∂w with η = 0\.5 \(the default/.test(t)));
    },
  );

  it(
    'update and step stop at a non-finite value, as train does, and keep the last ' +
      'finite weights',
    async () => {
      const s = new Session();
      // a = 1e150·w, ∂E/∂w = a·x = 1e300: one step of η = 1e10 would make w = 1 − 1e310 = −∞
      const r = await run(
        s,
        'network 1 -> 1 identity\nbias off\nw11[1] = 1\ninput x = [1e150]\ntarget t = ' +
          '[0]\nbackward\nupdate lr 1e10',
      );
      assert.equal(r.ok, false);
      assert.match(
        r.problems[0].message,
        /diverged: the update with η = 10000000000 would make w11\[1\] = -Infinity/,
      );
      const after = await run(s, 'show w11[1]');
      assert.equal(messages(after)[0], 'w11[1] = 1');
      // E itself not finite: step refuses before updating
      const t = new Session();
      const big = await run(
        t,
        'network 1 -> 1 identity\nbias off\nw11[1] = 1e200\ninput x = [1e200]\ntarget t = ' +
          '[0]\nstep',
      );
      assert.equal(big.ok, false);
      assert.match(
        big.problems[0].message,
        /diverged: E = Infinity with the current weights; nothing was updated/,
      );
    },
  );

  it(
    'expect prints the expected value as written, every digit of the actual one and the exact ' +
      'difference',
    async () => {
      const s = new Session();
      const r = await run(
        s,
        'network 1 -> 1 sigmoid\nbias off\nw11[1] = 0.0275\ninput x = [1]\ntarget t = ' +
          '[0]\nforward\nexpect a1[2] = 0.5068745668 ± 1e-9',
      );
      // σ(0.0275) by hand (series-free: Math.exp is the oracle's only tool)
      const a = 1 / (1 + Math.exp(-0.0275));
      const item = r.items.find((i) => i.kind === 'expect')!;
      assert.ok(item.kind === 'expect');
      assert.equal(item.actual, a);
      const line = itemsToText([item]);
      assert.equal(
        line,
        `expect a1[2] = 0.5068745668 ± 1e-9: got ${String(a)}, difference ${item.difference}  ok`,
      );
      assert.match(item.difference!, /^-?\d\.\d+e-\d+$/);
    },
  );

  it(
    'expect without a tolerance shows the default one as a decimal (1e-9·12 = 1.2e-8), in text ' +
      'and Markdown',
    async () => {
      const s = new Session();
      const r = await run(
        s,
        'network 1 -> 1 identity\nbias off\nw11[1] = 12\ninput x = [1]\ntarget t = ' +
          '[0]\nforward\nexpect a1[2] = 12\nexpect a1[2] = 12.000000012\nexpect a1[2] = ' +
          '12.0000000121',
      );
      const items = r.items.filter((i) => i.kind === 'expect');
      assert.deepEqual(
        items.map((i) => i.kind === 'expect' && i.tolerance),
        [1.2e-8, 1.2000000012e-8, 1.20000000121e-8],
      );
      assert.equal(
        itemsToText(items),
        [
          'expect a1[2] = 12 ± 1.2e-8: got 12, difference 0  ok',
          'expect a1[2] = 12.000000012 ± 1.2000000012e-8: got 12, difference -1.2e-8  ok',
          'expect a1[2] = 12.0000000121 ± 1.20000000121e-8: got 12, difference -1.21e-8  FAILED',
        ].join('\n\n'),
      );
      assert.match(
        itemsToMarkdown(items),
        /expect a1\\\[2\\\] = 12 ± 1\.2e-8: got 12, difference 0 {2}ok/,
      );
      assert.doesNotMatch(itemsToMarkdown(items), /0000000000|9999999999/);
    },
  );

  it(
    'expect: a tolerance includes its boundary as written (|1 − 1.1| = 0.1), and inequalities ' +
      'show every digit',
    async () => {
      const s = new Session();
      const r = await run(
        s,
        'network 1 -> 1 identity\nbias off\nw11[1] = 1\ninput x = [1]\ntarget t = ' +
          '[0]\nforward\nexpect a1[2] = 1.1 ± 0.1\nexpect a1[2] = 0.9 ± 0.1',
      );
      assert.equal(r.ok, true, JSON.stringify(r.items));
      assert.equal(r.expectations.failed, 0);
      const narrow = await run(s, 'expect a1[2] = 1.1 ± 0.0999999');
      assert.equal(narrow.ok, false);
      const t = new Session();
      const ineq = await run(
        t,
        'network 1 -> 1 identity\nbias off\nw11[1] = 0.9999999\ninput x = [1]\ntarget t = ' +
          '[0]\nforward\nexpect a1[2] >= 1',
      );
      assert.equal(
        itemsToText(ineq.items.filter((i) => i.kind === 'expect')),
        'expect a1[2] >= 1: got 0.9999999  FAILED',
      );
    },
  );

  it('gradcheck tables show the difference they decide on, beside the one allowed', async () => {
    const cells = [
      // the seed's net: every parameter ok
      'network 2 -> 2 sigmoid -> 1 sigmoid\nweights [1] = [[0.15, 0.25], [0.2, 0.3]]\n' +
        'input x = [0.05, 0.1]\ntarget t = [0.01]\ngradcheck',
      // a coarse ε: some parameters fail
      'network 1 -> 1 sigmoid\nbias off\nw11[1] = 0.3\ninput x = [1]\ntarget t = [1]\n' +
        'gradcheck eps 0.5 tol 1e-9',
      // an expression
      'x = 3\ny = -4\nf = x * y + x^2\ngradcheck f',
    ];
    const verdicts = new Set<string>();
    for (const cell of cells) {
      const r = await run(new Session(), cell);
      const table = r.items.find((i) => i.kind === 'table') as TableItem;
      const col = (name: string) => table.columns.indexOf(name);
      assert.ok(col('|difference|') > 0 && col('allowed |difference|') > 0, table.columns.join());
      for (const row of table.rows) {
        const n = (c: number) => decodeNumber(row[c] as Num);
        const diff = n(col('|difference|'));
        // the difference is |shown analytic − shown numeric| (both columns are full precision)
        assert.equal(diff, Math.abs(n(1) - n(2)), String(row));
        const verdict = String(row.at(-1));
        verdicts.add(verdict);
        assert.equal(verdict !== 'FAIL', diff <= n(col('allowed |difference|')), String(row));
      }
    }
    assert.ok(verdicts.has('ok') && verdicts.has('FAIL'), [...verdicts].join());
  });

  it(
    'gradcheck: a large E does not fail a correct gradient, and a ReLU at its kink is ' +
      'reported as such',
    async () => {
      const s = new Session();
      // E ≈ ½·(10⁶)², ∂E/∂w21[1] = a·x2 ≈ 10⁻³: a central difference of E cannot resolve it (ulp(E)
      // ≈ 6e-5, the change 2ε·10⁻³ = 2e-8), so E(p + ε) = E(p − ε): that row is not checked, and
      // not failed; ∂E/∂w11[1] = a·x1 ≈ 10⁹ is
      const r = await run(
        s,
        'network 2 -> 1 identity\nbias off\nweights [1] = [[1000], [1]]\ninput x = [1000, ' +
          '1e-9]\ntarget t = [0]\ngradcheck',
      );
      const large = r.items.find((i) => i.kind === 'table') as TableItem;
      assert.deepEqual(
        large.rows.map((row) => row.at(-1)),
        ['ok', 'E(p + ε) rounds to E(p − ε)'],
      );
      assert.match(messages(r).at(-1)!, /^gradcheck incomplete: 1 of 1 parameters agree; 1 not /);
      // relu at z = 0 exactly: relu'(0) = 0 by convention, the difference sees slopes 0 and 1
      const k = new Session();
      const kink = await run(
        k,
        'network 1 -> 1 relu\nbias off\nw11[1] = 0\ninput x = [1]\ntarget t = [1]\ngradcheck',
      );
      assert.equal(kink.ok, true, messages(kink).join('\n'));
      const table = kink.items.find((i) => i.kind === 'table') as TableItem;
      assert.equal(table.rows[0].at(-1), 'kink');
      assert.match(messages(kink).at(-1)!, /0 of 0 parameters agree; 1 at a kink/);
      // and a wrong gradient still fails: the same net away from the kink, tolerance 0 can't hide a
      // real error
      const wrong = new Session();
      const w = await run(
        wrong,
        'network 1 -> 1 sigmoid\nbias off\nw11[1] = 0.3\ninput x = [1]\ntarget t = ' +
          '[1]\ngradcheck ' +
          'eps 0.5 tol 1e-9',
      );
      assert.equal(
        w.ok,
        false,
        'a coarse ε makes the difference wrong by O(ε²): it must be caught',
      );
    },
  );

  it('gradcheck where E is not finite says so and fails no gradient (net, graph)', async () => {
    // by hand: z = 1e300·1e10 overflows to Infinity, so E = ½·(∞ − 0)² = ∞ at these weights
    const net = await run(
      new Session(),
      'network 1 -> 1 identity\nbias off\nw11[1] = 1e300\ninput x = [1e10]\ntarget t = [0]\n' +
        'gradcheck',
    );
    assert.equal(net.ok, false, 'an unchecked gradcheck does not pass');
    assert.equal(net.expectations.failed, 1);
    assert.equal(
      net.items.some((i) => i.kind === 'table'),
      false,
      'no table of NaN rows',
    );
    const said = messages(net).find((m) => m.startsWith('gradcheck'))!;
    assert.match(said, /^gradcheck cannot check the gradients here: E = Infinity, not a finite/);
    for (const out of [itemsToText(net.items), itemsToMarkdown(net.items)]) {
      assert.match(out, /E = Infinity, not a finite number/);
      assert.doesNotMatch(out, /FAIL|NaN/);
    }
    // log(0) = −∞, and −∞·0 = NaN
    const expr = await run(new Session(), 'x = 0\nf = log(x) * x\ngradcheck f');
    const text = itemsToText(expr.items);
    assert.match(text, /gradcheck f: f = NaN here, not a finite number, so central differences/);
    assert.doesNotMatch(text, /\bFAIL\b/);
    assert.equal(
      expr.items.some((i) => i.kind === 'table'),
      false,
    );
    assert.deepEqual(expr.expectations, { total: 1, failed: 1 }, 'nothing checked: not a pass');
  });

  it(
    'gradcheck where p ± ε rounds to p, or E(p + ε) to E(p − ε), checks nothing there: ' +
      'incomplete, not passed (net, graph)',
    async () => {
      const gradcheck = async (text: string) => {
        const r = await run(new Session(), text);
        const rows = (r.items.find((i) => i.kind === 'table') as TableItem).rows;
        const said = messages(r).find((m) => m.startsWith('gradcheck'))!;
        return { r, verdicts: rows.map((row) => row[row.length - 1]), said };
      };
      // by hand: the float64 next to 1e150 is 2^446 ≈ 1.9e134 away, so 1e150 ± 1e-5 is 1e150 and
      // the difference is 0 whatever the gradient; E = ½·(1e150)² = 5e299 is finite, and its
      // rounding allowance (≈ 4.4e289) used to pass ∂E/∂w = 1e150 with relative error 1
      const huge = await gradcheck(
        'network 1 -> 1 identity\nbias off\nw11[1] = 1e150\ninput x = [1]\ntarget t = [0]\n' +
          'gradcheck',
      );
      assert.equal(huge.r.ok, false, 'nothing was checked: not a pass');
      assert.equal(huge.r.expectations.failed, 1);
      assert.deepEqual(huge.verdicts, ['p ± ε rounds to p']);
      assert.equal(
        huge.said,
        'gradcheck incomplete: 0 of 0 parameters agree; 1 not checked: p ± ε rounds to p',
      );
      for (const out of [itemsToText(huge.r.items), itemsToMarkdown(huge.r.items)]) {
        assert.match(out, /"p ± ε rounds to p": ε is below the precision of p, so p did not move/);
        assert.doesNotMatch(out, /passed|\bok\b/);
      }
      // w = 1e15 is 0.125 from its neighbours, so w ± 1e-5 is w; b = 0.5 moves to 0.5 ± 1e-5, but
      // z = 1e15 + 0.5 ± 1e-5 rounds back to 1e15 + 0.5, so E(b + ε) = E(b − ε) while
      // ∂E/∂b = a − t = 1e15 + 0.5
      const both = await gradcheck(
        'network 1 -> 1 identity\nw11[1] = 1e15\nb1[2] = 0.5\ninput x = [1]\ntarget t = [0]\n' +
          'gradcheck',
      );
      assert.deepEqual(both.verdicts, ['p ± ε rounds to p', 'E(p + ε) rounds to E(p − ε)']);
      assert.match(
        both.said,
        /^gradcheck incomplete: 0 of 0 parameters agree; 1 not checked: p ± ε rounds to p; 1 not /,
      );
      // x = [0, 2]: a = 1e150·0 + 0.5·2 = 1, E = ½; w21 moves: (E(0.5 + ε) − E(0.5 − ε))/2ε =
      // ½·((1 + 2ε)² − (1 − 2ε)²)/2ε = 2 = (a − t)·x2, so it is checked and agrees; w11 is not
      const mixed = await gradcheck(
        'network 2 -> 1 identity\nbias off\nw11[1] = 1e150\nw21[1] = 0.5\ninput x = [0, 2]\n' +
          'target t = [0]\ngradcheck',
      );
      assert.deepEqual(mixed.verdicts, ['p ± ε rounds to p', 'ok']);
      assert.match(
        mixed.said,
        /^gradcheck incomplete: 1 of 1 parameters agree; 1 not checked: p ± ε rounds to p; largest/,
      );
      // a zero gradient is still checked: x1 = 0, so E(w11 ± ε) are equal and ∂E/∂w11 = 0
      const zero = await gradcheck(
        'network 2 -> 1 identity\nbias off\nw11[1] = 0.3\nw21[1] = 0.5\ninput x = [0, 2]\n' +
          'target t = [0]\ngradcheck',
      );
      assert.deepEqual(zero.verdicts, ['ok', 'ok']);
      assert.match(zero.said, /^gradcheck passed: 2 of 2 parameters agree;/);
      // graph: f(1 ± 1e-6) = 1 ± 1e-6 + 1e300 rounds to 1e300 (its neighbours are ~1e284 away),
      // while ∂f/∂x = 1: not a mismatch, nothing was compared
      const graph = await run(new Session(), 'x = 1\nf = x + 1e300\ngradcheck f');
      const table = graph.items.find((i) => i.kind === 'table') as TableItem;
      assert.deepEqual(
        table.rows.map((row) => row[row.length - 1]),
        ['f(v + h) rounds to f(v − h)'],
      );
      assert.match(
        partsText(table.note!),
        /"f\(v \+ h\) rounds to f\(v − h\)": f changed by less than its/,
      );
      assert.doesNotMatch(itemsToText(graph.items), /\bFAIL\b/);
      // like the net's: a verdict, not a pass, and no largest relative error of nothing checked
      assert.deepEqual(graph.expectations, { total: 1, failed: 1 });
      assert.equal(
        messages(graph).at(-1),
        'gradcheck f incomplete: 0 of 0 leaves agree; 1 not checked: f(v + h) rounds to f(v − h)',
      );
      // x = 1e150: h = 1e-6·1e150 moves x, and ((x + h)² − (x − h)²)/2h = 2x = 2e150 is checked
      const square = await run(new Session(), 'x = 1e150\nf = x * x\ngradcheck f');
      const squareRows = (square.items.find((i) => i.kind === 'table') as TableItem).rows;
      assert.equal(squareRows[0][squareRows[0].length - 1], 'ok');
      close(decodeNumber(squareRows[0][1] as Num), 2e150);
      assert.deepEqual(square.expectations, { total: 1, failed: 0 });
      // relu(u) at u = 0: (relu(h) − relu(−h))/2h = ½ against backward's 0 is a kink, not a
      // mismatch; p (through the switch-free 2·p) is checked: ∂r/∂p = 2
      const kink = await run(new Session(), 'u = 0\np = 1\nr = relu(u) + 2 * p\ngradcheck r');
      const kinkRows = (kink.items.find((i) => i.kind === 'table') as TableItem).rows;
      assert.deepEqual(
        kinkRows.map((row) => row[row.length - 1]),
        ['kink', 'ok'],
      );
      assert.deepEqual(kink.expectations, { total: 1, failed: 0 });
      assert.match(messages(kink).at(-1)!, /^gradcheck r passed: 1 of 1 leaves agree; 1 at a kink/);
      assert.match(messages(square).at(-1)!, /^gradcheck f passed: 1 of 1 leaves agree; largest/);
    },
  );

  it('the gradcheck note writes its tolerances as 1e-9 and 1e-6, not 0.000001', async () => {
    const r = await run(
      new Session(),
      'network 1 -> 1 sigmoid\nbias off\nw11[1] = 0.3\ninput x = [1]\ntarget t = [1]\n' +
        'gradcheck\ngradcheck tol 0.00002',
    );
    const notes = r.items
      .filter((i): i is TableItem => i.kind === 'table')
      .map((t) => partsText(t.note ?? []));
    assert.match(notes[0], /≤ 1e-9 \+ 1e-6·\|numeric\|/);
    assert.match(notes[1], /≤ 1e-9 \+ 2e-5·\|numeric\|/);
    assert.doesNotMatch(itemsToText(r.items), /0\.00000/);
  });

  it('wording: init zeros names no seed, a batch says "rows" and its mean once', async () => {
    const r = await run(
      new Session(),
      'network 2 -> 1 sigmoid\ninit zeros\ndataset xor\nforward\nbackward\nshow network\n' +
        'show gradients\ntrain epochs 1',
    );
    const text = itemsToText(r.items);
    assert.doesNotMatch(text, /zeros, seed/);
    assert.match(text, /weights zeros/);
    assert.doesNotMatch(text, /\bsamples?\b/);
    assert.match(text, /values of row 1 of 4/);
    assert.match(text, /gradients are the mean over 4 rows/);
    for (const line of text.split('\n'))
      assert.ok(
        (line.match(/over/g) ?? []).length <= 2 && !/mean over.*mean over/.test(line),
        line,
      );
    // zero weights: a = σ(0) = ½ for every row, xor's targets 0,1,1,0, so E = ½·(¼) = 0.125
    assert.match(text, /E = 0\.125 \(E = ½·Σ\(a − t\)², mean over 4 rows\)/);
  });

  it('wording: one row claims no batch, every output naming E says so', async () => {
    const s = new Session();
    const r = await run(
      s,
      'network 1 -> 1 identity\nbias off\nw11[1] = 1\ninput x = [3]\ntarget t = [1]\n' +
        'forward\nshow loss\nbackward\nshow network\ntrain epochs 1 lr 0.1',
    );
    const text = itemsToText(r.items);
    // a = 3 against t = 1: E = ½·(3 − 1)² = 2, from forward (show loss) and backward alike
    assert.equal((text.match(/E = 2 \(E = ½·Σ\(a − t\)²\)/g) ?? []).length, 2, text);
    const shown = r.items.find((i) => i.kind === 'network');
    assert.equal(shown?.kind === 'network' && shown.snapshot.lossLabel, 'E = ½·Σ(a − t)²');
    assert.match(text, /: E 2 → [\d.]+ \(E = ½·Σ\(a − t\)²\); /);
    assert.match(text, /loss E = ½·Σ\(a − t\)² ·/);
    assert.equal(s.snapshot()?.lossLabel, 'E = ½·Σ(a − t)²');
    assert.equal(s.lastTraining()?.lossCurve?.lossLabel, 'E = ½·Σ(a − t)²');
    assert.doesNotMatch(text, /a batch|mean over|over the rows/);
    // the cell's summary line, before any input: the reduction alone, with no count and no batch
    const fresh = new Session();
    const f = itemsToText((await run(fresh, 'network 1 -> 1 identity')).items);
    assert.match(f, /loss E = ½·Σ\(a − t\)², mean over the rows ·/);
  });

  it('a message writes 2⁶⁴ in exponent form, never with zeros that were not digits', () => {
    // 2⁶⁴ = 18446744073709551616: 10 significant digits are 1.844674407
    assert.equal(fmt(2 ** 64), '1.844674407e+19');
    assert.equal(fmt(1e-6), '1e-6');
    assert.equal(fmt(0.5), '0.5');
  });
});
