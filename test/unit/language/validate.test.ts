import * as assert from 'assert/strict';
import { formatDiagnostic } from '../../../src/language/diagnostics';
import { parse } from '../../../src/language/parser';
import { validate, type NetworkShape, type SessionNames } from '../../../src/language/validate';

/** The seed's 2-3-1 net without biases. */
const SEED: NetworkShape = { sizes: [2, 3, 1], bias: [false, false, false] };
const BIASED: NetworkShape = { sizes: [2, 3, 1], bias: [false, true, true] };

function check(text: string, shape?: NetworkShape, names?: SessionNames): string {
  const r = parse(text);
  assert.deepEqual(r.diagnostics, [], `parse of ${text}`);
  return validate(r.program, shape, names)
    .map((d) => `${d.code} ${formatDiagnostic(d)}`)
    .join(' | ');
}

describe('language/validate', () => {
  it('BPNB213 points at the ignored option, not at train', () => {
    for (const text of ['train epochs 3 momentum 0.5', 'train optimiser momentum beta1 0.8']) {
      const r = parse(text);
      const [d] = validate(r.program, SEED);
      assert.equal(d.code, 'BPNB213');
      const option = text.includes('beta1') ? 'beta1' : 'momentum ';
      const at = text.lastIndexOf(option.trim());
      assert.deepEqual(d.span, { start: at, end: at + option.trim().length }, text);
    }
  });

  it('BPNB202 with one layer allowed says k = 2, not "k in 2"', () => {
    const net: NetworkShape = { sizes: [2, 1], bias: [false, false] };
    const said = check('show z1[3]', net);
    assert.equal(said.includes('z(j)[k] needs k = 2, got 3'), true, said);
  });

  const cases: [string, string, NetworkShape | undefined, string][] = [
    ['seed weight in range', 'w31[2] = 0.5', SEED, ''],
    ['from-node out of range', 'w41[2] = 0.5', SEED, 'BPNB203 layer 2 has nodes 1–3, got 4'],
    ['to-node out of range', 'w12[2] = 0.5', SEED, 'BPNB203 layer 3 has nodes 1, got 2'],
    ['weight layer out of range', 'w11[3] = 0.5', SEED, 'BPNB202 w(i,j)[k] needs k in 1–2, got 3'],
    [
      'z of the input layer',
      'show z1[1]',
      SEED,
      'BPNB202 z(j)[k] needs k in 2–3, got 1 (layer 1 holds the inputs, which have no z; input 1 ' +
        'is x1 (= a1[1]))',
    ],
    [
      'δ of the input layer points to dE/dx',
      'explain δ2[1]',
      SEED,
      'BPNB202 δ(j)[k] needs k in 2–3, got 1 (layer 1 holds the inputs, which have no z and so ' +
        'no δ = ∂E/∂z; the gradient with respect to input 2 is dE/dx2)',
    ],
    ['dE/dx of the input layer is fine', 'explain dE/dx2', SEED, ''],
    ['a of the input layer is fine', 'show a2[1]', SEED, ''],
    ['delta node out of range', 'explain δ4[2]', SEED, 'BPNB203 layer 2 has nodes 1–3, got 4'],
    ['gradient in range', 'expect dE/dw23[1] = 0', SEED, ''],
    ['input x3 on a 2-input net', 'show x3', SEED, 'BPNB203 layer 1 has nodes 1–2, got 3'],
    ['target t1 fine', 'expect t1 = 0.01', SEED, ''],
    [
      'bias with bias off',
      'b1[2] = 0.35',
      SEED,
      "BPNB206 layer 2 has no biases (bias off); write 'bias on' first",
    ],
    ['bias with bias on', 'b1[2] = 0.35', BIASED, ''],
    ['bias on in the cell first', 'bias on\nb1[2] = 0.35', SEED, ''],
    [
      'bias off for one layer',
      'bias off [2]\nshow dE/db1[3], dE/db1[2]',
      BIASED,
      "BPNB206 layer 2 has no biases (bias off); write 'bias on' first",
    ],
    ['weights matrix fits', 'weights [2] = [[0.40], [0.45], [0.50]]', SEED, ''],
    [
      'weights matrix too short',
      'weights [2] = [[0.40], [0.45]]',
      SEED,
      'BPNB204 weights [2] needs 3 rows × 1 column, got 2 × 1',
    ],
    ['weights matrix transposed', 'weights [1] = [0.1 0.2 0.3; 0.4 0.5 0.6]', SEED, ''],
    [
      'weights matrix wrong way round',
      'weights [1] = [0.1 0.2; 0.3 0.4; 0.5 0.6]',
      SEED,
      'BPNB204 weights [1] needs 2 rows × 3 columns, got 3 × 2',
    ],
    [
      'weights layer out of range',
      'weights [3] = [[1]]',
      SEED,
      'BPNB202 weights [k] needs k in 1–2, got 3',
    ],
    [
      'biases length',
      'biases [2] = [0.35, 0.35]',
      BIASED,
      'BPNB205 biases [2] needs 3 values (layer 2 has 3 nodes), got 2',
    ],
    [
      'input length',
      'input x = [0.05, 0.10, 1]',
      SEED,
      'BPNB205 input needs 2 values (layer 1 has 2 nodes), got 3',
    ],
    ['target length', 'target t = [0.01]', SEED, ''],
    [
      'no network yet',
      'forward',
      undefined,
      "BPNB201 'forward' needs a network; define one first, e.g. network 2 -> 3 sigmoid -> " +
        '1 sigmoid',
    ],
    [
      'network defined in the cell',
      'network 2 -> 2 -> 1\nw22[1] = 1\nw31[2] = 1',
      undefined,
      'BPNB203 layer 2 has nodes 1–2, got 3',
    ],
    ['redefining changes the shape', 'network 3 -> 1\ninput x = [1, 2, 3]', SEED, ''],
    ['show data needs no network', 'data = [0 -> 1]\nshow data', undefined, ''],
    [
      'softmax on a hidden layer',
      'network 2 -> 3 softmax -> 1',
      undefined,
      'BPNB208 softmax belongs on the output layer, not layer 2',
    ],
    [
      'builtin dataset on a 3-input net',
      'network 3 -> 1\ndataset xor',
      undefined,
      'BPNB209 dataset xor has 2 inputs and 1 target, the network has 3 inputs and 1 outputs',
    ],
    [
      'boundary on a 3-input net',
      'network 3 -> 1\nshow boundary',
      undefined,
      'BPNB212 a decision boundary needs a network with 2 inputs; this one has 3',
    ],
    [
      'show layer out of range',
      'show deltas [1]',
      SEED,
      'BPNB202 deltas [k] needs k in 2–3, got 1 (layer 1 holds the inputs, which have no δ; the ' +
        'gradients with respect to them are dE/dx1 … dE/dx2)',
    ],
    ['show weights layer', 'show weights [2]', SEED, ''],
    ['freeze layer range', 'freeze weights [3]', SEED, 'BPNB202 weights [k] needs k in 1–2, got 3'],
    [
      'data rows vs net',
      'data = [0 -> 0; 1 -> 1]',
      SEED,
      'BPNB205 a row needs 2 values (inputs: layer 1 has 2 nodes), got 1',
    ],
    ['use an unknown network: shape unknown, no index errors', 'use other\nw99[9] = 1', SEED, ''],
    [
      'use a network defined in the cell',
      'network small 2 -> 1\nnetwork big 2 -> 5 -> 1\nuse small\nw12[1] = 1',
      undefined,
      'BPNB203 layer 2 has nodes 1, got 2',
    ],
  ];
  for (const [name, text, shape, expected] of cases)
    it(name, () => assert.equal(check(text, shape), expected));

  it('use of a name the session lacks, when the session lists its networks', () => {
    assert.equal(
      check('use xor', SEED, { networks: { seed: SEED } }),
      "BPNB207 no network named 'xor'; known: seed",
    );
  });
  it('use of a session network takes its shape', () => {
    assert.equal(check('use seed\nw13[1] = 1', undefined, { networks: { seed: SEED } }), '');
  });
  it('dataset naming an unknown table, when the session lists its tables', () => {
    assert.equal(
      check('dataset mine', SEED, { dataNames: ['theirs'] }),
      "BPNB210 no data table named 'mine'; known: theirs",
    );
  });
  it('dataset naming a table from this cell', () => {
    assert.equal(check('data mine = [0 0 -> 1]\ndataset mine', SEED, { dataNames: [] }), '');
  });
  it('validate does not change the shape passed in', () => {
    const shape: NetworkShape = { sizes: [2, 3, 1], bias: [false, false, false] };
    check('bias on\nnetwork 4 -> 4', shape);
    assert.deepEqual(shape, { sizes: [2, 3, 1], bias: [false, false, false] });
  });
  it('diagnostic span is the quantity', () => {
    const text = 'show z1[2], w41[2]';
    const d = validate(parse(text).program, SEED)[0];
    assert.equal(text.slice(d.span.start, d.span.end), 'w41[2]');
  });
});
