/**
 * Looks at the browser views without VS Code: runs real cells through the runtime Session, writes
 * static pages that load dist/renderer.js and dist/panel.js (with a fake `acquireVsCodeApi` and
 * VS Code-like theme variables), and screenshots them in headless Chromium.
 * Usage: node esbuild.js && npx tsc -p . && node out/scripts/preview/preview.js [outDir]
 */
import * as fs from 'fs';
import * as path from 'path';
import { chromium } from 'playwright-core';
import { Session } from '../../src/runtime/session';
import type { ResultItem } from '../../src/protocol/results';
import { panelPage, panelUpdate, rendererPage } from './pages';

const outDir = path.resolve(process.argv[2] ?? path.join(__dirname, '../../../.preview'));

const host = {
  isCancelled: () => false,
  yieldNow: () => new Promise<void>((r) => setImmediate(r)),
  now: () => performance.now(),
};

async function run(cells: string[]): Promise<{ session: Session; items: ResultItem[][] }> {
  const session = new Session({ maxBytes: 512 * 1024 * 1024 });
  const items: ResultItem[][] = [];
  for (const cell of cells) {
    const r = await session.runCell(cell, host);
    if (!r.ok) throw new Error(`cell failed: ${cell.slice(0, 60)}\n${JSON.stringify(r.problems)}`);
    items.push(r.items);
  }
  return { session, items };
}

const SMALL = [
  'network 2 -> 3 sigmoid -> 1 sigmoid\nbias off\nloss half-squared\nweights [1] = [[0.15, 0.25, ' +
    '0.35], [0.20, 0.30, 0.40]]\nweights [2] = [[0.40], [0.45], [0.50]]\ninput x = [0.05, ' +
    '0.10]\ntarget t = [0.01]',
  'forward\nbackward\nshow network, gradients',
  'explain dE/dw11[1]',
];
const TRAINED = [
  'network 2 -> 6 tanh -> 1 sigmoid\nloss binary-cross-entropy\ninit xavier seed 3\ndataset ' +
    'moons n 120 noise 0.1 seed 2',
  'train epochs 300 lr 0.3 batch full',
  'forward\nbackward\nshow loss curve, boundary',
];

function bigCells(): string[] {
  const x = Array.from({ length: 784 }, (_, i) => (((i * 37) % 101) / 101).toFixed(3)).join(', ');
  const t = Array.from({ length: 10 }, (_, i) => (i === 3 ? 1 : 0)).join(', ');
  return [
    `network 784 -> 128 relu -> 64 relu -> 10 softmax\nloss cross-entropy\ninit he seed 1\ninput ` +
      `x = [${x}]\ntarget t = [${t}]`,
    'forward\nbackward',
  ];
}

async function main(): Promise<void> {
  fs.mkdirSync(outDir, { recursive: true });
  const small = await run(SMALL);
  const trained = await run(TRAINED);
  const big = await run(bigCells());
  const update = panelUpdate;
  const pages: [string, string, { width: number; height: number }][] = [];
  for (const theme of ['light', 'dark'] as const) {
    pages.push([
      `renderer-small-${theme}`,
      rendererPage(theme, small.items.slice(1)),
      { width: 900, height: 1400 },
    ]);
    pages.push([
      `renderer-trained-${theme}`,
      rendererPage(theme, trained.items.slice(1)),
      { width: 900, height: 800 },
    ]);
    pages.push([
      `panel-small-${theme}`,
      panelPage(theme, update(small.session, 'seed.bpnb'), 'w11[1]'),
      { width: 1200, height: 900 },
    ]);
    pages.push([
      `panel-trained-${theme}`,
      panelPage(theme, update(trained.session, 'moons.bpnb'), 'w11[2]'),
      { width: 1200, height: 900 },
    ]);
    pages.push([
      `panel-phase-${theme}`,
      panelPage(theme, update(small.session, 'seed.bpnb'), undefined, 6),
      { width: 1000, height: 560 },
    ]);
    pages.push([
      `panel-large-${theme}`,
      panelPage(theme, update(big.session, 'mnist-shape.bpnb'), 'w(12,3)[2]'),
      { width: 1200, height: 900 },
    ]);
  }
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--allow-file-access-from-files',
    ],
  });
  try {
    for (const [name, html, viewport] of pages) {
      const file = path.join(outDir, `${name}.html`);
      fs.writeFileSync(file, html);
      const p = await browser.newPage({ viewport });
      const errors: string[] = [];
      p.on('pageerror', (e) => errors.push(String(e)));
      p.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      await p.goto('file://' + file);
      await p.waitForFunction(
        () => (window as unknown as { __done?: boolean }).__done === true,
        undefined,
        { timeout: 20000 },
      );
      await p.waitForTimeout(150);
      const drawMs = await p.evaluate(() => (window as unknown as { __drawMs?: number }).__drawMs);
      // thousands of thin anti-aliased edges make a PNG of ~1 MB: the large net is kept as JPEG
      const large = name.includes('large');
      await p.screenshot({
        path: path.join(outDir, `${name}.${large ? 'jpg' : 'png'}`),
        fullPage: false,
        ...(large
          ? { type: 'jpeg' as const, quality: 72, clip: { x: 0, y: 0, width: 760, height: 740 } }
          : {}),
      });
      console.log(
        `${name}: ${drawMs !== undefined ? `drawn in ${drawMs.toFixed(0)} ms` : 'rendered'}` +
          `${errors.length ? `  ERRORS: ${errors.join(' | ')}` : ''}`,
      );
      await p.close();
    }
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
