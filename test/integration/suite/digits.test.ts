/**
 * The `backpropNotebook.digits` setting in the real VS Code: changed to 10 and then to 3, the next
 * run of a cell prints its table with that many significant digits, the Network panel's update
 * says the digits, and the derivation the panel is sent puts its numbers in with them. The
 * payload keeps every digit whatever the setting.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { RESULT_MIME, type TableItem } from '../../../src/protocol/results';
import type { HostToPanelMessage, UpdateMessage } from '../../../src/protocol/panelMessages';
import {
  closeAllEditors,
  copyFixture,
  extensionApi,
  openAndShow,
  outputText,
  runCells,
  waitFor,
  type ExtensionApi,
} from './helpers';

/**
 * δ of the seed network's output node (numpy, float64: (a − t)·a·(1 − a) after one forward pass).
 */
const DELTA_OUT = 0.14592280694438295;
/** δ1[2], the hidden node on the path from x1 to the output (numpy, float64). */
const DELTA_HIDDEN = 0.014589522189062691;

suite('digits setting: tables, the panel and derivations follow backpropNotebook.digits', () => {
  let api: ExtensionApi;
  const config = () => vscode.workspace.getConfiguration('backpropNotebook');
  suiteSetup(async () => {
    api = await extensionApi();
  });
  suiteTeardown(async () => {
    await config().update('digits', undefined, vscode.ConfigurationTarget.Global);
    api.panel.current()?.dispose();
    await vscode.workspace.saveAll(false);
    await closeAllEditors();
  });

  test(
    'set to 10, then 3: the re-run cell, the panel update and its derivation show that ' +
      'many digits',
    async () => {
      const notebook = await openAndShow(
        await copyFixture('integration/run.bpnb', 'nb-digits.bpnb'),
      );
      await runCells(notebook, 0, notebook.cellCount);
      await vscode.commands.executeCommand('backpropNotebook.showPanel');
      const panel = api.panel.current();
      assert.ok(panel, 'the panel is open');
      const posted: HostToPanelMessage[] = [];
      const sub = panel.onDidPost((m) => posted.push(m));
      await vscode.window.showNotebookDocument(notebook);
      const cell = notebook.cellAt(2); // forward / backward / show deltas
      try {
        for (const [digits, out, hidden] of [
          [10, '0.1459228069', '0.01458952219'],
          [3, '0.146', '0.0146'],
        ] as const) {
          const count = posted.length;
          await config().update('digits', digits, vscode.ConfigurationTarget.Global);
          const update = await waitFor(`a panel update with digits ${digits}`, () =>
            posted
              .slice(count)
              .find(
                (m): m is UpdateMessage =>
                  m.type === 'update' && m.snapshot !== undefined && m.digits === digits,
              ),
          );
          const sent = Number(update.snapshot!.delta![2][0]);
          assert.ok(Math.abs(sent - DELTA_OUT) < 1e-15, `the snapshot keeps every digit (${sent})`);

          await runCells(notebook, 2, 3);
          const markdown = outputText(cell, 'text/markdown');
          assert.ok(markdown.includes(`| 1\\[3\\] | ${out} |`), markdown);
          assert.ok(markdown.includes(`| 1\\[2\\] | ${hidden} |`), markdown);
          const payload = JSON.parse(outputText(cell, RESULT_MIME)) as { items: TableItem[] };
          const deltas = payload.items.find((i) => i.kind === 'table' && i.title === 'deltas δ');
          assert.ok(deltas, 'the payload has the deltas table');
          const row = deltas.rows.find((r) => r[0] === '1[3]');
          assert.ok(
            row && Math.abs(Number(row[1]) - DELTA_OUT) < 1e-15,
            'the payload keeps every digit',
          );
          assert.equal(
            Number(hidden),
            Number(DELTA_HIDDEN.toPrecision(digits)),
            'the oracle, rounded',
          );
          assert.equal(Number(out), Number(DELTA_OUT.toPrecision(digits)), 'the oracle, rounded');

          const before = posted.length;
          panel.receive({ type: 'select', param: 'w11[1]' });
          const answer = await waitFor('the derivation of w11[1]', () =>
            posted.slice(before).find((m) => m.type === 'derivation'),
          );
          assert.ok(answer.type === 'derivation' && answer.derivation, JSON.stringify(answer));
          const last = answer.derivation.steps.at(-1)!;
          assert.equal(last.symbolic, '∂E/∂w11[1] = δ1[2] · x1');
          assert.equal(last.substituted, `${hidden} · 0.05`);
        }
      } finally {
        sub.dispose();
      }
    },
  );
});
