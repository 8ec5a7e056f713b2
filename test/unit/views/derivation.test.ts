import * as assert from 'assert/strict';
import type { DerivationItem } from '../../../src/protocol/results';
import {
  drawDerivation,
  latexPieces,
  latexToMathml,
  MAX_OUTPUT_LATEX,
  MAX_STEP_LATEX,
} from '../../../src/views/derivation';
import { renderPayload } from '../../../src/views/renderer';
import { withFakeDocument, type FakeElement } from './fakeDom';

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

  it(
    'a long formula is cut where a line may break: before = and \\leftarrow, after +, never ' +
      'inside braces',
    () => {
      assert.deepEqual(
        latexPieces(
          '\\frac{\\partial E}{\\partial w_{11}^{[1]}} = (1/4) \\cdot (a + b_{i+1}) = 0.5',
        ),
        ['\\frac{\\partial E}{\\partial w_{11}^{[1]}}', '= (1/4) \\cdot (a +', 'b_{i+1})', '= 0.5'],
      );
      assert.deepEqual(latexPieces('w \\leftarrow w - 0.5 \\cdot g = 1'), [
        'w',
        '\\leftarrow w - 0.5 \\cdot g',
        '= 1',
      ]);
      assert.deepEqual(latexPieces('\\text{a = b} \\{ = \\}'), ['\\text{a = b} \\{', '= \\}']);
      // a pair a cut could separate keeps the formula whole
      assert.deepEqual(latexPieces('\\left( a = b \\right)'), ['\\left( a = b \\right)']);
      withFakeDocument((doc) => {
        drawDerivation(derivation(['E = a + b = 0.25']));
        const html = doc.innerHTMLWrites.join('');
        assert.equal(html.match(/<math/g)?.length, 4, 'one <math> a piece (E, = a +, b, = 0.25)');
        assert.ok(html.includes('</span> <span class="katex">'), 'a space after the +');
        assert.ok(
          html.includes('</span>\u200b<span class="katex">'),
          'a zero-width space before =',
        );
      });
    },
  );

  it('typesets as MathML and never turns text into markup', () => {
    const html = latexToMathml('\\frac{\\partial E}{\\partial w_{11}^{[1]}} = 0.5');
    assert.ok(html?.startsWith('<span class="katex"><math'));
    const hostile = latexToMathml(
      '\\text{<img src=x onerror=alert(1)>} \\href{javascript:alert(1)}{x}',
    );
    assert.ok(hostile !== undefined);
    assert.ok(!hostile.includes('<img'), hostile);
    assert.ok(!/href=|<a[\s>]/.test(hostile), 'no link is made (trust: false)');
  });

  it('a step whose saved LaTeX is over the limit is shown as its plain text, with a note', () => {
    const huge = 'x + '.repeat(MAX_STEP_LATEX / 4 + 1) + 'x';
    withFakeDocument(() => {
      const root = drawDerivation(derivation(['E = 0.25', huge])) as unknown as FakeElement;
      const steps = [...root.walk()].filter((e) =>
        e.attributes.get('class')?.split(' ').includes('bp-step'),
      );
      assert.equal(steps[0].innerHTMLWrites.length, 0);
      assert.equal([...steps[0].walk()].filter((e) => e.innerHTMLWrites.length).length, 1);
      assert.equal([...steps[1].walk()].filter((e) => e.innerHTMLWrites.length).length, 0);
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
      const typeset = doc.innerHTMLWrites.filter((h) => h.includes('katex')).length;
      assert.equal(typeset, Math.floor(MAX_OUTPUT_LATEX / step.length));
      assert.ok(typeset < items.length * perItem);
    });
  });

  it("KaTeX's maxExpand and maxSize bound a macro bomb and a huge rule", () => {
    const bomb = latexToMathml('\\def\\a{\\a\\a}\\a');
    assert.ok(bomb !== undefined && /Too many expansions/.test(bomb), bomb);
    const rule = latexToMathml('\\rule{100000em}{100000em}');
    assert.ok(rule?.includes('width="20em" height="20em"'), rule); // capped at maxSize
  });
});
