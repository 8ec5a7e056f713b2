/**
 * The shapes every part of the engine shares. Layers are numbered like the seed: L1 = inputs … Ln =
 * outputs.
 */

import type { Activation } from './activations';
import type { LossKind } from './losses';
import type { UserFunction } from './userDefined';

export type { Activation, ActivationKind } from './activations';
export type { LossKind } from './losses';

/** How per-sample losses of a batch combine: their mean (default) or their sum. */
export type Reduction = 'mean' | 'sum';

export interface NetworkSpec {
  /** nodes per layer, sizes[0] = inputs (L1) … sizes[n-1] = outputs (Ln) */
  sizes: number[];
  /** one per layer 2..n: activations[k-2] is the g of layer k */
  activations: Activation[];
  /** one per layer 2..n: bias[k-2] says whether layer k's nodes have biases bj[k] */
  bias: boolean[];
  /** a built-in's kind, or the name of a user-defined loss (then `userLoss` holds it) */
  loss: LossKind | (string & {});
  /** `loss NAME(a, t) = body`, for a user-defined loss: E_s = Σj NAME(aj, tj) */
  userLoss?: UserFunction;
  /**
   * the output node (1-based) of a loss that is one node itself (`loss output j`); 1 when absent
   */
  lossNode?: number;
  reduction?: Reduction;
}

/** A parameter or group of parameters, named like the seed (all indices 1-based). */
export type ParamRef =
  /** wij[layer]: from node i[layer] to node j[layer+1] */
  | { kind: 'weight'; layer: number; from: number; to: number }
  /** bj[layer] (layer ≥ 2) */
  | { kind: 'bias'; layer: number; node: number }
  /** every wij[layer] */
  | { kind: 'weights'; layer: number }
  /** every bj[layer] */
  | { kind: 'biases'; layer: number }
  /** everything feeding layer `layer` (≥ 2): all wij[layer-1] and all bj[layer] */
  | { kind: 'layer'; layer: number };

/**
 * Errors in what the caller asked for (a spec, training options) are values, not exceptions. A
 * RangeError thrown by the engine (a layer, node or width out of range) is a broken precondition:
 * the caller's bug, which the runtime reports as an internal error (BPNB900), never as the user's.
 */
export interface EngineError {
  code: 'invalid-spec' | 'too-large' | 'bad-input';
  message: string;
  /** for invalid-spec: every problem found */
  problems?: string[];
  /** for too-large: bytes the request would need, and the limit it exceeds */
  bytesNeeded?: number;
  limit?: number;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: EngineError };
