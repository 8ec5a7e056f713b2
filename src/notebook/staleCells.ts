import * as vscode from 'vscode';
import type { BpnbController } from './controller';

/**
 * A status-bar note on cells whose results predate a re-run of the cell that defines the network.
 */
export function registerStaleMarker(controller: BpnbController): vscode.Disposable[] {
  const changed = new vscode.EventEmitter<void>();
  const provider: vscode.NotebookCellStatusBarItemProvider = {
    onDidChangeCellStatusBarItems: changed.event,
    provideCellStatusBarItems(cell) {
      if (!controller.isStale(cell)) return [];
      const item = new vscode.NotebookCellStatusBarItem(
        '$(warning) stale: the network was redefined after this cell ran',
        vscode.NotebookCellStatusBarAlignment.Left,
      );
      item.tooltip =
        'An earlier cell that defines the network ran again; run this cell again to see ' +
        'current numbers.';
      return [item];
    },
  };
  return [
    changed,
    controller.onDidRun(() => changed.fire()),
    vscode.notebooks.registerNotebookCellStatusBarItemProvider('bpnb', provider),
  ];
}
