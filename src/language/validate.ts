/**
 * Validation of a parsed cell against the session it will run in: names that
 * do not exist, indices outside the current network, shapes that do not fit.
 * The network's shape is tracked through the cell, so a `network` line makes
 * the lines after it checkable. Messages say what would fit.
 */
import { ExpressionValidator, type ExpressionNames } from './exprValidate';
import type { ExpressionStatement } from './exprStatements';
import type { Program, Quantity, Span, Statement } from './ast';
import {
  diagnostic,
  type Diagnostic,
  type DiagnosticArgs,
  type DiagnosticCode,
  type Severity,
} from './diagnostics';
import {
  ACTIVATIONS,
  DATASET_SHAPE,
  LOSSES,
  OPTIMISER_OPTIONS,
  TRAIN_DEFAULTS,
} from './vocabulary';

/** The shape of a network: nodes per layer (L1 first) and which layers have biases. */
export interface NetworkShape {
  sizes: number[];
  /** bias[k-1] is true when layer k has biases (bias[0], the input layer, is ignored) */
  bias: boolean[];
}

/** What else the session knows, when the caller can tell. */
export interface SessionNames {
  /** networks defined by earlier cells, by name */
  networks?: Readonly<Record<string, NetworkShape>>;
  /** data tables defined by earlier cells */
  dataNames?: readonly string[];
  /** values, expressions, activations and losses defined by earlier cells */
  expressions?: ExpressionNames;
}

/** The current network: known, none yet, or one whose shape this cell cannot see. */
type Current = NetworkShape | 'none' | 'unknown';

export function validate(
  program: Program | { statements: Statement[] },
  shape?: NetworkShape,
  names: SessionNames = {},
): Diagnostic[] {
  const v = new Validator(shape ? copy(shape) : 'none', names);
  for (const statement of program.statements) v.statement(statement);
  return v.diagnostics;
}

/**
 * Validation cell after cell, as if they ran in order: each call checks one more cell's statements
 * after all the earlier ones and returns only its diagnostics (the same as validating everything so
 * far at once and keeping the new ones, in time linear in the notebook).
 */
export function validateInOrder(
  shape?: NetworkShape,
  names: SessionNames = {},
): (statements: readonly Statement[]) => Diagnostic[] {
  const v = new Validator(shape ? copy(shape) : 'none', names);
  return (statements) => {
    const from = v.diagnostics.length;
    for (const statement of statements) v.statement(statement);
    return v.diagnostics.slice(from);
  };
}

function copy(shape: NetworkShape): NetworkShape {
  return {
    sizes: [...shape.sizes],
    bias: shape.sizes.map((_, k) => k > 0 && (shape.bias[k] ?? false)),
  };
}

/**
 * What to write instead of z or δ on layer 1: the input layer has no weighted sum, so no z and
 * no δ = ∂E/∂z; what exists there is the input xj = a1[j] and the gradient ∂E/∂xj.
 */
function inputLayerHint(q: { kind: string; layer: number; node: number }): string | undefined {
  if (q.layer !== 1) return undefined;
  if (q.kind === 'delta')
    return (
      `layer 1 holds the inputs, which have no z and so no δ = ∂E/∂z; the gradient with ` +
      `respect to input ${q.node} is dE/dx${q.node}`
    );
  if (q.kind === 'preActivation')
    return (
      `layer 1 holds the inputs, which have no z; input ${q.node} is x${q.node} (= a1[` +
      `${q.node}])`
    );
  return undefined;
}

class Validator {
  readonly diagnostics: Diagnostic[] = [];
  private readonly networks = new Map<string, NetworkShape>();
  readonly dataNames = new Set<string>();
  constructor(
    private current: Current,
    private readonly names: SessionNames,
  ) {
    for (const [name, shape] of Object.entries(names.networks ?? {}))
      this.networks.set(name, copy(shape));
    for (const name of names.dataNames ?? []) this.dataNames.add(name);
    this.expressions = new ExpressionValidator(names.expressions ?? {}, (d) =>
      this.diagnostics.push(d),
    );
  }
  /** names of the computation-graph statements (exprValidate.ts) */
  readonly expressions: ExpressionValidator;

  report(
    code: DiagnosticCode,
    span: Span,
    args: DiagnosticArgs,
    severity: Severity = 'error',
  ): void {
    this.diagnostics.push(diagnostic(code, span, args, severity));
  }

