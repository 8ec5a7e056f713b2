/**
 * Quantities in the seed's notation, from the text of one `quantity` token:
 * `E`, `x1`, `t1`, `z1[2]`, `a1[2]`, `δ1[3]` (`d1[3]`, `delta1[3]`), `b1[2]`,
 * `w21[2]`, `dE/dw11[1]` (`∂E/∂w11[1]`), `dE/db1[2]`, `dE/dz1[2]` (= δ1[2]), `dE/da1[2]`,
 * `dE/dx1` (= dE/da1[1]). Run-together indices are single digits (exactly two for w, one
 * otherwise); larger indices use parentheses: `w(12,3)[2]`, `z(12)[2]`, `x(12)`. `(sN)` after a
 * per-row quantity names row N of a batch: `δ1[2](s3)`, `dE/dx1(s2)`.
 */
import type { Quantity, QuantityRef, Span } from './ast';
import { diagnostic, type Diagnostic } from './diagnostics';

const SHAPE =
  /^(dE\/d|∂E\/∂)?(delta|δ|w|b|z|a|d|x|t)(?:(\d+)|\(([0-9, ]*)\))(?:\[(\d*)\])?(?:\(s(\d+)\))?$/;

/**
 * The names E may be differentiated with respect to: `dE/dw…`, `dE/db…`, `dE/dz…`, `dE/da…`,
 * `dE/dx…`.
 */
export const GRADIENT_NAMES = ['w', 'b', 'z', 'a', 'x'] as const;

/** The kinds `explain` derives (and the panel can ask for). */
export const EXPLAINABLE: readonly QuantityRef['kind'][] = [
  'delta',
  'weightGrad',
  'biasGrad',
  'activationGrad',
];

type NodeKind = 'preActivation' | 'activation' | 'delta' | 'bias';
const NODE_KINDS: Readonly<Record<string, NodeKind>> = {
  z: 'preActivation',
  a: 'activation',
  δ: 'delta',
  d: 'delta',
  delta: 'delta',
  b: 'bias',
};

export interface QuantityParse {
  quantity?: Quantity;
  diagnostics: Diagnostic[];
}

