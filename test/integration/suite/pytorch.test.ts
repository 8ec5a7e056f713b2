/**
 * The PyTorch bridge in the real VS Code: "Export to PyTorch…" writes the notebook's current cells
 * as a script or a Jupyter notebook through vscode.workspace.fs, a refusal names the cell and line
 * and writes nothing; "Import Weights" and `weights from` load a safetensors file (written here
 * through vscode.workspace.fs) into the session, and the Network panel shows the new weights.
 * The dialogs a test cannot click (format pick, save and open dialogs) are replaced for the length
 * of one command (withWindow); the commands are started without arguments, as the palette does.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { exportPyTorch, toIpynb, toScript } from '../../../src/runtime/pytorch';
import type { HostToPanelMessage, UpdateMessage } from '../../../src/protocol/panelMessages';
import type { NetworkPanel } from '../../../src/panel/networkPanel';
import {
  closeAllEditors,
  copyFixture,
  extensionApi,
  fixtureUri,
  openAndShow,
  runCells,
  setCellText,
  waitFor,
  type ExtensionApi,
} from './helpers';

type Window = Record<string, unknown>;

/** What the stubbed dialogs were asked, and the messages the command showed. */
interface Seen {
  picks: string[][];
  info: string[];
  errors: string[];
}

/** Runs `command` with the window's dialogs replaced by `stubs`; the messages it shows are kept. */
async function withWindow(stubs: Window, command: string): Promise<Seen> {
  const win = vscode.window as unknown as Window;
  const seen: Seen = { picks: [], info: [], errors: [] };
  const all: Window = {
    showInformationMessage: (m: string) => (seen.info.push(m), Promise.resolve(undefined)),
    showErrorMessage: (m: string) => (seen.errors.push(m), Promise.resolve(undefined)),
    ...stubs,
  };
  const saved = Object.fromEntries(Object.keys(all).map((k) => [k, win[k]]));
  Object.assign(win, all);
  assert.equal(win.showInformationMessage, all.showInformationMessage, 'the stub is in place');
  try {
    await vscode.commands.executeCommand(command);
  } finally {
    Object.assign(win, saved);
  }
  return seen;
}

/** A format pick that chooses the item whose `format` is `format`, recording the labels offered. */
function pickFormat(format: string, seen: string[][]) {
  return (items: (vscode.QuickPickItem & { format: string })[]) => {
    seen.push(items.map((i) => i.label));
    return Promise.resolve(items.find((i) => i.format === format));
  };
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

const text = async (uri: vscode.Uri) =>
  new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));

/** The notebook's cells as the exporter takes them (what is in the editor, saved or not). */
function cellsOf(nb: vscode.NotebookDocument) {
  return nb.getCells().map((c) => ({
    kind: c.kind === vscode.NotebookCellKind.Code ? ('code' as const) : ('markdown' as const),
    source: c.document.getText(),
  }));
}

