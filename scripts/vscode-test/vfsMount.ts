/**
 * A test-only web extension (webHost.ts builds it when Workspace Trust is on): the mounted test
 * workspace (@vscode/test-web's `vscode-test-web://mount/`) again under the `vscode-vfs` scheme,
 * github.dev's. VS Code trusts every virtual workspace except `vscode-vfs` ones
 * (WorkspaceTrustManagementService.isTrustedVirtualResource), so only there does a folder of the
 * web host start untrusted, in Restricted Mode. Every call goes to the mount's own provider.
 */
import * as vscode from 'vscode';

/** vscode-vfs://ANY/PATH → vscode-test-web://mount/PATH */
const mount = (uri: vscode.Uri) =>
  vscode.Uri.from({ scheme: 'vscode-test-web', authority: 'mount', path: uri.path });

export function activate(context: vscode.ExtensionContext): void {
  const fs = vscode.workspace.fs;
  const changes = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  const provider: vscode.FileSystemProvider = {
    onDidChangeFile: changes.event,
    watch: () => new vscode.Disposable(() => undefined),
    stat: (uri) => fs.stat(mount(uri)),
    readDirectory: (uri) => fs.readDirectory(mount(uri)),
    createDirectory: (uri) => fs.createDirectory(mount(uri)),
    readFile: (uri) => fs.readFile(mount(uri)),
    writeFile: async (uri, content) => {
      await fs.writeFile(mount(uri), content);
      changes.fire([{ type: vscode.FileChangeType.Changed, uri }]);
    },
    delete: (uri, options) => fs.delete(mount(uri), options),
    rename: (from, to, options) => fs.rename(mount(from), mount(to), options),
  };
  context.subscriptions.push(
    changes,
    vscode.workspace.registerFileSystemProvider('vscode-vfs', provider, { isCaseSensitive: true }),
  );
}
