/**
 * The PyTorch export, checked against PyTorch itself: every example notebook and a set of random
 * networks are exported as a script and as a Jupyter notebook, run with Debian's python3-torch
 * (PyTorch 1.13, float64), and every number the export prints must equal the notebook's to 1e-12
 * relative; every exported expect is an assert that must hold. The .ipynb is validated against the
 * nbformat schema (python3-nbformat) and its code cells run in order. Needs /usr/bin/python3 with
 * torch and nbformat (`.ci/run` installs them); without them this suite fails, saying so.
 */
import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { notebookBinaryReader, notebookFileReader } from '../../../src/cli/runner';
import { ACTIVATION_LIST } from '../../../src/engine/activations';
import { LOSS_LIST } from '../../../src/engine/losses';
import { Rng } from '../../../src/engine/rng';
import { parseNotebookFile } from '../../../src/protocol/notebookFile';
import {
  exportPyTorch,
  toIpynb,
  toScript,
  type ExportCell,
  type ExportCheck,
} from '../../../src/runtime/pytorch';

const ROOT = resolve(__dirname, '../../../..');
const EXAMPLES = join(ROOT, 'examples');
const exportedExamples = () =>
  readdirSync(EXAMPLES)
    .filter((f) => f.endsWith('.bpnb'))
    .sort();
const DRIVER = join(ROOT, 'test/fixtures/pytorch/run_exports.py');
const PYTHON = '/usr/bin/python3';
const RELATIVE = 1e-12;

function requirePython(): void {
  const probe = spawnSync(PYTHON, ['-c', 'import torch, nbformat; print(torch.__version__)'], {
    encoding: 'utf8',
  });
  if (probe.status !== 0)
    throw new Error(
      `the PyTorch export tests need ${PYTHON} with torch and nbformat (as root: apt-get install ` +
        `-y python3-torch python3-nbformat; .ci/run does this): ` +
        `${probe.error?.message ?? probe.stderr}`,
    );
}

interface Job {
  name: string;
  kind: 'py' | 'ipynb';
  path: string;
  checks: ExportCheck[];
}

