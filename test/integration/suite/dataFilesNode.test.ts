/**
 * A symbolic link inside the workspace that leads out of it (Node extension host only: the web
 * host has no symbolic links to follow, and no Node file system to make one with).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  closeAllEditors,
  copyFixture,
  fixtureUri,
  openAndShow,
  outputText,
  runCells,
} from './helpers';

const ERROR_MIME = 'application/vnd.code.notebook.error';

suite('data files: a symbolic link out of the workspace', () => {
  let outside: string;

  suiteSetup(() => {
    outside = fs.mkdtempSync(path.join(os.tmpdir(), 'bpnb-outside-'));
    fs.writeFileSync(path.join(outside, 'secret.csv'), 'x1,x2,t\n0,0,0\n');
  });

  suiteTeardown(async () => {
    await vscode.workspace.saveAll(false);
    await closeAllEditors();
    fs.rmSync(outside, { recursive: true, force: true });
  });

  test('a CSV that is a symbolic link to a file outside the workspace is refused', async () => {
    // the fixture's third cell reads link-out.csv beside it: here a link to a file outside
    fs.symlinkSync(
      path.join(outside, 'secret.csv'),
      fixtureUri('integration', 'link-out.csv').fsPath,
    );
    const notebook = await openAndShow(
      await copyFixture('integration/csv.bpnb', 'integration/csv-link.bpnb'),
    );
    const ran = await runCells(notebook, 2, 3);
    assert.deepEqual([...ran.entries()], [[2, false]]);
    const error = JSON.parse(outputText(notebook.cellAt(2), ERROR_MIME)) as { message: string };
    assert.match(
      error.message,
      /cannot read "link-out\.csv": "link-out\.csv" is outside the workspace/,
    );
  });
});
