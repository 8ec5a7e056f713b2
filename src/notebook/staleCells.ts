import * as vscode from 'vscode';
import type { BpnbController } from './controller';
import { RUNNERS } from '../runtime/statements';

/**
 * Why a cell is stale (BpnbController.isStale): a later cell ran a statement that rebuilt a network
 * the cell shows (the runners with `rebuilds`: network, bias, loss), or defined another network by
 * its name.
 */
export const STALE_REASON =
  'a cell run after this one rebuilt the network it shows (' +
  Object.entries(RUNNERS)
    .filter(([, r]) => r.rebuilds)
    .map(([kind]) => kind)
    .join(', ') +
  ')';

/** A status-bar note on cells whose results predate a later cell that rebuilt their network. */
export function registerStaleMarker(controller: BpnbController): vscode.Disposable[] {
  const changed = new vscode.EventEmitter<void>();
  const provider: vscode.NotebookCellStatusBarItemProvider = {
    onDidChangeCellStatusBarItems: changed.event,
    provideCellStatusBarItems(cell) {
      if (!controller.isStale(cell)) return [];
      const item = new vscode.NotebookCellStatusBarItem(
        '$(warning) stale: its network was rebuilt',
        vscode.NotebookCellStatusBarAlignment.Left,
      );
      item.tooltip =
        `Stale: ${STALE_REASON}. Its numbers are of the network as it was; run it again to see ` +
        'it as it is.';
      return [item];
    },
  };
  return [
    changed,
    controller.onDidRun(() => changed.fire()),
    vscode.notebooks.registerNotebookCellStatusBarItemProvider('bpnb', provider),
  ];
}
