import * as vscode from 'vscode';
import { Session } from '../runtime/session';
import type { ResultItem } from '../protocol/results';
import { cellOutputs, resultOutput } from './outputs';
import { readWorkspaceBytes, readWorkspaceFile, type Realpath } from './files';
import { trustDecision } from './trust';
import type { RecordedValue, RunHost } from '../runtime/types';
import { yieldNow } from '../worker/yieldNow';

/**
 * Shortest gap between two live output replacements: four a second keeps the workbench free to
 * answer Stop.
 */
const PROGRESS_INTERVAL_MS = 250;

/**
 * An output edit that nobody awaits: a failure (the notebook was closed meanwhile) is not an
 * unhandled rejection.
 */
function quietly(edit: Thenable<void>): void {
  edit.then(undefined, () => undefined);
}

interface NotebookState {
  session: Session;
  executionOrder: number;
  /** the networks each cell's last run showed (CellRun.shows), by cell document URI */
  shows: Map<string, number[]>;
  /** the text each cell last ran with and the values its statements left, by cell document URI */
  ran: Map<string, Omit<CellValues, 'stale'>>;
}

/** What the editor shows beside a cell's lines: the values of the cell's own last run. */
export interface CellValues {
  /** the cell's text when it ran (the values' offsets are into it) */
  text: string;
  values: RecordedValue[];
  /** a later cell rebuilt a network this one shows (see isStale) */
  stale: boolean;
}

/**
 * The kernel: one session per notebook, cells run in the order asked, a failure stops the queue.
 */
