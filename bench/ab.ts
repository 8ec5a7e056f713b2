/**
 * In-process A/B pairs (at this machine's load a fresh process's luck decides a wall-clock ratio):
 * one process per workload, `node .bench/ab.js W1 [pairs]`. The columns alternate turns (A, B, A,
 * B, …, the order flipped every pair), each turn ~`TURN_MS` of units, all timed in CPU time of the
 * process that did the work (see `now`). Prints one JSON line per workload:
 *   vsOptF64        W1/W2: the yardstick's `opt-f64` time / the train path's (> 1 = we are faster);
 *                   only when the optional yardstick is built at $BPNB_HARNESS (bench/run.sh)
 *   vsNumpy         W3/W4: numpy-f64 on one thread (bench/numpy_turns.py, its own process, its own
 *                   CPU time) / the train path, with both sides' ms per unit and numpy's GEMM peak
 *   twoThreads      W3/W4: the train path with a second thread (KernelTwin): numpy-f64 one thread /
 *                   it and our one thread / it, both in wall-clock time (CPU time adds up the
 *                   threads)
 *   cellsVsTrainer  the workload as notebook cells through the Session / the train path
 * The workloads are bench/workloads.ts's; with the yardstick present they are checked to be its own
 * to the bit first. `node .bench/ab.js U2 [pairs]` (and U3) instead prints
 *   userVsBuiltin   a user-defined activation (USER_SWISH) / the built-in silu it equals, in the
 *                   hidden layers of W2's (W3's) net, through the same train path
 */
import * as childProcess from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as readline from 'readline';
import { adapter, twoThreads, withActivations } from './adapter';
import type { Activation } from '../src/engine';
import { parse } from '../src/language/parser';
import { nodeKernelTwin } from '../src/worker/kernelThread';
import { cellsRunner } from './cells';
import { getWorkload, type Batch } from './workloads';

interface Model {
  step(x: unknown, y: unknown, lr: number): number;
  forwardBackward(x: unknown, y: unknown): number;
}
interface HarnessAdapter {
  createMLP(spec: unknown): Model;
  prepare?(b: Batch): unknown;
  prepareBatch?(x: Batch, y: Batch): { x: unknown; y: unknown };
}

const id = process.argv[2] ?? 'W1';
const pairs = Number(process.argv[3] ?? 40);
const turnMs = Number(process.env.TURN_MS ?? 60);
/**
 * U2, U3: a user-defined activation equal to a built-in, USER_SWISH against silu, in the hidden
 * layers of W2's 2-4-1 XOR and of W3's 784-128-64-10 net (the output layers as in W2, W3)
 */
const USER_BASE: Record<string, string | undefined> = { U2: 'W2', U3: 'W3' };
const USER_SWISH = 'activation myswish(z) = z * sigmoid(z)';
const wl = getWorkload(USER_BASE[id] ?? id);
const harness = process.env.BPNB_HARNESS ? path.resolve(process.env.BPNB_HARNESS) : undefined;

/** the yardstick's opt-f64, or why there is none; its workload must be ours to the bit */
function yardstick(): HarnessAdapter | string {
  const dist = harness && path.join(harness, 'dist');
  if (!dist || !fs.existsSync(path.join(dist, 'impls', 'optimized.js')))
    return 'the yardstick (../shared/bench) is not present';
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const load = (file: string) => require(path.join(dist, file));
  const theirs = load('workloads.js').getWorkload(id);
  const same = (a: ArrayLike<number>, b: ArrayLike<number>) =>
    a.length === b.length && Array.from(a).every((v, k) => Object.is(v, b[k]));
  const arrays = (w: typeof wl) => [
    ...w.spec.init.weights,
    ...(w.spec.init.biases ?? []),
    ...w.makeData().batches.flatMap((b) => [b.x.data, b.y.data]),
  ];
  const a = arrays(wl),
    b = arrays(theirs);
  if (a.length !== b.length || a.some((v, k) => !same(v, b[k])) || theirs.lr !== wl.lr)
    throw new Error(`bench/workloads.ts's ${id} differs from the yardstick's`);
  return load('impls/optimized.js').adapterF64;
}
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
    .batches.map((b) =>
      a.prepareBatch
        ? a.prepareBatch(b.x, b.y)
        : { x: a.prepare?.(b.x) ?? b.x, y: a.prepare?.(b.y) ?? b.y },
    );
}

