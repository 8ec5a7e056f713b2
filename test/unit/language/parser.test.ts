import { validate } from '../../../src/language/validate';
import * as assert from 'assert/strict';
import type { Statement } from '../../../src/language/ast';
import { parse } from '../../../src/language/parser';
import { formatDiagnostic } from '../../../src/language/diagnostics';

/** The one statement of a line, without spans, or its diagnostic codes. */
function one(text: string): unknown {
  const r = parse(text);
  if (r.diagnostics.length) return r.diagnostics.map((d) => d.code).join(',');
  assert.equal(r.statements.length, 1, text);
  return strip(r.statements[0]);
}
function strip(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(strip);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => k !== 'span' && k !== 'pathSpan' && k !== 'optionSpans')
        .map(([k, v]) => [k, strip(v)]),
    );
  }
  return value;
}
function codes(text: string): string {
  return parse(text)
    .diagnostics.map((d) => d.code)
    .join(',');
}
function kinds(text: string): string {
  return parse(text)
    .statements.map((s: Statement) => s.kind)
    .join(' ');
}

describe('language/parser: statements', () => {
  const cases: [string, unknown][] = [
    [
      'network 2 -> 3 sigmoid -> 1 sigmoid',
      {
        kind: 'network',
        layers: [
          { size: 2 },
          { size: 3, activation: { name: 'sigmoid', implicit: false } },
          { size: 1, activation: { name: 'sigmoid', implicit: false } },
        ],
      },
    ],
    [
      'network xor 2 -> 1 tanh',
      {
        kind: 'network',
        name: { text: 'xor' },
        layers: [{ size: 2 }, { size: 1, activation: { name: 'tanh', implicit: false } }],
      },
    ],
    [
      'network 2 -> 1',
      {
        kind: 'network',
        layers: [{ size: 2 }, { size: 1, activation: { name: 'sigmoid', implicit: true } }],
      },
    ],
    [
      'network 2 -> 4 leaky-relu(0.1) -> 2 softmax',
      {
        kind: 'network',
        layers: [
          { size: 2 },
          { size: 4, activation: { name: 'leaky-relu', alpha: 0.1, implicit: false } },
          { size: 2, activation: { name: 'softmax', implicit: false } },
        ],
      },
    ],
    [
      'network 2 -> 1 linear',
      {
        kind: 'network',
        layers: [{ size: 2 }, { size: 1, activation: { name: 'identity', implicit: false } }],
      },
    ],
    ['use xor', { kind: 'use', name: { text: 'xor' } }],
    ['bias off', { kind: 'bias', on: false }],
    ['bias on [3]', { kind: 'bias', on: true, layer: 3 }],
    ['loss half-squared', { kind: 'loss', loss: 'half-squared' }],
    // a word that is no built-in loss names a user-defined one (the validator checks it is defined)
    [
      'loss huber sum',
      {
        kind: 'loss',
        loss: 'huber',
        userDefined: { text: 'huber' },
        reduction: 'sum',
      },
    ],
    ['loss cross-entropy sum', { kind: 'loss', loss: 'cross-entropy', reduction: 'sum' }],
    [
      'w11[1] = 0.15',
      {
        kind: 'assign',
        target: { kind: 'weight', from: 1, to: 1, layer: 1, text: 'w11[1]' },
        value: 0.15,
      },
    ],
    [
      'b1[2] = -0.35',
      { kind: 'assign', target: { kind: 'bias', node: 1, layer: 2, text: 'b1[2]' }, value: -0.35 },
    ],
    [
      'weights [2] = [[0.40], [0.45], [0.50]]',
      { kind: 'weights', layer: 2, rows: [[0.4], [0.45], [0.5]] },
    ],
    [
      'weights [1] = [0.1 0.2; 0.3 0.4]',
      {
        kind: 'weights',
        layer: 1,
        rows: [
          [0.1, 0.2],
          [0.3, 0.4],
        ],
      },
    ],
    [
      'weights [1] = [\n  0.1 0.2\n  0.3 0.4\n]',
      {
        kind: 'weights',
        layer: 1,
        rows: [
          [0.1, 0.2],
          [0.3, 0.4],
        ],
      },
    ],
    ['biases [2] = [0.35, 0.35]', { kind: 'biases', layer: 2, values: [0.35, 0.35] }],
    ['init xavier seed 42', { kind: 'init', method: 'xavier', seed: 42 }],
    ['init uniform 0.5 seed 1', { kind: 'init', method: 'uniform', range: 0.5, seed: 1 }],
    ['init he', { kind: 'init', method: 'he', seed: 1 }],
    [
      'freeze w11[1]',
      {
        kind: 'freeze',
        frozen: true,
        target: {
          kind: 'quantity',
          quantity: { kind: 'weight', from: 1, to: 1, layer: 1, text: 'w11[1]' },
        },
      },
    ],
    ['freeze layer 2', { kind: 'freeze', frozen: true, target: { kind: 'layer', layer: 2 } }],
    [
      'unfreeze weights [1]',
      { kind: 'freeze', frozen: false, target: { kind: 'weights', layer: 1 } },
    ],
    ['unfreeze all', { kind: 'freeze', frozen: false, target: { kind: 'all' } }],
    ['input x = [0.05, 0.10]', { kind: 'input', name: { text: 'x' }, values: [0.05, 0.1] }],
    ['target t = [0.01]', { kind: 'target', name: { text: 't' }, values: [0.01] }],
    ['target [1 0]', { kind: 'target', values: [1, 0] }],
    [
      'data = [0 0 -> 0; 0 1 -> 1]',
      {
        kind: 'data',
        rows: [
          { inputs: [0, 0], targets: [0] },
          { inputs: [0, 1], targets: [1] },
        ],
      },
    ],
    ['data x2 = [\n 0 0 -> 0\n 1 1 -> 1 0\n]', 'BPNB108'],
    ['data x2 = [\n 0 0 -> 0\n 1 1 -> 1 0\n]\nforward', 'BPNB108'],
    ['dataset xor', { kind: 'dataset', source: { kind: 'builtin', name: 'xor' } }],
    ['dataset gaussian', { kind: 'dataset', source: { kind: 'builtin', name: 'blobs' } }],
    [
      'dataset spiral n 200 noise 0.1 seed 3',
      { kind: 'dataset', source: { kind: 'builtin', name: 'spiral', n: 200, noise: 0.1, seed: 3 } },
    ],
    [
      'dataset csv "data/points.csv" inputs 2 targets 1',
      { kind: 'dataset', source: { kind: 'csv', path: 'data/points.csv', inputs: 2, targets: 1 } },
    ],
    ['dataset mine', { kind: 'dataset', source: { kind: 'named', name: { text: 'mine' } } }],
    ['forward', { kind: 'forward' }],
    ['backward', { kind: 'backward' }],
    ['update lr 0.5', { kind: 'update', learningRate: 0.5 }],
    ['update', { kind: 'update' }],
    ['step η 0.1', { kind: 'step', learningRate: 0.1 }],
    [
      'train epochs 1000 lr 0.5 batch 4 optimiser adam log 100 until E < 0.01',
      {
        kind: 'train',
        epochs: 1000,
        learningRate: 0.5,
        batch: 4,
        optimiser: 'adam',
        log: 100,
        until: { quantity: 'E', comparison: '<', value: 0.01 },
      },
    ],
    [
      'train steps 10 batch online optimizer momentum momentum 0.9 l2 1e-4 seed 7',
      {
        kind: 'train',
        steps: 10,
        batch: 'online',
        optimiser: 'momentum',
        momentum: 0.9,
        l2: 1e-4,
        seed: 7,
      },
    ],
    ['show deltas', { kind: 'show', targets: [{ kind: 'group', group: 'deltas' }] }],
    [
      'show weights [2], z1[2], loss curve',
      {
        kind: 'show',
        targets: [
          { kind: 'group', group: 'weights', layer: 2 },
          {
            kind: 'quantity',
            quantity: { kind: 'preActivation', node: 1, layer: 2, text: 'z1[2]' },
          },
          { kind: 'group', group: 'loss curve' },
        ],
      },
    ],
    ['show boundary', { kind: 'show', targets: [{ kind: 'group', group: 'boundary' }] }],
    [
      'explain dE/dw11[1]',
      {
        kind: 'explain',
        quantity: { kind: 'weightGrad', from: 1, to: 1, layer: 1, text: 'dE/dw11[1]' },
      },
    ],
    [
      'explain δ1[2]',
      { kind: 'explain', quantity: { kind: 'delta', node: 1, layer: 2, text: 'δ1[2]' } },
    ],
    ['gradcheck', { kind: 'gradcheck' }],
    ['gradcheck eps 1e-4 tol 1e-5', { kind: 'gradcheck', eps: 1e-4, tol: 1e-5 }],
    [
      'expect dE/dw11[1] = 0.000438 ± 1e-6',
      {
        kind: 'expect',
        quantity: { kind: 'weightGrad', from: 1, to: 1, layer: 1, text: 'dE/dw11[1]' },
        comparison: '=',
        value: 0.000438,
        tolerance: 1e-6,
      },
    ],
    [
      'expect E < 0.01',
      { kind: 'expect', quantity: { kind: 'loss', text: 'E' }, comparison: '<', value: 0.01 },
    ],
    [
      'expect a1[3] = 0.5 +- 0.1',
      {
        kind: 'expect',
        quantity: { kind: 'activation', node: 1, layer: 3, text: 'a1[3]' },
        comparison: '=',
        value: 0.5,
        tolerance: 0.1,
      },
    ],
    ['mistake stale-weights on', { kind: 'mistake', mistake: 'stale-weights', on: true }],
  ];
  for (const [text, expected] of cases)
    it(text.replace(/\n/g, '⏎'), () => assert.deepEqual(one(text), expected));
});

