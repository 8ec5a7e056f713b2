/**
 * Computation graphs of scalar expressions against published worked examples
 * (their printed digits), and the symbolic derivative and tape against the graph.
 */
import { strict as assert } from 'assert';
import { parseExpression, type Expr } from '../../../src/language/expr';
import {
  compileTape,
  differentiate,
  exprToText,
  exprToLatex,
  simplify,
  chainTerms,
  graphIssues,
  checkDerivative,
  type ExprTree,
} from '../../../src/engine';
import { ExpressionScope } from '../../../src/runtime/expressions';

/**
 * A parsed expression is an engine tree as it is (this line stops compiling if the shapes drift).
 */
const asTree = (e: Expr): ExprTree => e;

function tree(text: string): ExprTree {
  const r = parseExpression(text);
  assert.deepEqual(r.diagnostics, [], text);
  return asTree(r.expr as Expr);
}

/** Runs `name = expr` lines in one scope, as a cell does. */
function run(...lines: string[]): ExpressionScope {
  const scope = new ExpressionScope();
  for (const line of lines) {
    const eq = line.indexOf('=');
    const name = line.slice(0, eq).trim();
    const r = parseExpression(line, eq + 1);
    assert.deepEqual(r.diagnostics, [], line);
    const assigned = scope.assign(name, asTree(r.expr as Expr), line);
    assert.ok(assigned.ok, line);
  }
  return scope;
}

function gradOf(scope: ExpressionScope, root: string, name: string): number {
  const g = scope.lastBackward(root) ?? scope.backward(root);
  const node = scope.get(name);
  assert.ok(g && node);
  return g.grad[g.index.get(node.id) as number];
}
const fixed = (x: number, digits: number): string => x.toFixed(digits);

describe('expression graphs: published worked examples', () => {
  it(
    'CS231n circuit f = (x + y)·z at x=−2, y=5, z=−4: f = −12, df/dx = −4, df/dy = −4, ' +
      'df/dz = 3',
    () => {
      const s = run('x = -2', 'y = 5', 'z = -4', 'q = x + y', 'f = q * z');
      s.backward('f');
      assert.equal(s.get('f')?.value, -12);
      assert.deepEqual(
        ['x', 'y', 'z', 'q'].map((n) => gradOf(s, 'f', n)),
        [-4, -4, 3, -4],
      );
    },
  );

  it(
    'CS231n sigmoid neuron w=[2,−3,−3], x=[−1,−2]: dw ≈ [−0.2, −0.39, 0.2], dx ≈ ' +
      '[0.39, −0.59]',
    () => {
      const s = run(
        'w0 = 2',
        'w1 = -3',
        'w2 = -3',
        'x0 = -1',
        'x1 = -2',
        'f = 1 / (1 + exp(-(w0*x0 + w1*x1 + w2)))',
      );
      s.backward('f');
      // the course notes print dw = [-0.2, -0.39, 0.2], dx = [0.39, -0.59]
      assert.deepEqual(
        ['w0', 'w1', 'w2'].map((n) => gradOf(s, 'f', n).toFixed(2)),
        ['-0.20', '-0.39', '0.20'],
      );
      assert.deepEqual(
        ['x0', 'x1'].map((n) => gradOf(s, 'f', n).toFixed(2)),
        ['0.39', '-0.59'],
      );
      // and sigmoid() as one node gives the same gradient
      const t = run(
        'w0 = 2',
        'w1 = -3',
        'w2 = -3',
        'x0 = -1',
        'x1 = -2',
        'f = sigmoid(w0*x0 + w1*x1 + w2)',
      );
      t.backward('f');
      assert.equal(gradOf(t, 'f', 'w0').toFixed(12), gradOf(s, 'f', 'w0').toFixed(12));
    },
  );

  it("micrograd's README: g = 24.7041, dg/da = 138.8338, dg/db = 645.5773", () => {
    const s = run(
      'a = -4.0',
      'b = 2.0',
      'c = a + b',
      'd = a * b + b^3',
      'c = c + c + 1',
      'c = c + 1 + c + (-a)',
      'd = d + d * 2 + relu(b + a)',
      'd = d + 3 * d + relu(b - a)',
      'e = c - d',
      'f = e^2',
      'g = f / 2.0',
      'g = g + 10.0 / f',
    );
    s.backward('g');
    assert.equal(fixed(s.get('g')?.value ?? NaN, 4), '24.7041');
    assert.equal(fixed(gradOf(s, 'g', 'a'), 4), '138.8338');
    assert.equal(fixed(gradOf(s, 'g', 'b'), 4), '645.5773');
  });

  it('the "used twice" trap: b = a + a gives db/da = 2, summed over both edges', () => {
    const s = run('a = 3', 'b = a + a');
    const g = s.backward('b');
    assert.ok(g);
    assert.equal(gradOf(s, 'b', 'a'), 2);
    const terms = chainTerms(g, s.get('a')!);
    assert.deepEqual(
      terms.map((t) => [t.input, t.local, t.upstream]),
      [
        [0, 1, 1],
        [1, 1, 1],
      ],
    );
  });
});

