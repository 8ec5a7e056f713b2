/**
 * The file corruption corpus: several hundred damaged variants of the golden .bpnb files, made
 * deterministically from a seed. Each must open as the same notebook, or be refused with a
 * NotebookFileError naming the line (and field), or (only when the damage left valid JSON of the
 * right shape) open as some other notebook with the same number of cells; never an empty notebook
 * unless the input was whitespace only, and never any other exception.
 * The summary printed at the end is the table in docs/reliability.md.
 */
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import {
  FileNotebook,
  NotebookFileError,
  decodeNotebookBytes,
  parseNotebookFile,
  printNotebookFile,
} from '../../../src/protocol/notebookFile';
import { scanJson } from '../../../src/protocol/jsonScan';
import { mulberry32 as seededRandom } from '../../../src/engine/rng';

const GOLDEN = ['seed-2-3-1.bpnb', 'markdown-cells.bpnb', 'newer-minor-1.7.bpnb'];
const goldenDir = [
  path.join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'golden'),
  path.join(process.cwd(), 'test', 'fixtures', 'golden'),
].find((d) => fs.existsSync(d)) as string;
const goldenText = (name: string) => fs.readFileSync(path.join(goldenDir, name), 'utf8');

type Outcome = 'same' | 'refused' | 'other' | 'empty';

interface Variant {
  category: string;
  bytes: Uint8Array;
  original: FileNotebook;
  /** outcomes this kind of damage may have */
  allowed: Outcome[];
  /** for wrong-type variants: the field the refusal must name */
  field?: string;
}

const utf8 = (s: string) => new TextEncoder().encode(s);

function isWhitespaceOnly(bytes: Uint8Array): boolean {
  try {
    return (
      decodeNotebookBytes(bytes)
        .replace(/^\uFEFF/, '')
        .trim() === ''
    );
  } catch {
    return false;
  }
}

/**
 * Opens bytes the way the serializer does and classifies what happened; fails on any rule broken.
 */
function open(v: Variant): Outcome {
  let nb: FileNotebook;
  let text: string | undefined;
  try {
    text = decodeNotebookBytes(v.bytes);
    nb = parseNotebookFile(text);
  } catch (e) {
    assert.ok(
      e instanceof NotebookFileError,
      `${v.category}: threw ${String(e)} instead of NotebookFileError`,
    );
    assert.ok(e.line !== undefined && e.line >= 1, `${v.category}: no line in "${e.message}"`);
    assert.match(
      e.message,
      new RegExp(`line ${e.line}\\b`),
      `${v.category}: message does not name line ${e.line}`,
    );
    if (text !== undefined)
      assert.ok(e.line <= text.split('\n').length, `${v.category}: line ${e.line} is past the end`);
    if (v.field !== undefined) {
      assert.ok(
        e.field !== undefined && (e.field === v.field || v.field.startsWith(e.field)),
        `${v.category}: expected field ${v.field}, got ${e.field}: ${e.message}`,
      );
      assert.ok(e.message.includes(e.field), e.message);
    }
    assert.ok(
      v.allowed.includes('refused'),
      `${v.category}: refused but should open: ${e.message}`,
    );
    return 'refused';
  }
  let outcome: Outcome;
  try {
    assert.deepEqual(nb, v.original);
    outcome = 'same';
  } catch {
    outcome = nb.cells.length === 0 && isWhitespaceOnly(v.bytes) ? 'empty' : 'other';
  }
  assert.ok(v.allowed.includes(outcome), `${v.category}: outcome ${outcome} not allowed`);
  if (outcome === 'other') {
    assert.equal(
      nb.cells.length,
      v.original.cells.length,
      `${v.category}: opened with a different number of cells`,
    );
    assert.doesNotThrow(
      () => JSON.parse(text as string),
      'only valid JSON may open as a different notebook',
    );
  }
  return outcome;
}

// ---------------------------------------------------------------------------------------------
// The variants

const SAME_OR_REFUSED: Outcome[] = ['same', 'refused'];
const ANY_BUT_EMPTY: Outcome[] = ['same', 'refused', 'other'];

