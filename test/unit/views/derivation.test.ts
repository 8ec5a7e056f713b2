import * as assert from 'assert/strict';
import { drawDerivation, latexToMathml } from '../../../src/views/derivation';
import { withFakeDocument, type FakeElement } from './fakeDom';

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
});
