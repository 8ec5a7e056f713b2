/**
 * The Network panel (host side): a webview beside the notebook that follows the active `.bpnb`
 * notebook and draws its session's current network, gradients, loss curve and boundary.
 * Updates after every cell run and live while a cell runs (at a bounded rate, only when visible);
 * survives a window reload through a WebviewPanelSerializer and the webview's own saved state.
 */
import * as vscode from 'vscode';
import type { HostToPanelMessage } from '../protocol/panelMessages';
import { parsePanelMessage, updateMessage, type PanelSession } from './messages';
import { panelHtml } from './html';
import { digitsSetting } from '../notebook/digits';

export const PANEL_VIEW_TYPE = 'backpropNotebook.panel';

/** What the panel needs from the kernel (BpnbController has these). */
export interface SessionSource {
  sessionFor(notebook: vscode.NotebookDocument): PanelSession | undefined;
  readonly onDidRun: vscode.Event<vscode.NotebookDocument>;
}

/** Shortest gap between two updates sent while a cell runs; bigger nets get fewer frames. */
export function liveInterval(weightCount: number): number {
  return weightCount > 20_000 ? 1000 : 200;
}

function makeNonce(): string {
  // a webview nonce only has to be unguessable by page content; the platform's crypto supplies it
  // eslint-disable-next-line no-restricted-syntax -- bounded: 18 random bytes
  return btoa(String.fromCharCode(...globalThis.crypto.getRandomValues(new Uint8Array(18))));
}

export class NetworkPanel implements vscode.Disposable {
  private static current: NetworkPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private notebook: vscode.NotebookDocument | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastSent = 0;
  /**
   * the batch row the webview shows (1-based): the user's pick, held to the rows of the last batch
   * sent
   */
  private row = 1;
  private readonly posted = new vscode.EventEmitter<HostToPanelMessage>();
  /** every message sent to the webview (for tests and diagnostics) */
  readonly onDidPost = this.posted.event;