function truncations(text: string, nb: FileNotebook, random: () => number): Variant[] {
  const bytes = utf8(text);
  const offsets = new Set<number>([1, 2, bytes.length - 1, bytes.length - 2, bytes.length - 3]);
  for (let k = 1; k < 40; k++) offsets.add(Math.floor((k / 40) * bytes.length));
  while (offsets.size < 70) offsets.add(1 + Math.floor(random() * (bytes.length - 1)));
  return [...offsets].map((n) => ({
    category: 'truncation',
    bytes: bytes.slice(0, n),
    original: nb,
    allowed: SAME_OR_REFUSED,
  }));
}

function bitFlips(text: string, nb: FileNotebook, random: () => number, count: number): Variant[] {
  const bytes = utf8(text);
  return Array.from({ length: count }, () => {
    const copy = bytes.slice();
    copy[Math.floor(random() * copy.length)] ^= 1 << Math.floor(random() * 8);
    return { category: 'bit flip', bytes: copy, original: nb, allowed: ANY_BUT_EMPTY };
  });
}

function deletions(text: string, nb: FileNotebook, random: () => number, count: number): Variant[] {
  const bytes = utf8(text);
  return Array.from({ length: count }, () => {
    const at = Math.floor(random() * bytes.length);
    return {
      category: 'byte deletion',
      bytes: new Uint8Array([...bytes.subarray(0, at), ...bytes.subarray(at + 1)]),
      original: nb,
      allowed: ANY_BUT_EMPTY,
    };
  });
}

function insertions(
  text: string,
  nb: FileNotebook,
  random: () => number,
  count: number,
): Variant[] {
  const bytes = utf8(text);
  const pool = [0x7b, 0x7d, 0x5b, 0x5d, 0x2c, 0x3a, 0x22, 0x5c, 0x30, 0x0a, 0x20, 0x00, 0x78];
  return Array.from({ length: count }, (_, i) => {
    const at = Math.floor(random() * bytes.length);
    const b = i % 2 === 0 ? pool[Math.floor(random() * pool.length)] : Math.floor(random() * 256);
    return {
      category: 'byte insertion',
      bytes: new Uint8Array([...bytes.subarray(0, at), b, ...bytes.subarray(at)]),
      original: nb,
      allowed: ANY_BUT_EMPTY,
    };
  });
}

function conflicts(text: string, nb: FileNotebook, random: () => number, count: number): Variant[] {
  const lines = text.split('\n');
  return Array.from({ length: count }, (_, i) => {
    const start = Math.floor(random() * (lines.length - 1));
    const end = Math.min(lines.length - 1, start + 1 + Math.floor(random() * 6));
    const ours = lines.slice(start, end);
    const theirs = ours.map((l) => l.replace(/\d/g, '7'));
    const base = i % 3 === 0 ? ['||||||| merged common ancestors', ...ours] : [];
    const merged = [
      ...lines.slice(0, start),
      '<<<<<<< HEAD',
      ...ours,
      ...base,
      '=======',
      ...theirs,
      '>>>>>>> feature/other-lr',
      ...lines.slice(end),
    ];
    return {
      category: 'merge-conflict markers',
      bytes: utf8(merged.join('\n')),
      original: nb,
      allowed: ['refused'],
    };
  });
}

function encodings(text: string, nb: FileNotebook): Variant[] {
  const le = Buffer.from(text, 'utf16le');
  const be = Buffer.from(le).swap16();
  return [
    {
      category: 'UTF-8 BOM',
      bytes: new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(text)]),
      original: nb,
      allowed: ['same'],
    },
    {
      category: 'UTF-16 with BOM',
      bytes: new Uint8Array([0xff, 0xfe, ...le]),
      original: nb,
      allowed: ['same'],
    },
    {
      category: 'UTF-16 with BOM',
      bytes: new Uint8Array([0xfe, 0xff, ...be]),
      original: nb,
      allowed: ['same'],
    },
    {
      category: 'UTF-16 without BOM',
      bytes: new Uint8Array(le),
      original: nb,
      allowed: ['refused'],
    },
    {
      category: 'UTF-16 without BOM',
      bytes: new Uint8Array(be),
      original: nb,
      allowed: ['refused'],
    },
    {
      category: 'UTF-16 with BOM, truncated',
      bytes: new Uint8Array([0xff, 0xfe, ...le.subarray(0, le.length - 1)]),
      original: nb,
      allowed: ['refused'],
    },
  ];
}