/** A safetensors file (8-byte length, JSON header, raw little-endian F32 data) of these tensors. */
function safetensors(tensors: Record<string, { shape: number[]; values: number[] }>): Uint8Array {
  const header: Record<string, unknown> = {};
  let offset = 0;
  for (const [key, t] of Object.entries(tensors)) {
    header[key] = {
      dtype: 'F32',
      shape: t.shape,
      data_offsets: [offset, offset + 4 * t.values.length],
    };
    offset += 4 * t.values.length;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let at = 8 + json.length;
  for (const t of Object.values(tensors))
    for (const v of t.values) {
      view.setFloat32(at, v, true);
      at += 4;
    }
  return out;
}

/** A 3 → 4 → 2 stack of Linear layers whose every value differs (PyTorch's [out, in] layout). */
const seq = (n: number, from: number) => Array.from({ length: n }, (_, i) => from + 0.0625 * i);
const MODEL = {
  '0.weight': { shape: [4, 3], values: seq(12, -0.5) },
  '0.bias': { shape: [4], values: seq(4, 0.1) },
  '2.weight': { shape: [2, 4], values: seq(8, -0.3) },
  '2.bias': { shape: [2], values: seq(2, -0.05) },
};

/**
 * The network's weights as the seed writes them: w[k-1][i-1][j-1] = wij[k] = PyTorch's
 * weight[j-1][i-1].
 */
function seedWeights(): number[][][] {
  return [
    { key: '0.weight', from: 3, to: 4 },
    { key: '2.weight', from: 4, to: 2 },
  ].map(({ key, from, to }) =>
    Array.from({ length: from }, (_, i) =>
      Array.from({ length: to }, (_, j) =>
        Math.fround(MODEL[key as '0.weight'].values[j * from + i]),
      ),
    ),
  );
}

const hasNetwork = (m: HostToPanelMessage): m is UpdateMessage =>
  m.type === 'update' && m.snapshot !== undefined;

suite('PyTorch: Export to PyTorch… and Import Weights', () => {
  let api: ExtensionApi;
  let notebook: vscode.NotebookDocument;

  suiteSetup(async () => {
    api = await extensionApi();
    notebook = await openAndShow(await copyFixture('integration/pytorch.bpnb', 'pt.bpnb'));
  });

  suiteTeardown(async () => {
    await vscode.workspace.saveAll(false);
    await closeAllEditors();
  });

  test('Export to PyTorch… as a script writes the export of the cells in the editor', async () => {
    // an edit not saved yet: the export takes what the user sees
    await setCellText(
      notebook.cellAt(2),
      'forward\nbackward\nshow δ1[2], dE/dw11[1], E, a2[3]\nexpect E > 0',
    );
    const target = fixtureUri('exported', 'pt.py');
    const picks: string[][] = [];
    let saveDefault: string | undefined;
    const seen = await withWindow(
      {
        showQuickPick: pickFormat('py', picks),
        showSaveDialog: (o: vscode.SaveDialogOptions) => {
          saveDefault = o.defaultUri?.path;
          return Promise.resolve(target);
        },
      },
      'backpropNotebook.exportPyTorch',
    );
    assert.deepEqual(seen.errors, []);
    assert.deepEqual(picks, [['Python script', 'Jupyter notebook']]);
    assert.equal(
      saveDefault,
      fixtureUri('pt.py').path,
      'the dialog proposes pt.py beside the notebook',
    );
    const expected = await exportPyTorch(cellsOf(notebook), {
      title: 'pt.bpnb',
      readTextFile: () => Promise.reject(new Error('this notebook reads no file')),
    });
    assert.ok(expected.ok);
    const written = await text(target);
    assert.equal(written, toScript(expected.cells, 'pt.bpnb'));
    assert.match(written, /^# show δ1\[2\], dE\/dw11\[1\], E, a2\[3\]$/m, 'the unsaved edit');
    assert.match(written, /^show\("a2\[3\]", /m);
    assert.deepEqual(seen.info, [
      `Exported to exported/pt.py: it prints the notebook's ${expected.checks.length} numbers ` +
        `(run it with python3 and torch).`,
    ]);
  });

  test(
    'Export to PyTorch… as a Jupyter notebook: nbformat 4, markdown kept, a code ' +
      'cell per cell',
    async () => {
      const target = fixtureUri('exported', 'pt.ipynb');
      const seen = await withWindow(
        {
          showQuickPick: pickFormat('ipynb', []),
          showSaveDialog: () => Promise.resolve(target),
        },
        'backpropNotebook.exportPyTorch',
      );
      assert.deepEqual(seen.errors, []);
      const written = await text(target);
      const expected = await exportPyTorch(cellsOf(notebook), {
        title: 'pt.bpnb',
        readTextFile: () => Promise.reject(new Error('this notebook reads no file')),
      });
      assert.ok(expected.ok);
      assert.equal(written, toIpynb(expected.cells, 'pt.bpnb'));
      const ipynb = JSON.parse(written) as {
        nbformat: number;
        cells: { cell_type: string; source: string[] }[];
      };
      assert.equal(ipynb.nbformat, 4);
      // a title cell and the helpers cell, then the notebook's own cells in order
      assert.deepEqual(
        ipynb.cells.slice(2).map((c) => c.cell_type),
        ['markdown', 'code', 'code'],
      );
      assert.equal(ipynb.cells[2].source.join(''), notebook.cellAt(0).document.getText());
    },
  );

  test(
    'a notebook that cannot be exported is refused naming cell and line, and nothing ' +
      'is written',
    async () => {
      await setCellText(notebook.cellAt(2), 'forward\nbackward\nupdate lr 0.5\nbackward');
      const target = fixtureUri('exported', 'refused.py');
      const seen = await withWindow(
        { showQuickPick: pickFormat('py', []), showSaveDialog: () => Promise.resolve(target) },
        'backpropNotebook.exportPyTorch',
      );
      assert.equal(seen.errors.length, 1, JSON.stringify(seen));
      assert.match(seen.errors[0], /^Not exported: cell 3, line 4: /);
      assert.equal(await exists(target), false);
    },
  );

  test(
    'Import Weights reads a safetensors file; the session and the Network panel have ' +
      'its weights',
    async () => {
      await setCellText(notebook.cellAt(2), 'forward\nbackward\nshow E');
      await runCells(notebook, 0, notebook.cellCount);
      await vscode.commands.executeCommand('backpropNotebook.showPanel');
      const panel: NetworkPanel | undefined = api.panel.current();
      assert.ok(panel, 'the panel is open');
      await vscode.window.showNotebookDocument(notebook);
      const file = fixtureUri('model.safetensors');
      await vscode.workspace.fs.writeFile(file, safetensors(MODEL));

      const posted: UpdateMessage[] = [];
      const sub = panel.onDidPost((m) => hasNetwork(m) && posted.push(m));
      let openDefault: string | undefined;
      const seen = await withWindow(
        {
          showOpenDialog: (o: vscode.OpenDialogOptions) => {
            openDefault = o.defaultUri?.path;
            return Promise.resolve([file]);
          },
        },
        'backpropNotebook.importWeights',
      );
      assert.deepEqual(seen.errors, []);
      assert.equal(openDefault, fixtureUri().path, 'the dialog opens in the notebook’s folder');
      assert.deepEqual(seen.info, [
        'weights from model.safetensors: 2 Linear layers (0: 3 → 4, 2: 4 → 2); F32 converted to ' +
          'float64 (exactly). Run `forward` and `backward` to see its numbers.',
      ]);
      const session = api.controller.sessionFor(notebook);
      assert.ok(session);
      const weights = seedWeights();
      assert.deepEqual(session.snapshot()!.weights, weights);
      assert.equal(
        session.valueOf({ kind: 'bias', layer: 3, node: 2 })!.value,
        Math.fround(MODEL['2.bias'].values[1]),
      );
      const update = await waitFor('the panel to be sent the imported network', () =>
        posted.at(-1),
      );
      sub.dispose();
      assert.deepEqual(update.snapshot!.weights, weights, 'the panel is sent the imported weights');
      panel.panel.dispose();
    },
  );

  test(
    'weights from "model.safetensors" in a cell loads the same file through the ' + 'workspace',
    async () => {
      await setCellText(
        notebook.cellAt(1),
        'network 3 -> 4 tanh -> 2 sigmoid\nloss half-squared\nweights from ' +
          '"model.safetensors"\ninput x = [0.5, -1.0, 0.25]\ntarget t = [0.2, 0.9]',
      );
      const ran = await runCells(notebook, 1, 3);
      assert.deepEqual([...ran.values()], [true, true]);
      assert.deepEqual(api.controller.sessionFor(notebook)!.snapshot()!.weights, seedWeights());
    },
  );
});
