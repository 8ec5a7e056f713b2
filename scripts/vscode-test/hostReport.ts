/**
 * Writes the per-host section of docs/performance.md (between its `hosts:begin` / `hosts:end`
 * markers) from the last integration run in each host: test-results/[HOST/]run.json, written by
 * run.ts, and the measurements the suites reported beside it (perf.test.ts, stop.test.ts,
 * perfEventLoop.test.ts). Every figure there comes from these files; nothing is typed by hand.
 *
 *   npm run report:hosts      (after npm run test:integration, or after one run.js --host NAME)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import versions from './versions.json';

export type HostName = 'oldest' | 'newest' | 'web';
export const HOSTS: HostName[] = ['oldest', 'newest', 'web'];

/** What run.ts records about a run (test-results/[HOST/]run.json). */
export interface RunRecord {
  host: HostName;
  label: string;
  build: Record<string, string>;
  startedAt: string;
  seconds: number;
  passed: number;
  failed: number;
  /** BPNB_TEST_GREP when only some tests ran */
  grep?: string;
  /** os.loadavg() at the start and at the end */
  load: { start: number[]; end: number[] };
  cpus: string;
  commit?: string;
  dirty?: boolean;
}

interface Summary {
  n: number;
  min: number;
  median: number;
  p95: number;
  max: number;
}
interface StopResult {
  cell: string;
  stopBy?: string;
  stopMs: Summary;
  hostStopMs: Summary;
  commandRoundTripMs: Summary;
}
interface LoopDelay {
  samples: number;
  p50: number;
  p99: number;
  max: number;
}

/**
 * perf.test.ts: the whole activation and its phases (absent in runs made before they were measured)
 */
export interface Activation {
  activationMs: number;
  evaluateMs?: number;
  waitMs?: number;
  activateMs?: number;
}

/** One host's run and its measurements (each absent when that test did not run). */
export interface HostResults {
  run: RunRecord;
  activation?: Activation;
  xor?: {
    cell?: string;
    trials: number[];
    median: number;
    max: number;
    extensionTrials?: number[];
    extensionMedian?: number;
  };
  stopMinibatch?: StopResult;
  stopFullBatch?: StopResult;
  eventLoop?: { cell: string; worker: LoopDelay; host: LoopDelay };
}

/**
 * Where a host's measurements go: test-results/ (oldest), test-results/vscode-<version>/,
 * test-results/web/.
 */
export function resultsDirOf(repoRoot: string, host: HostName): string {
  const base = path.join(repoRoot, 'test-results');
  if (host === 'oldest') return base;
  return path.join(base, host === 'web' ? 'web' : `vscode-${versions.newest.vscode}`);
}

export function readHostResults(dir: string): HostResults | undefined {
  const read = <T>(name: string): T | undefined => {
    const file = path.join(dir, `${name}.json`);
    return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as T) : undefined;
  };
  const run = read<RunRecord>('run');
  if (!run) return undefined;
  return {
    run,
    activation: read('perf-activation'),
    xor: read('perf-xor-10k'),
    stopMinibatch: read('stop-latency-minibatch'),
    stopFullBatch: read('stop-latency-fullbatch'),
    eventLoop: read('perf-host-event-loop-delay'),
  };
}

const ms = (v: number | undefined) => (v === undefined ? '–' : `${v} ms`);
const code = (text: string) => `\`${text.replace(/\n/g, '; ')}\``;
const load = (l: number[]) => l.map((v) => v.toFixed(2)).join(' / ');

/**
 * The same cell in every host that measured it, or undefined when they differ (then each is named).
 */
function commonCell(values: (string | undefined)[]): string | undefined {
  const cells = new Set(values.filter((v): v is string => v !== undefined));
  return cells.size === 1 ? [...cells][0] : undefined;
}

