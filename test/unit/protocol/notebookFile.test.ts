import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import {
  FileCell,
  FileNotebook,
  FileOutput,
  MAX_DEPTH,
  NotebookFileError,
  canonicalSource,
  decodeNotebookBytes,
  parseNotebookFile,
  printNotebookFile,
} from '../../../src/protocol/notebookFile';

export const GOLDEN_DIR = path.join(
  __dirname,
  '..',
  '..',
  '..',
  '..',
  'test',
  'fixtures',
  'golden',
);
const goldenPath = (name: string) =>
  fs.existsSync(path.join(GOLDEN_DIR, name))
    ? path.join(GOLDEN_DIR, name)
    : path.join(process.cwd(), 'test', 'fixtures', 'golden', name);
const golden = (name: string) => fs.readFileSync(goldenPath(name), 'utf8');

/** A small valid file; each refusal case changes one thing in it. */
const BASE = `{
  "format": "backprop-notebook",
  "version": "1.0",
  "metadata": {
    "title": "t"
  },
  "cells": [
    {
      "id": "c1",
      "kind": "code",
      "language": "bpnb",
      "source": [
        "forward",
        "backward"
      ],
      "execution": {
        "order": 1,
        "success": true,
        "durationMs": 4
      },
      "outputs": [
        {
          "items": [
            {
              "mime": "text/plain",
              "data": "done"
            },
            {
              "mime": "application/json",
              "data": {
                "loss": 0.25
              }
            }
          ]
        }
      ]
    }
  ]
}
`;

function replaced(from: string, to: string): string {
  assert.ok(BASE.includes(from), `test setup: BASE lacks ${from}`);
  return BASE.replace(from, to);
}

function refusal(text: string): NotebookFileError {
  try {
    parseNotebookFile(text);
  } catch (e) {
    assert.ok(e instanceof NotebookFileError, `expected NotebookFileError, got ${String(e)}`);
    return e;
  }
  assert.fail('the file was accepted');
}