function invalidUtf8(
  text: string,
  nb: FileNotebook,
  random: () => number,
  count: number,
): Variant[] {
  const bytes = utf8(text);
  const bad = [
    [0xff],
    [0xfe],
    [0xc0, 0xaf],
    [0x80],
    [0xe2, 0x88],
    [0xed, 0xa0, 0x80],
    [0xf5, 0x80, 0x80, 0x80],
    [0xf0, 0x80, 0x80, 0x80],
  ];
  return Array.from({ length: count }, (_, i) => {
    const at = 3 + Math.floor(random() * (bytes.length - 3));
    return {
      category: 'invalid UTF-8',
      bytes: new Uint8Array([
        ...bytes.subarray(0, at),
        ...bad[i % bad.length],
        ...bytes.subarray(at),
      ]),
      original: nb,
      allowed: ['refused'],
    };
  });
}

const HTML_PAGES = [
  '<!DOCTYPE html>\n<html lang="en">\n<head><title>404 Not Found</title></head>\n<body><h1>Not ' +
    'Found</h1></body>\n</html>\n',
  '<html><body><pre>{"format": "backprop-notebook"}</pre></body></html>',
  '\n\n  <!-- saved from a browser -->\n<div class="blob-code">{</div>',
  '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code></Error>\n',
  'HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/html\r\n\r\n<html></html>',
  '# Backprop notebook\n\nexported as markdown by mistake\n',
];

function otherDocuments(nb: FileNotebook): Variant[] {
  const empty: FileNotebook = { version: '1.0', metadata: {}, cells: [] };
  return [
    ...HTML_PAGES.map((page) => ({
      category: 'HTML and other documents',
      bytes: utf8(page),
      original: nb,
      allowed: ['refused'] as Outcome[],
    })),
    ...['', ' ', '\n\n', '\t\r\n  '].map((t) => ({
      category: '0 bytes / whitespace only',
      bytes: utf8(t),
      original: empty,
      allowed: ['same'] as Outcome[],
    })),
    ...[
      '\0',
      '\0\0\0\0',
      'null',
      '{}',
      '[]',
      '"backprop-notebook"',
      '{"format":"backprop-notebook"}',
    ].map((t) => ({
      category: 'HTML and other documents',
      bytes: utf8(t),
      original: nb,
      allowed: ['refused'] as Outcome[],
    })),
  ];
}

/** Values of every JSON type; each field gets the ones its type does not allow. */
const SAMPLES: [string, unknown][] = [
  ['number', 3],
  ['string', 'x'],
  ['boolean', true],
  ['null', null],
  ['array', [1]],
  ['object', { a: 1 }],
];

