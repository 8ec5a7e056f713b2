import * as assert from 'assert/strict';
import { renderPayload } from '../../../src/views/renderer';
import { withCode } from '../../../src/views/dom';
import { FakeElement, withFakeDocument } from './fakeDom';
import { seedSnapshot } from './sample';

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
