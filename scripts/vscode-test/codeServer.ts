/**
 * Starts code-server (installed by scripts/vscode-test/install.sh) on a free
 * loopback port, with fresh temp config/user-data/extensions/XDG folders, and
 * launches Debian's headless Chromium through playwright-core. Shared by the
 * integration test launcher (run.ts) and the screenshot driver. Two versions:
 * `oldest` (4.99.4, VS Code 1.99.3, the engines.vscode minimum, on this Node)
 * and `newest` (4.139.1, VS Code 1.139.1, on Node 24 from the npm registry).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { copyFixturesWorkspace, makeTempDir, repoRoot } from './workspace';
import versions from './versions.json';

/** The versions under test (install.sh reads the same file). */
export { versions };

export type CodeServerVersion = 'oldest' | 'newest';

const testDir = path.join(repoRoot, '.vscode-test');
const entryIn = (dir: string) =>
  path.join(testDir, dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');

/** Where each version's entry is and the node that runs it (install.sh puts them there). */
export const codeServers: Record<
  CodeServerVersion,
  { entry: string; node: string; vscode: string }
> = {
  oldest: { entry: entryIn('code-server'), node: process.execPath, vscode: versions.oldest.vscode },
  newest: {
    entry: entryIn(`code-server-${versions.newest.codeServer}`),
    node: path.join(testDir, `node-${versions.newest.node}`, 'node_modules', '.bin', 'node'),
    vscode: versions.newest.vscode,
  },
};

/** The oldest version's entry (what the screenshot and user-level checks run). */
export const codeServerEntry = codeServers.oldest.entry;

export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** User settings that keep a run quiet: no telemetry, prompts, welcome pages or updates. */
const quietSettings = {
  'telemetry.telemetryLevel': 'off',
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'security.workspace.trust.enabled': false,
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'notebook.experimental.generate': false,
  'chat.commandCenter.enabled': false,
  // VS Code for the Web (and so code-server) saves 1 s after an edit by default; the tests save
  // themselves, and a save already done makes NotebookDocument.save() answer false
  'files.autoSave': 'off',
};

export interface CodeServer {
  /** Base URL the browser must use, e.g. http://127.0.0.1:41234 */
  baseUrl: string;
  /** host:port, as it must appear in vscode-remote:// URIs */
  authority: string;
  /** Temp folder holding config, user data, extensions, XDG folders, the workspace. */
  tempDir: string;
  /** The workspace folder: a temp copy of test/fixtures/. */
  workspace: string;
  /** code-server's own stdout/stderr, written here. */
  serverLogFile: string;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Extra environment for code-server; it reaches the extension host. */
  env?: Record<string, string>;
  /** Extra user settings, merged over the quiet ones. */
  settings?: Record<string, unknown>;
  /** Keep Workspace Trust on (by default it is disabled, so tests run trusted). */
  workspaceTrust?: boolean;
  /** Which code-server: `oldest` (default) or `newest`. */
  version?: CodeServerVersion;
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

function healthy(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.get(url, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.on('error', () => resolve(false));
    request.setTimeout(2000, () => {
      request.destroy();
      resolve(false);
    });
  });
}

async function waitForHealth(
  baseUrl: string,
  child: ChildProcess,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`code-server exited early with code ${child.exitCode}`);
    }
    if (await healthy(`${baseUrl}/healthz`)) {
      return;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`code-server did not answer ${baseUrl}/healthz within ${timeoutMs} ms`);
}

/** Kills a detached child's whole process group (server, extension host, pty host, watcher). */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) {
    return;
  }
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

export async function startCodeServer(options: StartOptions = {}): Promise<CodeServer> {
  const which = options.version ?? 'oldest';
  const { entry, node } = codeServers[which];
  if (!fs.existsSync(entry) || !fs.existsSync(node)) {
    throw new Error(
      `code-server (${which}) is not installed (${entry}); run: bash ` +
        `scripts/vscode-test/install.sh ${which}`,
    );
  }
  const tempDir = makeTempDir('bpnb-vscode-');
  const dirs = {
    userData: path.join(tempDir, 'user-data'),
    extensions: path.join(tempDir, 'extensions'),
    xdgConfig: path.join(tempDir, 'xdg-config'),
    xdgData: path.join(tempDir, 'xdg-data'),
    xdgCache: path.join(tempDir, 'xdg-cache'),
  };
  for (const dir of Object.values(dirs)) {
    fs.mkdirSync(dir, { recursive: true });
  }
  fs.mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });
  fs.writeFileSync(
    path.join(dirs.userData, 'User', 'settings.json'),
    JSON.stringify({ ...quietSettings, ...options.settings }, null, 2),
  );
  const workspace = copyFixturesWorkspace(tempDir);

  const port = await freePort();
  const authority = `127.0.0.1:${port}`;
  const configFile = path.join(tempDir, 'config.yaml');
  fs.writeFileSync(configFile, `bind-addr: ${authority}\nauth: none\ncert: false\n`);
  const serverLogFile = path.join(tempDir, 'code-server.log');
  const serverLog = fs.openSync(serverLogFile, 'a');

  const child = spawn(
    node,
    [
      entry,
      '--config',
      configFile,
      '--bind-addr',
      authority,
      '--auth',
      'none',
      '--disable-telemetry',
      '--disable-update-check',
      ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
      '--disable-getting-started-override',
      '--disable-proxy',
      '--ignore-last-opened',
      '--user-data-dir',
      dirs.userData,
      '--extensions-dir',
      dirs.extensions,
      // VS Code 1.139's built workbench reads the launch payload (extensionDevelopmentPath,
      // extensionTestsPath) only with its smoke-test driver on; code-server passes the flag through
      ...(which === 'newest' ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    ],
    {
      detached: true,
      stdio: ['ignore', serverLog, serverLog],
      env: {
        ...process.env,
        XDG_CONFIG_HOME: dirs.xdgConfig,
        XDG_DATA_HOME: dirs.xdgData,
        XDG_CACHE_HOME: dirs.xdgCache,
        EXTENSIONS_GALLERY: '{}',
        ...options.env,
      },
    },
  );
  fs.closeSync(serverLog);

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) {
      return;
    }
    stopped = true;
    killGroup(child, 'SIGTERM');
    const deadline = Date.now() + 3000;
    while (child.exitCode === null && child.signalCode === null && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    killGroup(child, 'SIGKILL');
    fs.rmSync(tempDir, { recursive: true, force: true, maxRetries: 3 });
  };

  const baseUrl = `http://${authority}`;
  try {
    await waitForHealth(baseUrl, child, 60_000);
  } catch (err) {
    process.stderr.write(fs.readFileSync(serverLogFile, 'utf8'));
    await stop();
    throw err;
  }
  return { baseUrl, authority, tempDir, workspace, serverLogFile, stop };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: chromiumArgs,
    // Playwright hides scrollbars in headless Chromium; a user sees them, and so do the screenshots
    ignoreDefaultArgs: ['--hide-scrollbars'],
  });
}

/** The workbench URL: a workspace folder and a launch payload (pairs of name and value). */
export function workbenchUrl(server: CodeServer, payload: [string, string][]): string {
  const params = new URLSearchParams({
    folder: server.workspace,
    payload: JSON.stringify(payload),
  });
  return `${server.baseUrl}/?${params.toString()}`;
}

/** A path on the server machine, as a URI the web workbench resolves through the server. */
export function remoteUri(server: CodeServer, absolutePath: string): string {
  return `vscode-remote://${server.authority}${absolutePath}`;
}
