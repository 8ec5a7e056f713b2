import * as vscode from 'vscode';
import { RESULT_MIME, type ResultPayload, type TableItem } from '../protocol/results';
import { FORMAT_EXTENSION, exportTables, tablesOf, type TableFormat } from '../protocol/export';
import type { BpnbController } from './controller';
import { pushAll } from '../protocol/extent';
import type { Session } from '../runtime/session';
import { MAX_SAFETENSORS_BYTES } from '../runtime/safetensors';
import { exportPyTorchCommand } from './pytorchExport';
import { trustDecision } from './trust';

const decoder = new TextDecoder();
const encoder = new TextEncoder();

function activeNotebook(): vscode.NotebookDocument | undefined {
  const nb = vscode.window.activeNotebookEditor?.notebook;
  if (nb?.notebookType === 'bpnb') return nb;
  void vscode.window.showInformationMessage('Open a Backprop Notebook (.bpnb) first.');
  return undefined;
}

/** Every table in the notebook's current outputs, in cell order. */
export function notebookTables(nb: vscode.NotebookDocument): TableItem[] {
  const tables: TableItem[] = [];
  for (const cell of nb.getCells()) {
    for (const output of cell.outputs) {
      for (const item of output.items) {
        if (item.mime !== RESULT_MIME) continue;
        try {
          const payload = JSON.parse(decoder.decode(item.data)) as ResultPayload;
          if (Array.isArray(payload.items)) pushAll(tables, tablesOf(payload.items));
        } catch {
          // an unreadable output has no tables to give
        }
      }
    }
  }
  return tables;
}

/** A file next to the notebook (or in the workspace) named after it, with a new extension. */
function besideNotebook(nb: vscode.NotebookDocument, suffix: string): vscode.Uri | undefined {
  const base =
    nb.uri.path
      .split('/')
      .pop()
      ?.replace(/\.bpnb$/, '') || 'notebook';
  if (nb.uri.scheme === 'untitled') {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    return folder ? vscode.Uri.joinPath(folder, `${base}${suffix}`) : undefined;
  }
  return vscode.Uri.joinPath(nb.uri, '..', `${base}${suffix}`);
}

async function exportTablesCommand(): Promise<void> {
  const nb = activeNotebook();
  if (!nb) return;
  const tables = notebookTables(nb);
  if (tables.length === 0) {
    void vscode.window.showInformationMessage(
      'This notebook has no tables to export yet: run cells that show weights, deltas or ' +
        'gradients first.',
    );
    return;
  }
  const picks: (vscode.QuickPickItem & { format: TableFormat })[] = [
    { label: 'Markdown', description: '.md: pipe tables', format: 'markdown' },
    { label: 'CSV', description: '.csv: one block per table, full precision', format: 'csv' },
    { label: 'LaTeX', description: '.tex: table + tabular, for handouts', format: 'latex' },
  ];
  const pick = await vscode.window.showQuickPick(picks, {
    title: `Export ${tables.length} table${tables.length === 1 ? '' : 's'}`,
    placeHolder: 'Format',
  });
  if (!pick) return;
  const ext = FORMAT_EXTENSION[pick.format];
  const uri = await vscode.window.showSaveDialog({
    defaultUri: besideNotebook(nb, `-tables.${ext}`),
    filters: { [pick.label]: [ext] },
  });
  if (!uri) return;
  await vscode.workspace.fs.writeFile(uri, encoder.encode(exportTables(tables, pick.format)));
  void vscode.window.showInformationMessage(
    `Exported ${tables.length} table${tables.length === 1 ? '' : 's'} to ` +
      `${vscode.workspace.asRelativePath(uri)}.`,
  );
}