describe('language/parser: errors', () => {
  const cases: [string, string][] = [
    ['forwrd', 'BPNB101'],
    ['network', 'BPNB102'],
    ['network 2', 'BPNB102'],
    ['network 2 -> 0', 'BPNB107'],
    ['network 2 -> 1.5', 'BPNB107'],
    ['loss mse average', 'BPNB105'],
    ['forward now', 'BPNB103'],
    ['weights [2] = [0.4, 0.5', 'BPNB104'],
    ['weights [2] = [[[0.4]]]', 'BPNB004'],
    ['input x = [[1]]', 'BPNB004'],
    ['z1[2] = 3', 'BPNB122'],
    ['explain a1[2]', 'BPNB122'],
    ['w123[1] = 3', 'BPNB120'],
    ['train epochs 10 steps 5', 'BPNB109'],
    ['train epochs 10 epochs 5', 'BPNB106'],
    ['train speed 3', 'BPNB102'],
    ['update lr -1', 'BPNB107'],
    ['expect E < 1 ± 3', 'BPNB102'],
    ['dataset csv "../secret.csv"', 'BPNB110'],
    ['dataset csv "/etc/passwd"', 'BPNB110'],
    ['dataset csv "C:\\\\x.csv"', 'BPNB110'],
    ['data = [0 0; 1 1]', 'BPNB102'],
    ['show loss [2]', 'BPNB102'],
    ['[1, 2]', 'BPNB102'],
    ['w11[1] = 1e999', 'BPNB003'],
  ];
  for (const [text, expected] of cases)
    it(`${text} → ${expected}`, () => assert.equal(codes(text), expected));

  it('unknown statement suggests the closest keyword', () => {
    assert.equal(parse('bakward').diagnostics[0].args.suggestion, 'backward');
  });
});

