/**
 * Computation-graph cells run in a session: statements, outputs, user-defined activations in
 * networks, check my derivative.
 */
import { strict as assert } from 'assert';
import { Session } from '../../../src/runtime/session';
import { itemsToText } from '../../../src/protocol/text';
import { backward, forward } from '../../../src/engine';
import { host } from '../runHost';
import katex from 'katex';
import { decodeNumber, type DerivationItem } from '../../../src/protocol/results';
import { EXPLAIN_PATHS } from '../../../src/runtime/expressionRunner';

/**
 * The 8 paths from x up through q = x·x, r = q·q, f = r·r, each a product of local
 * derivatives from the top down, in the order of the edges out of each node on the way up.
 */
function paths(): string {
  let out = [''];
  for (const n of ['q', 'r', 'f'])
    out = out.flatMap((p) => ['₁', '₂'].map((k) => `∂${k}${n}${p ? ` · ${p}` : ''}`));
  return out.join(' + ');
}

/** The LaTeX of every step of the cell's derivations whose symbolic side starts with `start`. */
function stepLatex(items: { kind: string }[], start: string): string[] {
  return items
    .flatMap((i) => (i.kind === 'derivation' ? (i as DerivationItem).steps : []))
    .filter((step) => step.symbolic.startsWith(start))
    .map((step) => step.latex);
}

