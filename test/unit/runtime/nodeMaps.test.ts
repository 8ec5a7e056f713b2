import * as assert from 'assert/strict';
import { pixel } from '../../../src/runtime/nodeMaps';
import { Session } from '../../../src/runtime/session';
import { host } from '../runHost';

const sig = (z: number) => 1 / (1 + Math.exp(-z));
const SEED =
  'network 2 -> 3 sigmoid -> 1 sigmoid\nbias off\nweights [1] = [[0.15, 0.25, 0.35], [0.20, ' +
  '0.30, 0.40]]\nweights [2] = [[0.40], [0.45], [0.50]]\ninput x = [0.05, 0.10]\ntarget ' +
  't = [0.01]';

async function session(...cells: string[]): Promise<Session> {
  const s = new Session();
  for (const c of cells) assert.ok((await s.runCell(c, host)).ok, c);
  return s;
}

describe('node maps (what each neuron computes over the input plane)', () => {
  it(
    "round each value to exactly the double of its 4 significant digits (JavaScript's own " +
      'toPrecision is the oracle)',
    () => {
      const oracle = (v: number) => (Number.isFinite(v) ? Number(v.toPrecision(4)) : 0);
      const values: number[] = [0, -0, 1, -1, 0.5, 1e-30, 5e-324, 1.7976931348623157e308];
      const next = (v: number, up: boolean) => {
        const b = new Float64Array([v]),
          i = new BigInt64Array(b.buffer);
        i[0] += up === v >= 0 ? 1n : -1n;
        return b[0];
      };
      for (let e = -25; e <= 25; e++) {
        // powers of ten and their neighbours (where log10 may land on the wrong exponent)
        const p = Number(`1e${e}`);
        values.push(p, next(p, true), next(p, false), 9.9995 * p, 9.9994999 * p);
        // decimal halves between two 4-digit values and the doubles around them
        for (const k of [1000, 1234, 4999, 9999]) {
          const tie = Number(`${k}.5e${e - 3}`);
          values.push(tie, next(tie, true), next(tie, false));
        }
      }
      let seed = 7;
      const rnd = () => ((seed = (seed * 48271) % 2147483647) - 1) / 2147483646;
      for (let k = 0; k < 20000; k++) {
        values.push(2 * rnd() - 1); // activations: tanh / sigmoid / relu outputs
        values.push((rnd() < 0.5 ? -1 : 1) * 10 ** (60 * rnd() - 30));
      }
      values.push(Infinity, -Infinity, NaN);
      for (const v of values)
        for (const x of [v, -v])
          assert.ok(Object.is(pixel(x), oracle(x)), `${x}: ${pixel(x)} ≠ ${oracle(x)}`);
    },
  );

  it(
    'give every node of a 2-input net its activation at each grid point, ' + 'checked by hand',
    async () => {
      const maps = (await session(SEED)).snapshot()?.maps;
      assert.ok(maps, 'a 2-input net has maps');
      const n = maps.resolution;
      assert.deepEqual(
        maps.values.map((l) => l.length),
        [2, 3, 1],
      );
      const w1 = [
        [0.15, 0.25, 0.35],
        [0.2, 0.3, 0.4],
      ];
      const w2 = [0.4, 0.45, 0.5];
      for (const [row, col] of [
        [0, 0],
        [n - 1, 3],
        [7, n - 1],
      ]) {
        const x = maps.xRange[0] + ((col + 0.5) / n) * (maps.xRange[1] - maps.xRange[0]);
        const y = maps.yRange[0] + ((row + 0.5) / n) * (maps.yRange[1] - maps.yRange[0]);
        const p = row * n + col;
        const hidden = [0, 1, 2].map((j) => sig(w1[0][j] * x + w1[1][j] * y));
        const out = sig(hidden.reduce((s, a, i) => s + a * w2[i], 0));
        assert.ok(Math.abs(maps.values[0][0][p] - x) < 1e-3 * Math.max(1, Math.abs(x)));
        hidden.forEach((a, j) =>
          assert.ok(Math.abs(maps.values[1][j][p] - a) < 1e-3, `a${j + 1}[2]`),
        );
        assert.ok(Math.abs(maps.values[2][0][p] - out) < 1e-3, 'output');
      }
    },
  );

  it('cover the dataset and carry its points for the output map', async () => {
    const s = await session('network 2 -> 2 tanh -> 1 sigmoid\ninit xavier seed 1\ndataset xor');
    const maps = s.snapshot()?.maps;
    assert.ok(maps?.points && maps.points.length === 4);
    assert.ok(maps.xRange[0] < 0 && maps.xRange[1] > 1, 'the range pads the data');
  });

  it('are left out for nets without 2 inputs', async () => {
    const s = await session('network 3 -> 2 sigmoid\ninput x = [1, 2, 3]');
    assert.equal(s.snapshot()?.maps, undefined);
  });

  it('are recorded at every timeline point, so the scrubber shows them as they were', async () => {
    const s = await session(
      'network 2 -> 2 tanh -> 1 sigmoid\nloss binary-cross-entropy\ninit xavier seed ' +
        '1\ndataset xor',
      'train epochs 50 lr 0.5',
    );
    const timeline = s.lastTraining()?.timeline ?? [];
    const cells = s.snapshot()!.maps!.resolution ** 2;
    assert.ok(timeline.length >= 2);
    for (const t of timeline) assert.equal(t.maps?.[2]?.[0]?.length, cells);
    assert.notDeepEqual(
      timeline[0].maps,
      timeline[timeline.length - 1].maps,
      'training moved them',
    );
  });
});