  statement(s: Statement): void {
    const check = CHECKS[s.kind] as Check<Statement>;
    const needed =
      typeof check.needsNetwork === 'function' ? check.needsNetwork(s) : check.needsNetwork;
    if (this.current === 'none' && needed) {
      this.report('BPNB201', s.span, { statement: s.kind === 'assign' ? s.target.text : s.kind });
      return;
    }
    const net = this.current === 'none' || this.current === 'unknown' ? undefined : this.current;
    if (check.always) check.always(this, s, net);
    else if (net) check.check?.(this, s, net);
  }

  /** A `network` line: its shape is current (and known by name) for the lines after it. */
  define(s: Statement & { kind: 'network' }): void {
    const sizes = s.layers.map((l) => l.size);
    const shape = { sizes, bias: sizes.map((_, k) => k > 0) };
    s.layers.forEach((layer, k) => {
      if (layer.activation?.name === 'softmax' && k < s.layers.length - 1)
        this.report('BPNB208', layer.activation.span, { layer: k + 1 });
      if (layer.activation?.userDefined)
        this.expressions.userFunction(
          'activation',
          layer.activation.name,
          layer.activation.span,
          ACTIVATIONS,
        );
    });
    this.current = shape;
    if (s.name) this.networks.set(s.name.text, copy(shape));
  }

  use(s: Statement & { kind: 'use' }): void {
    const known = this.networks.get(s.name.text);
    if (known) {
      this.current = copy(known);
      return;
    }
    if (this.names.networks) {
      this.report('BPNB207', s.name.span, {
        name: s.name.text,
        known: [...this.networks.keys()].join(', '),
      });
    }
    this.current = 'unknown';
  }

  /**
   * true when min ≤ k ≤ max; otherwise reports what would fit (and `hint`, what to write instead).
   */
  layer(k: number, min: number, max: number, what: string, span: Span, hint?: string): boolean {
    if (k >= min && k <= max) return true;
    this.report('BPNB202', span, { what, min, max, got: k, ...(hint ? { hint } : {}) });
    return false;
  }

  node(layer: number, node: number, net: NetworkShape, span: Span): boolean {
    const size = net.sizes[layer - 1];
    if (node >= 1 && node <= size) return true;
    this.report('BPNB203', span, { layer, size, got: node });
    return false;
  }

  length(what: string, want: number, got: number, why: string, span: Span): void {
    if (want !== got) this.report('BPNB205', span, { what, want, got, why });
  }

  /** Indices of a quantity against the network: layers and nodes in range, biases present. */
  quantity(q: Quantity, net: NetworkShape): void {
    const n = net.sizes.length;
    switch (q.kind) {
      case 'loss':
        return;
      case 'input':
        this.node(1, q.node, net, q.span);
        return;
      case 'target':
        this.node(n, q.node, net, q.span);
        return;
      case 'weight':
      case 'weightGrad':
        if (
          this.layer(q.layer, 1, n - 1, `${q.kind === 'weight' ? '' : '∂E/∂'}w(i,j)[k]`, q.span)
        ) {
          if (this.node(q.layer, q.from, net, q.span)) this.node(q.layer + 1, q.to, net, q.span);
        }
        return;
      case 'activation':
        if (this.layer(q.layer, 1, n, 'a(j)[k]', q.span)) this.node(q.layer, q.node, net, q.span);
        return;
      case 'activationGrad':
        if (this.layer(q.layer, 1, n, '∂E/∂a(j)[k]', q.span))
          this.node(q.layer, q.node, net, q.span);
        return;
      case 'preActivation':
      case 'delta':
      case 'bias':
      case 'biasGrad': {
        const name = {
          preActivation: 'z(j)[k]',
          delta: 'δ(j)[k]',
          bias: 'b(j)[k]',
          biasGrad: '∂E/∂b(j)[k]',
        }[q.kind];
        if (
          !this.layer(q.layer, 2, n, name, q.span, inputLayerHint(q)) ||
          !this.node(q.layer, q.node, net, q.span)
        )
          return;
        if ((q.kind === 'bias' || q.kind === 'biasGrad') && !net.bias[q.layer - 1])
          this.report('BPNB206', q.span, { layer: q.layer });
        return;
      }
    }
  }