describe('runtime: expression cells', () => {
  it(
    'the CS231n circuit across two cells: backward, explain, expect, gradcheck, and the ' +
      'graph item',
    async () => {
      const s = new Session();
      assert.ok((await s.runCell('x = -2\ny = 5\nz = -4', host)).ok);
      const r = await s.runCell(
        'q = x + y\nf = q * z\nbackward f\nexplain ∂f/∂x\nexpect ∂f/∂x = -4\nexpect df/dz = ' +
          '3\ngradcheck f',
        host,
      );
      // two expects and the gradcheck, which counts as one
      assert.deepEqual([r.ok, r.problems, r.expectations], [true, [], { total: 3, failed: 0 }]);
      const graph = r.items.find((i) => i.kind === 'graph');
      assert.ok(graph && graph.kind === 'graph' && graph.nodes.length === 5 && graph.hasGradients);
      const text = itemsToText(r.items);
      assert.match(text, /∂f\/∂x = ∂₁q · ∂f\/∂q {2}= {2}1 · -4 {2}= {2}-4/);
    },
  );

  it(
    'an assignment says its value as a number part (the views set its digits and sign), a ' +
      'literal once',
    async () => {
      const r = await new Session().runCell('x = -2\ny = 5\nz = -4\nf = (x + y) * z', host);
      // by hand: (−2 + 5)·(−4) = −12
      assert.deepEqual(
        r.items.map((i) => i.kind === 'message' && i.text),
        [
          [{ text: 'x = ' }, { num: -2 }],
          [{ text: 'y = ' }, { num: 5 }],
          [{ text: 'z = ' }, { num: -4 }],
          [{ text: 'f = (x + y) * z = ' }, { num: -12 }],
        ],
      );
    },
  );

  it(
    'backward f then show f in one cell draws the graph once; show f after a reassignment ' +
      'draws again',
    async () => {
      const s = new Session();
      const graphs = async (src: string) =>
        (await s.runCell(src, host)).items.filter((i) => i.kind === 'graph').length;
      assert.equal(await graphs('x = 2\ny = 3\nf = x * y\nbackward f\nshow f'), 1);
      assert.equal(await graphs('show f\nf = x + y\nshow f'), 2);
    },
  );

  it(
    'explain: no line repeats itself (a constant local derivative adds none, labels keep one ' +
      'pair of parentheses)',
    async () => {
      const s = new Session();
      const r = await s.runCell(
        'x = -2\ny = 5\nz = -4\nf = (x + y) * z\nexplain ∂f/∂y\nexplain ∂f/∂z',
        host,
      );
      const [dy, dz] = r.items.filter((i) => i.kind === 'derivation');
      assert.ok(dy.kind === 'derivation' && dz.kind === 'derivation');
      assert.deepEqual(
        dy.steps.map((st) => st.symbolic),
        ['∂f/∂y = ∂₂(x + y) · ∂f/∂(x + y)', '∂f/∂y = ∂₁f · ∂₂(x + y)', '∂₁f = z'],
      );
      assert.deepEqual(
        dz.steps.map((st) => `${st.symbolic} = ${st.substituted}`),
        ['∂f/∂z = ∂₂f = 3', '∂₂f = (x + y) = 3'],
      );
      assert.match(itemsToText(r.items), /∂₂f = \(x \+ y\) {2}= {2}3$/m);
    },
  );

  /** Each step of the cell's derivations as `symbolic = substituted = value`, its LaTeX typeset. */
  const explained = (items: { kind: string }[]) =>
    items
      .filter((i): i is DerivationItem => i.kind === 'derivation')
      .map((d) =>
        d.steps.map((st) => {
          assert.doesNotThrow(
            () => katex.renderToString(st.latex, { throwOnError: true }),
            st.latex,
          );
          const value = String(decodeNumber(st.value));
          const tail = st.substituted === value ? '' : ` = ${value}`;
          return `${st.symbolic} = ${st.substituted}${tail}`;
        }),
      );

  it(
    'explain f = x·x at x = 3: ∂f/∂x = 6 is the two edges into f, each a local derivative ∂₁f, ' +
      '∂₂f = x = 3, never written as ∂f/∂x',
    async () => {
      const r = await new Session().runCell(
        'x = 3\nf = x * x\nexplain ∂f/∂x\nexpect ∂f/∂x = 6',
        host,
      );
      assert.deepEqual([r.ok, r.expectations], [true, { total: 1, failed: 0 }]);
      // by hand: d(x²)/dx = 2x = 6, the sum of the product's local derivatives by its two
      // operands, each the other operand, x = 3
      assert.deepEqual(explained(r.items), [
        ['∂f/∂x = ∂₁f + ∂₂f = 3 + 3 = 6', '∂₁f = x = 3', '∂₂f = x = 3'],
      ]);
      assert.deepEqual(stepLatex(r.items, '∂'), [
        '\\frac{\\partial f}{\\partial x} = \\partial_{1} f + \\partial_{2} f = 3 + 3 = 6',
        '\\partial_{1} f = x = 3',
        '\\partial_{2} f = x = 3',
      ]);
    },
  );

  it(
    'explain f = (x + y)·x at x = 2, y = 5: the chain rule per edge, then the sum over the two ' +
      'paths from f to x in local derivatives (∂f/∂x = 2x + y = 9, ∂f/∂y = x = 2)',
    async () => {
      const r = await new Session().runCell(
        'x = 2\ny = 5\nf = (x + y) * x\nexplain ∂f/∂x\nexplain ∂f/∂y\nexpect f = 14\n' +
          'expect ∂f/∂x = 9\nexpect ∂f/∂y = 2',
        host,
      );
      assert.deepEqual([r.ok, r.expectations], [true, { total: 3, failed: 0 }]);
      // by hand: f = x² + xy, ∂f/∂x = 2x + y = 9 and ∂f/∂y = x = 2. The product's local
      // derivatives: ∂₁f = x = 2 (by x + y), ∂₂f = x + y = 7 (by x); the sum's are 1; the
      // gradient arriving at x + y is ∂₁f = 2. Paths to x: f → (x + y) → x, 2·1, and f → x, 7
      assert.deepEqual(explained(r.items), [
        [
          '∂f/∂x = ∂₁(x + y) · ∂f/∂(x + y) + ∂₂f = 1 · 2 + 7 = 9',
          '∂f/∂x = ∂₁f · ∂₁(x + y) + ∂₂f = 2 · 1 + 7 = 9',
          '∂₁f = x = 2',
          '∂₂f = (x + y) = 7',
        ],
        [
          '∂f/∂y = ∂₂(x + y) · ∂f/∂(x + y) = 1 · 2 = 2',
          '∂f/∂y = ∂₁f · ∂₂(x + y) = 2 · 1 = 2',
          '∂₁f = x = 2',
        ],
      ]);
    },
  );

  it(
    'explain writes the paths out while there are at most EXPLAIN_PATHS.paths of them: 8 for ' +
      'x → x·x → (x·x)² → ((x·x)²)², none for 16',
    async () => {
      const s = new Session();
      const r = await s.runCell(
        'x = 1\nq = x * x\nr = q * q\nf = r * r\ng = f * f\nexplain ∂f/∂x\nexplain ∂g/∂x',
        host,
      );
      assert.equal(EXPLAIN_PATHS.paths, 8);
      const [df, dg] = explained(r.items);
      // 2·2·2 paths from f to x, each ∂ₖf · ∂ₖr · ∂ₖq = 1·1·1 (every operand is 1); x⁸ has slope 8
      assert.equal(df[1], `∂f/∂x = ${paths()} = ${Array(8).fill('1 · 1 · 1').join(' + ')} = 8`);
      assert.ok(
        dg.every((step) => !step.startsWith('∂g/∂x = ∂₁g')),
        dg.join('\n'),
      );
      assert.equal(dg[0], '∂g/∂x = ∂₁q · ∂g/∂q + ∂₂q · ∂g/∂q = 1 · 8 + 1 · 8 = 16');
    },
  );

  it('diagnostics before running: an unknown name, a wrong arity, a loss without a', async () => {
    const s = new Session();
    const r = await s.runCell('f = x * 2\ng = max(1)\nloss bad(a, t) = t^2', host);
    assert.equal(r.ok, false);
    assert.deepEqual(
      r.problems.map((p) => p.code),
      ['BPNB134', 'BPNB133', 'BPNB135'],
    );
  });

  it(
    'a user-defined activation in a network line: a = z·σ(z) and δ = g′(z)·Σw·δ with g′ written ' +
      'out by hand',
    async () => {
      const s = new Session();
      const r = await s.runCell(
        'activation myswish(z) = z * sigmoid(z)\nnetwork 2 -> 3 myswish -> 1 sigmoid\ninput x = ' +
          '[0.05, 0.10]\ntarget t = [0.01]\nforward\nbackward\nexpect E < 1',
        host,
      );
      assert.deepEqual([r.ok, r.problems], [true, []]);
      // independently: the same net with σ(z)·z computed by hand for the hidden layer
      const net = s.inspect()!.net;
      // the layer runs the user's expression, not a built-in of the same shape
      assert.equal(net.spec.activations[0].kind, 'myswish');
      assert.ok(net.spec.activations[0].user, 'a user-defined record');
      const fwd = forward(net, [[0.05, 0.1]]);
      for (let j = 0; j < 3; j++) {
        const z = fwd.z[2][j];
        assert.ok(Math.abs(fwd.a[2][j] - z / (1 + Math.exp(-z))) < 1e-16);
      }
      // δ of the hidden layer: g'(z)·Σ w·δ with g'(z) = σ(z)(1 + z(1 − σ(z))) written out by hand
      const back = backward(net, fwd, [[0.01]]);
      for (let j = 0; j < 3; j++) {
        const z = fwd.z[2][j];
        const sg = 1 / (1 + Math.exp(-z));
        const w = net.weights[1][j];
        const want = sg * (1 + z * (1 - sg)) * w * back.delta[3][0];
        assert.ok(Math.abs(back.delta[2][j] - want) < 1e-15, `δ${j + 1}[2]`);
      }
    },
  );

  it(
    "a user function may not take a built-in's name (swish is silu: a network line would run " +
      'the built-in)',
    async () => {
      for (const line of ['activation swish(z) = z * sigmoid(z)', 'loss mse(a, t) = (a - t)^2']) {
        const r = await new Session().runCell(line, host);
        assert.equal(r.ok, false, line);
        assert.deepEqual(
          r.problems.map((p) => p.code),
          ['BPNB136'],
          line,
        );
        assert.match(r.problems[0].message, /built-in (activation silu|loss mse)/);
      }
    },
  );

  it(
    "a user-defined loss in a loss line: Mazur's E = 0.298371109 from ½(a − t)² written by the " +
      'user, δ explained through ∂ℓ/∂a',
    async () => {
      const s = new Session();
      const r = await s.runCell(
        [
          'loss hsq(a, t) = 0.5 * (a - t)^2',
          'network 2 -> 2 sigmoid -> 2 sigmoid',
          'loss hsq sum',
          'weights [1] = [[0.15, 0.25], [0.20, 0.30]]',
          'biases [2] = [0.35, 0.35]',
          'weights [2] = [[0.40, 0.50], [0.45, 0.55]]',
          'biases [3] = [0.60, 0.60]',
          'input x = [0.05, 0.10]',
          'target t = [0.01, 0.99]',
          'backward',
          // Matt Mazur's worked example, printed digits: E_total = 0.298371109, ∂E/∂w5 =
          // 0.082167041
          'expect E = 0.298371109 ± 1e-9',
          'expect dE/dw11[2] = 0.082167041 ± 1e-9',
          'explain δ1[3]',
          'gradcheck',
          'train epochs 5 lr 0.5',
        ].join('\n'),
        host,
      );
      assert.deepEqual([r.ok, r.problems, r.expectations], [true, [], { total: 3, failed: 0 }]);
      assert.equal(s.inspect()?.net.spec.userLoss?.params.join(','), 'a,t');
      const text = itemsToText(r.items);
      assert.match(
        text,
        /∂hsq\/∂a1\[3\] = a1\[3\] - t1 {2}= {2}0\.751365 - 0\.01 {2}= {2}0\.741365/,
      );
      assert.match(text, /gradcheck passed/);
      // a built-in loss line afterwards drops the user's loss
      assert.ok((await s.runCell('loss mse', host)).ok);
      assert.equal(s.inspect()?.net.spec.userLoss, undefined);
    },
  );

  it(
    'a loss line naming no defined loss, or an activation, is a diagnostic ' + 'before running',
    async () => {
      const s = new Session();
      await s.runCell('activation myswish(z) = z * sigmoid(z)\nnetwork 2 -> 1 sigmoid', host);
      for (const line of ['loss huber', 'loss myswish']) {
        const r = await s.runCell(line, host);
        assert.equal(r.ok, false, line);
        assert.deepEqual(
          r.problems.map((p) => p.code),
          ['BPNB105'],
          line,
        );
      }
    },
  );

  it(
    'check my derivative: a wrong derivative fails the cell and says where it first ' + 'disagrees',
    async () => {
      const s = new Session();
      await s.runCell('activation myswish(z) = z * sigmoid(z)', host);
      const good = await s.runCell(
        "check myswish'(z) = sigmoid(z) * (1 + z * (1 - sigmoid(z)))",
        host,
      );
      assert.deepEqual([good.ok, good.expectations], [true, { total: 1, failed: 0 }]);
      const bad = await s.runCell("check myswish'(z) = sigmoid(z) * (1 - sigmoid(z))", host);
      assert.deepEqual([bad.ok, bad.expectations], [false, { total: 1, failed: 1 }]);
      assert.match(itemsToText(bad.items), /first disagrees at z = -10: yours 4\.53958\d*e-5/);
      const plot = bad.items.find((i) => i.kind === 'plot');
      assert.ok(plot && plot.kind === 'plot' && plot.series.length === 2);
    },
  );

  it('a flat sum of 250 terms runs; 5,000 terms and deep nesting are refused', async () => {
    const names = Array.from({ length: 250 }, (_, i) => `p${i + 1}`);
    const cell =
      names.map((n, i) => `${n} = ${(i + 1) / 10}`).join('\n') +
      `\nf = ${names.join(' + ')}\nexplain df/dp1\ngradcheck f`;
    const r = await new Session().runCell(cell, host);
    assert.equal(r.ok, true, JSON.stringify(r.problems));
    const text = itemsToText(r.items);
    // by hand: Σ i/10 for i = 1..250 = 0.1·250·251/2 = 3137.5; ∂f/∂p1 = 1
    assert.match(text, /gradcheck f = 3137\.5:/);
    assert.doesNotMatch(text, /\bFAIL\b|nested/);
    const long = await new Session().runCell(
      `q = 1\nf = ${Array(5000).fill('q').join(' + ')}`,
      host,
    );
    assert.deepEqual(
      long.problems.map((p) => p.code),
      ['BPNB130'],
    );
    const deep = await new Session().runCell(
      `q = 1\nf = ${'('.repeat(300)}q${')'.repeat(300)}`,
      host,
    );
    assert.deepEqual(
      deep.problems.map((p) => [p.code, p.message]),
      [['BPNB131', 'expression nested too deeply: at most 200 levels']],
    );
  });
});