describe('bpnb file format: refusals name what is wrong and where', () => {
  // [what, text, message fragment, line, field]
  const cases: [string, string, string, number, string | undefined][] = [
    ['truncated mid-file', BASE.slice(0, 200), 'ends too early (truncated?)', 13, undefined],
    [
      'truncated inside a string',
      BASE.slice(0, BASE.indexOf('backward') + 3),
      'ends too early',
      14,
      undefined,
    ],
    [
      'truncated before the last brace',
      BASE.slice(0, BASE.lastIndexOf('}')),
      'ends too early',
      39,
      undefined,
    ],
    [
      'missing comma',
      replaced('"forward",', '"forward"'),
      "expected ',' or ']' but found '\"'",
      14,
      undefined,
    ],
    [
      'trailing comma',
      replaced('"backward"\n', '"backward",\n'),
      "unexpected ']' where a value should be",
      15,
      undefined,
    ],
    ['bare word', replaced('true', 'yes'), "unexpected 'y'", 18, undefined],
    [
      'line break inside a string',
      replaced('"done"', '"do\nne"'),
      'U+000A inside a string',
      26,
      undefined,
    ],
    ['text after the end', BASE + 'x', "unexpected 'x' after the end", 40, undefined],
    [
      'HTML document',
      '<!DOCTYPE html>\n<html><body>Not found</body></html>\n',
      'looks like HTML',
      1,
      undefined,
    ],
    ['UTF-16 without BOM', '{\u0000"\u0000', 'NUL characters', 1, undefined],
    [
      'merge conflict markers',
      replaced(
        '      "source": [',
        '<<<<<<< HEAD\n      "source": [\n=======\n      "source": ["x"],\n>>>>>>> theirs\n      ' +
          '"source": [',
      ),
      'merge-conflict markers (line 12)',
      12,
      undefined,
    ],
    [
      'diff3 base marker',
      replaced('"kind"', '\n||||||| base\n"kind"'),
      'merge-conflict markers (line 11)',
      11,
      undefined,
    ],
    ['top level is a list', '[1, 2]', 'the top level must be a JSON object', 1, '(top level)'],
    [
      'wrong format name',
      replaced('"backprop-notebook"', '"jupyter"'),
      'field format must be "backprop-notebook"',
      2,
      'format',
    ],
    [
      'format missing',
      replaced('  "format": "backprop-notebook",\n', ''),
      'field format must be',
      1,
      'format',
    ],
    [
      'version not a string',
      replaced('"1.0"', '1.0'),
      'field version must be a string like "1.0"',
      3,
      'version',
    ],
    ['version malformed', replaced('"1.0"', '"one"'), 'field version must be', 3, 'version'],
    [
      'newer major version',
      replaced('"1.0"', '"2.0"'),
      'written in format 2.0 (line 3, field version), newer than this extension reads (1.x)',
      3,
      'version',
    ],
    ['major version 0', replaced('"1.0"', '"0.9"'), 'unknown major version', 3, 'version'],
    [
      'metadata a list',
      replaced('{\n    "title": "t"\n  }', '[]'),
      'field metadata must be an object',
      4,
      'metadata',
    ],
    ['cells missing', replaced('"cells"', '"cellz"'), 'field cells must be an array', 1, 'cells'],
    [
      'cells an object',
      replaced('"cells": [', '"cells": {"a": ').replace(/\]\n}\n$/, '}\n}\n'),
      'field cells must be an array',
      7,
      'cells',
    ],
    [
      'cell a string',
      replaced('"cells": [', '"cells": ["x",'),
      'field cells[0] must be an object',
      7,
      'cells[0]',
    ],
    [
      'kind unknown',
      replaced('"code"', '"python"'),
      'field cells[0].kind must be "code" or "markdown"',
      10,
      'cells[0].kind',
    ],
    [
      'kind missing',
      replaced('"kind": "code",', ''),
      'field cells[0].kind is missing',
      8,
      'cells[0].kind',
    ],
    [
      'language a number',
      replaced('"bpnb"', '7'),
      'field cells[0].language must be a language id string',
      11,
      'cells[0].language',
    ],
    [
      'source missing',
      replaced('"source"', '"sauce"'),
      'field cells[0].source is missing',
      8,
      'cells[0].source',
    ],
    [
      'source a number',
      replaced('[\n        "forward",\n        "backward"\n      ]', '42'),
      'field cells[0].source must be an array of lines',
      12,
      'cells[0].source',
    ],
    [
      'source line not a string',
      replaced('"backward"', 'null'),
      'field cells[0].source[1] must be a string',
      14,
      'cells[0].source[1]',
    ],
    ['id a number', replaced('"c1"', '1'), 'field cells[0].id must be a string', 9, 'cells[0].id'],
    [
      'cell metadata a string',
      replaced('"id": "c1",', '"id": "c1", "metadata": "x",'),
      'field cells[0].metadata must be an object',
      9,
      'cells[0].metadata',
    ],
    [
      'execution a list',
      replaced('"execution": {', '"execution": [], "x": {'),
      'field cells[0].execution must be an object',
      16,
      'cells[0].execution',
    ],
    [
      'execution order negative',
      replaced('"order": 1', '"order": -1'),
      'field cells[0].execution.order must be a whole number',
      17,
      'cells[0].execution.order',
    ],
    [
      'execution order fractional',
      replaced('"order": 1', '"order": 1.5'),
      'must be a whole number',
      17,
      'cells[0].execution.order',
    ],
    [
      'execution success a string',
      replaced('"success": true', '"success": "yes"'),
      'field cells[0].execution.success must be true or false',
      18,
      'cells[0].execution.success',
    ],
    [
      'execution duration a string',
      replaced('"durationMs": 4', '"durationMs": "4"'),
      'field cells[0].execution.durationMs must be a number',
      19,
      'cells[0].execution.durationMs',
    ],
    [
      'execution unknown key',
      replaced('"durationMs": 4', '"durationMs": 4, "cpu": 1'),
      'field cells[0].execution.cpu is not a known field',
      19,
      'cells[0].execution.cpu',
    ],
    [
      'outputs an object',
      replaced('"outputs": [', '"outputs": {"a": [').replace(
        /      \]\n    }\n  \]\n}\n$/,
        '      ]}\n    }\n  ]\n}\n',
      ),
      'field cells[0].outputs must be an array',
      21,
      'cells[0].outputs',
    ],
    [
      'output a string',
      replaced('"outputs": [', '"outputs": ["x", '),
      'field cells[0].outputs[0] must be an object',
      21,
      'cells[0].outputs[0]',
    ],
    [
      'output items missing',
      replaced('"items"', '"itemz"'),
      'field cells[0].outputs[0].items must be an array',
      22,
      'cells[0].outputs[0].items',
    ],
    [
      'output item a number',
      replaced('"items": [', '"items": [3, '),
      'field cells[0].outputs[0].items[0] must be an object',
      23,
      'cells[0].outputs[0].items[0]',
    ],
    [
      'mime missing',
      replaced('"mime": "text/plain",', ''),
      'field cells[0].outputs[0].items[0].mime must be a mime type string',
      24,
      'cells[0].outputs[0].items[0].mime',
    ],
    [
      'data missing',
      replaced(',\n              "data": "done"', ''),
      'field cells[0].outputs[0].items[0].data is missing',
      24,
      'cells[0].outputs[0].items[0].data',
    ],
    [
      'text data not a string',
      replaced('"done"', '["d", "o"]'),
      'data must be a string for mime text/plain',
      26,
      'cells[0].outputs[0].items[0].data',
    ],
    [
      'item unknown key',
      replaced('"data": "done"', '"data": "done", "extra": 1'),
      'items[0].extra is not a known field',
      26,
      'cells[0].outputs[0].items[0].extra',
    ],
    [
      'number out of range',
      replaced('0.25', '1e400'),
      'field cells[0].outputs[0].items[1].data.loss holds a non-finite number (Infinity)',
      31,
      'cells[0].outputs[0].items[1].data.loss',
    ],
    [
      'nested too deeply',
      replaced('"title": "t"', `"title": ${'['.repeat(MAX_DEPTH)}${']'.repeat(MAX_DEPTH)}`),
      `field metadata.title[0][0][0][0][0] holds values nested more than ${MAX_DEPTH} levels ` +
        `deep (the limit).`,
      5,
      'metadata.title[0][0][0][0][0]',
    ],
  ];
  for (const [what, text, fragment, line, field] of cases) {
    it(`${what}: "${fragment}" at line ${line}${field ? `, field ${field}` : ''}`, () => {
      const e = refusal(text);
      assert.ok(e.message.includes(fragment), e.message);
      assert.equal(e.line, line, e.message);
      assert.equal(e.field, field);
      assert.ok(e.message.includes(`line ${line}`), e.message);
    });
  }

  it('a syntax error names the column too', () => {
    const e = refusal(replaced('"forward",', '"forward" ;'));
    assert.equal(e.column, 19);
    assert.match(e.message, /line 13, column 19: expected ',' or '\]' but found ';'/);
  });

  // [what, bytes, message fragment, line]
  const byteCases: [string, number[], string, number][] = [
    ['invalid UTF-8 byte', [0x7b, 0x0a, 0x22, 0xff, 0x22, 0x7d], 'byte 0xFF is not valid UTF-8', 2],
    ['overlong UTF-8', [0x0a, 0x0a, 0xc0, 0xaf], 'byte 0xC0 is not valid UTF-8', 3],
    ['UTF-8 surrogate', [0xed, 0xa0, 0x80], 'byte 0xED is not valid UTF-8', 1],
    ['UTF-8 cut in a character', [0x7b, 0x0a, 0xe2, 0x88], 'ends in the middle of a character', 2],
    [
      'UTF-16 LE odd length',
      [0xff, 0xfe, 0x7b, 0x00, 0x0a, 0x00, 0x7d],
      'ends in the middle of a character',
      2,
    ],
    [
      'UTF-16 LE lone surrogate',
      [0xff, 0xfe, 0x0a, 0x00, 0x00, 0xd8, 0x41, 0x00],
      'broken surrogate pair',
      2,
    ],
    ['UTF-16 BE lone low surrogate', [0xfe, 0xff, 0xdc, 0x00], 'broken surrogate pair', 1],
  ];
  for (const [what, bytes, fragment, line] of byteCases) {
    it(`${what}: "${fragment}" at line ${line}`, () => {
      assert.throws(
        () => decodeNotebookBytes(new Uint8Array(bytes)),
        (e: unknown) =>
          e instanceof NotebookFileError &&
          e.message.includes(fragment) &&
          e.line === line &&
          e.message.includes(`line ${line}`),
      );
    });
  }
});