async function exportWeightsCommand(controller: BpnbController): Promise<void> {
  const nb = activeNotebook();
  if (!nb) return;
  const weights = controller.sessionFor(nb)?.exportWeights();
  if (!weights) {
    void vscode.window.showInformationMessage('No network yet: run a cell that defines one first.');
    return;
  }
  const uri = await vscode.window.showSaveDialog({
    defaultUri: besideNotebook(nb, `-${weights.name}-weights.json`),
    filters: { JSON: ['json'] },
  });
  if (!uri) return;
  await vscode.workspace.fs.writeFile(uri, encoder.encode(JSON.stringify(weights, null, 2) + '\n'));
  void vscode.window.showInformationMessage(
    `Saved the weights of network ${weights.name} (${weights.sizes.join(' → ')}) to ` +
      `${vscode.workspace.asRelativePath(uri)}.`,
  );
}

async function importWeightsCommand(controller: BpnbController): Promise<void> {
  const nb = activeNotebook();
  if (!nb) return;
  const session = controller.sessionFor(nb);
  if (!session?.exportWeights()) {
    void vscode.window.showInformationMessage(
      'No network yet: run the cell that defines it first, then import its weights.',
    );
    return;
  }
  const [uri] =
    (await vscode.window.showOpenDialog({
      canSelectMany: false,
      defaultUri: nb.uri.scheme === 'untitled' ? undefined : vscode.Uri.joinPath(nb.uri, '..'),
      filters: { 'Weights (JSON, safetensors)': ['json', 'safetensors'] },
      title: 'Import weights',
    })) ?? [];
  if (!uri) return;
  if (uri.path.endsWith('.safetensors')) return importSafetensors(controller, nb, session, uri);
  let json: unknown;
  try {
    json = JSON.parse(decoder.decode(await vscode.workspace.fs.readFile(uri)));
  } catch (e) {
    void vscode.window.showErrorMessage(
      `Cannot read ${vscode.workspace.asRelativePath(uri)}: ` +
        `${e instanceof Error ? e.message : String(e)}`,
    );
    return;
  }
  const result = session.importWeights(json);
  if (!result.ok) {
    void vscode.window.showErrorMessage(`Weights not imported: ${result.error}`);
    return;
  }
  controller.sessionChanged(nb);
  void vscode.window.showInformationMessage(
    'Weights imported. Run `forward` and `backward` to see the new numbers.',
  );
}

/** A PyTorch model's Linear layers from a safetensors file (size checked before it is read). */
async function importSafetensors(
  controller: BpnbController,
  nb: vscode.NotebookDocument,
  session: Session,
  uri: vscode.Uri,
): Promise<void> {
  const trust = trustDecision('readDataFile', vscode.workspace.isTrusted);
  if (!trust.allowed) {
    void vscode.window.showErrorMessage(`Weights not imported: ${trust.reason}`);
    return;
  }
  const path = vscode.workspace.asRelativePath(uri);
  let bytes: Uint8Array;
  try {
    const { size } = await vscode.workspace.fs.stat(uri);
    if (size > MAX_SAFETENSORS_BYTES) {
      void vscode.window.showErrorMessage(
        `Weights not imported: ${path} is ${size} bytes; the limit is ${MAX_SAFETENSORS_BYTES} ` +
          `(a small MLP is far less).`,
      );
      return;
    }
    bytes = await vscode.workspace.fs.readFile(uri);
  } catch (e) {
    void vscode.window.showErrorMessage(
      `Cannot read ${path}: ${e instanceof Error ? e.message : String(e)}`,
    );
    return;
  }
  const result = session.importSafetensors(bytes, path);
  if (!result.ok) {
    void vscode.window.showErrorMessage(`Weights not imported: ${result.error}`);
    return;
  }
  controller.sessionChanged(nb);
  void vscode.window.showInformationMessage(
    `${result.message}. Run \`forward\` and \`backward\` to see its numbers.`,
  );
}

/** The export and import commands. */
export function registerExportCommands(controller: BpnbController): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('backpropNotebook.exportTables', exportTablesCommand),
    vscode.commands.registerCommand('backpropNotebook.exportWeights', () =>
      exportWeightsCommand(controller),
    ),
    vscode.commands.registerCommand('backpropNotebook.importWeights', () =>
      importWeightsCommand(controller),
    ),
    vscode.commands.registerCommand('backpropNotebook.exportPyTorch', () =>
      exportPyTorchCommand(controller),
    ),
  ];
}