describe('expression graphs: non-finite numbers are flagged where they arose', () => {
  it('log of a negative number: NaN at the log node, with its span', () => {
    const line = 'f = 2 * log(x - 5)';
    const s = run('x = 1', line);
    const issues = graphIssues(s.backward('f')!);
    assert.equal(issues[0].phase, 'forward');
    assert.equal(issues[0].node.op, 'log');
    assert.equal(issues[0].node.source, 'log(x - 5)');
    assert.ok(Number.isNaN(issues[0].value));
  });
  it(
    'division by zero: Infinity at the / node; sqrt at 0: an infinite gradient ' +
      'flagged backward',
    () => {
      const s = run('x = 0', 'f = 1 / x');
      assert.deepEqual(
        graphIssues(s.backward('f')!).map((i) => [i.phase, i.node.op]),
        [['forward', '/']],
      );
      const r = run('x = 0', 'f = sqrt(x)');
      const issues = graphIssues(r.backward('f')!);
      assert.deepEqual(
        issues.map((i) => [i.phase, i.node.name, i.value]),
        [['backward', 'x', Infinity]],
      );
    },
  );
});

describe('symbolic derivatives', () => {
  const cases: [string, string][] = [
    ['z * sigmoid(z)', 'sigmoid(z) + z * sigmoid(z) * (1 - sigmoid(z))'],
    ['z^2', '2 * z'],
    ['3 * z^4', '12 * z^3'],
    ['relu(z)', 'step(z)'],
    ['tanh(z)', '1 - tanh(z)^2'],
    ['log(z)', '1 / z'],
    ['exp(-z)', '-exp(-z)'],
  ];
  for (const [f, d] of cases)
    it(`d/dz ${f} = ${d}`, () =>
      assert.equal(exprToText(simplify(differentiate(tree(f), 'z'))), d));

  it('LaTeX of z·σ(z)′ uses σ, \\cdot and brackets where needed', () => {
    assert.equal(
      exprToLatex(simplify(differentiate(tree('z * sigmoid(z)'), 'z'))),
      '\\sigma\\left(z\\right) + z \\cdot \\sigma\\left(z\\right) \\cdot \\left(1 - ' +
        '\\sigma\\left(z\\right)\\right)',
    );
    assert.equal(exprToLatex(tree('x1 / (2 * sqrt(x1))')), '\\frac{x_{1}}{2 \\cdot \\sqrt{x_{1}}}');
  });

  it(
    'the simplified derivative, evaluated, agrees with the autograd tape on 40 points for 12 ' +
      'functions',
    () => {
      const fs = [
        'z * sigmoid(z)',
        'tanh(2*z) - z^3',
        'exp(-z^2/2)',
        'log(1 + exp(z))',
        'sqrt(z^2 + 1)',
        'abs(z) * z',
        'max(z, 0.1*z)',
        'min(z, 1) - relu(z - 2)',
        'z / (1 + abs(z))',
        '(z + 1)^z',
        'sigmoid(z)^2',
        '-z^-2',
      ];
      for (const f of fs) {
        const t = tree(f);
        const d = simplify(differentiate(t, 'z'));
        const tape = compileTape(t, ['z']);
        const dTape = compileTape(d, ['z']);
        assert.ok(tape.ok && dTape.ok);
        const g = new Float64Array(1);
        for (let i = 0; i < 40; i++) {
          const z = 0.3 + i * 0.173;
          tape.tape.gradient([z], g);
          const symbolic = dTape.tape.value([z]);
          assert.ok(
            Math.abs(symbolic - g[0]) <= 1e-12 * Math.max(1, Math.abs(g[0])),
            `${f} at ${z}: ${symbolic} vs ${g[0]}`,
          );
        }
      }
    },
  );

  it('text round-trips through the parser', () => {
    for (const f of [
      '-(x - y) / (a * b)^2',
      '2^3^x',
      '-x^2',
      'a - (b - c)',
      'a / (b * c)',
      '(-2)^x',
      'x^-2',
    ])
      assert.equal(
        exprToText(simplify(tree(exprToText(simplify(tree(f)))))),
        exprToText(simplify(tree(f))),
      );
  });
});

