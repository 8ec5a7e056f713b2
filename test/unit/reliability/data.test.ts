/**
 * Bad data gives an error naming the row and column; nothing non-finite reaches training;
 * data files outside the workspace are refused (parser, CLI reader).
 */
import * as assert from 'assert/strict';
import { mkdtempSync, mkdirSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { notebookFileReader } from '../../../src/cli/runner';
import { parse } from '../../../src/language/parser';
import { checkRows, DataError, parseCsvDataset } from '../../../src/runtime/datasets';
import { Session } from '../../../src/runtime/session';
import type { RunHost } from '../../../src/runtime/types';
import { figures } from './figures';

/** CSV text → the row and column the error must name (column undefined: a whole-row problem). */
const BAD_CSV: [string, string, number | undefined, number | undefined][] = [
  ['ragged: a short row', 'x1,x2,t\n0,0,0\n0,1\n1,1,0\n', 3, undefined],
  ['ragged: a long row', '0,0,0\n0,1,1,1\n', 2, undefined],
  ['ragged: header wider than the rows', 'a,b,t\n1,2\n', 2, undefined],
  ['text in a numeric column', 'x1,x2,t\n0,0,0\n0,one,1\n', 3, 2],
  ['text in the target column', '0,0,0\n0,0,zero\n', 2, 3],
  ['NaN', 'x1,x2,t\n0,NaN,0\n', 2, 2],
  ['NaN in the first row (not a header)', '1,NaN,0\n', 1, 2],
  ['Infinity', '0,0,0\n1,Infinity,1\n', 2, 2],
  ['-Infinity', '0,0,0\n1,1,-Infinity\n', 2, 3],
  ['1e309 overflows', 'a,b,t\n1e309,0,1\n', 2, 1],
  ['-1e309 overflows', '-1e309,0,1\n', 1, 1],
  ['an empty cell', '0,0,0\n1,,1\n', 2, 2],
  ['an empty cell in the first row', '1,,0\n', 1, 2],
  ['a blank line does not shift the row number', 'a,b,t\n0,0,0\n\n\n1,x,1\n', 5, 2],
  ['CRLF line ends', 'a,b,t\r\n0,0,0\r\n1,?,1\r\n', 3, 2],
  ['an unterminated quote', 'a,b,t\n"1,2,3\n', 2, undefined],
  ['empty', '', undefined, undefined],
  ['only blank lines', '\n \n\t\n', undefined, undefined],
  ['a header and no rows', 'x1,x2,t\n', undefined, undefined],
  ['one column: no inputs left', '1\n2\n', 1, undefined],
  ['hexadecimal 0x10', '0,0,0\n0x10,1,0\n', 2, 1],
  ['binary 0b1 and octal 0o7 in the first row (not a header)', '0b1,0o7,1\n', 1, 1],
  ['octal 0o7', 'a,b,t\n1,0o7,1\n', 2, 2],
  ['a formula =1+1 in the first row (not a header)', '=1+1,2,3\n1,2,3\n', 1, 1],
  ['a formula among the column names', 'x1,=A1*2,t\n1,2,3\n', 1, 2],
  ['a formula in a data row', 'a,b,t\n1,@SUM(A1),0\n', 2, 2],
  ['a formula +A1', 'a,b,t\n+A1,1,0\n', 2, 1],
];

describe('bad data names the row and column', () => {
  for (const [name, text, row, column] of BAD_CSV) {
    it(`CSV: ${name}`, () => {
      assert.throws(
        () => parseCsvDataset('data.csv', text),
        (e: unknown) => {
          assert.ok(e instanceof DataError, String(e));
          assert.equal(e.row, row, e.message);
          assert.equal(e.column, column, e.message);
          if (row !== undefined) assert.match(e.message, new RegExp(`row ${row}\\b`));
          if (column !== undefined) assert.match(e.message, new RegExp(`column ${column}\\b`));
          assert.match(e.message, /^data\.csv/);
          return true;
        },
      );
    });
  }
  after(() =>
    figures.record(
      'data: bad CSV files',
      BAD_CSV.length,
      BAD_CSV.length,
      'each refused with a DataError naming the row (and column)',
    ),
  );

  it('good CSV with a header, blank lines, BOM and CRLF reads the right numbers', () => {
    const d = parseCsvDataset('ok.csv', '\uFEFFx1,x2,t\r\n\r\n0.5,-1e-3,1\r\n2,3,0\r\n');
    assert.deepEqual(d, {
      name: 'ok.csv',
      inputs: [
        [0.5, -0.001],
        [2, 3],
      ],
      targets: [[1], [0]],
    });
  });

  it('numbers in other notations and spreadsheet formulas are named for what they are', () => {
    const message = (text: string) => {
      try {
        parseCsvDataset('data.csv', text);
      } catch (e) {
        return (e as Error).message;
      }
      return 'read';
    };
    assert.equal(
      message('0,0,0\n0x10,1,0\n'),
      'data.csv: row 2, column 1: "0x10" is not a decimal number',
    );
    assert.equal(
      message('a,b,t\n1,NaN,0\n'),
      'data.csv: row 2, column 2: "NaN" is not a finite number',
    );
    assert.match(
      message('=1+1,2,3\n1,2,3\n'),
      /row 1, column 1: "=1\+1" looks like a spreadsheet formula/,
    );
    assert.match(
      message('x1,-A1,t\n1,2,3\n'),
      /row 1, column 2: "-A1" looks like a spreadsheet formula/,
    );
    // every decimal spelling still reads
    assert.deepEqual(parseCsvDataset('ok.csv', '.5,+2,5.\n-0.25,1E2,-.5e-1\n').inputs, [
      [0.5, 2],
      [-0.25, 100],
    ]);
    assert.deepEqual(parseCsvDataset('ok.csv', '.5,+2,5.\n').targets, [[5]]);
  });

  it('checkRows refuses ragged and non-finite rows of an inline table', () => {
    const cases: [number[][], number[][], number, number | undefined][] = [
      [[[0, 0], [0]], [[0], [1]], 2, undefined],
      [
        [
          [0, 0],
          [0, 1],
        ],
        [[0], [1, 1]],
        2,
        undefined,
      ],
      [[[0, NaN]], [[0]], 1, 2],
      [
        [
          [0, 0],
          [Infinity, 0],
        ],
        [[0], [1]],
        2,
        1,
      ],
      [[[0, 0]], [[-Infinity]], 1, 3],
    ];
    for (const [inputs, targets, row, column] of cases) {
      assert.throws(
        () => checkRows('t', inputs, targets),
        (e: unknown) => e instanceof DataError && e.row === row && e.column === column,
      );
    }
    assert.throws(() => checkRows('t', [], []), /has no rows/);
  });

  const host: RunHost = { isCancelled: () => false, yieldNow: async () => {}, now: () => 0 };
  const INLINE: [string, string, RegExp][] = [
    ['ragged rows', 'data d = [0 0 -> 0; 0 -> 1]', /BPNB108.*row 2/],
    ['1e309', 'data d = [0 1e309 -> 0]', /BPNB003.*1e309/],
    ['NaN', 'data d = [0 NaN -> 0]', /BPNB102/],
    ['Infinity', 'data d = [0 Infinity -> 0]', /BPNB102/],
    ['text', 'data d = [0 x -> 0]', /BPNB10/],
    ['empty', 'data d = []', /BPNB302.*no rows/],
    ['no targets', 'data d = [0 0; 1 1]', /BPNB/],
  ];
  for (const [name, text, expected] of INLINE) {
    it(`inline data: ${name} is an error located in the cell`, async () => {
      const s = new Session();
      const run = await s.runCell(text, host);
      assert.equal(run.ok, false);
      const all = run.problems.map((p) => `${p.code} ${p.message}`).join('\n');
      assert.match(all, expected);
      for (const p of run.problems)
        assert.ok(p.start >= 0 && p.end <= text.length && p.start <= p.end);
      assert.deepEqual(s.names().dataNames, [], 'nothing was defined');
    });
  }
  after(() =>
    figures.record(
      'data: bad inline tables',
      INLINE.length + 6,
      INLINE.length + 6,
      'each a located error; nothing defined',
    ),
  );

  it('a bad CSV leaves the network untrained and the old dataset in place', async () => {
    const s = new Session();
    const read: RunHost = { ...host, readTextFile: async () => 'a,b,t\n0,0,0\n1,NaN,1\n' };
    assert.equal(
      (await s.runCell('network 2 -> 2 sigmoid -> 1 sigmoid\ndataset xor', read)).ok,
      true,
    );
    const before = JSON.stringify(s.exportWeights());
    const text = 'dataset csv "d.csv"\ntrain epochs 5';
    const run = await s.runCell(text, read);
    assert.equal(run.ok, false);
    assert.match(run.problems[0].message, /d\.csv: row 3, column 2: "NaN" is not a finite number/);
    assert.equal(run.problems[0].start, 0);
    assert.equal(JSON.stringify(s.exportWeights()), before, 'train did not run');
  });
});

describe('data files outside the workspace are refused', () => {
  const OUTSIDE = [
    '../x.csv',
    'a/../../x.csv',
    '..\\x.csv',
    '/etc/passwd',
    '\\\\server\\share\\x.csv',
    'C:\\data\\x.csv',
    'c:x.csv',
    'file:///etc/passwd',
    'https://evil.example/x.csv',
    '~/x.csv',
    'a\u0000.csv',
    '',
  ];
  it('the parser refuses them with BPNB110 at the path', () => {
    for (const path of OUTSIDE) {
      const text = `dataset csv "${path.replace(/\\/g, '\\\\')}"`;
      const r = parse(text);
      const d = r.diagnostics.find((x) => x.code === 'BPNB110');
      assert.ok(d, `${JSON.stringify(path)} not refused: ${JSON.stringify(r.diagnostics)}`);
      assert.equal(text.slice(d.span.start, d.span.end), text.slice('dataset csv '.length));
    }
    for (const path of ['x.csv', 'data/x.csv', './x.csv', '..x.csv']) {
      assert.deepEqual(parse(`dataset csv ${JSON.stringify(path)}`).diagnostics, [], path);
    }
    figures.record(
      'data: paths outside the workspace (parser)',
      OUTSIDE.length,
      OUTSIDE.length,
      'BPNB110 on the path',
    );
  });

  it(
    'the command line reader refuses escapes, absolute paths and symlinks out of ' + 'the folder',
    async () => {
      const root = mkdtempSync(join(tmpdir(), 'bpnb-data-'));
      const folder = join(root, 'nb');
      mkdirSync(join(folder, 'sub'), { recursive: true });
      writeFileSync(join(root, 'secret.csv'), 'secret');
      writeFileSync(join(folder, 'sub', 'ok.csv'), '0,0,0\n');
      symlinkSync(join(root, 'secret.csv'), join(folder, 'link.csv'));
      symlinkSync(root, join(folder, 'up'));
      const read = notebookFileReader(join(folder, 'n.bpnb'));
      assert.equal(await read('sub/ok.csv'), '0,0,0\n');
      const refused = [
        '../secret.csv',
        join(root, 'secret.csv'),
        'link.csv',
        'up/secret.csv',
        'sub/../../secret.csv',
      ];
      for (const p of refused) {
        await assert.rejects(read(p), /outside the notebook's folder|is absolute/, p);
      }
      figures.record(
        'data: paths outside the folder (command line reader)',
        refused.length,
        refused.length,
        'refused, symlinks resolved',
      );
    },
  );
});
