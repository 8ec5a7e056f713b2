/**
 * Product timings measured inside the real VS Code, reported (console + test-results/*.json) for
 * docs/performance.md. Timing targets belong in benchmarks: these tests assert only that the work
 * completed and that the numbers are real measurements.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import {
  closeAllEditors,
  copyFixture,
  executionOrder,
  extensionApi,
  openAndShow,
  percentile,
  runCells,
  startCells,
  report,
  waitFor,
} from './helpers';

suite('perf: timings inside VS Code', () => {
  teardown(closeAllEditors);

  test('activation time of the extension (bundle load → end of activate)', async () => {
    const api = await extensionApi();
    assert.ok(
      Number.isFinite(api.activationMs) && api.activationMs > 0,
      `a measured time (${api.activationMs})`,
    );
    report('perf-activation', { activationMs: Math.round(api.activationMs * 10) / 10 });
  });

  test('a train cell of 10,000 XOR epochs, from Run to finished output', async function () {
    this.timeout(120_000);
    const { workers } = await extensionApi();
    const notebook = await openAndShow(
      await copyFixture('integration/xor-10k.bpnb', 'xor-10k-run.bpnb'),
    );
    const before = { ...workers.counts };
    const times: number[] = [];
    for (let trial = 0; trial < 5; trial++) {
      const t0 = performance.now();
      const ran = await runCells(notebook, 0, 1);
      times.push(performance.now() - t0);
      assert.deepEqual([...ran.entries()], [[0, true]], 'the cell ran and its expect held');
    }
    assert.deepEqual(
      workers.counts,
      { worker: before.worker, host: before.host + 5 },
      'a run this short stays in the host (no worker start-up to pay)',
    );
    report('perf-xor-10k', {
      trials: times.map((t) => Math.round(t)),
      median: Math.round(percentile(times, 50)),
      max: Math.round(Math.max(...times)),
    });
  });

  test('event-loop delay of the extension host while a long train runs, in the worker thread and in the host', async function () {
    this.timeout(120_000);
    const { workers } = await extensionApi();
    const notebook = await openAndShow(await copyFixture('integration/stop.bpnb', 'nb-lag.bpnb'));
    const config = vscode.workspace.getConfiguration('backpropNotebook');
    const train = notebook.cellAt(0);
    const measure = async () => {
      const order = executionOrder(train);
      const started = startCells(notebook, 0, 1);
      await waitFor(
        'the train cell to start',
        () => executionOrder(train) !== order && train.executionSummary?.success === undefined,
      );
      const histogram = monitorEventLoopDelay({ resolution: 1 });
      histogram.enable();
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      histogram.disable();
      await vscode.commands.executeCommand('notebook.cancelExecution');
      await started;
      await waitFor(
        'the train cell to end',
        () => train.executionSummary?.success === false,
        30_000,
      );
      const ms = (ns: number) => Math.round(ns / 1e5) / 10;
      assert.ok(histogram.count > 0, 'the histogram has samples');
      return {
        samples: histogram.count,
        p50: ms(histogram.percentile(50)),
        p99: ms(histogram.percentile(99)),
        max: ms(histogram.max),
      };
    };
    const before = workers.counts.worker;
    const worker = await measure();
    assert.equal(workers.counts.worker, before + 1, 'the run went to the worker thread');
    await config.update('trainInWorker', false, vscode.ConfigurationTarget.Global);
    try {
      const host = await measure();
      assert.equal(
        workers.counts.worker,
        before + 1,
        'with trainInWorker off the run stayed in the host',
      );
      report('perf-host-event-loop-delay', { cell: train.document.getText(), worker, host });
    } finally {
      await config.update('trainInWorker', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
