/**
 * Big notebooks without surprises (issue 20): run, check, open and save are linear in the file
 * (before, locating a cell re-scanned the JSON from byte 0 and check re-validated every earlier
 * cell: a 20,000-cell notebook whose first cell fails took 360 s); duplicate field names are
 * refused with their line instead of silently losing the first. The inputs are big enough that
 * the old quadratic code runs past mocha's timeout by minutes; the timings themselves are in
 * `npm run bench:reliability` (docs/reliability.md), not asserted here.
 */
import * as assert from 'assert/strict';
import { checkNotebook } from '../../../src/cli/check';
import type { LoadedNotebook } from '../../../src/cli/load';
import { FileLocator } from '../../../src/cli/locate';
import { runNotebook } from '../../../src/cli/runner';
import { validate } from '../../../src/language/validate';
import { formatDiagnostic } from '../../../src/language/diagnostics';
import { parse } from '../../../src/language/parser';
import {
  NotebookFileError,
  parseNotebookFile,
  printNotebookFile,
  type FileNotebook,
} from '../../../src/protocol/notebookFile';
import { figures } from './figures';

function notebook(sources: string[]): FileNotebook {
  return {
    version: '1.0',
    metadata: {},
    cells: sources.map((source) => ({ kind: 'code', language: 'bpnb', source })),
  };
}

function loaded(nb: FileNotebook): LoadedNotebook {
  const text = printNotebookFile(nb);
  return {
    path: '/nowhere/big.bpnb',
    bytes: Buffer.from(text),
    text,
    notebook: parseNotebookFile(text),
  };
}

const SETUP = 'network 2 -> 3 sigmoid -> 1 sigmoid';

describe('reliability: big notebooks stay linear', function () {
  this.timeout(30_000);

  it(
    '20,000 cells, the first fails: every cell located at its file line (360 ' + 's before)',
    async () => {
      const sources = [
        'forwrd',
        ...Array.from({ length: 19_999 }, (_, i) => `input x = [${i}, 1]`),
      ];
      const l = loaded(notebook(sources));
      const cells = await runNotebook(l, { isCancelled: () => false });
      assert.equal(cells[0].status, 'failed');
      assert.equal(cells.filter((c) => c.status === 'not run').length, 19_999);
      // the printed file: `{`, format, version, metadata, `"cells": [`, then 7 lines per cell
      assert.deepEqual([cells[0].line, cells[1].line, cells[19_999].line], [6, 13, 6 + 7 * 19_999]);
      assert.deepEqual(cells[0].problems[0].file, { line: 10, column: 10 });
      figures.record('scale: 20,000-cell run, first cell fails (issue 20)', 1, 1, 'all located');
    },
  );

  it(
    'bpnb check of 20,000 valid cells validates each statement once, with the same result (41.9 ' +
      's before)',
    () => {
      const sources = [SETUP, ...Array.from({ length: 19_999 }, (_, i) => `input x = [${i}, 1]`)];
      sources[12_345] = 'input x = [1, 2, 3]'; // one wrong width, found after 12,345 cells
      const l = loaded(notebook(sources));
      const { problems, cellsChecked } = checkNotebook(l);
      assert.equal(cellsChecked, 20_000);
      // the same diagnostics as validating the whole notebook as one program
      const all = validate({ statements: sources.flatMap((s) => parse(s).program.statements) });
      assert.deepEqual(
        problems.map((p) => p.message),
        all.map((d) => formatDiagnostic(d)),
      );
      assert.ok(problems.length >= 1);
      assert.equal(problems[0].cell, 12_346);
      assert.equal(problems[0].line, new FileLocator(l.text).startLine(12_345) + 4);
    },
  );

  it('10,000 problems in one cell: each located in the file (14 s before)', async () => {
    const source = Array.from({ length: 10_000 }, (_, i) => `forwrd ${i}`).join('\n');
    const l = loaded(notebook([source]));
    const checked = checkNotebook(l).problems;
    assert.equal(checked.length, 10_000);
    // the source array starts on line 10 of the printed file, one cell line per file line
    assert.deepEqual(
      checked.map((p) => p.line),
      checked.map((_, i) => 10 + i),
    );
    const [cell] = await runNotebook(l, { isCancelled: () => false });
    assert.equal(cell.problems.length, 10_000);
    assert.ok(cell.problems.every((p, i) => p.file?.line === 10 + i && p.file.column === 10));
  });

  it(
    'the locator maps offsets at and past the end of a source as the old ' + 'per-call scan did',
    () => {
      // figures from the old cellOffsetToFile on the same text
      const text = printNotebookFile(notebook(['forward\nbackward', '']));
      const at = new FileLocator(text);
      assert.deepEqual(at.position(0, 100), { line: 11, column: 9 });
      assert.deepEqual(at.position(0, 'forward\nbackward'.length), { line: 11, column: 18 });
      assert.deepEqual(at.position(1, 0), { line: 18, column: 10 });
      assert.deepEqual(at.position(1, 5), { line: 18, column: 9 });
    },
  );
});

describe('reliability: duplicate field names are refused with their line', () => {
  const cases: [string, string, string, number, number][] = [
    [
      'a second "cells" (the first one\'s "precious" cell would be lost)',
      '{"format":"backprop-notebook","version":"1.0",\n"cells":[{"kind":"code","source":"A"},' +
        '{"kind":"markdown","source":"precious"}],\n"cells":[{"kind":"code","source":"B"}]}',
      'cells',
      3,
      2,
    ],
    [
      'a second "format" after a bad first one',
      '{"format":"bad",\n"format":"backprop-notebook","version":"1.0","cells":[]}',
      'format',
      2,
      1,
    ],
    [
      'a second "kind" (an error in it used to be reported at the first one\'s line)',
      '{"format":"backprop-notebook","version":"1.0","cells":[\n{"kind":"code",\n"kind":"python",' +
        '"source":""}]}',
      'cells[0].kind',
      3,
      2,
    ],
    [
      'a duplicate deep in an output payload',
      '{"format":"backprop-notebook","version":"1.0","cells":[{"kind":"code","source":"",' +
        '\n"outputs":[{"items":[{"mime":"application/json","data":{"a":1,\n"a":2}}]}]}]}',
      'cells[0].outputs[0].items[0].data.a',
      3,
      2,
    ],
  ];
  for (const [what, text, field, line, first] of cases)
    it(what, () =>
      assert.throws(
        () => parseNotebookFile(text),
        (e: unknown) =>
          e instanceof NotebookFileError &&
          e.line === line &&
          e.field === field &&
          e.message ===
            `Not a valid .bpnb file: line ${line}: field ${field} appears twice (first at line ` +
              `${first}); keep one of them.`,
      ),
    );
  it('the same name in different objects is fine', () => {
    const nb = parseNotebookFile(
      '{"format":"backprop-notebook","version":"1.0","metadata":{"kind":1},' +
        '"cells":[{"kind":"code","source":"a"},{"kind":"code","source":"b"}]}',
    );
    assert.equal(nb.cells.length, 2);
  });
});
