/**
 * Runs a PyTorch oracle with Debian's Python (python3-torch; .ci/run installs it) and returns what
 * it printed, parsed as JSON. When it cannot run, the test fails saying what to install: an oracle
 * that is missing is never a pass.
 */
import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';

export const PYTHON = '/usr/bin/python3';

export function runTorchOracle<T>(args: string[], input?: string): T {
  const py = spawnSync(PYTHON, args, {
    input,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    timeout: 120_000,
  });
  if (py.error || py.status !== 0)
    assert.fail(
      `the PyTorch oracle did not run (${PYTHON} with torch is needed; as root: apt-get install ` +
        `-y python3-torch): ${py.error?.message ?? py.stderr}`,
    );
  return JSON.parse(py.stdout) as T;
}
