import * as assert from 'assert/strict';
import {
  completionsAt,
  MAX_QUANTITY_COMPLETIONS,
  nameAt,
  namesIn,
  quantityAt,
  quantityLabels,
} from '../../../src/language/completion';
import type { NetworkShape } from '../../../src/language/validate';
import { ACTIVATIONS } from '../../../src/language/vocabulary';
import { CONSTANTS, FUNCTION_ARITY } from '../../../src/engine/expression';
import { LOSS_LIST } from '../../../src/engine/losses';

const SEED: NetworkShape = { sizes: [2, 3, 1], bias: [false, false, false] };

/** Labels offered with the cursor at `|`. */
function labels(textWithCursor: string, shape: NetworkShape = SEED): string[] {
  const offset = textWithCursor.indexOf('|');
  return completionsAt(textWithCursor.replace('|', ''), offset, shape).map((c) => c.label);
}

describe('language/completion', () => {
  const cases: [string, string, string[]][] = [
    ['keywords at line start', 'forward\nb|', ['bias', 'biases', 'backward']],
    [
      'activations after a size',
      'network 2 -> 3 s|',
      ACTIVATIONS.filter((a) => a.startsWith('s')), // sigmoid, softplus, silu, softmax
    ],
    ['losses after loss', 'loss |', LOSS_LIST.map((d) => d.kind)],
    [
      'datasets after dataset',
      'dataset |',
      ['xor', 'and', 'or', 'circle', 'spiral', 'blobs', 'moons', 'csv'],
    ],
    ['optimisers after optimiser', 'train epochs 10 optimiser |', ['sgd', 'momentum', 'adam']],
    ['explain offers deltas and gradients', 'explain δ|', ['δ1[2]', 'δ2[2]', 'δ3[2]', 'δ1[3]']],
    ['explain offers ∂E/∂x', 'explain ∂E/∂x|', ['∂E/∂x1', '∂E/∂x2']],
    ['expect offers weights by prefix', 'expect w1|', ['w11[1]', 'w12[1]', 'w13[1]', 'w11[2]']],
    ['no completion in a comment', 'forward # ba|', []],
    ['show offers groups', 'show lo|', ['loss', 'loss curve']],
    ['weights offers from (a safetensors file)', 'weights f|', ['from']],
  ];
  for (const [name, text, expected] of cases)
    it(name, () => assert.deepEqual(labels(text), expected));

  it('span covers the typed prefix', () => {
    const [first] = completionsAt('loss mse\nloss cr', 16);
    assert.deepEqual(first.span, { start: 14, end: 16 });
  });
  it('without a network only E is offered as a quantity', () => {
    assert.deepEqual(
      completionsAt('expect ', 7, undefined).map((c) => c.label),
      ['E'],
    );
  });
  it('quantity labels of the seed net: E, x, t, z, a, δ, w, ∂E/∂w, ∂E/∂a, ∂E/∂x', () => {
    const all = quantityLabels(SEED);
    // E, x, t; per node z, a, ∂E/∂a, δ (2 inputs have a and ∂E/∂x); per weight w and ∂E/∂w
    assert.equal(all.length, 1 + 2 + 1 + 2 * 2 + 4 * 4 + 2 * 3 * 2 + 3 * 1 * 2);
    assert.ok(all.includes('∂E/∂w31[2]'));
    assert.ok(all.includes('∂E/∂x2') && all.includes('∂E/∂a3[2]') && all.includes('∂E/∂a1[3]'));
    assert.ok(!all.some((l) => l.startsWith('b')));
  });
  it('a huge network is capped', () => {
    assert.equal(
      quantityLabels({ sizes: [100, 100, 10], bias: [false, true, true] }).length,
      MAX_QUANTITY_COMPLETIONS,
    );
  });

  const at: [string, string | undefined][] = [
    ['expect dE/dw1|1[1] = 0', 'dE/dw11[1]'],
    ['show z1[2]|', 'z1[2]'],
    ['|w21[2] = 1', 'w21[2]'],
    ['forward\nshow a|1[3]', 'a1[3]'],
    ['for|ward', undefined],
    ['show w123|[1]', undefined],
  ];
  for (const [text, expected] of at) {
    it(`quantityAt ${text}`, () => {
      const offset = text.indexOf('|');
      const clean = text.replace('|', '');
      const q = quantityAt(clean, offset);
      assert.equal(q?.text, expected);
      if (q) assert.equal(clean.slice(q.span.start, q.span.end), expected);
    });
  }
});

