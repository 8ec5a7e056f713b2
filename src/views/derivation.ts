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
import { shownNumber } from '../protocol/text';
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

/**
 * A formula cut where a long line may break (MathML does not wrap inside one <math>): before each
 * `=` and `\leftarrow` and after each `+` outside braces, so the pieces typeset alone read as
 * the whole. A formula with `\left`, `\right`, `\begin` or `&` (pairs a cut could separate) stays
 * one piece.
 */
export function latexPieces(latex: string): string[] {
  if (/\\(left|right|begin)(?![a-zA-Z])|&/.test(latex)) return [latex];
  const pieces: string[] = [];
  let depth = 0;
  let start = 0;
  const cut = (at: number) => {
    const piece = latex.slice(start, at).trim();
    if (piece) pieces.push(piece);
    start = at;
  };
  for (let i = 0; i < latex.length; i++) {
    const c = latex[i];
    if (c === '\\') {
      if (depth === 0 && latex.startsWith('\\leftarrow', i)) cut(i);
      i++; // an escaped character (\{, \}) or a command's first letter
    } else if (c === '{') depth++;
    else if (c === '}') depth--;
    else if (depth === 0 && c === '=') cut(i);
    else if (depth === 0 && c === '+') cut(i + 1);
  }
  cut(latex.length);
  return pieces;
}

/** Longest LaTeX of one step that is typeset (real steps are a few hundred characters). */
export const MAX_STEP_LATEX = 10_000;
/** Most LaTeX typeset for one output (KaTeX takes ~5 ms per 10,000 characters, more in a page). */
export const MAX_OUTPUT_LATEX = 200_000;

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
    const latex = step.latex && fits ? latexPieces(step.latex) : [];
    const pieces = latex.map(latexToMathml);
    if (pieces.length && pieces.every((p) => p !== undefined)) {
      const math = el('span', { class: 'bp-math' });
      // KaTeX output (see the file comment). A line may break between pieces: at a space after a
      // `+`, at a zero-width space before a `=` (MathML spaces the `=` itself)
      math.innerHTML = pieces
        .map((p, i) => (i === 0 ? '' : latex[i - 1].endsWith('+') ? ' ' : '\u200b') + p)
        .join('');
      box.append(math);
    } else box.append(plain);
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