describe('bpnb file format: what opens', () => {
  const empty: FileNotebook = { version: '1.0', metadata: {}, cells: [] };
  for (const [what, text] of [
    ['0 bytes', ''],
    ['whitespace only', ' \n\t\r\n '],
    ['a BOM only', '\uFEFF'],
  ]) {
    it(`${what} → a new, empty notebook`, () => assert.deepEqual(parseNotebookFile(text), empty));
  }

  it('a BOM before the JSON is ignored', () =>
    assert.deepEqual(parseNotebookFile('\uFEFF' + BASE), parseNotebookFile(BASE)));

  it('UTF-8 with BOM and UTF-16 LE/BE with BOM decode to the same text', () => {
    const text = BASE.replace('"t"', '"δ1[2] = ∂E/∂z1[2] 🧮"');
    const utf8 = new TextEncoder().encode(text);
    const le = Buffer.from(text, 'utf16le');
    const be = Buffer.from(le).swap16();
    assert.equal(decodeNotebookBytes(utf8), text);
    assert.equal(decodeNotebookBytes(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8])), text);
    assert.equal(decodeNotebookBytes(new Uint8Array([0xff, 0xfe, ...le])), text);
    assert.equal(decodeNotebookBytes(new Uint8Array([0xfe, 0xff, ...be])), text);
  });

  it('reads cells, ids, metadata, execution and outputs', () => {
    const nb = parseNotebookFile(BASE);
    assert.deepEqual(nb, {
      version: '1.0',
      metadata: { title: 't' },
      cells: [
        {
          id: 'c1',
          kind: 'code',
          language: 'bpnb',
          source: 'forward\nbackward',
          execution: { order: 1, success: true, durationMs: 4 },
          outputs: [
            {
              items: [
                { mime: 'text/plain', data: 'done' },
                { mime: 'application/json', data: { loss: 0.25 } },
              ],
            },
          ],
        },
      ],
    });
  });

  it('a minimal hand-written file: no metadata, source as one string, language by kind', () => {
    const nb = parseNotebookFile(
      '{"format":"backprop-notebook","version":"1.0","cells":[{"kind":"code","source":"forward"},' +
        '{"kind":"markdown","source":["# hi"]}]}',
    );
    assert.deepEqual(nb.metadata, {});
    assert.deepEqual(nb.cells, [
      { kind: 'code', language: 'bpnb', source: 'forward' },
      { kind: 'markdown', language: 'markdown', source: '# hi' },
    ]);
  });

  it('CRLF and lone CR inside source lines become LF line breaks', () => {
    const nb = parseNotebookFile(replaced('"forward",', '"f\\ror\\r\\nward\\r",'));
    assert.equal(nb.cells[0].source, 'f\nor\nward\nbackward');
  });

  it('a CRLF file (Windows checkout) reads like the LF file', () => {
    assert.deepEqual(parseNotebookFile(BASE.replace(/\n/g, '\r\n')), parseNotebookFile(BASE));
  });

  it('empty cell metadata, outputs and execution read as absent', () => {
    const nb = parseNotebookFile(
      replaced('"id": "c1",', '"id": "c1", "metadata": {},')
        .replace(/"execution": \{[^}]*\}/, '"execution": {}')
        .replace(/"outputs": \[[\s\S]*\]\n    \}/, '"outputs": []\n    }'),
    );
    assert.deepEqual(Object.keys(nb.cells[0]).sort(), ['id', 'kind', 'language', 'source']);
  });

  it('unknown keys of a newer minor version are kept at top, cell and output level', () => {
    const nb = parseNotebookFile(golden('newer-minor-1.7.bpnb'));
    assert.equal(nb.version, '1.7');
    assert.deepEqual(Object.keys(nb.extra ?? {}), ['kernelState', 'history']);
    assert.deepEqual(Object.keys(nb.cells[0].extra ?? {}), ['attachments', 'reviewState']);
    assert.deepEqual(nb.cells[1].extra, { cellTheme: 'paper' });
    assert.deepEqual(nb.cells[0].outputs?.[0].extra, {
      collapsedView: 'summary',
      renderedBy: { renderer: 'bpnb', version: 7 },
    });
  });

  it('an unknown key named __proto__ is kept as data', () => {
    const nb = parseNotebookFile(replaced('"cells": [', '"__proto__": {"x": 1}, "cells": ['));
    assert.ok(nb.extra && Object.prototype.hasOwnProperty.call(nb.extra, '__proto__'));
    assert.equal(Object.getPrototypeOf(nb.extra), Object.prototype);
    assert.match(printNotebookFile(nb), /"__proto__": \{\n {4}"x": 1\n {2}\}/);
  });
});

