/**
 * The Network panel's messages follow the session: the update carries the session's own numbers
 * (sizes, weights, δ after backward) and a new update follows the next cell run. Its HTML has one
 * Content-Security-Policy, `default-src 'none'`.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { HostToPanelMessage, UpdateMessage } from '../../../src/protocol/panelMessages';
import {
  closeAllEditors,
  copyFixture,
  extensionApi,
  openAndShow,
  runCells,
  waitFor,
  type ExtensionApi,
} from './helpers';

const withSnapshot = (m: HostToPanelMessage): m is UpdateMessage =>
  m.type === 'update' && m.snapshot !== undefined;

suite('panel updates: the posted snapshot is the session', () => {
  let api: ExtensionApi;
  suiteSetup(async () => {
    api = await extensionApi();
  });
  suiteTeardown(async () => {
    api.panel.current()?.dispose();
    await vscode.workspace.saveAll(false);
    await closeAllEditors();
  });

  test(
    'after forward/backward, and again after an update cell, the panel is sent the ' +
      'current network',
    async () => {
      const notebook = await openAndShow(
        await copyFixture('integration/panel.bpnb', 'nb-panel.bpnb'),
      );
      await runCells(notebook, 0, 2);
      await vscode.commands.executeCommand('backpropNotebook.showPanel');
      const panel = api.panel.current();
      assert.ok(panel, 'the panel is open');
      const posted: HostToPanelMessage[] = [];
      const sub = panel.onDidPost((m) => posted.push(m));
      try {
        await vscode.window.showNotebookDocument(notebook);
        // the webview asks with `ready` once loaded; that or the follow sends the snapshot
        const first = await waitFor('an update with a snapshot', () => posted.find(withSnapshot));
        const session = api.controller.sessionFor(notebook);
        assert.ok(session);
        const snap = session.snapshot();
        assert.ok(snap && first.snapshot);
        assert.equal(first.notebook, 'nb-panel.bpnb');
        assert.deepEqual(first.snapshot.sizes, [2, 3, 1]);
        assert.deepEqual(first.snapshot.weights, snap.weights, 'weights equal the session values');
        assert.deepEqual(first.snapshot.weights[0], [
          [0.15, 0.25, 0.35],
          [0.2, 0.3, 0.4],
        ]);
        assert.ok(
          first.snapshot.delta && first.snapshot.delta[2].length === 1,
          'δ of the output layer after backward',
        );
        assert.deepEqual(first.snapshot.delta, snap.delta);

        const count = posted.length;
        await runCells(notebook, 2, 3); // update lr 0.5, forward, backward
        const next = await waitFor('an update after the next cell ran', () =>
          posted.slice(count).find(withSnapshot),
        );
        const after = session.snapshot();
        assert.ok(after && next.snapshot);
        assert.deepEqual(
          next.snapshot.weights,
          after.weights,
          'the new message has the updated weights',
        );
        assert.notDeepEqual(next.snapshot.weights, first.snapshot.weights, 'and they changed');
        assert.ok(
          Number(next.snapshot.weights[1][0][0]) < 0.4,
          'w11[2] moved against its gradient (the output was too high)',
        );
      } finally {
        sub.dispose();
      }
    },
  );

  test('the panel HTML has exactly one CSP meta, with default-src none', () => {
    const panel = api.panel.current();
    assert.ok(panel);
    const html = panel.panel.webview.html;
    const metas = html.match(/<meta[^>]*http-equiv="Content-Security-Policy"[^>]*>/gi) ?? [];
    assert.equal(metas.length, 1);
    assert.match(metas[0], /content="default-src 'none';/);
    assert.equal((html.match(/<script\b/g) ?? []).length, 1, 'one script');
  });
});
