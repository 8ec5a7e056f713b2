/**
 * Acting on the VS Code workbench in Chromium as a user would: the command palette, waiting for our
 * extension, opening a notebook from the explorer, waiting for Run All. Shared by the screenshot
 * tool and the user-level checks.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import {
  launchChromium,
  remoteUri,
  startCodeServer,
  workbenchUrl,
  type CodeServer,
  type StartOptions,
} from './codeServer';
import { repoRoot } from './workspace';

/** A command of ours, to tell that the workbench has registered the extension. */
const OUR_COMMAND = 'Backprop Notebook: New Backprop Notebook';

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Opens the command palette and types `title`; resolves whether a matching entry shows. */
export async function typeInPalette(page: Page, title: string): Promise<boolean> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(`>${title}`);
  try {
    await paletteEntry(page, title).waitFor({ state: 'visible', timeout: 2_000 });
    return true;
  } catch {
    return false;
  }
}

/** The palette row whose label is exactly `title` (not merely containing it). */
export function paletteEntry(page: Page, title: string) {
  const exactLabel = new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  return page
    .locator('.quick-input-list .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: exactLabel }) })
    .first();
}

/**
 * Waits until our extension's commands show in the palette (clicking a .bpnb earlier opens it as
 * text).
 */
export async function waitForExtension(page: Page): Promise<void> {
  for (let attempt = 0; attempt < 30; attempt++) {
    const found = await typeInPalette(page, OUR_COMMAND);
    await page.keyboard.press('Escape');
    if (found) return;
    await pause(1_000);
  }
  throw new Error(
    `"${OUR_COMMAND}" never showed in the command palette: is the extension built (node ` +
      `esbuild.js)?`,
  );
}

/** Runs a palette command; `Title>>Item` then picks Item in the quick pick the command opens. */
export async function runCommand(page: Page, spec: string): Promise<void> {
  const [title, pick] = spec.split('>>');
  if (!(await typeInPalette(page, title))) {
    throw new Error(`command "${title}" is not in the command palette`);
  }
  await paletteEntry(page, title).click();
  if (pick) {
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: pick }).first();
    await row.waitFor({ timeout: 10_000 });
    await row.click();
  }
}

/**
 * Opens a notebook of the workspace by clicking it in the explorer, and waits for the notebook
 * editor. VS Code for the Web with no server behind it first asks whether to open a notebook at all
 * ("Do you trust the authors of this notebook?", once per notebook): the user clicks Open Notebook.
 */
export async function openNotebook(page: Page, name: string): Promise<void> {
  const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: name }).first();
  await row.waitFor({ timeout: 30_000 });
  await row.click();
  const editor = page.locator('.notebook-editor .cell-list-container').first();
  const confirm = page
    .locator('.monaco-dialog-box .monaco-button', { hasText: 'Open Notebook' })
    .first();
  await editor.or(confirm).waitFor({ timeout: 30_000 });
  if (await confirm.isVisible()) await confirm.click();
  await editor.waitFor({ timeout: 30_000 });
}

/** Tallest window (CSS pixels) waitForRunAll makes to have VS Code draw every cell. */
const TALLEST_WAIT_VIEWPORT = 24_000;

/**
 * Waits until Run All has finished: every code cell shows its success icon (throws when one
 * failed, or after `timeoutMs`); resolves how long it took in ms. VS Code draws only the cells in
 * view, and a notebook that opens with Markdown cells a screen long shows no code cell at all, so
 * while it waits the window is made taller (up to TALLEST_WAIT_VIEWPORT) until the last cell is
 * drawn, and given back its size before this returns. Past that height it waits until no drawn cell
 * is queued or running for 2 s.
 */
export async function waitForRunAll(
  page: Page,
  codeCells: number,
  timeoutMs = 120_000,
): Promise<number> {
  const state = () =>
    page.evaluate(() => {
      const cells = '.notebook-editor .cell-list-container .monaco-list-row';
      const count = (selector: string) => document.querySelectorAll(selector).length;
      return {
        success: count('.notebook-editor .codicon-notebook-state-success'),
        busy: count(
          '.notebook-editor .codicon-notebook-state-executing, .notebook-editor ' +
            '.codicon-notebook-state-pending',
        ),
        failed: count('.notebook-editor .codicon-notebook-state-error'),
        lastCellDrawn: count(`${cells}[data-last-element="true"]`) > 0,
      };
    });
  const viewport = page.viewportSize();
  const started = Date.now();
  let quietSince = 0;
  let last = { success: 0, busy: 0, failed: 0, lastCellDrawn: false };
  try {
    while (Date.now() - started < timeoutMs) {
      last = await state();
      const { success, busy, failed, lastCellDrawn } = last;
      if (failed > 0) throw new Error(`${failed} cell(s) failed`);
      if (success >= codeCells) return Date.now() - started;
      const current = page.viewportSize();
      if (!lastCellDrawn && current && current.height < TALLEST_WAIT_VIEWPORT) {
        const height = Math.min(TALLEST_WAIT_VIEWPORT, current.height * 2);
        await page.setViewportSize({ width: current.width, height });
        quietSince = 0;
      } else if (!lastCellDrawn && success > 0 && busy === 0) {
        quietSince = quietSince || Date.now();
        if (Date.now() - quietSince >= 2_000) return Date.now() - started;
      } else quietSince = 0;
      await pause(250);
    }
  } finally {
    if (viewport) await page.setViewportSize(viewport);
  }
  throw new Error(
    `Run All did not finish within ${timeoutMs / 1000} s: ${last.success} of ${codeCells} code ` +
      `cells succeeded, ${last.busy} queued or running` +
      (last.lastCellDrawn ? '' : ', the last cell not drawn'),
  );
}

/**
 * Runs a user-level check on a page that `open` starts (a workbench and its browser), then stops
 * everything. On failure it saves a screenshot to test-results/<name>-error.png, prints
 * `<name>: FAILED: …` and exits 1.
 */
export function runPageCheck<T extends { page: Page; stop(): Promise<void> }>(
  name: string,
  open: () => Promise<T>,
  body: (opened: T) => Promise<void>,
): void {
  const main = async () => {
    const opened = await open();
    const { page, stop } = opened;
    try {
      await body(opened);
    } catch (err) {
      const shot = path.join(repoRoot, 'test-results', `${name}-error.png`);
      fs.mkdirSync(path.dirname(shot), { recursive: true });
      await page.screenshot({ path: shot }).catch(() => undefined);
      console.error(`${name}: the page at that moment: ${shot}`);
      throw err;
    } finally {
      await stop();
    }
  };
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(`${name}: FAILED: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    },
  );
}

/**
 * runPageCheck on code-server (started with `options`) and Chromium, this repository as the
 * development extension.
 */
export function runUserCheck(
  name: string,
  options: StartOptions,
  body: (server: CodeServer, page: Page) => Promise<void>,
): void {
  runPageCheck(
    name,
    async () => {
      const server = await startCodeServer(options);
      const browser = await launchChromium();
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      const stop = async () => {
        await browser.close().catch(() => undefined);
        await server.stop();
      };
      return { server, page, stop };
    },
    ({ server, page }) => body(server, page),
  );
}

/** Opens the workbench with this repository as the development extension and waits for it. */
export async function openWorkbench(server: CodeServer, page: Page): Promise<void> {
  await page.goto(
    workbenchUrl(server, [
      ['extensionDevelopmentPath', remoteUri(server, repoRoot)],
      ['skipWelcome', 'true'],
      ['skipReleaseNotes', 'true'],
    ]),
  );
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
}