/**
 * runs `units` units of the workload on a; returns the milliseconds. `gradientsOnly`: each step's
 * forward + backward without the update (what bounds the W1/W2 ratio: the gradients or the rest)
 */
function runner(a: HarnessAdapter, gradientsOnly = false, clock = now): (units: number) => number {
  const now = clock;
  const batches = prepared(a);
  if (wl.mode === 'epochs') {
    return (units) => {
      let ms = 0;
      for (let u = 0; u < units; u++) {
        // a fresh model per run of 10k epochs, untimed (as the harness)
        const m = a.createMLP(wl.spec);
        const { x, y } = batches[0];
        const t0 = now();
        if (gradientsOnly) for (let e = 0; e < wl.epochs!; e++) m.forwardBackward(x, y);
        else for (let e = 0; e < wl.epochs!; e++) m.step(x, y, wl.lr);
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
      if (wl.mode === 'fwdbwd' || gradientsOnly) m.forwardBackward(b.x, b.y);
      else m.step(b.x, b.y, wl.lr);
      c = c + 1 === batches.length ? 0 : c + 1;
    }
    return now() - t0;
  };
}

/** one answer of bench/numpy_turns.py */
interface Answer {
  cpu_ms: number;
  wall_ms: number;
  gflops: number;
  loss: number;
}

/**
 * numpy-f64, one thread, in its own process (bench/numpy_turns.py) on this workload's parameters
 * and data (written to .bench/fixtures); a runner like `runner`'s, timed by numpy's CPU time, or
 * why numpy cannot run.
 */
async function numpy(): Promise<
  | {
      run: (units: number) => Promise<number>;
      runWall: (units: number) => Promise<number>;
      ask: (cmd: string) => Promise<Answer>;
    }
  | string
> {
  const dir = path.join(__dirname, 'fixtures');
  fs.mkdirSync(dir, { recursive: true });
  const batches = wl.makeData().batches;
  const write = (name: string, parts: Float64Array[]) => {
    const all = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) all.set(p, (at += p.length) - p.length);
    fs.writeFileSync(path.join(dir, `${id}-${name}.bin`), Buffer.from(all.buffer));
  };
  write('weights', wl.spec.init.weights);
  write('biases', wl.spec.init.biases ?? []);
  write(
    'x',
    batches.map((b) => b.x.data),
  );
  write(
    'y',
    batches.map((b) => b.y.data),
  );
  const { layers, activations, loss, bias } = wl.spec;
  fs.writeFileSync(
    path.join(dir, `${id}.json`),
    JSON.stringify({
      layers,
      activations,
      loss,
      bias,
      lr: wl.lr,
      mode: wl.mode,
      batchSize: wl.batchSize,
      batches: batches.length,
    }),
  );
  const env: Record<string, string | undefined> = {
    ...process.env,
    OPENBLAS_NUM_THREADS: '1',
    OMP_NUM_THREADS: '1',
  };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const python = process.env.PYTHON ?? '/usr/bin/python3';
  const script = path.join(__dirname, '..', 'bench', 'numpy_turns.py');
  const child = childProcess.spawn(python, ['-u', script, dir, id], {
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const lines = readline.createInterface({ input: child.stdout });
  const waiting: ((line: string | undefined) => void)[] = [];
  lines.on('line', (line) => waiting.shift()?.(line));
  const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
  void closed.then(() => waiting.splice(0).forEach((w) => w(undefined)));
  child.on('error', () => undefined);
  child.stdin.on('error', () => undefined);
  const ask = (cmd: string) =>
    new Promise<Answer>((resolve, reject) => {
      waiting.push((line) =>
        line === undefined
          ? reject(new Error(`numpy stopped: ${stderr.trim()}`))
          : resolve(JSON.parse(line)),
      );
      child.stdin.write(cmd + '\n');
    });
  try {
    await ask('run 1');
  } catch (e) {
    return `numpy could not run (${python}): ${(e as Error).message.split('\n').slice(-1)[0]}`;
  }
  process.on('exit', () => child.kill());
  return {
    run: async (units: number) => (await ask(`run ${units}`)).cpu_ms,
    runWall: async (units: number) => (await ask(`run ${units}`)).wall_ms,
    ask,
  };
}

type Runner = (units: number) => number | Promise<number>;

/**
 * `units` units per turn so that a turn of r takes at least `ms` (at most `max` units), after a
 * warm-up
 */
async function calibrate(r: Runner, max: number, ms = turnMs): Promise<number> {
  for (let k = 0; k < 3; k++) await r(1);
  let units = 1;
  while (units < max && (await r(units)) < ms / 2) units *= 2;
  return units;
}

/**
 * alternating turns of x and y (the order flipped every pair): per pair, x's time per unit / y's;
 * with both sides' median ms per unit
 */
async function pairsOf(x: Runner, ux: number, y: Runner, uy: number, n: number) {
  const ratios: number[] = [],
    xs: number[] = [],
    ys: number[] = [];
  for (let p = 0; p < n; p++) {
    let a: number, b: number;
    if (p % 2 === 0) {
      a = (await x(ux)) / ux;
      b = (await y(uy)) / uy;
    } else {
      b = (await y(uy)) / uy;
      a = (await x(ux)) / ux;
    }
    ratios.push(a / b);
    xs.push(a);
    ys.push(b);
  }
  const med = (v: number[]) => v.slice().sort((u, w) => u - w)[v.length >> 1];
  return {
    pairs: n,
    median: med(ratios),
    min: Math.min(...ratios),
    max: Math.max(...ratios),
    msPerUnit: [med(xs), med(ys)],
  };
}

/**
 * W3/W4 with a second thread (dist/trainWorker.js in its kernels role, built by `node esbuild.js`),
 * in wall-clock time: numpy one thread / ours with two, and ours with one / ours with two
 */
async function twoThreadPairs(
  npWall: Runner,
  npUnits: number,
  units: number,
): Promise<Record<string, unknown>> {
  const script = path.join(__dirname, '..', 'dist', 'trainWorker.js');
  const twin = fs.existsSync(script) ? nodeKernelTwin(script) : undefined;
  if (!twin) return { skipped: `no second thread (${script})` };
  const wall = () => performance.now();
  const two = runner(twoThreads(twin) as unknown as HarnessAdapter, false, wall),
    one = runner(adapter as unknown as HarnessAdapter, false, wall);
  await calibrate(two, 1); // warm-up
  const n = Math.max(10, pairs >> 1);
  return {
    vsNumpyWall: await pairsOf(npWall, npUnits, two, units, n),
    vsOneThreadWall: await pairsOf(one, units, two, units, n),
  };
}

/**
 * U2/U3: alternating turns of the user's activation and the built-in silu through the train path
 * (the user's time / the built-in's); the two networks' first losses must agree
 */
async function userActivationPairs(): Promise<void> {
  const define = parse(USER_SWISH).statements[0];
  if (define?.kind !== 'define') throw new Error(`not a definition: ${USER_SWISH}`);
  const user: Activation = {
    kind: define.name.text,
    user: { params: define.params.map((p) => p.text), body: define.body },
  };
  const last = wl.spec.activations.length - 1;
  const hidden = (a: Activation) =>
    wl.spec.activations.map((kind, m): Activation => (m < last ? a : { kind }));
  const builtin = withActivations(hidden({ kind: 'silu' })),
    mine = withActivations(hidden(user));
  const first = wl.makeData().batches[0];
  const [theirs, ours] = [builtin, mine].map((a) =>
    a.createMLP(wl.spec).forwardBackward(first.x.data, first.y.data),
  );
  if (Math.abs(theirs - ours) > 1e-12 * Math.abs(theirs))
    throw new Error(`the user's first loss ${ours} is not silu's ${theirs}`);
  const b = runner(builtin as unknown as HarnessAdapter),
    u = runner(mine as unknown as HarnessAdapter);
  const units = await calibrate(b, 1 << 22);
  await calibrate(u, 1); // warm-up
  console.log(
    JSON.stringify({
      workload: id,
      of: wl.id,
      layers: wl.spec.layers,
      definition: USER_SWISH,
      unitsPerTurn: units,
      firstLoss: [theirs, ours],
      userVsBuiltin: await pairsOf(u, units, b, units, pairs),
      load: os.loadavg(),
    }),
  );
  process.exit(0);
}

async function main(): Promise<void> {
  if (USER_BASE[id]) return userActivationPairs();
  const ours = runner(adapter as unknown as HarnessAdapter);
  const units = await calibrate(ours, 1 << 22);
  const out: Record<string, unknown> = {
    workload: id,
    unitsPerTurn: units,
    flopsPerUnit: wl.flopsPerUnit,
  };
  if (id === 'W1' || id === 'W2') {
    // opt-f64's time / ours: > 1 = we are faster
    const baseline = yardstick();
    if (typeof baseline === 'string') out.vsOptF64 = { skipped: baseline };
    else {
      const base = runner(baseline);
      for (const t0 = now(); now() - t0 < 300;) base(units); // warm-up
      out.vsOptF64 = await pairsOf(base, units, ours, units, pairs);
      // after the train path's trainer exists (it takes the data prepared so far)
      const gradients = runner(adapter as unknown as HarnessAdapter, true);
      out.gradientsVsOptF64 = await pairsOf(base, units, gradients, units, pairs >> 1);
    }
  } else {
    // numpy's time / ours: the W3/W4 target is ≥ 0.6
    const np = await numpy();
    if (typeof np === 'string') out.vsNumpy = { skipped: np };
    else {
      // the same work: numpy's loss of its first unit against ours on a fresh model
      const first = wl.makeData().batches[0];
      const theirs = (await np.ask('loss')).loss as number;
      const mine = (adapter.createMLP(wl.spec) as unknown as Model).forwardBackward(
        first.x.data,
        first.y.data,
      );
      if (Math.abs(theirs - mine) > 1e-12 * Math.abs(mine))
        throw new Error(`numpy's first loss ${theirs} is not ours ${mine}`);
      const npUnits = await calibrate(np.run, 1 << 16);
      const peaks: number[] = [];
      for (let k = 0; k < 5; k++) peaks.push((await np.ask('peak')).gflops);
      peaks.sort((u, v) => u - v);
      out.vsNumpy = {
        ...(await pairsOf(np.run, npUnits, ours, units, pairs)),
        firstLoss: [theirs, mine],
        gemmPeak: { median: peaks[2], min: peaks[0], max: peaks[4] },
      };
      out.twoThreads = await twoThreadPairs(np.runWall, npUnits, units);
    }
  }
  // the cells' time per unit / the trainer's: what the runtime adds around the training
  const cells = await cellsRunner(wl, now);
  // cells of a realistic length: W1 100,000 steps, W3 320 steps (10 epochs of the 1,024 samples)
  const cellUnits = id === 'W1' ? 100_000 : id === 'W3' ? 320 : 1;
  await cells(cellUnits); // warm-up
  out.cellUnits = cellUnits;
  out.cellsVsTrainer = await pairsOf(cells, cellUnits, ours, units, Math.max(6, pairs >> 3));
  out.load = os.loadavg();
  console.log(JSON.stringify(out));
  process.exit(0);
}

void main();
