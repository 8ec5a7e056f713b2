/**
 * The extension host's event-loop delay while a long train runs, in the worker thread and in the
 * host (Node's perf_hooks: Node extension host only), reported for docs/performance.md.
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
  startCells,
  report,
  waitFor,
} from './helpers';

suite('perf: event-loop delay inside VS Code', () => {
  teardown(closeAllEditors);

  test(
    'event-loop delay of the extension host while a long train runs, in the worker thread and ' +
      'in the host',
    async function () {
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
    },
  );
});
