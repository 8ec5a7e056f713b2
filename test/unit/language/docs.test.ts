import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { DIAGNOSTIC_CODES } from '../../../src/language/diagnostics';
import { parse } from '../../../src/language/parser';
import { SEED_MAX } from '../../../src/language/vocabulary';
import { KEYWORD_KINDS, STATEMENT_KEYWORDS } from '../../../src/language/ast';
import { EXPRESSION_KINDS } from '../../../src/language/exprValidate';
import { ACTIVATION_LIST, type ActivationDef } from '../../../src/engine/activations';
import { LOSS_LIST, type LossDef } from '../../../src/engine/losses';
import { INTERNAL_CODE, RUN_CODES } from '../../../src/runtime/errors';
import { Session } from '../../../src/runtime/session';
import { EXPLAIN_PATHS } from '../../../src/runtime/expressionRunner';
import { runOk } from '../runHost';

const doc = fs.readFileSync(path.resolve(__dirname, '../../../../docs/language.md'), 'utf8');
const examples = [...doc.matchAll(/```bpnb\n([\s\S]*?)```/g)].map((m) => m[1]);

/** The rows of the markdown table whose header line is `header`, up to the first non-table line. */
function tableRows(header: string): string[] {
  const lines = doc.split('\n');
  const at = lines.indexOf(header);
  assert.ok(at >= 0, `no table headed ${header}`);
  const rows: string[] = [];
  for (let i = at + 2; i < lines.length && lines[i].startsWith('|'); i++) rows.push(lines[i]);
  return rows;
}

const code = (words: readonly string[]) => words.map((w) => `\`${w}\``).join(', ');

/**
 * The docs line of an activation, from its record (the failure message shows the line to write).
 */
function activationRow(d: ActivationDef): string {
  const p = d.parameter;
  const what = p ? `${d.label}; ${p.name} = ${p.default} when not written` : d.label;
  const keyword = p ? `${d.kind}(${p.name})` : d.kind;
  return `| \`${keyword}\` | ${code(d.aliases)} | ${d.formula.g} | ${d.formula.slope} | ${what} |`;
}

function lossRow(d: LossDef): string {
  return `| \`${d.kind}\` | ${d.label} | ${d.requires ? code([d.requires]) : ''} |`;
}

describe('language/docs', () => {
  it('the table of activations is the engine’s records, one line each, in order', () =>
    assert.deepEqual(
      tableRows('| activation | also written | g(z) | g′(z) | what |'),
      ACTIVATION_LIST.map(activationRow),
    ));
  it('the table of losses is the engine’s records, one line each, in order', () =>
    assert.deepEqual(tableRows('| loss | E of one row | needs output |'), LOSS_LIST.map(lossRow)));
  it('has examples', () => assert.ok(examples.length >= 20));
  it(
    'the opening example is a whole cell: it runs, and its expect holds (the seed’s hand ' +
      'derivation)',
    async () => {
      const run = await runOk(new Session(), examples[0]);
      const expects = run.items.filter((i) => i.kind === 'expect');
      assert.equal(expects.length, 1);
      assert.ok(expects.every((e) => e.kind === 'expect' && e.pass));
    },
  );
  examples.forEach((example, i) => {
    it(`example ${i + 1} parses cleanly: ${example.split('\n')[0]}`, () => {
      assert.deepEqual(
        parse(example).diagnostics.map((d) => d.code),
        [],
      );
    });
  });
  it(
    'the examples of Computation graphs run in order as one notebook, and every expect and ' +
      'check holds',
    async () => {
      const section = doc.split('## Computation graphs')[1].split('\n## ')[0];
      const cells = [...section.matchAll(/```bpnb\n([\s\S]*?)```/g)].map((m) => m[1]);
      const s = new Session();
      let expectations = 0;
      for (const cell of cells) expectations += (await runOk(s, cell)).expectations.total;
      assert.ok(
        cells.length >= 9 && expectations >= 4,
        `${cells.length} cells, ${expectations} expectations`,
      );
    },
  );
  it('every statement keyword has an example', () => {
    const used = new Set(examples.flatMap((e) => parse(e).statements.map((s) => s.kind)));
    const kinds = STATEMENT_KEYWORDS.map((k) => KEYWORD_KINDS[k]);
    for (const kind of [...kinds, 'assign' as const]) assert.ok(used.has(kind), kind);
  });
  it('every computation-graph statement has an example', () => {
    const used = new Set<string>(examples.flatMap((e) => parse(e).statements.map((s) => s.kind)));
    for (const kind of EXPRESSION_KINDS) assert.ok(used.has(kind), kind);
  });
  it('states the range of a seed, the generator’s 32 bits (SEED_MAX)', () =>
    assert.ok(doc.includes(`A seed is a whole number from 0 to ${SEED_MAX}`)));
  it('every diagnostic code, run-time code and the internal error is listed', () => {
    for (const code of [...DIAGNOSTIC_CODES, ...Object.keys(RUN_CODES), INTERNAL_CODE])
      assert.ok(doc.includes(`| ${code} |`), code);
  });
  it('explain’s limit on the paths it writes out is the runtime’s', () => {
    const { paths, edges } = EXPLAIN_PATHS;
    assert.ok(doc.includes(`at most ${paths} paths of at most ${edges} edges`));
  });
});
