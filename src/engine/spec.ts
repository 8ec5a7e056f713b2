import { activationRecord } from './activations';
import { lossRecord } from './losses';
import type { NetworkSpec } from './types';

/** Hard ceiling on nodes in one layer, whatever the memory limit. */
export const MAX_LAYER_SIZE = 1 << 24;

/** Every problem with a spec, in words; an empty list means the spec is usable. Never throws. */
export function validateSpec(spec: NetworkSpec): string[] {
  const problems: string[] = [];
  const sizes = spec?.sizes;
  if (!Array.isArray(sizes) || sizes.length < 2) {
    return ['sizes must list at least two layers (inputs and outputs)'];
  }
  sizes.forEach((n, i) => {
    if (!Number.isInteger(n) || n < 1 || n > MAX_LAYER_SIZE)
      problems.push(
        `layer L${i + 1} size must be a whole number from 1 to ${MAX_LAYER_SIZE}, got ${n}`,
      );
  });
  const layers = sizes.length - 1;
  if (!Array.isArray(spec.activations) || spec.activations.length !== layers) {
    problems.push(
      `activations must have one entry per layer L2..L${sizes.length} (${layers}), got ` +
        `${spec.activations?.length ?? 0}`,
    );
  } else {
    spec.activations.forEach((act, i) => {
      const k = i + 2;
      const def = act ? activationRecord(act) : undefined;
      if (!def) problems.push(`layer L${k}: unknown activation ${String(act?.kind)}`);
      else if (def.shape === 'softmax' && k !== sizes.length)
        problems.push(`layer L${k}: ${def.kind} is allowed only on the output layer`);
      const p = def?.parameter;
      if (act?.alpha !== undefined && (!p || !Number.isFinite(act.alpha) || act.alpha < p.min)) {
        problems.push(
          p
            ? `layer L${k}: ${p.name} of ${def.kind} must be a finite number ≥ ${p.min}`
            : `layer L${k}: ${String(act.kind)} takes no parameter`,
        );
      }
    });
  }
  if (!Array.isArray(spec.bias) || spec.bias.length !== layers) {
    problems.push(
      `bias must have one entry per layer L2..L${sizes.length} (${layers}), got ` +
        `${spec.bias?.length ?? 0}`,
    );
  }
  const loss = lossRecord(spec);
  if (!loss) problems.push(`unknown loss ${String(spec.loss)}`);
  const out = Array.isArray(spec.activations) ? spec.activations[layers - 1]?.kind : undefined;
  if (loss?.requires && out !== loss.requires)
    problems.push(`${loss.kind} needs a ${loss.requires} output layer`);
  const outputs = sizes[sizes.length - 1];
  if (
    spec.lossNode !== undefined &&
    (!loss?.ofNode ||
      !Number.isInteger(spec.lossNode) ||
      spec.lossNode < 1 ||
      spec.lossNode > outputs)
  )
    problems.push(
      loss?.ofNode
        ? `loss ${loss.kind} ${spec.lossNode}: the output layer has ${outputs} node` +
            `${outputs === 1 ? '' : 's'}`
        : `loss ${String(spec.loss)} takes no output node`,
    );
  if (spec.reduction !== undefined && spec.reduction !== 'mean' && spec.reduction !== 'sum')
    problems.push(`unknown reduction ${String(spec.reduction)}`);
  return problems;
}

export interface EstimateOptions {
  /** samples per forward/backward pass (default 1) */
  batchSize?: number;
  /** extra copies of the parameters an optimiser keeps: 0 sgd, 1 momentum, 2 adam (default 0) */
  optimiserSlots?: number;
  /** per-epoch loss history entries kept (default 0) */
  historyLength?: number;
  /** whether per-node values are recorded (forward/backward records, default true) */
  recording?: boolean;
}

/**
 * Bytes a network needs: parameters, their gradients, frozen masks, optimiser state,
 * per-node buffers for a batch and (if recording) the records of z, a, δ and the update.
 */
export function estimateBytes(spec: NetworkSpec, opts: EstimateOptions = {}): number {
  const batch = Math.max(1, opts.batchSize ?? 1);
  let weightsAndBiases = 0;
  let nodes = 0;
  for (let k = 0; k + 1 < spec.sizes.length; k++) {
    weightsAndBiases += spec.sizes[k] * spec.sizes[k + 1] + spec.sizes[k + 1];
  }
  for (const n of spec.sizes) nodes += n;
  const slots = 2 + (opts.optimiserSlots ?? 0); // values + gradients + optimiser state
  // old and new values in the update record, gradient copy
  const recordCopies = opts.recording === false ? 0 : 3;
  const paramBytes = weightsAndBiases * (8 * (slots + recordCopies) + 2); // + 2 frozen-mask bytes
  // z, a, δ (+ their records)
  const nodeBytes = batch * nodes * 8 * (opts.recording === false ? 3 : 6);
  const historyBytes = (opts.historyLength ?? 0) * 16;
  return paramBytes + nodeBytes + historyBytes;
}

/** Default memory limit for one network: 256 MiB. */
export const DEFAULT_MAX_BYTES = 256 * 1024 * 1024;

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
