import * as assert from 'assert/strict';
import { cellText, sortRows, visibleWindow } from '../../../src/views/tables';
import type { Cell } from '../../../src/protocol/results';

describe('tables', () => {
  const rows: Cell[][] = [
    ['w11[1]', 0.5],
    ['w2(10)[1]', -2],
    ['w12[1]', 'NaN'],
    ['w(10,1)[1]', 3],
    ['b1[2]', 0.5],
  ];

  it('sorts numbers by value, NaN last, stable for ties', () => {
    assert.deepEqual(
      sortRows(rows, 1, false).map((r) => r[0]),
      ['w2(10)[1]', 'w11[1]', 'b1[2]', 'w(10,1)[1]', 'w12[1]'],
    );
    assert.deepEqual(
      sortRows(rows, 1, true).map((r) => r[0]),
      ['w(10,1)[1]', 'w11[1]', 'b1[2]', 'w2(10)[1]', 'w12[1]'],
    );
  });

  it('sorts text naturally', () => {
    const names: Cell[][] = [['w10'], ['w9'], ['w1']];
    assert.deepEqual(
      sortRows(names, 0, false).map((r) => r[0]),
      ['w1', 'w9', 'w10'],
    );
  });

  it('renders only the rows in view (plus overscan) when virtualised', () => {
    assert.deepEqual(visibleWindow(0, 220, 22, 100_000, 5), { first: 0, end: 15 });
    assert.deepEqual(visibleWindow(22_000, 220, 22, 100_000, 5), { first: 995, end: 1015 });
    assert.deepEqual(visibleWindow(22 * 99_990, 220, 22, 100_000, 5), {
      first: 99_985,
      end: 100_000,
    });
  });

  it('formats numeric cells with the shared formatter and leaves text alone', () => {
    assert.equal(cellText(0.000012345), '1.2345e-5');
    assert.equal(cellText('Infinity'), 'Infinity');
    assert.equal(cellText('<b>x</b>'), '<b>x</b>');
  });
});
