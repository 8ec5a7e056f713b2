import * as assert from 'assert/strict';
import { expressionNamesIn, expressionRefAt, expressionRefs } from '../../../src/language/exprRefs';

const CELL = [
  'x = 2',
  'f = exp(x) * x + pi',
  'backward f',
  'activation mish2(z) = z * sigmoid(z)',
  "check mish2'(z) = sigmoid(z)",
  'loss sq(a, t) = (a - t)^2',
  'network 1 -> 2 mish2 -> 1 sigmoid',
  'loss sq',
  'explain ∂f/∂x',
].join('\n');

describe('language/expression names (highlighting, hover, completion)', () => {
  it('every name of every statement, with its role, in written order', () => {
    const got = expressionRefs(CELL).map(
      (r) => `${CELL.slice(r.span.start, r.span.end)}:${r.role}${r.defines ? '!' : ''}`,
    );
    assert.deepEqual(got, [
      'x:value!',
      'f:value!',
      'exp:builtin',
      'x:value',
      'x:value',
      'pi:constant',
      'f:value',
      'mish2:function!',
      'z:parameter!',
      'z:parameter',
      'sigmoid:builtin',
      'z:parameter',
      'mish2:function',
      'z:parameter',
      'sigmoid:builtin',
      'z:parameter',
      'sq:function!',
      'a:parameter!',
      't:parameter!',
      'a:parameter',
      't:parameter',
      'mish2:function',
      'sq:function',
      'f:value',
      'x:value',
    ]);
  });
  it('the name under the cursor, with the function a parameter belongs to', () => {
    const at = CELL.indexOf('a - t');
    assert.deepEqual(expressionRefAt(CELL, at + 1), {
      name: 'a',
      span: { start: at, end: at + 1 },
      role: 'parameter',
      defines: false,
      owner: 'sq',
      what: 'loss',
    });
    assert.equal(expressionRefAt(CELL, CELL.indexOf('network') + 2), undefined);
  });
  it('the names a text defines: values, activations and losses', () =>
    assert.deepEqual(expressionNamesIn(CELL), {
      values: ['x', 'f'],
      functions: [
        { name: 'mish2', what: 'activation' },
        { name: 'sq', what: 'loss' },
      ],
    }));
  it('network quantities are not expression names', () =>
    assert.deepEqual(expressionRefs('w11[1] = 0.15\nshow x1\nexpect E < 1'), []));
});
