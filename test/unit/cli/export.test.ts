/** `bpnb export`: writes the PyTorch script or notebook, or refuses naming the file line. */
import * as assert from 'assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..', '..');
const BIN = join(ROOT, 'bin', 'bpnb.js');
const EXAMPLE = join(ROOT, 'examples', '01-seed-network.bpnb');

function bpnb(args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8' });
}

describe('bpnb export', function () {
  this.timeout(30_000);
  const dir = mkdtempSync(join(tmpdir(), 'bpnb-export-'));

  it('writes a Python script with the network as nn.Linear layers and its weights', () => {
    const out = join(dir, 'seed.py');
    const r = bpnb(['export', EXAMPLE, '-o', out]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /exported as a Python script/);
    const text = readFileSync(out, 'utf8');
    assert.match(text, /nn\.Linear\(sizes\[k - 1\], sizes\[k\], bias=bias\[k - 1\]\)/);
    assert.match(text, /net\.set_weights\(1, \[\[0\.15, 0\.25, 0\.35\], \[0\.2, 0\.3, 0\.4\]\]\)/);
    assert.match(
      text,
      /expect\("δ1\[3\]", net\.delta\[3\]\[0, 0\]\.item\(\), "=", 0\.1459228069, 1e-9\)/,
    );
  });

  it('writes a Jupyter notebook when -o ends in .ipynb (or with --format ipynb to stdout)', () => {
    const out = join(dir, 'seed.ipynb');
    assert.equal(bpnb(['export', EXAMPLE, '-o', out]).status, 0);
    const nb = JSON.parse(readFileSync(out, 'utf8')) as {
      nbformat: number;
      cells: { cell_type: string }[];
    };
    assert.equal(nb.nbformat, 4);
    const r = bpnb(['export', '--format', 'ipynb', EXAMPLE]);
    assert.equal(r.status, 0);
    assert.deepEqual(JSON.parse(r.stdout), nb);
  });

  it('refuses a line it cannot export, naming the file line, with exit status 1', () => {
    const r = bpnb(['export', join(ROOT, 'test/fixtures/cli/not-exportable.bpnb')]);
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    assert.match(
      r.stderr,
      new RegExp(
        String.raw`not-exportable\.bpnb:20:10: error: cannot export: backward right after update ` +
          String.raw`reuses the forward pass of the old weights; write \x60forward\x60 before ` +
          String.raw`it to export \(cell 2, line 7\)`,
      ),
    );
  });

  it('says what is wrong with its arguments (exit 2)', () => {
    assert.equal(bpnb(['export']).status, 2);
    assert.match(
      bpnb(['export', EXAMPLE, '--format', 'tex']).stderr,
      /unknown export format 'tex'/,
    );
  });
});
