/**
 * Suite index for the integration tests: the `run()` that VS Code's extension
 * host calls when it is started with `extensionTestsPath` pointing here (same
 * shape as a @vscode/test-electron suite index). Used by both launchers:
 * scripts/vscode-test/run.ts (code-server + Chromium) and runTest.ts (desktop).
 *
 * Suites use mocha's TDD interface: `suite(...)` / `test(...)`, with
 * `suiteSetup`/`setup` hooks, and node's `assert/strict`.
 *
 * Environment read here (code-server forwards its environment to the host):
 *   BPNB_TEST_GREP     only run tests whose full title matches this pattern
 *   BPNB_TEST_RESULTS  file to write `{"passed": N, "failed": N}` to when done
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

/** Every compiled test file under `dir`, sorted, found by plain recursion. */
function findTestFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      files.push(...findTestFiles(full));
    } else if (entry.isFile() && entry.name.endsWith('.test.js')) {
      files.push(full);
    }
  }
  return files.sort();
}

export interface TestCounts {
  passed: number;
  failed: number;
}

function writeResults(counts: TestCounts): void {
  const resultsFile = process.env.BPNB_TEST_RESULTS;
  if (resultsFile) {
    fs.writeFileSync(resultsFile, JSON.stringify(counts));
  }
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60_000, reporter: 'spec' });
  const grep = process.env.BPNB_TEST_GREP;
  if (grep) {
    mocha.grep(grep);
  }
  const compiledSuites = path.join(__dirname, 'suite');
  const sourceSuites = path.resolve(__dirname, '..', '..', '..', 'test', 'integration', 'suite');
  for (const file of findTestFiles(compiledSuites)) {
    const source = path
      .join(sourceSuites, path.relative(compiledSuites, file))
      .replace(/\.js$/, '.ts');
    if (fs.existsSync(source)) {
      mocha.addFile(file);
    } else {
      console.log(`skipping ${file}: its source ${source} is gone (stale output of tsc)`);
    }
  }
  return new Promise((resolve, reject) => {
    const counts: TestCounts = { passed: 0, failed: 0 };
    try {
      const runner = mocha.run(() => {
        writeResults(counts);
        if (counts.failed > 0) {
          reject(new Error(`${counts.failed} integration test(s) failed`));
        } else if (counts.passed === 0) {
          reject(new Error('no integration test ran'));
        } else {
          resolve();
        }
      });
      runner.on('pass', () => {
        counts.passed++;
      });
      runner.on('fail', () => {
        counts.failed++;
      });
    } catch (err) {
      writeResults(counts);
      reject(err);
    }
  });
}
