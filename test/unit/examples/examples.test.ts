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
import { parse, type Statement } from '../../../src/language';
import { host } from '../runHost';

const EXAMPLES = resolve(__dirname, '../../../../examples');

function load(name: string): FileNotebook {
  return parseNotebookFile(readFileSync(join(EXAMPLES, name), 'utf8'));
}

const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.bpnb')).sort();

describe('example notebooks', function () {
  this.timeout(60_000);

  it('are all there: the seed network and notebooks 02–06 with solutions', () => {
    const prefixes = ['01-', '02-', '03-', '04-', '05-', '06-exercises.bpnb'];
    prefixes.push('06-exercises-solutions.bpnb', '07-computation-graphs.bpnb');
    for (const prefix of prefixes) {
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
        assert.ok(run.ok, `code cell ${n + 1} of ${file} failed: ` +
`${problems || `${run.expectations.failed} expectation(s) did not hold`}\n` +
`${cell.source}`);
        assert.equal(run.expectations.failed, 0);
        assert.equal(run.problems.filter((p) => p.severity === 'error').length, 0);
        expectations += run.expectations.total;
      }
      if (file !== '06-exercises.bpnb') assert.ok(expectations >= 5, `${file} checks only ` +
`${expectations} expectations`);
    });
  }

  it('every open exercise has a checked answer in the solutions, in the same cell', () => {
    // what a statement asks: an expect of a network quantity or of an expression, or a check of a
    // derivative
    const asks = (s: Statement): string[] =>
      s.kind === 'expect'
        ? [`expect ${s.quantity.text}`]
        : s.kind === 'expectExpr'
          ? [`expectExpr ${s.ref.text}`]
          : s.kind === 'checkDerivative'
            ? [`checkDerivative ${s.name.text}/${s.param.text}`]
            : [];
    const asked = (source: string): string[] =>
      source
        .split('\n')
        .map((l) => /^#\s*(.*\?\?\?.*)$/.exec(l.trim())?.[1])
        .filter((l): l is string => l !== undefined)
        .flatMap((l) => parse(l.replace('???', '0')).statements.flatMap(asks));
    const exercises = load('06-exercises.bpnb').cells;
    const solutions = load('06-exercises-solutions.bpnb').cells;
    assert.equal(exercises.length, solutions.length);
    let count = 0;
    const kinds = new Set<string>();
    exercises.forEach((cell, n) => {
      const open = asked(cell.source);
      const answered = parse(solutions[n].source).statements.flatMap(asks);
      assert.deepEqual(answered, open, `cell ${n + 1}`);
      count += open.length;
      for (const q of open) kinds.add(q.split(' ')[0]);
    });
    assert.ok(count >= 20, `only ${count} exercises`);
    // exercises on networks, on computation graphs and on derivatives worked out by hand
    assert.deepEqual([...kinds].sort(), ['checkDerivative', 'expect', 'expectExpr']);
  });
});