  checkRows(s: Statement & { kind: 'data' }, net: NetworkShape): void {
    const n = net.sizes.length;
    const row = s.rows.find(
      (r) => r.inputs.length !== net.sizes[0] || r.targets.length !== net.sizes[n - 1],
    );
    if (!row) return;
    if (row.inputs.length !== net.sizes[0])
      this.length(
        'a row',
        net.sizes[0],
        row.inputs.length,
        `inputs: layer 1 has ${net.sizes[0]} nodes`,
        row.span,
      );
    else
      this.length(
        'a row',
        net.sizes[n - 1],
        row.targets.length,
        `targets: layer ${n} has ${net.sizes[n - 1]} nodes`,
        row.span,
      );
  }

  dataset(s: Statement & { kind: 'dataset' }, net: NetworkShape | undefined): void {
    const source = s.source;
    if (source.kind === 'named') {
      if (!this.dataNames.has(source.name.text) && this.names.dataNames) {
        this.report('BPNB210', source.name.span, {
          name: source.name.text,
          known: [...this.dataNames].join(', '),
        });
      }
      return;
    }
    if (
      source.kind === 'builtin' &&
      net &&
      (net.sizes[0] !== DATASET_SHAPE.inputs ||
        net.sizes[net.sizes.length - 1] !== DATASET_SHAPE.targets)
    ) {
      this.report('BPNB209', s.span, {
        name: source.name,
        inputs: DATASET_SHAPE.inputs,
        targets: DATASET_SHAPE.targets,
        netInputs: net.sizes[0],
        netOutputs: net.sizes[net.sizes.length - 1],
      });
    }
    if (source.kind === 'csv' && net) {
      if (source.inputs !== undefined)
        this.length('inputs', net.sizes[0], source.inputs, 'layer 1 has that many nodes', s.span);
      if (source.targets !== undefined)
        this.length(
          'targets',
          net.sizes[net.sizes.length - 1],
          source.targets,
          'the output layer has that many nodes',
          s.span,
        );
    }
  }
}

/**
 * How each kind of statement is checked: whether it needs a network (BPNB201 without one) and
 * what is checked against the network's shape. Typed by the AST's statement kinds, so a new kind
 * does not compile until it has an entry (the runtime's runners are in runtime/statements.ts).
 */
interface Check<S extends Statement> {
  /** BPNB201 when there is no network yet */
  needsNetwork: boolean | ((s: S) => boolean);
  /** checked against the current network's shape, when it is known */
  check?(v: Validator, s: S, net: NetworkShape): void;
  /** checked whether or not a network is known (instead of check) */
  always?(v: Validator, s: S, net: NetworkShape | undefined): void;
}
type Checks = { [K in Statement['kind']]: Check<Extract<Statement, { kind: K }>> };

/** A computation-graph statement: checked by name, with or without a network. */
const expression = {
  needsNetwork: false,
  always: (v: Validator, s: ExpressionStatement) => v.expressions.statement(s),
};

