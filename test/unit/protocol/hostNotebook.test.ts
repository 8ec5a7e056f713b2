/**
 * What the serializer hands VS Code: a user's metadata keys named like the serializer's own
 * (__bpnbId, __bpnbExtra, __bpnbVersion) come back unchanged, and only the outputs the extension
 * writes (plus plain text) are loaded, with a note naming what was dropped.
 * The serializer itself is checked in real VS Code (test/integration/suite/notebook.test.ts).
 */
import * as assert from 'assert/strict';
import fc from 'fast-check';
import {
  OUTPUT_MIMES,
  OWN_KEYS,
  STDERR_MIME,
  keepKnownOutputs,
  splitOwnKeys,
  withOwnKeys,
} from '../../../src/protocol/hostNotebook';
import type { FileOutput } from '../../../src/protocol/notebookFile';
import { RESULT_MIME, type ResultItem } from '../../../src/protocol/results';
import { itemsToMarkdown, plain } from '../../../src/protocol/text';

const OWN = [OWN_KEYS.id, OWN_KEYS.extra, OWN_KEYS.version];

describe('serializer metadata: own keys never meet a user key of the same name', () => {
  it('a cell whose metadata holds __bpnbId and __bpnbExtra keeps them, apart from its id', () => {
    const user = { __bpnbId: 'mine', __bpnbExtra: { mine: true }, 'keep me': 1 };
    const host = withOwnKeys(user, { [OWN_KEYS.id]: 'cell-7', [OWN_KEYS.extra]: undefined });
    assert.equal(host[OWN_KEYS.id], 'cell-7');
    assert.equal(OWN_KEYS.extra in host, false);
    const back = splitOwnKeys(host, OWN);
    assert.deepEqual(back.user, user);
    assert.deepEqual(back.own, { [OWN_KEYS.id]: 'cell-7' });
  });

  it('round trip for any keys, "__proto__" and escaped-looking ones included', () => {
    const key = fc.oneof(
      fc.constantFrom(...OWN, '__bpnb', '__bpnb:', '__bpnb:__bpnbId', '__proto__', 'constructor'),
      fc.string({ maxLength: 6 }),
      fc.string({ maxLength: 6 }).map((k) => `__bpnb${k}`),
    );
    const dict = fc.dictionary(key, fc.jsonValue({ maxDepth: 1 }), {
      maxKeys: 6,
      noNullPrototype: true,
    });
    fc.assert(
      fc.property(dict, fc.option(fc.string()), (user, id) => {
        const own = id === null ? {} : { [OWN_KEYS.id]: id };
        const back = splitOwnKeys(withOwnKeys(user, own), OWN);
        assert.deepEqual(back.user, user);
        assert.deepEqual(back.own, own);
      }),
      { numRuns: 500, seed: 20 },
    );
  });
});

describe('outputs loaded from a file: only the mimes the extension writes', () => {
  const items: ResultItem[] = [
    { kind: 'message', level: 'info', text: plain('E = 0.2983711087600027') },
    { kind: 'table', title: 'a', columns: ['unit', 'a'], rows: [['1', 0.5]] },
  ];
  const result: FileOutput = {
    items: [
      { mime: RESULT_MIME, data: { version: 1, items } },
      { mime: 'text/markdown', data: itemsToMarkdown(items) },
    ],
  };

  it('keeps the outputs the extension writes as they are, with no note', () => {
    const outputs: FileOutput[] = OUTPUT_MIMES.filter((m) => m !== 'text/markdown').map((mime) => ({
      items: [{ mime, data: mime === RESULT_MIME ? { version: 1, items: [] } : 'text' }],
    }));
    outputs.push(result);
    assert.deepEqual(keepKnownOutputs(outputs), outputs);
  });

  it('drops text/html, JavaScript and SVG (whole outputs or single items) and says so', () => {
    const outputs: FileOutput[] = [
      { items: [{ mime: 'text/html', data: '<script>alert(1)</script>' }] },
      result,
      {
        items: [
          { mime: 'image/svg+xml', data: '<svg onload="alert(1)"/>' },
          { mime: 'text/plain', data: 'plain' },
        ],
        extra: { kept: true },
      },
      { items: [{ mime: 'application/javascript', data: 'alert(1)' }] },
      { items: [{ mime: 'text/html', data: '<img src=x onerror=alert(1)>' }] },
    ];
    const kept = keepKnownOutputs(outputs);
    assert.deepEqual(kept.slice(0, 2), [
      result,
      { items: [{ mime: 'text/plain', data: 'plain' }], extra: { kept: true } },
    ]);
    assert.equal(kept.length, 3);
    const note = kept[2].items;
    assert.equal(note.length, 1);
    assert.equal(note[0].mime, STDERR_MIME);
    assert.equal(
      note[0].data,
      'Not shown: outputs of type text/html, image/svg+xml, application/javascript from the ' +
        'file.\nBackprop Notebook shows only the outputs it writes; run the cell to make ' +
        'them again.',
    );
  });

  it(
    "the file's Markdown is never shown: made again from the payload beside it, " + 'or dropped',
    () => {
      const hostile =
        '<b style="color:red">x</b> <img src=x> [quit](command:workbench.action.quit)';
      const kept = keepKnownOutputs([
        { items: [result.items[0], { mime: 'text/markdown', data: hostile }] },
        { items: [{ mime: 'text/markdown', data: hostile }] },
      ]);
      assert.deepEqual(kept[0], result);
      assert.equal(kept.length, 2);
      assert.match(kept[1].items[0].data as string, /^Not shown: outputs of type text\/markdown /);
      assert.ok(!JSON.stringify(kept).includes('command:'));
    },
  );

  it('the note stays two short lines whatever the mimes', () => {
    const outputs: FileOutput[] = Array.from({ length: 50 }, (_, i) => ({
      items: [{ mime: `x-evil-${i}/${'a'.repeat(10_000)}`, data: '' }],
    }));
    const [note] = keepKnownOutputs(outputs);
    const lines = (note.items[0].data as string).split('\n');
    assert.equal(lines.length, 2);
    assert.ok(lines.every((l) => l.length < 500));
    assert.match(note.items[0].data as string, /45 more/);
  });
});
