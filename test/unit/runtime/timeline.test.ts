import { strict as assert } from 'assert';
import { createNetwork } from '../../../src/engine';
import { Session } from '../../../src/runtime/session';
import { TIMELINE_MAX_ITEMS, TimelineRecorder } from '../../../src/runtime/timeline';
import { host } from '../runHost';

describe('runtime training timeline', () => {
  it(
    'records evenly spaced snapshots of an XOR run: start, end, weights, a/δ and ' + 'the boundary',
    async () => {
      const s = new Session();
      assert.equal(
        (await s.runCell('network 2 -> 4 tanh -> 1 sigmoid\ninit xavier seed 1\ndataset xor', host))
          .ok,
        true,
      );
      const before = s.snapshot()!.weights;
      assert.equal((await s.runCell('train epochs 3000 lr 0.5', host)).ok, true);
      const tl = s.lastTraining()?.timeline;
      assert.ok(tl && tl.length >= 30 && tl.length <= TIMELINE_MAX_ITEMS, `length ${tl?.length}`);
      assert.equal(tl[0].epoch, 0);
      assert.equal(tl[0].loss, undefined);
      assert.deepEqual(tl[0].weights, before, 'the first point is the weights before training');
      const last = tl[tl.length - 1];
      assert.equal(last.epoch, 3000);
      assert.deepEqual(
        last.weights,
        s.snapshot()!.weights,
        'the last point is the trained weights',
      );
      const gaps = tl.slice(1, -1).map((t, n) => t.epoch - tl[n].epoch);
      assert.ok(
        gaps.every((g) => g === gaps[0] && g > 0),
        `even spacing: ${gaps.join(',')}`,
      );
      for (const t of tl) {
        assert.equal(t.boundary?.length, 48 * 48);
        assert.equal(t.a?.[1].length, 4);
        assert.equal(t.delta?.[2].length, 1);
        assert.deepEqual(t.delta?.[0], []);
        // a and δ are the data's row 1 of its 4
        assert.deepEqual([t.row, t.rows], [1, 4]);
      }
      // the boundary changes as the net learns, and the final point matches the final boundary
      assert.notDeepEqual(tl[0].boundary, last.boundary);
      assert.deepEqual(last.boundary, s.lastTraining()!.boundary!.values);
      // loss falls from the first recorded epoch to the end
      assert.ok((tl[1].loss as number) > (last.loss as number));
    },
  );

  it('a steps-counted online run puts points on steps, within the item cap', async () => {
    const s = new Session();
    await s.runCell('network 2 -> 2 sigmoid -> 1 sigmoid\ndataset xor', host);
    assert.equal((await s.runCell('train steps 1000 batch 1 lr 0.1', host)).ok, true);
    const tl = s.lastTraining()!.timeline!;
    assert.ok(tl.length <= TIMELINE_MAX_ITEMS);
    assert.equal(tl[tl.length - 1].step, 1000);
    assert.ok(tl.every((t, n) => n === 0 || t.step > tl[n - 1].step));
  });

  it('caps the numbers kept, and drops the timeline when two points do not fit', () => {
    const made = createNetwork({
      sizes: [30, 40, 10],
      activations: [{ kind: 'relu' }, { kind: 'sigmoid' }],
      bias: [true, true],
      loss: 'half-squared',
    });
    assert.ok(made.ok);
    const net = made.value;
    const params = 30 * 40 + 40 + 40 * 10 + 10;
    const rec = TimelineRecorder.create(net, {
      totalSteps: 1000,
      stepsPerEpoch: 1,
      byEpoch: true,
      maxNumbers: params * 7,
    })!;
    assert.ok(rec);
    for (let step = 0; step <= 1000; step++)
      if (step === 0 || step >= rec.nextStep) rec.record(step, step, 1);
    const items = rec.finish(1000, 1000, 1);
    assert.ok(items.length <= 7 && items.length >= 5, `items ${items.length}`);
    assert.equal(items[items.length - 1].step, 1000);
    assert.equal(items[0].a, undefined, 'no sample given: no a/δ');
    assert.equal(
      TimelineRecorder.create(net, {
        totalSteps: 1000,
        stepsPerEpoch: 1,
        byEpoch: true,
        maxNumbers: params,
      }),
      undefined,
    );
  });
});
