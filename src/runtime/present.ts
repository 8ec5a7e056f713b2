/**
 * Turns engine records into result items: per-layer tables of z, a and δ, the gradient table,
 * weight tables and the network snapshot the panel and the inline diagram draw.
 */
import { alphaOf, resolveActivation } from '../engine/activations';
import type { Network } from '../engine/network';
import {
  activationGradOf,
  type BackwardRecord,
  type ForwardRecord,
  type UpdateRecord,
} from '../engine/passes';
import { diagnostics } from '../engine/diagnostics';
import { names } from '../engine/notation';
import type { Activation } from '../engine/types';
import {
  encodeNumber,
  type Cell,
  type NetworkSnapshot,
  type Num,
  type TableItem,
} from '../protocol/results';
import { codeSpans, rowOfRows } from '../protocol/text';

/** Rows beyond this are left out of a table (the count says how many there were). */
export const MAX_TABLE_ROWS = 500;

export interface Records {
  fwd?: ForwardRecord;
  back?: BackwardRecord;
  upd?: UpdateRecord;
  /** the hidden δ of `back` went through weights already updated (`mistake stale-weights on`) */
  staleWeights?: true;
}

/** How to see every row of a capped table of parameters or nodes. */
const SEE_ALL_PARAMETERS =
  'add a layer (`show gradients [1]`) or open the Network panel, whose tables hold every row';

/**
 * A table item, capped at MAX_TABLE_ROWS rows; a capped one says so, and how to see the rest when
 * there is a way. `note` and `seeAll` are the runtime's own words (backticks mark code).
 */
export function table(
  title: string,
  columns: string[],
  rows: Cell[][],
  note?: string,
  seeAll?: string,
): TableItem {
  const item: TableItem = { kind: 'table', title, columns, rows: rows.slice(0, MAX_TABLE_ROWS) };
  if (rows.length > MAX_TABLE_ROWS) {
    item.totalRows = rows.length;
    note =
      `${note ? note + '; ' : ''}the first ${MAX_TABLE_ROWS} of ${rows.length} rows are ` +
      `shown here${seeAll ? `: ${seeAll}` : ''}`;
  }
  if (note) item.note = codeSpans(note);
  return item;
}

const num = encodeNumber;

function layers(net: Network, only?: number, from = 1): number[] {
  const out: number[] = [];
  for (let k = from; k <= net.layerCount; k++) if (only === undefined || only === k) out.push(k);
  return out;
}

function sampleNote(batch: number): string | undefined {
  const row = rowOfRows({ row: 1, rows: batch });
  return row && `values of ${row}`;
}

/** One table of nodes (rows `j[k]`, layer by layer): z, a and (after backward) δ = ∂E/∂z. */
export function nodeTable(
  net: Network,
  rec: Records,
  what: 'z' | 'a' | 'delta' | 'all',
  only?: number,
): TableItem[] {
  const fwd = rec.fwd;
  if (!fwd) return [];
  const showZ = what === 'z' || what === 'all';
  const showA = what === 'a' || what === 'all';
  const back = what === 'delta' || what === 'all' ? rec.back : undefined;
  const columns = ['node'];
  if (showZ) columns.push('z');
  if (showA) columns.push('a');
  if (back) columns.push('δ = ∂E/∂z');
  const rows: Cell[][] = [];
  for (const k of layers(net, only, what === 'delta' || what === 'z' ? 2 : 1)) {
    for (let j = 0; j < net.sizes[k - 1]; j++) {
      const row: Cell[] = [`${j + 1}[${k}]`];
      if (showZ) row.push(k === 1 ? '' : num(fwd.z[k][j]));
      if (showA) row.push(num(fwd.a[k][j]));
      if (back) row.push(k === 1 ? '' : num(back.delta[k][j]));
      rows.push(row);
    }
  }
  const title =
    { z: 'weighted inputs z', a: 'activations a', delta: 'deltas δ', all: 'nodes' }[what] +
    (only ? ` of layer L${only}` : '');
  return [table(title, columns, rows, sampleNote(fwd.batchSize), SEE_ALL_PARAMETERS)];
}

/** Weights and biases of each layer, rows as the seed writes them: wij[k] from i[k] to j[k+1]. */
export function weightTables(net: Network, only?: number, biasesOnly = false): TableItem[] {
  const out: TableItem[] = [];
  for (let k = 1; k < net.layerCount; k++) {
    if (only !== undefined && only !== k && !(biasesOnly && only === k + 1)) continue;
    if (!biasesOnly) {
      const columns = [
        'from \\ to',
        ...Array.from({ length: net.sizes[k] }, (_, j) => `${j + 1}[${k + 1}]`),
      ];
      const rows: Cell[][] = [];
      for (let i = 1; i <= net.sizes[k - 1]; i++) {
        rows.push([
          `${i}[${k}]`,
          ...Array.from({ length: net.sizes[k] }, (_, j) => num(net.getWeight(k, i, j + 1))),
        ]);
      }
      out.push(table(`weights [${k}]: wij[${k}]`, columns, rows, undefined, SEE_ALL_PARAMETERS));
    }
    if (net.hasBias(k + 1) && (biasesOnly || only === undefined || only === k)) {
      const rows: Cell[][] = Array.from({ length: net.sizes[k] }, (_, j) => [
        `b${j + 1}[${k + 1}]`,
        num(net.getBias(k + 1, j + 1)),
      ]);
      out.push(table(`biases of layer L${k + 1}`, ['bias', 'value'], rows));
    }
  }
  return out;
}

