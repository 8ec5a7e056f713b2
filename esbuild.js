// Builds every bundle: the extension host (CommonJS, node, `vscode` external), the web
// extension host (VS Code for the Web: CommonJS for the browser, no Node module), the training
// worker of each, the browser code (notebook renderer as ESM, panel script as IIFE) and the CLI.
// It also writes the TextMate grammar, built from the language's vocabulary (src/language/grammar.ts),
// to dist/bpnb.tmLanguage.json.
// Usage: node esbuild.js [--production] [--watch]   (require('./esbuild.js').webBuilds: the web bundles' options)
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

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

// the banner marks when the bundle starts to load, so activation time includes evaluating every module
const loadStart = { js: '"use strict";var __bpnbLoadStart = performance.now();' };

// platform browser: esbuild refuses to resolve a Node built-in, so none can slip in
const webBuilds = [
  {
    ...common,
    entryPoints: ['src/extensionWeb.ts'],
    outfile: 'dist/web/extension.js',
    platform: 'browser',
    format: 'cjs',
    target: 'es2022',
    external: ['vscode'],
    banner: loadStart,
  },
  {
    ...common,
    entryPoints: ['src/worker/trainWebWorker.ts'],
    outfile: 'dist/web/trainWebWorker.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
];

/**
 * KaTeX's stylesheet with its woff2 fonts as files, dist/katex/katex.css and
 * dist/katex/fonts/*.woff2, which the renderer and the panel load by a URL beside their script
 * (src/views/derivation.ts). Files, not data: URLs: the notebook webview's CSP (setting
 * notebook.experimental.enableCsp) has `font-src 'self' https:`. Every browser VS Code runs in
 * reads woff2, so the woff and ttf sources are left out of the @font-face rules.
 */
const katexBuild = {
  ...common,
  sourcemap: false,
  entryPoints: [require.resolve('katex/dist/katex.css')],
  outfile: 'dist/katex/katex.css',
  loader: { '.woff2': 'file' },
  assetNames: 'fonts/[name]',
  plugins: [
    {
      name: 'woff2-only',
      setup(build) {
        build.onLoad({ filter: /katex\.css$/ }, (args) => ({
          contents: fs
            .readFileSync(args.path, 'utf8')
            .replace(/, url\([^)]*\.(woff|ttf)\) format\("(woff|truetype)"\)/g, ''),
          loader: 'css',
        }));
      },
    },
  ],
};

const builds = [
  {
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    banner: loadStart,
  },
  ...webBuilds,
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
    // the stylesheet's address: dist/katex/katex.css beside this bundle (see KATEX_CSS)
    define: { BPNB_SCRIPT_URL: 'import.meta.url' },
  },
  katexBuild,
  {
    ...common,
    entryPoints: ['src/views/panel.ts'],
    outfile: 'dist/panel.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
];

/** dist/bpnb.tmLanguage.json: the GRAMMAR of src/language/grammar.ts, bundled and evaluated here. */
function writeGrammar() {
  const [bundle] = esbuild.buildSync({
    entryPoints: ['src/language/grammar.ts'],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    write: false,
  }).outputFiles;
  const mod = { exports: {} };
  new Function('module', 'exports', bundle.text)(mod, mod.exports);
  fs.mkdirSync('dist', { recursive: true });
  fs.writeFileSync(
    path.join('dist', 'bpnb.tmLanguage.json'),
    JSON.stringify(mod.exports.GRAMMAR, null, 2) + '\n',
  );
}

async function main() {
  writeGrammar();
  if (watch) {
    const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
    await Promise.all(contexts.map((c) => c.watch()));
    console.log('[esbuild] watching…');
    return;
  }
  await Promise.all(builds.map((b) => esbuild.build(b)));
}

module.exports = { webBuilds };

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