describe('tapes and graphs', () => {
  it('a tape gives the same bits as the graph of the same expression', () => {
    const f = 'x * sigmoid(x) + log(1 + y^2) / max(x, y) - abs(x * y)';
    const s = run('x = 0.37', 'y = -1.3', `f = ${f}`);
    s.backward('f');
    const tape = compileTape(tree(f), ['x', 'y']);
    assert.ok(tape.ok);
    const g = new Float64Array(2);
    const value = tape.tape.gradient([0.37, -1.3], g);
    assert.ok(Object.is(value, s.get('f')?.value));
    assert.ok(Object.is(g[0], gradOf(s, 'f', 'x')) && Object.is(g[1], gradOf(s, 'f', 'y')));
  });
  it('a body that is one parameter is that parameter, whichever it is: ℓ(a, t) = a', () => {
    for (const [body, want] of [
      ['a', [1, 0]],
      ['t', [0, 1]],
    ] as const) {
      const r = compileTape(tree(body), ['a', 't']);
      assert.ok(r.ok);
      const g = new Float64Array(2);
      assert.equal(r.tape.value([2, 5]), body === 'a' ? 2 : 5);
      assert.equal(r.tape.gradient([2, 5], g), body === 'a' ? 2 : 5);
      assert.deepEqual([...g], want);
    }
  });
  it('unknown names are reported, not evaluated', () => {
    const r = compileTape(tree('z + q'), ['z']);
    assert.deepEqual(r, { ok: false, unknown: ['q'] });
  });
});

describe('check my derivative', () => {
  const tapeOf = (text: string, params: string[]) => {
    const r = compileTape(tree(text), params);
    assert.ok(r.ok, text);
    return r.tape;
  };
  const check = (f: string, claimed: string, params = ['z'], param = 0) =>
    checkDerivative(tapeOf(f, params), tapeOf(claimed, params), param);

  it(
    'a right derivative agrees everywhere, kinks included (relu, step(z); |z − 1|, ' +
      'sign(z − 1))',
    () => {
      for (const [f, d] of [
        ['z * sigmoid(z)', 'sigmoid(z) * (1 + z * (1 - sigmoid(z)))'],
        ['tanh(z)', '1 - tanh(z)^2'],
        ['relu(z)', 'step(z)'],
        ['abs(z - 1)', 'sign(z - 1)'],
      ]) {
        const r = check(f, d);
        assert.ok(r.agree, `${f}: ${JSON.stringify(r.first)}`);
        assert.ok(r.compared > 4000);
      }
      assert.deepEqual(
        check('abs(z - 1)', 'sign(z - 1)').kinks.map((k) => k.at[0]),
        [1],
      );
    },
  );
  it(
    'at a kink either one-sided limit is accepted: 2·step(z − 1) − 1 for |z − 1| gives ' +
      '−1 at z = 1',
    () => {
      const r = check('abs(z - 1)', '2 * step(z - 1) - 1');
      assert.ok(r.agree);
      assert.deepEqual(
        r.kinks.map((k) => [k.at[0], k.claimed, k.exact, k.left, k.right, k.accepted]),
        [[1, -1, 0, -1, 1, true]],
      );
    },
  );
  it(
    'a wrong one: σ(z)(1 − σ(z)) for z·σ(z) first disagrees at z = −10, by |σ′(−10) − (σ(−10) + ' +
      '−10·σ′(−10))|',
    () => {
      const r = check('z * sigmoid(z)', 'sigmoid(z) * (1 - sigmoid(z))');
      assert.equal(r.agree, false);
      assert.deepEqual(r.first?.at, [-10]);
      const s = 1 / (1 + Math.exp(10));
      assert.ok(
        Math.abs((r.first?.difference ?? 0) - Math.abs(s * (1 - s) - (s - 10 * s * (1 - s)))) <
          1e-15,
      );
    },
  );
  it(
    'an unstable formula is caught at a large input: e^−z/(1+e^−z)² for σ′ is NaN at ' +
      'z = −1000',
    () => {
      const r = check('sigmoid(z)', 'exp(-z) / (1 + exp(-z))^2');
      assert.deepEqual(
        [r.agree, r.first?.at, Number.isNaN(r.first?.claimed)],
        [false, [-1000], true],
      );
    },
  );
  it('a loss: ∂/∂a of (a − t)²/2 is a − t, not t − a (checked for t = 0, 0.5, 1)', () => {
    assert.ok(check('(a - t)^2 / 2', 'a - t', ['a', 't']).agree);
    const wrong = check('(a - t)^2 / 2', 't - a', ['a', 't']);
    assert.deepEqual([wrong.agree, wrong.first?.at], [false, [-10, 0]]);
  });
  it(
    'points outside the domain are left out, and counted: log(z) is checked for ' + 'z > 0 only',
    () => {
      const r = check('log(z)', '1 / z');
      assert.ok(r.agree);
      assert.ok(r.skipped >= 2000, `skipped ${r.skipped}`);
    },
  );
});