export class BpnbController implements vscode.Disposable {
  readonly id = 'backprop-notebook-kernel';
  private readonly controller: vscode.NotebookController;
  private readonly states = new Map<string, NotebookState>();
  private readonly changed = new vscode.EventEmitter<vscode.NotebookDocument>();
  /**
   * fires after any cell of a notebook ran, or its session changed otherwise (the Network panel
   * listens)
   */
  readonly onDidRun = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];
  /**
   * milliseconds from a Stop (the token's cancellation) to the end of the cell, for the last
   * stopped cell
   */
  lastStopMs?: number;
  /**
   * milliseconds from the start of the last cell's run here to its execution.end (the extension's
   * share of Run → output)
   */
  lastRunMs?: number;

  /**
   * trainer: where `train` runs (a worker thread; see src/worker); read per cell, so a setting
   * change applies at once. realpath: follows symbolic links of local data files (Node's; the web
   * host has none).
   */
  constructor(
    private readonly trainer: () => RunHost['train'] = () => undefined,
    private readonly realpath?: Realpath,
  ) {
    this.controller = vscode.notebooks.createNotebookController(
      this.id,
      'bpnb',
      'Backprop Notebook',
    );
    this.controller.supportedLanguages = ['bpnb'];
    this.controller.supportsExecutionOrder = true;
    this.controller.description = 'runs cells with the built-in backprop engine';
    this.controller.executeHandler = (cells, notebook) => this.execute(cells, notebook);
    this.disposables.push(
      this.controller,
      this.changed,
      vscode.workspace.onDidCloseNotebookDocument((nb) => this.states.delete(nb.uri.toString())),
      vscode.workspace.onDidOpenNotebookDocument((nb) => this.preferFor(nb)),
    );
    vscode.workspace.notebookDocuments.forEach((nb) => this.preferFor(nb));
  }

  private preferFor(nb: vscode.NotebookDocument): void {
    if (nb.notebookType === 'bpnb')
      this.controller.updateNotebookAffinity(nb, vscode.NotebookControllerAffinity.Preferred);
  }

  private state(notebook: vscode.NotebookDocument): NotebookState {
    const key = notebook.uri.toString();
    let state = this.states.get(key);
    if (!state) {
      const maxMegabytes = vscode.workspace
        .getConfiguration('backpropNotebook')
        .get<number>('maxNetworkMegabytes', 256);
      state = {
        session: new Session({ maxBytes: maxMegabytes * 1024 * 1024 }),
        executionOrder: 0,
        shows: new Map(),
        ran: new Map(),
      };
      this.states.set(key, state);
    }
    return state;
  }

  /**
   * How this notebook's cells read files: confined to the workspace, refused in Restricted Mode.
   */
  fileReaders(
    notebook: vscode.NotebookDocument,
  ): Required<Pick<RunHost, 'readTextFile' | 'readBinaryFile'>> {
    return {
      readTextFile: (path: string) => readWorkspaceFile(notebook.uri, path, this.realpath),
      readBinaryFile: (path: string, maxBytes: number) =>
        readWorkspaceBytes(notebook.uri, path, maxBytes, this.realpath),
    };
  }

  /** The session of a notebook, if any cell has run in it. */
  sessionFor(notebook: vscode.NotebookDocument): Session | undefined {
    return this.states.get(notebook.uri.toString())?.session;
  }

  /** True when a cell run after this one rebuilt a network this one shows (STALE_REASON). */
  isStale(cell: vscode.NotebookCell): boolean {
    const state = this.states.get(cell.notebook.uri.toString());
    const shows = state?.shows.get(cell.document.uri.toString()) ?? [];
    return shows.some((n) => state?.session.rebuiltSince(n));
  }

  /** The values the cell's last run in this session recorded, or undefined if it has not run. */
  valuesOf(cell: vscode.NotebookCell): CellValues | undefined {
    const state = this.states.get(cell.notebook.uri.toString());
    const ran = state?.ran.get(cell.document.uri.toString());
    return ran && { ...ran, stale: this.isStale(cell) };
  }

  /** The session changed outside a cell (Import Weights): the Network panel redraws it. */
  sessionChanged(notebook: vscode.NotebookDocument): void {
    this.changed.fire(notebook);
  }

  restart(notebook: vscode.NotebookDocument): void {
    this.states.delete(notebook.uri.toString());
    this.changed.fire(notebook);
  }

  private async execute(
    cells: vscode.NotebookCell[],
    notebook: vscode.NotebookDocument,
  ): Promise<void> {
    const trust = trustDecision('run', vscode.workspace.isTrusted);
    if (!trust.allowed) {
      if (cells.length === 0) return;
      // Restricted Mode: the first cell asked for says why; nothing runs
      const execution = this.controller.createNotebookCellExecution(cells[0]);
      execution.start(Date.now());
      await execution.replaceOutput(
        new vscode.NotebookCellOutput([
          vscode.NotebookCellOutputItem.error(new Error(trust.reason)),
        ]),
      );
      execution.end(false, Date.now());
      return;
    }
    for (const cell of cells) {
      const ok = await this.runCell(cell, notebook);
      if (!ok) break; // cells queued after a failure or a stop do not run
    }
  }

  private async runCell(
    cell: vscode.NotebookCell,
    notebook: vscode.NotebookDocument,
  ): Promise<boolean> {
    const state = this.state(notebook);
    const started = performance.now();
    const execution = this.controller.createNotebookCellExecution(cell);
    const text = cell.document.getText();
    state.shows.delete(cell.document.uri.toString());
    state.ran.delete(cell.document.uri.toString());
    execution.executionOrder = ++state.executionOrder;
    execution.start(Date.now());
    // Output edits are queued in order and flushed by end(): awaiting each would add a round trip
    // to the workbench (and VS Code's 10 ms batching) to every cell and to every Stop.
    quietly(execution.clearOutput());
    let lastProgress = 0;
    let cancelledAt: number | undefined;
    const onCancel = execution.token.onCancellationRequested(
      () => (cancelledAt = performance.now()),
    );
    try {
      const run = await state.session.runCell(text, {
        isCancelled: () => execution.token.isCancellationRequested,
        yieldNow,
        now: () => performance.now(),
        onProgress: (items: ResultItem[]) => {
          const now = Date.now();
          if (now - lastProgress < PROGRESS_INTERVAL_MS) return;
          lastProgress = now;
          quietly(execution.replaceOutput(resultOutput(items)));
        },
        ...this.fileReaders(notebook),
        train: this.trainer(),
      });
      state.shows.set(cell.document.uri.toString(), run.shows);
      state.ran.set(cell.document.uri.toString(), { text, values: run.values });
      quietly(execution.replaceOutput(cellOutputs(run)));
      execution.end(run.ok, Date.now());
      this.lastRunMs = performance.now() - started;
      if (cancelledAt !== undefined) this.lastStopMs = performance.now() - cancelledAt;
      this.changed.fire(notebook);
      return run.ok;
    } catch (e) {
      // An exception here is a bug, not a user error: keep it in its cell.
      const err = e instanceof Error ? e : new Error(String(e));
      quietly(
        execution.replaceOutput(
          new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.error(err)]),
        ),
      );
      execution.end(false, Date.now());
      return false;
    } finally {
      onCancel.dispose();
    }
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }
}
