import * as vscode from 'vscode';
import { decodeNotebookBytes, parseNotebookFile } from '../protocol/notebookFile';

/** The first Markdown heading of a notebook, as its title. */
function titleOf(text: string): string | undefined {
  try {
    const nb = parseNotebookFile(text);
    const md = nb.cells.find((c) => c.kind === 'markdown');
    return md?.source
      .split('\n')
      .find((l) => l.startsWith('# '))
      ?.slice(2)
      .trim();
  } catch {
    return undefined;
  }
}

/**
 * Shows the example notebooks bundled with the extension and opens the chosen one as an untitled
 * copy, so running and editing it never touches the installed files.
 */
async function openExample(context: vscode.ExtensionContext): Promise<void> {
  const folder = vscode.Uri.joinPath(context.extensionUri, 'examples');
  let entries: [string, vscode.FileType][];
  try {
    entries = await vscode.workspace.fs.readDirectory(folder);
  } catch {
    void vscode.window.showErrorMessage('The bundled examples are missing from this installation.');
    return;
  }
  const files = entries
    .filter(([name, type]) => type === vscode.FileType.File && name.endsWith('.bpnb'))
    .map(([name]) => name)
    .sort();
  const items = await Promise.all(
    files.map(async (name) => {
      const uri = vscode.Uri.joinPath(folder, name);
      const text = decodeNotebookBytes(await vscode.workspace.fs.readFile(uri));
      return { label: titleOf(text) ?? name, description: name, uri, text };
    }),
  );
  const pick = await vscode.window.showQuickPick(items, {
    title: 'Open an example notebook',
    placeHolder: 'Each opens as an untitled copy you can run and change',
  });
  if (!pick) return;
  const doc = await vscode.workspace.openNotebookDocument('bpnb', deserialize(pick.text));
  await vscode.window.showNotebookDocument(doc);
}

function deserialize(text: string): vscode.NotebookData {
  const nb = parseNotebookFile(text);
  return new vscode.NotebookData(
    nb.cells.map(
      (c) =>
        new vscode.NotebookCellData(
          c.kind === 'code' ? vscode.NotebookCellKind.Code : vscode.NotebookCellKind.Markup,
          c.source,
          c.language,
        ),
    ),
  );
}

export function registerExampleCommand(context: vscode.ExtensionContext): vscode.Disposable {
  return vscode.commands.registerCommand('backpropNotebook.openExample', () =>
    openExample(context),
  );
}
