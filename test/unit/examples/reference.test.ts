/**
 * The examples' `expect` values against the independent oracle: scripts/examples/expected.py
 * recomputes every expected quantity with the plain numpy implementation in reference.py
 * (never the engine), run with Debian's /usr/bin/python3 and python3-numpy (.ci/run installs it).
 * An `=` line must carry the reference value to its 10 printed digits; an inequality must hold
 * for the reference value. The notebooks are the source: edit one, and this says whether its
 * numbers still agree with numpy.
 */
import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import { existsSync, readdirSync, readFileSync } from 'fs';
import { join, resolve } from 'path';
import { parse, type Comparison, type ExpectStatement } from '../../../src/language';
import { parseNotebookFile } from '../../../src/protocol/notebookFile';

const ROOT = resolve(__dirname, '../../../..');
const EXAMPLES = join(ROOT, 'examples');
const PYTHON = '/usr/bin/python3';

function referenceValues(): Record<string, [string, number][]> {
  assert.ok(existsSync(PYTHON), `${PYTHON} is missing: install python3 and python3-numpy`);
  const run = spawnSync(PYTHON, ['-B', join(ROOT, 'scripts/examples/expected.py')], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (/No module named 'numpy'/.test(run.stderr))
    assert.fail(`numpy is missing for ${PYTHON}: apt-get install -y python3-numpy`);
  assert.equal(run.status, 0, `expected.py failed:\n${run.stderr}`);
  return JSON.parse(run.stdout);
}

/** Every expect line, of a network quantity or of an expression (`expect ∂f/∂x = -4`), in order. */
function expectsOf(file: string): Pick<ExpectStatement, 'comparison' | 'value' | 'quantity'>[] {
  const nb = parseNotebookFile(readFileSync(join(EXAMPLES, file), 'utf8'));
  return nb.cells
    .filter((c) => c.kind === 'code')
    .flatMap((c) => parse(c.source).program.statements)
    .flatMap((s) =>
      s.kind === 'expect'
        ? [s]
        : s.kind === 'expectExpr'
          ? [{ comparison: s.comparison, value: s.expected, quantity: { text: s.ref.text } }]
          : [],
    ) as Pick<ExpectStatement, 'comparison' | 'value' | 'quantity'>[];
}

const holds: Record<Exclude<Comparison, '='>, (ref: number, v: number) => boolean> = {
  '<': (ref, v) => ref < v,
  '<=': (ref, v) => ref <= v,
  '>': (ref, v) => ref > v,
  '>=': (ref, v) => ref >= v,
};

describe('example notebooks against the numpy reference ' +
'(scripts/examples/reference.py)', function () {
  this.timeout(120_000);
  let reference: Record<string, [string, number][]>;
  before(() => {
    reference = referenceValues();
  });

  const files = readdirSync(EXAMPLES)
    .filter((f) => f.endsWith('.bpnb'))
    .sort();
  it('has reference values for every example, and every example is there', () => {
    assert.deepEqual(Object.keys(reference).sort(), files);
  });

  for (const file of files) {
    it(`${file}: every expect agrees with the reference`, () => {
      const expects = expectsOf(file);
      const values = reference[file] ?? [];
      assert.deepEqual(
        expects.map((e) => e.quantity.text),
        values.map(([q]) => q),
        'the quantities of the expect lines, in order, against expected.py',
      );
      expects.forEach((e, n) => {
        const ref = values[n][1];
        const where = `expect #${n + 1} (${e.quantity.text} ${e.comparison} ${e.value}), ` +
`reference ${ref}`;
        if (e.comparison === '=')
          assert.ok(Math.abs(e.value - ref) <= 1e-9 * Math.abs(ref) + 1e-15, where);
        else assert.ok(holds[e.comparison](ref, e.value), where);
      });
    });
  }
});