describe('bpnb file format: golden files re-serialize byte for byte', () => {
  for (const name of ['seed-2-3-1.bpnb', 'markdown-cells.bpnb', 'newer-minor-1.7.bpnb']) {
    it(name, () => {
      const text = golden(name);
      const nb = parseNotebookFile(text);
      assert.ok(nb.cells.length >= 2);
      assert.equal(printNotebookFile(nb), text);
    });
  }

  it('the seed notebook keeps its outputs and execution facts', () => {
    const nb = parseNotebookFile(golden('seed-2-3-1.bpnb'));
    const passes = nb.cells.find((c) => c.id === 'c3-passes');
    assert.deepEqual(passes?.execution, { order: 2, success: true, durationMs: 5 });
    assert.deepEqual(
      passes?.outputs?.[0].items.map((i) => i.mime),
      ['application/vnd.bpnb.result+json', 'text/markdown'],
    );
  });

  it('a 1.7 notebook: open, edit, save keeps every unknown key and the version', () => {
    const nb = parseNotebookFile(golden('newer-minor-1.7.bpnb'));
    nb.cells[0].source += '\nforward';
    nb.cells.push({ kind: 'code', language: 'bpnb', source: 'backward' });
    const saved = printNotebookFile(nb);
    const again = parseNotebookFile(saved);
    assert.equal(again.version, '1.7');
    assert.deepEqual(again.extra, nb.extra);
    assert.deepEqual(again.cells[0].extra, nb.cells[0].extra);
    assert.deepEqual(again.cells[0].outputs, nb.cells[0].outputs);
    assert.equal(again.cells[0].source, 'network 2 -> 2 tanh -> 1 sigmoid\nseed 42\nforward');
    assert.equal(again.cells.length, 3);
  });

  it(
    'without outputs (saveOutputs off): no outputs and no execution facts, everything ' +
      'else kept',
    () => {
      const nb = parseNotebookFile(golden('seed-2-3-1.bpnb'));
      const text = printNotebookFile(nb, false);
      assert.ok(!text.includes('"outputs"') && !text.includes('"execution"'));
      const again = parseNotebookFile(text);
      assert.deepEqual(
        again.cells,
        nb.cells.map(({ outputs: _o, execution: _e, ...rest }) => rest),
      );
    },
  );
});

