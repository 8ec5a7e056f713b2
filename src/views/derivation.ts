/**
 * Typesets a derivation with KaTeX: its HTML, drawn in KaTeX's own fonts (dist/katex, linked by
 * `linkKatexStyle`), and its MathML beside it for screen readers (`htmlAndMathml`; KaTeX's
 * stylesheet hides the MathML from the eye, and its HTML is aria-hidden). Until the stylesheet has
 * loaded, and where it cannot, the MathML is what shows (VIEW_CSS hides the HTML). KaTeX builds the
 * nodes itself (`katex.render`): no markup is parsed, and its inline styles are set through the
 * CSSOM, which the panel's CSP (no 'unsafe-inline') allows. `trust: false`; a formula KaTeX
 * refuses shows as the step's plain text. Its input is LaTeX we build from numbers and fixed
 * symbols, and KaTeX makes text nodes of any text it contains.
 * The derivation itself is the runtime's (src/runtime/derive.ts): nothing here computes a number.
 * Each step's tooltip carries its value with every digit.
 */
import katex from 'katex';
import { DerivationItem, decodeNumber } from '../protocol/results';
import { shownNumber } from '../protocol/text';
import { el } from './dom';
import { KATEX_READY } from './styles';

/** KaTeX's stylesheet, beside the bundles in dist/ (esbuild.js writes it and its fonts). */
export const KATEX_CSS = 'katex/katex.css';

/**
 * Links KaTeX's stylesheet once per document; `scriptUrl` is the address of the bundle drawing
 * (dist/renderer.js or dist/panel.js). Without one (a test's fake page) the MathML shows.
 */
export function linkKatexStyle(doc: Document, scriptUrl: string | undefined): void {
  if (!scriptUrl || doc.getElementById('bpnb-katex-style')) return;
  const link = doc.createElement('link');
  link.id = 'bpnb-katex-style';
  link.rel = 'stylesheet';
  link.href = new URL(KATEX_CSS, scriptUrl).href;
  link.onload = () => doc.documentElement.classList.add(KATEX_READY);
  doc.head.append(link);
}

/**
 * One formula typeset in a span of its own, or undefined if KaTeX refuses it. Inline: a long line
 * breaks after a relation or a binary operator outside braces, spaced as TeX spaces it.
 */
export function typeset(latex: string): HTMLElement | undefined {
  const span = el('span', { class: 'bp-math' });
  try {
    katex.render(latex, span, {
      output: 'htmlAndMathml',
      throwOnError: true,
      trust: false,
      strict: 'ignore',
      maxExpand: 200,
      maxSize: 20,
    });
    return span;
  } catch {
    return undefined;
  }
}

/** Longest LaTeX of one step that is typeset (real steps are a few hundred characters). */
export const MAX_STEP_LATEX = 10_000;
/**
 * Most LaTeX typeset for one output. KaTeX's HTML and MathML take ~0.15 s per 10,000 characters in
 * headless Chromium here (200,000 took 2.9 s; the MathML alone 1.2 s): 80,000 keep an output of
 * hostile LaTeX to about what the MathML's 200,000 took (real outputs have under 1,000).
 */
export const MAX_OUTPUT_LATEX = 80_000;

/** What is left to typeset in one output; shared by its derivations. */
export interface LatexBudget {
  chars: number;
}

export const latexBudget = (): LatexBudget => ({ chars: MAX_OUTPUT_LATEX });

/**
 * The derivation's steps, typeset while the budget lasts. The LaTeX comes from the saved file, so a
 * step over MAX_STEP_LATEX, or past the output's MAX_OUTPUT_LATEX, is shown as its plain text (the
 * same step, untypeset) with a note, instead of freezing the output.
 */
export function drawDerivation(
  item: DerivationItem,
  budget: LatexBudget = latexBudget(),
): HTMLElement {
  const root = el('div', {
    class: 'bp-item bp-derivation',
    role: 'group',
    'aria-label': `derivation of ${item.quantity}`,
  });
  root.append(
    el(
      'div',
      { class: 'bp-title', title: `${item.quantity} = ${String(decodeNumber(item.value))}` },
      [`${item.quantity} = ${shownNumber(item.value)}`],
    ),
  );
  let untypeset = 0;
  for (const step of item.steps) {
    const plain = `${step.symbolic} = ${step.substituted} = ${shownNumber(step.value)}`;
    const exact =
      `${step.symbolic} = ${step.exact ?? step.substituted} = ` +
      `${String(decodeNumber(step.value))}`;
    // a long step scrolls sideways: focusable, so the keyboard can scroll it too (axe:
    // scrollable-region-focusable)
    const box = el('div', { class: 'bp-step bp-focusable', title: exact, tabindex: 0 });
    const size = step.latex.length;
    const fits = size <= MAX_STEP_LATEX && size <= budget.chars;
    if (fits) budget.chars -= size;
    else untypeset++;
    box.append((step.latex && fits && typeset(step.latex)) || plain);
    root.append(box);
  }
  if (untypeset)
    root.append(
      el('div', { class: 'bp-note' }, [
        `${untypeset} ${untypeset === 1 ? 'step is' : 'steps are'} shown as plain text: the ` +
          `formula is longer than the typesetting limit (${MAX_STEP_LATEX.toLocaleString('en')}` +
          ` characters a step, ${MAX_OUTPUT_LATEX.toLocaleString('en')} an output).`,
      ]),
    );
  return root;
}
