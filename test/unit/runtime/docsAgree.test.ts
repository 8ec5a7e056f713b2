/**
 * The language docs and the code agree (issue 13, item 9). Each test states the documented
 * behaviour and checks the runtime or the checker does it; expected values are worked out by hand.
 */
import { strict as assert } from 'assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from '../../../src/language/parser';
import { validate } from '../../../src/language/validate';
import { formatDiagnostic } from '../../../src/language/diagnostics';
import { Session } from '../../../src/runtime/session';
import type { CellRun, RunHost } from '../../../src/runtime/types';
import type { MessageItem } from '../../../src/protocol/results';
import { partsText } from '../../../src/protocol/text';

const host = (files: Record<string, string> = {}): RunHost => ({
  isCancelled: () => false,
  yieldNow: async () => {},
  now: () => 0,
  readTextFile: async (p: string) => {
    if (!(p in files)) throw new Error('not found');
    return files[p];
  },
});

async function ok(s: Session, text: string, h = host()): Promise<CellRun> {
  const r = await s.runCell(text, h);
  assert.equal(r.ok, true, JSON.stringify(r.problems));
  return r;
}

/** What `bpnb check` reports for a notebook of one cell: parse and validation problems. */
function checked(text: string): string[] {
  const { program, diagnostics } = parse(text);
  return [...diagnostics, ...validate(program)].map(
    (d) => `${d.severity} ${d.code} ${formatDiagnostic(d)}`,
  );
}

const weightsOf = (s: Session) => s.inspect()!.net.weights.map((w) => Array.from(w));
const messages = (r: CellRun) =>
  r.items.filter((i): i is MessageItem => i.kind === 'message').map((m) => partsText(m.text));

