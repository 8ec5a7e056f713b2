/**
 * Screenshots of the extension as a user sees it, in code-server driven by
 * headless Chromium (same server and browser as the integration tests, no test
 * payload). For each theme: opens the notebook from the explorer, clicks Run
 * All, waits for every code cell's success icon, saves a PNG; then optionally
 * runs a command from the palette and saves a second PNG.
 *
 *   node out/scripts/screenshot/shoot.js <notebook.bpnb> [--out DIR]
 *        [--command "Backprop Notebook: Show Network Panel"] [--themes light,dark]
 *        [--select w11[1]] [--steps N] [--zoom 2] [--no-run]
 *
 * --no-run: no Run All; the picture shows the notebook as opened, with the outputs saved in it.
 * Themes: light, dark, hc-dark, hc-light (VS Code's two high-contrast themes). --zoom 2 is 200%
 * zoom: the window keeps its size in pixels, the workbench is laid out at half of it.
 *
 * Writes DIR/<name>-<theme>.png and, with --command, DIR/<name>-<theme>-command.png (DIR defaults
 * to test-results/screenshots). With --command and --select, clicks that parameter's row in the
 * panel's gradient table and saves DIR/<name>-<theme>-select.png. With --command and --steps N,
 * clicks the panel's Next N times and saves DIR/<name>-<theme>-steps.png mid-animation. Needs
 * scripts/vscode-test/install.sh and a built extension (node esbuild.js).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium, startCodeServer } from '../vscode-test/codeServer';
import { countCodeCells, repoRoot } from '../vscode-test/workspace';
import {
  openNotebook,
  openWorkbench,
  pause,
  runCommand,
  waitForExtension,
  waitForRunAll,
} from '../vscode-test/workbench';

/** Theme name → [VS Code color theme, the workbench's class for its kind]. */
const THEMES: Record<string, [string, string]> = {
  light: ['Default Light Modern', 'vs'],
  dark: ['Default Dark Modern', 'vs-dark'],
  'hc-dark': ['Default High Contrast', 'hc-black'],
  'hc-light': ['Default High Contrast Light', 'hc-light'],
};

interface Options {
  notebook: string;
  outDir: string;
  command?: string;
  /** window height in pixels (default 900): taller shows more of a long notebook */
  height?: number;
  themes: string[];
  /** a parameter whose gradient-table row is clicked in the panel after the command */
  select?: string;
  /** how many times to click the panel's Next (phase stepping) before a last picture */
  steps?: number;
  /**
   * page zoom (2 = 200%: the same window, laid out at half the width and height, drawn at twice the
   * pixels)
   */
  zoom: number;
  /** do not click Run All: show the saved outputs as the file brings them */
  noRun?: boolean;
}

function parseArgs(argv: string[]): Options {
  const options: Options = {
    notebook: '',
    outDir: path.join(repoRoot, 'test-results', 'screenshots'),
    themes: ['light', 'dark'],
    zoom: 1,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--out') options.outDir = path.resolve(argv[++i] ?? '');
    else if (arg === '--command') options.command = argv[++i];
    else if (arg === '--select') options.select = argv[++i];
    else if (arg === '--steps') options.steps = Number(argv[++i]);
    else if (arg === '--height') options.height = Number(argv[++i]);
    else if (arg === '--zoom') options.zoom = Number(argv[++i]);
    else if (arg === '--no-run') options.noRun = true;
    else if (arg === '--themes') options.themes = (argv[++i] ?? '').split(',').filter(Boolean);
    else options.notebook = path.resolve(arg);
  }
  if (!options.notebook.endsWith('.bpnb') || !fs.existsSync(options.notebook)) {
    throw new Error(
      'usage: shoot.js <notebook.bpnb> [--out DIR] [--command "TITLE[>>PICK]"] [--themes ' +
        'light,dark]',
    );
  }
  if (!(options.zoom >= 1 && options.zoom <= 4))
    throw new Error('--zoom takes a number from 1 to 4');
  for (const theme of options.themes) {
    if (!(theme in THEMES))
      throw new Error(`unknown theme "${theme}" (known: ${Object.keys(THEMES).join(', ')})`);
  }
  return options;
}

/**
 * How many frames (webviews, output renderers) show a drawing (an svg or canvas), or with
 * `anyText` also any text.
 */
async function countPaintedFrames(page: Page, anyText: boolean): Promise<number> {
  let painted = 0;
  for (const frame of page.frames()) {
    const hasContent = await frame
      .evaluate(
        (text) =>
          document.querySelector('svg, canvas') !== null ||
          (text && (document.body?.innerText ?? '').trim().length > 0),
        anyText,
      )
      .catch(() => false);
    if (hasContent) painted++;
  }
  return painted;
}

/**
 * Waits (up to 20 s) until a command opened a webview that drew something, e.g. the Network panel;
 * then (up to 5 s more) for one that shows any text. Text alone is not enough at first: the panel
 * says that it is waiting for the notebook before its first drawing (example 03's picture caught
 * that line once).
 */
async function waitForNewPaintedFrame(
  page: Page,
  before: { drawn: number; any: number },
): Promise<void> {
  for (let attempt = 0; attempt < 40; attempt++) {
    if ((await countPaintedFrames(page, false)) > before.drawn) return;
    await pause(500);
  }
  for (let attempt = 0; attempt < 10; attempt++) {
    if ((await countPaintedFrames(page, true)) > before.any) return;
    await pause(500);
  }
  console.warn('no new webview content showed after the command; taking the screenshot anyway');
}

