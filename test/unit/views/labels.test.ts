import * as assert from 'assert/strict';
import { overlaps, placeEdgeLabels, straight, textBox, textWidth } from '../../../src/views/labels';

describe('edge label placement', () => {
  const edge = (y1: number, y2: number, texts: string[]) => ({
    at: straight({ x: 0, y: y1 }, { x: 200, y: y2 }),
    texts,
  });

  it('puts a label on its own line, in the middle when it is free', () => {
    const [l] = placeEdgeLabels([edge(50, 50, ['w11[1] = 0.15'])], [], 300, 100);
    assert.ok(l);
    assert.equal(l.text, 'w11[1] = 0.15');
    assert.deepEqual([l.x, l.y], [100, 50]);
  });

  it('slides labels of a fan of edges apart so none overlaps another', () => {
    const fan = [0, 1, 2].map((j) => edge(50, 50 + j * 4, [`w1${j + 1}[1]`]));
    const placed = placeEdgeLabels(fan, [], 300, 100);
    assert.ok(placed.every((l) => l !== undefined));
    for (let a = 0; a < 3; a++)
      for (let b = a + 1; b < 3; b++) assert.ok(!overlaps(placed[a]!.box, placed[b]!.box, 0));
  });

  it('drops the value, then the whole label, when an obstacle leaves no room', () => {
    const wall = { x: 40, y: 0, w: 80, h: 100 };
    const [short] = placeEdgeLabels([edge(50, 50, ['w11[1] = 0.15', 'w11[1]'])], [wall], 300, 100);
    assert.equal(short?.text, 'w11[1]');
    assert.ok(!overlaps(short!.box, wall, 0));
    const all = { x: 0, y: 0, w: 300, h: 100 };
    assert.deepEqual(placeEdgeLabels([edge(50, 50, ['w11[1]'])], [all], 300, 100), [undefined]);
  });

  it('never places a label outside the drawing', () => {
    const [l] = placeEdgeLabels([edge(2, 2, ['w11[1] = 0.15'])], [], 300, 100);
    assert.equal(l, undefined, 'a label centred 2 px from the top would be cut off');
  });

  it('measures longer texts as wider', () => {
    assert.ok(textWidth('w11[1] = 0.15') > textWidth('w11[1]'));
    assert.equal(textBox('ab', 10, 10).x + textBox('ab', 10, 10).w / 2, 10);
  });
});
