import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The repository root, seen from a compiled file in out/<dir>/<dir>/. */
export const repoRoot = path.resolve(__dirname, '..', '..', '..');

/** Path (without .js) of the compiled integration suite index. */
export const suiteIndexPath = path.join(repoRoot, 'out', 'test', 'integration', 'index');

/** A fresh temp folder holding a copy of test/fixtures/, to open as the workspace. */
export function copyFixturesWorkspace(parentDir: string): string {
  const workspace = path.join(parentDir, 'workspace');
  fs.cpSync(path.join(repoRoot, 'test', 'fixtures'), workspace, { recursive: true });
  return workspace;
}

export function makeTempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** How many code cells a .bpnb file has (what Run All has to finish). */
export function countCodeCells(notebookFile: string): number {
  const file = JSON.parse(fs.readFileSync(notebookFile, 'utf8')) as { cells?: { kind?: string }[] };
  return (file.cells ?? []).filter((cell) => cell.kind === 'code').length;
}
