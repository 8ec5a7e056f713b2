import * as assert from 'assert/strict';
import { renderPayload } from '../../../src/views/renderer';
import { withCode } from '../../../src/views/dom';
import { FakeElement, withFakeDocument } from './fakeDom';
import { seedSnapshot } from './sample';
import { Session } from '../../../src/runtime/session';
import type { ResultItem } from '../../../src/protocol/results';

const XSS = [
  '<img src=x onerror=alert(1)>',
  '"><script>alert(1)</script>',
  "javascript:alert('x')",
  '<svg onload=alert(1)>',
];

describe('everything shown is escaped', () => {
  for (const evil of XSS) {
    it(`keeps ${JSON.stringify(evil)} as text in names, titles, messages and columns`, () => {
      withFakeDocument((doc) => {
        const out = doc.createElement('div');
        const payload = {
          version: 1,
          items: [
            { kind: 'message', level: 'error', text: evil },
            { kind: 'table', title: evil, columns: [evil, 'v'], rows: [[evil, 1]], note: evil },
            { kind: 'network', snapshot: seedSnapshot({ name: evil }) },
            {
              kind: 'lossCurve',
              title: evil,
              lossLabel: evil,
              points: [
                [1, 0.5],
                [2, 0.25],
              ],
              done: true,
              summary: [{ text: evil }, { num: 0.5 }],
            },
            { kind: 'expect', quantity: evil, expected: 1, tolerance: 0.1, actual: 2, pass: false },
          ],
        };
        renderPayload(payload, out as unknown as HTMLElement);
        assert.deepEqual(doc.innerHTMLWrites, [], 'no innerHTML anywhere');
        const texts = out.texts();
        assert.ok(texts.filter((t) => t.includes(evil)).length >= 5, 'the text is shown as text');
        for (const e of [out, ...out.walk()]) {
          assert.ok(!['script', 'img', 'iframe'].includes(e.tagName), `no <${e.tagName}> element`);
          for (const [name] of e.attributes) assert.ok(!/^on/i.test(name), `no ${name} attribute`);
        }
        // aria-labels carry the name as an attribute value, never as markup
        const labelled = [...out.walk()].filter((e) =>
          (e.getAttribute('aria-label') ?? '').includes(evil),
        );
        assert.ok(labelled.length >= 1);
      });
    });
  }

  it('code spans in words become <code> text, not backticks and never markup', () => {
    withFakeDocument((doc) => {
      const shape = (text: string) =>
        withCode(text).map((c) =>
          typeof c === 'string'
            ? c
            : [(c as unknown as FakeElement).tagName, `${c && c.textContent}`],
        );
      assert.deepEqual(shape('Run `backward` to see δ'), [
        'Run ',
        ['code', 'backward'],
        ' to see δ',
      ]);
      // an unpaired backtick stays as written; markup inside a span stays text
      assert.deepEqual(shape('`<img src=x onerror=alert(1)>` and `more'), [
        ['code', '<img src=x onerror=alert(1)>'],
        ' and `more',
      ]);
      assert.deepEqual(shape('no code here'), ['no code here']);
      assert.deepEqual(doc.innerHTMLWrites, []);
    });
  });

  it("draws the runtime's code parts as <code>, the user's text as written", async () => {
    const host = {
      isCancelled: () => false,
      yieldNow: async () => {},
      now: () => 0,
      readTextFile: async () => 'x1,x2,t\n0,1,1\n1,0,1\n',
    };
    const s = new Session();
    const items: ResultItem[] = [];
    for (const cell of [
      'network 2 -> 1 sigmoid\ninit xavier seed 1',
      // a file name with backticks in it: the user's text, never code
      'dataset csv "my `odd` file.csv"\nforward\nbackward\nupdate',
      'mistake stale-weights on',
    ]) {
      const r = await s.runCell(cell, host);
      assert.ok(r.ok, cell);
      items.push(...r.items);
    }
    withFakeDocument((doc) => {
      const out = doc.createElement('div');
      renderPayload({ version: 1, items }, out as unknown as HTMLElement);
      const messages = [...out.walk()].filter((e) =>
        (e.getAttribute('class') ?? '').includes('bp-message'),
      );
      const said = messages.map((m) => m.textContent);
      const code = messages.map((m) =>
        [...m.walk()].filter((e) => e.tagName === 'code').map((e) => e.textContent),
      );
      const at = (start: string) => said.findIndex((t) => t.startsWith(start));
      // update's default η: `update lr η` is code, and no backtick is drawn
      const update = at('w ← w − η·∂E/∂w with η = 0.5');
      assert.equal(
        said[update],
        'w ← w − η·∂E/∂w with η = 0.5 (the default; update lr η sets another for one update)',
      );
      assert.deepEqual(code[update], ['update lr η']);
      const teaching = at('teaching switch ON');
      assert.deepEqual(code[teaching], ['update', 'step', 'train']);
      assert.ok(!said[teaching].includes('`'), said[teaching]);
      // the file name is shown as written, with its backticks, and is no code
      const data = at('dataset my `odd` file.csv: 2 rows');
      assert.ok(data >= 0, said.join(' | '));
      assert.deepEqual(code[data], []);
      assert.deepEqual(doc.innerHTMLWrites, []);
    });
  });

  it('shows a malformed payload as an error inside its own output', () => {
    withFakeDocument((doc) => {
      const out = doc.createElement('div') as FakeElement;
      renderPayload({ version: 1, items: 'nope' }, out as unknown as HTMLElement);
      assert.match(out.textContent, /^Cannot show this output: the output has no items$/);
      const out2 = doc.createElement('div') as FakeElement;
      renderPayload(
        { version: 1, items: [{ kind: 'network', snapshot: { name: 'n', sizes: [2, 2] } }] },
        out2 as unknown as HTMLElement,
      );
      assert.match(
        out2.textContent,
        /Skipped a malformed item: network item: network activations do not match its layers/,
      );
    });
  });
});
