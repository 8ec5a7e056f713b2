/**
 * User-defined activations and losses as records of the same registry as the
 * built-ins (activations.ts, losses.ts): `activation myswish(z) = z * sigmoid(z)`
 * becomes one more ElementwiseActivation whose value and slope run the
 * expression's tape (g'(z) by reverse mode over the expression, never by finite
 * differences), with formulas from the symbolic derivative. A spec carries only
 * the expression (JSON: it crosses to the training worker); the record is built
 * from it once per expression object.
 */
import type { ElementwiseActivation, TorchActivation } from './activations';
import type { LossDef, OutputSample } from './losses';
import type { ExprTree } from './expression';
import { compileTape, type ExpressionTape } from './expressionTape';
import { lossLatex } from './notation';
import { differentiate, exprToLatex, exprToText, simplify } from './symbolic';

/** The definition a user wrote: a parameter list and a body over them. */
export interface UserFunction {
  params: string[];
  body: ExprTree;
}

/**
 * Replaces each parameter name by a name that prints as the given text (for "with the numbers in").
 */
export function substitute(tree: ExprTree, values: Readonly<Record<string, string>>): ExprTree {
  switch (tree.kind) {
    case 'name':
      if (values[tree.name] === undefined) return tree;
      // a negative number is written in brackets: 2 * (-0.5), not 2 * -0.5
      return {
        kind: 'name',
        name: /^[-−]/.test(values[tree.name]) ? `(${values[tree.name]})` : values[tree.name],
      };
    case 'number':
      return tree;
    case 'negate':
      return { kind: 'negate', operand: substitute(tree.operand, values) };
    case 'binary':
      return {
        kind: 'binary',
        op: tree.op,
        left: substitute(tree.left, values),
        right: substitute(tree.right, values),
      };
    case 'call':
      return { kind: 'call', fn: tree.fn, args: tree.args.map((a) => substitute(a, values)) };
  }
}

/** The simplified symbolic derivative of a user function in one of its parameters. */
export function userDerivative(f: UserFunction, param = f.params[0]): ExprTree {
  return simplify(differentiate(f.body, param));
}

function tapeOf(f: UserFunction): ExpressionTape {
  const r = compileTape(f.body, f.params);
  if (!r.ok) throw new TypeError(`unknown names ${r.unknown.join(', ')} in a validated definition`);
  return r.tape;
}

/**
 * The PyTorch form of every user-defined activation and loss (the export writes each definition as
 * a Python function in the script's user_activations or user_losses, by name; autograd
 * differentiates it): src/runtime/pytorchPrelude.ts dispatches to these.
 */
export const USER_TORCH_ACTIVATION: TorchActivation = {
  module: 'UserActivation(user_activations[name])',
  slope: 'first_derivative(user_activations[name], z.flatten().tolist(), [])[2].reshape(z.shape)',
};
export const USER_TORCH_LOSS = {
  rows: 'torch.broadcast_to(user_losses[self.loss](a, T), a.shape).sum(dim=1)',
} as const;

const activationCache = new WeakMap<UserFunction, ElementwiseActivation>();

/** The activation record of `activation NAME(z) = body`. */
export function userActivation(kind: string, f: UserFunction): ElementwiseActivation {
  const cached = activationCache.get(f);
  if (cached && cached.kind === kind) return cached;
  const tape = tapeOf(f);
  const z = f.params[0];
  const body = simplify(f.body);
  const derivative = userDerivative(f);
  const grad = new Float64Array(1);
  const arg = [0];
  const def: ElementwiseActivation = {
    kind,
    aliases: [],
    label: `${kind}(${z}) = ${exprToText(body)} (defined in the notebook)`,
    formula: { g: exprToText(body), slope: exprToText(derivative) },
    latex: { g: exprToLatex(body), slope: exprToLatex(derivative) },
    shape: 'element',
    pytorch: USER_TORCH_ACTIVATION,
    value(v) {
      arg[0] = v;
      return tape.value(arg);
    },
    slope(v) {
      arg[0] = v;
      tape.gradient(arg, grad);
      return grad[0];
    },
    slopeReadsZ: true,
    slopeText: (_a, zText) => exprToText(substitute(derivative, { [z]: zText })),
    slopeLatex: (_a, zLatex) => exprToLatex(derivative, { [z]: zLatex }),
    kinkAtZero: tape.switchArguments([1]).length > 0,
  };
  activationCache.set(f, def);
  return def;
}

const lossCache = new WeakMap<UserFunction, LossDef>();

/**
 * The loss record of `loss NAME(a, t) = body`: per output node, summed over a sample's outputs,
 * E_s = Σj NAME(aj, tj) (then the mean or sum over a batch's rows, as for the built-ins).
 * δj = ∂NAME/∂a at (aj, tj) times g′(zj), or through the softmax Jacobian for a softmax output.
 */
export function userLoss(kind: string, f: UserFunction): LossDef {
  const cached = lossCache.get(f);
  if (cached && cached.kind === kind) return cached;
  const tape = tapeOf(f);
  const grad = new Float64Array(f.params.length);
  const args = [0, 0];
  const [a, t] = f.params;
  const body = simplify(f.body);
  const derivative = userDerivative(f);
  /** ∂NAME/∂a at (a, t) */
  const slopeAt = (av: number, tv: number): number => {
    args[0] = av;
    args[1] = tv;
    tape.gradient(args, grad);
    return grad[0];
  };
  const slope = (s: OutputSample, j: number) => slopeAt(s.a[s.offset + j], s.t[s.offset + j]);
  const slopeText = (aText: string, tText: string) =>
    exprToText(substitute(derivative, { [a]: aText, [t]: tText }));
  const def: LossDef = {
    kind,
    aliases: [],
    pytorch: USER_TORCH_LOSS,
    slope,
    slopeText,
    slopeLatex: (aLatex, tLatex) => exprToLatex(derivative, { [a]: aLatex, [t]: tLatex }),
    user: {
      slope: slopeAt,
      slopeText,
      formula: { loss: exprToText(body), slope: exprToText(derivative) },
    },
    label: `E = Σ ${kind}(${a}, ${t}) with ${kind}(${a}, ${t}) = ${exprToText(body)}`,
    latex:
      `E = \\sum_j ${lossLatex(kind)}(a_j, t_j),\\quad ${lossLatex(kind)}(${a}, ${t}) = ` +
      exprToLatex(body),
    sample(s) {
      let sum = 0;
      for (let j = 0; j < s.n; j++) {
        args[0] = s.a[s.offset + j];
        args[1] = s.t[s.offset + j];
        sum += tape.value(args);
      }
      return sum;
    },
    delta(s, j) {
      const dEda = slope(s, j);
      if (s.act.shape === 'softmax') {
        let coupling = 0;
        for (let k = 0; k < s.n; k++) coupling += slope(s, k) * s.a[s.offset + k];
        return s.a[s.offset + j] * (dEda - coupling);
      }
      return dEda * s.act.slope(s.z[s.offset + j], s.a[s.offset + j], s.alpha);
    },
  };
  lossCache.set(f, def);
  return def;
}