describe('bpnb file format: printing', () => {
  const cell = (extra: Partial<FileCell> = {}): FileCell => ({
    kind: 'code',
    language: 'bpnb',
    source: 'forward',
    ...extra,
  });
  const nbWith = (c: FileCell, metadata: Record<string, unknown> = {}): FileNotebook => ({
    version: '1.0',
    metadata,
    cells: [c],
  });

  // [what, notebook, field named]
  const refused: [string, FileNotebook, string][] = [
    ['NaN in notebook metadata', nbWith(cell(), { lr: NaN }), 'metadata.lr'],
    [
      'Infinity in a JSON output',
      nbWith(
        cell({
          outputs: [{ items: [{ mime: 'application/json', data: { loss: [0.1, Infinity] } }] }],
        }),
      ),
      'cells[0].outputs[0].items[0].data.loss[1]',
    ],
    [
      '-Infinity in cell metadata',
      nbWith(cell({ metadata: { 'min z': -Infinity } })),
      'cells[0].metadata["min z"]',
    ],
    [
      'NaN as execution duration',
      nbWith(cell({ execution: { durationMs: NaN } })),
      'cells[0].execution.durationMs',
    ],
    ['a bigint', nbWith(cell(), { n: BigInt(1) }), 'metadata.n'],
    ['undefined in a list', nbWith(cell(), { xs: [1, undefined] }), 'metadata.xs[1]'],
    [
      'a negative duration',
      nbWith(cell({ execution: { durationMs: -3 } })),
      'cells[0].execution.durationMs',
    ],
    [
      'a text output holding an object',
      nbWith(cell({ outputs: [{ items: [{ mime: 'text/plain', data: { a: 1 } }] }] })),
      'cells[0].outputs[0].items[0].data',
    ],
    [
      'an empty mime',
      nbWith(cell({ outputs: [{ items: [{ mime: '', data: 'x' }] }] })),
      'cells[0].outputs[0].items[0].mime',
    ],
    ['a newer major version', { ...nbWith(cell()), version: '2.0' }, 'version'],
  ];
  for (const [what, nb, field] of refused) {
    it(`refuses ${what}, naming ${field}`, () => {
      assert.throws(
        () => printNotebookFile(nb),
        (e: unknown) =>
          e instanceof NotebookFileError &&
          e.field === field &&
          e.message.includes(`field ${field}`),
      );
    });
  }

  it('a too deeply nested field or a huge key is named in one readable line', () => {
    let array: unknown = 1;
    let object: unknown = 1;
    for (let i = 0; i < 400; i++) array = [array];
    for (let i = 0; i < 400; i++) object = { a: object };
    const huge = 'k'.repeat(100_000);
    const texts = [
      printNotebookFile(nbWith(cell(), {})).replace(
        '"metadata": {}',
        `"metadata": {"x": ${JSON.stringify(array)}}`,
      ),
      printNotebookFile(nbWith(cell(), {})).replace(
        '"metadata": {}',
        `"metadata": {"x": ${JSON.stringify(object)}}`,
      ),
      printNotebookFile(nbWith(cell(), {})).replace(
        '"metadata": {}',
        `"metadata": {"${huge}": 1, "${huge}": 2}`,
      ),
    ];
    const messages = texts.map((t) => refusal(t).message);
    messages.push(
      (() => {
        try {
          printNotebookFile(nbWith(cell(), { x: array }));
        } catch (e) {
          return (e as Error).message;
        }
        return 'saved';
      })(),
    );
    for (const m of messages) {
      assert.ok(m.length < 200 && !m.includes('\n'), `${m.length} characters: ${m.slice(0, 300)}`);
      assert.match(m, /levels deep|appears twice/);
    }
  });

  it('refuses nesting deeper than MAX_DEPTH (and a cycle) instead of overflowing', () => {
    let deep: unknown = 1;
    for (let i = 0; i < MAX_DEPTH + 5; i++) deep = [deep];
    assert.throws(
      () => printNotebookFile(nbWith(cell(), { deep })),
      /nested more than 256 levels deep/,
    );
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    assert.throws(() => printNotebookFile(nbWith(cell(), { cyclic })), NotebookFileError);
  });

  it('non-finite numbers stored on purpose as strings round-trip', () => {
    const nb = nbWith(
      cell({
        outputs: [
          { items: [{ mime: 'application/json', data: ['NaN', 'Infinity', '-Infinity'] }] },
        ],
      }),
    );
    assert.deepEqual(parseNotebookFile(printNotebookFile(nb)), nb);
  });

  it('key order is fixed, whatever order the objects were built in', () => {
    const a = printNotebookFile({
      cells: [
        {
          source: 'x',
          outputs: [{ items: [{ data: 'd', mime: 'text/plain' }] }],
          language: 'bpnb',
          kind: 'code',
          id: 'q',
          execution: { durationMs: 1, order: 2 },
        },
      ],
      metadata: {},
      version: '1.0',
    });
    const b = printNotebookFile({
      version: '1.0',
      metadata: {},
      cells: [
        {
          id: 'q',
          kind: 'code',
          language: 'bpnb',
          source: 'x',
          execution: { order: 2, durationMs: 1 },
          outputs: [{ items: [{ mime: 'text/plain', data: 'd' }] }],
        },
      ],
    });
    assert.equal(a, b);
    assert.ok(
      a.indexOf('"format"') < a.indexOf('"version"') &&
        a.indexOf('"id"') < a.indexOf('"kind"') &&
        a.indexOf('"order"') < a.indexOf('"durationMs"'),
    );
  });

  it('extra keys never override a known field', () => {
    const nb = nbWith(cell({ extra: { kind: 'markdown', note: 1 } }));
    const again = parseNotebookFile(printNotebookFile(nb));
    assert.equal(again.cells[0].kind, 'code');
    assert.deepEqual(again.cells[0].extra, { note: 1 });
  });

  it('sources are written as arrays of lines, CRLF written as line breaks', () => {
    const text = printNotebookFile(nbWith(cell({ source: 'forward\r\nbackward\n' })));
    assert.match(text, /"source": \[\n {8}"forward",\n {8}"backward",\n {8}""\n {6}\]/);
  });
});

