import { strict as assert } from 'assert';
import { Session } from '../../../src/runtime/session';
import { trainHere } from '../../../src/runtime/train';
import type { RunHost } from '../../../src/runtime/types';
import type {
  ExpectItem,
  LossCurveItem,
  MessageItem,
  NetworkSnapshot,
  TableItem,
} from '../../../src/protocol/results';
import { partsText } from '../../../src/protocol/text';

const host = (over: Partial<RunHost> = {}): RunHost => ({
  isCancelled: () => false,
  yieldNow: async () => {},
  now: () => 0,
  ...over,
});

const SEED = `network 2 -> 3 sigmoid -> 1 sigmoid
bias off
loss half-squared
weights [1] = [[0.15, 0.25, 0.35], [0.20, 0.30, 0.40]]
weights [2] = [[0.40], [0.45], [0.50]]
input x = [0.05, 0.10]
target t = [0.01]`;

async function seeded(): Promise<Session> {
  const s = new Session();
  const run = await s.runCell(SEED, host());
  assert.equal(run.ok, true, JSON.stringify(run.problems));
  return s;
}

const sig = (z: number) => 1 / (1 + Math.exp(-z));

describe('runtime session', () => {
  it('runs the seed 2-3-1 pass and exposes every quantity by its seed name', async () => {
    const s = await seeded();
    const run = await s.runCell('forward\nbackward', host());
    assert.equal(run.ok, true);
    // independent evaluation of derivation.md's formulas
    const z1 = 0.15 * 0.05 + 0.2 * 0.1,
      z2 = 0.25 * 0.05 + 0.3 * 0.1,
      z3 = 0.35 * 0.05 + 0.4 * 0.1;
    const a = [sig(z1), sig(z2), sig(z3)];
    const zOut = 0.4 * a[0] + 0.45 * a[1] + 0.5 * a[2];
    const aOut = sig(zOut);
    const d3 = (aOut - 0.01) * aOut * (1 - aOut);
    const d12 = a[0] * (1 - a[0]) * 0.4 * d3;
    assert.equal(s.valueOf({ kind: 'activation', node: 1, layer: 3 })?.value, aOut);
    assert.ok(Math.abs(s.valueOf({ kind: 'delta', node: 1, layer: 3 })!.value - d3) < 1e-15);
    assert.ok(Math.abs(s.valueOf({ kind: 'delta', node: 1, layer: 2 })!.value - d12) < 1e-15);
    assert.ok(
      Math.abs(s.valueOf({ kind: 'weightGrad', from: 1, to: 1, layer: 1 })!.value - d12 * 0.05) <
        1e-15,
    );
    assert.ok(Math.abs(s.valueOf({ kind: 'loss' })!.value - 0.5 * (aOut - 0.01) ** 2) < 1e-15);
  });

  it('update uses the recorded gradients and reports old and new values', async () => {
    const s = await seeded();
    const run = await s.runCell('forward\nbackward\nupdate lr 0.5', host());
    const grads = run.items.find(
      (i): i is TableItem => i.kind === 'table' && i.title === 'gradients',
    )!;
    const w11 = grads.rows.find((r) => r[0] === 'w11[2]')!;
    assert.equal(w11[1], 0.4);
    assert.ok(Math.abs((w11[4] as number) - (0.4 - 0.5 * (w11[2] as number))) < 1e-15);
    assert.equal(s.valueOf({ kind: 'weight', from: 1, to: 1, layer: 2 })?.value, w11[4]);
  });

  it('expect passes and fails the cell', async () => {
    const s = await seeded();
    await s.runCell('forward\nbackward', host());
    const good = await s.runCell('expect E < 1\nexpect x1 = 0.05', host());
    assert.equal(good.ok, true);
    const bad = await s.runCell('expect E = 5 ± 0.1\nexpect x2 = 0.1', host());
    assert.equal(bad.ok, false);
    assert.deepEqual(bad.expectations, { total: 2, failed: 1 });
    assert.deepEqual(
      bad.items.map((i) => (i as ExpectItem).pass),
      [false, true],
    );
  });

  it('syntax errors stop the cell before anything runs, with line and column', async () => {
    const s = await seeded();
    const run = await s.runCell('forward\nfrobnicate 3', host());
    assert.equal(run.ok, false);
    assert.equal(run.items.length, 0);
    assert.equal(run.problems[0].line, 2);
    assert.equal(run.problems[0].column, 1);
  });

  it('validation names what would fit', async () => {
    const s = await seeded();
    const run = await s.runCell('show z9[2]', host());
    assert.match(run.problems[0].message, /1–3/);
  });

  it('a statement that fails at run time points at its line and stops the cell', async () => {
    const s = new Session();
    const run = await s.runCell(
      'network 2 -> 2 sigmoid -> 1 sigmoid\nshow z1[2]\nshow weights',
      host(),
    );
    assert.equal(run.ok, false);
    assert.equal(run.problems[0].line, 2);
    assert.match(run.problems[0].message, /forward/);
    assert.equal(run.items.filter((i) => i.kind === 'table').length, 0);
  });

  it('the teaching switch shows deltas computed through already-updated weights', async () => {
    const s = await seeded();
    const run = await s.runCell(
      'mistake stale-weights on\nforward\nbackward\nupdate lr 10',
      host(),
    );
    const tables = run.items.filter(
      (i): i is TableItem => i.kind === 'table' && i.title.startsWith('deltas δ, computed'),
    );
    assert.equal(tables.length, 2);
    const right = tables[0].rows.find((r) => r[0] === '1[2]')![1] as number;
    const wrong = tables[1].rows.find((r) => r[0] === '1[2]')![1] as number;
    assert.notEqual(right, wrong);
    assert.equal(
      tables[0].rows.find((r) => r[0] === '1[3]')![1],
      tables[1].rows.find((r) => r[0] === '1[3]')![1],
    );
  });

  it('bias off removes biases; bias on keeps the weights', async () => {
    const s = await seeded();
    await s.runCell('bias on', host());
    assert.equal(s.valueOf({ kind: 'weight', from: 2, to: 3, layer: 1 })?.value, 0.4);
    assert.equal(s.valueOf({ kind: 'bias', node: 1, layer: 2 })?.value, 0);
  });

  it('datasets: built-in xor and a full-batch backward', async () => {
    const s = new Session();
    const run = await s.runCell(
      'network 2 -> 2 tanh -> 1 sigmoid\ndataset xor\nforward\nbackward\nshow data',
      host(),
    );
    assert.equal(run.ok, true, JSON.stringify(run.problems));
    const note = run.items.find(
      (i): i is TableItem => i.kind === 'table' && i.title === 'deltas δ',
    )!.note;
    assert.match(partsText(note ?? []), /row 1 of 4/);
    assert.ok(
      run.items.some(
        (i) =>
          i.kind === 'message' && /mean over 4 rows\)$/.test(partsText((i as MessageItem).text)),
      ),
    );
  });

  it('CSV data errors name row and column', async () => {
    const s = new Session();
    const files: Record<string, string> = {
      'ok.csv': 'x1,x2,t\n0,0,0\n1,1,1\n',
      'bad.csv': 'x1,x2,t\n0,0,0\n1,abc,1\n',
      'ragged.csv': '0,0,0\n1,1\n',
    };
    const readTextFile = async (p: string) => {
      if (!(p in files)) throw new Error('not found');
      return files[p];
    };
    const ok = await s.runCell(
      'network 2 -> 2 sigmoid -> 1 sigmoid\ndataset csv "ok.csv"',
      host({ readTextFile }),
    );
    assert.equal(ok.ok, true, JSON.stringify(ok.problems));
    const bad = await s.runCell('dataset csv "bad.csv"', host({ readTextFile }));
    assert.match(bad.problems[0].message, /row 3, column 2/);
    const ragged = await s.runCell('dataset csv "ragged.csv"', host({ readTextFile }));
    assert.match(ragged.problems[0].message, /row 2 has 2 columns/);
  });

  it('a huge network is refused before allocation with the memory it would need', async () => {
    const s = new Session({ maxBytes: 1024 * 1024 });
    const run = await s.runCell('network 1000 -> 1000 relu -> 10 sigmoid', host());
    assert.equal(run.ok, false);
    assert.match(run.problems[0].message, /needs .*MB.*limit/);
  });

  it('a cancelled host stops before the next statement', async () => {
    const s = await seeded();
    let calls = 0;
    const run = await s.runCell('forward\nbackward', host({ isCancelled: () => ++calls > 1 }));
    assert.equal(run.cancelled, true);
    assert.equal(run.ok, false);
  });
});