describe('language/parser: seeds', () => {
  // the generator keeps 32 bits: seed 2^64 − 1 used to run as seed 0 (its low 32 bits) and print
  // as 18446744073709552000
  const written = ['init xavier seed N', 'dataset spiral n 4 seed N', 'train epochs 1 seed N'];
  for (const line of written) {
    it(`${line}: 0 and 4294967295 (2^32 − 1) are seeds, 4294967296 and 2^64 − 1 are not`, () => {
      assert.equal(codes(line.replace('N', '0')), '');
      assert.equal(codes(line.replace('N', '4294967295')), '');
      for (const seed of ['4294967296', '18446744073709551615']) {
        const text = line.replace('N', seed);
        const [d, ...more] = parse(text).diagnostics;
        assert.deepEqual(more, []);
        assert.equal(d.code, 'BPNB107');
        assert.equal(text.slice(d.span.start, d.span.end), seed);
        assert.equal(
          formatDiagnostic(d),
          `seed must be a whole number from 0 to 4294967295, got ${seed}`,
        );
      }
    });
  }
});

describe('language/parser: recovery line by line', () => {
  const cases: [string, string, string][] = [
    ['bad line between good ones', 'forward\nfoo bar\nbackward', 'forward error backward'],
    [
      'unclosed bracket stops at the next statement',
      'weights [1] = [0.1, 0.2\nforward',
      'error forward',
    ],
    ['bracket continues over lines', 'biases [2] = [0.1,\n 0.2]\nforward', 'biases forward'],
    ['blank lines and comments', '\n# only a comment\n\nforward\n', 'forward'],
    ['extra text keeps the statement', 'forward now\nbackward', 'forward backward'],
    ['deep nesting is one error line', `${'['.repeat(10000)}\nforward`, 'error forward'],
    [
      'rest of a broken multi-line list is skipped',
      'weights [1] = [0.1 x\n 0.3 0.4\n]\nforward',
      'error forward',
    ],
    ['every line bad', 'a b\nc d\ne f', 'error error error'],
  ];
  for (const [name, text, expected] of cases) it(name, () => assert.equal(kinds(text), expected));

  it(
    'an unknown activation or show group is reported by validation (a word may be a ' +
      'user-defined name), with a suggestion',
    () => {
      for (const [text, suggestion] of [
        ['network 2 -> 1 sigmod', 'sigmoid'],
        ['show colours', undefined],
      ] as const) {
        const r = parse(text);
        assert.deepEqual(r.diagnostics, [], text);
        const v = validate(r.program);
        assert.deepEqual(
          v.map((d) => [d.code, d.args.suggestion]),
          [['BPNB105', suggestion]],
          text,
        );
      }
    },
  );

  it('error statement spans its line', () => {
    const r = parse('forward\nfoo bar\nbackward');
    assert.deepEqual(r.statements[1].span, { start: 8, end: 15 });
  });
  it('diagnostic span points at the bad word', () => {
    assert.deepEqual(parse('loss mse average').diagnostics[0].span, { start: 9, end: 16 });
  });
  it('statement spans cover the statement', () => {
    const text = 'forward\n  update lr 0.5  # go';
    const s = parse(text).statements[1];
    assert.equal(text.slice(s.span.start, s.span.end), 'update lr 0.5');
  });
});