// ---------------------------------------------------------------------------------------------
// Round-trip property

/** JSON values as a file holds them (no -0: JSON writes it as 0). */
const jsonValue = fc
  .jsonValue({ maxDepth: 3 })
  .map((v) => JSON.parse(JSON.stringify(v)) as unknown);
const jsonObject = fc
  .dictionary(fc.string({ maxLength: 8 }), jsonValue, { maxKeys: 4, noNullPrototype: true })
  .map((v) => JSON.parse(JSON.stringify(v)) as Record<string, unknown>);
const nonEmptyObject = jsonObject.filter((o) => Object.keys(o).length > 0);
const unknownKeys = (known: string[]) =>
  fc
    .dictionary(
      fc.string({ minLength: 1, maxLength: 8 }).filter((k) => !known.includes(k)),
      jsonValue,
      { minKeys: 1, maxKeys: 3, noNullPrototype: true },
    )
    .map((v) => JSON.parse(JSON.stringify(v)) as Record<string, unknown>);

/**
 * Source text: unicode (astral, lone surrogates, quotes, backslashes, tabs) and the given line
 * breaks. With only '\n' the text is made canonical (a CR from the random unicode is turned into LF
 * too).
 */
const sourceText = (lineBreaks: string[]) =>
  fc
    .array(
      fc.oneof(
        fc.string({ unit: 'binary', maxLength: 12 }),
        fc.string({ maxLength: 12 }),
        fc.constantFrom(...lineBreaks, '\ud800', '\udfff', '"', '\\', '\t', '\u2028', 'δ1[2]'),
      ),
      { maxLength: 12 },
    )
    .map((parts) => (lineBreaks.length === 1 ? canonicalSource(parts.join('')) : parts.join('')));