/** For each field of the file: its path and the JSON types it accepts ('any' for free JSON). */
function fieldsOf(json: Record<string, unknown>): [string[], string[]][] {
  const fields: [string[], string[]][] = [
    [['format'], []],
    [['version'], []],
    [['metadata'], ['object']],
    [['cells'], ['array']],
  ];
  (json.cells as Record<string, unknown>[]).forEach((cell, c) => {
    const at = (...rest: (string | number)[]) => ['cells', String(c), ...rest.map(String)];
    fields.push([at(), ['object']], [at('kind'), []], [at('source'), ['array', 'string']]);
    if ('language' in cell) fields.push([at('language'), ['string']]);
    if ('id' in cell) fields.push([at('id'), ['string']]);
    if ('metadata' in cell) fields.push([at('metadata'), ['object']]);
    (cell.source as string[]).forEach((_, l) => fields.push([at('source', l), ['string']]));
    if (cell.execution) {
      fields.push([at('execution'), ['object']]);
      for (const key of Object.keys(cell.execution as object))
        fields.push([at('execution', key), [key === 'success' ? 'boolean' : 'number']]);
    }
    if (cell.outputs) {
      fields.push([at('outputs'), ['array']]);
      (cell.outputs as Record<string, unknown>[]).forEach((o, k) => {
        fields.push([at('outputs', k), ['object']], [at('outputs', k, 'items'), ['array']]);
        (o.items as Record<string, unknown>[]).forEach((item, m) => {
          fields.push(
            [at('outputs', k, 'items', m), ['object']],
            [at('outputs', k, 'items', m, 'mime'), ['string']],
          );
          const jsonMime = (item.mime as string).endsWith('json');
          fields.push([at('outputs', k, 'items', m, 'data'), jsonMime ? ['any'] : ['string']]);
        });
      });
    }
  });
  return fields;
}

