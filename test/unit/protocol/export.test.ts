import { strict as assert } from 'assert';
import Papa from 'papaparse';
import {
  csvField,
  escapeLatex,
  escapeMarkdown,
  exportTables,
  tableToCsv,
  tableToLatex,
  tableToMarkdown,
  tablesOf,
} from '../../../src/protocol/export';
import type { ResultItem, TableItem } from '../../../src/protocol/results';
import { plain } from '../../../src/protocol/text';

const deltas: TableItem = {
  kind: 'table',
  title: 'deltas δ',
  columns: ['node', 'δ = ∂E/∂z'],
  rows: [
    ['1[2]', 0.01458952219],
    ['1[3]', 0.1459228069],
    ['2[2]', 'NaN'],
  ],
};

describe('export: tables', () => {
  it('picks the tables out of result items, in order', () => {
    const items: ResultItem[] = [
      { kind: 'message', level: 'info', text: plain('hi') },
      deltas,
      { ...deltas, title: 'second' },
    ];
    assert.deepEqual(
      tablesOf(items).map((t) => t.title),
      ['deltas δ', 'second'],
    );
  });

  describe('CSV', () => {
    it('quotes fields with commas, quotes, line breaks and edge spaces; doubles quotes', () => {
      assert.equal(csvField('plain'), 'plain');
      assert.equal(csvField('a,b'), '"a,b"');
      assert.equal(csvField('say "hi"'), '"say ""hi"""');
      assert.equal(csvField('two\nlines'), '"two\nlines"');
      assert.equal(csvField(' padded'), '" padded"');
      assert.equal(csvField('δ1[2]'), 'δ1[2]');
    });

    it('writes full-precision numbers that a CSV parser reads back exactly', () => {
      const t: TableItem = {
        kind: 'table',
        title: 't',
        columns: ['name, with comma', 'value'],
        rows: [
          ['w "11"[1]', 0.1 + 0.2],
          ['x', -1e-300],
        ],
      };
      const text = tableToCsv(t);
      assert.ok(text.endsWith('\r\n'));
      const parsed = Papa.parse<string[]>(text, { skipEmptyLines: true }).data;
      assert.deepEqual(parsed, [
        ['name, with comma', 'value'],
        ['w "11"[1]', String(0.1 + 0.2)],
        ['x', '-1e-300'],
      ]);
      assert.equal(Number(parsed[1][1]), 0.1 + 0.2);
    });

    it('puts several tables one after another, each under its title', () => {
      const text = exportTables([deltas, { ...deltas, title: 'again, twice' }], 'csv');
      assert.match(text, /^deltas δ\r\nnode,δ = ∂E\/∂z\r\n1\[2\],0\.01458952219\r\n/);
      assert.ok(text.includes('\r\n\r\n"again, twice"\r\n'));
    });
  });

  describe('LaTeX', () => {
    it('escapes every special character exactly once', () => {
      assert.equal(
        escapeLatex('_ % & # $ { } ~ ^ \\'),
        '\\_ \\% \\& \\# \\$ \\{ \\} \\textasciitilde{} \\textasciicircum{} \\textbackslash{}',
      );
      assert.equal(escapeLatex('a_b'), 'a\\_b');
      assert.equal(escapeLatex('\\{'), '\\textbackslash{}\\{');
    });

    it('writes the seed symbols in math mode', () => {
      assert.equal(escapeLatex('δ = ∂E/∂z'), '$\\delta$ = $\\partial$E/$\\partial$z');
      assert.equal(
        escapeLatex('Δw = −η·∂E/∂w'),
        '$\\Delta$w = $-$$\\eta$$\\cdot$$\\partial$E/$\\partial$w',
      );
    });

    it('makes a tabular with numbers right-aligned and the title as caption', () => {
      const tex = tableToLatex({
        kind: 'table',
        title: 'weights [1]: wij[1]',
        columns: ['from \\ to', '1[2]'],
        rows: [
          ['1[1]', 0.15],
          ['2[1]', 0.2],
        ],
      });
      assert.ok(tex.includes('\\caption{weights [1]: wij[1]}'));
      assert.ok(tex.includes('\\begin{tabular}{lr}'));
      assert.ok(tex.includes('    from \\textbackslash{} to & 1[2] \\\\'));
      assert.ok(tex.includes('    2[1] & 0.2 \\\\'));
      assert.equal((tex.match(/\\hline/g) ?? []).length, 3);
    });
  });

  describe('Markdown', () => {
    it('escapes pipes, emphasis, code and backslashes; folds line breaks', () => {
      assert.equal(escapeMarkdown('a|b'), 'a\\|b');
      assert.equal(escapeMarkdown('*x* _y_ `z` \\'), '\\*x\\* \\_y\\_ \\`z\\` \\\\');
      assert.equal(escapeMarkdown('one\ntwo'), 'one two');
      assert.equal(escapeMarkdown('w11[1]'), 'w11\\[1\\]');
    });

    it('makes a pipe table with a heading, numeric columns right-aligned, and notes', () => {
      const md = tableToMarkdown({ ...deltas, note: plain('first sample'), totalRows: 10 });
      const lines = md.trimEnd().split('\n');
      assert.equal(lines[0], '### deltas δ');
      assert.equal(lines[2], '| node | δ = ∂E/∂z |');
      assert.equal(lines[3], '| --- | ---: |');
      assert.equal(lines[4], '| 1\\[2\\] | 0.01458952219 |');
      assert.equal(lines[6], '| 2\\[2\\] | NaN |');
      assert.equal(lines[8], '*first sample; first 3 of 10 rows*');
    });
  });
});
