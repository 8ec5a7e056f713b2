/**
 * In-process A/B pairs against the yardstick's `opt-f64` (the W1/W2 targets need more than one
 * fresh process per column: at this size a process's luck decides the ratio). One process per
 * workload: `node .bench/ab.js W1 [pairs]`; both columns get the harness's own spec and data, and
 * they alternate (A, B, A, B, …, the order flipped every pair), each turn ~`turn-ms` of units.
 * Prints one JSON line: the ratio (opt-f64 time / ours, > 1 = we are faster) of every pair, timed
 * in CPU time of the process (see `now`).
 * The harness is found at $BPNB_HARNESS (bench/run.sh sets it to .bench/harness).
 */
import * as path from 'path';
import { adapter } from './adapter';

interface Batch {
  data: Float64Array;
  rows: number;
  cols: number;
}
interface Model {
  step(x: unknown, y: unknown, lr: number): number;
  forwardBackward(x: unknown, y: unknown): number;
}
interface HarnessAdapter {
  createMLP(spec: unknown): Model;
  prepare?(b: Batch): unknown;
  prepareBatch?(x: Batch, y: Batch): { x: unknown; y: unknown };
}

const harness = path.resolve(process.env.BPNB_HARNESS ?? path.join(__dirname, 'harness'));
const load = (file: string) => require(path.join(harness, 'dist', file)); // eslint-disable-line @typescript-eslint/no-require-imports
const { getWorkload } = load('workloads.js');
const baseline: HarnessAdapter = load('impls/optimized.js').adapterF64;

const id = process.argv[2] ?? 'W1';
const pairs = Number(process.argv[3] ?? 40);
const turnMs = Number(process.env.TURN_MS ?? 60);
const wl = getWorkload(id);
/**
 * CPU time of this process (user + system, ms): unlike the wall clock it does not count the time
 * other processes held the core, which on a loaded 2-core machine is most of the noise.
 */
const now = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

function prepared(a: HarnessAdapter) {
  return wl
    .makeData()
    .batches.map((b: { x: Batch; y: Batch }) =>
      a.prepareBatch
        ? a.prepareBatch(b.x, b.y)
        : { x: a.prepare?.(b.x) ?? b.x, y: a.prepare?.(b.y) ?? b.y },
    );
}

/** runs `units` units of the workload on a; returns the milliseconds */
function runner(a: HarnessAdapter): (units: number) => number {
  const batches = prepared(a);
  if (wl.mode === 'epochs') {
    return (units) => {
      let ms = 0;
      for (let u = 0; u < units; u++) {
        const m = a.createMLP(wl.spec); // a fresh model per run of 10k epochs, untimed (as the harness)
        const { x, y } = batches[0];
        const t0 = now();
        for (let e = 0; e < wl.epochs; e++) m.step(x, y, wl.lr);
        ms += now() - t0;
      }
      return ms;
    };
  }
  const m = a.createMLP(wl.spec);
  let c = 0;
  return (units) => {
    const t0 = now();
    for (let u = 0; u < units; u++) {
      const b = batches[c];
      if (wl.mode === 'fwdbwd') m.forwardBackward(b.x, b.y);
      else m.step(b.x, b.y, wl.lr);
      c = c + 1 === batches.length ? 0 : c + 1;
    }
    return now() - t0;
  };
}

const A = runner(baseline),
  B = runner(adapter as unknown as HarnessAdapter);
// warm-up and calibration: units per turn so that a turn takes ~turnMs
let units = 1;
for (const t0 = now(); now() - t0 < 400;) {
  A(units);
  if (B(units) < turnMs / 4) units *= 2;
}
const ratios: number[] = [];
for (let p = 0; p < pairs; p++) {
  let a: number, b: number;
  if (p % 2 === 0) {
    a = A(units);
    b = B(units);
  } else {
    b = B(units);
    a = A(units);
  }
  ratios.push(a / b);
}
const sorted = ratios.slice().sort((x, y) => x - y);
console.log(
  JSON.stringify({
    workload: id,
    unitsPerTurn: units,
    pairs,
    median: sorted[sorted.length >> 1],
    min: sorted[0],
    max: sorted[sorted.length - 1],
    ratios,
  }),
);
