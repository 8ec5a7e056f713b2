/**
 * Writes the measured part of docs/performance.md (between its `bench:begin` / `bench:end` markers)
 * from one `npm run bench`'s output: the harness's results.json, bench/ab.ts's lines, bench/peak.ts's
 * peak and, when present, bench/product.ts's rows. Every number there comes from these files.
 * `node .bench/report.js` (bench/run.sh runs it last).
 */
import * as fs from 'fs';
import * as path from 'path';

const repo = path.resolve(__dirname, '..');
const bench = path.join(repo, '.bench');
const read = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8'));
const results = read(path.join(bench, 'harness', 'results', 'results.json'));
const ab: AbLine[] = fs
  .readFileSync(path.join(bench, 'ab.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l));
const peak = read(path.join(bench, 'peak.json'));
const productFile = path.join(bench, 'product.json');
const product = fs.existsSync(productFile) ? read(productFile) : undefined;

interface Spread {
  pairs: number;
  median: number;
  min: number;
  max: number;
}
interface AbLine {
  workload: string;
  cellUnits: number;
  vsOptF64?: Spread;
  cellsVsTrainer: Spread;
  load?: number[];
}
interface Row {
  impl: string;
  workload: string;
  unit: string;
  median: number;
  min: number;
  max: number;
  speed: number;
  ratio: number;
  gflops: number;
  memory?: { baseRssMB: number; maxRssMB: number };
}

const rows: Row[] = results.rows;
const rowOf = (impl: string, w: string) => rows.find((r) => r.impl === impl && r.workload === w);
const gemm = (threads: number) =>
  results.peak.peak.find(
    (p: { dtype: string; threads: number }) => p.dtype === 'float64' && p.threads === threads,
  )?.gflops as number;
const f = (v: number | undefined, digits = 3) =>
  v === undefined || !Number.isFinite(v) ? '–' : Number(v.toPrecision(digits)).toString();
const pct = (v: number) => `${(100 * v).toFixed(0)} %`;
const spread = (s: Spread) => `${f(s.median)} (${f(s.min)}–${f(s.max)}, ${s.pairs} pairs)`;
const W = ['W1', 'W2', 'W3', 'W4'];
const sys = results.sys;
const out: string[] = [];

out.push(
  `One \`npm run bench\`, ${sys.date} (harness start): Node ${sys.node}, ${sys.cpu}, ${sys.cores} cores, ${sys.memGiB} GiB. ` +
    `Load average ${sys.loadavgStart.join(' / ')} at the start of the harness, ${sys.loadavgEnd.join(' / ')} at its end` +
    (ab[0]?.load
      ? `, ${ab[ab.length - 1].load!.map((v) => v.toFixed(2)).join(' / ')} after the A/B pairs`
      : '') +
    ` (the machine is shared: other work ran on both cores). ${sys.rounds} rounds, ${sys.budgetMs} ms timed per process.`,
  '',
  `Peaks measured in the same run: numpy's float64 GEMM (2048², OpenBLAS) **${f(gemm(1))} GFLOP/s** on one thread, ${f(gemm(2))} on two; ` +
    `the WebAssembly f64x2 multiply + add our kernels are made of (bench/peak.ts, registers only) **${f(peak.median)} GFLOP/s** (${f(peak.min)}–${f(peak.max)}) on one thread.`,
  '',
  '### Engine against the references (harness, ratios to `opt-f64`, > 1 = faster)',
  '',
  "`bpnb` is the train path: the Trainer with a `train` cell's options (bench/adapter.ts).",
  '',
  '| | ' + W.join(' | ') + ' |',
  '|---|' + W.map(() => '---|').join(''),
);
const absolute = (r?: Row) => (r ? `${f(r.median)} ${r.unit}` : '–');
out.push(
  '| `opt-f64` (absolute) | ' + W.map((w) => absolute(rowOf('opt-f64', w))).join(' | ') + ' |',
);
/** the ratio's range from the two columns' extreme repetitions (units/s; W2's ms inverted) */
const range = (impl: string, base: string, w: string): [number, number] | undefined => {
  const r = rowOf(impl, w),
    b = rowOf(base, w);
  if (!r || !b) return undefined;
  const inv = r.unit.startsWith('ms');
  const [rLo, rHi] = inv ? [1 / r.max, 1 / r.min] : [r.min, r.max];
  const [bLo, bHi] = inv ? [1 / b.max, 1 / b.min] : [b.min, b.max];
  return [rLo / bHi, rHi / bLo];
};
for (const impl of ['bpnb', 'numpy-f64', 'numpy-f64-2t', 'numpy-f32'])
  out.push(
    `| ${impl === 'bpnb' ? '**bpnb**' : impl} | ` +
      W.map((w) => {
        const r = rowOf(impl, w),
          g = range(impl, 'opt-f64', w);
        return r && g ? `${f(r.ratio)} (${f(g[0], 2)}–${f(g[1], 2)})` : '–';
      }).join(' | ') +
      ' |',
  );
out.push(
  '',
  'Medians of the wall-clock repetitions, each column in its own fresh process; in parentheses the ' +
    "range the ratio takes between the two columns' slowest and fastest repetitions. Where that range " +
    'spans more than ×2 the load decided the figure more than the code did: quote the in-process pairs below instead.',
  '',
);

out.push(
  '### W3 / W4: against numpy and the physical limit (harness medians, wall clock)',
  '',
  '| | W3 | W4 |',
  '|---|---|---|',
);
const big = ['W3', 'W4'];
const cell = (fn: (w: string) => string) => big.map(fn).join(' | ');
out.push(
  `| bpnb / numpy-f64 (1 thread), target ≥ 0.6 | ${cell((w) => f(rowOf('bpnb', w)!.speed / rowOf('numpy-f64', w)!.speed))} |`,
  `| bpnb GFLOP/s (1 thread) | ${cell((w) => f(rowOf('bpnb', w)!.gflops))} |`,
  `| … share of numpy's f64 GEMM peak (1 thread) | ${cell((w) => pct(rowOf('bpnb', w)!.gflops / gemm(1)))} |`,
  `| … share of the WebAssembly f64x2 mul+add peak | ${cell((w) => pct(rowOf('bpnb', w)!.gflops / peak.median))} |`,
  `| numpy-f64 GFLOP/s (1 thread), share of its GEMM peak | ${cell((w) => `${f(rowOf('numpy-f64', w)!.gflops)}, ${pct(rowOf('numpy-f64', w)!.gflops / gemm(1))}`)} |`,
  `| numpy-f64 GFLOP/s (2 threads), share of the 2-thread peak | ${cell((w) => {
    const r = rowOf('numpy-f64-2t', w);
    return r ? `${f(r.gflops)}, ${pct(r.gflops / gemm(2))}` : '–';
  })} |`,
  `| bpnb with two threads | not built (see below) | not built |`,
  '',
);

out.push('### Peak memory per workload (RSS of the measuring process, base → peak, MB)', '');
out.push('| | ' + W.join(' | ') + ' |', '|---|' + W.map(() => '---|').join(''));
for (const impl of ['bpnb', 'opt-f64'])
  out.push(
    `| ${impl} | ` +
      W.map((w) => {
        const m = rowOf(impl, w)?.memory;
        return m ? `${m.baseRssMB} → ${m.maxRssMB}` : '–';
      }).join(' | ') +
      ' |',
  );
out.push('');

out.push(
  '### In-process pairs (bench/ab.ts, CPU time of the process, alternating turns)',
  '',
  '| | ' + W.join(' | ') + ' |',
  '|---|' + W.map(() => '---|').join(''),
);
const abOf = (w: string) => ab.find((a) => a.workload === w);
out.push(
  "| `opt-f64` time / the train path's (> 1 = we are faster), median (min–max) | " +
    W.map((w) => (abOf(w)?.vsOptF64 ? spread(abOf(w)!.vsOptF64!) : '–')).join(' | ') +
    ' |',
  "| notebook cells through `Session` / the train path, per unit (the runtime's cost around training) | " +
    W.map((w) => (abOf(w) ? spread(abOf(w)!.cellsVsTrainer) : '–')).join(' | ') +
    ' |',
  '| units per cell | ' +
    W.map((w) => (abOf(w) ? String(abOf(w)!.cellUnits) : '–')).join(' | ') +
    ' |',
  '',
);

const target = (name: string, value: string, met: boolean | undefined) =>
  `| ${name} | ${value} | ${met === undefined ? 'not measured' : met ? 'met' : '**not met**'} |`;
out.push('### Targets of issue 19 in this run', '', '| target | measured | |', '|---|---|---|');
for (const w of ['W1', 'W2']) {
  const s = abOf(w)?.vsOptF64;
  out.push(
    target(
      `${w} through the train path ≥ 1.2× \`opt-f64\` (in-process pairs)`,
      s ? spread(s) : '–',
      s ? s.min >= 1.2 : undefined,
    ),
  );
}
for (const w of big) {
  const v = rowOf('bpnb', w)!.speed / rowOf('numpy-f64', w)!.speed,
    g = range('bpnb', 'numpy-f64', w)!;
  const value = `${f(v)} (repetitions: ${f(g[0], 2)}–${f(g[1], 2)})`;
  if (g[0] < 0.6 && g[1] >= 0.6)
    out.push(
      `| ${w} one thread ≥ 0.6× numpy-f64 one thread | ${value} | undecided: the range spans 0.6 (load) |`,
    );
  else out.push(target(`${w} one thread ≥ 0.6× numpy-f64 one thread`, value, v >= 0.6));
}
out.push(
  target('W3/W4 two threads ≥ numpy-f64 one thread, same bits', 'no two-thread path', false),
);
if (product)
  for (const r of product.rows as {
    what: string;
    value: number;
    unit: string;
    target?: string;
    met?: boolean;
  }[])
    if (r.target) out.push(target(`${r.what} ${r.target}`, `${f(r.value)} ${r.unit}`, r.met));
out.push('');

const doc = path.join(repo, 'docs', 'performance.md');
const text = fs.readFileSync(doc, 'utf8');
const begin =
    "<!-- bench:begin (written by bench/report.ts from the run's output; do not edit) -->",
  end = '<!-- bench:end -->';
const a = text.indexOf(begin),
  b = text.indexOf(end);
if (a < 0 || b < a) throw new Error(`docs/performance.md has no ${begin} … ${end} markers`);
fs.writeFileSync(
  doc,
  text.slice(0, a + begin.length) + '\n\n' + out.join('\n') + '\n' + text.slice(b),
);
console.log(`wrote the measured part of ${path.relative(repo, doc)}`);
