/**
 * The syntax tree of one cell. Every node carries its span: offsets into the
 * cell text, `start` inclusive, `end` exclusive. One statement per line
 * (a bracketed list may continue over several lines). A line that does not
 * parse becomes an `ErrorStatement` beside a diagnostic.
 */
import type {
  ActivationName,
  DatasetName,
  InitMethod,
  LossName,
  MistakeName,
  OptimiserName,
  Reduction,
  ShowGroup,
} from './vocabulary';

import type { ExpressionStatement } from './exprStatements';

export type { ExpressionStatement, ExprRef } from './exprStatements';

export interface Span {
  start: number;
  end: number;
}

/** A name as written, e.g. a network's name, with where it was written. */
export interface Name {
  text: string;
  span: Span;
}

/**
 * A quantity in the seed's notation. Indices are 1-based as in the seed:
 * `layer` is k in `[k]`; a weight wij[k] goes from node i[k] (`from`) to node j[k+1] (`to`).
 */
export type QuantityRef =
  | { kind: 'loss' } // E
  | { kind: 'input'; node: number } // xi
  | { kind: 'target'; node: number } // tj
  | { kind: 'preActivation'; node: number; layer: number } // zj[k]
  | { kind: 'activation'; node: number; layer: number } // aj[k]
  | { kind: 'delta'; node: number; layer: number } // δj[k] = ∂E/∂zj[k]
  | { kind: 'bias'; node: number; layer: number } // bj[k]
  | { kind: 'weight'; from: number; to: number; layer: number } // wij[k]
  | { kind: 'weightGrad'; from: number; to: number; layer: number } // ∂E/∂wij[k]
  | { kind: 'biasGrad'; node: number; layer: number } // ∂E/∂bj[k]
  | { kind: 'activationGrad'; node: number; layer: number }; // ∂E/∂aj[k]; layer 1: ∂E/∂xj

/**
 * `row`: the row of a batch written as `(sN)` (z, a, δ, x, t, ∂E/∂a, ∂E/∂x only); row 1 when not
 * written.
 */
export type Quantity = QuantityRef & { text: string; span: Span; row?: number };

export interface ActivationSpec {
  /**
   * a built-in activation, or (userDefined) the name of one defined with `activation NAME(z) = …`
   */
  name: ActivationName | (string & {});
  userDefined?: boolean;
  /** α of leaky-relu */ alpha?: number;
  implicit: boolean;
  span: Span;
}
export interface LayerSpec {
  size: number;
  /** absent for the input layer */ activation?: ActivationSpec;
  span: Span;
}

interface Base {
  span: Span;
}

export interface NetworkStatement extends Base {
  kind: 'network';
  name?: Name;
  layers: LayerSpec[];
}
export interface UseStatement extends Base {
  kind: 'use';
  name: Name;
}
/** `bias on|off [k]`: without a layer, every non-input layer. */
export interface BiasStatement extends Base {
  kind: 'bias';
  on: boolean;
  layer?: number;
}
export interface LossStatement extends Base {
  kind: 'loss';
  /** a built-in loss, or (userDefined) the name of one defined with `loss NAME(a, t) = …` */
  loss: LossName | (string & {});
  userDefined?: Name;
  /** the output node of a loss that is one node itself (`loss output 2`) */
  node?: number;
  reduction?: Reduction;
}
/** `w11[1] = 0.15`, `b1[2] = 0.35` */
export interface AssignStatement extends Base {
  kind: 'assign';
  target: Quantity;
  value: number;
}
/** `weights [k] = [[…], …]`: rows are from-nodes i[k], columns to-nodes j[k+1]. */
export interface WeightsStatement extends Base {
  kind: 'weights';
  layer: number;
  rows: number[][];
}
/**
 * `weights from "model.safetensors"`: every weight and bias from a PyTorch stack of Linear layers.
 */
export interface WeightsFromStatement extends Base {
  kind: 'weightsFrom';
  path: string;
  pathSpan: Span;
}
/** `biases [k] = [b1, b2, …]`: one value per node of layer k. */
export interface BiasesStatement extends Base {
  kind: 'biases';
  layer: number;
  values: number[];
}
export interface InitStatement extends Base {
  kind: 'init';
  method: InitMethod;
  /** half-width of uniform(−r, r) */ range?: number;
  seed: number;
}
export type FreezeTarget =
  | { kind: 'quantity'; quantity: Quantity }
  | { kind: 'weights'; layer: number }
  | { kind: 'biases'; layer: number }
  /** weights [k] and biases [k] */
  | { kind: 'layer'; layer: number }
  | { kind: 'all' };
export interface FreezeStatement extends Base {
  kind: 'freeze';
  frozen: boolean;
  target: FreezeTarget;
}
export interface InputStatement extends Base {
  kind: 'input';
  name?: Name;
  values: number[];
}
export interface TargetStatement extends Base {
  kind: 'target';
  name?: Name;
  values: number[];
}
export interface DataRow {
  inputs: number[];
  targets: number[];
  span: Span;
}
export interface DataStatement extends Base {
  kind: 'data';
  name?: Name;
  rows: DataRow[];
}
export type DatasetSource =
  | { kind: 'builtin'; name: DatasetName; n?: number; noise?: number; seed?: number }
  | {
      kind: 'csv';
      path: string;
      pathSpan: Span;
      inputs?: number;
      targets?: number;
      header?: boolean;
    }
  /** a table defined by `data NAME = …` */
  | { kind: 'named'; name: Name };
