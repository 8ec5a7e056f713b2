/**
 * The pass animation's steps (passSteps.ts) built from a real session's trace, and one moment drawn
 * on the network drawing (passAnimation.ts, fake DOM): the order of the moments, the edges they
 * travel and which way, and that every number a moment shows is the trace's number as the views
 * format it.
 */
import * as assert from 'assert/strict';
import type { NetworkSnapshot, Num, TextPart } from '../../../src/protocol/results';
import { partsText, shownNumber } from '../../../src/protocol/text';
import { Session } from '../../../src/runtime/session';
import { drawNetwork } from '../../../src/views/network';
import { showMoment } from '../../../src/views/passAnimation';
import { passSteps } from '../../../src/views/passSteps';
import { FakeElement, withFakeDocument } from './fakeDom';
import { host } from '../runHost';

const SEED =
  'network 2 -> 3 sigmoid -> 1 sigmoid\nbias off\nloss half-squared\nweights [1] = [[0.15, 0.25, ' +
  '0.35], [0.20, 0.30, 0.40]]\nweights [2] = [[0.40], [0.45], [0.50]]\ninput x = [0.05, ' +
  '0.10]\ntarget t = [0.01]';

async function snapshotOf(cells: string[]): Promise<NetworkSnapshot> {
  const s = new Session();
  for (const c of cells) assert.ok((await s.runCell(c, host)).ok, c);
  return JSON.parse(JSON.stringify(s.snapshot())) as NetworkSnapshot;
}

const f = (v: Num | undefined) => shownNumber(v!);
/** a moment's line as the panel shows it */
const shownLine = (parts: TextPart[]) => partsText(parts, shownNumber);

