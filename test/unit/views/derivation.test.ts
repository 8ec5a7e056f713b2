import * as assert from 'assert/strict';
import type { DerivationItem } from '../../../src/protocol/results';
import {
  drawDerivation,
  MAX_OUTPUT_LATEX,
  MAX_STEP_LATEX,
  typeset,
} from '../../../src/views/derivation';
import { renderPayload } from '../../../src/views/renderer';
import { FakeElement, withFakeDocument } from './fakeDom';

/** A derivation whose steps carry the given LaTeX (as a hostile saved file could). */
function derivation(latex: string[]): DerivationItem {
  return {
    kind: 'derivation',
    quantity: 'E',
    value: 0.25,
    steps: latex.map((l) => ({ symbolic: 'E', substituted: '0.25', latex: l, value: 0.25 })),
  };
}

describe('drawing a derivation (the runtime builds it; the view only draws)', () => {
  it('each step and the title carry every digit of their value in the tooltip', () => {
    withFakeDocument(() => {
      const root = drawDerivation({
        kind: 'derivation',
        quantity: '∂E/∂w11[1]',
        value: 0.00072947654216,
        steps: [
          {
            symbolic: '∂E/∂w11[1] = δ1[2] · x1',
            substituted: '0.0145895 · 0.05',
            latex: '',
            value: 0.00072947654216,
          },
        ],
      }) as unknown as FakeElement;
      const titles = [...root.walk()]
        .map((e) => e.attributes.get('title'))
        .filter((t) => t !== undefined);
      assert.deepEqual(titles, [
        '∂E/∂w11[1] = 0.00072947654216',
        '∂E/∂w11[1] = δ1[2] · x1 = 0.0145895 · 0.05 = 0.00072947654216',
      ]);
    });
  });

  it('typesets as HTML for the eye and MathML for screen readers, never parsing markup', () => {
    withFakeDocument((doc) => {
      const span = typeset('\\frac{\\partial E}{\\partial w_{11}^{[1]}} = 0.5');
      const katex = [...(span as unknown as FakeElement).walk()][0];
      assert.equal(katex.className, 'katex');
      const [mathml, html] = katex.children as FakeElement[];
      assert.deepEqual(
        [mathml.className, (mathml.children[0] as FakeElement).tagName, html.className],
        ['katex-mathml', 'math', 'katex-html'],
      );
      assert.equal(html.getAttribute('aria-hidden'), 'true', 'screen readers read the MathML');
      const hostile = typeset(
        '\\text{<img src=x onerror=alert(1)>} \\href{javascript:alert(1)}{x}',
      ) as unknown as FakeElement;
      assert.ok(hostile !== undefined);
      assert.deepEqual(doc.innerHTMLWrites, []);
      const tags = new Set([...hostile.walk()].map((e) => e.tagName));
      assert.ok(!tags.has('img') && !tags.has('a'), [...tags].join(' '));
      assert.ok(hostile.texts().join('').includes('<img'), 'the text stays text');
      const attributes = [...hostile.walk()].flatMap((e) => [...e.attributes.keys()]);
      assert.ok(!attributes.includes('href'), 'no link is made (trust: false)');
    });
  });

  it('a step whose saved LaTeX is over the limit is shown as its plain text, with a note', () => {
    const huge = 'x + '.repeat(MAX_STEP_LATEX / 4 + 1) + 'x';
    withFakeDocument(() => {
      const root = drawDerivation(derivation(['E = 0.25', huge])) as unknown as FakeElement;
      const steps = [...root.walk()].filter((e) =>
        e.attributes.get('class')?.split(' ').includes('bp-step'),
      );
      const typesetIn = (step: FakeElement) =>
        [...step.walk()].filter((e) => e.className === 'katex').length;
      assert.equal(typesetIn(steps[0]), 1);
      assert.equal(typesetIn(steps[1]), 0);
      assert.equal(steps[1].textContent, 'E = 0.25 = 0.25');
      assert.match(root.textContent, /1 step is shown as plain text: the formula is longer/);
    });
  });

  it('one output typesets at most MAX_OUTPUT_LATEX characters, however many derivations', () => {
    const step = 'x + '.repeat(2_000) + 'x'; // 8,001 characters, under the step limit
    const perItem = 5;
    const items = Array.from({ length: 10 }, () => derivation(Array(perItem).fill(step)));
    withFakeDocument((doc) => {
      const out = doc.createElement('div');
      renderPayload({ version: 1, items }, out as unknown as HTMLElement);
      const typesetSteps = [...out.walk()].filter((e) => e.className === 'bp-math').length;
      assert.equal(typesetSteps, Math.floor(MAX_OUTPUT_LATEX / step.length));
      assert.ok(typesetSteps < items.length * perItem);
    });
  });

  it("KaTeX's maxExpand and maxSize bound a macro bomb and a huge rule", () => {
    withFakeDocument(() => {
      assert.equal(typeset('\\def\\a{\\a\\a}\\a'), undefined, 'refused: too many expansions');
      const rule = typeset('\\rule{100000em}{100000em}') as unknown as FakeElement;
      const space = [...rule.walk()].find((e) => e.tagName === 'mspace')!;
      const size = ['width', 'height'].map((a) => space.getAttribute(a));
      assert.deepEqual(size, ['20em', '20em'], 'capped at maxSize');
    });
  });
});