describe('runtime session: train, explain, gradcheck', () => {
  it('explain ends at exactly the recorded gradient', async () => {
    const s = await seeded();
    const run = await s.runCell('forward\nbackward\nexplain dE/dw11[1]', host());
    const d = run.items.find((i) => i.kind === 'derivation');
    assert.ok(d && d.kind === 'derivation');
    assert.equal(d.value, s.valueOf({ kind: 'weightGrad', from: 1, to: 1, layer: 1 })!.value);
    assert.match(d.steps[d.steps.length - 1].symbolic, /δ1\[2\] · x1/);
  });

  it('explain before backward says what to run', async () => {
    const s = await seeded();
    const run = await s.runCell('explain δ1[2]', host());
    assert.match(run.problems[0].message, /backward/);
  });

  it('gradcheck passes on the seed net and counts as an expectation', async () => {
    const s = await seeded();
    const run = await s.runCell('gradcheck', host());
    assert.equal(run.ok, true);
    assert.deepEqual(run.expectations, { total: 1, failed: 0 });
  });

  it('trains XOR to a low loss, keeps the curve, reports progress and yields', async () => {
    const s = new Session();
    let yields = 0;
    const run = await s.runCell(
      'network 2 -> 4 tanh -> 1 sigmoid\ndataset xor\ntrain epochs 3000 lr 0.5\nexpect E < 0.01',
      host({ yieldNow: async () => void yields++ }),
    );
    assert.equal(run.ok, true, JSON.stringify(run.problems));
    assert.ok(s.lastTraining()?.lossCurve?.points.length);
    assert.ok(run.items.some((i) => i.kind === 'lossCurve'));
  });

  it('divergence fails the cell, names the epoch and keeps finite weights', async () => {
    const s = new Session();
    const run = await s.runCell(
      'network 2 -> 3 relu -> 1 identity\nloss mse\ndataset moons\ntrain epochs 200 lr 1000',
      host(),
    );
    assert.equal(run.ok, false);
    assert.match(run.problems[0].message, /epoch \d+/);
    assert.ok(Number.isFinite(s.valueOf({ kind: 'weight', from: 1, to: 1, layer: 1 })!.value));
  });

  it(
    'the panel never shows δ of other weights: none while training moves them, the trained ' +
      'ones after',
    async () => {
      // δ of the seed 2-3-1 net at a snapshot's weights, by hand (sigmoid, ½(a − t)², x = [0.05,
      // 0.1], t = 0.01)
      const deltaByHand = (snap: NetworkSnapshot) => {
        const [w1, w2] = snap.weights as number[][][];
        const a2 = [0, 1, 2].map((j) => sig(w1[0][j] * 0.05 + w1[1][j] * 0.1));
        const a3 = sig(a2.reduce((z, a, j) => z + a * w2[j][0], 0));
        const d3 = (a3 - 0.01) * a3 * (1 - a3);
        return [[], a2.map((a, j) => d3 * w2[j][0] * a * (1 - a)), [d3]];
      };
      const close = (got: unknown, want: number[][]) =>
        want.every((l, m) => l.every((v, j) => Math.abs((got as number[][])[m][j] - v) < 1e-12));
      const s = await seeded();
      assert.equal((await s.runCell('forward\nbackward', host())).ok, true);
      const live: NetworkSnapshot[] = [];
      // a trainer like the worker's: the host's net takes new weights, then progress is reported
      const run = await s.runCell(
        'train steps 200 lr 0.5',
        host({
          onProgress: () => live.push(s.snapshot()!),
          train: async (job, io) => {
            job.net.weights[1][0] += 0.5;
            io.onProgress?.([]);
            return trainHere(job, io);
          },
        }),
      );
      assert.equal(run.ok, true, JSON.stringify(run.problems));
      assert.ok(live.length > 0);
      for (const snap of live) {
        if (snap.delta)
          assert.ok(close(snap.delta, deltaByHand(snap)), 'a live frame shows δ of other weights');
      }
      const after = s.snapshot()!;
      assert.ok(after.delta && close(after.delta, deltaByHand(after)), 'δ after training');
      assert.ok(Math.abs((after.delta[2][0] as number) - 0.1459228) > 0.01, 'the weights moved');
    },
  );

  it(
    'while a second run trains, the panel has its curve so far and no boundary of the ' +
      'first run',
    async () => {
      const s = new Session();
      const net = 'network 2 -> 4 tanh -> 1 sigmoid\ninit xavier seed 1\ndataset xor';
      assert.equal((await s.runCell(`${net}\ntrain epochs 5 lr 0.5`, host())).ok, true);
      assert.ok(s.lastTraining()?.boundary && s.lastTraining()?.timeline);
      const seen: unknown[] = [];
      // a trainer like the worker's: progress with the run's curve so far, then the run
      const curve: LossCurveItem = {
        kind: 'lossCurve',
        title: 'training net',
        lossLabel: 'E',
        points: [0, 1, 2].map((e) => [e, 0.3 - 0.01 * e]),
        done: false,
        summary: [{ text: 'E from 0.3 to 0.28 over 2 epochs (training)' }],
      };
      const run = await s.runCell(
        'train epochs 30 lr 0.5',
        host({
          onProgress: () => {
            const t = s.lastTraining();
            seen.push([t?.lossCurve?.points.length, t?.boundary, t?.timeline]);
          },
          train: async (job, io) => {
            io.onProgress?.([curve]);
            return trainHere(job, io);
          },
        }),
      );
      assert.equal(run.ok, true);
      assert.deepEqual(seen[0], [3, undefined, undefined]);
      const t = s.lastTraining();
      assert.ok(
        t?.boundary && t.timeline && t.lossCurve?.points.length === 31,
        'the end of the run',
      );
    },
  );

  it('a stop during training ends the cell as cancelled', async () => {
    const s = new Session();
    let slices = 0;
    const run = await s.runCell(
      'network 2 -> 8 tanh -> 1 sigmoid\ndataset spiral n 400\ntrain epochs 100000000',
      host({ yieldNow: async () => void slices++, isCancelled: () => slices >= 3 }),
    );
    assert.equal(run.cancelled, true);
    assert.equal(run.ok, false);
    assert.ok(slices >= 3 && slices < 10);
  });
});
