import * as vscode from 'vscode';
import type { BpnbController } from './controller';
import { RUNNERS } from '../runtime/statements';

/**
 * Why a cell is stale (BpnbController.isStale): a later cell ran a statement that rebuilds the
 * current network (the runners with `rebuilds`: network, use, bias, loss), whichever network.
 */
export const STALE_REASON =
  'a cell run after this one changed the current network (' +
  Object.entries(RUNNERS)
    .filter(([, r]) => r.rebuilds)
    .map(([kind]) => kind)
    .join(', ') +
  ')';

/**
 * A status-bar note on cells whose results predate a later cell that rebuilt the current network.
 */
export function registerStaleMarker(controller: BpnbController): vscode.Disposable[] {
  const changed = new vscode.EventEmitter<void>();
  const provider: vscode.NotebookCellStatusBarItemProvider = {
    onDidChangeCellStatusBarItems: changed.event,
    provideCellStatusBarItems(cell) {
      if (!controller.isStale(cell)) return [];
      const item = new vscode.NotebookCellStatusBarItem(
        '$(warning) stale: the current network changed',
        vscode.NotebookCellStatusBarAlignment.Left,
      );
      item.tooltip =
        `Stale: ${STALE_REASON}. Its numbers are of the network as it was; run it again to see ` +
        'the current one.';
      return [item];
    },
  };
  return [
    changed,
    controller.onDidRun(() => changed.fire()),
    vscode.notebooks.registerNotebookCellStatusBarItemProvider('bpnb', provider),
  ];
}
