/**
 * The runtime is total: `Session.runCell` never throws (a failure is a CellRun with problems),
 * never hangs (every run ends; long training is sliced and the host stops it), and every problem's
 * range lies inside the cell. Generated and mutated cells run one after another against one
 * session, so later cells meet whatever state the earlier ones left.
 */
import * as assert from 'assert/strict';
import * as fc from 'fast-check';
import { Session } from '../../../src/runtime/session';
import type { CellRun, RunHost } from '../../../src/runtime/types';
import { figures } from './figures';

/**
 * A host that asks to stop after it was asked `budget` times (the trainer asks every few steps).
 */
function boundedHost(budget = 300): RunHost & { asked: number } {
  const h = {
    asked: 0,
    isCancelled: () => ++h.asked > budget,
    yieldNow: async () => {},
    now: () => 0,
    onProgress: () => {},
    readTextFile: async (path: string) => {
      if (path.includes('throw')) throw new Error('disk on fire');
      if (path.includes('bad')) return 'a,b,t\n1,2\n1,x,0\n1e309,NaN,Infinity\n';
      return 'x1,x2,t\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n';
    },
  };
  return h;
}

function assertWellFormed(text: string, run: CellRun): void {
  assert.equal(typeof run.ok, 'boolean');
  assert.ok(Array.isArray(run.items) && Array.isArray(run.problems));
  for (const p of run.problems) {
    assert.ok(
      Number.isInteger(p.start) &&
        Number.isInteger(p.end) &&
        0 <= p.start &&
        p.start <= p.end &&
        p.end <= text.length,
      `problem ${p.code} "${p.message}" at ${p.start}..${p.end} outside 0..${text.length} in ` +
        `${JSON.stringify(text.slice(0, 200))}`,
    );
    assert.ok(p.line >= 1 && p.column >= 1, `line/column of ${p.code}`);
    assert.ok(
      p.message.length > 0 && !/\[object|undefined/.test(p.message),
      `message of ${p.code}: ${p.message}`,
    );
    assert.ok(
      p.code !== 'BPNB900' && !p.message.startsWith('internal error'),
      `a bug surfaced in ${JSON.stringify(text.slice(0, 300))}: ${p.message}`,
    );
  }
  if (!run.ok && !run.cancelled && run.expectations.failed === 0)
    assert.ok(
      run.problems.some((p) => p.severity === 'error'),
      'a failed run says why',
    );
  assert.doesNotThrow(() => JSON.stringify(run.items));
}

/** Runs the cells in order against one fresh session; returns how many runs failed cleanly. */
async function runAll(cells: string[]): Promise<{ ok: number; refused: number }> {
  const session = new Session({ maxBytes: 64 * 1024 * 1024 });
  let ok = 0,
    refused = 0;
  for (const text of cells) {
    const run = await session.runCell(text, boundedHost());
    assertWellFormed(text, run);
    if (run.ok) ok++;
    else refused++;
  }
  return { ok, refused };
}

const NUMBERS = [
  '0',
  '-0',
  '1',
  '2',
  '3',
  '0.5',
  '-1',
  '1e309',
  '-1e309',
  '1e-320',
  '1e308',
  'NaN',
  'Infinity',
  '-Infinity',
  '1e9',
  '100000',
  '4294967297',
  '0x10',
  '1_0',
  '.5',
  '5.',
  '-',
  '±1',
  '1e',
  '9007199254740993',
];
const SMALL = ['1', '2', '3', '0', '-0', '-1', '1e309', '100000', '2.5'];
const ACT = [
  'sigmoid',
  'tanh',
  'relu',
  'linear',
  'softmax',
  'leaky-relu(0.1)',
  'leaky-relu(1e309)',
  'leaky-relu(-0)',
  'bogus',
  '',
];

const num = fc.constantFrom(...NUMBERS);
const small = fc.constantFrom(...SMALL);
const list = fc.array(num, { maxLength: 5 }).map((v) => `[${v.join(', ')}]`);
const layer = fc.tuple(small, fc.constantFrom(...ACT)).map(([n, a]) => `${n} ${a}`.trim());
const network = fc
  .tuple(small, fc.array(layer, { minLength: 1, maxLength: 4 }))
  .map(([n, ls]) => `network ${n} -> ${ls.join(' -> ')}`);
const epochs = fc.integer({ min: 0, max: 30 });
/** Statements that usually run on the 2-3-1 network the prelude defines. */
const usual = fc.oneof(
  fc.constantFrom(
    'forward',
    'backward',
    'update lr 0.5',
    'step',
    'show weights, biases, loss',
    'show deltas, gradients',
    'show network',
    'explain dE/dw11[1]',
    'gradcheck',
    'dataset xor',
    'dataset spiral n 30 seed 2',
    'dataset csv "data.csv"',
    'init xavier seed 2',
    'bias off',
    'bias on',
    'loss mse',
    'mistake stale-weights on',
    'expect E < 10',
    'show boundary',
    'w11[1] = 0.3',
    'b1[2] = -0',
  ),
  fc
    .tuple(
      fc.constantFrom('input x', 'target t'),
      fc.constantFrom('[0.05, 0.1]', '[0.01]', '[-0, 1e308]', '[1e-320, 5]'),
    )
    .map(([a, l]) => `${a} = ${l}`),
  epochs.map((e) => `train epochs ${e} lr 0.5`),
);
const PRELUDE = 'network 2 -> 3 sigmoid -> 1 sigmoid\ninput x = [0.05, 0.10]\ntarget t = [0.01]';
const hostile = fc.oneof(
  network,
  fc.constantFrom(
    'network 2 -> 3 sigmoid -> 1 sigmoid',
    'network 2 -> 2 tanh -> 1 sigmoid',
    'network 100000 -> 100000 relu -> 1 sigmoid',
    'network 2 -> 0 sigmoid -> 1 sigmoid',
    'network 0 -> 1 sigmoid',
    `network 2 -> ${'2 tanh -> '.repeat(300)}1 sigmoid`,
    'network 1e309 -> 1 sigmoid',
    'network 3 -> 4 softmax -> 2 softmax',
  ),
  fc.tuple(fc.constantFrom('input x', 'target t'), list).map(([a, l]) => `${a} = ${l}`),
  fc
    .tuple(fc.constantFrom('w11[1]', 'w(2,3)[2]', 'b1[2]', 'x1', 't1', 'z1[2]', 'w99[9]'), num)
    .map(([q, v]) => `${q} = ${v}`),
  fc
    .tuple(fc.constantFrom('1', '2', '3', '0', '9'), fc.array(list, { maxLength: 3 }))
    .map(([k, rows]) => `weights [${k}] = [${rows.join(', ')}]`),
  fc.tuple(fc.constantFrom('2', '3', '1'), list).map(([k, l]) => `biases [${k}] = ${l}`),
  fc.constantFrom(
    'bias off',
    'bias on',
    'bias on 2',
    'bias off 9',
    'loss half-squared',
    'loss mse',
    'loss cross-entropy',
    'loss binary-cross-entropy',
    'forward',
    'backward',
    'update',
    'step',
    'step lr 1e309',
    'update lr -0',
    'show weights, biases, deltas, loss, network, data, boundary, loss curve',
    'show activations [2], gradients',
    'explain dE/dw11[1]',
    'explain δ1[2]',
    'gradcheck',
    'mistake stale-weights on',
    'mistake stale-weights off',
    'init xavier seed 3',
    'init uniform 1e309 seed 1',
    'freeze all',
    'unfreeze all',
    'freeze w11[1]',
    'use net',
    'use nope',
    'dataset xor',
    'dataset spiral n 20 noise 0.1 seed 2',
    'dataset circle n 0',
    'dataset moons n 1e309',
    'dataset blobs n 100000000000',
    'dataset csv "data.csv"',
    'dataset csv "bad.csv"',
    'dataset csv "throw.csv"',
    'dataset csv "../../etc/passwd"',
    'dataset xs',
    'data xs = [0 0 -> 0; 0 1 -> 1; 1 0 -> 1; 1 1 -> 0]',
    'data = [1e309 0 -> 1]',
    'data ys = [1 2 -> 0; 1 -> 1]',
    'data e = []',
    'expect E < 1',
    'expect w11[1] = 0.15 ± 1e309',
    'expect a1[3] > NaN',
  ),
  fc
    .tuple(
      epochs,
      fc.constantFrom(
        '',
        ' lr 0.5',
        ' lr 1e309',
        ' lr 1e6',
        ' batch 1',
        ' batch 0',
        ' optimiser adam',
        ' optimiser momentum 0.9',
        ' until E < 0.01',
        ' log 1',
        ' until E > 1',
      ),
    )
    .map(([e, o]) => `train epochs ${e}${o}`),
  fc.constantFrom('train steps 5', 'train epochs 100000000', 'train', 'train epochs 1e309'),
);
const statement = fc.oneof({ arbitrary: usual, weight: 4 }, { arbitrary: hostile, weight: 1 });
const cell = fc.array(statement, { minLength: 1, maxLength: 4 }).map((s) => s.join('\n'));

const SAMPLE = `network 2 -> 3 sigmoid -> 1 sigmoid
bias off
weights [1] = [[0.15, 0.25, 0.35], [0.20, 0.30, 0.40]]
weights [2] = [[0.40], [0.45], [0.50]]
input x = [0.05, 0.10]
target t = [0.01]
forward
backward
update lr 0.5
show deltas, gradients, network, loss
explain dE/dw11[1]
expect E < 1
dataset xor
train epochs 20 lr 0.5 until E < 0.01
show loss curve, boundary`;

const mutated = fc
  .array(
    fc.tuple(
      fc.nat(),
      fc.nat({ max: 3 }),
      fc.constantFrom(
        ...NUMBERS,
        ...ACT,
        '->',
        '[',
        ']',
        '\n',
        ' ',
        '1e309',
        'epochs 99999999',
        '😀',
        '\u0000',
      ),
    ),
    { minLength: 1, maxLength: 2 },
  )
  .map((edits) =>
    edits.reduce((text, [at, remove, insert]) => {
      const i = at % (text.length + 1);
      return text.slice(0, i) + insert + text.slice(i + remove);
    }, SAMPLE),
  );

describe('runtime is total (property)', function () {
  // generous: hundreds of sessions on a slow, shared machine; nothing here asserts a time
  this.timeout(240000);

  it('generated cells run in sequence against one session', async () => {
    let cells = 0,
      ok = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(cell, { minLength: 1, maxLength: 6 }), async (generated) => {
        const cs = [PRELUDE, ...generated];
        const r = await runAll(cs);
        cells += cs.length;
        ok += r.ok;
      }),
      { numRuns: 300, seed: 20240610 },
    );
    figures.record(
      'runtime: generated cells in sequence',
      cells,
      cells,
      `${ok} ran ok, ${cells - ok} refused or failed with a located problem`,
    );
  });

  it('mutated sample cells', async () => {
    let cells = 0,
      ok = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(mutated, { minLength: 1, maxLength: 3 }), async (cs) => {
        const r = await runAll(cs);
        cells += cs.length;
        ok += r.ok;
      }),
      { numRuns: 300, seed: 20240611 },
    );
    figures.record(
      'runtime: mutated sample cells in sequence',
      cells,
      cells,
      `${ok} ran ok, ${cells - ok} refused or failed with a located problem`,
    );
  });

  it('refuses a huge network by the memory it would need, before allocating', async () => {
    const s = new Session({ maxBytes: 64 * 1024 * 1024 });
    const text = 'network 100000 -> 100000 relu -> 1 sigmoid';
    const run = await s.runCell(text, boundedHost());
    assertWellFormed(text, run);
    assert.equal(run.ok, false);
    assert.match(run.problems[0].message, /needs [\d.]+ [GM]B .*limit 64(\.0)? MB/);
    assert.equal(s.shape(), undefined, 'nothing was defined');
  });

  it('an endless training run is stopped by the host and keeps finite weights', async () => {
    const s = new Session();
    const host = boundedHost(2000);
    const text =
      'network 2 -> 3 sigmoid -> 1 sigmoid\ndataset xor\ntrain epochs 100000000 lr ' +
      '0.5\nshow network';
    const run = await s.runCell(text, host);
    assert.equal(run.cancelled, true);
    assert.equal(run.ok, false);
    const w = s.exportWeights()!;
    assert.ok(JSON.stringify(w).length > 0 && !/null|NaN|Infinity/.test(JSON.stringify(w)));
    const after = await s.runCell('forward', boundedHost());
    assert.equal(after.ok, true, 'the session still works after a stop');
  });

  it('divergence stops at the step it appears, with the last finite weights kept', async () => {
    const s = new Session();
    const text =
      'network 2 -> 3 relu -> 1 linear\nloss half-squared\ndataset xor\ninit uniform 5 seed ' +
      '1\ntrain epochs 5000 lr 1e6';
    const run = await s.runCell(text, boundedHost(1e9));
    assertWellFormed(text, run);
    const all = JSON.stringify(run.items) + JSON.stringify(run.problems);
    assert.match(all, /diverg|non-finite|not finite|overflow/i, all.slice(0, 500));
    const w = JSON.stringify(s.exportWeights());
    assert.doesNotMatch(w, /null|NaN|Infinity/, 'weights stay finite');
  });
});