  /** Registers the command, the serializer and the listeners; returns an accessor for tests. */
  static register(
    context: vscode.ExtensionContext,
    source: SessionSource,
  ): { current(): NetworkPanel | undefined } {
    const roots = [
      vscode.Uri.joinPath(context.extensionUri, 'dist'),
      vscode.Uri.joinPath(context.extensionUri, 'media'),
    ];
    context.subscriptions.push(
      vscode.commands.registerCommand('backpropNotebook.showPanel', () =>
        NetworkPanel.show(context, source, roots),
      ),
      vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
        async deserializeWebviewPanel(panel: vscode.WebviewPanel) {
          NetworkPanel.adopt(panel, context, source, roots);
        },
      }),
      { dispose: () => NetworkPanel.current?.dispose() },
    );
    return { current: () => NetworkPanel.current };
  }

  static show(
    context: vscode.ExtensionContext,
    source: SessionSource,
    roots: vscode.Uri[],
  ): NetworkPanel {
    if (NetworkPanel.current) {
      NetworkPanel.current.panel.reveal(vscode.ViewColumn.Beside, true);
      // with a text editor active, keep following the notebook it already shows
      const nb = vscode.window.activeNotebookEditor?.notebook;
      if (nb) NetworkPanel.current.follow(nb);
      return NetworkPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(
      PANEL_VIEW_TYPE,
      'Network',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      NetworkPanel.options(roots),
    );
    return NetworkPanel.adopt(panel, context, source, roots);
  }

  static options(roots: vscode.Uri[]): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    // not retained when hidden: hiding frees the webview; showing it again restores from saved
    // state
    return {
      enableScripts: true,
      enableCommandUris: false,
      enableForms: false,
      localResourceRoots: roots,
      retainContextWhenHidden: false,
    };
  }

  private static adopt(
    panel: vscode.WebviewPanel,
    context: vscode.ExtensionContext,
    source: SessionSource,
    roots: vscode.Uri[],
  ): NetworkPanel {
    NetworkPanel.current?.dispose();
    const p = new NetworkPanel(panel, context, source, roots);
    NetworkPanel.current = p;
    return p;
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly context: vscode.ExtensionContext,
    private readonly source: SessionSource,
    roots: vscode.Uri[],
  ) {
    panel.webview.options = NetworkPanel.options(roots);
    panel.webview.html = this.html();
    this.follow(
      vscode.window.activeNotebookEditor?.notebook ??
        vscode.window.visibleNotebookEditors.find((e) => e.notebook.notebookType === 'bpnb')
          ?.notebook,
    );
    this.disposables.push(
      this.posted,
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((raw) => this.receive(raw)),
      vscode.window.onDidChangeActiveNotebookEditor((e) => e && this.follow(e.notebook)),
      source.onDidRun((nb) => nb === this.notebook && this.schedule(false)),
      vscode.workspace.onDidChangeNotebookDocument((e) => {
        // outputs are replaced about ten times a second while a cell runs: use that as the live
        // tick
        if (e.notebook === this.notebook && e.cellChanges.some((c) => c.outputs !== undefined))
          this.schedule(true);
      }),
      vscode.workspace.onDidChangeConfiguration(
        (e) => e.affectsConfiguration('backpropNotebook.digits') && this.schedule(false),
      ),
      vscode.workspace.onDidCloseNotebookDocument(
        (nb) => nb === this.notebook && this.follow(undefined),
      ),
    );
  }

  private html(): string {
    const webview = this.panel.webview;
    return panelHtml({
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      scriptUri: webview
        .asWebviewUri(vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'panel.js'))
        .toString(),
      styleUri: webview
        .asWebviewUri(vscode.Uri.joinPath(this.context.extensionUri, 'media', 'panel.css'))
        .toString(),
    });
  }

  /** The notebook the panel follows (only `.bpnb` notebooks are followed). */
  followed(): vscode.NotebookDocument | undefined {
    return this.notebook;
  }

  private follow(nb: vscode.NotebookDocument | undefined): void {
    if (nb && nb.notebookType !== 'bpnb') return;
    if (nb === this.notebook && nb) return;
    this.notebook = nb;
    this.sendNow(false);
  }

  /** A message from the webview (public so tests can play the webview's part). */
  receive(raw: unknown): void {
    const m = parsePanelMessage(raw);
    if (!m) return; // unknown or malformed: dropped
    if (m.type === 'select') this.post(this.derivation(m.param));
    else {
      // `ready` after a reload brings the row the webview showed; `row` is a new pick
      if (m.row !== undefined) this.row = m.row;
      this.sendNow(false);
    }
  }

  /** The runtime's derivation of a selected parameter: the browser draws it, never derives it. */
  private derivation(param: string): HostToPanelMessage {
    const session = this.notebook && this.source.sessionFor(this.notebook);
    const d = session ? session.explainParameter(param) : 'no network yet';
    return typeof d === 'string'
      ? { type: 'derivation', param, reason: d }
      : { type: 'derivation', param, derivation: d };
  }

  private post(m: HostToPanelMessage): void {
    void this.panel.webview.postMessage(m);
    this.posted.fire(m);
  }

  private message(live: boolean): HostToPanelMessage {
    const nb = this.notebook;
    if (!nb)
      return { type: 'empty', reason: 'Open a Backprop Notebook (.bpnb) to see its network here.' };
    const name = nb.uri.path.split('/').pop() ?? 'notebook';
    const m = updateMessage(this.source.sessionFor(nb), name, live, digitsSetting(), this.row);
    // a smaller batch holds the pick to its rows (the runtime's row), and it stays held
    if (m.snapshot?.row !== undefined) this.row = m.snapshot.row;
    return m;
  }

  private weightCount(): number {
    // the shape, not snapshot(): a snapshot copies every weight, and this runs before every live
    // frame
    const s = this.notebook && this.source.sessionFor(this.notebook)?.shape();
    return s ? s.sizes.slice(1).reduce((sum, n, k) => sum + n * s.sizes[k], 0) : 0;
  }

  /** Sends now if the last frame is old enough, otherwise once the interval has passed. */
  private schedule(live: boolean): void {
    if (!this.panel.visible) return; // it asks with `ready` when shown again
    if (!live) {
      this.sendNow(false);
      return;
    }
    if (this.timer) return;
    const wait = Math.max(0, this.lastSent + liveInterval(this.weightCount()) - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.sendNow(true);
    }, wait);
  }

  private sendNow(live: boolean): void {
    if (this.timer && !live) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.lastSent = Date.now();
    this.post(this.message(live));
  }

  /**
   * Listeners and emitters this panel holds on the host side. Fixed at construction: hiding and
   * showing the panel (which drops and rebuilds the webview) adds none; dispose() empties it.
   */
  get listenerCount(): number {
    return this.disposables.length;
  }

  dispose(): void {
    if (NetworkPanel.current === this) NetworkPanel.current = undefined;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const ds = this.disposables.splice(0);
    ds.forEach((d) => d.dispose());
    this.panel.dispose();
  }
}
