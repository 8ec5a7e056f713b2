/**
 * The gradient table of a snapshot: every parameter, its value, ∂E/∂w, the update −η·∂E/∂w and the
 * new value. Pure.
 */
import { Cell, NetworkSnapshot, Num } from '../protocol/results';
import { biasName, nodeName, weightName } from './names';

export const GRADIENT_COLUMNS = ['parameter', 'value', '∂E/∂w', '−η·∂E/∂w', 'new value'];

/**
 * One row per weight and bias. `value` is the weight the gradient was computed with: after an
 * update, the runtime's recorded value before it, the step the engine took ('frozen': none) and the
 * weight now. Columns without a recorded gradient or update are '' (not computed).
 */
export function gradientRows(s: NetworkSnapshot): Cell[][] {
  const rows: Cell[][] = [];
  const row = (name: string, w: Num, g: Num | undefined, before?: Num, step?: Num | null) => {
    if (g === undefined) return rows.push([name, w, '', '', '']);
    if (before === undefined || step === undefined) return rows.push([name, w, g, '', '']);
    rows.push([name, before, g, step ?? 'frozen', w]);
  };
  s.weights.forEach((layer, kIdx) =>
    layer.forEach((fromRow, iIdx) =>
      fromRow.forEach((w, jIdx) =>
        row(
          weightName(iIdx + 1, jIdx + 1, kIdx + 1),
          w,
          s.weightGrad?.[kIdx]?.[iIdx]?.[jIdx],
          s.weightsBefore?.[kIdx]?.[iIdx]?.[jIdx],
          s.weightSteps?.[kIdx]?.[iIdx]?.[jIdx],
        ),
      ),
    ),
  );
  s.biases.forEach((layer, idx) =>
    layer.forEach((b, jIdx) =>
      row(
        biasName(jIdx + 1, idx + 2),
        b,
        s.biasGrad?.[idx]?.[jIdx],
        s.biasesBefore?.[idx]?.[jIdx],
        s.biasSteps?.[idx]?.[jIdx],
      ),
    ),
  );
  return rows;
}

/** Per-layer table of z, a and δ for every node (what the notebook shows under a network). */
export function nodeRows(s: NetworkSnapshot): Cell[][] {
  const rows: Cell[][] = [];
  s.sizes.forEach((n, kIdx) => {
    for (let j = 0; j < n; j++) {
      const z = s.z?.[kIdx]?.[j];
      const a = s.a?.[kIdx]?.[j];
      const d = s.delta?.[kIdx]?.[j];
      rows.push([
        nodeName(j + 1, kIdx + 1),
        kIdx === 0 ? '' : (z ?? ''),
        a ?? '',
        d ?? '',
        s.activationGrad?.[kIdx]?.[j] ?? '',
        s.flags?.[kIdx]?.[j] ?? '',
      ]);
    }
  });
  return rows;
}

export const NODE_COLUMNS = ['node', 'z', 'a', 'δ = ∂E/∂z', '∂E/∂a (∂E/∂x in L1)', 'flag'];

/**
 * Every weight and bias with its current value and ∂E/∂w (what the drawing's edges show), for the
 * table view.
 */
export function edgeRows(s: NetworkSnapshot): Cell[][] {
  const rows: Cell[][] = [];
  s.weights.forEach((layer, kIdx) =>
    layer.forEach((fromRow, iIdx) =>
      fromRow.forEach((w, jIdx) =>
        rows.push([
          weightName(iIdx + 1, jIdx + 1, kIdx + 1),
          w,
          s.weightGrad?.[kIdx]?.[iIdx]?.[jIdx] ?? '',
        ]),
      ),
    ),
  );
  s.biases.forEach((layer, idx) =>
    layer.forEach((b, jIdx) =>
      rows.push([biasName(jIdx + 1, idx + 2), b, s.biasGrad?.[idx]?.[jIdx] ?? '']),
    ),
  );
  return rows;
}

export const EDGE_COLUMNS = ['parameter', 'value', '∂E/∂w'];
