import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Session } from '../../../src/runtime/session';
import type { RunHost } from '../../../src/runtime/types';
import type { ProgressItem } from '../../../src/protocol/results';
import { TrainWorkers } from '../../../src/worker/trainClient';
import { nodeThreads } from '../../../src/worker/nodeThread';

// tsc puts the compiled worker entry beside this file's compiled source tree
const SCRIPT = path.join(__dirname, '../../../src/worker/trainWorker.js');

const host = (over: Partial<RunHost> = {}): RunHost => ({
  isCancelled: () => false,
  yieldNow: () => new Promise<void>((r) => setImmediate(r)),
  now: () => performance.now(),
  ...over,
});

const CELLS = [
  'network 2 -> 5 tanh -> 1 sigmoid\ninit xavier seed 3\ndataset xor',
  'train epochs 3000 lr 0.5',
  'network 2 -> 8 relu -> 1 sigmoid\nloss binary-cross-entropy\ninit he seed 7\ndataset spiral n ' +
    '150 seed 2',
  'freeze w11[1]\ntrain epochs 40 batch 16 optimiser adam lr 0.01 seed 5',
  'train steps 25 batch online optimiser momentum lr 0.05',
];

/** Runs the cells in a fresh session and returns everything a user could see or read back. */
async function runAll(train?: RunHost['train']) {
  const s = new Session();
  const runs = [];
  for (const cell of CELLS) {
    const run = await s.runCell(cell, host({ train }));
    assert.equal(run.ok, true, `${cell}: ${JSON.stringify(run.problems)}`);
    runs.push(run.items);
  }
  return { runs, weights: s.exportWeights(), training: s.lastTraining() };
}

describe('training in a worker thread', function () {
  this.timeout(60_000);
  let workers: TrainWorkers;
  // every job to the worker, however small
  beforeEach(() => (workers = new TrainWorkers(nodeThreads(SCRIPT), 0)));
  afterEach(() => workers.dispose());

  it(
    'gives the same outputs, weights and timeline as training in the host, to ' + 'the last bit',
    async () => {
      workers.warm(); // as the extension does once a notebook is open
      const here = await runAll();
      const there = await runAll(workers.train);
      assert.equal(workers.counts.worker, 3, 'all three train cells ran in the worker');
      assert.equal(workers.counts.host, 0);
      assert.deepEqual(there.runs, here.runs);
      assert.deepEqual(there.weights, here.weights); // strict: numbers compared with Object.is
      assert.deepEqual(there.training, here.training);
    },
  );

  // Stop is a flag in shared memory, or (a browser page that is not cross-origin isolated) a
  // message
  for (const sharedMemory of [true, false]) {
    it(
      `sends live progress and stops when the user stops (` +
        `${sharedMemory ? 'shared-memory flag' : 'stop message'})`,
      async () => {
        workers.dispose();
        workers = new TrainWorkers(nodeThreads(SCRIPT), 0, sharedMemory);
        const s = new Session();
        await s.runCell('network 2 -> 16 tanh -> 1 sigmoid\ndataset spiral n 400', host());
        const before = s.exportWeights();
        let progress = 0;
        let stop = false;
        const run = await s.runCell(
          'train epochs 100000000',
          host({
            train: workers.train,
            isCancelled: () => stop,
            onProgress: (items) => {
              const p = items.find((i): i is ProgressItem => i.kind === 'progress');
              assert.ok(p && p.epoch >= 0);
              // the host's network follows the run, so the Network panel draws it live
              assert.notDeepEqual(
                s.exportWeights(),
                before,
                'the weights so far arrive with the progress',
              );
              if (++progress === 3) stop = true;
            },
          }),
        );
        assert.equal(run.ok, false, 'a stopped run is not a success');
        assert.equal(progress >= 3, true);
        assert.equal(workers.counts.worker, 1);
        assert.notDeepEqual(
          s.exportWeights(),
          before,
          'the weights trained until the stop are kept',
        );
        const message = run.items.find((i) => i.kind === 'message');
        assert.match(JSON.stringify(message), /stopped by the user/);
      },
    );
  }

  it(
    'reports a job the worker refuses as the cell error, and the worker ' + 'stays usable',
    async () => {
      const s = new Session({ maxBytes: 64 * 1024 });
      const defined = await s.runCell(
        'network 2 -> 4 tanh -> 1 sigmoid\ndataset circle n 3000',
        host(),
      );
      assert.equal(defined.ok, true);
      const run = await s.runCell('train epochs 2', host({ train: workers.train }));
      assert.equal(run.ok, false);
      assert.match(JSON.stringify(run.problems), /MB|bytes|memory/i);
      const again = await s.runCell('dataset xor\ntrain epochs 5', host({ train: workers.train }));
      assert.equal(again.ok, true);
      assert.equal(workers.counts.worker, 1);
    },
  );

  it('falls back to the host when the worker cannot start, with the same results', async () => {
    const broken = new TrainWorkers(nodeThreads(path.join(__dirname, 'no-such-worker.js')), 0);
    try {
      const here = await runAll();
      const fallback = await runAll(broken.train);
      assert.equal(broken.counts.worker, 0);
      assert.equal(broken.counts.host, 3);
      assert.deepEqual(fallback.runs, here.runs);
      assert.deepEqual(fallback.weights, here.weights);
    } finally {
      broken.dispose();
    }
  });

  it(
    'fails the cell when the worker dies mid-run (no silent second run), then trains ' +
      'in the host',
    async () => {
      // a worker that reports progress once and then exits, as one killed by the system would
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bpnb-worker-'));
      const script = path.join(dir, 'dying.js');
      fs.writeFileSync(
        script,
        `require('worker_threads').parentPort.on('message', ({ job }) => {
      const port = require('worker_threads').parentPort;
      port.postMessage({ type: 'progress', items: [], weights: job.net.weights.map((w) => ` +
          `w.map((v) => v + 1)), biases: job.net.biases });
      setTimeout(() => process.exit(3), 20);
    });`,
      );
      const dying = new TrainWorkers(nodeThreads(script), 0);
      try {
        const s = new Session();
        await s.runCell('network 2 -> 3 tanh -> 1 sigmoid\ndataset xor', host());
        const run = await s.runCell('train epochs 50', host({ train: dying.train }));
        assert.equal(run.ok, false);
        assert.match(JSON.stringify(run.problems), /stopped in the middle of the run/);
        const again = await s.runCell('train epochs 50', host({ train: dying.train }));
        assert.equal(again.ok, true, JSON.stringify(again.problems));
        assert.deepEqual(dying.counts, { worker: 0, host: 1 });
      } finally {
        dying.dispose();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it('leaves short runs to the host and sends long ones to the worker', async () => {
    const sized = new TrainWorkers(nodeThreads(SCRIPT));
    try {
      const s = new Session();
      await s.runCell('network 2 -> 4 tanh -> 1 sigmoid\ndataset xor', host());
      // 10,000 × 4 samples × 12 weights
      await s.runCell('train epochs 10000', host({ train: sized.train }));
      assert.deepEqual(sized.counts, { worker: 0, host: 1 });
      await s.runCell('network 2 -> 16 tanh -> 1 sigmoid\ndataset spiral n 500', host());
      let stop = false;
      const long = await s.runCell(
        'train epochs 100000000 batch 32',
        host({ train: sized.train, isCancelled: () => stop, onProgress: () => (stop = true) }),
      );
      assert.equal(long.cancelled, true);
      assert.deepEqual(sized.counts, { worker: 1, host: 1 });
    } finally {
      sized.dispose();
    }
  });
});