/**
 * The step an update applied to one parameter (−η·∂E/∂w as the engine added it), or null: frozen,
 * not updated.
 */
export function stepOf(
  upd: UpdateRecord,
  kind: 'weight' | 'bias',
  m: number,
  p: number,
): Num | null {
  const frozen = kind === 'weight' ? upd.frozenWeights[m][p] : upd.frozenBiases[m][p];
  if (frozen === 1) return null;
  return num((kind === 'weight' ? upd.weightSteps : upd.biasSteps)[m][p]);
}

/** Parameter, value, ∂E/∂w, Δw = −η·∂E/∂w and the new value, one row per parameter. */
export function gradientTable(net: Network, rec: Records, lr: number, only?: number): TableItem[] {
  const back = rec.back;
  if (!back) return [];
  const upd = rec.upd;
  const rows: Cell[][] = [];
  const seen = upd
    ? `old values (before the update with η = ${upd.lr})`
    : `current values; Δw uses η = ${lr}`;
  /**
   * name, value before, ∂E/∂w, the step (recorded after an update; 'frozen' when none) and the
   * value after
   */
  const gradientRow = (
    name: string,
    kind: 'weight' | 'bias',
    m: number,
    p: number,
    grad: number,
  ) => {
    const g = num(grad);
    if (upd) {
      const old = (kind === 'weight' ? upd.oldWeights : upd.oldBiases)[m][p];
      const next = (kind === 'weight' ? upd.newWeights : upd.newBiases)[m][p];
      return [name, num(old), g, stepOf(upd, kind, m, p) ?? 'frozen', num(next)];
    }
    const value = (kind === 'weight' ? net.weights : net.biases)[m][p];
    if ((kind === 'weight' ? net.frozenWeights : net.frozenBiases)[m][p] === 1)
      return [name, num(value), g, 'frozen', num(value)];
    const step = -(lr * grad);
    return [name, num(value), g, num(step), num(value + step)];
  };
  for (let k = 1; k < net.layerCount; k++) {
    if (only !== undefined && only !== k) continue;
    const nFrom = net.sizes[k - 1],
      nTo = net.sizes[k];
    for (let i = 1; i <= nFrom; i++) {
      for (let j = 1; j <= nTo; j++) {
        const p = (j - 1) * nFrom + (i - 1);
        const grad = back.weightGrad[k - 1][p];
        rows.push(gradientRow(`w${label(i, j)}[${k}]`, 'weight', k - 1, p, grad));
      }
    }
    if (net.hasBias(k + 1)) {
      for (let j = 1; j <= nTo; j++) {
        const grad = back.biasGrad[k - 1][j - 1];
        rows.push(gradientRow(`b${j}[${k + 1}]`, 'bias', k - 1, j - 1, grad));
      }
    }
  }
  const reduction =
    back.batchSize > 1 ? `; gradients are the ${back.reduction} over ${back.batchSize} rows` : '';
  const item = table(
    'gradients',
    ['parameter', 'value', '∂E/∂w', 'Δw = −η·∂E/∂w', upd ? 'new value' : 'value after update'],
    rows,
    `${seen}${reduction}`,
    SEE_ALL_PARAMETERS,
  );
  // after an update the last column is the new value of the first: views mark the ones that moved
  if (upd) item.changed = [1, 4];
  return [item];
}

/** Seed-style index pair: `11` for single digits, `(12,3)` otherwise. */
export function label(i: number, j: number): string {
  return i < 10 && j < 10 ? `${i}${j}` : `(${i},${j})`;
}

/**
 * An activation as the language writes it: `leaky-relu(0.01)` with its parameter, the others by
 * name.
 */
export function activationLabel(a: Activation): string {
  return resolveActivation(a).parameter ? `${a.kind}(${alphaOf(a)})` : a.kind;
}

/** Row s (0-based) of a record of n values per row. */
function rowOf(arr: Float64Array, n: number, s: number): number[] {
  return Array.from(arr.subarray(s * n, (s + 1) * n), (v) => v);
}

/**
 * The row of the last pass a snapshot or trace shows, 0-based: `row` (1-based) held to the rows
 * the pass had, so a choice made on a bigger batch shows that batch's last row.
 */
export function rowIndex(rec: Records, row = 1): number {
  return Math.max(0, Math.min(Math.floor(row), rec.fwd?.batchSize ?? 1) - 1);
}

/**
 * Everything the network drawing needs, from the network and its last records; z, a, δ and ∂E/∂a
 * of row `row` of the last pass (1-based, held to its rows).
 */
