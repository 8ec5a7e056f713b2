import * as assert from 'assert/strict';
import * as fc from 'fast-check';
import { completionsAt, quantityAt } from '../../../src/language/completion';
import { formatDiagnostic, formatDiagnosticLocation } from '../../../src/language/diagnostics';
import { parse } from '../../../src/language/parser';
import { validate } from '../../../src/language/validate';

/** Every `span` anywhere in the tree and diagnostics lies inside [0, length] with start ≤ end. */
function assertSpansInside(text: string): void {
  const result = parse(text);
  const check = (value: unknown, path: string): void => {
    if (Array.isArray(value)) {
      value.forEach((v, i) => check(v, `${path}[${i}]`));
      return;
    }
    if (!value || typeof value !== 'object') return;
    for (const [key, v] of Object.entries(value)) {
      if ((key === 'span' || key === 'pathSpan') && v && typeof v === 'object') {
        const { start, end } = v as { start: number; end: number };
        assert.ok(
          Number.isInteger(start) &&
            Number.isInteger(end) &&
            start >= 0 &&
            start <= end &&
            end <= text.length,
          `${path}.${key} = ${start}..${end} outside 0..${text.length} in ` +
            `${JSON.stringify(text.slice(0, 200))}`,
        );
      } else check(v, `${path}.${key}`);
    }
  };
  check(result.statements, 'statements');
  check(result.diagnostics, 'diagnostics');
  const validated = [
    ...validate(result.program, { sizes: [2, 3, 1], bias: [false, true, true] }),
    ...validate(result.program, undefined),
  ];
  check(validated, 'validate');
  for (const d of [...result.diagnostics, ...validated]) {
    assert.ok(formatDiagnosticLocation('cell', text, d).length > 0);
    assert.doesNotMatch(formatDiagnostic(d), /undefined|NaN|\[object/, d.code);
  }
}

const SAMPLE = `network 2 -> 3 sigmoid -> 1 sigmoid      # L1, L2, L3 as in the seed
bias off
loss half-squared
w11[1] = 0.15
weights [2] = [[0.40], [0.45], [0.50]]
weights [1] = [
  0.15 0.25 0.35
  0.20 0.30 0.40
]
input x = [0.05, 0.10]
target t = [0.01]
data xs = [0 0 -> 0; 0 1 -> 1
  1 0 -> 1; 1 1 -> 0]
dataset spiral n 200 noise 0.1 seed 3
forward
backward
show deltas, weights [2], loss curve
update lr 0.5
train epochs 1000 lr 0.5 batch 4 optimiser adam log 100 until E < 0.01
explain dE/dw11[1]
expect dE/dw(1,1)[1] = 0.000438 ± 1e-6
mistake stale-weights on
`;

const FRAGMENTS = [
  'network',
  'use',
  'bias',
  'on',
  'off',
  'loss',
  'half-squared',
  'weights',
  'biases',
  'init',
  'xavier',
  'seed',
  'freeze',
  'layer',
  'input',
  'target',
  'data',
  'dataset',
  'csv',
  '"a.csv"',
  '"',
  'xor',
  'forward',
  'backward',
  'update',
  'lr',
  'step',
  'train',
  'epochs',
  'batch',
  'optimiser',
  'until',
  'show',
  'explain',
  'gradcheck',
  'expect',
  'mistake',
  'stale-weights',
  'w11[1]',
  'w(12,3)[2]',
  'w(',
  'w1',
  'z1[2]',
  'δ1[3]',
  'dE/dw11[1]',
  '∂E/∂b1[2]',
  'dE/d',
  'E',
  'x1',
  't1',
  'a1[',
  '2',
  '-0.5',
  '1e-6',
  '1e309',
  '.',
  '->',
  '→',
  '[',
  ']',
  '(',
  ')',
  ',',
  ';',
  '=',
  '<',
  '±',
  '+-',
  '#',
  '\n',
  ' ',
  '\t',
  'leaky-relu(0.1)',
  'sigmoid',
  '😀',
  '\u0000',
  '\r\n',
  '\ufeff',
  'ä',
  '-',
];

const generatedCell = fc
  .array(
    fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 12 }).map((parts) => parts.join(' ')),
    { maxLength: 12 },
  )
  .map((lines) => lines.join('\n'));
const gluedCell = fc
  .array(fc.constantFrom(...FRAGMENTS), { maxLength: 40 })
  .map((parts) => parts.join(''));

/** A random edit of the sample: insert, delete or replace a slice with arbitrary text. */
const mutatedCell = fc
  .array(fc.tuple(fc.nat(), fc.nat({ max: 20 }), fc.string({ unit: 'binary', maxLength: 8 })), {
    minLength: 1,
    maxLength: 6,
  })
  .map((edits) =>
    edits.reduce((text, [at, remove, insert]) => {
      const i = at % (text.length + 1);
      return text.slice(0, i) + insert + text.slice(i + remove);
    }, SAMPLE),
  );

describe('language/parser is total (property)', function () {
  // a generous limit for thousands of generated cells on a slow machine; no timing is asserted
  this.timeout(60000);
  it('arbitrary unicode text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), assertSpansInside), {
      numRuns: 1500,
    });
  });
  it('cells made of language fragments', () => {
    fc.assert(fc.property(generatedCell, assertSpansInside), { numRuns: 1500 });
  });
  it('fragments glued without spaces', () => {
    fc.assert(fc.property(gluedCell, assertSpansInside), { numRuns: 1500 });
  });
  it('randomly mutated sample cells', () => {
    fc.assert(fc.property(mutatedCell, assertSpansInside), { numRuns: 1500 });
  });
  it('completion and hover at any offset of any mutated cell', () => {
    fc.assert(
      fc.property(mutatedCell, fc.integer({ min: -5, max: 2000 }), (text, offset) => {
        for (const c of completionsAt(text, offset, {
          sizes: [2, 3, 1],
          bias: [false, true, true],
        })) {
          assert.ok(c.span.start >= 0 && c.span.end <= text.length && c.span.start <= c.span.end);
        }
        const q = quantityAt(text, offset);
        if (q) assert.ok(q.span.start >= 0 && q.span.end <= text.length);
      }),
      { numRuns: 800 },
    );
  });

  const extremes: [string, string][] = [
    ['10k nested brackets', '['.repeat(10000)],
    [
      '10k nested brackets inside a statement',
      `weights [1] = ${'['.repeat(10000)}${']'.repeat(10000)}`,
    ],
    ['10k nested parentheses', `network 2 -> 1 leaky-relu${'('.repeat(10000)}`],
    ['a 200k-character line', `show ${'w11[1], '.repeat(25000)}`],
    ['a multi-line list of 10k rows', `weights [1] = [\n${'0.1 0.2\n'.repeat(10000)}]`],
    ['10k broken lines', 'foo ] bar\n'.repeat(10000)],
    ['an unclosed list over 10k lines', `data = [\n${'1 -> 0\n'.repeat(10000)}`],
    ['empty', ''],
    ['only newlines', '\n\n\n'],
    ['lone surrogates', '\ud800 w11[1] \udc00'],
  ];
  for (const [name, text] of extremes) it(name, () => assertSpansInside(text));

  it('a 200k-character line parses to one show statement', () => {
    const r = parse(`show ${'w11[1], '.repeat(25000)}E`);
    assert.equal(r.diagnostics.length, 0);
    assert.equal(r.statements[0].kind === 'show' && r.statements[0].targets.length, 25001);
  });
});
