import * as assert from 'assert/strict';
import { scan } from '../../../src/language/scanner';

/** kind:text for each token except eof */
function tokens(text: string): string {
  return scan(text)
    .tokens.filter((t) => t.kind !== 'eof')
    .map((t) => `${t.kind}:${t.text}`)
    .join(' ');
}

describe('language/scanner', () => {
  const cases: [string, string, string][] = [
    ['sizes and arrows', '2 -> 3 sigmoid', 'number:2 punct:-> number:3 word:sigmoid'],
    ['unicode arrow is ->', '2 → 3', 'number:2 punct:-> number:3'],
    ['hyphenated words', 'leaky-relu(0.1)', 'word:leaky-relu punct:( number:0.1 punct:)'],
    ['loss names', 'loss binary-cross-entropy', 'word:loss word:binary-cross-entropy'],
    ['weight quantity', 'w11[1] = 0.15', 'quantity:w11[1] punct:= number:0.15'],
    ['parenthesised weight', 'w(12,3)[2]', 'quantity:w(12,3)[2]'],
    ['gradient ascii', 'dE/dw11[1]', 'quantity:dE/dw11[1]'],
    ['gradient unicode', '∂E/∂b1[2]', 'quantity:∂E/∂b1[2]'],
    [
      'deltas in three spellings',
      'δ1[3] d1[3] delta1[3]',
      'quantity:δ1[3] quantity:d1[3] quantity:delta1[3]',
    ],
    ['E alone is a quantity', 'until E < 0.01', 'word:until quantity:E punct:< number:0.01'],
    ['input x is a word, x1 a quantity', 'input x x1', 'word:input word:x quantity:x1'],
    [
      'words starting with quantity letters',
      'weights biases data tanh xor',
      'word:weights word:biases word:data word:tanh word:xor',
    ],
    [
      'numbers: exponent, negative, decimal',
      '1e-6 -0.5 .5 3.25E2',
      'number:1e-6 number:-0.5 number:.5 number:3.25E2',
    ],
    ['plus-minus both spellings', '± +-', 'punct:± punct:±'],
    ['comments dropped', 'forward # z = Σ w·a', 'word:forward'],
    ['newlines kept', 'forward\nbackward', 'word:forward newline:\n word:backward'],
    ['string', 'csv "data/p.csv"', 'word:csv string:"data/p.csv"'],
    ['unknown character', 'forward @', 'word:forward invalid:@'],
    ['emoji is one invalid token', '😀', 'invalid:😀'],
  ];
  for (const [name, text, expected] of cases) it(name, () => assert.equal(tokens(text), expected));

  it('offsets point into the text', () => {
    const t = scan('  w11[1] = 2').tokens[0];
    assert.deepEqual([t.start, t.end], [2, 8]);
  });
  it('number values are parsed', () => assert.equal(scan('-1.5e-3').tokens[0].value, -0.0015));
  it('too-large number gets BPNB003', () =>
    assert.equal(scan('1e309').diagnostics[0].code, 'BPNB003'));
  it('unterminated string gets BPNB002', () =>
    assert.equal(scan('"abc').diagnostics[0].code, 'BPNB002'));
  it('unknown character gets BPNB001 with its span', () =>
    assert.deepEqual(scan('a @').diagnostics[0].span, { start: 2, end: 3 }));
});
