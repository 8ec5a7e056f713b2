/**
 * Every bundled example notebook runs green: each code cell runs, every expect holds and
 * (where a notebook has them) at least one expect is checked. A change to the engine, the
 * language or the runtime that breaks an example fails here.
 */
import { strict as assert } from 'assert';
import { readdirSync, readFileSync } from 'fs';
import { join, resolve } from 'path';
import { Session } from '../../../src/runtime/session';
import { parseNotebookFile, type FileNotebook } from '../../../src/protocol/notebookFile';
import { host } from '../runHost';

const EXAMPLES = resolve(__dirname, '../../../../examples');

function load(name: string): FileNotebook {
  return parseNotebookFile(readFileSync(join(EXAMPLES, name), 'utf8'));
}

const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.bpnb')).sort();

describe('example notebooks', function () {
  this.timeout(60_000);

  it('are all there: the seed network and notebooks 02–06 with solutions', () => {
    for (const prefix of ['01-', '02-', '03-', '04-', '05-', '06-exercises.bpnb', '06-exercises-solutions.bpnb', '07-computation-graphs.bpnb']) {
      assert.ok(files.some((f) => f.startsWith(prefix)), `no example starting with ${prefix}`);
    }
  });

  for (const file of files) {
    it(`${file} runs green end to end`, async () => {
      const nb = load(file);
      const session = new Session();
      let expectations = 0;
      const codeCells = nb.cells.filter((c) => c.kind === 'code');
      assert.ok(codeCells.length > 0, 'has code cells');
      for (const [n, cell] of codeCells.entries()) {
        const run = await session.runCell(cell.source, host);
        const problems = run.problems.map((p) => `line ${p.line}: ${p.message}`).join('; ');
        assert.ok(run.ok, `code cell ${n + 1} of ${file} failed: ${problems || `${run.expectations.failed} expectation(s) did not hold`}\n${cell.source}`);
        assert.equal(run.expectations.failed, 0);
        assert.equal(run.problems.filter((p) => p.severity === 'error').length, 0);
        expectations += run.expectations.total;
      }
      if (file !== '06-exercises.bpnb') assert.ok(expectations >= 5, `${file} checks only ${expectations} expectations`);
    });
  }

  it('every open exercise has a checked answer in the solutions, in the same cell', () => {
    const open = /^#\s*expect\s+(\S+)\s*=\s*\?\?\?/;
    const answer = /^expect\s+(\S+)\s*=\s*(-?[\d.e-]+)/;
    const exercises = load('06-exercises.bpnb').cells;
    const solutions = load('06-exercises-solutions.bpnb').cells;
    assert.equal(exercises.length, solutions.length);
    let count = 0;
    exercises.forEach((cell, n) => {
      const asked = cell.source.split('\n').map((l) => open.exec(l.trim())?.[1]).filter((q): q is string => q !== undefined);
      const answered = solutions[n].source.split('\n').map((l) => answer.exec(l.trim())?.[1]).filter((q): q is string => q !== undefined);
      assert.deepEqual(answered, asked, `cell ${n + 1}`);
      count += asked.length;
    });
    assert.ok(count >= 10, `only ${count} exercises`);
  });
});