const outputArb: fc.Arbitrary<FileOutput> = fc
  .record(
    {
      items: fc.array(
        fc.oneof(
          fc.record(
            {
              mime: fc.constantFrom('application/json', 'application/vnd.bpnb.result+json'),
              data: jsonValue,
            },
            { noNullPrototype: true },
          ),
          fc.record(
            {
              mime: fc.constantFrom(
                'text/plain',
                'text/markdown',
                'application/vnd.code.notebook.stderr',
              ),
              data: fc.string({ unit: 'binary', maxLength: 20 }),
            },
            { noNullPrototype: true },
          ),
        ),
        { maxLength: 3 },
      ),
      extra: unknownKeys(['items']),
    },
    { requiredKeys: ['items'], noNullPrototype: true },
  )
  .map((o) => o as FileOutput);

const cellArb = (lineBreaks: string[]): fc.Arbitrary<FileCell> =>
  fc
    .record(
      {
        kind: fc.constantFrom('code' as const, 'markdown' as const),
        language: fc.constantFrom('bpnb', 'markdown', 'plaintext'),
        source: sourceText(lineBreaks),
        id: fc.string({ maxLength: 10 }),
        metadata: nonEmptyObject,
        outputs: fc.array(outputArb, { minLength: 1, maxLength: 2 }),
        execution: fc
          .record(
            {
              order: fc.nat(),
              success: fc.boolean(),
              durationMs: fc
                .double({ min: 0, max: 1e6, noNaN: true })
                .map((d) => JSON.parse(JSON.stringify(d)) as number),
            },
            { requiredKeys: [], noNullPrototype: true },
          )
          .filter((e) => Object.keys(e).length > 0),
        extra: unknownKeys([
          'id',
          'kind',
          'language',
          'source',
          'metadata',
          'execution',
          'outputs',
        ]),
      },
      { requiredKeys: ['kind', 'language', 'source'], noNullPrototype: true },
    )
    .map((c) => c as FileCell);

