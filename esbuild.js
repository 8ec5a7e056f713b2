// Builds every bundle: the extension host (CommonJS, node, `vscode` external),
// the browser code (notebook renderer as ESM, panel script as IIFE) and the CLI.
// Usage: node esbuild.js [--production] [--watch]
const esbuild = require('esbuild');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
  legalComments: 'none',
};

const builds = [
  // the banner marks when the bundle starts to load, so activation time includes evaluating every module
  {
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    banner: { js: '"use strict";var __bpnbLoadStart = performance.now();' },
  },
  {
    ...common,
    entryPoints: ['src/worker/trainWorker.ts'],
    outfile: 'dist/trainWorker.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  },
  {
    ...common,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  },
  {
    ...common,
    entryPoints: ['src/views/renderer.ts'],
    outfile: 'dist/renderer.js',
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    loader: { '.ttf': 'dataurl', '.woff': 'dataurl', '.woff2': 'dataurl' },
  },
  {
    ...common,
    entryPoints: ['src/views/panel.ts'],
    outfile: 'dist/panel.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
];

async function main() {
  if (watch) {
    const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
    await Promise.all(contexts.map((c) => c.watch()));
    console.log('[esbuild] watching…');
    return;
  }
  await Promise.all(builds.map((b) => esbuild.build(b)));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
