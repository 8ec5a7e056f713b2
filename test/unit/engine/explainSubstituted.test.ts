/**
 * explain's substituted forms read back as their values: each one, written as a cell's expression
 * (the computation-graph language, where −0.7^2 is −(0.7²) as in Python), evaluates to the value of
 * its step up to the rounding of the numbers put in.
 */
import { strict as assert } from 'assert';
import { Session } from '../../../src/runtime/session';
import type { DerivationItem } from '../../../src/protocol/results';
import { host, runOk } from '../runHost';
import { partsText } from '../../../src/protocol/text';

/** The value of `text` as an expression of the cell language, or undefined when it is not one. */
async function evaluate(text: string): Promise<number | undefined> {
  const r = await new Session().runCell(`v = ${text.replace(/²/g, '^2')}`, host);
  const m = r.ok ? r.items.flatMap((i) => (i.kind === 'message' ? [partsText(i.text)] : [])) : [];
  const value = m.length ? / = (\S+)$/.exec(m[0]) : null;
  return value ? Number(value[1]) : undefined;
}

describe('engine/explain: a substituted form is its value', () => {
  it(
    'negative numbers put into a formula are parenthesised: 1 − (−0.74)², not 1 − −0.74² ' +
      '(which is 1.55)',
    async () => {
      const s = new Session();
      // tanh hidden nodes on both sides of 0 and a negative target: a, z and t are negative
      // somewhere
      const r = await runOk(
        s,
        [
          'network 2 -> 3 tanh -> 1 tanh',
          'bias off',
          'weights [1] = [[1.5, -1, -0.9], [-0.6, -1.4, 0.03]]',
          'weights [2] = [[-1.2], [1.3], [0.35]]',
          'input x = [1, -1]',
          'target t = [-0.5]',
          'forward',
          'backward',
          'explain dE/dw11[1]',
          'explain dE/dx1',
        ].join('\n'),
      );
      const steps = r.items.flatMap((i) =>
        i.kind === 'derivation' ? (i as DerivationItem).steps : [],
      );
      let checked = 0;
      let negative = 0;
      for (const step of steps) {
        const got = await evaluate(step.substituted);
        if (got === undefined) continue;
        const value = Number(step.value);
        checked++;
        if (/-\d/.test(step.substituted)) negative++;
        // six significant digits in each number put in: agree to ~1e-5 of the terms' size
        assert.ok(
          Math.abs(got - value) <= 1e-4 * Math.max(1, Math.abs(value)),
          `${step.symbolic}: ${step.substituted} = ${got}, not ${value}`,
        );
      }
      assert.ok(
        checked >= 8 && negative >= 4,
        `${checked} steps evaluated, ${negative} with negative numbers`,
      );
    },
  );
});
