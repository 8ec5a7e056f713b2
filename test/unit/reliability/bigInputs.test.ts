/**
 * The big inputs of issue 20, each named: nothing spreads a long array into a call (V8 overflows
 * its stack near 10⁵ arguments; the lint rule `no-restricted-syntax` in eslint.config.mjs forbids
 * it in src/), and nothing is read or parsed before its size and type are checked. Time and memory
 * for these inputs are measured by `npm run bench:reliability` (docs/reliability.md), not here.
 */
import * as assert from 'assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, ftruncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkNotebook } from '../../../src/cli/check';
import { formatFile, runJson, summaryLines, type FileReport } from '../../../src/cli/report';
import type { CellReport } from '../../../src/cli/runner';
import { notebookFileReader } from '../../../src/cli/runner';
import { formatDiagnostic } from '../../../src/language/diagnostics';
import { MAX_CELL_CHARS, parse } from '../../../src/language/parser';
import { printNotebookFile, parseNotebookFile } from '../../../src/protocol/notebookFile';
import { createNetwork } from '../../../src/engine';
import { boundaryItem } from '../../../src/runtime/boundary';
import { MAX_CSV_BYTES, MAX_CSV_ROWS, parseCsvDataset } from '../../../src/runtime/datasets';
import { Session } from '../../../src/runtime/session';
import { emptyCellRun, type RunHost } from '../../../src/runtime/types';
import { figures } from './figures';

const host = (readTextFile?: (p: string) => Promise<string>): RunHost => ({
  isCancelled: () => false,
  yieldNow: () => new Promise<void>((done) => setImmediate(done)),
  now: () => performance.now(),
  readTextFile,
});

describe('reliability: big inputs, no stack overflow (issue 20)', function () {
  this.timeout(60_000);

  it(
    'a cell of 125,000 lines with 125,000 problems through cli/report.ts (text, Markdown, ' +
      'summary, JSON)',
    () => {
      const lines = Array.from({ length: 125_000 }, (_, i) => `forwrd ${i}`);
      const problems = lines.map((_, i) => ({
        severity: 'error' as const,
        code: 'BPNB101',
        message: 'unknown statement',
        file: { line: 10 + i, column: 10 },
        cell: { line: i + 1, column: 1 },
      }));
      const cell: CellReport = {
        index: 0,
        line: 6,
        source: lines.join('\n') + '\n```` a fence',
        status: 'failed',
        problems,
        failedExpectations: [],
        run: emptyCellRun(false),
      };
      const report: FileReport = {
        path: 'big.bpnb',
        notebook: {
          version: '1.0',
          metadata: {},
          cells: [{ kind: 'code', language: 'bpnb', source: cell.source }],
        },
        cells: [cell],
      };
      const text = formatFile(report, 'text', false).split('\n');
      assert.equal(text.filter((l) => l.startsWith('  | ')).length, 125_001);
      assert.equal(text.filter((l) => l.startsWith('big.bpnb:')).length, 125_000);
      const md = formatFile(report, 'markdown', false);
      assert.ok(md.startsWith('`````bpnb\n'), "the fence is longer than the cell's own");
      assert.equal(summaryLines(report).length, 2 + 125_000);
      assert.equal(
        (runJson([report], 1) as { files: { cells: unknown[] }[] }).files[0].cells.length,
        1,
      );
      figures.record('big input: 125,000-line cell through the CLI report (issue 20)', 1, 1);
    },
  );

  it('200,000 statements through bpnb check', () => {
    const statements = Array.from({ length: 200_000 }, () => 'forward');
    const sources = ['network 2 -> 3 sigmoid -> 1 sigmoid', statements.join('\n')];
    const text = printNotebookFile({
      version: '1.0',
      metadata: {},
      cells: sources.map((source) => ({ kind: 'code', language: 'bpnb', source })),
    });
    const r = checkNotebook({
      path: 'big.bpnb',
      bytes: Buffer.from(text),
      text,
      notebook: parseNotebookFile(text),
    });
    assert.equal(r.cellsChecked, 2);
    // forward without an input: the validator's warning on each one, or none; never a crash
    assert.ok(r.problems.every((p) => p.line !== undefined));
    figures.record('big input: 200,000 statements through bpnb check (issue 20)', 1, 1);
  });

  it(
    'a 150,000-row CSV trains and draws its decision boundary (Math.max(...xs) ' + 'overflowed)',
    async () => {
      const csv = ['x1,x2,t']
        .concat(
          Array.from(
            { length: 150_000 },
            (_, i) => `${(i % 97) / 97},${(i % 89) / 89 - 5},${i % 2}`,
          ),
        )
        .join('\n');
      const run = await new Session().runCell(
        'network 2 -> 2 tanh -> 1 sigmoid\ndataset csv "points.csv"\ntrain epochs 1\nshow boundary',
        host(async () => csv),
      );
      assert.ok(run.ok, run.problems.map((p) => p.message).join('; '));
      const boundary = run.items.find((i) => i.kind === 'boundary');
      assert.ok(boundary && boundary.kind === 'boundary');
      // the grid covers the data: x in [0, 96/97] and y in [−5, −5 + 88/89], padded by 10 %
      assert.ok(Math.abs(boundary.xRange[0] - -0.1 * (96 / 97)) < 1e-12, String(boundary.xRange));
      assert.ok(
        Math.abs(boundary.yRange[1] - (-5 + 1.1 * (88 / 89))) < 1e-12,
        String(boundary.yRange),
      );
      figures.record('big input: 150,000-row CSV, train + boundary (issue 20)', 1, 1);
    },
  );

  it(
    "a 1,000,000-row table: the boundary's extent (the runtime's Math.max) and, inline in a " +
      'cell, refused before parsing',
    () => {
      const made = createNetwork({
        sizes: [2, 2, 1],
        activations: [{ kind: 'tanh' }, { kind: 'sigmoid' }],
        bias: [true, true],
        loss: 'half-squared',
      });
      assert.ok(made.ok);
      const net = made.value;
      const inputs = Array.from({ length: 1_000_000 }, (_, i) => [i / 1e6, -i / 1e6]);
      const item = boundaryItem(net, { name: 'big', inputs, targets: inputs.map(() => [0]) });
      assert.ok(Math.abs(item.xRange[1] - (0.999999 + 0.1 * 0.999999)) < 1e-12);
      const rows = Array.from({ length: 1_000_000 }, (_, i) => `${i % 7} ${i % 5} -> ${i % 2}`);
      const cell = `network 2 -> 2 tanh -> 1 sigmoid\ndata big = [${rows.join('; ')}]`;
      assert.ok(cell.length > MAX_CELL_CHARS);
      const { diagnostics, statements } = parse(cell);
      assert.equal(statements.length, 0);
      assert.deepEqual(
        diagnostics.map((d) => formatDiagnostic(d)),
        [
          `cell too large: ${cell.length.toLocaleString('en')} characters, the limit is 8,` +
            `000,000; ` +
            `put large data in a CSV file (dataset csv "file.csv")`,
        ],
      );
      figures.record('big input: 1,000,000-row table (boundary; inline: refused) (issue 20)', 2, 2);
    },
  );
});