/** The markdown between the markers: one column per host that has a run. */
export function renderHostSection(hosts: HostResults[]): string {
  if (hosts.length === 0) return 'No integration run has written test-results/ yet.\n';
  const row = (label: string, cell: (h: HostResults) => string) =>
    `| ${label} | ${hosts.map(cell).join(' | ')} |`;
  const stopRow = (label: string, pick: (h: HostResults) => StopResult | undefined) =>
    row(label, (h) => {
      const s = pick(h);
      return s ? `${s.stopMs.median} / ${s.stopMs.p95} ms (${s.stopMs.n})` : '–';
    });
  const xorCell = commonCell(hosts.map((h) => h.xor?.cell));
  const miniCell = commonCell(hosts.map((h) => h.stopMinibatch?.cell));
  const fullCell = commonCell(hosts.map((h) => h.stopFullBatch?.cell));
  const loopCell = commonCell(hosts.map((h) => h.eventLoop?.cell));
  const out = [
    `The last integration run in each host (\`npm run test:integration\`, or \`run.js --host ` +
      `NAME\`), read from \`test-results/\` by \`scripts/vscode-test/hostReport.ts\`. Each ` +
      `host ran at its own moment on a shared machine: compare figures of one column, or ` +
      `columns run at a similar load, and do not rank the hosts by them.`,
    '',
    `| | ${hosts.map((h) => `**${h.run.label}**`).join(' | ')} |`,
    `|---|${hosts.map(() => '---').join('|')}|`,
    row('run started (UTC)', (h) => h.run.startedAt.replace('T', ' ').replace(/\.\d+Z$/, '')),
    row('commit', (h) =>
      h.run.commit ? `${h.run.commit}${h.run.dirty ? ' (with uncommitted changes)' : ''}` : '–',
    ),
    row(
      'tests',
      (h) =>
        `${h.run.passed} passed, ${h.run.failed} failed` +
        `${h.run.grep ? ` (only “${h.run.grep}”)` : ''}, ${h.run.seconds} s`,
    ),
    row(
      'load average at start → end (1 / 5 / 15 min)',
      (h) => `${load(h.run.load.start)} → ${load(h.run.load.end)}`,
    ),
    row('machine', (h) => h.run.cpus),
    row('activation: the bundle’s first line → end of `activate()`', (h) =>
      ms(h.activation?.activationMs),
    ),
    row('… evaluating the bundle (its first line → its modules evaluated)', (h) =>
      ms(h.activation?.evaluateMs),
    ),
    row(
      '… VS Code’s wait until it calls `activate()` (it readies the extension’s context, its ' +
        'globalState and workspaceState, meanwhile)',
      (h) => ms(h.activation?.waitMs),
    ),
    row('… `activate()` itself', (h) => ms(h.activation?.activateMs)),
    row(
      `${xorCell ? code(xorCell) : 'the XOR train cell'}, Run → cell finished with its output: ` +
        `median (min–max, runs)`,
      (h) =>
        h.xor
          ? `${h.xor.median} ms (${Math.min(...h.xor.trials)}–${h.xor.max}, ${h.xor.trials.length})`
          : '–',
    ),
    row('… its first run', (h) => ms(h.xor?.trials[0])),
    row(
      "… the extension's share (its run of the cell, start → `execution.end`): median (min–max)",
      (h) =>
        h.xor?.extensionTrials
          ? `${h.xor.extensionMedian} ms (${Math.min(...h.xor.extensionTrials)}–` +
            `${Math.max(...h.xor.extensionTrials)})`
          : 'not measured',
    ),
    row(
      'how Stop reaches the training worker',
      (h) => h.stopMinibatch?.stopBy ?? h.stopFullBatch?.stopBy ?? '–',
    ),
    stopRow(
      `Stop → cell ended, seen by the test, ${miniCell ? code(miniCell) : 'mini-batch train'}: ` +
        `median / p95 (stops)`,
      (h) => h.stopMinibatch,
    ),
    row('… the extension’s share (token cancelled → `execution.end`): median / p95', (h) =>
      h.stopMinibatch
        ? `${h.stopMinibatch.hostStopMs.median} / ${h.stopMinibatch.hostStopMs.p95} ms`
        : '–',
    ),
    stopRow(
      `Stop → cell ended, ${fullCell ? code(fullCell) : 'full-batch train'}: median / p95 (stops)`,
      (h) => h.stopFullBatch,
    ),
    row('a workbench command round trip during training (`setContext`): median / p95', (h) =>
      h.stopMinibatch
        ? `${h.stopMinibatch.commandRoundTripMs.median} / ` +
          `${h.stopMinibatch.commandRoundTripMs.p95} ms (${h.stopMinibatch.commandRoundTripMs.n})`
        : '–',
    ),
    row(
      `event-loop delay of the extension host while ${loopCell ? code(loopCell) : 'a long train'}` +
        ` trains in the worker: p50 / p99 / max`,
      (h) =>
        h.eventLoop
          ? `${h.eventLoop.worker.p50} / ${h.eventLoop.worker.p99} / ${h.eventLoop.worker.max} ms`
          : h.run.host === 'web'
            ? 'not measured (needs Node’s perf_hooks)'
            : '–',
    ),
    row('… the same run trained in the host (`trainInWorker` off)', (h) =>
      h.eventLoop
        ? `${h.eventLoop.host.p50} / ${h.eventLoop.host.p99} / ${h.eventLoop.host.max} ms`
        : '–',
    ),
  ];
  return out.join('\n') + '\n';
}

export const BEGIN =
  '<!-- hosts:begin (written by scripts/vscode-test/hostReport.ts from test-results/; do not ' +
  'edit) -->';
export const END = '<!-- hosts:end -->';

/** The document with the text between the markers replaced. */
export function replaceSection(doc: string, section: string): string {
  const old = sectionOf(doc);
  const a = doc.indexOf(BEGIN) + BEGIN.length;
  return doc.slice(0, a) + '\n\n' + section + '\n' + doc.slice(a + old.length);
}

/**
 * The runs the section was written from, kept beside it (a unit test renders them again and
 * compares).
 */
export const DATA_FILE = path.join('docs', 'performance-hosts.json');

/** The text between the markers. */
export function sectionOf(doc: string): string {
  const a = doc.indexOf(BEGIN),
    b = doc.indexOf(END);
  if (a < 0 || b < a) throw new Error(`docs/performance.md has no ${BEGIN} … ${END} markers`);
  return doc.slice(a + BEGIN.length, b);
}

function main(): void {
  const repoRoot = path.resolve(__dirname, '..', '..', '..');
  const hosts = HOSTS.map((h) => readHostResults(resultsDirOf(repoRoot, h))).filter(
    (h): h is HostResults => h !== undefined,
  );
  const doc = path.join(repoRoot, 'docs', 'performance.md');
  fs.writeFileSync(doc, replaceSection(fs.readFileSync(doc, 'utf8'), renderHostSection(hosts)));
  fs.writeFileSync(path.join(repoRoot, DATA_FILE), JSON.stringify(hosts, null, 2) + '\n');
  console.log(
    `docs/performance.md: the per-host section from ${hosts.length} run(s): ` +
      `${hosts.map((h) => h.run.label).join(', ')}`,
  );
}

if (require.main === module) main();
