import { strict as assert } from 'assert';
import { builtinModules } from 'module';
import * as fs from 'fs';
import * as path from 'path';
import * as esbuild from 'esbuild';

const root = path.resolve(__dirname, '../../../..');
// the web bundles' own options, as `npm run build` uses them
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { webBuilds } = require(path.join(root, 'esbuild.js')) as {
  webBuilds: esbuild.BuildOptions[];
};

const nodeBuiltins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** Modules a bundle's text still loads at run time (require, import, import()). */
function loadsOf(text: string): string[] {
  const found: string[] = [];
  const patterns = [
    /\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g,
    /\bimport\s*\(\s*["'`]([^"'`]+)["'`]\s*\)/g,
    /^\s*import\s[^;]*?from\s*["'`]([^"'`]+)["'`]/gm,
  ];
  for (const pattern of patterns) for (const m of text.matchAll(pattern)) found.push(m[1]);
  return found;
}

/**
 * Node's own globals a bundle uses (Buffer, process, __dirname, setImmediate, …): the web host has
 * none of them. A use guarded by `typeof X` (a fallback chosen at run time) is allowed.
 */
function nodeGlobalsIn(text: string): string[] {
  const pattern = new RegExp(
    String.raw`(typeof\s+)?\b(Buffer|process|__dirname|__filename|setImmediate|` +
      String.raw`clearImmediate)\b(?=\s*[.([])`,
    'g',
  );
  const found = new Set<string>();
  for (const m of text.matchAll(pattern)) {
    const before = text[(m.index ?? 0) - 1];
    if (!m[1] && before !== '.' && before !== '"' && before !== "'") found.add(m[2]);
  }
  return [...found];
}

async function buildInMemory(options: esbuild.BuildOptions) {
  return esbuild.build({
    ...options,
    absWorkingDir: root,
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
}

describe('the web bundle (VS Code for the Web)', function () {
  this.timeout(60_000);

  it('package.json points `browser` at the web bundle, beside `main`', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    assert.equal(pkg.main, './dist/extension.js');
    assert.equal(pkg.browser, './dist/web/extension.js');
    const outfiles = webBuilds.map((b) => b.outfile);
    assert.deepEqual(outfiles, ['dist/web/extension.js', 'dist/web/trainWebWorker.js']);
    assert.ok(webBuilds.every((b) => b.platform === 'browser'));
  });

  for (const options of webBuilds) {
    it(`${options.outfile} loads no Node built-in, only \`vscode\``, async () => {
      const result = await buildInMemory(options);
      assert.equal(result.errors.length, 0);
      const output = result.outputFiles.find((f) => f.path.endsWith('.js'));
      assert.ok(output, 'the bundle was written');
      const loads = loadsOf(output.text);
      assert.deepEqual(
        loads.filter((m) => m !== 'vscode'),
        [],
        `the bundle loads only vscode at run time`,
      );
      assert.deepEqual(nodeGlobalsIn(output.text), [], 'the bundle uses no Node global');
      const bundledInputs = Object.keys(result.metafile.inputs);
      assert.deepEqual(
        bundledInputs.filter(
          (f) =>
            nodeBuiltins.has(f) ||
            /^node:|\/node_modules\/(util|path-browserify|buffer|process)\//.test(f),
        ),
        [],
      );
      for (const [, out] of Object.entries(result.metafile.outputs)) {
        for (const imp of out.imports) {
          assert.ok(imp.path === 'vscode' && imp.external, `${imp.path} is not bundled in`);
        }
      }
    });
  }

  it(
    'the check fails on a bundle that needs Node (a Node import, or a ' + 'require left in)',
    async () => {
      // imports node:worker_threads
      const entry = path.join(root, 'src', 'worker', 'nodeThread.ts');
      await assert.rejects(
        buildInMemory({ ...webBuilds[0], entryPoints: [entry] }),
        /node:worker_threads/,
      );
      assert.deepEqual(loadsOf('var a=require("vscode"),b=require("fs");'), ['vscode', 'fs']);
      assert.deepEqual(loadsOf('await import("node:os")'), ['node:os']);
      const nonce =
        'return Buffer.from(bytes).toString("base64"); x = process.env.A; setImmediate(f)';
      assert.deepEqual(nodeGlobalsIn(nonce), ['Buffer', 'process', 'setImmediate']);
      assert.deepEqual(
        nodeGlobalsIn('typeof setImmediate === "function" ? a : b; x.process(1)'),
        [],
      );
    },
  );
});
