import { strict as assert } from 'assert';
import { Session } from '../../../src/runtime/session';
import type { DerivationItem, NetworkItem } from '../../../src/protocol/results';
import { typeset } from '../../../src/views/derivation';
import { withFakeDocument } from '../views/fakeDom';
import { host } from '../runHost';

async function session(...cells: string[]): Promise<Session> {
  const s = new Session();
  for (const c of cells) {
    const run = await s.runCell(c, host);
    assert.equal(run.ok, true, JSON.stringify(run.problems));
  }
  return s;
}

const sig = (z: number) => 1 / (1 + Math.exp(-z));

function derivation(s: Session, param: string): DerivationItem {
  const d = s.explainParameter(param);
  assert.ok(typeof d !== 'string', String(d));
  return d;
}

describe('derivations come from the runtime (the panel asks the host)', () => {
  it(
    'after dataset xor / forward / backward, w11[1] gets the mean over 4 rows, whose terms give ' +
      'its value',
    async () => {
      const s = await session(
        'network 2 -> 2 sigmoid -> 1 sigmoid\nbias off\ndataset xor\nforward\nbackward',
      );
      const d = derivation(s, 'w11[1]');
      const last = d.steps[d.steps.length - 1];
      assert.equal(last.symbolic, '∂E/∂w11[1] = (1/4)·Σs δ1[2](s)·x1(s)');
      // (1/4)·(d1·x1 + d2·x2 + …): what is written (every digit, in the tooltip) gives the result
      const written = (text: string) => {
        const terms = /^\(1\/4\)·\((.*)\)$/.exec(text)![1].split(' + ');
        assert.equal(terms.length, 4);
        return (
          terms.map((t) => t.split('·').map(Number)).reduce((sum, [a, b]) => sum + a * b, 0) / 4
        );
      };
      assert.ok(Math.abs(written(last.exact!) - (last.value as number)) < 1e-18, last.exact);
      // the 6-digit form is a rounding of the same terms (cancellation costs digits: hence the
      // exact form)
      assert.ok(Math.abs(written(last.substituted) - (last.value as number)) < 1e-7);
      // the value is the engine's gradient, and an independent hand evaluation of the mean over
      // rows
      assert.equal(
        d.value,
        s.valueOf({ kind: 'weightGrad', layer: 1, from: 1, to: 1 } as never)!.value,
      );
      const w = s.exportWeights()!.weights;
      const rows = [
        [0, 0, 0],
        [0, 1, 1],
        [1, 0, 1],
        [1, 1, 0],
      ];
      let sum = 0;
      for (const [x1, x2, t] of rows) {
        const h = [0, 1].map((j) => sig(x1 * w[0][0][j] + x2 * w[0][1][j]));
        const out = sig(h[0] * w[1][0][0] + h[1] * w[1][1][0]);
        const dOut = (out - t) * out * (1 - out);
        sum += dOut * w[1][0][0] * h[0] * (1 - h[0]) * x1;
      }
      assert.ok(Math.abs((d.value as number) - sum / 4) < 1e-15, `${d.value} vs ${sum / 4}`);
      // every step typesets (a layer and a sample on one name once made a KaTeX double superscript)
      for (const step of d.steps)
        assert.ok(withFakeDocument(() => typeset(step.latex)) !== undefined, step.latex);
      // the δ of every row it uses is written out before it
      assert.deepEqual(
        d.steps
          .filter((st) => st.symbolic.startsWith('δ1[2](s'))
          .map((st) => st.symbolic.slice(0, 10)),
        ['δ1[2](s1) ', 'δ1[2](s2) ', 'δ1[2](s3) ', 'δ1[2](s4) '],
      );
    },
  );

  it(
    'a hand-derived batch: data = [1 -> 0; 2 -> 0], w = 1, b = 0: ∂E/∂w = 2.5, ' + '∂E/∂b = 1.5',
    async () => {
      const s = await session(
        'network 1 -> 1 identity\nw11[1] = 1\nb1[2] = 0\ndata = [1 -> 0; 2 -> 0]\nbackward',
      );
      assert.equal(derivation(s, 'w11[1]').value, 2.5);
      assert.equal(derivation(s, 'b1[2]').value, 1.5);
      assert.equal(derivation(s, 'b1[2]').steps.at(-1)!.substituted, '(1/2)·(1 + 2)');
    },
  );

  it('after freeze w11[1] and update, it says the weight is frozen and did not move', async () => {
    const s = await session(
      'network 2 -> 2 sigmoid -> 1 sigmoid\nbias off\ndataset xor\nfreeze ' +
        'w11[1]\nforward\nbackward\nupdate lr 0.5',
    );
    const before = s.exportWeights()!.weights[0][0][0];
    const d = derivation(s, 'w11[1]');
    const last = d.steps.at(-1)!;
    assert.equal(last.symbolic, 'w11[1] is frozen: not updated');
    assert.equal(last.value, before);
    assert.equal(last.exact, `w11[1] stays ${before}`);
    // an unfrozen one shows the recorded step: old − η·g = new, every digit
    const moved = derivation(s, 'w21[1]');
    const step = moved.steps.at(-1)!;
    assert.equal(step.symbolic, 'w21[1] ← w21[1] − η·∂E/∂w21[1]');
    const [old, rest] = step.exact!.split(' − ');
    const g = Number(rest.split('·')[1].replace(/[()]/g, ''));
    assert.equal(g, moved.value);
    assert.equal(Number(old) - 0.5 * g, step.value);
    assert.equal(step.value, s.exportWeights()!.weights[0][1][0]);
  });

  it('refuses names that are not parameters of the network', async () => {
    const s = await session(
      'network 2 -> 2 sigmoid -> 1 sigmoid\ninput x = [1, 2]\ntarget t = [1]\nbackward',
    );
    assert.match(String(s.explainParameter('w31[1]')), /not a parameter/);
    assert.match(String(s.explainParameter('b1[1]')), /not a parameter/);
    assert.match(String(s.explainParameter('z1[2]')), /not a weight or a bias/);
    assert.match(String(new Session().explainParameter('w11[1]')), /no network/);
    const fresh = await session('network 2 -> 1 sigmoid');
    assert.match(String(fresh.explainParameter('w11[1]')), /run `forward` and `backward` first/);
  });

  it('show network carries the runtime derivation of every parameter of a small net', async () => {
    const s = new Session();
    const run = await s.runCell(
      'network 2 -> 2 sigmoid -> 1 sigmoid\ninput x = [1, 2]\ntarget t = ' +
        '[1]\nbackward\nshow network',
      host,
    );
    const item = run.items.find((i) => i.kind === 'network') as NetworkItem;
    assert.deepEqual(Object.keys(item.derivations!).sort(), [
      'b1[2]',
      'b1[3]',
      'b2[2]',
      'w11[1]',
      'w11[2]',
      'w12[1]',
      'w21[1]',
      'w21[2]',
      'w22[1]',
    ]);
    assert.deepEqual(item.derivations!['w21[2]'], s.explainParameter('w21[2]'));
  });
});