const CHECKS: Checks = {
  error: { needsNetwork: false },
  let: expression,
  backwardOf: expression,
  showExpr: expression,
  explainExpr: expression,
  expectExpr: expression,
  gradcheckExpr: expression,
  define: expression,
  checkDerivative: expression,
  network: { needsNetwork: false, always: (v, s) => v.define(s) },
  use: { needsNetwork: false, always: (v, s) => v.use(s) },
  data: {
    needsNetwork: false,
    always(v, s, net) {
      if (s.name) v.dataNames.add(s.name.text);
      if (net) v.checkRows(s, net);
    },
  },
  dataset: { needsNetwork: false, always: (v, s, net) => v.dataset(s, net) },
  mistake: { needsNetwork: false },
  bias: {
    needsNetwork: true,
    check(v, s, net) {
      const n = net.sizes.length;
      if (s.layer !== undefined && v.layer(s.layer, 2, n, 'bias on|off [k]', s.span))
        net.bias[s.layer - 1] = s.on;
      else if (s.layer === undefined) net.bias = net.sizes.map((_, k) => k > 0 && s.on);
    },
  },
  loss: {
    needsNetwork: true,
    always(v, s, net) {
      if (s.userDefined) v.expressions.userFunction('loss', s.loss, s.userDefined.span, LOSSES);
      if (net && s.node !== undefined) v.node(net.sizes.length, s.node, net, s.span);
    },
  },
  weightsFrom: { needsNetwork: true },
  assign: { needsNetwork: true, check: (v, s, net) => v.quantity(s.target, net) },
  weights: {
    needsNetwork: true,
    check(v, s, net) {
      if (!v.layer(s.layer, 1, net.sizes.length - 1, 'weights [k]', s.span)) return;
      const rows = net.sizes[s.layer - 1];
      const cols = net.sizes[s.layer];
      const gotCols = s.rows.reduce((most, r) => Math.max(most, r.length), 0);
      if (s.rows.length !== rows || s.rows.some((r) => r.length !== cols)) {
        v.report('BPNB204', s.span, {
          what: `weights [${s.layer}]`,
          rows,
          cols,
          gotRows: s.rows.length,
          gotCols,
        });
      }
    },
  },
  biases: {
    needsNetwork: true,
    check(v, s, net) {
      if (!v.layer(s.layer, 2, net.sizes.length, 'biases [k]', s.span)) return;
      if (!net.bias[s.layer - 1]) v.report('BPNB206', s.span, { layer: s.layer });
      else
        v.length(
          `biases [${s.layer}]`,
          net.sizes[s.layer - 1],
          s.values.length,
          `layer ${s.layer} has ${net.sizes[s.layer - 1]} nodes`,
          s.span,
        );
    },
  },
  init: { needsNetwork: true },
  freeze: {
    needsNetwork: true,
    check(v, s, net) {
      const t = s.target,
        n = net.sizes.length;
      if (t.kind === 'quantity') v.quantity(t.quantity, net);
      else if (t.kind === 'weights') v.layer(t.layer, 1, n - 1, 'weights [k]', s.span);
      else if (t.kind === 'biases') v.layer(t.layer, 2, n, 'biases [k]', s.span);
      // layer k's parameters are the ones that compute it (weights [k−1], biases [k]): L1, the
      // inputs, has none
      else if (t.kind === 'layer') v.layer(t.layer, 2, n, 'freeze layer k', s.span);
    },
  },
  input: {
    needsNetwork: true,
    check: (v, s, net) =>
      v.length('input', net.sizes[0], s.values.length, `layer 1 has ${net.sizes[0]} nodes`, s.span),
  },
  target: {
    needsNetwork: true,
    check(v, s, net) {
      const n = net.sizes.length;
      v.length(
        'target',
        net.sizes[n - 1],
        s.values.length,
        `layer ${n} has ${net.sizes[n - 1]} nodes`,
        s.span,
      );
    },
  },
  forward: { needsNetwork: true },
  backward: { needsNetwork: true },
  update: { needsNetwork: true },
  step: { needsNetwork: true },
  train: {
    needsNetwork: true,
    always(v, s) {
      // an optimiser's coefficient under another optimiser would be silently ignored: say so
      const optimiser = s.optimiser ?? TRAIN_DEFAULTS.optimiser;
      for (const [option, owner] of OPTIMISER_OPTIONS)
        if (s[option] !== undefined && optimiser !== owner)
          v.report(
            'BPNB213',
            s.optionSpans?.[option] ?? s.span,
            { option, owner, optimiser },
            'warning',
          );
    },
  },
  show: {
    needsNetwork: (s) => s.targets.some((t) => t.kind === 'quantity' || t.group !== 'data'),
    check(v, s, net) {
      const n = net.sizes.length;
      for (const t of s.targets) {
        if (t.kind === 'quantity') v.quantity(t.quantity, net);
        else if (t.group === 'boundary' && net.sizes[0] !== 2)
          v.report('BPNB212', t.span, { inputs: net.sizes[0] });
        else if (t.layer !== undefined) {
          const [min, max] =
            t.group === 'weights'
              ? [1, n - 1]
              : t.group === 'activations' || t.group === 'gradients'
                ? [1, n]
                : [2, n];
          v.layer(
            t.layer,
            min,
            max,
            `${t.group} [k]`,
            t.span,
            t.group === 'deltas' && t.layer === 1
              ? `layer 1 holds the inputs, which have no δ; the gradients with respect to them ` +
                  `are dE/dx1 … dE/dx${net.sizes[0]}`
              : undefined,
          );
        }
      }
    },
  },
  explain: { needsNetwork: true, check: (v, s, net) => v.quantity(s.quantity, net) },
  gradcheck: { needsNetwork: true },
  expect: { needsNetwork: true, check: (v, s, net) => v.quantity(s.quantity, net) },
};
