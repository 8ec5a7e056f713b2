import type { Network } from './network';
import type { BackwardRecord, ForwardRecord, UpdateRecord } from './passes';

export interface LayerDiagnostics {
  /**
   * the layer Lk these numbers are about (its nodes, and the weights wij[k-1] and biases bj[k]
   * feeding it)
   */
  layer: number;
  /** ‖∂E/∂w‖₂ over the weights into this layer */
  weightGradNorm: number;
  /** ‖∂E/∂b‖₂ over this layer's biases (0 without biases) */
  biasGradNorm: number;
  /** ‖w‖₂ of the weights into this layer */
  weightNorm: number;
  /** ‖Δw‖₂ / ‖w_old‖₂ of the last update (only when an update record is given) */
  updateRatio?: number;
  /**
   * nodes (1-based) of saturating activations (sigmoid, tanh) whose output is within `saturation`
   * of a bound for every sample
   */
  saturated: number[];
  /** nodes (1-based) of activations that can die (relu) whose output is 0 for every sample */
  dead: number[];
}

function norm(values: Float64Array): number {
  let sum = 0;
  for (let p = 0; p < values.length; p++) sum += values[p] * values[p];
  return Math.sqrt(sum);
}

/** Per-layer health: gradient norms, update-to-weight ratios, saturated and dead units. */
export function diagnostics(
  net: Network,
  fwd: ForwardRecord,
  back: BackwardRecord,
  upd?: UpdateRecord,
  saturation = 0.01,
): LayerDiagnostics[] {
  const result: LayerDiagnostics[] = [];
  for (let k = 2; k <= net.layerCount; k++) {
    const m = k - 2,
      n = net.sizes[k - 1],
      g = net.activationDefs[m];
    const a = fwd.a[k];
    const saturated: number[] = [],
      dead: number[] = [];
    for (let j = 0; j < n; j++) {
      const saturates = g.shape === 'element' ? g.saturated : undefined;
      let allSaturated = saturates !== undefined,
        allDead = g.shape === 'element' && g.dies === true;
      for (let s = 0; s < fwd.batchSize; s++) {
        const v = a[s * n + j];
        if (saturates && !saturates(v, saturation)) allSaturated = false;
        if (v !== 0) allDead = false;
      }
      if (allSaturated) saturated.push(j + 1);
      if (allDead) dead.push(j + 1);
    }
    const entry: LayerDiagnostics = {
      layer: k,
      weightGradNorm: norm(back.weightGrad[m]),
      biasGradNorm: net.hasBias(k) ? norm(back.biasGrad[m]) : 0,
      weightNorm: norm(net.weights[m]),
      saturated,
      dead,
    };
    if (upd) {
      const change = new Float64Array(upd.newWeights[m].length);
      for (let p = 0; p < change.length; p++)
        change[p] = upd.newWeights[m][p] - upd.oldWeights[m][p];
      const changeNorm = norm(change),
        old = norm(upd.oldWeights[m]);
      entry.updateRatio = changeNorm === 0 ? 0 : old === 0 ? Infinity : changeNorm / old;
    }
    result.push(entry);
  }
  return result;
}
