/** Computation graphs: the runtime's payload, its layout, and the drawing (fake DOM). */
import { strict as assert } from 'assert';
import { parseExpression, type Expr } from '../../../src/language/expr';
import { ExpressionScope } from '../../../src/runtime/expressions';
import { graphItem, plotItem } from '../../../src/runtime/expressionItems';
import {
  BOX_H,
  BOX_W,
  drawGraph,
  graphEdgeLabels,
  graphEdgeTexts,
  graphLayout,
} from '../../../src/views/graph';
import { overlaps, textWidth, type Box } from '../../../src/views/labels';
import { graphTable, itemLines, setDisplayDigits, shownNumber } from '../../../src/protocol/text';
import { Rng } from '../../../src/engine/rng';
import { drawPlot, plotGeometry } from '../../../src/views/plot';
import { checkItem } from '../../../src/views/validate';
import type { GraphItem } from '../../../src/protocol/graph';
import { FakeElement, withFakeDocument } from './fakeDom';

function scopeOf(...lines: string[]): ExpressionScope {
  const scope = new ExpressionScope();
  for (const line of lines) {
    const eq = line.indexOf('=');
    const r = parseExpression(line, eq + 1);
    assert.ok(scope.assign(line.slice(0, eq).trim(), r.expr as Expr, line).ok, line);
  }
  return scope;
}

function circuit(): GraphItem {
  const s = scopeOf('x = -2', 'y = 5', 'z = -4', 'q = x + y', 'f = q * z');
  return graphItem(s.get('f')!, 'f', s.backward('f'));
}

describe('computation graph payload', () => {
  it(
    'CS231n circuit: values, ∂f/∂node, and the local derivative on each edge (∂f/∂q = z = −4, ' +
      '∂f/∂z = q = 3)',
    () => {
      const item = circuit();
      const byName = new Map(item.nodes.map((n) => [n.name, n]));
      assert.deepEqual(
        ['x', 'y', 'z', 'q', 'f'].map((n) => [byName.get(n)?.value, byName.get(n)?.grad]),
        [
          [-2, -4],
          [5, -4],
          [-4, 3],
          [3, -4],
          [-12, 1],
        ],
      );
      const f = byName.get('f')!;
      assert.deepEqual([f.label, f.local], ['×', [-4, 3]]);
      assert.deepEqual(
        f.inputs.map((i) => item.nodes[i].name),
        ['q', 'z'],
      );
      assert.ok(checkItem(item).ok);
    },
  );
  it(
    'the node table: a leaf is said to be one (not its name twice), a constant shows its value, ' +
      'an operation its expression',
    () => {
      const s = scopeOf('x = -2', 'f = x * 3');
      const { columns, rows } = graphTable(graphItem(s.get('f')!, 'f', s.backward('f')));
      assert.deepEqual(columns.slice(0, 3), ['node', 'computes', 'value']);
      assert.deepEqual(
        rows.map((r) => r.slice(1, 3)),
        [
          ['leaf', -2],
          ['3', 3],
          ['x * 3', -6],
        ],
      );
    },
  );
  it('a constant operand has no local derivative: not in the table, no edge label', () => {
    // by hand: f = q^2 at q = -2: ∂f/∂q = 2q = -4; ∂(q^c)/∂c = q^c·ln q is NaN for q < 0 and
    // means nothing for the constant 2
    const s = scopeOf('q = -2', 'f = q ^ 2');
    const item = graphItem(s.get('f')!, 'f', s.backward('f'));
    assert.ok(checkItem(item).ok);
    const { rows } = graphTable(item);
    assert.equal(rows.at(-1)![4], '∂₁f = -4');
    const texts = graphEdgeTexts(item);
    assert.deepEqual(texts.at(-1), ['−4', '']);
    const places = graphEdgeLabels(item, graphLayout(item), texts);
    assert.equal(places.at(-1)![1], undefined);
  });
  it('a NaN is flagged at the node where it arose, and the payload still validates', () => {
    const s = scopeOf('x = -1', 'f = 3 * sqrt(x)');
    const item = graphItem(s.get('f')!, 'f', s.backward('f'));
    const flagged = item.nodes.filter((n) => n.issue);
    assert.deepEqual(
      flagged.map((n) => [n.label, n.source, n.value]),
      [['√', 'sqrt(x)', 'NaN']],
    );
    assert.ok(checkItem(JSON.parse(JSON.stringify(item))).ok);
  });
  it('validation refuses a node whose input is not an earlier node', () => {
    const item = circuit();
    item.nodes[0].inputs = [3];
    item.nodes[0].local = [1];
    assert.equal(checkItem(item).ok, false);
    // a graph has its root (the title's value): no nodes is refused; an output saved with the
    // earlier text title still draws
    assert.equal(checkItem({ ...circuit(), nodes: [] }).ok, false);
    assert.equal(checkItem({ ...circuit(), title: 'f = -12 (5 nodes)' }).ok, true);
  });
});