/**
 * Picks a color theme through "Preferences: Color Theme". (With an
 * extensionDevelopmentPath the web workbench ignores user settings.)
 */
async function selectTheme(page: Page, theme: string): Promise<void> {
  const [themeName, workbenchClass] = THEMES[theme];
  await runCommand(page, 'Preferences: Color Theme');
  const input = page.locator('.quick-input-widget input.input[placeholder*="Theme"]');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(themeName);
  // "Default High Contrast" is also the start of "Default High Contrast Light": click the exact one
  const row = page
    .locator('.quick-input-list .monaco-list-row')
    .filter({ has: page.getByText(themeName, { exact: true }) })
    .first();
  await row.waitFor({ timeout: 10_000 });
  await row.click();
  await page.locator(`.monaco-workbench.${workbenchClass}`).waitFor({ timeout: 10_000 });
}

async function shootTheme(options: Options, theme: string): Promise<string[]> {
  const name =
    path.basename(options.notebook, '.bpnb') +
    (options.zoom !== 1 ? `-zoom${options.zoom * 100}` : '');
  const server = await startCodeServer();
  const browser = await launchChromium();
  const written: string[] = [];
  let page: Page | undefined;
  try {
    fs.copyFileSync(options.notebook, path.join(server.workspace, path.basename(options.notebook)));
    const zoom = options.zoom;
    page = await browser.newPage({
      viewport: {
        width: Math.round(1440 / zoom),
        height: Math.round((options.height ?? 900) / zoom),
      },
      deviceScaleFactor: zoom,
    });
    await openWorkbench(server, page);
    await waitForExtension(page);
    await selectTheme(page, theme);

    await openNotebook(page, path.basename(options.notebook));

    const runAll = page
      .locator('.notebook-toolbar-container .action-label[aria-label^="Run All"]')
      .first();
    await runAll.waitFor({ timeout: 30_000 });
    if (options.noRun)
      await pause(4_000); // the saved outputs render
    else {
      await runAll.click();
      const ms = await waitForRunAll(page, countCodeCells(options.notebook));
      console.log(`${theme}: Run All finished ${(ms / 1000).toFixed(1)} s after the click`);
    }
    await page.mouse.move(1, 1); // no hover tooltip in the picture
    await pause(2_000); // let the output webview paint
    fs.mkdirSync(options.outDir, { recursive: true });
    const notebookShot = path.join(options.outDir, `${name}-${theme}.png`);
    await page.screenshot({ path: notebookShot });
    written.push(notebookShot);

    if (options.command) {
      const before = {
        drawn: await countPaintedFrames(page, false),
        any: await countPaintedFrames(page, true),
      };
      await runCommand(page, options.command);
      // the palette's row was clicked: the mouse now rests over the tabs, whose tooltip would
      // cover the panel's title at 200% zoom
      await page.mouse.move(1, 1);
      await waitForNewPaintedFrame(page, before);
      await pause(1_000); // let the panel finish drawing
      // a tab's tooltip that showed all the same (1 picture in 32 at 200%) is closed
      const tooltip = page.locator('.workbench-hover').first();
      if (await tooltip.isVisible().catch(() => false)) {
        await page.keyboard.press('Escape');
        await pause(300);
      }
      const commandShot = path.join(options.outDir, `${name}-${theme}-command.png`);
      await page.screenshot({ path: commandShot });
      written.push(commandShot);
      if (options.select) {
        await clickRow(page, options.select);
        await pause(1_500); // the host answers with the derivation; let it paint
        const selectShot = path.join(options.outDir, `${name}-${theme}-select.png`);
        await page.screenshot({ path: selectShot });
        written.push(selectShot);
      }
      if (options.steps) {
        await clickNext(page, options.steps);
        await pause(450); // mid-way: the dot is on its edge
        const stepsShot = path.join(options.outDir, `${name}-${theme}-steps.png`);
        await page.screenshot({ path: stepsShot });
        written.push(stepsShot);
      }
    }
  } catch (err) {
    if (page) {
      fs.mkdirSync(options.outDir, { recursive: true });
      const errorShot = path.join(options.outDir, `${name}-${theme}-error.png`);
      await page.screenshot({ path: errorShot }).catch(() => undefined);
      console.error(`failed; the page at that moment: ${errorShot}`);
    }
    throw err;
  } finally {
    await browser.close().catch(() => undefined);
    await server.stop();
  }
  return written;
}

/** Clicks the gradient-table row of `param` in whichever webview frame draws the panel. */
async function clickRow(page: Page, param: string): Promise<void> {
  for (let attempt = 0; attempt < 20; attempt++) {
    for (const frame of page.frames()) {
      const row = frame.locator('.bp-grad tr').filter({ hasText: param }).first();
      if ((await row.count().catch(() => 0)) > 0) {
        await row.click();
        return;
      }
    }
    await pause(500);
  }
  throw new Error(`no gradient-table row ${param} in the panel`);
}

/** Clicks the panel's Next button (phase stepping) `times` times. */
async function clickNext(page: Page, times: number): Promise<void> {
  for (let attempt = 0; attempt < 20; attempt++) {
    for (const frame of page.frames()) {
      const next = frame.locator('[data-phase="next"]');
      if ((await next.count().catch(() => 0)) === 0) continue;
      for (let n = 0; n < times; n++) await frame.locator('[data-phase="next"]').click();
      return;
    }
    await pause(500);
  }
  throw new Error('no phase stepping button in the panel');
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  for (const theme of options.themes) {
    for (const file of await shootTheme(options, theme)) {
      console.log(`wrote ${path.relative(process.cwd(), file)}`);
    }
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
