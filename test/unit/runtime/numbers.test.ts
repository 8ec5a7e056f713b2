/**
 * What a learner sees is what the engine computed (issue: every number on screen is the engine's
 * number). Expected values are derived by hand in each test, never read from the engine.
 */
import { strict as assert } from 'assert';
import { Session } from '../../../src/runtime/session';
import type { RunHost } from '../../../src/runtime/types';
import type { CellRun } from '../../../src/runtime/types';
import type { LossCurveItem, MessageItem, TableItem } from '../../../src/protocol/results';

const host: RunHost = { isCancelled: () => false, yieldNow: async () => {}, now: () => 0 };

async function run(s: Session, text: string): Promise<CellRun> {
  return s.runCell(text, host);
}

const messages = (r: CellRun) =>
  r.items.filter((i): i is MessageItem => i.kind === 'message').map((m) => m.text);
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
  it('train reports E with the weights it leaves: full batch, 3 epochs, x = 1,2,3, t = 2x', async () => {
    const s = new Session();
    const r = await run(
      s,
      'network 1 -> 1 identity\nbias off\nw11[1] = 0\ndata = [1 -> 2; 2 -> 4; 3 -> 6]\ntrain epochs 3 lr 0.1 log 1\nshow loss',
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
  });

  it('`until E < v` tests E with the current weights, not the epoch before', async () => {
    const s = new Session();
    // E after epochs 1, 2, 3 (by hand, as above): 2.4 ·(…); stop below 0.8: epoch 2 has E ≈ 0.7551, epoch 3 ≈ 0.2148
    const E = (w: number) => (7 / 3) * (w - 2) ** 2;
    const ws = [0];
    for (let e = 0; e < 4; e++) ws.push(ws[e] - 0.1 * (14 / 3) * (ws[e] - 2));
    assert.ok(E(ws[2]) < 0.8 && E(ws[1]) > 0.8);
    const r = await run(
      s,
      'network 1 -> 1 identity\nbias off\nw11[1] = 0\ndata = [1 -> 2; 2 -> 4; 3 -> 6]\ntrain epochs 10 lr 0.1 until E < 0.8\nshow w11[1]',
    );
    assert.match(
      messages(r).find((t) => t.startsWith('trained'))!,
      /^trained 2 epochs .*target loss reached/,
    );
    close(Number(/w11\[1\] = (\S+)/.exec(messages(r).at(-1)!)![1]), ws[2], 1e-9);
  });

  it('train steps N shorter than an epoch: the steps, E before and after, a curve of two points', async () => {
    const s = new Session();
    // three equal rows make the order irrelevant: online, lr 0.1, w: 0 → 0.2 → 0.38; E = ½(w − 2)²
    const r = await run(
      s,
      'network 1 -> 1 identity\nbias off\nw11[1] = 0\ndata = [1 -> 2; 1 -> 2; 1 -> 2]\ntrain steps 2 batch online lr 0.1 log 1',
    );
    assert.equal(r.ok, true, JSON.stringify(r.problems));
    const summary = messages(r).find((t) => t.startsWith('trained'))!;
    assert.match(summary, /^trained 0 epochs and 2 of 3 rows \(2 steps, .*E 2 → 1\.3122 /);
    const c = curve(r);
    assert.equal(c.points.length, 2);
    close(c.points[0][0], 0);
    close(c.points[1][0], 2 / 3);
    close(c.points[1][1] as number, 0.5 * (0.38 - 2) ** 2);
  });

  it('9,999 steps on one row report 9,999 epochs (the history ends at the end)', async () => {
    const s = new Session();
    const r = await run(
      s,
      'network 1 -> 1 identity\nbias off\nw11[1] = 0\ninput x = [1]\ntarget t = [1]\ntrain steps 9999 lr 0.001',
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
});
