/**
 * The words of the cell language: activation, loss, optimiser, dataset and
 * init names, show groups and statement keywords, with the defaults the
 * runtime must use when a cell leaves an option out. Activations and losses
 * come from the engine's records (engine/activations.ts, engine/losses.ts):
 * one definition each, the keywords and aliases included.
 */
import {
  ACTIVATION_LIST,
  ACTIVATIONS as ACTIVATION_DEFS,
  type ActivationKind,
} from '../engine/activations';
import { LOSS_LIST, type LossKind } from '../engine/losses';
/** Seeds (`init`, `dataset`, `train`) are the whole numbers 0 … SEED_MAX, the generator's width. */
export { SEED_MAX } from '../engine/rng';

export type ActivationName = ActivationKind;
export const ACTIVATIONS: readonly ActivationName[] = ACTIVATION_LIST.map((d) => d.kind);
/** Other spellings accepted for an activation. */
export const ACTIVATION_ALIASES: Readonly<Record<string, ActivationName>> = Object.fromEntries(
  ACTIVATION_LIST.flatMap((d) => d.aliases.map((alias) => [alias, d.kind])),
);
/** Activation of a layer written without one (the seed's g). */
export const DEFAULT_ACTIVATION: ActivationName = 'sigmoid';
/** The parameter an activation takes in parentheses (`leaky-relu(0.1)`), if any. */
export function activationParameter(name: ActivationName) {
  return ACTIVATION_DEFS[name].parameter;
}

export type LossName = LossKind;
export const LOSSES: readonly LossName[] = LOSS_LIST.map((d) => d.kind);
/** Other spellings accepted for a loss. */
export const LOSS_ALIASES: Readonly<Record<string, LossName>> = Object.fromEntries(
  LOSS_LIST.flatMap((d) => d.aliases.map((alias) => [alias, d.kind])),
);
/**
 * What a word names among the built-in activations and losses (keyword or alias: swish is silu),
 * in words, or undefined: a user-defined function may not take such a name, or a network line
 * would silently run the built-in.
 */
export function builtinNamed(word: string): string | undefined {
  const act = (ACTIVATIONS as readonly string[]).includes(word) ? word : ACTIVATION_ALIASES[word];
  if (act) return `the built-in activation ${act}`;
  const loss = (LOSSES as readonly string[]).includes(word) ? word : LOSS_ALIASES[word];
  return loss ? `the built-in loss ${loss}` : undefined;
}
/** The losses that are one output node itself and name it: `loss output 2`. */
export const LOSSES_OF_NODE: readonly string[] = LOSS_LIST.filter((d) => 'ofNode' in d).map(
  (d) => d.kind,
);
export const REDUCTIONS = ['mean', 'sum'] as const;
export type Reduction = (typeof REDUCTIONS)[number];

export const OPTIMISERS = ['sgd', 'momentum', 'adam'] as const;
export type OptimiserName = (typeof OPTIMISERS)[number];

export const INIT_METHODS = ['uniform', 'xavier', 'he', 'zeros'] as const;
export type InitMethod = (typeof INIT_METHODS)[number];
export const INIT_DEFAULTS = { seed: 1, uniformRange: 0.5 } as const;

/** Built-in datasets; every one has 2 inputs and 1 target (class 0 or 1). */
export const FIXED_DATASETS = ['xor', 'and', 'or'] as const;
export const GENERATED_DATASETS = ['circle', 'spiral', 'blobs', 'moons'] as const;
export const DATASETS = [...FIXED_DATASETS, ...GENERATED_DATASETS] as const;
export type DatasetName = (typeof DATASETS)[number];
export const DATASET_ALIASES: Readonly<Record<string, DatasetName>> = { gaussian: 'blobs' };
export const DATASET_SHAPE = { inputs: 2, targets: 1 } as const;
export const DATASET_DEFAULTS = { n: 200, noise: 0.1, seed: 1 } as const;

export const TRAIN_DEFAULTS = {
  epochs: 100,
  learningRate: 0.5,
  batch: 'full',
  optimiser: 'sgd',
  momentum: 0.9,
  beta1: 0.9,
  beta2: 0.999,
  eps: 1e-8,
  l2: 0,
  seed: 1,
} as const;
/**
 * `train` options that belong to one optimiser (ignored by the others, so written under them they
 * warn).
 */
export const OPTIMISER_OPTIONS = [
  ['momentum', 'momentum'],
  ['beta1', 'adam'],
  ['beta2', 'adam'],
  ['eps', 'adam'],
] as const;
/** Learning rate of `update` / `step` written without `lr`. */
export const DEFAULT_LEARNING_RATE = 0.5;
/** `expect Q = V` without `± TOL` passes when |actual − V| ≤ 1e-9 · max(1, |V|). */
export const DEFAULT_RELATIVE_TOLERANCE = 1e-9;
export const GRADCHECK_DEFAULTS = { eps: 1e-5, tol: 1e-6 } as const;

export const SHOW_GROUPS = [
  'weights',
  'biases',
  'preactivations',
  'activations',
  'deltas',
  'gradients',
  'loss',
  'network',
  'loss curve',
  'boundary',
  'data',
] as const;
export type ShowGroup = (typeof SHOW_GROUPS)[number];
/** Groups that accept a layer restriction `[k]`. */
export const LAYERED_GROUPS: readonly ShowGroup[] = [
  'weights',
  'biases',
  'preactivations',
  'activations',
  'deltas',
  'gradients',
];

export const MISTAKES = ['stale-weights'] as const;
export type MistakeName = (typeof MISTAKES)[number];

/** Keywords of computation-graph lines only (language/exprStatements.ts). */
export const EXPRESSION_KEYWORDS = ['activation', 'check'] as const;

export const TRAIN_OPTIONS = [
  'epochs',
  'steps',
  'lr',
  'batch',
  'optimiser',
  'momentum',
  'beta1',
  'beta2',
  'eps',
  'log',
  'until',
  'l2',
  'seed',
] as const;

/** Resolve a written name against a list and its aliases; undefined when unknown. */
export function lookup<T extends string>(
  word: string,
  names: readonly T[],
  aliases: Readonly<Record<string, T>> = {},
): T | undefined {
  if ((names as readonly string[]).includes(word)) return word as T;
  return Object.prototype.hasOwnProperty.call(aliases, word) ? aliases[word] : undefined;
}

/** The closest name within edit distance 2, for "did you mean" hints. */
export function closest(word: string, names: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const name of names) {
    const d = editDistance(word.toLowerCase(), name);
    if (d < bestDistance) {
      best = name;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2 || a.length > 40) return 99;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j] + 1,
        current[j - 1] + 1,
        previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length];
}
