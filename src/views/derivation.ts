/**
 * Typesets a derivation with KaTeX (MathML output: no fonts or stylesheet to load, and Chromium
 * draws MathML natively). `trust: false` and `throwOnError: false`; if KaTeX fails anyway the
 * plain text of each step is shown. KaTeX output is the one place markup is inserted: its input
 * is LaTeX we build from numbers and fixed symbols, and KaTeX escapes any text it contains.
 */
import katex from 'katex';
import {
  DerivationItem,
  DerivationStep,
  NetworkSnapshot,
  Num,
  decodeNumber,
  encodeNumber,
} from '../protocol/results';
import { formatNumber } from '../protocol/text';
import { el } from './dom';
import { biasName, parseParam, weightName, one } from './names';

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
  root.append(el('div', { class: 'bp-title' }, [`${item.quantity} = ${formatNumber(item.value)}`]));
  for (const step of item.steps) {
    const plain = `${step.symbolic} = ${step.substituted} = ${formatNumber(step.value)}`;
    const box = el('div', { class: 'bp-step', title: plain });
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

/** A number as LaTeX: `1.2e-5` becomes `1.2\times10^{-5}`, negatives get parentheses when multiplied. */
export function latexNumber(v: Num | number, paren = false): string {
  const text = formatNumber(typeof v === 'number' ? encodeNumber(v) : v);
  if (text === 'NaN') return '\\text{NaN}';
  if (text === 'Infinity' || text === '-Infinity') return text[0] === '-' ? '-\\infty' : '\\infty';
  const m = /^(-?[\d.]+)e([+-]?\d+)$/.exec(text);
  const body = m ? `${m[1]}\\times10^{${Number(m[2])}}` : text;
  return paren && text.startsWith('-') ? `(${body})` : body;
}

const sub = (name: string, i: number | string, k?: number) =>
  `${name}_{${i}}${k !== undefined ? `^{[${k}]}` : ''}`;

/** g'(z) from the activation's name, when it can be written from z and a alone. */
function activationSlope(activation: string, z: number, a: number): number | undefined {
  switch (activation.toLowerCase()) {
    case 'sigmoid':
      return a * (1 - a);
    case 'tanh':
      return 1 - a * a;
    case 'relu':
      return z > 0 ? 1 : 0;
    case 'identity':
    case 'linear':
      return 1;
    default: {
      const leaky = /^leaky-relu\(([-\d.e]+)\)$/.exec(activation);
      return leaky ? (z > 0 ? 1 : Number(leaky[1])) : undefined;
    }
  }
}

function step(symbolic: string, substituted: string, latex: string, value: number): DerivationStep {
  return { symbolic, substituted, latex, value: encodeNumber(value) };
}

/**
 * The derivation of ∂E/∂wij[k] or ∂E/∂bj[k] from a snapshot's recorded numbers, as `explain`
 * gives it: the chain rule step δj[k+1]·ai[k], the hidden δ it uses, and the update.
 */
export function gradientDerivation(s: NetworkSnapshot, param: string): DerivationItem | undefined {
  const ref = parseParam(param);
  if (!ref || !s.delta) return undefined;
  const n = s.sizes.length;
  const val = (v: Num | undefined) => (v === undefined ? NaN : decodeNumber(v));
  const steps: DerivationStep[] = [];
  const to = ref.kind === 'weight' ? ref.k + 1 : ref.k;
  const j = ref.j;
  if (to < 2 || to > n || j > s.sizes[to - 1]) return undefined;
  const delta = val(s.delta[to - 1]?.[j - 1]);
  const dName = `${one('δ', j)}[${to}]`;
  let grad: number;
  let name: string;
  if (ref.kind === 'weight') {
    if (ref.i > s.sizes[ref.k - 1]) return undefined;
    name = weightName(ref.i, j, ref.k);
    const a = val(s.a?.[ref.k - 1]?.[ref.i - 1]);
    grad = val(s.weightGrad?.[ref.k - 1]?.[ref.i - 1]?.[j - 1]);
    if (Number.isNaN(grad)) grad = delta * a;
    const aName = ref.k === 1 ? one('x', ref.i) : `${one('a', ref.i)}[${ref.k}]`;
    const aTex = ref.k === 1 ? sub('x', ref.i) : sub('a', ref.i, ref.k);
    steps.push(
      step(
        `∂E/∂${name} = ${dName} · ${aName}`,
        `${formatNumber(delta)} · ${formatNumber(a)}`,
        `\\frac{\\partial E}{\\partial ${sub('w', `${ref.i}${j > 9 || ref.i > 9 ? ',' : ''}${j}`, ref.k)}} = ${sub('\\delta', j, to)}\\,${aTex} = ${latexNumber(delta)}\\cdot ${latexNumber(a, true)} = ${latexNumber(grad)}`,
        grad,
      ),
    );
  } else {
    name = biasName(j, ref.k);
    grad = val(s.biasGrad?.[ref.k - 2]?.[j - 1]);
    if (Number.isNaN(grad)) grad = delta;
    steps.push(
      step(
        `∂E/∂${name} = ${dName}`,
        formatNumber(delta),
        `\\frac{\\partial E}{\\partial ${sub('b', j, ref.k)}} = ${sub('\\delta', j, to)} = ${latexNumber(grad)}`,
        grad,
      ),
    );
  }
  // the δ used above, one layer back from the layer after it (hidden nodes only)
  if (to < n) {
    const z = val(s.z?.[to - 1]?.[j - 1]);
    const a = val(s.a?.[to - 1]?.[j - 1]);
    const slope = activationSlope(s.activations[to - 2] ?? '', z, a);
    const outgoing = s.weights[to - 1]?.[j - 1] ?? [];
    let sum = 0;
    const terms: string[] = [];
    const texTerms: string[] = [];
    outgoing.forEach((wv, m) => {
      const g = val(s.weightGrad?.[to - 1]?.[j - 1]?.[m]);
      // δ uses the weights as they were before the update
      const w =
        s.updated && s.lr !== undefined && Number.isFinite(g) ? val(wv) + s.lr * g : val(wv);
      const d = val(s.delta?.[to]?.[m]);
      sum += w * d;
      if (terms.length < 6) {
        terms.push(`${weightName(j, m + 1, to)}·${one('δ', m + 1)}[${to + 1}]`);
        texTerms.push(`${latexNumber(w, true)}\\cdot${latexNumber(d, true)}`);
      }
    });
    const more = outgoing.length > 6 ? ' + …' : '';
    if (slope !== undefined) {
      steps.push(
        step(
          `${dName} = g'(${one('z', j)}[${to}]) · Σm ${j > 9 ? `w(${j},m)` : `w${j}m`}[${to}]·δm[${to + 1}]`,
          `${formatNumber(slope)} · (${terms.join(' + ')}${more}) = ${formatNumber(slope)} · ${formatNumber(sum)}`,
          `${sub('\\delta', j, to)} = g'(${sub('z', j, to)})\\sum_m ${sub('w', `${j}m`, to)}\\,${sub('\\delta', 'm', to + 1)} = ${latexNumber(slope)}\\cdot(${texTerms.join('+')}${more ? '+\\dots' : ''}) = ${latexNumber(delta)}`,
          delta,
        ),
      );
    }
  } else {
    steps.push(
      step(
        `${dName} = ∂E/∂${one('a', j)}[${to}] · g'(${one('z', j)}[${to}])`,
        formatNumber(delta),
        `${sub('\\delta', j, to)} = \\frac{\\partial E}{\\partial ${sub('a', j, to)}}\\, g'(${sub('z', j, to)}) = ${latexNumber(delta)}`,
        delta,
      ),
    );
  }
  if (s.lr !== undefined && Number.isFinite(grad)) {
    const current =
      ref.kind === 'weight'
        ? val(s.weights[ref.k - 1]?.[ref.i - 1]?.[j - 1])
        : val(s.biases[ref.k - 2]?.[j - 1]);
    const before = s.updated ? current + s.lr * grad : current;
    const after = before - s.lr * grad;
    const tex =
      ref.kind === 'weight'
        ? sub('w', `${ref.i}${j > 9 || ref.i > 9 ? ',' : ''}${j}`, ref.k)
        : sub('b', j, ref.k);
    steps.push(
      step(
        `${name} ← ${name} − η · ∂E/∂${name}`,
        `${formatNumber(before)} − ${formatNumber(s.lr)} · ${formatNumber(grad)}`,
        `${tex} \\leftarrow ${latexNumber(before)} - ${latexNumber(s.lr)}\\cdot ${latexNumber(grad, true)} = ${latexNumber(after)}`,
        after,
      ),
    );
  }
  return { kind: 'derivation', quantity: `∂E/∂${name}`, steps, value: encodeNumber(grad) };
}