/** Parse the text of a quantity token that starts at offset `start` in the cell. */
export function parseQuantity(text: string, start: number): QuantityParse {
  const span: Span = { start, end: start + text.length };
  const fail = (d: Diagnostic): QuantityParse => ({ diagnostics: [d] });
  if (text === 'E') return { quantity: { kind: 'loss', text, span }, diagnostics: [] };
  const m = SHAPE.exec(text);
  if (!m) return fail(diagnostic('BPNB124', span, { text }));
  const [, gradient, name, digits, parenthesised, layerText, rowText] = m;
  const isWeight = name === 'w';
  const isPoint = name === 'x' || name === 't';
  if (gradient && !(GRADIENT_NAMES as readonly string[]).includes(name)) {
    return fail(
      diagnostic('BPNB124', span, {
        text,
        hint: `write ∂E/∂ before ${GRADIENT_NAMES.join(', ')}, e.g. dE/dw11[1], dE/dx1`,
      }),
    );
  }
  // indices
  let indices: number[];
  if (digits !== undefined) {
    const want = isWeight ? 2 : 1;
    if (!isPoint && digits.length !== want) {
      const layer = layerText || 'k';
      const suggestion = isWeight
        ? `${gradient ?? ''}w(i,j)[${layer}] with i the from-node and j the to-node`
        : `${gradient ?? ''}${name}(${digits})[${layer}]`;
      const what = isWeight
        ? 'w takes exactly two one-digit indices i j'
        : `${name} takes one one-digit index`;
      return fail(diagnostic('BPNB120', span, { text, what, suggestion }));
    }
    indices = isPoint ? [Number(digits)] : [...digits].map(Number);
  } else {
    const parts = (parenthesised ?? '').split(',').map((p) => p.trim());
    const want = isWeight ? 2 : 1;
    if (parts.length !== want || parts.some((p) => !/^\d+$/.test(p))) {
      return fail(
        diagnostic('BPNB102', span, {
          expected: isWeight
            ? `two indices as in ${name}(i,j)[k]`
            : `one index as in ${name}(i)${isPoint ? '' : '[k]'}`,
          found: `'${text}'`,
        }),
      );
    }
    indices = parts.map(Number);
  }
  // layer
  let layer = 0;
  if (isPoint) {
    if (layerText !== undefined)
      return fail(
        diagnostic('BPNB124', span, {
          text,
          hint: `${name === 'x' ? 'inputs' : 'targets'} have no layer: write ${name}${indices[0]}`,
        }),
      );
  } else {
    if (!layerText)
      return fail(
        diagnostic('BPNB121', span, {
          text,
          suggestion:
            `${text.replace(/\[\]$/, '')}[k], e.g. ${text.replace(/\[\]$/, '')}[` +
            `${isWeight ? 1 : 2}]`,
        }),
      );
    layer = Number(layerText);
  }
  if (indices.some((i) => i === 0) || (!isPoint && layer === 0))
    return fail(diagnostic('BPNB123', span, { text }));
  let ref: QuantityRef;
  if (isWeight)
    ref = { kind: gradient ? 'weightGrad' : 'weight', from: indices[0], to: indices[1], layer };
  else if (gradient && name === 'x') ref = { kind: 'activationGrad', node: indices[0], layer: 1 };
  else if (gradient && name === 'a') ref = { kind: 'activationGrad', node: indices[0], layer };
  else if (name === 'x') ref = { kind: 'input', node: indices[0] };
  else if (name === 't') ref = { kind: 'target', node: indices[0] };
  else if (gradient && name === 'b') ref = { kind: 'biasGrad', node: indices[0], layer };
  else if (gradient) ref = { kind: 'delta', node: indices[0], layer };
  else ref = { kind: NODE_KINDS[name], node: indices[0], layer };
  if (rowText === undefined) return { quantity: { ...ref, text, span }, diagnostics: [] };
  // `(sN)`: row N of a batch, for the numbers each row has (z, a, δ, x, t)
  const row = Number(rowText);
  if (row === 0) return fail(diagnostic('BPNB123', span, { text }));
  if (!PER_ROW.includes(ref.kind))
    return fail(
      diagnostic('BPNB124', span, {
        text,
        hint:
          `${text.slice(0, text.lastIndexOf('(s'))} is one number for the whole batch; only ` +
          `z, a, δ, x, t, ∂E/∂a and ∂E/∂x have one per row`,
      }),
    );
  return { quantity: { ...ref, text, span, row }, diagnostics: [] };
}

/** The quantities that have a value per row of a batch (`z1[2](s2)`). */
export const PER_ROW: readonly QuantityRef['kind'][] = [
  'preActivation',
  'activation',
  'delta',
  'input',
  'target',
  'activationGrad',
];

/** The quantity written in canonical form: `δ1[2]`, `∂E/∂w11[1]`, `w(12,3)[2]`. */
export function quantityLabel(q: QuantityRef): string {
  const one = (name: string, i: number): string => (i > 9 ? `${name}(${i})` : `${name}${i}`);
  const two = (name: string, i: number, j: number): string =>
    i > 9 || j > 9 ? `${name}(${i},${j})` : `${name}${i}${j}`;
  switch (q.kind) {
    case 'loss':
      return 'E';
    case 'input':
      return one('x', q.node);
    case 'target':
      return one('t', q.node);
    case 'preActivation':
      return `${one('z', q.node)}[${q.layer}]`;
    case 'activation':
      return `${one('a', q.node)}[${q.layer}]`;
    case 'delta':
      return `${one('δ', q.node)}[${q.layer}]`;
    case 'bias':
      return `${one('b', q.node)}[${q.layer}]`;
    case 'weight':
      return `${two('w', q.from, q.to)}[${q.layer}]`;
    case 'weightGrad':
      return `∂E/∂${two('w', q.from, q.to)}[${q.layer}]`;
    case 'biasGrad':
      return `∂E/∂${one('b', q.node)}[${q.layer}]`;
    case 'activationGrad':
      return q.layer === 1 ? `∂E/∂${one('x', q.node)}` : `∂E/∂${one('a', q.node)}[${q.layer}]`;
  }
}