describe('computation graph layout and drawing', () => {
  it(
    'every node sits right of its inputs and no two boxes overlap (the circuit and a ' +
      '200-node graph)',
    () => {
      const terms = Array.from(
        { length: 40 },
        (_, i) => `sigmoid(w${i % 7} * x${i % 5} + ${i / 10}) * w${(i + 3) % 7}`,
      );
      const lines = [
        ...Array.from({ length: 7 }, (_, i) => `w${i} = ${i / 7 - 0.5}`),
        ...Array.from({ length: 5 }, (_, i) => `x${i} = ${i - 2}`),
        `f = ${terms.join(' + ')}`,
      ];
      const s = scopeOf(...lines);
      for (const item of [circuit(), graphItem(s.get('f')!, 'f', s.backward('f'))]) {
        const l = graphLayout(item);
        item.nodes.forEach((n, i) =>
          n.inputs.forEach((input) => assert.ok(l.x[input] + BOX_W < l.x[i])),
        );
        for (let i = 0; i < item.nodes.length; i++)
          for (let j = i + 1; j < item.nodes.length; j++)
            assert.ok(
              Math.abs(l.x[i] - l.x[j]) >= BOX_W || Math.abs(l.y[i] - l.y[j]) >= BOX_H,
              `${i} overlaps ${j}`,
            );
        assert.ok(l.width > 0 && l.height > 0 && Number.isFinite(l.width + l.height));
        if (item.nodes.length > 100)
          assert.ok(
            item.nodes.length >= 190 && item.nodes.length <= 260,
            `${item.nodes.length} nodes`,
          );
      }
    },
  );

  it(
    'random graphs of up to ~200 nodes: no edge label overlaps a node box or another label, ' +
      'none leaves the drawing',
    () => {
      const rng = new Rng(15);
      const FNS = ['exp', 'tanh', 'sigmoid', 'relu', 'abs'];
      for (let c = 0; c < 30; c++) {
        // leaves, then expressions over earlier names: shared names make nodes with many consumers
        const leaves = 2 + Math.floor(rng.next() * 8);
        const lines = Array.from(
          { length: leaves },
          (_, i) => `v${i} = ${(rng.next() * 4 - 2).toFixed(3)}`,
        );
        const pick = (k: number) => `v${Math.floor(rng.next() * k)}`;
        const steps = 3 + Math.floor(rng.next() * (c < 10 ? 10 : 60));
        for (let i = leaves; i < leaves + steps; i++) {
          const a = pick(i);
          const b = pick(i);
          const r = rng.next();
          const body =
            r < 0.3
              ? `${a} * ${b} + ${(rng.next() - 0.5).toFixed(2)}`
              : r < 0.6
                ? `${FNS[Math.floor(rng.next() * FNS.length)]}(${a}) - ${b}`
                : `(${a} + ${b}) * ${pick(i)}`;
          lines.push(`v${i} = ${body}`);
        }
        const s = scopeOf(...lines);
        const rootName = `v${leaves + steps - 1}`;
        const item = graphItem(s.get(rootName)!, rootName, s.backward(rootName));
        const l = graphLayout(item);
        const texts = graphEdgeTexts(item);
        const places = graphEdgeLabels(item, l, texts);
        const boxes: { what: string; box: Box }[] = item.nodes.map((_, i) => ({
          what: `node ${i}`,
          box: { x: l.x[i], y: l.y[i], w: BOX_W, h: BOX_H },
        }));
        let placed = 0;
        places.forEach((row, to) =>
          row.forEach((p, k) => {
            if (!p) return;
            placed++;
            const w = texts[to][k].length * 6.3; // the rendered width of 10.5px monospace
            assert.ok(p.box.w >= w, 'the box holds the text');
            assert.ok(
              p.box.x >= 0 &&
                p.box.y >= 0 &&
                p.box.x + p.box.w <= l.width &&
                p.box.y + p.box.h <= l.height,
            );
            for (const o of boxes)
              assert.ok(
                !overlaps(o.box, p.box, 0),
                `graph ${c} (${item.nodes.length} nodes): label of edge ${k} into ${to} overlaps ` +
                  `${o.what}`,
              );
            boxes.push({ what: `label of edge ${k} into ${to}`, box: p.box });
          }),
        );
        const edges = item.nodes.reduce((sum, n) => sum + n.inputs.length, 0);
        assert.ok(placed >= Math.min(edges, 1), `graph ${c}: some labels placed`);
      }
    },
  );

  it(
    'draws each value, gradient and edge label from the payload; stepping forward hides what is ' +
      'not computed yet',
    () =>
      withFakeDocument(() => {
        const view = drawGraph(circuit());
        const texts = (view.element as unknown as FakeElement).texts().join('|');
        for (const t of ['−12', '∂ −4', '∂ 3', 'f = ×', 'q = +']) assert.ok(texts.includes(t), t);
        const boxValues = () =>
          [...(view.element as unknown as FakeElement).walk()]
            .filter((e) => e.getAttribute('class') === 'bp-gvalue')
            .map((e) => e.texts().join(''));
        // negatives are drawn with the typographic minus (shownNumber), as everywhere else
        assert.deepEqual(boxValues(), ['−2', '5', '−4', '3', '−12']);
        view.show('forward', 0);
        const stepped = (view.element as unknown as FakeElement).texts().join('|');
        assert.ok(stepped.includes('forward 1/5: -2 = −2'), stepped);
        assert.deepEqual(boxValues(), ['−2', '', '', '', '']);
        // no hyphen-minus before a digit in what the view formats (boxes, edge labels, tooltips,
        // status, the table's local derivatives, the title): only the user's own source text `-2`
        // keeps its own
        const own = (t: string) =>
          t
            .replace('forward 1/5: -2 =', 'forward 1/5: x =')
            .split(/[|\n]/)
            .filter((w) => !['-2', '-4'].includes(w));
        assert.deepEqual(
          own(texts).filter((w) => /-\d/.test(w)),
          [],
        );
        assert.deepEqual(
          own(stepped).filter((w) => /-\d/.test(w)),
          [],
        );
        assert.ok(texts.includes('∂₁f = −4, ∂₂f = 3'), texts);
      }),
  );

  it("the title shows the root's value as drawn numbers are: typographic minus, digits set", () =>
    withFakeDocument(() => {
      // the drawn title and the group's label
      const title = (item: GraphItem) => {
        const root = drawGraph(item).element as unknown as FakeElement;
        const shown = [...root.walk()].find((e) => e.getAttribute('class') === 'bp-title');
        assert.equal(shown?.texts().join(''), root.getAttribute('aria-label'));
        return root.getAttribute('aria-label');
      };
      assert.equal(title(circuit()), 'f = −12, backward from f (5 nodes)');
      const s = scopeOf('x = -2.123456789', 'f = x * 3');
      const item = graphItem(s.get('f')!, 'f');
      try {
        setDisplayDigits(3);
        assert.equal(title(item), 'f = −6.37 (3 nodes)');
      } finally {
        setDisplayDigits(undefined);
      }
      // the text output keeps formatNumber's hyphen and six digits
      assert.equal(itemLines(item, false)[0], 'f = -6.37037 (3 nodes)');
    }));

  it(
    'a wide graph can be zoomed: − shrinks the drawing, 1:1 restores its size; a small one ' +
      'has no zoom',
    () =>
      withFakeDocument(() => {
        const terms = Array.from({ length: 40 }, (_, i) => `tanh(w${i % 3} * ${i / 10})`);
        const s = scopeOf('w0 = 0.5', 'w1 = -1', 'w2 = 2', `f = ${terms.join(' + ')}`);
        const root = drawGraph(graphItem(s.get('f')!, 'f', s.backward('f')))
          .element as unknown as FakeElement;
        const svgEl = [...root.walk()].find((e) => e.tagName === 'svg')!;
        const click = (text: string) => {
          const b = [...root.walk()].find((e) => e.tagName === 'button' && e.textContent === text);
          assert.ok(b, `a ${text} button`);
          b.listeners.get('click')![0]({});
        };
        const width = Number(svgEl.getAttribute('width'));
        click('−');
        assert.equal(Number(svgEl.getAttribute('width')), Math.round(width / 1.25));
        click('1:1');
        assert.equal(Number(svgEl.getAttribute('width')), width);
        const small = drawGraph(circuit()).element as unknown as FakeElement;
        assert.ok(![...small.walk()].some((e) => e.textContent === '1:1'));
      }),
  );

  it('a plot draws one path per series and a marker label', () =>
    withFakeDocument(() => {
      const item = plotItem(
        'g and g′',
        'z',
        [
          {
            label: 'g(z)',
            points: [
              [0, 0],
              [1, 1],
              [2, 'NaN'],
              [3, 3],
            ],
          },
          {
            label: "g'(z)",
            points: [
              [0, 1],
              [3, 1],
            ],
            dashed: true,
          },
        ],
        [{ x: 1, label: 'first disagrees at z = 1' }],
      );
      assert.ok(checkItem(item).ok);
      const texts = (drawPlot(item) as unknown as FakeElement).texts().join('|');
      assert.ok(texts.includes('first disagrees at z = 1') && texts.includes("g'(z)"));
    }));
  it(
    'a plot leaves room for its y labels, the minus sign of a negative one included (swish: ' +
      '−0.28 … 5)',
    () => {
      const swish = (z: number) => z / (1 + Math.exp(-z));
      const xs = Array.from({ length: 201 }, (_, i) => -5 + i / 20);
      const item = plotItem('swish', 'z', [
        { label: 'g(z)', points: xs.map((z): [number, number] => [z, swish(z)]) },
      ]);
      const g = plotGeometry(item);
      assert.ok(g.yMin < 0);
      for (const y of [g.yMin, g.yMax]) {
        const label = shownNumber(y);
        // the label ends 4 px left of the plot area and must start inside the drawing
        assert.ok(g.left - 4 - textWidth(label) >= 0, `${label} is cut at the left edge`);
      }
      assert.ok(g.px(g.xMin) === g.left);
    },
  );
});