export function snapshot(
  name: string,
  net: Network,
  rec: Records,
  lossLabel: string,
  row = 1,
): NetworkSnapshot {
  const n = net.layerCount;
  const s = rowIndex(rec, row);
  const snap: NetworkSnapshot = {
    name,
    sizes: net.sizes.slice(),
    activations: net.spec.activations.map(activationLabel),
    weights: [],
    biases: [],
    lossLabel,
  };
  for (let k = 1; k < n; k++) {
    snap.weights.push(net.getWeightMatrix(k).map((row) => row.map(num)));
    snap.biases.push(net.hasBias(k + 1) ? Array.from(net.biases[k - 1], num) : []);
  }
  if (rec.fwd) {
    const fwd = rec.fwd;
    snap.rows = fwd.batchSize;
    snap.row = s + 1;
    snap.z = [
      [],
      ...Array.from({ length: n - 1 }, (_, m) => rowOf(fwd.z[m + 2], net.sizes[m + 1], s).map(num)),
    ];
    snap.a = Array.from({ length: n }, (_, m) => rowOf(fwd.a[m + 1], net.sizes[m], s).map(num));
  }
  if (rec.back) {
    const back = rec.back;
    snap.delta = [
      [],
      ...Array.from({ length: n - 1 }, (_, m) =>
        rowOf(back.delta[m + 2], net.sizes[m + 1], s).map(num),
      ),
    ];
    // the row's ∂E/∂aj[k], layer 1's being ∂E/∂xj
    snap.activationGrad = Array.from({ length: n }, (_, m) =>
      Array.from({ length: net.sizes[m] }, (_, i) =>
        num(activationGradOf(net, rec.fwd!, back, m + 1, i, s)),
      ),
    );
    snap.weightGrad = [];
    snap.biasGrad = [];
    for (let k = 1; k < n; k++) {
      const nFrom = net.sizes[k - 1],
        nTo = net.sizes[k];
      snap.weightGrad.push(
        Array.from({ length: nFrom }, (_, i) =>
          Array.from({ length: nTo }, (_, j) => num(back.weightGrad[k - 1][j * nFrom + i])),
        ),
      );
      snap.biasGrad.push(net.hasBias(k + 1) ? Array.from(back.biasGrad[k - 1], num) : []);
    }
    snap.loss = num(back.loss);
    if (!rec.upd)
      snap.noUpdate = codeSpans(
        'No update since this backward pass, so no step −η·∂E/∂w and no new value yet: run ' +
          '`update lr η` (or `train`) to take one.',
      );
  }
  if (rec.upd) {
    const upd = rec.upd;
    snap.lr = upd.lr;
    snap.updated = true;
    // the recorded values before the update, so a view never has to reconstruct them (frozen ones
    // did not move)
    snap.weightsBefore = [];
    snap.biasesBefore = [];
    snap.weightSteps = [];
    snap.biasSteps = [];
    for (let k = 1; k < n; k++) {
      const nFrom = net.sizes[k - 1],
        nTo = net.sizes[k];
      const perWeight = <T>(f: (p: number) => T) =>
        Array.from({ length: nFrom }, (_, i) =>
          Array.from({ length: nTo }, (_, j) => f(j * nFrom + i)),
        );
      snap.weightsBefore.push(perWeight((p) => num(upd.oldWeights[k - 1][p])));
      snap.weightSteps.push(perWeight((p) => stepOf(upd, 'weight', k - 1, p)));
      const hasBias = net.hasBias(k + 1);
      snap.biasesBefore.push(hasBias ? Array.from(upd.oldBiases[k - 1], num) : []);
      snap.biasSteps.push(
        hasBias ? Array.from({ length: nTo }, (_, j) => stepOf(upd, 'bias', k - 1, j)) : [],
      );
    }
  }
  if (rec.fwd && rec.back) {
    const health = diagnostics(net, rec.fwd, rec.back);
    snap.flags = net.sizes.map((size, m) => {
      const layer = health.find((h) => h.layer === m + 1);
      return Array.from({ length: size }, (_, j) =>
        layer?.saturated.includes(j + 1)
          ? 'saturated'
          : layer?.dead.includes(j + 1)
            ? 'dead'
            : null,
      );
    });
  }
  return snap;
}

/**
 * The loss in words, with the reduction over the rows E is taken over: `E = ½·Σ(a − t)², mean over
 * 4 rows`. One row has nothing to reduce: the loss of that row alone, `E = ½·Σ(a − t)²`. With no
 * rows yet (nothing ran), the reduction alone: `…, mean over the rows`.
 */
export function lossLabel(net: Network, rows: number | undefined): string {
  const label = net.lossDef.ofNode
    ? `E = ${names.a(net.layerCount, net.lossNode + 1)}, output node ${net.lossNode + 1} itself`
    : net.lossDef.label;
  if (rows === 1) return label;
  return `${label}, ${net.reduction} over ${rows === undefined ? 'the rows' : `${rows} rows`}`;
}