function runJobs(jobs: Job[]): Record<string, { stdout: string; error: string | null }> {
  const run = spawnSync(
    PYTHON,
    [DRIVER, JSON.stringify(jobs.map(({ name, kind, path }) => ({ name, kind, path })))],
    { encoding: 'utf8', maxBuffer: 1 << 28 },
  );
  assert.equal(run.status, 0, `the Python driver failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as Record<string, { stdout: string; error: string | null }>;
}

/** Every `label = value` line of the output against the notebook's numbers, in order. */
function compare(name: string, stdout: string, checks: ExportCheck[]): number {
  const lines = stdout
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('## ') && !/^expect .*: ok$/.test(l));
  assert.equal(
    lines.length,
    checks.length,
    `${name}: ${lines.length} numbers printed, ${checks.length} expected`,
  );
  let worst = 0;
  lines.forEach((line, n) => {
    const m = /^(.*) = (.*)$/.exec(line);
    assert.ok(m, `${name}: unexpected output line ${JSON.stringify(line)}`);
    const check = checks[n];
    assert.equal(m[1], check.label, `${name}: line ${n + 1}`);
    const got = JSON.parse(m[2].replace(/\bnan\b/g, 'NaN')) as number | number[];
    const gotAll = Array.isArray(got) ? got : [got];
    const wantAll = Array.isArray(check.value) ? check.value : [check.value];
    assert.equal(gotAll.length, wantAll.length, `${name}: ${check.label}`);
    gotAll.forEach((g, k) => {
      const w = wantAll[k];
      const rel = g === w ? 0 : Math.abs(g - w) / Math.max(Math.abs(g), Math.abs(w));
      worst = Math.max(worst, rel);
      assert.ok(
        rel <= RELATIVE,
        `${name}: ${check.label}: PyTorch prints ${g}, the notebook has ${w} (relative ` +
          `difference ${rel})`,
      );
    });
  });
  return worst;
}

function exampleCells(file: string): ExportCell[] {
  return parseNotebookFile(readFileSync(join(EXAMPLES, file), 'utf8')).cells.map((c) => ({
    kind: c.kind === 'code' ? 'code' : 'markdown',
    source: c.source,
  }));
}

const ELEMENTWISE = ACTIVATION_LIST.filter((d) => d.shape === 'element');

/**
 * Every elementwise built-in activation (the engine's list), a parameter written as 0.1 or half its
 * default: not smaller, since a slope of 0.005 below 0 makes a gradient the sum of terms 200 times
 * apart, whose last digits (2e-12 relative, seen) depend on the order of the summation.
 */
const written = (d: (typeof ELEMENTWISE)[number]) =>
  d.parameter ? `${d.kind}(${Math.max(0.1, d.parameter.default / 2)})` : d.kind;
const ACTIVATIONS = ELEMENTWISE.map(written);

/**
 * One notebook per elementwise activation, through backward, the stale-weight mistake (which takes
 * g'(z) by hand) and a few steps of training. When g' is taken from z, the first row (the one
 * printed) reaches z = −9, 24.5 and −3·2^−20, where PyTorch's own nn.GELU (the tail), nn.Softplus
 * (above its threshold of 20) and nn.ELU (e^z − 1 near 0) lose digits. When g' is taken from a, as
 * the seed's a·(1 − a) and 1 − a², the tails are ill-conditioned for any implementation (1 − a² of
 * a = tanh(−9) keeps 8 digits of a's), so the first row stays moderate and the tail row comes
 * later.
 */
function activationNotebook(d: (typeof ELEMENTWISE)[number]): ExportCell[] {
  const rows = ['-4 3 -> 1', '0.001 0.0005 -> 0', '0.4 -0.3 -> 0', '0.2 -0.1 -> 1'];
  if (!d.slopeReadsZ) rows.reverse();
  return [
    {
      kind: 'code',
      source: [
        `network 2 -> 3 ${written(d)} -> 1 sigmoid`,
        // 0.99999904632568359375 = 1 − 2^−20: every product and sum of the first row's z is exact
        'weights [1] = [[1.5, -2, 0.75], [-1, 5.5, 0.99999904632568359375]]',
        `data = [${rows.join('; ')}]`,
        'forward',
        'backward',
        'show activations, deltas, gradients',
        'mistake stale-weights on',
        'update lr 0.3',
        'show deltas, weights',
        'mistake stale-weights off',
        'train steps 10 lr 0.1 optimiser adam',
        'show a1[2], a2[2], w11[1]',
      ].join('\n'),
    },
  ];
}

/**
 * A random notebook: a small network, data, passes, shows, updates, training, expects. Training
 * stays short: on a near-perfect fit, numbers such as δ = a − t as a → t are differences of nearly
 * equal numbers, whose last digits differ between any two correct float64 implementations.
 */
function randomNotebook(seed: number): ExportCell[] {
  const rng = new Rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[rng.int(xs.length)];
  const depth = 1 + rng.int(3);
  const sizes = [2, ...Array.from({ length: depth - 1 }, () => 1 + rng.int(4))];
  const head = pick([
    'half-squared',
    'mse',
    'binary-cross-entropy',
    'cross-entropy',
    'softmax-mse',
  ]);
  const outSize = head === 'cross-entropy' || head === 'softmax-mse' ? 3 : 1 + rng.int(2);
  const hidden = sizes.slice(1).map((n) => `${n} ${pick(ACTIVATIONS)}`);
  const outAct =
    head === 'cross-entropy' || head === 'softmax-mse'
      ? 'softmax'
      : head === 'binary-cross-entropy'
        ? 'sigmoid'
        : pick(['sigmoid', 'tanh', 'identity']);
  const loss = head === 'softmax-mse' ? 'mse' : head;
  const network = [`network r${seed} ${['2', ...hidden, `${outSize} ${outAct}`].join(' -> ')}`];
  const reduction = pick(['', ' sum']);
  const rows = Array.from({ length: 2 + rng.int(5) }, () => {
    const x = [rng.next() * 2 - 1, rng.next() * 2 - 1].map((v) => v.toFixed(3));
    const t = Array.from({ length: outSize }, () => rng.int(2));
    if (head === 'cross-entropy' || head === 'softmax-mse') {
      t.fill(0);
      t[rng.int(outSize)] = 1;
    }
    return `${x.join(' ')} -> ${t.join(' ')}`;
  });
  const setup = [
    ...network,
    ...(rng.next() < 0.3 ? ['bias off'] : []),
    `loss ${loss}${reduction}`,
    `init ${pick(['uniform 0.8', 'xavier', 'he'])} seed ${1 + rng.int(1000)}`,
    ...(rng.next() < 0.5 ? [`w11[1] = ${(rng.next() - 0.5).toFixed(4)}`] : []),
    ...(rng.next() < 0.4 ? ['freeze w21[1]'] : []),
    ...(rng.next() < 0.3 ? [`freeze layer ${sizes.length + 1}`] : []),
    `data = [${rows.join('; ')}]`,
  ];
  const passes = ['forward', 'backward', 'show deltas', 'show gradients', 'expect E > 0'];
  const stale = rng.next() < 0.3;
  const update = [
    ...(stale ? ['mistake stale-weights on'] : []),
    `update lr ${pick([0.1, 0.5, 1])}`,
    'show weights',
    ...(stale ? ['mistake stale-weights off'] : []),
  ];
  const opt = pick(['sgd', 'momentum momentum 0.8', 'adam', 'adam beta1 0.8 beta2 0.99 eps 1e-6']);
  const train = [
    `train ${rng.next() < 0.6 ? `epochs ${5 + rng.int(20)}` : `steps ${5 + rng.int(30)}`} lr ` +
      `${pick([0.02, 0.05, 0.1])} batch ${pick(['full', 'online', '2', '3'])} optimiser ${opt}` +
      `${rng.next() < 0.5 ? ' l2 0.01' : ''} seed ${1 + rng.int(50)} log 5` +
      `${rng.next() < 0.3 ? ' until E < 0.3' : ''}`,
    'show loss curve',
    'show a1[2], w11[1]',
    'input x = [0.3, -0.2]',
    `target t = [${Array.from({ length: outSize }, (_, j) => (j === 0 ? 1 : 0)).join(', ')}]`,
    'forward',
    'show activations',
    'gradcheck',
  ];
  return [
    { kind: 'markdown', source: `# random network ${seed}` },
    { kind: 'code', source: setup.join('\n') },
    { kind: 'code', source: passes.join('\n') },
    { kind: 'code', source: [...update, 'step lr 0.2', 'show gradients [1]'].join('\n') },
    { kind: 'code', source: train.join('\n') },
  ];
}

