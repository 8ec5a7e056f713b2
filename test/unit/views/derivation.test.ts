import * as assert from 'assert/strict';
import { gradientDerivation, latexNumber, latexToMathml } from '../../../src/views/derivation';
import { seedSnapshot } from './sample';

describe('derivation from a snapshot', () => {
  it('∂E/∂w11[1] = δ1[2] · x1, with δ1[2] from the outgoing weights, then the update', () => {
    const s = seedSnapshot({ lr: 0.5 });
    const d = gradientDerivation(s, 'w11[1]');
    assert.ok(d);
    assert.equal(d.quantity, '∂E/∂w11[1]');
    assert.equal(d.steps[0].symbolic, '∂E/∂w11[1] = δ1[2] · x1');
    const delta = (s.delta as number[][])[1][0];
    assert.equal(d.value, (s.weightGrad as number[][][])[0][0][0]);
    assert.ok(Math.abs((d.value as number) - delta * 0.05) < 1e-18);
    assert.match(d.steps[1].symbolic, /^δ1\[2\] = g'\(z1\[2\]\) · Σm w1m\[2\]·δm\[3\]$/);
    assert.ok(Math.abs((d.steps[1].value as number) - delta) < 1e-18);
    assert.equal(d.steps[2].symbolic, 'w11[1] ← w11[1] − η · ∂E/∂w11[1]');
    assert.ok(Math.abs((d.steps[2].value as number) - (0.15 - 0.5 * (d.value as number))) < 1e-15);
  });

  it('uses the weights before the update for δ when the snapshot is already updated', () => {
    const before = gradientDerivation(seedSnapshot({ lr: 0.5 }), 'w11[1]');
    const after = gradientDerivation(seedSnapshot({ lr: 0.5, updated: true }), 'w11[1]');
    assert.equal(after?.steps[1].substituted, before?.steps[1].substituted);
    assert.ok(
      Math.abs((after?.steps[2].value as number) - (before?.steps[2].value as number)) < 1e-15,
    );
  });

  it('output-layer weights use the output δ; unknown or out-of-range names give nothing', () => {
    const s = seedSnapshot();
    assert.equal(gradientDerivation(s, 'w21[2]')?.steps[0].symbolic, '∂E/∂w21[2] = δ1[3] · a2[2]');
    assert.equal(gradientDerivation(s, 'w41[2]'), undefined);
    assert.equal(gradientDerivation(s, 'w11[3]'), undefined);
    assert.equal(gradientDerivation(s, 'x<script>'), undefined);
  });

  it('writes numbers as LaTeX', () => {
    assert.equal(latexNumber(0.000012345), '1.2345\\times10^{-5}');
    assert.equal(latexNumber(-0.5, true), '(-0.5)');
    assert.equal(latexNumber('Infinity'), '\\infty');
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
