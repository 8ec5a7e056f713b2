import * as assert from 'assert/strict';
import {
  cellText,
  changedIn,
  drawTable,
  fractionWidths,
  numberParts,
  sortRows,
  visibleWindow,
} from '../../../src/views/tables';
import type { Cell, TableItem } from '../../../src/protocol/results';
import { Session } from '../../../src/runtime/session';
import { FakeElement, withFakeDocument } from './fakeDom';
import { host } from '../runHost';

/** The `gradients` table item of the seed net's update cell, with w11[1] frozen. */
async function updateTable(): Promise<TableItem> {
  const s = new Session();
  const cells = [
    'network 2 -> 3 sigmoid -> 1 sigmoid\nbias off\nweights [1] = [[0.15, 0.25, 0.35], [0.20, ' +
      '0.30, 0.40]]\nweights [2] = [[0.40], [0.45], [0.50]]\ninput x = [0.05, 0.10]\ntarget t ' +
      '= [0.01]\nfreeze w11[1]\nforward\nbackward',
    'update lr 0.5',
  ];
  let items: unknown[] = [];
  for (const c of cells) items = (await s.runCell(c, host)).items;
  return items.find((i) => (i as TableItem).kind === 'table') as TableItem;
}

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

  it('splits numbers at the decimal point, with a typographic minus for negatives', () => {
    assert.deepEqual(numberParts('-0.0123'), { negative: true, int: '−0', frac: '.0123' });
    assert.deepEqual(numberParts('12'), { negative: false, int: '12', frac: '' });
    assert.deepEqual(numberParts('1.2345e-5'), { negative: false, int: '1', frac: '.2345e−5' });
    assert.deepEqual(numberParts('-2e-7'), { negative: true, int: '−2', frac: 'e−7' });
    assert.deepEqual(numberParts('NaN'), { negative: false, int: 'NaN', frac: '' });
    // the widest fraction of each numeric column; text columns get none
    assert.deepEqual(
      fractionWidths(
        [
          ['a', 0.5, 3],
          ['b', -0.125, 10],
        ],
        [false, true, true],
      ),
      [0, 4, 0],
    );
  });

  it(
    "draws every number cell with a fraction part as wide as its column's widest, so " +
      'points align',
    () => {
      withFakeDocument(() => {
        const root = drawTable({
          columns: ['p', 'v'],
          rows: [
            ['a', 0.5],
            ['b', -12.125],
            ['c', 3],
          ],
        }).element as unknown as FakeElement;
        const cells = [...root.walk()].filter((e) => e.tagName === 'td');
        const fracs = [...root.walk()].filter((e) => e.getAttribute('class') === 'bp-frac');
        assert.deepEqual(
          fracs.map((f) => [f.textContent, f.style.minWidth]),
          [
            ['.5', '4ch'],
            ['.125', '4ch'],
            ['', '4ch'],
          ],
        );
        assert.deepEqual(
          cells.filter((c) => c.classList.contains('neg')).map((c) => c.textContent),
          ['−12.125'],
        );
        // the sign is a marker of its own (bold in the stylesheet), not only a colour
        assert.deepEqual(
          [...root.walk()]
            .filter((e) => e.getAttribute('class') === 'bp-minus')
            .map((e) => e.textContent),
          ['−'],
        );
      });
    },
  );

  it(
    'sorts by a clicked header, caps the rows with a show-all button, and selects ' +
      'past the cap',
    () => {
      withFakeDocument(() => {
        const sorts: unknown[] = [];
        const chosen: string[] = [];
        const view = drawTable({
          columns: ['p', 'v'],
          rows,
          cap: 3,
          rowKey: (r) => String(r[0]),
          onSelect: (key) => chosen.push(key),
          onSort: (sort) => sorts.push(sort),
        });
        const root = view.element as unknown as FakeElement;
        const shown = () =>
          [...root.walk()]
            .filter((e) => e.tagName === 'tr' && e.getAttribute('data-index') !== null)
            .map((tr) => (tr.children[0] as FakeElement).textContent);
        const click = (e: FakeElement) => e.listeners.get('click')!.forEach((f) => f({}));
        assert.deepEqual(shown(), ['w11[1]', 'w2(10)[1]', 'w12[1]']);
        const footer = [...root.walk()].find((e) => e.getAttribute('class') === 'bp-note')!;
        assert.match(footer.textContent, /^3 of 5 rows shown Show all 5 rows$/);
        // a numeric column sorts descending first, then flips
        const header = [...root.walk()].filter(
          (e) => e.tagName === 'button' && e.getAttribute('aria-label') === 'sort by v',
        )[0];
        click(header);
        assert.deepEqual(shown(), ['w(10,1)[1]', 'w11[1]', 'b1[2]']);
        const sortedHeader = [...root.walk()].find(
          (e) => e.tagName === 'th' && e.getAttribute('aria-sort') === 'descending',
        );
        assert.equal(sortedHeader?.textContent, 'v ▼');
        click([...root.walk()].filter((e) => e.getAttribute('aria-label') === 'sort by v')[0]);
        assert.deepEqual(shown(), ['w2(10)[1]', 'w11[1]', 'b1[2]']);
        assert.deepEqual(sorts, [
          { column: 1, descending: true },
          { column: 1, descending: false },
        ]);
        // selecting a row past the cap shows every row and marks that one
        view.select('w12[1]');
        assert.equal(shown().length, 5);
        const selected = [...root.walk()].filter((e) => e.getAttribute('aria-selected') === 'true');
        assert.deepEqual(
          selected.map((tr) => (tr.children[0] as FakeElement).textContent),
          ['w12[1]'],
        );
        click(selected[0]);
        assert.deepEqual(chosen, ['w12[1]']);
      });
    },
  );

  it(
    'after an update, marks the old and new value of every weight that moved, not a ' +
      'frozen one',
    async () => {
      const item = await updateTable();
      assert.deepEqual(item.changed, [1, 4]);
      assert.equal(changedIn(item.rows[0], item.changed!), false, 'w11[1] is frozen');
      assert.equal(changedIn(item.rows[1], item.changed!), true);
      withFakeDocument(() => {
        const root = drawTable({ ...item }).element as unknown as FakeElement;
        const rows = [...root.walk()].filter((e) => e.tagName === 'tr').slice(1);
        const marks = rows.map((r) =>
          r.children
            .map((c) => (c as FakeElement).getAttribute('class') ?? '')
            .filter((c) => /bp-(old|new)/.test(c)),
        );
        assert.deepEqual(marks[0], [], 'the frozen w11[1] is not marked');
        for (const m of marks.slice(1)) assert.deepEqual(m, ['num bp-old', 'num bp-new']);
        // no strike-through (a struck 0 reads as θ): the tooltips say which is which
        const titles = rows[1].children
          .map((c) => (c as FakeElement).getAttribute('title') ?? '')
          .filter((t) => /update\)$/.test(t));
        assert.equal(titles.length, 2);
        assert.match(titles[0], /^-?0\.\d+ \(before the update\)$/);
        assert.match(titles[1], /^-?0\.\d+ \(changed by the update\)$/);
      });
    },
  );
});
