/**
 * Product timings measured inside the real VS Code, reported (console + test-results/*.json) for
 * docs/performance.md. Timing targets belong in benchmarks: these tests assert only that the work
 * completed and that the numbers are real measurements. These two run in every host (the Node
 * extension host and the browser's web extension host); the event-loop delay, measured with Node's
 * perf_hooks, is in perfEventLoop.test.ts.
 */
import * as assert from 'node:assert/strict';
import {
  closeAllEditors,
  copyFixture,
  extensionApi,
  openAndShow,
  percentile,
  runCells,
  report,
} from './helpers';

suite('perf: timings inside VS Code', () => {
  teardown(closeAllEditors);

  test('activation time of the extension (bundle load → end of activate)', async () => {
    const api = await extensionApi();
    assert.ok(
      Number.isFinite(api.activationMs) && api.activationMs > 0,
      `a measured time (${api.activationMs})`,
    );
    const tenth = (ms: number) => Math.round(ms * 10) / 10;
    const { evaluateMs, waitMs, activateMs } = api.activationPhases;
    assert.ok(
      [evaluateMs, waitMs, activateMs].every((ms) => ms >= 0),
      'the phases are in order',
    );
    report('perf-activation', {
      activationMs: tenth(api.activationMs),
      evaluateMs: tenth(evaluateMs),
      waitMs: tenth(waitMs),
      activateMs: tenth(activateMs),
    });
  });

  test('a train cell of 10,000 XOR epochs, from Run to finished output', async function () {
    this.timeout(120_000);
    const { workers, controller } = await extensionApi();
    const notebook = await openAndShow(
      await copyFixture('integration/xor-10k.bpnb', 'xor-10k-run.bpnb'),
    );
    const before = { ...workers.counts };
    const times: number[] = [],
      extension: number[] = [];
    for (let trial = 0; trial < 5; trial++) {
      const t0 = performance.now();
      const ran = await runCells(notebook, 0, 1);
      times.push(performance.now() - t0);
      extension.push(controller.lastRunMs ?? Number.NaN);
      assert.deepEqual([...ran.entries()], [[0, true]], 'the cell ran and its expect held');
    }
    assert.deepEqual(
      workers.counts,
      { worker: before.worker, host: before.host + 5 },
      'a run this short stays in the host (no worker start-up to pay)',
    );
    report('perf-xor-10k', {
      cell: notebook.cellAt(0).document.getText(),
      trials: times.map((t) => Math.round(t)),
      median: Math.round(percentile(times, 50)),
      max: Math.round(Math.max(...times)),
      // the extension's share of each trial: its runCell from start to execution.end
      extensionTrials: extension.map((t) => Math.round(t)),
      extensionMedian: Math.round(percentile(extension, 50)),
    });
  });
});
