/** Reads the current value of a quantity in the seed's notation from a network and its records. */
import { activationGradOf, backward } from '../engine/passes';
import type { QuantityRef } from '../language/ast';
import { table } from './present';
import { encodeNumber, type TableItem } from '../protocol/results';
import { PER_ROW, quantityLabel } from '../language/quantity';
import { activeDataset, targetsOf, type NetState } from './state';

export interface QuantityValue {
  value: number;
  /** ∂E/∂(this parameter), when a backward pass recorded it */
  gradient?: number;
}

/** What a quantity is read from: a network, its records and the data its passes use. */
export type QuantityContext = Pick<
  NetState,
  'net' | 'rec' | 'input' | 'target' | 'dataset' | 'source'
>;

/**
 * The value, or a sentence saying why there is none yet (e.g. "run forward first"). z, a, δ, x and
 * t are of row `q.row` of the last batch (row 1 when not given).
 */
export function quantityValue(
  ctx: QuantityContext,
  q: QuantityRef & { row?: number },
): QuantityValue | string {
  const { net, rec } = ctx;
  const s = (q.row ?? 1) - 1;
  const rows = rec.fwd?.batchSize ?? 1;
  if (s >= rows)
    return (
      `row ${s + 1} is not there: the last forward pass had ${rows} ` +
      `${rows === 1 ? 'row' : 'rows'}`
    );
  /** node j (1-based) of layer k's values in row s */
  const at = (values: Float64Array, k: number, j: number) => values[s * net.sizes[k - 1] + j - 1];
  switch (q.kind) {
    case 'weight': {
      const value = net.getWeight(q.layer, q.from, q.to);
      const gradient = rec.back?.weightGrad[q.layer - 1][net.weightIndex(q.layer, q.from, q.to)];
      return gradient === undefined ? { value } : { value, gradient };
    }
    case 'bias': {
      if (!net.hasBias(q.layer)) return `layer L${q.layer} has no biases (bias off)`;
      const value = net.getBias(q.layer, q.node);
      const gradient = rec.back?.biasGrad[q.layer - 2][q.node - 1];
      return gradient === undefined ? { value } : { value, gradient };
    }
    case 'input':
      if (rec.fwd) return { value: at(rec.fwd.a[1], 1, q.node) };
      if (s > 0) return 'run `forward` first';
      return ctx.input
        ? { value: ctx.input[q.node - 1] }
        : 'no input yet: set one with `input x = [...]`';
    case 'target':
      if (rec.back) return { value: at(rec.back.targets, net.layerCount, q.node) };
      if (s > 0 && activeDataset(ctx)) return { value: activeDataset(ctx)!.targets[s][q.node - 1] };
      return ctx.target
        ? { value: ctx.target[q.node - 1] }
        : 'no target yet: set one with `target t = [...]`';
    case 'preActivation':
      if (!rec.fwd) return 'run `forward` first';
      return { value: at(rec.fwd.z[q.layer], q.layer, q.node) };
    case 'activation':
      if (!rec.fwd) return 'run `forward` first';
      return { value: at(rec.fwd.a[q.layer], q.layer, q.node) };
    case 'delta':
      if (!rec.back) return 'run `backward` first';
      return { value: at(rec.back.delta[q.layer], q.layer, q.node) };
    case 'weightGrad':
      if (!rec.back) return 'run `backward` first';
      return { value: rec.back.weightGrad[q.layer - 1][net.weightIndex(q.layer, q.from, q.to)] };
    case 'activationGrad':
      if (!rec.fwd || !rec.back) return 'run `backward` first';
      return { value: activationGradOf(net, rec.fwd, rec.back, q.layer, q.node - 1, s) };
    case 'biasGrad':
      if (!rec.back) return 'run `backward` first';
      if (!net.hasBias(q.layer)) return `layer L${q.layer} has no biases (bias off)`;
      return { value: rec.back.biasGrad[q.layer - 2][q.node - 1] };
    case 'loss': {
      if (rec.back) return { value: rec.back.loss };
      if (!rec.fwd) return 'run `forward` first';
      // E of the batch forward ran on, against the targets backward will use (the number it will
      // give; a loss of one output node reads none)
      let targets: number[] | number[][];
      try {
        targets = targetsOf(ctx);
      } catch {
        return 'run `forward` with a target first';
      }
      return { value: backward(net, rec.fwd, targets).loss };
    }
  }
}

/**
 * On a batch, a per-row quantity written without `(sN)` (z, a, δ, x, t, ∂E/∂a, ∂E/∂x) as a table of
 * every row. For δ and ∂E/∂a it adds the batch loss's own derivative: each row's δ(s) = ∂Es/∂z(s)
 * times what the reduction does to it (1/m for a mean, 1 for a sum), the shares ∂E/∂b adds up.
 */
export function rowTable(
  ctx: QuantityContext,
  q: QuantityRef & { row?: number },
): TableItem | undefined {
  const rows = ctx.rec.fwd?.batchSize ?? 1;
  if (q.row !== undefined || rows < 2 || !PER_ROW.includes(q.kind)) return undefined;
  const name = quantityLabel(q);
  const back = ctx.rec.back;
  const gradient = (q.kind === 'delta' || q.kind === 'activationGrad') && back;
  const share = gradient && back.reduction === 'mean' ? 1 / rows : 1;
  const out = [];
  for (let r = 1; r <= rows; r++) {
    const v = quantityValue(ctx, { ...q, row: r });
    if (typeof v === 'string') return undefined;
    out.push(
      gradient
        ? [r, encodeNumber(v.value), encodeNumber(v.value * share)]
        : [r, encodeNumber(v.value)],
    );
  }
  const mean = gradient && back.reduction === 'mean' ? `(1/${rows})·` : '';
  // δ1[2](s) = ∂Es/∂z(s); ∂E/∂x1 of a row is ∂Es/∂x1(s)
  const wrt = q.kind === 'activationGrad' ? name.slice('∂E/∂'.length) : 'z';
  const own = q.kind === 'delta' ? `${name}(s) = ∂Es/∂${wrt}(s)` : `∂Es/∂${wrt}(s)`;
  const columns = gradient
    ? [
        'row s',
        own,
        `∂E/∂${wrt}(s) = ${mean}${q.kind === 'delta' ? `${name}(s)` : `∂Es/∂${wrt}(s)`}`,
      ]
    : ['row s', `${name}(s)`];
  const note =
    q.kind === 'delta'
      ? `Es is row s's own loss; E = ${mean}Σs Es, so the batch's ∂E/∂b and ∂E/∂w add up the ` +
        `last column's shares`
      : `Es is row s's own loss; E = ${mean}Σs Es, so E's own derivative is the last column`;
  return table(`${name} in every row`, columns, out, gradient ? note : undefined);
}
