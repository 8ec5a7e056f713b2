import * as assert from 'node:assert/strict';
import {
  ACTIVATION_LIST,
  createNetwork,
  initialise,
  LOSS_LIST,
  type Activation,
  type ActivationKind,
  type LossKind,
  type Network,
  type NetworkSpec,
} from '../../../src/engine';
import { parseExpression } from '../../../src/language/expr';

// Every test's lists of activations and losses come from the engine's records, so a new one is
// covered by the property and bit-identity tests without touching them.

/** Every element-wise activation (any layer may have one). */
export const ELEMENTWISE: ActivationKind[] = ACTIVATION_LIST.filter(
  (d) => d.shape === 'element',
).map((d) => d.kind);

/**
 * User-defined losses (`loss NAME(a, t) = …`), parsed as a notebook would: one more record each
 * (E_s = Σj NAME(aj, tj)), paired with every output activation in HEADS like the built-ins.
 */
export const USER_LOSSES: Readonly<Record<string, string>> = {
  hsq: '0.5 * (a - t)^2',
  logcosh: 'log((exp(a - t) + exp(t - a)) / 2)',
  charbonnier: 'sqrt(1 + ((a - t) / 0.3)^2) - 1',
  bce: '-(t * log(a) + (1 - t) * log(1 - a))',
};

/** Every valid pairing of an output activation with a loss, built-in or user-defined. */
export const HEADS: { output: ActivationKind; loss: LossKind | string }[] = [
  ...LOSS_LIST.flatMap((loss) =>
    loss.requires
      ? [{ output: loss.requires, loss: loss.kind }]
      : ACTIVATION_LIST.map((d) => ({ output: d.kind, loss: loss.kind })),
  ),
  ...Object.keys(USER_LOSSES).flatMap((loss) =>
    // log(a) and log(1 − a) need outputs in (0, 1)
    (loss === 'bce' ? ['sigmoid'] : ACTIVATION_LIST.map((d) => d.kind)).map((output) => ({
      output: output as ActivationKind,
      loss,
    })),
  ),
];

/** The spec's loss fields for a built-in kind or one of USER_LOSSES. */
export function lossOf(kind: string): Pick<NetworkSpec, 'loss' | 'userLoss'> {
  if (!(kind in USER_LOSSES)) return { loss: kind };
  const parsed = parseExpression(USER_LOSSES[kind]);
  assert.ok(parsed.expr, kind);
  return { loss: kind, userLoss: { params: ['a', 't'], body: parsed.expr } };
}

/**
 * User-defined activations (`activation NAME(z) = …`), parsed as a notebook would: one more entry
 * each, so the bit-identity and property tests run them through every pass like the built-ins.
 */
export const USER_ACTIVATIONS: Readonly<Record<string, string>> = {
  swish: 'z * sigmoid(z)',
  leaky: 'max(0.1 * z, z)',
  softplus: 'log(1 + exp(z))',
  wobble: 'tanh(z)^2 + z / 3 - abs(z - 0.5)',
};

function userActivationOf(kind: string): Activation {
  const parsed = parseExpression(USER_ACTIVATIONS[kind]);
  assert.ok(parsed.expr, kind);
  return { kind, user: { params: ['z'], body: parsed.expr } };
}

/**
 * A layer's activation, with parameter p (drawn in [0, 1]) scaled into the record's range when it
 * has one.
 */
export function layerActivation(kind: string, p: number): Activation {
  if (kind in USER_ACTIVATIONS) return userActivationOf(kind);
  const parameter = ACTIVATION_LIST.find((d) => d.kind === kind)?.parameter;
  return parameter ? { kind, alpha: parameter.min + p } : { kind };
}

/** Activations whose g' jumps at z = 0 (finite differences across it are meaningless). */
export const KINKED: ActivationKind[] = ACTIVATION_LIST.filter(
  (d) => d.shape === 'element' && d.kinkAtZero,
).map((d) => d.kind);

/**
 * A network for a property test: built from the spec, weights uniform(±1) from the seed, and a
 * batch cut from `data` (inputs in [−2, 2], targets in [0, 1] read from `targetOffset` on).
 */
export function randomNet(
  spec: NetworkSpec,
  seed: number,
  data: number[],
  batch: number,
  targetOffset: number,
): { net: Network; x: number[][]; t: number[][] } {
  const made = createNetwork(spec);
  assert.ok(made.ok, made.ok ? '' : made.error.message);
  const net = made.value;
  initialise(net, { method: 'uniform', seed, range: 1 });
  const nIn = spec.sizes[0],
    nOut = spec.sizes[spec.sizes.length - 1];
  const x: number[][] = [],
    t: number[][] = [];
  for (let s = 0; s < batch; s++) {
    x.push(data.slice(s * nIn, (s + 1) * nIn).map((v) => 2 * v));
    t.push(
      data.slice(targetOffset + s * nOut, targetOffset + (s + 1) * nOut).map((v) => (v + 1) / 2),
    );
  }
  return { net, x, t };
}
