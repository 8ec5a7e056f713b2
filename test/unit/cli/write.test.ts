/**
 * The `--write` path on its own (src/cli/write.ts): a planted link at the temporary name is never
 * followed, the temporary file is created exclusively, the original's mode is kept, temporary files
 * of a killed run are cleaned up, and a file that changed during the run is not overwritten.
 */
import * as assert from 'assert/strict';
import {
  chmodSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  WriteError,
  removeStaleTemporaries,
  temporaryName,
  writeFileAtomically,
} from '../../../src/cli/write';

describe('cli: write path', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bpnb-write-'));
    path = join(dir, 'notebook.bpnb');
    writeFileSync(path, 'old\n');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it(
    "never follows a link planted at the temporary name (the old scheme's names, this pid " +
      'and others)',
    () => {
      const victim = join(dir, 'victim.txt');
      writeFileSync(victim, 'precious\n');
      chmodSync(victim, 0o600);
      for (let pid = process.pid - 3; pid <= process.pid + 3; pid++)
        symlinkSync(victim, join(dir, `.notebook.bpnb.${pid}.tmp`));
      writeFileAtomically(path, 'new\n');
      assert.equal(readFileSync(victim, 'utf8'), 'precious\n');
      assert.equal(statSync(victim).mode & 0o777, 0o600);
      assert.ok(lstatSync(path).isFile(), 'the notebook is a regular file, not a link');
      assert.equal(readFileSync(path, 'utf8'), 'new\n');
    },
  );

  it(
    'creates the temporary file exclusively: a link already at its name makes the write fail, ' +
      'untouched',
    () => {
      const victim = join(dir, 'victim.txt');
      writeFileSync(victim, 'precious\n');
      const planted = '.notebook.bpnb.planted.tmp';
      symlinkSync(victim, join(dir, planted));
      assert.throws(() => writeFileAtomically(path, 'new\n', undefined, () => planted), /EEXIST/);
      assert.equal(readFileSync(victim, 'utf8'), 'precious\n');
      assert.equal(readFileSync(path, 'utf8'), 'old\n');
      assert.ok(lstatSync(join(dir, planted)).isSymbolicLink(), 'the planted link is left alone');
    },
  );

  it('temporary names are unpredictable (96 random bits) and carry the pid', () => {
    const a = temporaryName('x.bpnb');
    const b = temporaryName('x.bpnb');
    assert.notEqual(a, b);
    assert.match(a, new RegExp(`^\\.x\\.bpnb\\.${process.pid}\\.[0-9a-f]{24}\\.tmp$`));
  });

  it(
    "keeps the original's mode; a hard link keeps the old text (the file is replaced, not " +
      'rewritten)',
    () => {
      chmodSync(path, 0o640);
      const other = join(dir, 'hardlink.bpnb');
      linkSync(path, other);
      writeFileAtomically(path, 'new\n');
      assert.equal(statSync(path).mode & 0o7777, 0o640);
      assert.equal(readFileSync(path, 'utf8'), 'new\n');
      assert.equal(readFileSync(other, 'utf8'), 'old\n');
      assert.deepEqual(readdirSync(dir).sort(), ['hardlink.bpnb', 'notebook.bpnb']);
    },
  );

  it(
    'a symbolic link named as the notebook is followed: the file it points at is replaced, the ' +
      'link stays',
    () => {
      const link = join(dir, 'link.bpnb');
      symlinkSync(path, link);
      writeFileAtomically(link, 'new\n');
      assert.ok(lstatSync(link).isSymbolicLink());
      assert.equal(readFileSync(path, 'utf8'), 'new\n');
    },
  );

  it(
    'removes the temporary files a killed run left (dead pid), keeps those of a live writer and ' +
      'other names',
    () => {
      const dead = 2 ** 22 + 12345; // above Linux's pid_max default: no such process
      const stale = [
        `.notebook.bpnb.${dead}.${'a'.repeat(24)}.tmp`,
        `.notebook.bpnb.${dead}.${'b'.repeat(24)}.tmp`,
      ];
      for (const name of stale) writeFileSync(join(dir, name), 'half written');
      const live = `.notebook.bpnb.${process.pid}.${'c'.repeat(24)}.tmp`;
      const unrelated = `.other.bpnb.${dead}.${'d'.repeat(24)}.tmp`;
      writeFileSync(join(dir, live), 'being written');
      writeFileSync(join(dir, unrelated), 'not ours');
      writeFileAtomically(path, 'new\n');
      for (const name of stale) assert.ok(!existsSync(join(dir, name)), `${name} removed`);
      assert.ok(existsSync(join(dir, live)));
      assert.ok(existsSync(join(dir, unrelated)));
      assert.equal(removeStaleTemporaries(dir, 'notebook.bpnb'), 0);
    },
  );

  it('a file that changed since it was read is not overwritten: the text goes beside it', () => {
    const read = readFileSync(path);
    writeFileSync(path, 'old\nan edit made during the run\n');
    let error: unknown;
    try {
      writeFileAtomically(path, 'new\n', read);
    } catch (e) {
      error = e;
    }
    assert.ok(error instanceof WriteError, String(error));
    assert.match(error.message, /changed on disk while it ran, so it was not overwritten/);
    assert.equal(readFileSync(path, 'utf8'), 'old\nan edit made during the run\n');
    assert.ok(error.besidePath && readFileSync(error.besidePath, 'utf8') === 'new\n');
    assert.match(error.besidePath, /notebook\.outputs-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.bpnb$/);
    assert.equal(readdirSync(dir).length, 2, 'no temporary file left');
  });

  it('the same bytes as read: replaced', () => {
    writeFileAtomically(path, 'new\n', readFileSync(path));
    assert.equal(readFileSync(path, 'utf8'), 'new\n');
  });
});