/**
 * Gradients with respect to the inputs and activations (∂E/∂x, ∂E/∂a, of a chosen row too) under
 * each loss, and a loss that is one output node itself (`loss output j`, no target): shown,
 * expected, after the stale-weight mistake and through training.
 */
const TWO = '0 1; 0.2 -0.1 -> 1 0; -0.5 0.8 -> 1 1';
/**
 * Every built-in loss of a target, on the output layer it needs (a softmax takes 3 one-hot
 * classes), and mse summed over the rows on tanh outputs.
 */
const TARGET_LOSSES: [string, string, string][] = [
  ...LOSS_LIST.filter((d) => !('ofNode' in d)).map((d): [string, string, string] =>
    d.requires === 'softmax'
      ? [d.kind, '3 softmax', '0 1 0; 0.2 -0.1 -> 1 0 0; -0.5 0.8 -> 0 0 1']
      : [d.kind, `2 ${d.requires ?? 'sigmoid'}`, TWO],
  ),
  ['mse sum', '2 tanh', TWO],
];
const GRADIENT_NOTEBOOKS: [string, ExportCell[]][] = [
  ...TARGET_LOSSES.map(([loss, out, rows]): [string, ExportCell[]] => [
    `input-gradients-${loss.replace(' ', '-')}`,
    [
      {
        kind: 'code',
        source: [
          `network 2 -> 3 elu -> ${out}`,
          `loss ${loss}`,
          'init uniform 0.9 seed 3',
          `data = [0.3 -0.6 -> ${rows}]`,
          'forward',
          'backward',
          'show dE/dx1, dE/dx2, dE/da1[2], dE/da3[2], dE/da1[3], dE/da2[3]',
          'show dE/dx2(s3), dE/da2[2](s2), dE/da1[3](s3), δ3[2](s2), a1[3](s3), x1(s2), t1(s3)',
          'explain dE/dx1(s2)',
          'expect dE/dx2(s2) < 100',
          'mistake stale-weights on',
          'update lr 0.3',
          'show dE/dx1, dE/da2[2](s3), dE/da1[3]',
          'mistake stale-weights off',
          'train steps 4 lr 0.1 batch 2',
          'show dE/dx1(s2), dE/da1[2]',
        ].join('\n'),
      },
    ],
  ]),
  [
    'loss-output-node',
    [
      {
        kind: 'code',
        source: [
          'network 2 -> 3 tanh -> 2 sigmoid',
          'loss output 2',
          'init uniform 1 seed 5',
          'input x = [0.5, -0.3]',
          'forward',
          'show E',
          'backward',
          'show deltas, gradients',
          'show dE/dx1, dE/dx2, dE/da1[2], dE/da2[3]',
          'expect dE/da2[3] = 1 ± 0',
          'expect dE/da1[3] = 0 ± 0',
          'explain dE/dx1',
          'update lr 0.2',
          'show weights',
          'train steps 3 lr 0.1',
          'show loss curve',
          'gradcheck',
          'loss output 1 sum',
          'data = [0.5 -0.3 -> 0 0; 0.1 0.2 -> 0 0; -0.4 0.9 -> 0 0]',
          'forward',
          'backward',
          'show dE/dx1(s2), dE/da2[2](s3), δ1[3](s3), δ1[2](s2)',
          'train epochs 2 lr 0.1 batch 2',
          'show E, dE/dx2',
        ].join('\n'),
      },
    ],
  ],
  [
    'expect-boundary',
    [
      {
        kind: 'code',
        // |1 − 1.1| is 0.1 as written; binary subtraction gives 0.10000000000000009
        source: [
          'network 1 -> 1 identity',
          'bias off',
          'w11[1] = 1',
          'input x = [1]',
          'forward',
          'expect a1[2] = 1.1 ± 0.1',
          'expect a1[2] = 0.9 ± 0.1',
        ].join('\n'),
      },
    ],
  ],
];

