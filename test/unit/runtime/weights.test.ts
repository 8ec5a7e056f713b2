import { strict as assert } from 'assert';
import { Session } from '../../../src/runtime/session';
import { WEIGHTS_FORMAT } from '../../../src/runtime/weights';
import { host } from '../runHost';

const SEED = [
  'network 2 -> 3 sigmoid -> 1 sigmoid',
  'bias off [3]',
  'weights [1] = [[0.15, 0.25, 0.35], [0.20, 0.30, 0.40]]',
  'biases [2] = [0.1, 0.2, 0.3]',
  'weights [2] = [[0.40], [0.45], [0.50]]',
  'input x = [0.05, 0.10]',
  'target t = [0.01]',
].join('\n');

async function seeded(): Promise<Session> {
  const s = new Session();
  const run = await s.runCell(SEED, host);
  assert.ok(run.ok, JSON.stringify(run.problems));
  return s;
}

describe('session: weights to JSON and back', () => {
  it(
    'exports in the seed orientation: weights[k-1][i-1][j-1] = wij[k], null biases for a ' +
      'layer without',
    async () => {
      const w = (await seeded()).exportWeights()!;
      assert.equal(w.format, WEIGHTS_FORMAT);
      assert.deepEqual(w.sizes, [2, 3, 1]);
      assert.equal(w.weights[0][1][2], 0.4); // w23[1]
      assert.deepEqual(w.weights[1], [[0.4], [0.45], [0.5]]);
      assert.deepEqual(w.biases, [[0.1, 0.2, 0.3], null]);
      assert.deepEqual(JSON.parse(JSON.stringify(w)), w);
    },
  );

  it('has nothing to export before a network exists', () => {
    assert.equal(new Session().exportWeights(), undefined);
    assert.equal(new Session().importWeights({}).ok, false);
  });

  it('imports weights back: the numbers and the forward pass follow', async () => {
    const s = await seeded();
    const saved = s.exportWeights()!;
    const before = await s.runCell('forward\nshow a1[3]', host);
    await s.runCell('weights [1] = [[1, 1, 1], [1, 1, 1]]\nb2[2] = 5', host);
    assert.deepEqual(s.importWeights(JSON.parse(JSON.stringify(saved))), { ok: true });
    assert.deepEqual(s.exportWeights(), saved);
    const after = await s.runCell('forward\nshow a1[3]', host);
    assert.deepEqual(after.items.at(-1), before.items.at(-1));
  });

  it('refuses a file that does not fit, naming the problem, and changes nothing', async () => {
    const s = await seeded();
    const good = s.exportWeights()!;
    const variants: [string, unknown, RegExp][] = [
      ['not an object', [1, 2], /JSON object/],
      ['wrong format', { ...good, format: 'x' }, /format/],
      ['newer version', { ...good, version: 2 }, /version 2/],
      ['other sizes', { ...good, sizes: [2, 2, 1] }, /2 -> 2 -> 1.*2 -> 3 -> 1/],
      ['missing matrix', { ...good, weights: [good.weights[0]] }, /2 matrices/],
      [
        'short row',
        {
          ...good,
          weights: [
            [
              [1, 2],
              [1, 2, 3],
            ],
            good.weights[1],
          ],
        },
        /weights \[1\] row 1 must have 3 values/,
      ],
      [
        'non-finite',
        {
          ...good,
          weights: [
            [
              [1, 2, 3],
              [1, 'NaN', 3],
            ],
            good.weights[1],
          ],
        },
        /w\(2,2\)\[1\] is not a finite number/,
      ],
      ['bias on a layer without', { ...good, biases: [good.biases[0], [0.5]] }, /L3 has no biases/],
      ['short biases', { ...good, biases: [[1, 2], null] }, /biases \[2\] must have 3 values/],
    ];
    for (const [what, json, message] of variants) {
      const r = s.importWeights(json);
      assert.equal(r.ok, false, what);
      if (!r.ok) assert.match(r.error, message, what);
      assert.deepEqual(s.exportWeights(), good, `${what}: nothing changed`);
    }
  });
});