describe('reliability: reads check the type and size first (issue 20)', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'bpnb-reads-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a FIFO named as a CSV is refused at once (it used to block for ever)', async function () {
    if (process.platform === 'win32') this.skip();
    execFileSync('mkfifo', [join(dir, 'pipe.csv')]);
    const read = notebookFileReader(join(dir, 'nb.bpnb'));
    await assert.rejects(
      read('pipe.csv'),
      /"pipe\.csv" is not a regular file \(a FIFO, socket or device\); only files are read/,
    );
  });

  it(
    'a CSV file over MAX_CSV_BYTES is refused by its size, before reading (sparse: ' +
      'nothing is read)',
    async () => {
      const path = join(dir, 'huge.csv');
      const fd = openSync(path, 'w');
      ftruncateSync(fd, MAX_CSV_BYTES + 1);
      closeSync(fd);
      const read = notebookFileReader(join(dir, 'nb.bpnb'));
      await assert.rejects(
        read('huge.csv'),
        /huge\.csv is 64\.0 MB; a CSV file may be at most 64\.0 MB \(MAX_CSV_BYTES\)/,
      );
      writeFileSync(join(dir, 'ok.csv'), '0,0,0\n');
      assert.equal(await read('ok.csv'), '0,0,0\n');
    },
  );

  it('CSV text over the limits is refused before it is parsed (bytes, then rows)', () => {
    assert.throws(
      () => parseCsvDataset('big.csv', 'x'.repeat(MAX_CSV_BYTES + 1)),
      /\(MAX_CSV_BYTES\)/,
    );
    const rows = '0,0,0\n'.repeat(MAX_CSV_ROWS + 2);
    assert.throws(
      () => parseCsvDataset('many.csv', rows),
      /many\.csv has more than 1,000,000 rows \(MAX_CSV_ROWS\)/,
    );
    assert.equal(parseCsvDataset('enough.csv', '0,0,0\n'.repeat(1000)).inputs.length, 1000);
  });
});
