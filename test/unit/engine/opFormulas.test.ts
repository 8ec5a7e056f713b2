/**
 * Each op's derivative formula (the text explain writes) says what its slope computes: the formula,
 * read as JavaScript with Math's functions, equals the slope at sample points away from kinks.
 */
import { strict as assert } from 'assert';
import { OPS, OP_RULES } from '../../../src/engine';

/** the formula's text as JavaScript in a and b (σ, step and sign by their definitions) */
function asJs(text: string): string {
  return text
    .replace(/·/g, '*')
    .replace(/−/g, '-')
    .replace(/²/g, '**2')
    .replace(/\^/g, '**')
    .replace(/σ\(/g, 'sig(')
    .replace(/\b(exp|log|sqrt|tanh|sign)\(/g, 'Math.$1(');
}

const sig = (x: number) => 1 / (1 + Math.exp(-x));
const step = (x: number) => (x > 0 ? 1 : 0);

describe("each op's derivative formula agrees with its slope", () => {
  const points: [number, number][] = [
    [0.7, 2.5],
    [1.9, -0.6],
    [3.2, 1.3],
  ];
  for (const op of OPS) {
    const rule = OP_RULES[op];
    it(op, () => {
      assert.equal(rule.formula.length, rule.slope.length, 'a formula for every slope');
      rule.formula.forEach((f, k) => {
        assert.ok(f !== undefined);
        const slope = rule.slope[k]!;
        for (const [a, b] of points) {
          const out = rule.value(a, b);
          const got = slope(a, b, out);
          if (typeof f === 'string') {
            // a constant: the text is the number, whatever the operands
            assert.equal(Number(asJs(f)), got, `${op} ∂${k + 1} = ${f}`);
            continue;
          }
          if (op === 'max' || op === 'min') {
            // words, not a formula: "1 if a is the larger (½ at a tie), else 0"
            const text = f('a', 'b');
            const own = k === 0 ? 'a' : 'b';
            assert.match(text, new RegExp(`^1 if ${own} is the (larger|smaller) `));
            continue;
          }
          const text = f('a', 'b');
          // eslint-disable-next-line no-new-func -- the formula run as JavaScript is the oracle
          const js = new Function('a', 'b', 'sig', 'step', `return ${asJs(text)};`);
          assert.ok(
            Math.abs(js(a, b, sig, step) - got) <= 1e-12 * Math.max(1, Math.abs(got)),
            `${op} ∂${k + 1} = ${text} at a = ${a}, b = ${b}: ${js(a, b, sig, step)} vs ${got}`,
          );
        }
      });
    });
  }
});
