/**
 * Static checks over the sources: no eval or Function constructor, no innerHTML,
 * no Math.random in the pure layers, every webview page with exactly one strict CSP, and Workspace
 * Trust declared and decided in one pure function.
 */
import * as assert from 'assert/strict';
import { readdirSync, readFileSync, statSync } from 'fs';
import { join, relative } from 'path';
import { contentSecurityPolicy, panelHtml } from '../../../src/panel/html';
import { RESTRICTED_RUN_MESSAGE, trustDecision } from '../../../src/notebook/trust';
import { figures } from './figures';

const ROOT = join(__dirname, '..', '..', '..', '..');
const SRC = join(ROOT, 'src');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/**
 * The code of a file without comments and string contents (so a comment mentioning eval is fine).
 */
function code(path: string): string {
  return readFileSync(path, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:\\])\/\/.*$/gm, '$1')
    .replace(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"/g, "''");
}

describe('static checks of the sources', () => {
  const files = sources(SRC);
  const rel = (p: string) => relative(ROOT, p).split('\\').join('/');

  it('finds the sources', () => assert.ok(files.length > 40, `${files.length} files`));

  it('no eval, new Function, setTimeout with a string, or document.write', () => {
    const bad = files.filter((f) =>
      new RegExp(
        String.raw`(^|[^.\w])eval\s*\(|new\s+Function\s*\(|\bFunction\s*\(\s*['"\x60]|` +
          String.raw`setTimeout\s*\(\s*['"\x60]|document\.write`,
      ).test(code(f)),
    );
    assert.deepEqual(bad.map(rel), []);
    figures.record(
      'static: source files checked for eval/new Function',
      files.length,
      files.length - bad.length,
    );
  });

  it('no innerHTML, outerHTML or insertAdjacentHTML; KaTeX builds its own nodes, untrusted', () => {
    const uses = files.flatMap((f) =>
      (code(f).match(/\.(inner|outer)HTML\s*=|insertAdjacentHTML/g) ?? []).map(() => rel(f)),
    );
    assert.deepEqual(uses, []);
    assert.match(
      readFileSync(join(SRC, 'views', 'derivation.ts'), 'utf8'),
      /katex\.render\([^)]*trust: false/,
    );
  });

  it("the views write no rule in the seed's notation: the runtime's phases and trace do", () => {
    // a name with a letter for its index (`zj[2]`, `wij[k]`, `δi[`), or g'( / g(z: the words of a
    // rule, which the runtime writes (src/runtime/phases.ts, trace.ts) and the views only draw
    const rule = /(?<![\w])(?:[zaδwbtx][ijkq]{1,2}\[|g'\(|g\(z)/u;
    const views = files.filter((f) => /[\\/]src[\\/]views[\\/]/.test(f));
    assert.ok(views.length > 20);
    const withoutComments = (f: string) =>
      readFileSync(f, 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/(^|[^:\\])\/\/.*$/gm, '$1');
    assert.deepEqual(views.filter((f) => rule.test(withoutComments(f))).map(rel), []);
    assert.ok(rule.test("`δj[${n}] = ∂E/∂aj[${n}] · g'(zj[${n}])`"), 'the check finds a rule');
  });

  it('no Math.random in the pure layers', () => {
    const pure = files.filter((f) =>
      /[\\/]src[\\/](engine|language|runtime|protocol)[\\/]/.test(f),
    );
    assert.ok(pure.length > 20);
    assert.deepEqual(pure.filter((f) => /Math\.random/.test(code(f))).map(rel), []);
  });

  it('every webview HTML page is made by panel/html.ts', () => {
    const makers = files.filter(
      (f) =>
        /Content-Security-Policy/i.test(readFileSync(f, 'utf8')) ||
        /webview\.html\s*=/.test(code(f)),
    );
    assert.deepEqual(makers.map(rel).sort(), ['src/panel/html.ts', 'src/panel/networkPanel.ts']);
    assert.match(
      readFileSync(join(SRC, 'panel', 'networkPanel.ts'), 'utf8'),
      /webview\.html = this\.html\(\)/,
    );
  });

  it('the panel page has exactly one strict CSP and only nonce scripts', () => {
    const hostile = ['vscode-webview://abc', '"><script>alert(1)</script>'];
    for (const cspSource of hostile) {
      const nonce = 'n0nceABCDEFGHIJ12345678';
      const html = panelHtml({
        cspSource,
        nonce,
        scriptUri: 'https://file+.vscode-resource/x.js',
        styleUri: 'https://file+.vscode-resource/x.css',
      });
      const metas = html.match(/<meta[^>]+http-equiv="Content-Security-Policy"[^>]*>/gi) ?? [];
      assert.equal(metas.length, 1);
      const csp = contentSecurityPolicy(cspSource, nonce);
      assert.match(csp, /^default-src 'none';/);
      assert.doesNotMatch(csp, /unsafe-eval/);
      assert.doesNotMatch(/script-src[^;]*/.exec(csp)![0], /unsafe-inline/);
      assert.match(csp, new RegExp(`script-src[^;]*'nonce-${nonce}'`));
      const scripts = html.match(/<script\b[^>]*>/gi) ?? [];
      assert.ok(scripts.length >= 1);
      for (const s of scripts) assert.match(s, new RegExp(`nonce="${nonce}"`));
      assert.doesNotMatch(html, /<script>alert/, 'the CSP source is escaped');
      assert.doesNotMatch(html, /\son\w+\s*=/i, 'no inline event handlers');
    }
  });
});

describe('Workspace Trust', () => {
  it('package.json declares limited support with a description', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.match(pkg.capabilities.untrustedWorkspaces.description, /Restricted Mode/);
  });

  it('Restricted Mode opens and edits but neither runs cells nor reads data files', () => {
    for (const action of ['open', 'edit', 'run', 'readDataFile'] as const)
      assert.deepEqual(trustDecision(action, true), { allowed: true });
    assert.deepEqual(trustDecision('open', false), { allowed: true });
    assert.deepEqual(trustDecision('edit', false), { allowed: true });
    assert.deepEqual(trustDecision('run', false), {
      allowed: false,
      reason: RESTRICTED_RUN_MESSAGE,
    });
    const read = trustDecision('readDataFile', false);
    assert.ok(!read.allowed && /Restricted Mode/.test(read.reason));
  });

  it('the controller and the file reader ask trustDecision before running or reading', () => {
    const controller = code(join(SRC, 'notebook', 'controller.ts'));
    const execute = controller.slice(controller.indexOf('private async execute'));
    assert.ok(
      execute.indexOf("trustDecision('', vscode.workspace.isTrusted)") >= 0 ||
        /trustDecision\(''/.test(execute),
    );
    assert.ok(
      execute.indexOf('trustDecision') < execute.indexOf('this.runCell('),
      'checked before any cell runs',
    );
    const files = code(join(SRC, 'notebook', 'files.ts'));
    assert.ok(
      files.indexOf('trustDecision') >= 0 &&
        files.indexOf('trustDecision') < files.indexOf('readFile('),
    );
  });
});
