import * as assert from 'assert/strict';
import { Session } from '../../../src/runtime/session';
import { SPARK_POINTS } from '../../../src/runtime/train';
import { decodeNumber, type LossCurveItem, type MessageItem } from '../../../src/protocol/results';
import { drawItem } from '../../../src/views/items';
import { FakeElement, withFakeDocument } from '../views/fakeDom';
import { host } from '../runHost';
import { partsText } from '../../../src/protocol/text';

describe('train summary sparkline', () => {
  it(
    'carries E from the first to the last point of the run, evenly spaced, and is drawn ' +
      'beside the text',
    async () => {
      const s = new Session();
      const run = await s.runCell(
        'network xor 2 -> 3 sigmoid -> 1 sigmoid\ninit xavier seed 2\ndataset xor\ntrain ' +
          'epochs 300 lr 2',
        host,
      );
      assert.ok(run.ok);
      const msg = run.items.find(
        (i) => i.kind === 'message' && partsText(i.text).startsWith('trained'),
      ) as MessageItem;
      const curve = run.items.find((i) => i.kind === 'lossCurve') as LossCurveItem;
      const spark = msg.sparkline!.map(decodeNumber);
      const history = curve.points.map(([, e]) => decodeNumber(e));
      assert.ok(history.length > SPARK_POINTS, `history has ${history.length} points`);
      assert.equal(spark.length, SPARK_POINTS);
      assert.equal(spark[0], history[0]);
      assert.equal(spark[spark.length - 1], history[history.length - 1]);
      // every point is one of the run's own E values, in order
      let at = 0;
      for (const e of spark) {
        at = history.indexOf(e, at);
        assert.ok(at >= 0, `${e} is not in the history`);
      }
      withFakeDocument(() => {
        const el = drawItem(msg) as unknown as FakeElement;
        const svg = [...el.walk()].find((e) => e.getAttribute('class') === 'bp-spark');
        assert.ok(svg, 'a sparkline is drawn');
        const path = [...svg.walk()].find((e) => e.tagName === 'path');
        assert.match(path?.getAttribute('d') ?? '', /^M[\d.]+,[\d.]+(L[\d.]+,[\d.]+){47}$/);
      });
    },
  );
});