describe('docs and code agree', () => {
  it(
    'freeze layer k keeps the parameters that compute layer k: weights [k−1] and ' + 'biases [k]',
    async () => {
      const s = new Session();
      await ok(
        s,
        [
          'network 1 -> 1 identity -> 1 identity',
          'w11[1] = 1',
          'w11[2] = 1',
          'b1[2] = 0',
          'b1[3] = 0',
          'input x = [1]',
          'target t = [0]',
          'freeze layer 3',
          'step lr 0.1',
        ].join('\n'),
      );
      const st = s.inspect()!;
      // by hand: a2 = 1, a3 = 1, δ3 = 1, δ2 = 1; only w11[1] and b1[2] (layer 2's) move, by −0.1
      assert.deepEqual(weightsOf(s), [[0.9], [1]]);
      assert.deepEqual(
        st.net.biases.map((b) => Array.from(b)),
        [[-0.1], [0]],
      );
    },
  );

  it(
    'bpnb check refuses `freeze layer 1` (the inputs have no parameters) and ' + '`until E > v`',
    () => {
      const layer1 = checked('network 2 -> 1 sigmoid\nfreeze layer 1');
      assert.equal(layer1.length, 1, layer1.join('\n'));
      assert.match(layer1[0], /^error BPNB202 freeze layer k needs k = 2, got 1/);
      const above = checked('network 2 -> 1 sigmoid\ntrain epochs 3 until E > 0.1');
      assert.equal(above.length, 1, above.join('\n'));
      assert.match(above[0], /^error BPNB102 expected '<' or '<='/);
      assert.deepEqual(checked('network 2 -> 1 sigmoid\ntrain epochs 3 until E <= 0.1'), []);
    },
  );

  it('until E < v stops only below v; until E <= v at v too', async () => {
    // w = 0, x = 1, t = 2: E = ½·(0 − 2)² = 2 before training
    const cell = (cmp: string) =>
      `network 1 -> 1 identity\nbias off\nw11[1] = 0\ndata = [1 -> 2]\ntrain epochs 3 lr 0.1 ` +
      `until E ${cmp} 2`;
    const strict = messages(await ok(new Session(), cell('<'))).find((t) =>
      t.startsWith('trained'),
    );
    // E = 2 at epoch 0 is not below 2; after one step w = 0.2, E = ½·1.8² = 1.62 is
    assert.match(strict!, /^trained 1 epoch .*E 2 → 1\.62 .*target loss reached/);
    const orEqual = messages(await ok(new Session(), cell('<='))).find((t) =>
      t.startsWith('trained'),
    );
    assert.match(orEqual!, /^trained 0 epochs .*target loss reached/);
  });

  it('init uniform draws the weights and leaves every bias at 0', async () => {
    const s = new Session();
    await ok(s, 'network 2 -> 3 sigmoid -> 1 sigmoid\ninit uniform 0.5 seed 3');
    const st = s.inspect()!;
    assert.ok(st.net.weights.every((w) => w.every((v) => v !== 0 && Math.abs(v) < 0.5)));
    assert.deepEqual(
      st.net.biases.map((b) => Array.from(b)),
      [[0, 0, 0], [0]],
    );
  });

  it(
    'dataset csv without inputs/targets takes the network sizes: 2 inputs and 2 targets of ' +
      '4 columns',
    async () => {
      const s = new Session();
      await ok(
        s,
        'network 2 -> 2 sigmoid\ndataset csv "d.csv"',
        host({ 'd.csv': 'x1,x2,t1,t2\n1,2,3,4\n5,6,7,8\n' }),
      );
      const data = s.inspect()!.dataset!;
      assert.deepEqual(data.inputs, [
        [1, 2],
        [5, 6],
      ]);
      assert.deepEqual(data.targets, [
        [3, 4],
        [7, 8],
      ]);
    },
  );

  it(
    'mistake stale-weights on changes train: each step is the interleaved update that ' +
      '`step` makes',
    async () => {
      const net = [
        'network 2 -> 2 sigmoid -> 1 sigmoid',
        'weights [1] = [[0.15, 0.25], [0.20, 0.30]]',
        'weights [2] = [[0.40], [0.45]]',
        'biases [2] = [0.35, 0.35]',
        'biases [3] = [0.6]',
        'data = [0.05 0.10 -> 0.01; 0.9 0.2 -> 0.99]',
      ].join('\n');
      const trained = new Session();
      const r = await ok(trained, `${net}\nmistake stale-weights on\ntrain epochs 3 lr 0.5`);
      assert.ok(messages(r).some((t) => t.startsWith('mistake stale-weights is on')));
      const stepped = new Session();
      await ok(stepped, `${net}\nmistake stale-weights on\nstep lr 0.5\nstep lr 0.5\nstep lr 0.5`);
      assert.deepEqual(weightsOf(trained), weightsOf(stepped));
      const right = new Session();
      await ok(right, `${net}\ntrain epochs 3 lr 0.5`);
      assert.notDeepEqual(weightsOf(trained), weightsOf(right));
      const adam = await new Session().runCell(
        `${net}\nmistake stale-weights on\ntrain epochs 3 optimiser adam`,
        host(),
      );
      assert.equal(adam.ok, false);
      assert.match(adam.problems[0].message, /plain gradient descent only/);
    },
  );

  it('momentum and beta1 under another optimiser are ignored, and bpnb check says so', () => {
    const momentum = checked('network 2 -> 1 sigmoid\ntrain epochs 3 momentum 0.5');
    assert.deepEqual(momentum, [
      'warning BPNB213 momentum is a coefficient of optimiser momentum; this train uses sgd, so ' +
        'momentum is ignored (write optimiser momentum, or leave momentum out)',
    ]);
    const beta1 = checked('network 2 -> 1 sigmoid\ntrain epochs 3 optimiser momentum beta1 0.8');
    assert.equal(beta1.length, 1);
    assert.match(
      beta1[0],
      /^warning BPNB213 beta1 is a coefficient of optimiser adam; this train uses momentum/,
    );
    assert.deepEqual(
      checked('network 2 -> 1 sigmoid\ntrain epochs 3 optimiser adam beta1 0.8'),
      [],
    );
  });

  it(
    'every relative link of README.md and docs/*.md names a file of the repository ' +
      '(docs/language.md links docs/derivation.md)',
    () => {
      const root = path.resolve(__dirname, '../../../..');
      const docs = [
        'README.md',
        ...fs.readdirSync(path.join(root, 'docs')).map((f) => `docs/${f}`),
      ];
      const missing: string[] = [];
      let links = 0;
      for (const doc of docs.filter((d) => d.endsWith('.md'))) {
        const text = fs.readFileSync(path.join(root, doc), 'utf8').replace(/```[\s\S]*?```/g, '');
        // a link to a file: [text](path), a path with a dot or a slash (δ1[2](s2) is notation, not
        // a link)
        for (const [, target] of text.matchAll(/\]\(([^)\s#]*[./][^)\s#]*)(?:#[^)\s]*)?\)/g)) {
          if (/^[a-z][\w+.-]*:/i.test(target)) continue; // https:, mailto:
          links++;
          if (!fs.existsSync(path.join(root, path.dirname(doc), decodeURI(target))))
            missing.push(`${doc} → ${target}`);
        }
      }
      assert.deepEqual(missing, []);
      assert.ok(links > 20, `${links} links checked`);
      assert.match(
        fs.readFileSync(path.join(root, 'docs/language.md'), 'utf8'),
        /\]\(derivation\.md/,
      );
    },
  );

  it(
    'l2 λ adds λ·w to ∂E/∂w of the weights only: biases take the plain gradient and E has no ' +
      'penalty term',
    async () => {
      const s = new Session();
      // by hand: E = ½(w·1 + b − 0)² with w = 1, b = 0: ∂E/∂w = ∂E/∂b = 1;
      // w ← 1 − 0.1·(1 + 0.5·1) = 0.85, b ← 0 − 0.1·1 = −0.1, then E = ½(0.85 − 0.1)² = 0.28125
      // (an L2 term in E would add ½·0.5·0.85² = 0.180625)
      await ok(
        s,
        'network 1 -> 1 identity\nloss half-squared\nw11[1] = 1\nb1[2] = 0\ndata = [1 -> ' +
          '0]\ntrain ' +
          'steps 1 lr 0.1 batch full optimiser sgd l2 0.5',
      );
      const net = s.inspect()!.net;
      assert.ok(Math.abs(net.weights[0][0] - 0.85) < 1e-15, String(net.weights[0][0]));
      assert.ok(Math.abs(net.biases[0][0] + 0.1) < 1e-15, String(net.biases[0][0]));
      const r = await ok(s, 'forward\nexpect E = 0.28125 ± 1e-15');
      assert.equal(r.expectations.failed, 0);
    },
  );
});
