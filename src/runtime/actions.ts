/** The longer statements: train (sliced, cancellable, with live progress), explain, gradcheck, boundary. */
import type { Network } from '../engine/network';
import { forward } from '../engine/passes';
import type * as ast from '../language/ast';
import type { BoundaryItem } from '../protocol/results';
import type { Dataset } from './datasets';

const LOSS_LABELS: Record<string, string> = {
  'half-squared': 'E = ½·Σ(a − t)²',
  mse: 'E = (1/n)·Σ(a − t)²',
  'cross-entropy': 'E = −Σ t·log softmax(z)',
  'binary-cross-entropy': 'E = −Σ [t·log σ(z) + (1 − t)·log(1 − σ(z))]',
};

/** The loss in words, with the batch reduction: `E = ½·Σ(a − t)², mean over the batch`. */
export function lossLabel(net: Network): string {
  return `${LOSS_LABELS[net.spec.loss]}, ${net.reduction} over a batch`;
}

/** Grid points per side of a decision-boundary heatmap. */
const BOUNDARY_RESOLUTION = 48;

/** The first output of a 2-input network over a grid covering the data (or [−1.5, 1.5]²). */
export function boundaryItem(net: Network, data?: Dataset): BoundaryItem {
  let [x0, x1, y0, y1] = [-1.5, 1.5, -1.5, 1.5];
  if (data) {
    const xs = data.inputs.map((r) => r[0]);
    const ys = data.inputs.map((r) => r[1]);
    const padX = 0.1 * (Math.max(...xs) - Math.min(...xs) || 1);
    const padY = 0.1 * (Math.max(...ys) - Math.min(...ys) || 1);
    [x0, x1, y0, y1] = [Math.min(...xs) - padX, Math.max(...xs) + padX, Math.min(...ys) - padY, Math.max(...ys) + padY];
  }
  const n = BOUNDARY_RESOLUTION;
  const grid = new Float64Array(n * n * 2);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      grid[(r * n + c) * 2] = x0 + ((c + 0.5) / n) * (x1 - x0);
      grid[(r * n + c) * 2 + 1] = y0 + ((r + 0.5) / n) * (y1 - y0);
    }
  }
  const out = forward(net, grid).a[net.layerCount];
  const width = net.sizes[net.layerCount - 1];
  const values = Array.from({ length: n * n }, (_, p) => out[p * width]);
  const points = (data?.inputs ?? []).slice(0, 2000).map((x, r) => ({ x: x[0], y: x[1], label: data!.targets[r][0] }));
  return { kind: 'boundary', xRange: [x0, x1], yRange: [y0, y1], resolution: n, values, points };
}

export type { ast };
import { StatementError, type Ctx, type NetState } from './session';
export async function runTrain(_st: NetState, _s: ast.TrainStatement, _ctx: Ctx, _maxBytes: number): Promise<void> {
  throw new StatementError('train: waiting for the engine trainer');
}
export function runExplain(_st: NetState, _s: ast.ExplainStatement, _ctx: Ctx): void {
  throw new StatementError('explain: waiting for the engine');
}
export function runGradcheck(_st: NetState, _x: number[] | number[][], _t: number[] | number[][], _s: ast.GradcheckStatement, _ctx: Ctx): void {
  throw new StatementError('gradcheck: waiting for the engine');
}