export interface DatasetStatement extends Base {
  kind: 'dataset';
  source: DatasetSource;
}
export interface ForwardStatement extends Base {
  kind: 'forward';
}
export interface BackwardStatement extends Base {
  kind: 'backward';
}
/** `update lr η`: w ← w − η·∂E/∂w with the gradients of the last backward pass. */
export interface UpdateStatement extends Base {
  kind: 'update';
  learningRate?: number;
}
/** `step lr η`: forward, backward and update once. */
export interface StepStatement extends Base {
  kind: 'step';
  learningRate?: number;
}
export type Comparison = '=' | '<' | '<=' | '>' | '>=';
export interface TrainStatement extends Base {
  kind: 'train';
  epochs?: number;
  steps?: number;
  learningRate?: number;
  /** 'full' = all rows per step, 'online' = 1 row per step, or a number of rows */
  batch?: 'full' | 'online' | number;
  optimiser?: OptimiserName;
  momentum?: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  /** record/print the loss every `log` epochs (or steps) */
  log?: number;
  l2?: number;
  seed?: number;
  until?: { quantity: 'E'; comparison: Comparison; value: number; span: Span };
  /** where each option's word was written (a diagnostic about one option points at it) */
  optionSpans?: Readonly<Record<string, Span>>;
}
export type ShowTarget =
  | { kind: 'quantity'; quantity: Quantity; span: Span }
  | { kind: 'group'; group: ShowGroup; layer?: number; span: Span };
export interface ShowStatement extends Base {
  kind: 'show';
  targets: ShowTarget[];
}
/** `explain δ1[2]` / `explain dE/dw11[1]`: the chain-rule derivation with numbers. */
export interface ExplainStatement extends Base {
  kind: 'explain';
  quantity: Quantity;
}
export interface GradcheckStatement extends Base {
  kind: 'gradcheck';
  eps?: number;
  tol?: number;
}
/**
 * `expect Q = V ± T`. Without `± T`, `=` passes when |actual − V| ≤ 1e-9·max(1, |V|)
 * (DEFAULT_RELATIVE_TOLERANCE); with it, when |actual − V| ≤ T.
 */
export interface ExpectStatement extends Base {
  kind: 'expect';
  quantity: Quantity;
  comparison: Comparison;
  value: number;
  tolerance?: number;
}
export interface MistakeStatement extends Base {
  kind: 'mistake';
  mistake: MistakeName;
  on: boolean;
}
export interface ErrorStatement extends Base {
  kind: 'error';
}

export type Statement =
  | ExpressionStatement
  | NetworkStatement
  | UseStatement
  | BiasStatement
  | LossStatement
  | AssignStatement
  | WeightsStatement
  | WeightsFromStatement
  | BiasesStatement
  | InitStatement
  | FreezeStatement
  | InputStatement
  | TargetStatement
  | DataStatement
  | DatasetStatement
  | ForwardStatement
  | BackwardStatement
  | UpdateStatement
  | StepStatement
  | TrainStatement
  | ShowStatement
  | ExplainStatement
  | GradcheckStatement
  | ExpectStatement
  | MistakeStatement
  | ErrorStatement;

export interface Program {
  statements: Statement[];
  span: Span;
}

/**
 * The statement keywords and the statement kind each parses to (`unfreeze` is a freeze
 * statement): the one list of keywords. With the check below, a new kind of Statement does not
 * compile until it has a keyword; the keyword then needs its parser case (parser.ts), completer
 * (completion.ts), validator (validate.ts CHECKS), runner (runtime/statements.ts RUNNERS) and
 * PyTorch export (runtime/pytorch.ts), each a table or switch the compiler holds complete.
 */
export const KEYWORD_KINDS = {
  network: 'network',
  use: 'use',
  bias: 'bias',
  loss: 'loss',
  weights: 'weights',
  biases: 'biases',
  init: 'init',
  freeze: 'freeze',
  unfreeze: 'freeze',
  input: 'input',
  target: 'target',
  data: 'data',
  dataset: 'dataset',
  forward: 'forward',
  backward: 'backward',
  update: 'update',
  step: 'step',
  train: 'train',
  show: 'show',
  explain: 'explain',
  gradcheck: 'gradcheck',
  expect: 'expect',
  mistake: 'mistake',
} as const satisfies Record<string, Statement['kind']>;

export type StatementKeyword = keyof typeof KEYWORD_KINDS;
/** Every statement keyword, in the order completion and the docs list them. */
export const STATEMENT_KEYWORDS = Object.keys(KEYWORD_KINDS) as readonly StatementKeyword[];

/**
 * Statement kinds without a keyword of their own: assignments (`w11[1] = 0.15`), lines that did not
 * parse, `weights from` (written with `weights`), and the computation-graph statements
 * (exprStatements.ts reads them from the line's raw text).
 */
type Unkeyworded = Exclude<
  Statement['kind'],
  | (typeof KEYWORD_KINDS)[StatementKeyword]
  | 'assign'
  | 'error'
  | 'weightsFrom'
  | ExpressionStatement['kind']
>;
/** Fails to compile (naming the kind) when a statement kind has no keyword. */
export const EVERY_KIND_HAS_A_KEYWORD: [Unkeyworded] extends [never] ? true : Unkeyworded = true;
