/**
 * Language features on notebook cells in the real VS Code: diagnostics as you type, completion
 * of activations, hovers and inlay values from each cell's own run.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  closeAllEditors,
  copyFixture,
  extensionApi,
  openAndShow,
  runCells,
  setCellText,
  waitFor,
} from './helpers';

function hoverText(hovers: vscode.Hover[]): string {
  // appendText escapes Markdown: undo it (&nbsp; and backslashes) to read the plain text
  const raw = hovers
    .flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value)))
    .join('\n');
  return raw.replace(/&nbsp;/g, ' ').replace(/\\(.)/g, '$1');
}

suite('language: diagnostics, completion, hover in cells', () => {
  let notebook: vscode.NotebookDocument;
  suiteSetup(async () => {
    await extensionApi();
    notebook = await openAndShow(
      await copyFixture('integration/language.bpnb', 'nb-language.bpnb'),
    );
  });
  suiteTeardown(async () => {
    await vscode.workspace.saveAll(false);
    await closeAllEditors();
  });

  test('a misspelt statement gets BPNB101 at its range; fixing it clears it', async () => {
    const cell = notebook.cellAt(2);
    const diag = await waitFor('BPNB101 on the bad cell', () =>
      vscode.languages.getDiagnostics(cell.document.uri).find((d) => d.code === 'BPNB101'),
    );
    assert.equal(diag.severity, vscode.DiagnosticSeverity.Error);
    assert.deepEqual(
      [
        diag.range.start.line,
        diag.range.start.character,
        diag.range.end.line,
        diag.range.end.character,
      ],
      [1, 2, 1, 8],
      "the range covers 'forwrd'",
    );
    assert.match(diag.message, /forwrd.*forward/);
    assert.equal(
      vscode.languages.getDiagnostics(notebook.cellAt(1).document.uri).length,
      0,
      'the good cell has none',
    );
    await setCellText(cell, 'forward\n  forward\nshow z1[2]');
    await waitFor('the diagnostic to clear', () =>
      vscode.languages.getDiagnostics(cell.document.uri).every((d) => d.code !== 'BPNB101'),
    );
  });

  test("completion offers sigmoid after 'network 2 -> 3 '", async () => {
    const cell = notebook.cellAt(2);
    await setCellText(cell, 'network 2 -> 3 ');
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      cell.document.uri,
      new vscode.Position(0, 15),
    );
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.ok(
      labels.includes('sigmoid'),
      `sigmoid offered (got ${labels.slice(0, 20).join(', ')})`,
    );
    assert.ok(labels.includes('tanh'));
    assert.ok(!labels.includes('forward'), 'not statements');
  });

  test(
    'hover over w11[1] shows its meaning, and its value and gradient ' + 'after running',
    async () => {
      const cell = notebook.cellAt(1);
      const at = new vscode.Position(2, 6); // inside `show w11[1]`
      const before = await vscode.commands.executeCommand<vscode.Hover[]>(
        'vscode.executeHoverProvider',
        cell.document.uri,
        at,
      );
      assert.match(hoverText(before), /weight from node 1\[1\] to node 1\[2\]/);
      assert.match(hoverText(before), /run this cell/);
      await runCells(notebook, 0, 2);
      const after = await vscode.commands.executeCommand<vscode.Hover[]>(
        'vscode.executeHoverProvider',
        cell.document.uri,
        at,
      );
      assert.match(hoverText(after), /w11\[1\] = 0\.15\b/);
      assert.match(hoverText(after), /∂E\/∂w11\[1\] = 0\.000\d+/);
    },
  );

  test(
    'the Network panel code lens sits on the first backward pass, not on a graph ' + '`backward y`',
    async () => {
      const cell = notebook.cellAt(2);
      // the workbench answers for a cell whose editor exists: show it
      await vscode.window.showNotebookDocument(notebook, {
        selections: [new vscode.NotebookRange(2, 3)],
      });
      await vscode.commands.executeCommand('notebook.cell.edit');
      const lenses = async () =>
        (
          await vscode.commands.executeCommand<vscode.CodeLens[]>(
            'vscode.executeCodeLensProvider',
            cell.document.uri,
            0,
          )
        ).map((l) => [l.range.start.line, l.command?.title]);
      await setCellText(cell, 'u = 2\nv = u * u\nbackward v');
      assert.deepEqual(await lenses(), [], 'a computation-graph cell has no network to show');
      await setCellText(cell, '# then backward\nforward\n  backward\ntrain epochs 2');
      assert.deepEqual(await lenses(), [[2, 'Show in Network Panel']]);
    },
  );

  test(
    'go to definition from `use NAME` lands on the name in the cell that defines ' + 'the network',
    async () => {
      const defining = notebook.cellAt(0);
      const cell = notebook.cellAt(2);
      await setCellText(
        defining,
        defining.document.getText().replace(/^network\b/m, 'network seed'),
      );
      await setCellText(cell, 'use seed');
      const found = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>(
        'vscode.executeDefinitionProvider',
        cell.document.uri,
        new vscode.Position(0, 6),
      );
      assert.equal(found.length, 1, 'one definition');
      const target =
        found[0] instanceof vscode.Location
          ? found[0]
          : new vscode.Location(found[0].targetUri, found[0].targetRange);
      assert.equal(target.uri.toString(), defining.document.uri.toString());
      const line = defining.document.lineAt(target.range.start.line).text;
      assert.equal(
        line.slice(target.range.start.character, target.range.start.character + 4),
        'seed',
      );
    },
  );

  test(
    'computation-graph names: diagnostics, completion from an earlier cell, highlighting, ' +
      'hover with value and gradient',
    async () => {
      const first = notebook.cellAt(1);
      const second = notebook.cellAt(2);
      await setCellText(first, 'u = 3\nv = u * u + u\nbackward v');
      await setCellText(
        second,
        'p = v * nope\nq = max(u)\nloss flat(a, t) = t * t\nactivation swish(z) = z\nr = v + ',
      );
      const codes = await waitFor('the expression diagnostics', () => {
        const found = vscode.languages
          .getDiagnostics(second.document.uri)
          .map((d) => [d.code, d.range.start.line, second.document.getText(d.range)]);
        return found.length >= 5 ? found : undefined;
      });
      assert.deepEqual(
        codes.sort(),
        [
          ['BPNB102', 4, ''], // r = v + … is not finished yet
          ['BPNB133', 1, 'max(u)'],
          ['BPNB134', 0, 'nope'],
          ['BPNB135', 2, 'a'],
          ['BPNB136', 3, 'swish'],
        ],
        'v and u come from the earlier cell: only nope is unknown',
      );
      const list = await vscode.commands.executeCommand<vscode.CompletionList>(
        'vscode.executeCompletionItemProvider',
        second.document.uri,
        new vscode.Position(4, 8),
      );
      const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
      for (const name of ['u', 'v', 'p', 'q', 'exp'])
        assert.ok(labels.includes(name), `${name} offered (got ${labels.join(', ')})`);

      const legend = await vscode.commands.executeCommand<vscode.SemanticTokensLegend>(
        'vscode.provideDocumentSemanticTokensLegend',
        first.document.uri,
      );
      const tokens = await vscode.commands.executeCommand<vscode.SemanticTokens>(
        'vscode.provideDocumentSemanticTokens',
        first.document.uri,
      );
      // decode (Δline, Δstart, length, type, modifiers) into "line:col type"
      const decoded: string[] = [];
      let line = 0;
      let col = 0;
      for (let i = 0; i < tokens.data.length; i += 5) {
        line += tokens.data[i];
        col = tokens.data[i] === 0 ? col + tokens.data[i + 1] : tokens.data[i + 1];
        decoded.push(`${line}:${col} ${legend.tokenTypes[tokens.data[i + 3]]}`);
      }
      assert.deepEqual(decoded, [
        '0:0 variable',
        '1:0 variable',
        '1:4 variable',
        '1:8 variable',
        '1:12 variable',
        '2:9 variable',
      ]);

      await runCells(notebook, 0, 2);
      const hover = await vscode.commands.executeCommand<vscode.Hover[]>(
        'vscode.executeHoverProvider',
        first.document.uri,
        new vscode.Position(1, 4), // the first u of v = u * u + u
      );
      // v = u² + u: ∂v/∂u = 2u + 1 = 7 at u = 3, summed over the three uses
      assert.match(hoverText(hover), /u = 3\b/);
      assert.match(hoverText(hover), /∂v\/∂u = 7\b/);
    },
  );
});

suite("language: inlay values and hovers show the numbers of the cell's own run", () => {
  let notebook: vscode.NotebookDocument;
  suiteSetup(async () => {
    await extensionApi();
    notebook = await openAndShow(await copyFixture('integration/inlays.bpnb', 'nb-inlays.bpnb'));
  });
  suiteTeardown(async () => {
    await vscode.workspace.saveAll(false);
    await closeAllEditors();
  });

  const inlays = async (cell: vscode.NotebookCell) =>
    (
      await vscode.commands.executeCommand<vscode.InlayHint[]>(
        'vscode.executeInlayHintProvider',
        cell.document.uri,
        new vscode.Range(0, 0, cell.document.lineCount, 0),
      )
    ).map((h) => `${h.position.line}:${typeof h.label === 'string' ? h.label.trim() : ''}`);
  const hover = async (cell: vscode.NotebookCell, at: vscode.Position) =>
    hoverText(
      await vscode.commands.executeCommand<vscode.Hover[]>(
        'vscode.executeHoverProvider',
        cell.document.uri,
        at,
      ),
    );

  test('a stale cell keeps its own numbers; a cell not run, or edited, shows none', async () => {
    const [first, second, third] = notebook.getCells();
    await runCells(notebook, 0, 2);
    // by hand: a1[2] = w·x = 2·3 = 6 in network a, 5·1 = 5 in network b (the current one)
    assert.deepEqual(await inlays(second), ['5:5']);
    assert.deepEqual(await inlays(first), ['5:6'], "network a's a1[2], not the current 5");
    // defining network b leaves network a as it was: a's cell is not stale
    assert.doesNotMatch(await hover(first, new vscode.Position(5, 6)), /stale/);
    assert.deepEqual(await inlays(third), [], 'a cell that has not run shows no numbers');
    assert.match(await hover(third, new vscode.Position(0, 6)), /run this cell/);
    // a later cell rebuilds network a: a's cell is stale and keeps the numbers of its own run
    await setCellText(third, 'use a\nbias on');
    assert.deepEqual([...(await runCells(notebook, 2, 3)).entries()], [[2, true]]);
    const stale = await hover(first, new vscode.Position(5, 6));
    assert.match(stale, /a1\[2\] = 6\b/);
    assert.match(stale, /stale: a cell run after this one rebuilt the network it shows \(/);
    assert.doesNotMatch(await hover(second, new vscode.Position(5, 6)), /stale/, 'b is as it was');
    await setCellText(second, second.document.getText() + '\n');
    assert.deepEqual(await inlays(second), [], 'edited since it ran');
    assert.match(await hover(second, new vscode.Position(5, 6)), /changed since it ran/);
  });
});
