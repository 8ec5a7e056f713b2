/** The expression sub-language: precedence, spans, errors, bounds, and totality on random text. */
import { strict as assert } from 'assert';
import fc from 'fast-check';
import {
  checkExpression,
  parseExpression,
  MAX_EXPRESSION_DEPTH,
  MAX_EXPRESSION_NODES,
  type Expr,
} from '../../../src/language/expr';

/** Fully bracketed form, to read precedence at a glance. */
function shape(e: Expr): string {
  switch (e.kind) {
    case 'number':
      return String(e.value);
    case 'name':
      return e.name;
    case 'negate':
      return `(-${shape(e.operand)})`;
    case 'binary':
      return `(${shape(e.left)}${e.op}${shape(e.right)})`;
    case 'call':
      return `${e.fn}(${e.args.map(shape).join(',')})`;
  }
}
const parsed = (text: string): string => {
  const r = parseExpression(text);
  assert.deepEqual(r.diagnostics, [], text);
  return shape(r.expr as Expr);
};
const codes = (text: string): string[] => parseExpression(text).diagnostics.map((d) => d.code);

describe('expressions: parsing', () => {
  const cases: [string, string][] = [
    ['(x + y) * z', '((x+y)*z)'],
    ['a - b - c', '((a-b)-c)'],
    ['a / b * c', '((a/b)*c)'],
    ['-x^2', '(-(x^2))'],
    ['2^3^x', '(2^(3^x))'],
    ['x^-2', '(x^(-2))'],
    ['a − b × c ÷ d', '(a-((b*c)/d))'],
    ['x ** 2 · y', '((x^2)*y)'],
    ['max(a, b + 1) - sigmoid(-z)', '(max(a,(b+1))-sigmoid((-z)))'],
    ['1.5e-3 * w1', '(0.0015*w1)'],
    ['--x', '(-(-x))'],
    ["g'(z)", "g'(z)"],
  ];
  for (const [text, want] of cases) it(`${text} → ${want}`, () => assert.equal(parsed(text), want));

  it('spans: every node covers exactly its text, offsets relative to the whole line', () => {
    const line = 'f = (x + y) * exp(z)  # the circuit';
    const r = parseExpression(line, 4);
    const e = r.expr as Extract<Expr, { kind: 'binary' }>;
    assert.equal(line.slice(e.span.start, e.span.end), '(x + y) * exp(z)');
    assert.equal(line.slice(e.left.span.start, e.left.span.end), '(x + y)');
    assert.equal(line.slice(e.right.span.start, e.right.span.end), 'exp(z)');
    assert.equal(r.end, line.indexOf('#'));
  });

  const errors: [string, string][] = [
    ['x +', 'BPNB102'],
    ['(x + y', 'BPNB104'],
    ['x y', 'BPNB103'],
    ['x $ y', 'BPNB001'],
    ['', 'BPNB102'],
  ];
  for (const [text, code] of errors)
    it(`'${text}' → ${code}`, () => assert.deepEqual(codes(text), [code]));

  it('unknown functions, wrong arity and unknown names are reported by checkExpression', () => {
    const e = parseExpression('sigmoidd(x) + max(x) + q').expr as Expr;
    assert.deepEqual(
      checkExpression(e, (n) => n === 'x').map((d) => [d.code, d.args.name]),
      [
        ['BPNB132', 'sigmoidd'],
        ['BPNB133', 'max'],
        ['BPNB134', 'q'],
      ],
    );
    assert.deepEqual(
      checkExpression(parseExpression('2 * pi * x').expr as Expr, (n) => n === 'x'),
      [],
    );
  });

  it(
    `bounds: more than ${MAX_EXPRESSION_NODES} nodes or ${MAX_EXPRESSION_DEPTH} levels is a ` +
      `diagnostic, not a stack overflow`,
    () => {
      const group = `(${Array(15).fill('x').join(' + ')})`;
      assert.deepEqual(codes(Array(100).fill(group).join(' * ')), ['BPNB130']);
      assert.deepEqual(codes('('.repeat(5000) + 'x' + ')'.repeat(5000)), ['BPNB131']);
      assert.deepEqual(codes('-'.repeat(5000) + 'x'), ['BPNB131']);
      // a flat sum is long, not nested: 300 terms parse; 5,000 terms (9,999 nodes) are too large
      assert.deepEqual(codes(Array(300).fill('x').join(' + ')), []);
      assert.deepEqual(codes(Array(5000).fill('x').join(' + ')), ['BPNB130']);
      assert.deepEqual(codes(Array(300).fill('x').join(' * ')), []);
    },
  );

  it('never throws, and every span lies inside the parsed range (2,000 random strings)', () => {
    const alphabet = fc.constantFrom(...'xyz01.e+-−*/^()(), maxexpsigmoid#é×'.split(''));
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 40 }), fc.nat(5), (chars, pad) => {
        const text = ' '.repeat(pad) + chars.join('');
        const r = parseExpression(text, pad);
        for (const d of r.diagnostics) assert.ok(d.span.start >= pad && d.span.end <= text.length);
        const visit = (e: Expr): void => {
          assert.ok(e.span.start >= pad && e.span.end <= text.length && e.span.start <= e.span.end);
          if (e.kind === 'binary') [e.left, e.right].forEach(visit);
          if (e.kind === 'negate') visit(e.operand);
          if (e.kind === 'call') e.args.forEach(visit);
        };
        if (r.expr) visit(r.expr);
        assert.ok(r.expr !== undefined || r.diagnostics.length > 0);
      }),
      { numRuns: 2000, seed: 15 },
    );
  });
});
