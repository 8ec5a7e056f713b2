/**
 * A failure stays in its cell: a host that throws (reading a file, reporting progress), a thrown
 * non-Error, a malformed renderer payload. The next cell in the same session still runs, and no
 * promise rejection goes unhandled.
 */
import * as assert from 'assert/strict';
import { Session } from '../../../src/runtime/session';
import type { RunHost } from '../../../src/runtime/types';
import { renderPayload } from '../../../src/views/renderer';
import { withFakeDocument } from '../views/fakeDom';
import { figures } from './figures';

const base: RunHost = { isCancelled: () => false, yieldNow: async () => {}, now: () => 0 };

describe('a failure stays in its cell', () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  before(() => process.on('unhandledRejection', onUnhandled));
  after(async () => {
    await new Promise((r) => setImmediate(r));
    process.off('unhandledRejection', onUnhandled);
    assert.deepEqual(unhandled, [], 'no unhandled rejections');
  });

  const FAULTS: [string, Partial<RunHost>, string, RegExp][] = [
    [
      'readTextFile throws an Error',
      {
        readTextFile: () => {
          throw new Error('disk on fire');
        },
      },
      'dataset csv "d.csv"',
      /cannot read "d\.csv": disk on fire/,
    ],
    [
      'readTextFile rejects with a string',
      { readTextFile: () => Promise.reject('nope') },
      'dataset csv "d.csv"',
      /cannot read "d\.csv": nope/,
    ],
    [
      'onProgress throws',
      {
        onProgress: () => {
          throw new TypeError('view gone');
        },
      },
      'dataset xor\ntrain epochs 100000',
      /^internal error .*: view gone$/,
    ],
    [
      'yieldNow rejects',
      { yieldNow: () => Promise.reject(new Error('host closed')) },
      'dataset xor\ntrain epochs 100000',
      /^internal error .*: host closed$/,
    ],
    [
      'isCancelled throws',
      {
        isCancelled: () => {
          throw { odd: true };
        },
      },
      'forward',
      /internal error: \[object Object\]|internal error/,
    ],
  ];
  for (const [name, over, text, expected] of FAULTS) {
    it(`${name}: a located problem, and the next cell runs`, async () => {
      const s = new Session();
      assert.equal(
        (
          await s.runCell(
            'network 2 -> 2 sigmoid -> 1 sigmoid\ninput x = [1, 0]\ntarget t = [1]',
            base,
          )
        ).ok,
        true,
      );
      const run = await s.runCell(text, { ...base, ...over });
      assert.equal(run.ok, false);
      assert.equal(run.problems.length, 1, JSON.stringify(run.problems));
      const p = run.problems[0];
      assert.match(p.message, expected);
      assert.ok(p.start >= 0 && p.end <= text.length && p.severity === 'error');
      const next = await s.runCell('forward\nbackward\nexpect E < 1', base);
      assert.equal(next.ok, true, JSON.stringify(next.problems));
      assert.equal(next.expectations.total, 1);
    });
  }
  after(() =>
    figures.record(
      'faults: throwing hosts (runtime)',
      FAULTS.length,
      FAULTS.length,
      'each a problem in its cell; the next cell ran',
    ),
  );

  it('a malformed renderer payload shows an error inside its own output, never throws', () => {
    const payloads: unknown[] = [
      undefined,
      null,
      42,
      'x',
      [],
      {},
      { version: 1 },
      { version: 99, items: [] },
      { version: 1, items: 'nope' },
      {
        version: 1,
        items: [
          null,
          1,
          'x',
          { kind: 'nope' },
          { kind: 'table', title: 't', columns: 'a', rows: [] },
          { kind: 'network', snapshot: {} },
        ],
      },
      {
        version: 1,
        items: [
          {
            kind: 'lossCurve',
            title: 't',
            lossLabel: 'E',
            points: [
              [1, 'NaN'],
              ['x', 2],
            ],
            done: true,
            summary: [{ text: 'E' }],
          },
        ],
      },
      { version: 1, items: [{ kind: 'message', level: 'error', text: { toString: 1 } }] },
    ];
    for (const payload of payloads) {
      withFakeDocument((doc) => {
        const out = doc.createElement('div');
        assert.doesNotThrow(
          () => renderPayload(payload, out as unknown as HTMLElement),
          JSON.stringify(payload),
        );
        if (
          payload === null ||
          typeof payload !== 'object' ||
          !Array.isArray((payload as { items?: unknown }).items)
        ) {
          assert.match(out.textContent, /Cannot show this output/, JSON.stringify(payload));
        }
      });
    }
    figures.record(
      'faults: malformed renderer payloads',
      payloads.length,
      payloads.length,
      'an error in the output, no exception',
    );
  });
});