describe('pass animation steps', () => {
  it(
    'the seed’s net: each forward term along its edge, then z and a; δ back edge by edge; δ × ' +
      'a per edge',
    async () => {
      const s = await snapshotOf([SEED, 'forward\nbackward']);
      const all = s.phases!;
      const steps = passSteps(s, all);
      const tr = s.trace!;
      // inputs 1, L2 3·(2 terms + z/a), L3 (3 terms + z/a), error 1, output δ 1, hidden 3·(1 term +
      // Σ
      // + δ), 9 gradients
      assert.equal(steps.length, 1 + 9 + 4 + 1 + 1 + 9 + 9);
      const titles = steps.map((x) => all[x.phase].title);
      assert.deepEqual(
        [titles[0], titles[1], titles[10], titles[14]],
        ['Inputs', 'Forward: layer L2', 'Forward: layer L3', 'Error'],
      );
      // forward: w21[1]·x2 travels from 2[1] into 1[2], and the sum so far is by name and by value
      const second = steps[2].moment!;
      assert.deepEqual(
        [second.edge, second.from, second.to, second.node],
        ['w21[1]', '2[1]', '1[2]', '1[2]'],
      );
      const h1 = tr.nodes[1][0];
      assert.equal(
        shownLine(second.building),
        `z1[2] = w11[1]·x1 + w21[1]·x2 = ${f(h1.forward[0].value)} + ${f(h1.forward[1].value)}`,
      );
      assert.equal(second.term, f(h1.forward[1].value));
      assert.equal(
        steps[3].moment!.says,
        `z1[2] = ${f(h1.z)}, a1[2] = sigmoid(z1[2]) = ${f(h1.a)}`,
      );
      assert.deepEqual(steps[2].of, [2, 9]);
      // the output's δ = ∂E/∂a · g'(z)
      const out = tr.nodes[2][0];
      assert.equal(
        shownLine(steps[15].moment!.building),
        `δ1[3] = ∂E/∂a1[3] · g'(z1[3]) = ${f(out.dEda)} · ${f(out.slope)} = ${f(out.delta)}`,
      );
      // hidden: δ1[3] travels back along w21[2] from 1[3] into 2[2], then Σ, then × g'(z)
      const back = steps.slice(16, 25).map((x) => x.moment!);
      assert.deepEqual([back[3].edge, back[3].from, back[3].to], ['w21[2]', '1[3]', '2[2]']);
      const h2 = tr.nodes[1][1];
      assert.equal(shownLine(back[3].building), `Σ = w21[2]·δ1[3] = ${f(h2.backward![0].value)}`);
      assert.equal(shownLine(back[4].building), `Σ = Σq w2q[2]·δq[3] = ${f(h2.sum)}`);
      assert.equal(
        shownLine(back[5].building),
        `δ2[2] = g'(z2[2]) · Σ = ${f(h2.slope)} · ${f(h2.sum)} = ${f(h2.delta)}`,
      );
      // a single row: nothing to say about which row
      assert.equal(s.trace?.note, undefined);
      // gradients, last layer first: ∂E/∂w = δ × a on each edge, one row so the product is all
      const grads = steps.slice(25).map((x) => x.moment!);
      assert.deepEqual(grads.map((m) => m.edge).slice(0, 4), [
        'w11[2]',
        'w21[2]',
        'w31[2]',
        'w11[1]',
      ]);
      const g = tr.gradients![3];
      assert.equal(
        shownLine(grads[3].building),
        `∂E/∂w11[1] = δ1[2] · x1 = ${f(g.delta)} · ${f(g.a)} = ${f(g.product)}`,
      );
    },
  );

  it(
    'a batch: the trace is row 1’s and ∂E/∂w is said to be the reduction ' + 'over the rows',
    async () => {
      const s = await snapshotOf([
        'network 2 -> 2 tanh -> 1 sigmoid\ninit uniform 0.8 seed 4\ndata = [1, 0 -> 1; ' +
          '0, 1 -> 0; ' +
          '1, 1 -> 0]',
        'forward\nbackward',
      ]);
      const steps = passSteps(s, s.phases!);
      const grad = steps.at(-1)!.moment!;
      const g = s.trace!.gradients!.at(-1)!;
      assert.match(
        grad.says,
        new RegExp(
          `in row 1; over the 3 rows \\(mean\\) ∂E/∂${g.param.replace(/[[\]]/g, '\\$&')} = ` +
            `${f(g.value)}`,
        ),
      );
      assert.equal(grad.term, f(g.value));
      // the panel says which row the animation follows, from the trace
      assert.equal(
        partsText(s.trace?.note ?? []),
        'The animation follows row 1 of the 3 rows of the batch; ∂E/∂w is the mean over all 3.',
      );
      // with biases the bias is the last term of each z
      const z = steps.find((x) => x.moment && shownLine(x.moment.building).includes('+ b1[2]'));
      assert.ok(z, 'the bias term of z1[2]');
    },
  );

  it('without a trace (a big net) every phase is one step', async () => {
    const s = await snapshotOf([
      'network 2 -> 8 tanh -> 8 tanh -> 1 sigmoid\ninput x = [1, 2]\ntarget t = [1]',
      'forward\nbackward',
    ]);
    assert.equal(s.trace, undefined);
    const all = s.phases!;
    assert.deepEqual(
      passSteps(s, all).map((x) => x.phase),
      all.map((_, i) => i),
    );
  });

  it(
    'draws a moment: the dot at the edge’s end and the term, or nothing ' + 'after the last',
    async () => {
      const s = await snapshotOf([SEED, 'forward\nbackward']);
      const m = passSteps(s, s.phases!)[2].moment!;
      withFakeDocument(() => {
        const view = drawNetwork(s);
        showMoment(view, m, 1000, true);
        const overlay = view.svg!.overlay as unknown as FakeElement;
        const dot = overlay.children[0] as FakeElement;
        const to = view.layout.nodes[1][0];
        assert.deepEqual(
          [dot.getAttribute('cx'), dot.getAttribute('cy')],
          [String(to.x), String(to.y)],
        );
        assert.deepEqual(overlay.texts(), [m.term]);
        showMoment(view, undefined, 1000, true);
        assert.equal(overlay.children.length, 0);
      });
    },
  );
});
