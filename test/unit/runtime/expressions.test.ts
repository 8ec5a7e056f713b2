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
import type { DerivationItem } from '../../../src/protocol/results';

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
      assert.match(text, /∂f\/∂x = ∂q\/∂x · ∂f\/∂q {2}= {2}1 · -4 {2}= {2}-4/);
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
        ['∂f/∂y = ∂(x + y)/∂y · ∂f/∂(x + y)'],
      );
      assert.deepEqual(
        dz.steps.map((st) => `${st.symbolic} = ${st.substituted}`),
        ['∂f/∂z = ∂f/∂z · ∂f/∂f = 3 · 1', '∂f/∂z = (x + y) = 3'],
      );
      assert.match(itemsToText(r.items), /∂f\/∂z = \(x \+ y\) {2}= {2}3$/m);
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
      assert.match(itemsToText(bad.items), /first disagrees at z = -10: yours 0\.0000453958/);
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
    assert.doesNotMatch(text, /MISMATCH|nested/);
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
