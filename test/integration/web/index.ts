/**
 * Suite index for the browser's web extension host (VS Code for the Web): the `run()` the host
 * calls when started with `extensionTestsPath` pointing at its bundle (out/web-tests/index.js,
 * built by scripts/vscode-test/run.ts --host web). The same suites as the Node host,
 * less the ones that need Node; mocha's browser build, `node:assert/strict` from the `assert`
 * package. The pass/fail counts go out on a line of their own (lines.ts), since the web host has
 * no file system to write them to.
 */
import './setup';
// the suites that make sense without Node: notebook, CSV datasets, run, stop, panel, digits,
// language, the timings, PyTorch
import '../suite/smoke.test';
import '../suite/notebook.test';
import '../suite/dataFiles.test';
import '../suite/stop.test';
import '../suite/panel.test';
import '../suite/panelUpdates.test';
import '../suite/digits.test';
import '../suite/language.test';
import '../suite/corrupt.test';
import '../suite/perf.test';
import '../suite/pytorch.test';
import { RESULTS_PREFIX } from '../lines';

declare const mocha: {
  run(done: (failures: number) => void): { on(event: 'pass' | 'fail', listener: () => void): void };
};

export function run(): Promise<void> {
  return new Promise((resolve, reject) => {
    const counts = { passed: 0, failed: 0 };
    const runner = mocha.run(() => {
      console.log(`${RESULTS_PREFIX}${JSON.stringify(counts)}`);
      if (counts.failed > 0) reject(new Error(`${counts.failed} integration test(s) failed`));
      else if (counts.passed === 0) reject(new Error('no integration test ran'));
      else resolve();
    });
    runner.on('pass', () => counts.passed++);
    runner.on('fail', () => counts.failed++);
  });
}
