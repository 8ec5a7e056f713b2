import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import {
  ACTIVATION_ALIASES,
  ACTIVATIONS,
  LOSS_ALIASES,
  REDUCTIONS,
  DATASETS,
  INIT_METHODS,
  LOSSES,
  OPTIMISERS,
  EXPRESSION_KEYWORDS,
  TRAIN_OPTIONS,
} from '../../../src/language/vocabulary';
import { STATEMENT_KEYWORDS } from '../../../src/language/ast';
import { GRAMMAR } from '../../../src/language/grammar';
import { EXPRESSION_CONSTANTS, EXPRESSION_FUNCTIONS } from '../../../src/language/expr';
import { GRADIENT_NAMES } from '../../../src/language/quantity';

const root = path.resolve(__dirname, '../../../..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
// the grammar as JSON, as the editor reads it
const grammar = JSON.parse(JSON.stringify(GRAMMAR));
const config = JSON.parse(fs.readFileSync(path.join(root, 'language-configuration.json'), 'utf8'));

/** Every `match` regex of the grammar, compiled as JavaScript (a subset of Oniguruma here). */
function matchers(node: unknown, found: RegExp[] = []): RegExp[] {
  if (Array.isArray(node)) node.forEach((n) => matchers(n, found));
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'match' && typeof value === 'string') found.push(new RegExp(value, 'gmu'));
      else matchers(value, found);
    }
  }
  return found;
}
const all = matchers(grammar);
/** The scope of the first rule (in repository order) that matches the whole word. */
function highlighted(word: string): boolean {
  return all.some((re) => {
    re.lastIndex = 0;
    const m = re.exec(word);
    return m !== null && m[0] === word;
  });
}
function scopeOf(line: string, word: string): string | undefined {
  for (const rule of Object.values(grammar.repository) as {
    match?: string;
    name?: string;
    patterns?: { match: string; name: string }[];
    captures?: Record<string, { name: string }>;
  }[]) {
    for (const r of rule.patterns ?? [rule]) {
      if (!r.match) continue;
      const re = new RegExp(r.match, 'gmu');
      for (let m = re.exec(line); m; m = re.exec(line)) {
        if (m[0] === word || m[1] === word)
          return (
            r.name ?? (r as { captures?: Record<string, { name: string }> }).captures?.['1']?.name
          );
        if (m[0].length === 0) re.lastIndex++;
      }
    }
  }
  return undefined;
}

describe('language/grammar and configuration', () => {
  it('scope name matches the manifest', () =>
    assert.equal(grammar.scopeName, manifest.contributes.grammars[0].scopeName));
  it('the grammar the manifest names is the one built from the vocabulary (npm run build)', () => {
    const built = path.join(root, manifest.contributes.grammars[0].path);
    assert.deepEqual(JSON.parse(fs.readFileSync(built, 'utf8')), grammar);
  });
  it('every regex compiles', () => assert.ok(all.length > 10));
  const words: [string, readonly string[]][] = [
    ['statement keywords', STATEMENT_KEYWORDS],
    ['expression keywords', EXPRESSION_KEYWORDS],
    ['activations', ACTIVATIONS],
    ['losses', LOSSES],
    ['datasets', DATASETS],
    ['optimisers', OPTIMISERS],
    ['init methods', INIT_METHODS],
    ['train options', TRAIN_OPTIONS],
  ];
  for (const [what, list] of words) {
    it(`highlights every one of the ${what}`, () => {
      for (const word of list) assert.ok(highlighted(word), word);
    });
  }
  /** The words of the alternation in the grammar rule named `scope`. */
  function wordsOf(scope: string, group = 'vocabulary'): string[] {
    const rule = (grammar.repository[group].patterns as { match: string; name: string }[]).find(
      (r) => r.name === scope,
    );
    const words = /\(([^()?]+)\)/.exec(rule?.match ?? '');
    assert.ok(words, `no rule ${scope}`);
    return words[1].split('|').sort();
  }
  // the grammar's lists are exactly the engine's records (keywords and aliases)
  it('lists exactly the registered activations and their aliases', () =>
    assert.deepEqual(
      wordsOf('support.function.activation.bpnb'),
      [...ACTIVATIONS, ...Object.keys(ACTIVATION_ALIASES)].sort(),
    ));
  it('lists exactly the registered losses, their aliases and the reductions', () =>
    assert.deepEqual(
      wordsOf('support.function.loss.bpnb'),
      [...LOSSES, ...Object.keys(LOSS_ALIASES), ...REDUCTIONS].sort(),
    ));
  it("lists exactly the expression language's functions and constants", () => {
    assert.deepEqual(
      wordsOf('support.function.math.bpnb', 'function'),
      Object.keys(EXPRESSION_FUNCTIONS).sort(),
    );
    assert.deepEqual(
      wordsOf('constant.language.math.bpnb', 'function'),
      Object.keys(EXPRESSION_CONSTANTS).sort(),
    );
  });
  it('the statement keyword rule lists exactly the keywords', () => {
    const words = /\(([a-z|]+)\)/.exec(grammar.repository.keyword.match)?.[1].split('|');
    assert.deepEqual(words?.sort(), [...STATEMENT_KEYWORDS, ...EXPRESSION_KEYWORDS].sort());
  });
  it('highlights a gradient of E with respect to every name the language differentiates', () => {
    for (const name of GRADIENT_NAMES)
      for (const written of [`dE/d${name}1[2]`, `∂E/∂${name}(12)[2]`])
        assert.equal(scopeOf(`show ${written}`, written), 'variable.other.gradient.bpnb', written);
  });
  const scopes: [string, string, string][] = [
    ['f = exp(x) * y', 'exp', 'support.function.math.bpnb'],
    ['f = exp(x) * y', '*', 'keyword.operator.bpnb'],
    ['w = 2 * pi', 'pi', 'constant.language.math.bpnb'],
    ['activation myswish(z) = z * sigmoid(z)', 'activation', 'keyword.control.statement.bpnb'],
    ["check myswish'(z) = 1", 'check', 'keyword.control.statement.bpnb'],
    ['explain ∂f/∂x', '∂', 'keyword.operator.bpnb'],
    ['w11[1] = 0.15', 'w11[1]', 'variable.other.quantity.bpnb'],
    ['explain dE/dw11[1]', 'dE/dw11[1]', 'variable.other.gradient.bpnb'],
    ['show δ1[3]', 'δ1[3]', 'variable.other.quantity.bpnb'],
    ['forward  # a comment', '# a comment', 'comment.line.number-sign.bpnb'],
    ['network 2 -> 3 sigmoid', 'network', 'keyword.control.statement.bpnb'],
    ['dataset csv "data/p.csv"', '"data/p.csv"', 'string.quoted.double.bpnb'],
  ];
  for (const [line, word, scope] of scopes)
    it(`${word} in "${line}" is ${scope}`, () => assert.equal(scopeOf(line, word), scope));

  it('comments are #, brackets [] and ()', () => {
    assert.equal(config.comments.lineComment, '#');
    assert.deepEqual(config.brackets, [
      ['[', ']'],
      ['(', ')'],
    ]);
    assert.deepEqual(
      config.autoClosingPairs.map((p: { open: string }) => p.open),
      ['[', '(', '"'],
    );
  });
  it('the word pattern takes a whole quantity', () => {
    const re = new RegExp(config.wordPattern, 'u');
    for (const q of ['w11[1]', 'dE/dw(12,3)[2]', '∂E/∂b1[2]', 'δ1[3]', 'leaky-relu'])
      assert.equal(re.exec(q)?.[0], q);
  });
});