const notebookArb = (lineBreaks: string[]): fc.Arbitrary<FileNotebook> =>
  fc
    .record(
      {
        version: fc.constantFrom('1.0', '1.1', '1.7', '1.12'),
        metadata: jsonObject,
        cells: fc.array(cellArb(lineBreaks), { maxLength: 6 }),
        extra: unknownKeys(['format', 'version', 'metadata', 'cells']),
      },
      { requiredKeys: ['version', 'metadata', 'cells'], noNullPrototype: true },
    )
    .map((nb) => nb as FileNotebook);

describe('bpnb file format: round trip (fast-check)', function () {
  this.timeout(60000);
  it('parse(print(nb)) deep-equals nb for generated notebooks with LF sources', () => {
    fc.assert(
      fc.property(notebookArb(['\n']), (nb) => {
        assert.deepEqual(parseNotebookFile(printNotebookFile(nb)), nb);
      }),
      { numRuns: 300, seed: 20261130 },
    );
  });

  it(
    'with CRLF and CR in sources: parse(print(nb)) equals nb with canonical sources, and ' +
      'printing is stable',
    () => {
      fc.assert(
        fc.property(notebookArb(['\n', '\r\n', '\r', '\r\r\n']), (nb) => {
          const text = printNotebookFile(nb);
          const back = parseNotebookFile(text);
          assert.deepEqual(back, {
            ...nb,
            cells: nb.cells.map((c) => ({ ...c, source: canonicalSource(c.source) })),
          });
          assert.ok(back.cells.every((c) => !c.source.includes('\r')));
          assert.equal(printNotebookFile(back), text);
        }),
        { numRuns: 300, seed: 7 },
      );
    },
  );

  it('the same notebook survives UTF-8, UTF-8 BOM and UTF-16 LE/BE encodings of its file', () => {
    fc.assert(
      fc.property(notebookArb(['\n']), (nb) => {
        const text = printNotebookFile(nb);
        const le = Buffer.from(text, 'utf16le');
        for (const bytes of [
          Buffer.from(text, 'utf8'),
          Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]),
          Buffer.concat([Buffer.from([0xff, 0xfe]), le]),
          Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(le).swap16()]),
        ]) {
          assert.deepEqual(parseNotebookFile(decodeNotebookBytes(new Uint8Array(bytes))), nb);
        }
      }),
      { numRuns: 100, seed: 11 },
    );
  });
});