function typeOf(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

function fieldName(keys: string[]): string {
  return keys.reduce((p, k) => (/^\d+$/.test(k) ? `${p}[${k}]` : p === '' ? k : `${p}.${k}`), '');
}

function wrongTypes(text: string, nb: FileNotebook): Variant[] {
  const variants: Variant[] = [];
  for (const [keys, accepted] of fieldsOf(JSON.parse(text))) {
    if (accepted.includes('any')) continue;
    for (const [type, sample] of SAMPLES) {
      if (accepted.includes(type)) continue;
      const json = JSON.parse(text);
      let parent = json;
      for (const k of keys.slice(0, -1)) parent = parent[k];
      const current = parent[keys[keys.length - 1]];
      // format, version, kind and mime are also wrong with the right type but another value
      if (typeOf(current) === type && accepted.length > 0) continue;
      parent[keys[keys.length - 1]] = typeOf(current) === type ? `${String(current)}?` : sample;
      variants.push({
        category: 'wrong type for a field',
        bytes: utf8(JSON.stringify(json, null, 2) + '\n'),
        original: nb,
        allowed: ['refused'],
        field: fieldName(keys),
      });
    }
  }
  return variants;
}

function newerMajor(text: string, nb: FileNotebook): Variant[] {
  return ['2.0', '3.1', '10.0'].map((version) => ({
    category: 'newer major version',
    bytes: utf8(text.replace(/"version": "[^"]*"/, `"version": "${version}"`)),
    original: nb,
    allowed: ['refused'] as Outcome[],
    field: 'version',
  }));
}

function corpus(): Variant[] {
  const variants: Variant[] = [];
  GOLDEN.forEach((name, g) => {
    const text = goldenText(name);
    const nb = parseNotebookFile(text);
    const random = seededRandom(1000 + g);
    variants.push(
      ...truncations(text, nb, random),
      ...bitFlips(text, nb, random, 60),
      ...deletions(text, nb, random, 25),
      ...insertions(text, nb, random, 25),
      ...conflicts(text, nb, random, 12),
      ...encodings(text, nb),
      ...invalidUtf8(text, nb, random, 10),
      ...wrongTypes(text, nb),
      ...newerMajor(text, nb),
    );
  });
  variants.push(...otherDocuments(parseNotebookFile(goldenText(GOLDEN[0]))));
  return variants;
}

// ---------------------------------------------------------------------------------------------

describe('bpnb file corruption corpus', () => {
  const summary = new Map<string, Record<Outcome, number>>();

  it(
    'every damaged variant opens as the same notebook or is refused with a ' + 'located message',
    function () {
      this.timeout(60000);
      const variants = corpus();
      assert.ok(variants.length >= 600, `only ${variants.length} variants`);
      for (const v of variants) {
        const outcome = open(v);
        const row = summary.get(v.category) ?? { same: 0, refused: 0, other: 0, empty: 0 };
        row[outcome]++;
        summary.set(v.category, row);
      }
      // the corpus really exercises each outcome it claims to
      assert.ok((summary.get('truncation')?.refused ?? 0) > 150);
      assert.ok((summary.get('bit flip')?.other ?? 0) > 0, 'some bit flips keep valid JSON');
      assert.equal(summary.get('UTF-16 with BOM')?.same, 6);
    },
  );

  it(
    'the JSON scanner agrees with JSON.parse on every variant text (so syntax errors get its ' +
      'line and reason)',
    function () {
      this.timeout(60000);
      let checked = 0;
      for (const v of corpus()) {
        let text: string;
        try {
          text = decodeNotebookBytes(v.bytes);
        } catch {
          continue;
        }
        let valid = true;
        try {
          JSON.parse(text);
        } catch {
          valid = false;
        }
        assert.equal(
          scanJson(text).problem === undefined,
          valid,
          `${v.category}: scanner disagrees with JSON.parse`,
        );
        checked++;
      }
      assert.ok(checked > 500);
    },
  );

  it(
    'a large file (20,000 cells, about 10 MB) opens whole and re-serializes byte for byte; ' +
      'truncated, it is refused at its last line',
    function () {
      this.timeout(120000);
      const seed = parseNotebookFile(goldenText(GOLDEN[0]));
      // mostly source-only cells, every 25th with the seed's full outputs: about 500 bytes a cell
      const cells = Array.from({ length: 20000 }, (_, i) => {
        const { outputs, ...cell } = seed.cells[i % seed.cells.length];
        return i % 25 === 2 && outputs
          ? { ...cell, outputs, id: `cell-${i}` }
          : { ...cell, id: `cell-${i}` };
      });
      const text = printNotebookFile({ ...seed, cells });
      const bytes = utf8(text);
      assert.ok(bytes.length > 9_000_000, `only ${bytes.length} bytes`);
      const nb = parseNotebookFile(decodeNotebookBytes(bytes));
      assert.equal(nb.cells.length, 20000);
      assert.equal(nb.cells[19999].id, 'cell-19999');
      assert.equal(printNotebookFile(nb), text);
      const cut = text.slice(0, Math.floor(text.length * 0.77));
      assert.throws(
        () => parseNotebookFile(cut),
        (e: unknown) =>
          e instanceof NotebookFileError &&
          e.line === cut.split('\n').length &&
          /truncated/.test(e.message),
      );
      const lastKind = text.lastIndexOf('"kind": "code"');
      const badType =
        text.slice(0, lastKind) + '"kind": 7' + text.slice(lastKind + '"kind": "code"'.length);
      assert.throws(
        () => parseNotebookFile(badType),
        (e: unknown) =>
          e instanceof NotebookFileError &&
          e.field === 'cells[19999].kind' &&
          e.line === badType.slice(0, badType.indexOf('"kind": 7')).split('\n').length,
      );
      summary.set('large file (20,000 cells, ' + (bytes.length / 1e6).toFixed(1) + ' MB)', {
        same: 1,
        refused: 2,
        other: 0,
        empty: 0,
      });
    },
  );

  after(() => {
    const rows = [...summary].map(
      ([category, r]) =>
        `| ${category} | ${r.same + r.refused + r.other + r.empty} | ${r.refused} | ${r.same} | ` +
        `${r.other} | ${r.empty} |`,
    );
    const total = [...summary.values()].reduce(
      (t, r) => ({
        same: t.same + r.same,
        refused: t.refused + r.refused,
        other: t.other + r.other,
        empty: t.empty + r.empty,
      }),
      { same: 0, refused: 0, other: 0, empty: 0 },
    );
    rows.push(
      `| **total** | ${total.same + total.refused + total.other + total.empty} | ${total.refused}` +
        ` | ${total.same} | ${total.other} | ${total.empty} |`,
    );
    if (process.env.BPNB_CORPUS_SUMMARY) {
      console.log(
        [
          '| damage | tried | refused, message names line (and field) | opened as the same ' +
            'notebook | opened as another valid notebook | empty notebook |',
          '| --- | ---: | ---: | ---: | ---: | ---: |',
          ...rows,
        ].join('\n'),
      );
    }
  });
});
