/**
 * Typesets a derivation with KaTeX (MathML output: no fonts or stylesheet to load, and Chromium
 * draws MathML natively). `trust: false` and `throwOnError: false`; if KaTeX fails anyway the
 * plain text of each step is shown. KaTeX output is the one place markup is inserted: its input
 * is LaTeX we build from numbers and fixed symbols, and KaTeX escapes any text it contains.
 * The derivation itself is the runtime's (src/runtime/derive.ts): nothing here computes a number.
 * Each step's tooltip carries its value with every digit.
 */
import katex from 'katex';
import { DerivationItem, decodeNumber } from '../protocol/results';
import { formatNumber } from '../protocol/text';
import { el } from './dom';

export function latexToMathml(latex: string): string | undefined {
  try {
    return katex.renderToString(latex, {
      output: 'mathml',
      throwOnError: false,
      trust: false,
      strict: 'ignore',
      maxExpand: 200,
      maxSize: 20,
    });
  } catch {
    return undefined;
  }
}

export function drawDerivation(item: DerivationItem): HTMLElement {
  const root = el('div', {
    class: 'bp-item bp-derivation',
    role: 'group',
    'aria-label': `derivation of ${item.quantity}`,
  });
  root.append(
    el(
      'div',
      { class: 'bp-title', title: `${item.quantity} = ${String(decodeNumber(item.value))}` },
      [`${item.quantity} = ${formatNumber(item.value)}`],
    ),
  );
  for (const step of item.steps) {
    const plain = `${step.symbolic} = ${step.substituted} = ${formatNumber(step.value)}`;
    const exact = `${step.symbolic} = ${step.exact ?? step.substituted} = ${String(decodeNumber(step.value))}`;
    const box = el('div', { class: 'bp-step', title: exact });
    const html = step.latex ? latexToMathml(step.latex) : undefined;
    if (html) {
      const math = el('span', { class: 'bp-math' });
      math.innerHTML = html; // KaTeX output (see the file comment)
      box.append(math);
    } else box.append(plain);
    root.append(box);
  }
  return root;
}