/**
 * Expression cells: the circuit and the neuron of CS231n and the "used twice" trap (07's cells),
 * every function and operator, kinks (relu, abs, max and min at a tie, step, sign at 0) where
 * gradcheck disagrees in both, a reassignment that reads the old value, and `y = x`.
 */
const GRAPH_NOTEBOOK: ExportCell[] = [
  ...exampleCells('07-computation-graphs.bpnb').filter(
    (c) => c.kind === 'code' && !/activation|network|loss/.test(c.source),
  ),
  {
    kind: 'code',
    source: [
      'u = 0',
      'p = 2',
      'r = relu(u) + abs(u) * p + max(u, u) + min(p, 3) + step(p) + sign(u) - u',
      'k = p ^ 3 + 2 ^ p + sqrt(p) + log(p) + tanh(p) - p / 4 + pi * p + exp(-p) + sigmoid(p * u)',
      'backward r',
      'backward k',
      'show k, r',
      'explain ∂k/∂p',
      'expect ∂k/∂p > 10',
      'gradcheck r',
      'gradcheck k',
      'y = p',
      'm = y * p',
      'm = m * m + y',
      'backward m',
      'explain ∂m/∂y',
    ].join('\n'),
  },
];

/**
 * User-defined activations and losses with kinks (a max at a tie, relu, step), a softmax output
 * under a user loss summed over the batch, the stale-weights mistake (which takes the user g'
 * by autograd), training and gradcheck through them, and a check where the function leaves its
 * domain (softplus overflows at large z: those points are left out).
 */
const USER_FUNCTIONS_NOTEBOOK: ExportCell[] = [
  {
    kind: 'code',
    source: [
      'activation leaky(z) = max(z, 0.1 * z)',
      "check leaky'(z) = 0.1 + 0.9 * step(z)",
      'activation soft(z) = log(1 + exp(z))',
      "check soft'(z) = sigmoid(z)",
      'loss hinge(a, t) = relu(1 - a * t) + (a - t)^2 / 4',
      'check ∂hinge/∂a = -t * step(1 - a * t) + (a - t) / 2',
    ].join('\n'),
  },
  {
    kind: 'code',
    source: [
      'network 2 -> 3 leaky -> 2 soft -> 2 softmax',
      'loss hinge sum',
      'input x = [0.3, -0.8]',
      'target t = [1, 0]',
      'backward',
      'show deltas, gradients',
      'explain δ1[2]',
      'mistake stale-weights on',
      'update lr 0.5',
      'mistake stale-weights off',
      'train epochs 5 lr 0.2',
      'gradcheck',
    ].join('\n'),
  },
];

