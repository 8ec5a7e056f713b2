/**
 * A damaged .bpnb is refused with an error naming the line, and opening it never writes to it.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { extensionApi, fixtureUri } from './helpers';

const CASES: { file: string; message: RegExp }[] = [
  { file: 'corrupt-truncated.bpnb', message: /line 12: the file ends too early/ },
  { file: 'corrupt-conflict.bpnb', message: /merge-conflict markers \(line 20\)/ },
];

suite('corrupt: damaged files are refused, never rewritten', () => {
  suiteSetup(async () => {
    await extensionApi();
  });

  for (const { file, message } of CASES) {
    test(
      `${file} fails to open with an error naming the line; its bytes are ` + `unchanged`,
      async () => {
        const uri = fixtureUri('integration', file);
        const before = await vscode.workspace.fs.readFile(uri);
        const stat = await vscode.workspace.fs.stat(uri);
        await assert.rejects(
          Promise.resolve(vscode.workspace.openNotebookDocument(uri)),
          (err: unknown) => {
            assert.ok(err instanceof Error, 'an Error');
            assert.match(err.message, message);
            return true;
          },
        );
        assert.equal(
          vscode.workspace.notebookDocuments.some((nb) => nb.uri.toString() === uri.toString()),
          false,
          'no notebook document was left open',
        );
        const after = await vscode.workspace.fs.readFile(uri);
        assert.deepEqual(new Uint8Array(after), new Uint8Array(before), 'same bytes on disk');
        assert.equal((await vscode.workspace.fs.stat(uri)).mtime, stat.mtime, 'not written to');
      },
    );
  }
});
