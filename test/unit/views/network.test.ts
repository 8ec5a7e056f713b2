import * as assert from 'assert/strict';
import { FORWARD_ONLY_NOTE, drawNetwork } from '../../../src/views/network';
import { Session } from '../../../src/runtime/session';
import { FakeElement, withFakeDocument } from './fakeDom';
import { host } from '../runHost';
import { seedSnapshot } from './sample';
import { layoutNetwork } from '../../../src/views/layout';
import { nodeLines } from '../../../src/views/netSvg';
import { inside } from '../../../src/views/labels';
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
