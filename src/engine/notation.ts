/** Names in the seed's notation (all indices 1-based), and their LaTeX forms. */

/** 'ij' when both indices are single digits, else '(i,j)' — so w(12,3)[2] stays unambiguous */
export function pairIndex(i: number, j: number): string {
  return i <= 9 && j <= 9 ? `${i}${j}` : `(${i},${j})`;
}

export const names = {
  w: (k: number, i: number, j: number) => `w${pairIndex(i, j)}[${k}]`,
  b: (k: number, j: number) => `b${j}[${k}]`,
  z: (k: number, j: number) => `z${j}[${k}]`,
  /** aj[k]; the inputs are written xj as in the seed */
  a: (k: number, j: number) => (k === 1 ? `x${j}` : `a${j}[${k}]`),
  delta: (k: number, j: number) => `δ${j}[${k}]`,
  t: (j: number) => `t${j}`,
  dw: (k: number, i: number, j: number) => `∂E/∂${names.w(k, i, j)}`,
  db: (k: number, j: number) => `∂E/∂${names.b(k, j)}`,
  /** ∂E/∂aj[k], ∂E/∂xj for the input layer */
  da: (k: number, j: number) => `∂E/∂${names.a(k, j)}`,
};

/** ∂E/∂aj[k] of one row's own loss: ∂E(s2)/∂a1[2](s2) on a batch, ∂E/∂a1[2] for one row. */
export function rowGradient(k: number, j: number, sample: number, batch: number): string {
  return batch > 1 ? `∂E(s${sample})/∂${names.a(k, j)}(s${sample})` : names.da(k, j);
}

/** A sample suffix for batches: δ1[2]⁽²⁾ is written δ1[2](s2). */
export function inSample(name: string, sample: number, batch: number): string {
  return batch > 1 ? `${name}(s${sample})` : name;
}

/** E, or the name of a user's loss as an operator: \operatorname{hsq} */
export function lossLatex(name: string): string {
  return name === 'E' ? 'E' : `\\operatorname{${name.replace(/_/g, '\\_')}}`;
}

/** Converts the engine's plain notation into LaTeX (names, ∂, δ, Σ, ·, −, ²). */
export function toLatex(text: string): string {
  return (
    text
      // ∂E/∂w11[1], ∂E/∂x1, a row's own ∂E(s2)/∂a1[2](s2), a user's loss ∂hsq/∂a1[3]: a fraction,
      // its names converted below
      .replace(
        /∂(\w+)(\(s\d+\))?\/∂([wbazx](?:\d+|\(\d+,\d+\))(?:\[\d+\])?(?:\(s\d+\))?)/g,
        (_m, loss: string, row: string | undefined, name: string) =>
          `\\frac{\\partial ${lossLatex(loss)}${row ?? ''}}{\\partial ${name}}`,
      )
      .replace(
        /([wbza])(\d+|[ij]|\d[ij]|[ij]\d|\(\d+,\d+\))\[(\d+)\]/g,
        (_m, s: string, idx: string, k: string) => `${s}_{${idx.replace(/[()]/g, '')}}^{[${k}]}`,
      )
      .replace(/δ(\d+|[ij])\[(\d+)\]/g, (_m, j: string, k: string) => `\\delta_{${j}}^{[${k}]}`)
      .replace(/\bx(\d+)/g, (_m, j: string) => `x_{${j}}`)
      .replace(/\bt(\d+)/g, (_m, j: string) => `t_{${j}}`)
      .replace(/\(s(\d+)\)/g, (_m, s: string) => `^{(${s})}`)
      .replace(/Σ([a-z])/g, (_m, v: string) => `\\sum_{${v}}`)
      .replace(/·/g, ' \\cdot ')
      // a negative number's sign, written against its digits (`−0.5`, `-0.5`; a binary minus has
      // spaces, `a − t`), is its own: braced, MathML draws it as a prefix, not as a spaced operator
      .replace(/(^|[^\w.])[-−](\d[\d.]*(?:e[-+]?\d+)?)/g, '$1{-$2}')
      .replace(/−/g, '-')
      .replace(/²/g, '^{2}')
      .replace(/…/g, '\\ldots')
      // a layer and a sample on one name: one superscript (KaTeX refuses a double superscript)
      .replace(/\^\{\[(\d+)\]\}\^\{\((\d+)\)\}/g, '^{[$1](s$2)}')
  );
}
