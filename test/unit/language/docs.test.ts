import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { DIAGNOSTIC_CODES } from '../../../src/language/diagnostics';
import { parse } from '../../../src/language/parser';
import { STATEMENT_KEYWORDS } from '../../../src/language/vocabulary';

const doc = fs.readFileSync(path.resolve(__dirname, '../../../../docs/language.md'), 'utf8');
const examples = [...doc.matchAll(/```bpnb\n([\s\S]*?)```/g)].map((m) => m[1]);

describe('language/docs', () => {
  it('has examples', () => assert.ok(examples.length >= 20));
  examples.forEach((example, i) => {
    it(`example ${i + 1} parses cleanly: ${example.split('\n')[0]}`, () => {
      assert.deepEqual(
        parse(example).diagnostics.map((d) => d.code),
        [],
      );
    });
  });
  it('every statement keyword has an example', () => {
    const used = new Set(examples.flatMap((e) => parse(e).statements.map((s) => s.kind)));
    const kinds = STATEMENT_KEYWORDS.map((k) => (k === 'unfreeze' ? 'freeze' : k));
    for (const kind of [...kinds, 'assign']) assert.ok(used.has(kind as never), kind);
  });
  it('every diagnostic code is listed', () => {
    for (const code of DIAGNOSTIC_CODES.filter((c) => c !== 'BPNB900'))
      assert.ok(doc.includes(`| ${code} |`), code);
  });
});
