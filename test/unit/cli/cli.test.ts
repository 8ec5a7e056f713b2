/**
 * The headless runner, end to end: spawns `node bin/bpnb.js` on the example notebook and the
 * fixtures and checks what it prints, what it writes and its exit status.
 */
import * as assert from 'assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  decodeNotebookBytes,
  parseNotebookFile,
  type FileNotebook,
} from '../../../src/protocol/notebookFile';
import {
  RESULT_MIME,
  type ResultItem,
  type ResultPayload,
  type TableItem,
} from '../../../src/protocol/results';

const ROOT = join(__dirname, '..', '..', '..', '..');
const BIN = join(ROOT, 'bin', 'bpnb.js');
const BUNDLE = join(ROOT, 'dist', 'cli.js');
const EXAMPLE = join(ROOT, 'examples', '01-seed-network.bpnb');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'cli');

interface Result {
  status: number | null;
  stdout: string;
  stderr: string;
}

function bpnb(args: string[], cwd = ROOT): Result {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * Builds dist/cli.js (the same options as esbuild.js) when it is missing or older than the sources.
 */
function ensureBundle(): void {
  if (existsSync(BUNDLE) && statSync(BUNDLE).mtimeMs >= newestSource(join(ROOT, 'src'))) return;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const esbuild = require(join(ROOT, 'node_modules', 'esbuild')) as typeof import('esbuild');
  esbuild.buildSync({
    entryPoints: [join(ROOT, 'src', 'cli', 'main.ts')],
    outfile: BUNDLE,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: true,
    logLevel: 'warning',
  });
}

function readNotebook(path: string): FileNotebook {
  return parseNotebookFile(decodeNotebookBytes(readFileSync(path)));
}

function payloadOf(nb: FileNotebook, cellIndex: number): ResultPayload {
  const item = nb.cells[cellIndex].outputs?.[0]?.items.find((i) => i.mime === RESULT_MIME);
  assert.ok(item, `cell ${cellIndex + 1} has a result output`);
  return item.data as ResultPayload;
}

function table(items: ResultItem[], title: string): TableItem {
  const found = items.find((i): i is TableItem => i.kind === 'table' && i.title === title);
  assert.ok(found, `a table titled ${title}`);
  return found;
}

let scratch: string;

/**
 * `bpnb run --write quick long` in the scratch folder, resolved once quick's results have been
 * printed (so long is running); `done` gives the exit code and everything written to stderr.
 */
async function runPastQuick(quick: string, long: string) {
  const child = spawn(process.execPath, [BIN, 'run', '--write', quick, long], { cwd: scratch });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const done = new Promise<{ code: number | null; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stderr })),
  );
  await new Promise<void>((started) =>
    child.stdout.on('data', (d) => {
      stdout += d;
      if (/=== .*quick\.bpnb/.test(stdout)) started();
    }),
  );
  return { child, done };
}

function copyTo(file: string, name = 'notebook.bpnb'): string {
  const target = join(scratch, name);
  copyFileSync(file, target);
  return target;
}

