/** Reads the current value of a quantity in the seed's notation from a network and its records. */
import type { Network } from '../engine/network';
import { backward } from '../engine/passes';
import type { QuantityRef } from '../language/ast';
import type { Records } from './present';

export interface QuantityValue {
  value: number;
  /** ∂E/∂(this parameter), when a backward pass recorded it */
  gradient?: number;
}

export interface QuantityContext {
  net: Network;
  rec: Records;
  input?: number[];
  target?: number[];
  /** the data `forward` ran on when source is 'dataset' */
  dataset?: { targets: number[][] };
  source?: 'sample' | 'dataset';
}

/** The value, or a sentence saying why there is none yet (e.g. "run forward first"). */
export function quantityValue(ctx: QuantityContext, q: QuantityRef): QuantityValue | string {
  const { net, rec } = ctx;
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
      if (rec.fwd) return { value: rec.fwd.a[1][q.node - 1] };
      return ctx.input
        ? { value: ctx.input[q.node - 1] }
        : 'no input yet: set one with `input x = [...]`';
    case 'target':
      return ctx.target
        ? { value: ctx.target[q.node - 1] }
        : 'no target yet: set one with `target t = [...]`';
    case 'preActivation':
      if (!rec.fwd) return 'run `forward` first';
      return { value: rec.fwd.z[q.layer][q.node - 1] };
    case 'activation':
      if (!rec.fwd) return 'run `forward` first';
      return { value: rec.fwd.a[q.layer][q.node - 1] };
    case 'delta':
      if (!rec.back) return 'run `backward` first';
      return { value: rec.back.delta[q.layer][q.node - 1] };
    case 'weightGrad':
      if (!rec.back) return 'run `backward` first';
      return { value: rec.back.weightGrad[q.layer - 1][net.weightIndex(q.layer, q.from, q.to)] };
    case 'biasGrad':
      if (!rec.back) return 'run `backward` first';
      if (!net.hasBias(q.layer)) return `layer L${q.layer} has no biases (bias off)`;
      return { value: rec.back.biasGrad[q.layer - 2][q.node - 1] };
    case 'loss': {
      if (rec.back) return { value: rec.back.loss };
      // E of the batch forward ran on, against that batch's targets (the number backward will give)
      const targets = ctx.source === 'dataset' && ctx.dataset ? ctx.dataset.targets : ctx.target;
      if (!rec.fwd || !targets) return 'run `forward` with a target first';
      return { value: backward(net, rec.fwd, targets).loss };
    }
  }
}
