import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { HostToPanelMessage, UpdateMessage } from '../../../src/protocol/panelMessages';
import type { NetworkPanel } from '../../../src/panel/networkPanel';
import { extensionApi, fixtureUri, openAndShow, runCells } from './helpers';

/** The next message the panel sends that satisfies `pred` (mocha's timeout bounds the wait). */
function nextPost(
  panel: NetworkPanel,
  pred: (m: HostToPanelMessage) => boolean,
): Promise<HostToPanelMessage> {
  return new Promise((resolve) => {
    const sub = panel.onDidPost((m) => {
      if (!pred(m)) return;
      sub.dispose();
      resolve(m);
    });
  });
}

const hasNetwork = (m: HostToPanelMessage): m is UpdateMessage =>
  m.type === 'update' && m.snapshot !== undefined;

suite('network panel', () => {
  test(
    'opens beside a fixture notebook, is sent its network, and hiding/showing it 12 times ' +
      'adds no host listeners',
    async () => {
      const api = await extensionApi();
      const notebook = await openAndShow(fixtureUri('hello.bpnb'));
      const editor = vscode.window.activeNotebookEditor!;
      await runCells(notebook, 0, notebook.cellCount);

      await vscode.commands.executeCommand('backpropNotebook.showPanel');
      const panel = api.panel.current();
      assert.ok(panel, 'the command opened the panel');
      assert.equal(panel.followed(), notebook, 'it follows the active notebook');
      // the webview answers `ready` once loaded; the host then sends the network
      const first = await nextPost(panel, hasNetwork);
      assert.ok(hasNetwork(first));
      assert.equal(first.notebook, 'hello.bpnb');
      assert.deepEqual(first.snapshot!.sizes, [2, 3, 1]);
      assert.deepEqual(first.snapshot!.weights[1], [[0.4], [0.45], [0.5]]);
      assert.ok(first.snapshot!.delta, 'δ after the backward cell');

      // selecting a parameter asks the host, which answers with the runtime's own derivation
      const answer = nextPost(panel, (m) => m.type === 'derivation');
      panel.receive({ type: 'select', param: 'w11[1]' });
      const d = await answer;
      assert.ok(d.type === 'derivation' && d.derivation, JSON.stringify(d));
      assert.equal(d.param, 'w11[1]');
      assert.equal(d.derivation.quantity, '∂E/∂w11[1]');
      assert.ok(Math.abs((d.derivation.value as number) - 0.000729476) < 1e-9);
      assert.equal(d.derivation.steps.at(-1)!.symbolic, '∂E/∂w11[1] = δ1[2] · x1');
      const refused = nextPost(panel, (m) => m.type === 'derivation');
      panel.receive({ type: 'select', param: 'w91[1]' });
      const r = await refused;
      assert.ok(r.type === 'derivation' && !r.derivation && /not a parameter/.test(r.reason ?? ''));

      const listeners = panel.listenerCount;
      assert.ok(listeners > 0);
      const cover = await vscode.workspace.openTextDocument({ content: 'covers the panel' });
      for (let round = 0; round < 12; round++) {
        // hide: put a pinned text editor in front of the panel in its group
        await vscode.window.showTextDocument(cover, {
          viewColumn: panel.panel.viewColumn,
          preview: false,
          preserveFocus: false,
        });
        assert.equal(panel.panel.visible, false, `round ${round}: hidden`);
        // show again: the webview is rebuilt (not retained) and asks for its state with `ready`
        const resent = nextPost(panel, hasNetwork);
        await vscode.commands.executeCommand('backpropNotebook.showPanel');
        assert.equal(api.panel.current(), panel, 'the same panel is revealed, not a second one');
        await resent;
        assert.equal(panel.listenerCount, listeners, `round ${round}: no listener added`);
      }
      await vscode.window.showNotebookDocument(notebook, { viewColumn: editor.viewColumn });

      panel.panel.dispose();
      assert.equal(api.panel.current(), undefined, 'closing the panel forgets it');
      assert.equal(panel.listenerCount, 0, 'closing the panel disposes every listener');
    },
  );

  test(
    "the batch row the webview picks: the host sends the runtime's snapshot of that row, keeps " +
      'it across cell runs and holds it to the batch (issue 18)',
    async () => {
      const api = await extensionApi();
      const notebook = await openAndShow(fixtureUri('screenshots', 'batch-frozen.bpnb'));
      await runCells(notebook, 0, notebook.cellCount);
      await vscode.commands.executeCommand('backpropNotebook.showPanel');
      const panel = api.panel.current()!;
      const rowOf = async (send?: () => void) => {
        // the update after a run or a message, not a live frame from inside the run
        const next = nextPost(panel, (m) => hasNetwork(m) && !m.live);
        send?.();
        const s = ((await next) as UpdateMessage).snapshot!;
        return { row: [s.row, s.rows, s.trace?.row], x: s.a![0] };
      };
      try {
        // XOR's rows are (0, 0), (0, 1), (1, 0), (1, 1)
        assert.deepEqual(await rowOf(), { row: [1, 4, 1], x: [0, 0] });
        assert.deepEqual(await rowOf(() => panel.receive({ type: 'row', row: 3 })), {
          row: [3, 4, 3],
          x: [1, 0],
        });
        // running the notebook again keeps the pick
        assert.deepEqual(await rowOf(() => void runCells(notebook, 0, notebook.cellCount)), {
          row: [3, 4, 3],
          x: [1, 0],
        });
        // a reloaded webview brings its row with `ready`
        const reloaded = await rowOf(() => panel.receive({ type: 'ready', row: 2 }));
        assert.deepEqual(reloaded.row, [2, 4, 2]);
        // a row beyond the batch is its last, and the pick stays there
        const beyond = await rowOf(() => panel.receive({ type: 'row', row: 9 }));
        assert.deepEqual(beyond.row, [4, 4, 4]);
        assert.deepEqual((await rowOf(() => panel.receive({ type: 'ready' }))).row, [4, 4, 4]);
      } finally {
        panel.panel.dispose();
      }
    },
  );
});
