import * as vscode from 'vscode';
import { BpnbSerializer } from './notebook/serializer';
import { BpnbController } from './notebook/controller';
import { STARTER_CELLS } from './notebook/template';
import { registerLanguageFeatures } from './notebook/languageFeatures';
import { registerStaleMarker } from './notebook/staleCells';
import { NetworkPanel } from './panel/networkPanel';
import { registerExportCommands } from './notebook/export';
import { registerExampleCommand } from './notebook/examples';
import { registerDigits } from './notebook/digits';
import { TrainWorkers } from './worker/trainClient';
import type { TrainThreads } from './worker/messages';
import type { NewThread } from './worker/thread';
import type { Realpath } from './notebook/files';

/**
 * Set by the bundle's first line (esbuild banner): activation time is measured from there
 * (docs/performance.md).
 */
declare const __bpnbLoadStart: number | undefined;
const loadedAt = typeof __bpnbLoadStart === 'number' ? __bpnbLoadStart : performance.now();
/**
 * Every module this one imports has been evaluated by now (the entry adds only its host's thread
 * module).
 */
const evaluatedAt = performance.now();

/**
 * What differs between the Node extension host (extension.ts) and the browser's (extensionWeb.ts).
 */
export interface Host {
  /** starts a training thread: a Node worker thread or a Web Worker */
  threads: (context: vscode.ExtensionContext) => NewThread;
  /** follows symbolic links of local data files; the web host has none */
  realpath?: Realpath;
}

export interface Api {
  controller: BpnbController;
  panel: ReturnType<typeof NetworkPanel.register>;
  workers: TrainWorkers;
  activationMs: number;
  /**
   * activationMs in three parts: evaluating the bundle, VS Code's wait until it calls activate(),
   * activate()
   */
  activationPhases: { evaluateMs: number; waitMs: number; activateMs: number };
}

/** Wiring only: every piece lives in its own module. */
export function activateWith(context: vscode.ExtensionContext, host: Host): Api {
  const calledAt = performance.now();
  const saveOutputs = vscode.workspace
    .getConfiguration('backpropNotebook')
    .get<boolean>('saveOutputs', true);
  // long `train` runs go to a worker thread (started on the first train, not here)
  const workers = new TrainWorkers(host.threads(context), undefined, undefined, () =>
    vscode.workspace.getConfiguration('backpropNotebook').get<TrainThreads>('trainThreads', 'auto'),
  );
  const inWorker = () =>
    vscode.workspace.getConfiguration('backpropNotebook').get<boolean>('trainInWorker', true);
  const controller = new BpnbController(
    () => (inWorker() ? workers.train : undefined),
    host.realpath,
  );
  context.subscriptions.push(
    workers,
    vscode.workspace.registerNotebookSerializer('bpnb', new BpnbSerializer(), {
      transientOutputs: !saveOutputs,
    }),
    controller,
    /* eslint-disable no-restricted-syntax -- bounded: a few disposables each */
    ...registerLanguageFeatures(controller),
    ...registerStaleMarker(controller),
    ...registerExportCommands(controller),
    ...registerDigits(),
    /* eslint-enable no-restricted-syntax */
    registerExampleCommand(context),
    vscode.commands.registerCommand('backpropNotebook.newNotebook', async () => {
      const cells = STARTER_CELLS.map(
        (c) =>
          new vscode.NotebookCellData(
            c.kind === 'code' ? vscode.NotebookCellKind.Code : vscode.NotebookCellKind.Markup,
            c.source,
            c.kind === 'code' ? 'bpnb' : 'markdown',
          ),
      );
      const doc = await vscode.workspace.openNotebookDocument(
        'bpnb',
        new vscode.NotebookData(cells),
      );
      await vscode.window.showNotebookDocument(doc);
    }),
    vscode.commands.registerCommand('backpropNotebook.restartSession', () => {
      const nb = vscode.window.activeNotebookEditor?.notebook;
      if (nb?.notebookType === 'bpnb') controller.restart(nb);
    }),
  );
  // a worker takes a few hundred milliseconds to load: start one once a notebook is open, after
  // activation
  const warm = () =>
    inWorker() &&
    vscode.workspace.notebookDocuments.some((nb) => nb.notebookType === 'bpnb') &&
    workers.warm();
  const warmLater = setTimeout(warm, 1_000);
  context.subscriptions.push(
    { dispose: () => clearTimeout(warmLater) },
    vscode.workspace.onDidOpenNotebookDocument(warm),
  );
  const panel = NetworkPanel.register(context, controller);
  const endedAt = performance.now();
  return {
    controller,
    panel,
    workers,
    activationMs: endedAt - loadedAt,
    activationPhases: {
      evaluateMs: evaluatedAt - loadedAt,
      waitMs: calledAt - evaluatedAt,
      activateMs: endedAt - calledAt,
    },
  };
}
