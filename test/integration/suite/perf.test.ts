/**
 * Product timings measured inside the real VS Code, reported (console + test-results/*.json) for
 * docs/performance.md. Timing targets belong in benchmarks: these tests assert only that the work
 * completed and that the numbers are real measurements.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { closeAllEditors, copyFixture, extensionApi, openAndShow, percentile, runCells } from './helpers';

function report(name: string, result: unknown): void {
  console.log(`${name}: ${JSON.stringify(result)}`);
  const dir = path.resolve(__dirname, '..', '..', '..', '..', 'test-results');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(result, null, 2) + '\n');
}

suite('perf: timings inside VS Code', () => {
  teardown(closeAllEditors);

  test('activation time of the extension (bundle load → end of activate)', async () => {
    const api = await extensionApi();
    assert.ok(Number.isFinite(api.activationMs) && api.activationMs > 0, `a measured time (${api.activationMs})`);
    report('perf-activation', { activationMs: Math.round(api.activationMs * 10) / 10 });
  });

  test('a train cell of 10,000 XOR epochs, from Run to finished output, in the worker thread and in the host', async function () {
    this.timeout(180_000);
    const { workers } = await extensionApi();
    const notebook = await openAndShow(await copyFixture('integration/xor-10k.bpnb', 'xor-10k-run.bpnb'));
    const config = vscode.workspace.getConfiguration('backpropNotebook');
    const trials = async () => {
      const times: number[] = [];
      for (let trial = 0; trial < 5; trial++) {
        const t0 = performance.now();
        const ran = await runCells(notebook, 0, 1);
        times.push(performance.now() - t0);
        assert.deepEqual([...ran.entries()], [[0, true]], 'the cell ran and its expect held');
      }
      return { trials: times.map((t) => Math.round(t)), median: Math.round(percentile(times, 50)), max: Math.round(Math.max(...times)) };
    };
    const before = { ...workers.counts };
    const worker = await trials();
    assert.deepEqual(workers.counts, { worker: before.worker + 5, host: before.host }, 'every run went to the worker thread');
    await config.update('trainInWorker', false, vscode.ConfigurationTarget.Global);
    try {
      const host = await trials();
      assert.deepEqual(workers.counts, { worker: before.worker + 5, host: before.host }, 'with trainInWorker off, no run went to the worker');
      report('perf-xor-10k', { worker, host });
    } finally {
      await config.update('trainInWorker', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
