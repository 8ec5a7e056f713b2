/**
 * Desktop launcher (`npm run test:electron`): downloads VS Code through
 * @vscode/test-electron and runs the same integration suites as
 * scripts/vscode-test/run.ts. Needs a machine that can download VS Code.
 * VSCODE_TEST_VERSION picks the VS Code version (default 1.99.3).
 */
import * as fs from 'node:fs';
import { runTests } from '@vscode/test-electron';
import {
  copyFixturesWorkspace,
  makeTempDir,
  repoRoot,
  suiteIndexPath,
} from '../../scripts/vscode-test/workspace';

async function main(): Promise<void> {
  const tempDir = makeTempDir('bpnb-electron-');
  try {
    const workspace = copyFixturesWorkspace(tempDir);
    await runTests({
      version: process.env.VSCODE_TEST_VERSION ?? '1.99.3',
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: suiteIndexPath,
      launchArgs: [
        workspace,
        '--disable-extensions',
        '--disable-workspace-trust',
        '--skip-welcome',
      ],
    });
  } finally {
    fs.rmSync(tempDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