describe('language/names for go-to-definition', () => {
  const text = 'network xor 2 -> 1\ndata gates = [0 0 -> 0]\nuse xor\ndataset gates';
  const cases: [string, number, string | undefined][] = [
    ['network name where defined', text.indexOf('xor') + 1, 'network xor defines'],
    ['network name where used', text.lastIndexOf('xor') + 3, 'network xor uses'],
    ['data name where defined', text.indexOf('gates'), 'data gates defines'],
    ['data name where used', text.lastIndexOf('gates') + 2, 'data gates uses'],
    ['elsewhere', 2, undefined],
  ];
  for (const [name, offset, expected] of cases) {
    it(name, () => {
      const r = nameAt(text, offset);
      assert.equal(r && `${r.kind} ${r.name} ${r.defines ? 'defines' : 'uses'}`, expected);
    });
  }
  it('namesIn lists all four with spans on the names', () => {
    assert.deepEqual(
      namesIn(text).map((r) => text.slice(r.span.start, r.span.end)),
      ['xor', 'gates', 'xor', 'gates'],
    );
  });
});

describe('language/completion of computation-graph names', () => {
  const NAMES = {
    values: ['x', 'y', 'f'],
    functions: [
      { name: 'myswish', what: 'activation' as const },
      { name: 'sq', what: 'loss' as const },
    ],
  };
  const offered = (textWithCursor: string): string[] => {
    const offset = textWithCursor.indexOf('|');
    return completionsAt(textWithCursor.replace('|', ''), offset, SEED, NAMES).map((c) => c.label);
  };
  const cases: [string, string, string[]][] = [
    [
      'names, functions and constants in an expression, after an operator',
      'g = x*y + |',
      // the session's names, then the engine's functions and constants, in their definition's order
      ['x', 'y', 'f', ...Object.keys(FUNCTION_ARITY), ...Object.keys(CONSTANTS)],
    ],
    ['a name typed after an operator without spaces', 'g = x*f|', ['f']],
    ['functions by prefix in an expression', 'g = ex|', ['exp']],
    ['constants', 'g = 2 * p|', ['pi']],
    ["an activation's parameter, not the session's names", 'activation h(z) = z|', ['z']],
    ['backward offers names', 'backward |', ['x', 'y', 'f']],
    ['gradcheck offers names after its options', 'gradcheck f|', ['f']],
    ['explain offers ∂f/∂v', 'explain ∂f/|', ['∂f/∂x', '∂f/∂y']],
    ['expect offers a name', 'expect y|', ['y']],
    ['a user activation in a network line', 'network 2 -> 3 my|', ['myswish']],
    ['a user loss in a loss line', 'loss s|', ['sq']],
    ['check offers the derivatives to claim', 'check |', ["myswish'(z)", '∂sq/∂a']],
    ['keywords and names at the start of a line', 'forward\nc|', ['check']],
    ['a name at the start of a line, to reassign it', 'f|', ['freeze', 'forward', 'f']],
  ];
  for (const [name, text, expected] of cases)
    it(name, () => assert.deepEqual(offered(text), expected));
  it('only the name is replaced inside an expression', () => {
    const [c] = completionsAt('g = x*f', 7, SEED, NAMES);
    assert.deepEqual(c.span, { start: 6, end: 7 });
  });
  it('without names nothing of the graph is offered', () =>
    assert.deepEqual(
      completionsAt('backward ', 9, SEED).map((c) => c.label),
      [],
    ));
});