describe('cli: bpnb', function () {
  this.timeout(60_000);
  before(() => ensureBundle());
  beforeEach(() => (scratch = mkdtempSync(join(tmpdir(), 'bpnb-cli-'))));
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  describe('run', () => {
    it('runs the seed example: exit 0, the deltas as a text table, all expectations held', () => {
      const r = bpnb(['run', 'examples/01-seed-network.bpnb']);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /^deltas δ$/m);
      assert.match(r.stdout, /^1\[3\]\s+0\.145923$/m);
      assert.match(r.stdout, /^1\[2\]\s+0\.0145895$/m);
      assert.match(
        r.stdout,
        new RegExp(
          String.raw`^expect δ1\[3\] = 0\.1459228069 ± 1e-9: got 0\.14592280694438295, ` +
            String.raw`difference 4\.438295e-11 {2}ok$`,
          'm',
        ),
      );
      assert.match(
        r.stderr,
        /01-seed-network\.bpnb: ok: 8 of 8 code cells ran, 22 of 22 expectations held/,
      );
    });

    it('every notebook in examples/ runs (every expect holds) and checks clean', () => {
      const examples = readdirSync(join(ROOT, 'examples'))
        .filter((f) => f.endsWith('.bpnb'))
        .map((f) => join('examples', f));
      assert.ok(examples.length >= 1);
      const run = bpnb(['run', '--quiet', ...examples]);
      assert.equal(run.status, 0, run.stdout + run.stderr);
      for (const file of examples)
        assert.match(
          run.stderr,
          new RegExp(`${file.replace(/[.]/g, '\\.')}: ok: (\\d+) of \\1 code cells ran`),
        );
      assert.equal(bpnb(['check', ...examples]).status, 0);
    });

    it('--format json prints the result payloads the renderer draws', () => {
      const r = bpnb(['run', '--format', 'json', EXAMPLE]);
      assert.equal(r.status, 0, r.stderr);
      const out = JSON.parse(r.stdout);
      assert.equal(out.version, 1);
      assert.equal(out.exitCode, 0);
      const cells = out.files[0].cells;
      assert.equal(cells.length, 8);
      assert.ok(cells.every((c: { status: string }) => c.status === 'ok'));
      const backward = cells.find((c: { payload: ResultPayload }) =>
        c.payload.items.some((i) => i.kind === 'table' && i.title === 'deltas δ'),
      );
      assert.equal(backward.payload.version, 1);
      const deltas = table(backward.payload.items, 'deltas δ');
      const output = deltas.rows.find((row) => row[0] === '1[3]');
      assert.ok(output && Math.abs((output[1] as number) - 0.14592280694438295) < 1e-12);
      assert.deepEqual(out.files[0].summary.expectations, { total: 22, failed: 0 });
    });

    it('--format markdown gives a page: markdown cells, fenced code, Markdown tables', () => {
      const r = bpnb(['run', EXAMPLE, '--format=markdown']);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /^# Backpropagation, number by number$/m);
      assert.match(r.stdout, /^```bpnb\nforward\nbackward\n/m);
      assert.match(r.stdout, /^\*\*deltas δ\*\*$/m);
      assert.match(r.stdout, /^\| 1\\\[3\\\] \| 0\.145923 \|$/m);
    });

    it(
      '--digits N prints tables, derivations and Markdown with N significant digits, expect ' +
        'with every digit',
      () => {
        // the seed's numbers: δ1[3] = 0.14592280694…, δ1[2] = 0.01458952218…, ∂E/∂w11[1] = δ1[2]·x1
        // = 0.00072947610…
        const ten = bpnb(['run', EXAMPLE, '--digits', '10']);
        assert.equal(ten.status, 0, ten.stderr);
        assert.match(ten.stdout, /^1\[3\]\s+0\.1459228069$/m);
        assert.match(ten.stdout, /^1\[2\]\s+0\.01458952219$/m);
        assert.match(
          ten.stdout,
          /∂E\/∂w11\[1\] = δ1\[2\] · x1 {2}= {2}0\.01458952219 · 0\.05 {2}= {2}0\.0007294761095$/m,
        );
        assert.match(ten.stdout, /got 0\.14592280694438295, difference 4\.438295e-11 {2}ok$/m);
        const three = bpnb(['run', '--digits=3', '--format', 'markdown', EXAMPLE]);
        assert.equal(three.status, 0, three.stderr);
        assert.match(three.stdout, /^\| 1\\\[3\\\] \| 0\.146 \|$/m);
        assert.match(three.stdout, /^\| 1\\\[2\\\] \| 0\.0146 \|$/m);
        assert.match(
          three.stdout,
          /= δ1\\\[2\\\] · x1 {2}= {2}0\.0146 · 0\.05 {2}= {2}0\.000729$/m,
        );
        // every number in the tables has at most that many significant digits
        for (const [out, n] of [
          [ten.stdout, 10],
          [bpnb(['run', EXAMPLE, '--digits', '3']).stdout, 3],
        ] as const) {
          const rows = out.split('\n').filter((l) => /^\S+\]\s+-?\d/.test(l));
          assert.ok(rows.length > 20, `${rows.length} table rows`);
          const lengths = rows.flatMap((line) =>
            line
              .split(/\s+/)
              .slice(1)
              .filter((v) => /^-?\d/.test(v))
              .map(
                (v) =>
                  v
                    .replace(/e.*$/, '')
                    .replace(/^-?[0.]*/, '')
                    .replace('.', '').length,
              ),
          );
          assert.equal(Math.max(...lengths), n);
        }
        for (const bad of ['0', '18', 'six']) {
          const r = bpnb(['run', EXAMPLE, '--digits', bad]);
          assert.equal(r.status, 2);
          assert.match(
            r.stderr,
            new RegExp(`--digits needs a whole number from 1 to 17, got '${bad}'`),
          );
        }
      },
    );

    it('a failing expect: exit 1, the file line of the expect, later cells not run', () => {
      const r = bpnb(['run', 'test/fixtures/cli/failing-expect.bpnb']);
      assert.equal(r.status, 1);
      assert.match(
        r.stderr,
        /failing-expect\.bpnb: FAILED: 2 of 3 code cells ran, 1 of 2 expectations held, 1 not run/,
      );
      assert.match(
        r.stderr,
        new RegExp(
          String.raw`failing-expect\.bpnb:25:10: error: expect δ1\[2\] = 0\.5 ± 1e-6 did not ` +
            String.raw`hold: got 0\.014589522189062691, difference -0\.485410477810937309 \(cell ` +
            String.raw`2\)`,
        ),
      );
      assert.match(r.stderr, /cells from cell 3 \(line 28\) on were not run/);
      assert.match(r.stdout, /^\[cell 3, line 28\] \(not run\)$/m);
    });

    it(
      'expect without a tolerance prints the default one as a decimal (± 1.2e-8 for 12), in the ' +
        'output and the failure',
      () => {
        const file = join(scratch, 'tol.bpnb');
        const cells = [
          ['network 1 -> 1 identity', 'bias off', 'w11[1] = 12', 'input x = [1]', 'target t = [0]'],
          ['forward', 'expect a1[2] = 12', 'expect a1[2] = 12.0000000121'],
        ];
        writeFileSync(
          file,
          JSON.stringify({
            format: 'backprop-notebook',
            version: '1.0',
            metadata: {},
            cells: cells.map((source) => ({ kind: 'code', language: 'bpnb', source })),
          }),
        );
        const r = bpnb(['run', file]);
        assert.equal(r.status, 1);
        assert.match(r.stdout, /^expect a1\[2\] = 12 ± 1\.2e-8: got 12, difference 0 {2}ok$/m);
        assert.match(
          r.stderr,
          new RegExp(
            String.raw`error: expect a1\[2\] = 12\.0000000121 ± 1\.20000000121e-8 did not hold: ` +
              String.raw`got 12, difference -1\.21e-8`,
          ),
        );
        assert.doesNotMatch(r.stdout + r.stderr, /0000000000[1-9]|9999999999/);
      },
    );

    it('a cell with a syntax error fails the run with file:line:col', () => {
      const r = bpnb(['run', '-q', 'test/fixtures/cli/syntax-error.bpnb']);
      assert.equal(r.status, 1);
      assert.match(
        r.stdout,
        new RegExp(
          String.raw`syntax-error\.bpnb:26:12: error: unknown statement 'forwrd'; did you mean ` +
            String.raw`'forward'\? \[BPNB101\]`,
        ),
      );
    });

    it(
      '--write stores the outputs VS Code would, and the file re-parses and re-runs ' +
        'identically',
      () => {
        const path = copyTo(EXAMPLE);
        const r = bpnb(['run', '--write', '--quiet', path]);
        assert.equal(r.status, 0, r.stderr);
        assert.equal(r.stdout, '');
        const written = readNotebook(path);
        const code = written.cells.map((c, i) => ({ c, i })).filter(({ c }) => c.kind === 'code');
        assert.deepEqual(
          code.map(({ c }) => c.execution?.order),
          [1, 2, 3, 4, 5, 6, 7, 8],
        );
        assert.ok(
          code.every(
            ({ c }) =>
              c.execution?.success === true && c.outputs?.[0].items[1].mime === 'text/markdown',
          ),
        );
        assert.ok(
          written.cells.filter((c) => c.kind === 'markdown').every((c) => c.outputs === undefined),
        );
        assert.deepEqual(
          written.cells.map((c) => c.source),
          readNotebook(EXAMPLE).cells.map((c) => c.source),
        );
        const first = code.map(({ i }) => payloadOf(written, i));
        assert.ok(first[2].items.some((i) => i.kind === 'table' && i.title === 'deltas δ'));

        assert.equal(bpnb(['run', '--write', '-q', path]).status, 0);
        const again = readNotebook(path);
        assert.deepEqual(
          code.map(({ i }) => payloadOf(again, i)),
          first,
        );
        const json = JSON.parse(bpnb(['run', '--format', 'json', path]).stdout);
        assert.deepEqual(
          json.files[0].cells.map((c: { payload: ResultPayload }) => c.payload),
          first,
        );
      },
    );

    it("--write on a failing cell stores VS Code's error output and success false", () => {
      const path = copyTo(join(FIXTURES, 'syntax-error.bpnb'));
      assert.equal(bpnb(['run', '--write', path]).status, 1);
      const cell = readNotebook(path).cells[2];
      assert.equal(cell.execution?.success, false);
      const error = cell.outputs
        ?.flatMap((o) => o.items)
        .find((i) => i.mime === 'application/vnd.code.notebook.error');
      assert.ok(error && typeof error.data === 'string');
      const parsed = JSON.parse(error.data as string);
      assert.equal(parsed.name, 'Cell error');
      assert.match(parsed.message, /^line 2, column 3: unknown statement 'forwrd'.* \[BPNB101\]$/m);
    });

    it(
      'reads a CSV beside the notebook and refuses one that a symlink puts outside ' + 'its folder',
      () => {
        mkdirSync(join(scratch, 'nb'));
        writeFileSync(join(scratch, 'nb', 'points.csv'), 'x1,x2,t\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n');
        writeFileSync(join(scratch, 'secret.csv'), '0,0,0\n');
        symlinkSync(join(scratch, 'secret.csv'), join(scratch, 'nb', 'link.csv'));
        const notebook = (file: string) =>
          JSON.stringify({
            format: 'backprop-notebook',
            version: '1.0',
            metadata: {},
            cells: [
              {
                kind: 'code',
                language: 'bpnb',
                source: ['network 2 -> 2 sigmoid -> 1 sigmoid', `dataset csv "${file}"`],
              },
            ],
          });
        writeFileSync(join(scratch, 'nb', 'good.bpnb'), notebook('points.csv'));
        writeFileSync(join(scratch, 'nb', 'bad.bpnb'), notebook('link.csv'));
        const good = bpnb(['run', 'nb/good.bpnb'], scratch);
        assert.equal(good.status, 0, good.stderr);
        assert.match(good.stdout, /dataset points\.csv: 4 rows, 2 inputs/);
        const bad = bpnb(['run', 'nb/bad.bpnb'], scratch);
        assert.equal(bad.status, 1);
        assert.match(
          bad.stdout,
          /cannot read "link\.csv": "link\.csv" is outside the notebook's folder .*\[BPNB303\]/,
        );
      },
    );
  });

  describe('unreadable files: exit 2, the reason, the file never modified', () => {
    const exampleText = () => readFileSync(EXAMPLE, 'utf8');
    // the cell whose kind the 'wrong field' case breaks: the example's first code cell
    const firstCode = readNotebook(EXAMPLE).cells.findIndex((c) => c.kind === 'code');
    const corrupt: [string, () => Buffer | string, RegExp][] = [
      [
        'truncated',
        () => exampleText().slice(0, 400),
        /notebook\.bpnb:\d+: error: Not a valid \.bpnb file: line \d+/,
      ],
      [
        'merge-conflict markers',
        () =>
          exampleText().replace(
            '    {\n      "kind": "code"',
            '<<<<<<< HEAD\n    {\n      "kind": "code"',
          ),
        /The file has merge-conflict markers \(line \d+\)/,
      ],
      [
        'not UTF-8',
        () =>
          Buffer.concat([
            Buffer.from(exampleText().slice(0, 100)),
            Buffer.from([0xff, 0xfe, 0x00]),
            Buffer.from(exampleText().slice(100)),
          ]),
        /is not valid UTF-8 text/,
      ],
      ['HTML', () => '<!doctype html><html></html>\n', /looks like HTML/],
      [
        'a wrong field',
        () => exampleText().replace('"kind": "code"', '"kind": "python"'),
        new RegExp(`field cells\\[${firstCode}\\]\\.kind must be "code" or "markdown"`),
      ],
    ];
    for (const [name, bytes, message] of corrupt) {
      it(`${name}: run --write and check both refuse it`, () => {
        const path = join(scratch, 'notebook.bpnb');
        writeFileSync(path, bytes());
        const before = readFileSync(path);
        const run = bpnb(['run', '--write', path]);
        assert.equal(run.status, 2);
        assert.match(run.stderr, message);
        const check = bpnb(['check', path]);
        assert.equal(check.status, 2);
        assert.match(check.stderr, message);
        assert.deepEqual(readFileSync(path), before);
        assert.deepEqual(readdirSync(scratch), ['notebook.bpnb']);
      });
    }

    it('a missing file, with the other files still run', () => {
      const r = bpnb(['run', 'no/such.bpnb', EXAMPLE]);
      assert.equal(r.status, 2);
      assert.match(r.stderr, /no\/such\.bpnb: error: cannot read the file: no such file/);
      assert.match(r.stderr, /01-seed-network\.bpnb: ok: 8 of 8 code cells ran/);
    });
  });

  describe('check', () => {
    it('prints file:line:col: severity: message [code] at the line in the .bpnb file', () => {
      const r = bpnb(['check', 'test/fixtures/cli/syntax-error.bpnb']);
      assert.equal(r.status, 1);
      assert.deepEqual(r.stdout.trim().split('\n'), [
        "test/fixtures/cli/syntax-error.bpnb:26:12: error: unknown statement 'forwrd'; did you " +
          "mean 'forward'? [BPNB101]",
        'test/fixtures/cli/syntax-error.bpnb:27:15: error: layer 2 has nodes 1–3, got 4 [BPNB203]',
      ]);
    });

    it('validates each cell after the ones before it, and passes the example', () => {
      const r = bpnb(['check', EXAMPLE, 'test/fixtures/cli/failing-expect.bpnb']);
      assert.equal(r.status, 0, r.stdout + r.stderr);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /01-seed-network\.bpnb: 8 code cells checked, 0 errors/);
    });

    it('--format json lists the problems with file and cell positions', () => {
      const out = JSON.parse(
        bpnb(['check', '--format', 'json', 'test/fixtures/cli/syntax-error.bpnb']).stdout,
      );
      assert.equal(out.exitCode, 1);
      assert.deepEqual(
        out.files[0].problems.map(
          (p: { code: string; line: number; column: number; cell: number; cellLine: number }) => [
            p.code,
            p.line,
            p.column,
            p.cell,
            p.cellLine,
          ],
        ),
        [
          ['BPNB101', 26, 12, 3, 2],
          ['BPNB203', 27, 15, 3, 3],
        ],
      );
    });
  });

  describe('usage', () => {
    const usage: [string, string[], RegExp][] = [
      ['no arguments', [], /no command given/],
      ['an unknown command', ['execute', 'x.bpnb'], /unknown command 'execute'/],
      ['an unknown option', ['run', '--fast', 'x.bpnb'], /unknown option '--fast'/],
      ['an unknown format', ['run', '--format', 'xml', 'x.bpnb'], /unknown format 'xml'/],
      ['no files', ['run', '--write'], /run needs at least one notebook file/],
      ['--write with check', ['check', '--write', 'x.bpnb'], /--write goes with run/],
    ];
    for (const [name, args, message] of usage) {
      it(`${name} → exit 2 and the usage`, () => {
        const r = bpnb(args);
        assert.equal(r.status, 2);
        assert.match(r.stderr, message);
        assert.match(r.stderr, /Usage:/);
      });
    }

    it('--help and --version', () => {
      const help = bpnb(['--help']);
      assert.equal(help.status, 0);
      assert.match(help.stdout, /bpnb run FILE…/);
      const version = bpnb(['--version']);
      assert.equal(version.status, 0);
      assert.equal(
        version.stdout.trim(),
        `bpnb ${JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version}`,
      );
    });
  });

  describe('--write: failures are failures, edits made during the run are kept', () => {
    /** Runs bpnb as an unprivileged user when the tests run as root (root may write anywhere). */
    function asUser(args: string[], cwd: string): Result {
      const root = process.getuid?.() === 0;
      const r = spawnSync(process.execPath, [BIN, ...args], {
        cwd,
        encoding: 'utf8',
        ...(root ? { uid: 65534, gid: 65534 } : {}),
      });
      return { status: r.status, stdout: r.stdout, stderr: r.stderr };
    }

    it(
      'a read-only folder: exit 3, the reason on stderr, the JSON report says ' + 'written: false',
      () => {
        chmodSync(scratch, 0o755);
        const folder = join(scratch, 'ro');
        mkdirSync(folder);
        const path = join(folder, 'notebook.bpnb');
        copyFileSync(EXAMPLE, path);
        chmodSync(path, 0o644);
        chmodSync(folder, 0o555);
        const before = readFileSync(path);
        const r = asUser(['run', '--write', '--format', 'json', path], folder);
        chmodSync(folder, 0o755);
        assert.equal(r.status, 3, r.stderr);
        assert.match(r.stderr, /notebook\.bpnb: error: cannot write the outputs: EACCES/);
        assert.match(
          r.stderr,
          /notebook\.bpnb: FAILED: 8 of 8 code cells ran, .*outputs NOT written/,
        );
        const json = JSON.parse(r.stdout);
        assert.equal(json.exitCode, 3);
        assert.equal(json.files[0].written, false);
        assert.match(json.files[0].writeError.message, /cannot write the outputs: EACCES/);
        assert.deepEqual(readFileSync(path), before);
      },
    );

    it(
      'a cell appended while a run trains is not lost: the outputs go beside the file, and ' +
        'it says so',
      async () => {
        const quick = copyTo(EXAMPLE, 'quick.bpnb');
        const long = join(scratch, 'long.bpnb');
        const notebook = (sources: string[][]) =>
          JSON.stringify({
            format: 'backprop-notebook',
            version: '1.0',
            metadata: {},
            cells: sources.map((source) => ({ kind: 'code', language: 'bpnb', source })),
          });
        const train = [
          'network 2 -> 8 tanh -> 1 sigmoid',
          'dataset circle n 400',
          'train epochs 100000000',
        ];
        writeFileSync(long, notebook([train]));
        // once quick.bpnb has been printed, long.bpnb is read next and trains for 10⁸ epochs
        const { child, done } = await runPastQuick(quick, long);
        await new Promise((r) => setTimeout(r, 300));
        const edited = notebook([train, ['show loss']]);
        writeFileSync(long, edited);
        child.kill('SIGINT');
        const { code, stderr } = await done;
        assert.equal(code, 130, stderr);
        assert.equal(readFileSync(long, 'utf8'), edited, 'the edit made during the run is kept');
        const beside = readdirSync(scratch).filter((f) => /^long\.outputs-.*\.bpnb$/.test(f));
        assert.equal(beside.length, 1, readdirSync(scratch).join(' '));
        assert.ok(
          stderr.includes(
            `long.bpnb changed on disk while it ran, so it was not overwritten; the ` +
              `outputs are in ` +
              `${join(scratch, beside[0])}`,
          ),
          stderr,
        );
        assert.match(stderr, /long\.bpnb: STOPPED: .*outputs NOT written/);
        const stored = readNotebook(join(scratch, beside[0]));
        assert.equal(stored.cells.length, 1);
        assert.equal(stored.cells[0].execution?.success, false); // stopped
      },
    );
  });

  describe('Ctrl-C', () => {
    it('stops the run, prints what ran, exits 130 and leaves a valid notebook', async () => {
      const quick = copyTo(EXAMPLE, 'quick.bpnb');
      const long = join(scratch, 'long.bpnb');
      const source = [
        'network 2 -> 8 tanh -> 1 sigmoid',
        'dataset circle n 400',
        'train epochs 200000 lr 0.1',
      ];
      writeFileSync(
        long,
        JSON.stringify({
          format: 'backprop-notebook',
          version: '1.0',
          metadata: {},
          cells: [
            { kind: 'code', language: 'bpnb', source },
            { kind: 'code', language: 'bpnb', source: ['show loss'] },
          ],
        }),
      );
      // the quick notebook has been printed: the long one is running now
      const { child, done } = await runPastQuick(quick, long);
      child.kill('SIGINT');
      const { code, stderr } = await done;
      assert.equal(code, 130);
      assert.match(stderr, /Stopped by Ctrl-C\./);
      assert.match(stderr, /quick\.bpnb: ok: 8 of 8 code cells ran/);
      readNotebook(long); // still a valid notebook (written or not)
      assert.equal(readdirSync(scratch).filter((f) => f.endsWith('.tmp')).length, 0);
    });
  });
});
