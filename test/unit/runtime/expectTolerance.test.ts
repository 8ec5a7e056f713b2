/**
 * `expect` as docs/language.md states it: the default tolerance 1e-9 · max(1, |V|), and one rule
 * for network quantities and named values ("as for network quantities").
 */
import { strict as assert } from 'assert';
import { Session } from '../../../src/runtime/session';
import { defaultTolerance } from '../../../src/runtime/expect';
import { runOk } from '../runHost';

describe('runtime/expect: the default tolerance of =', () => {
  it('is 1e-9 · max(1, |V|) as a decimal product, shown as such (± 6e-9 for V = -6)', async () => {
    // by hand: the decimal products
    const cases: [number, number][] = [
      [-6, 6e-9],
      [0.25, 1e-9],
      [3, 3e-9],
      [1.1, 1.1e-9],
      [123.456, 1.23456e-7],
      [7e300, 7e291],
    ];
    for (const [v, want] of cases) assert.equal(defaultTolerance(v), want, String(v));
    const r = await runOk(new Session(), 'x = -2\ny = 5\nf = (x + y) * x\nexpect f = -6');
    const item = r.items.find((i) => i.kind === 'expect');
    assert.ok(item && item.kind === 'expect' && item.pass);
    assert.equal(item.tolerance, 6e-9);
  });

  it(
    'a named value follows the expect rule of network quantities: the boundary as written, the ' +
      'difference shown',
    async () => {
      const r = await runOk(
        new Session(),
        'x = 1\nexpect x = 1.1 ± 0.1\nexpect x = 0.9 +- 0.1\nnetwork 1 -> 1 identity\nbias ' +
          'off\nw11[1] = 1\nexpect w11[1] = 1.1 ± 0.1',
      );
      const items = r.items.flatMap((i) => (i.kind === 'expect' ? [i] : []));
      // by hand: |1 − 1.1| = 0.1 and |1 − 0.9| = 0.1 in decimals, on the boundary, which is
      // included
      assert.deepEqual(
        items.map((i) => [i.quantity, i.pass, i.difference]),
        [
          ['x', true, '-0.1'],
          ['x', true, '0.1'],
          ['w11[1]', true, '-0.1'],
        ],
      );
    },
  );
});