describe("runtime: a user's g′ and ∂ℓ/∂a in explain are typeset like a built-in's", () => {
  it(
    "δ of a myswish layer: g'(z) as σ(z) + z·(σ(z)·(1 − σ(z))) in notation, with z's number in; " +
      '∂hsq/∂a as a fraction equal to a − t, names and numbers',
    async () => {
      const s = new Session();
      const r = await s.runCell(
        [
          'activation myswish(z) = z * sigmoid(z)',
          'loss hsq(a, t) = 0.5 * (a - t)^2',
          'network 2 -> 2 myswish -> 1 myswish',
          'loss hsq',
          'weights [1] = [[0.15, 0.25], [0.20, 0.30]]',
          'weights [2] = [[0.40], [0.45]]',
          'input x = [0.05, 0.10]',
          'target t = [0.01]',
          'backward',
          'explain δ1[2]',
        ].join('\n'),
        host,
      );
      assert.deepEqual([r.ok, r.problems], [true, []]);
      const slopes = stepLatex(r.items, "g'(");
      assert.ok(slopes.length >= 2, `${slopes.length} g' steps`);
      for (const latex of slopes) {
        // typeset from the expression: σ, \cdot and brackets, never the cell language's text
        assert.doesNotMatch(latex, /sigmoid|\*/, latex);
        assert.match(latex, /^g'\(z_\{\d\}\^\{\[\d\]\}\) = \\sigma\\left\(/, latex);
        assert.match(latex, /\\cdot/, latex);
        // a valid formula: KaTeX would throw on a malformed one
        assert.doesNotThrow(() => katex.renderToString(latex, { throwOnError: true }), latex);
      }
      const [loss] = stepLatex(r.items, '∂hsq/∂a1[3]');
      assert.ok(loss, 'a ∂hsq/∂a1[3] step');
      const a13 = 'a_{1}^{[3]}';
      assert.ok(
        loss.startsWith(
          `\\frac{\\partial \\operatorname{hsq}}{\\partial ${a13}} = ${a13} - t_{1} = `,
        ),
        loss,
      );
      assert.doesNotThrow(() => katex.renderToString(loss, { throwOnError: true }), loss);
    },
  );
});

describe('explain typesets a negative number as one signed number', () => {
  /** Every minus sign that MathML would space as a binary operator after another operator. */
  const spacedSigns = (latex: string) =>
    katex
      .renderToString(latex, { output: 'mathml', throwOnError: true })
      .replace(/<annotation.*?<\/annotation>/s, '')
      .match(/<mo[^>]*>[(⋅=+−]<\/mo><mo>−<\/mo>/g) ?? [];

  it('a network (x2 = −0.5) and a graph (z = −4): "−0.100244 · −0.5", "1 · (−4)"', async () => {
    const net = await new Session().runCell(
      [
        'network 2 -> 1 sigmoid',
        'bias off',
        'w11[1] = 0.2',
        'w21[1] = -0.3',
        'input x = [1, -0.5]',
        'target t = [1]',
        'forward',
        'backward',
        'explain δ1[2]',
        'explain dE/dw21[1]',
      ].join('\n'),
      host,
    );
    const graph = await new Session().runCell(
      'x = -2\ny = 5\nz = -4\nq = x + y\nf = q * z\nbackward f\nexplain ∂f/∂x',
      host,
    );
    const steps = [...stepLatex(net.items, ''), ...stepLatex(graph.items, '')];
    // ∂E/∂w21[1] = δ1[2]·x2 = −0.100244·−0.5: both signs follow an operator; ∂f/∂x = 1·(−4)
    assert.ok(
      steps.some((l) => /= \{-0\.100244\} +\\cdot +\{-0\.5\} =/.test(l)),
      steps.join('\n'),
    );
    assert.ok(steps.some((l) => /\(\{-4\}\)/.test(l)));
    for (const latex of steps) assert.deepEqual(spacedSigns(latex), [], latex);
  });
});