describe('PyTorch export, run with PyTorch', function () {
  this.timeout(600_000);
  const dir = mkdtempSync(join(tmpdir(), 'bpnb-pytorch-'));
  const jobs: Job[] = [];
  const refused: string[] = [];

  before(async () => {
    requirePython();
    // files the cells read: a CSV table, and a model trained in PyTorch saved as safetensors
    writeFileSync(
      join(dir, 'points.csv'),
      'x1,x2,class\n0.1,0.9,1\n-0.4,0.3,0\n\n0.8,-0.2,1\n-0.7,-0.6,0\n0.25,0.5,1\n',
    );
    const made = spawnSync(PYTHON, [join(ROOT, 'test/fixtures/pytorch/make_safetensors.py'), dir], {
      encoding: 'utf8',
    });
    assert.equal(made.status, 0, made.stderr);
    const files: [string, ExportCell[]][] = [
      [
        'csv-table',
        [
          {
            kind: 'code',
            source:
              'network 2 -> 3 tanh -> 1 sigmoid\nloss binary-cross-entropy\ndataset csv ' +
              '"points.csv" inputs 2 targets 1\nshow data\ntrain epochs 12 lr 0.3 batch 2 ' +
              'seed 4 optimiser momentum\nshow loss curve\nshow gradients\nshow boundary',
          },
        ],
      ],
      [
        'pytorch-model',
        [
          { kind: 'markdown', source: 'A model trained in PyTorch, loaded from safetensors.' },
          {
            kind: 'code',
            source:
              'network 3 -> 4 tanh -> 2 sigmoid\nweights from "mlp-f32.safetensors"\ninput x = ' +
              '[0.5, -1.0, 0.25]\ntarget t = [0.2, 0.9]\nforward\nbackward\nshow deltas, ' +
              'gradients\nupdate lr 0.1\nshow weights',
          },
        ],
      ],
    ];
    const notebooks: [string, ExportCell[]][] = [
      ...exportedExamples().map((f): [string, ExportCell[]] => [f, exampleCells(f)]),
      ...[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((s): [string, ExportCell[]] => [
        `random-${s}`,
        randomNotebook(s),
      ]),
      ...files,
      ...GRADIENT_NOTEBOOKS,
      ['computation-graphs', GRAPH_NOTEBOOK],
      ['user-functions', USER_FUNCTIONS_NOTEBOOK],
      ...ELEMENTWISE.map((d): [string, ExportCell[]] => [
        `activation-${d.kind}`,
        activationNotebook(d),
      ]),
    ];
    const notebookPath = join(dir, 'notebook.bpnb');
    for (const [name, cells] of notebooks) {
      const result = await exportPyTorch(cells, {
        title: name,
        readTextFile: notebookFileReader(notebookPath),
        readBinaryFile: notebookBinaryReader(notebookPath),
      });
      if (!result.ok) {
        refused.push(
          `${name}: cell ${result.error.cell} line ${result.error.line}: ${result.error.message}`,
        );
        continue;
      }
      const base = join(dir, name.replace(/\.bpnb$/, ''));
      mkdirSync(dir, { recursive: true });
      writeFileSync(`${base}.py`, toScript(result.cells, name));
      writeFileSync(`${base}.ipynb`, toIpynb(result.cells, name));
      jobs.push({
        name: `${name} (script)`,
        kind: 'py',
        path: `${base}.py`,
        checks: result.checks,
      });
      jobs.push({
        name: `${name} (ipynb)`,
        kind: 'ipynb',
        path: `${base}.ipynb`,
        checks: result.checks,
      });
    }
  });

  it(
    'exports every example notebook, every random network, a CSV table, a PyTorch model, ∂E/∂x ' +
      'and ∂E/∂a under each loss, a loss of one output node, every activation and user-defined ' +
      'ones (none refused)',
    () => {
      assert.deepEqual(refused, []);
      assert.equal(
        jobs.length,
        2 *
          (exportedExamples().length + 12 + 2 + GRADIENT_NOTEBOOKS.length + 2 + ACTIVATIONS.length),
      );
    },
  );

  it('prints every number as the notebook has it (1e-12 relative), and every expect holds', () => {
    const results = runJobs(jobs);
    let worst = 0;
    for (const job of jobs) {
      const r = results[job.name];
      assert.equal(r.error, null, `${job.name} failed in Python:\n${r.error}`);
      assert.ok(job.checks.length > 0, `${job.name} prints no numbers`);
      worst = Math.max(worst, compare(job.name, r.stdout, job.checks));
      const expects = (r.stdout.match(/^expect .*: ok$/gm) ?? []).length;
      if (job.name.startsWith('01-')) assert.ok(expects >= 20, `${job.name}: ${expects} expects`);
      if (job.name.startsWith('expect-boundary')) assert.equal(expects, 2, job.name);
    }
    console.log(
      `      ${jobs.length} runs, ${jobs.reduce((n, j) => n + j.checks.length, 0)} numbers; ` +
        `largest relative difference ${worst.toExponential(2)}`,
    );
  });
});
