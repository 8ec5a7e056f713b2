/**
 * One error model: a user's mistake found while running is a problem with its own code, span and
 * message; anything else thrown (an engine precondition, a bug) is an internal error (BPNB900)
 * that says so and carries its stack, never dressed as the user's mistake.
 */
import { strict as assert } from 'assert';
import { Network } from '../../../src/engine/network';
import { Session } from '../../../src/runtime/session';
import { errorOutput, INTERNAL_CODE, INTERNAL_TEXT } from '../../../src/runtime/errors';
import type { CellRun, RunHost } from '../../../src/runtime/types';

const host = (over: Partial<RunHost> = {}): RunHost => ({
  isCancelled: () => false,
  yieldNow: async () => {},
  now: () => 0,
  ...over,
});

const NET = 'network 2 -> 2 sigmoid -> 1 sigmoid\ninput x = [1, 0]\ntarget t = [1]';

async function run(cells: string[], over: Partial<RunHost> = {}): Promise<CellRun> {
  const s = new Session();
  let last: CellRun | undefined;
  for (const cell of cells) last = await s.runCell(cell, host(over));
  return last!;
}

/** The one error problem of a run, with the text it points at. */
function onlyError(r: CellRun, text: string) {
  const errors = r.problems.filter((p) => p.severity === 'error');
  assert.equal(errors.length, 1, JSON.stringify(r.problems));
  return { ...errors[0], at: text.slice(errors[0].start, errors[0].end) };
}

describe('runtime errors: one model', () => {
  it(
    'an engine bug (a RangeError thrown by the engine) is an internal error, not the ' +
      'user’s mistake',
    async () => {
      const original = Network.prototype.setWeightMatrix;
      Network.prototype.setWeightMatrix = function () {
        throw new RangeError('w[1] needs 2 rows (one per node of L1), got 7');
      };
      try {
        const text = 'weights [1] = [[0.1, 0.2], [0.3, 0.4]]';
        const r = await run([NET, text]);
        assert.equal(r.ok, false);
        const p = onlyError(r, text);
        assert.equal(p.code, INTERNAL_CODE);
        assert.ok(p.message.startsWith(`${INTERNAL_TEXT}: `), p.message);
        assert.match(p.message, /please report it/);
        assert.match(p.message, /got 7$/);
        assert.equal(p.at, text, 'at the statement that was running');
        assert.match(p.stack ?? '', /RangeError: w\[1\] needs 2 rows[\s\S]*\n\s+at /);
        const out = errorOutput(r)!;
        assert.equal(out.name, 'Internal error');
        assert.match(out.stack, /^Internal error: line 1, column 1: internal error/);
        assert.match(out.stack, /\n\s+at /);
      } finally {
        Network.prototype.setWeightMatrix = original;
      }
    },
  );

  it('a failing host is an internal error too, and the next cell runs', async () => {
    const s = new Session();
    await s.runCell(NET, host());
    const text = 'dataset xor\ntrain epochs 100000';
    const r = await s.runCell(text, host({ yieldNow: () => Promise.reject(new Error('gone')) }));
    const p = onlyError(r, text);
    assert.equal(p.code, INTERNAL_CODE);
    assert.match(p.message, /internal error .*: gone$/);
    assert.equal((await s.runCell('forward', host())).ok, true);
  });

  const MISTAKES: [string, string[], string, string, RegExp, string?][] = [
    ['no network', [], 'forward', 'BPNB201', /needs a network/],
    ['no input', ['network 2 -> 1 sigmoid'], 'forward', 'BPNB301', /no input yet/],
    ['backward before forward', [NET], 'show deltas', 'BPNB301', /run `backward` first/, 'deltas'],
    ['an empty data table', [], 'data d = []', 'BPNB302', /no rows/],
    [
      'a CSV row that is not a number',
      [NET],
      'dataset csv "bad.csv"',
      'BPNB302',
      /bad\.csv: row 2, column 2: "x" is not a finite number/,
    ],
    [
      'a file that cannot be read',
      [NET],
      'dataset csv "gone.csv"',
      'BPNB303',
      /cannot read "gone\.csv": no such file/,
      '"gone.csv"',
    ],
    [
      'reading files not available',
      [NET],
      'weights from "m.safetensors"',
      'BPNB303',
      /reading files is not available here/,
      '"m.safetensors"',
    ],
    [
      'training that diverges',
      ['network 2 -> 2 relu -> 1 linear\nloss half-squared\ninput x = [1, 0]\ntarget t = [1]'],
      'train epochs 1000 lr 1e6',
      'BPNB305',
      /training diverged: the loss became non-finite/,
    ],
  ];
  for (const [name, before, text, code, message, at] of MISTAKES) {
    it(`${name}: ${code}, at the statement, said as the user's mistake`, async () => {
      const r = await run([...before, text], {
        readTextFile: async (path) => {
          if (path === 'bad.csv') return 'x1,x2,t\n0,x,0\n';
          throw new Error('no such file');
        },
      });
      const p = onlyError(r, text);
      assert.equal(p.code, code, p.message);
      assert.match(p.message, message);
      assert.ok(!p.message.includes('internal error') && p.stack === undefined, p.message);
      assert.equal(p.at, at ?? text);
      assert.equal(errorOutput(r)?.name, 'Cell error');
    });
  }
});
