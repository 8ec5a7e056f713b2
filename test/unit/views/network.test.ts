import * as assert from 'assert/strict';
import { FORWARD_ONLY_NOTE, drawNetwork } from '../../../src/views/network';
import { Session } from '../../../src/runtime/session';
import { FakeElement, withFakeDocument } from './fakeDom';
import { host } from '../runHost';
import { seedSnapshot } from './sample';
import { layoutNetwork } from '../../../src/views/layout';
import { nodeLines } from '../../../src/views/netSvg';
import { inside, textBox, type Box, type Point } from '../../../src/views/labels';
import { setDisplayDigits } from '../../../src/protocol/text';

/**
 * The words of the network drawing of the session's current net: each text, and each note whole
 * (its code spans are elements of their own).
 */
async function drawnTexts(cells: string[]): Promise<string[]> {
  const session = new Session();
  for (const c of cells) assert.ok((await session.runCell(c, host)).ok, c);
  const snap = session.snapshot()!;
  return withFakeDocument(() => {
    const root = drawNetwork(snap).element as unknown as FakeElement;
    const notes = [...root.walk()].filter((e) => e.getAttribute('class') === 'bp-note');
    return [...root.texts(), ...notes.map((n) => n.textContent)];
  });
}

/** A note as it reads on screen: its code spans without their backticks. */
const onScreen = (note: string) => note.replace(/`/g, '');

describe('network drawing: δ on the nodes', () => {
  const xor = [
    'network xor 2 -> 3 sigmoid -> 1 sigmoid\ninit xavier seed 3\ndataset xor',
    'train epochs 50 lr 2',
  ];

  it(
    'after train, every hidden and output node shows δ and there is no ' + 'forward-only note',
    async () => {
      const texts = await drawnTexts(xor);
      assert.equal(texts.filter((t) => t.startsWith('δ = ')).length, 4, texts.join(' | '));
      assert.ok(!texts.includes(onScreen(FORWARD_ONLY_NOTE)));
    },
  );

  it(
    'after a forward alone (as at the end of 02-xor) there is no δ, and the ' + 'drawing says why',
    async () => {
      const texts = await drawnTexts([...xor, 'input x = [1, 1]\nforward']);
      assert.equal(texts.filter((t) => t.startsWith('δ = ')).length, 0);
      assert.ok(texts.includes(onScreen(FORWARD_ONLY_NOTE)), texts.join(' | '));
      // its code spans are <code>, not backticks
      assert.ok(
        texts.every((t) => !t.includes('`')),
        texts.join(' | '),
      );
      assert.ok(texts.includes('forward') && texts.includes('backward'));
      // a backward for that input brings the δ back and the note goes
      const again = await drawnTexts([
        ...xor,
        'input x = [1, 1]\ntarget t = [0]\nforward\nbackward',
      ]);
      assert.equal(again.filter((t) => t.startsWith('δ = ')).length, 4);
      assert.ok(!again.includes(onScreen(FORWARD_ONLY_NOTE)));
    },
  );
});

describe('network drawing: value lines stay inside the drawing', () => {
  it('at 17 digits the outer layers’ a= and δ= lines slide inward, not cut at the edge', () => {
    const s = seedSnapshot();
    const layout = layoutNetwork(s.sizes, s.weights);
    setDisplayDigits(17);
    try {
      const lines = layout.nodes.flat().flatMap((p) => {
        const l = nodeLines(s, layout, p, false);
        return [...l.above, ...l.below];
      });
      assert.ok(
        lines.some((l) => l.text.length > 20),
        lines.map((l) => l.text).join(' | '),
      );
      for (const l of lines)
        assert.ok(inside(l.box, layout.width, layout.height), `"${l.text}" at x ${l.box.x}`);
    } finally {
      setDisplayDigits(6);
    }
  });
});

describe('network drawing: no edge through a value line', () => {
  /** whether the segment from p to q passes through box b (sampled every half pixel) */
  const crosses = (p: Point, q: Point, b: Box) => {
    const n = Math.ceil(2 * Math.hypot(q.x - p.x, q.y - p.y));
    for (let i = 0; i <= n; i++) {
      const x = p.x + ((q.x - p.x) * i) / n,
        y = p.y + ((q.y - p.y) * i) / n;
      if (x > b.x && x < b.x + b.w && y > b.y && y < b.y + b.h) return true;
    }
    return false;
  };

  it(
    'the trained XOR 2-4-1 (heatmap nodes): edges pass under value lines, and each line sits ' +
      'on a rect of its box drawn above every edge',
    async () => {
      const session = new Session();
      for (const c of [
        'network 2 -> 4 tanh -> 1 sigmoid\ninit xavier seed 1\ndataset xor',
        'train epochs 3000 lr 0.5\nforward\nbackward',
      ])
        assert.ok((await session.runCell(c, host)).ok, c);
      const s = session.snapshot()!;
      const layout = layoutNetwork(s.sizes, s.weights, { maps: true });
      const lines = layout.nodes
        .flat()
        .flatMap((p) => Object.values(nodeLines(s, layout, p, true)).flat());
      // the case the screenshot showed: some edge runs through some line's words
      const crossed = lines.filter((l) =>
        layout.edges.some((e) =>
          crosses(layout.nodes[e.k - 1][e.i - 1], layout.nodes[e.k][e.j - 1], l.box),
        ),
      );
      assert.ok(crossed.length > 0, 'no edge crosses a value line: the test would show nothing');
      withFakeDocument(() => {
        const root = drawNetwork(s).element as unknown as FakeElement;
        const svgEl = [...root.walk()].find(
          (e) => e.tagName === 'svg' && e.getAttribute('role') === 'group',
        )!;
        const layers = svgEl.children
          .filter((c): c is FakeElement => c instanceof FakeElement)
          .map((c) => c.getAttribute('class'));
        const values = svgEl.children.find(
          (c) => c instanceof FakeElement && c.getAttribute('class') === 'bp-values',
        ) as FakeElement;
        assert.ok(layers.indexOf('bp-edges') < layers.indexOf('bp-values'), layers.join(' '));
        const kids = values.children as FakeElement[];
        const rects = kids.filter((k) => k.tagName === 'rect');
        const texts = kids.filter((k) => k.tagName === 'text');
        assert.equal(texts.length, lines.length);
        assert.equal(rects.length, texts.length, 'one background per line');
        // the backgrounds first, so none covers another line's words
        assert.ok(kids.slice(0, rects.length).every((k) => k.tagName === 'rect'));
        const n = (e: FakeElement, a: string) => Number(e.getAttribute(a));
        texts.forEach((t, i) => {
          const r = rects[i];
          const want = textBox(t.textContent, n(t, 'x'), n(t, 'y'));
          assert.equal(r.getAttribute('class'), 'bp-value-bg');
          assert.ok(
            n(r, 'x') <= want.x &&
              n(r, 'y') <= want.y &&
              n(r, 'x') + n(r, 'width') >= want.x + want.w &&
              n(r, 'y') + n(r, 'height') >= want.y + want.h,
            `"${t.textContent}" sits on its rect`,
          );
        });
      });
    },
  );
});
