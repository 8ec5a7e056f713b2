/**
 * The TextMate grammar that colours cell text in the editor. Its word lists (statement keywords,
 * activations, losses, optimisers, datasets, functions) come from the vocabulary, so a new word
 * is highlighted without an edit here. esbuild.js writes it to dist/bpnb.tmLanguage.json, the
 * grammar package.json names.
 */
import { EXPRESSION_CONSTANTS, EXPRESSION_FUNCTIONS } from './expr';
import { STATEMENT_KEYWORDS } from './ast';
import {
  ACTIVATION_ALIASES,
  ACTIVATIONS,
  DATASET_ALIASES,
  DATASETS,
  EXPRESSION_KEYWORDS,
  INIT_METHODS,
  LOSS_ALIASES,
  LOSSES,
  MISTAKES,
  OPTIMISERS,
  REDUCTIONS,
  SHOW_GROUPS,
  TRAIN_OPTIONS,
} from './vocabulary';

/** The words as one regex alternation, longest first (so no word stops at a shorter prefix). */
function alternation(words: readonly string[]): string {
  const escaped = [...new Set(words)].map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return `(${escaped.sort((a, b) => b.length - a.length || (a < b ? -1 : 1)).join('|')})`;
}

/** A whole word of the list: not inside a longer name (names may contain `-`). */
const word = (words: readonly string[]) => `(?<![\\w-])${alternation(words)}(?![\\w-])`;

export const GRAMMAR = {
  $schema: 'https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json',
  name: 'Backprop Notebook',
  scopeName: 'source.bpnb',
  patterns: [
    'comment',
    'string',
    'quantity',
    'keyword',
    'function',
    'vocabulary',
    'option',
    'number',
    'operator',
    'name',
  ].map((rule) => ({ include: `#${rule}` })),
  repository: {
    comment: { match: '#.*$', name: 'comment.line.number-sign.bpnb' },
    string: { match: String.raw`"[^"\n]*"?`, name: 'string.quoted.double.bpnb' },
    quantity: {
      patterns: [
        {
          match: String.raw`(?:(dE/d|∂E/∂)(w|b|z|a|x))(\d+|\([0-9, ]*\))(\[\d*\])?`,
          name: 'variable.other.gradient.bpnb',
          captures: {
            '1': { name: 'keyword.operator.derivative.bpnb' },
            '4': { name: 'constant.numeric.layer.bpnb' },
          },
        },
        {
          match: String.raw`\b(delta|δ|w|b|z|a|d)(\d+|\([0-9, ]*\))(\[\d*\])`,
          name: 'variable.other.quantity.bpnb',
          captures: { '3': { name: 'constant.numeric.layer.bpnb' } },
        },
        {
          match: String.raw`(?<![\w-])δ(\d+|\([0-9, ]*\))(\[\d*\])`,
          name: 'variable.other.quantity.bpnb',
        },
        { match: String.raw`\b(x|t)(\d+|\(\d+\))(?![\w\[])`, name: 'variable.other.quantity.bpnb' },
        { match: String.raw`\bE\b`, name: 'variable.other.loss.bpnb' },
      ],
    },
    keyword: {
      match: `^\\s*${alternation([...STATEMENT_KEYWORDS, ...EXPRESSION_KEYWORDS])}(?![\\w-])`,
      captures: { '1': { name: 'keyword.control.statement.bpnb' } },
    },
    function: {
      patterns: [
        {
          match: `(?<![\\w-])${alternation(Object.keys(EXPRESSION_FUNCTIONS))}(?=\\s*\\()`,
          name: 'support.function.math.bpnb',
        },
        { match: word(Object.keys(EXPRESSION_CONSTANTS)), name: 'constant.language.math.bpnb' },
      ],
    },
    vocabulary: {
      patterns: [
        {
          match: word([...ACTIVATIONS, ...Object.keys(ACTIVATION_ALIASES)]),
          name: 'support.function.activation.bpnb',
        },
        {
          match: word([...LOSSES, ...Object.keys(LOSS_ALIASES), ...REDUCTIONS]),
          name: 'support.function.loss.bpnb',
        },
        { match: word([...OPTIMISERS, ...INIT_METHODS]), name: 'support.function.method.bpnb' },
        {
          match: word([...DATASETS, ...Object.keys(DATASET_ALIASES), 'csv']),
          name: 'support.constant.dataset.bpnb',
        },
        {
          match: word(['on', 'off', 'full', 'online', 'all', ...MISTAKES]),
          name: 'constant.language.bpnb',
        },
        { match: word([...SHOW_GROUPS, 'layer']), name: 'support.type.group.bpnb' },
      ],
    },
    option: {
      // train's options, and the others a statement takes (gradcheck's tol, a dataset's n, …)
      match: word([
        ...TRAIN_OPTIONS,
        ...['η', 'optimizer', 'tol', 'n', 'noise', 'inputs', 'targets', 'header'],
      ]),
      name: 'keyword.other.option.bpnb',
    },
    number: {
      match: String.raw`(?<![\w.])[-−]?(\d+(\.\d+)?|\.\d+)([eE][-+]?\d+)?(?![\w])`,
      name: 'constant.numeric.bpnb',
    },
    operator: {
      match: String.raw`->|→|<=|>=|≤|≥|±|\+-|\*\*|=|<|>|;|,|\*|×|·|÷|/|\^|\+|−|-|∂|′|'`,
      name: 'keyword.operator.bpnb',
    },
    name: { match: String.raw`[A-Za-z_][\w-]*`, name: 'entity.name.bpnb' },
  },
};
