import * as assert from 'assert/strict';
import * as fc from 'fast-check';
import { checkItem, checkPayload, checkSnapshot } from '../../../src/views/validate';
import { seedSnapshot } from './sample';

describe('payload validation', () => {
  it('accepts well-formed payloads of every kind', () => {
    const items = [
      { kind: 'message', level: 'info', text: 'hi' },
      {
        kind: 'table',
        title: 't',
        columns: ['a', 'b'],
        rows: [
          [1, 'x'],
          ['NaN', 2],
        ],
      },
      {
        kind: 'derivation',
        quantity: '∂E/∂w11[1]',
        value: 1,
        steps: [{ symbolic: 's', substituted: 's', latex: 'x', value: 1 }],
      },
      {
        kind: 'lossCurve',
        title: 't',
        lossLabel: 'E',
        points: [
          [1, 0.5],
          [2, 'Infinity'],
        ],
        done: true,
        summary: [{ text: 'E from 0.5 to ' }, { num: 'Infinity' }],
      },
      {
        kind: 'boundary',
        xRange: [0, 1],
        yRange: [0, 1],
        resolution: 2,
        values: [0, 1, 0, 1],
        points: [{ x: 0, y: 0, label: 1 }],
      },
      { kind: 'network', snapshot: seedSnapshot({ lr: 0.1 }) },
      { kind: 'expect', quantity: 'E', expected: 1, tolerance: 0.1, actual: 1, pass: true },
      { kind: 'progress', epoch: 1, step: 2, loss: 0.3, done: false },
    ];
    const r = checkPayload({ version: 1, items });
    assert.ok(r.ok);
    assert.equal(r.items.length, items.length);
    assert.deepEqual(r.errors, []);
  });

  it('rejects wrong versions and non-objects with a readable reason', () => {
    assert.deepEqual(checkPayload({ version: 2, items: [] }), {
      ok: false,
      error: 'the output has payload version 2; this version of the extension reads version 1',
    });
    assert.equal(checkPayload(null).ok, false);
    assert.equal(checkPayload([1]).ok, false);
  });

  it('rejects a network whose weights do not match its sizes, and one with bad z', () => {
    const s = seedSnapshot();
    assert.equal(checkSnapshot({ ...s, weights: [s.weights[0]] }).ok, false);
    assert.equal(checkSnapshot({ ...s, sizes: [2, 3, 2] }).ok, false);
    assert.equal(checkSnapshot({ ...s, z: [[], [1, 2], [3]] }).ok, false);
    assert.equal(checkSnapshot({ ...s, sizes: [2, -3, 1] }).ok, false);
  });

  it('accepts the row of its rows that z, a and δ are, and refuses one outside them', () => {
    const s = seedSnapshot();
    assert.equal(checkSnapshot({ ...s, rows: 4, row: 1 }).ok, true);
    assert.equal(checkSnapshot({ ...s, rows: 1, row: 1 }).ok, true);
    for (const bad of [
      { rows: 4, row: 5 },
      { rows: 4, row: 0 },
      { rows: 4 },
      { row: 1 },
      { rows: 4, row: 1.5 },
      { rows: '4', row: 1 },
    ]) {
      const r = checkSnapshot({ ...s, ...bad });
      assert.ok(!r.ok && /row/.test(r.error), JSON.stringify(bad));
    }
  });

  it('keeps a well-formed pass trace and drops a malformed one, not the network', () => {
    const s = seedSnapshot();
    const node = (name: string, terms: number) => ({
      node: name,
      forward: Array.from({ length: terms }, (_, i) => ({
        param: `w${i + 1}1[1]`,
        node: `x${i + 1}`,
        value: 0.5,
        says: [{ text: `w${i + 1}1[1]·x${i + 1} = ` }, { num: 0.5 }],
        sum: [{ text: 'z = ' }, { num: 0.5 }],
      })),
      a: 0.5,
      lines: { za: [{ text: 'z = ' }, { num: 1 }] },
    });
    const trace = {
      rows: 1,
      row: 1,
      nodes: [
        [node('1[1]', 0), node('2[1]', 0)],
        [1, 2, 3].map((j) => node(`${j}[2]`, 2)),
        [node('1[3]', 3)],
      ],
      gradients: [
        {
          param: 'w11[2]',
          edge: ['1[2]', '1[3]'],
          deltaName: 'δ1[3]',
          aName: 'a1[2]',
          delta: 0.1,
          a: 0.5,
          product: 0.05,
          value: 0.05,
          line: [{ text: '∂E/∂w11[2] = ' }, { num: 0.05 }],
        },
      ],
    };
    const ok = checkSnapshot({ ...s, trace });
    assert.ok(ok.ok && ok.value.trace === trace);
    for (const bad of [
      { ...trace, rows: 0 },
      // the row the trace follows must be one of the batch's
      { ...trace, row: undefined },
      { ...trace, row: 2 },
      { ...trace, row: 0 },
      { ...trace, nodes: trace.nodes.slice(1) },
      { ...trace, nodes: [trace.nodes[0], trace.nodes[1], [node('1[3]', 5)]] },
      { ...trace, gradients: [{ param: 'w11[2]', delta: 'x' }] },
      // the lines the runtime writes: parts, each one text, code or a number
      { ...trace, gradients: [{ ...trace.gradients[0], line: 'text' }] },
      { ...trace, gradients: [{ ...trace.gradients[0], line: [{ num: 'many' }] }] },
      { ...trace, note: [{ text: 'a', code: 'b' }] },
      { ...trace, nodes: [trace.nodes[0], trace.nodes[1], [{ ...node('1[3]', 3), lines: 1 }]] },
    ]) {
      const r = checkSnapshot({ ...s, trace: bad });
      assert.ok(r.ok && r.value.trace === undefined && r.value.weights === s.weights);
    }
  });

  it("keeps the runtime's phases when well formed, drops malformed ones, not the network", () => {
    const s = seedSnapshot();
    const phase = {
      stage: 'forward',
      layer: 2,
      title: 'Forward: layer L2',
      rule: [{ text: 'zj[2] = …' }],
      nodes: ['1[2]'],
      params: ['w11[1]'],
      numbers: [['z1[2]', 0.0275]],
      total: 6,
    };
    const ok = checkSnapshot({ ...s, phases: [phase] });
    assert.ok(ok.ok && ok.value.phases?.[0] === phase);
    for (const bad of [
      { ...phase, stage: 'sideways' },
      { ...phase, layer: 4 },
      { ...phase, rule: 'zj[2] = …' },
      { ...phase, numbers: [['z1[2]', '0.0275']] },
      { ...phase, numbers: [['z1[2]']] },
      { ...phase, params: [1] },
      { ...phase, total: undefined },
    ]) {
      const r = checkSnapshot({ ...s, phases: [bad] });
      assert.ok(r.ok && r.value.phases === undefined && r.value.weights === s.weights);
    }
  });

  it('drops flags that do not fit instead of refusing the network', () => {
    const r = checkSnapshot({ ...seedSnapshot(), flags: [['dead']] });
    assert.ok(r.ok && r.value.flags === undefined);
  });

  it('never throws and never accepts random junk as an item', () => {
    fc.assert(
      fc.property(fc.anything(), (v) => {
        const r = checkItem(v);
        if (r.ok) assert.ok(typeof v === 'object' && v !== null);
        return true;
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(
        fc.record({
          kind: fc.constantFrom('message', 'table', 'network', 'boundary', 'lossCurve'),
          title: fc.anything(),
          rows: fc.anything(),
          snapshot: fc.anything(),
          values: fc.anything(),
        }),
        (v) => {
          assert.equal(checkItem(v).ok, false);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('keeps good items and reports bad ones one by one', () => {
    const r = checkPayload({
      version: 1,
      items: [{ kind: 'message', level: 'info', text: 'ok' }, { kind: 'nope' }, 5],
    });
    assert.ok(r.ok);
    assert.equal(r.items.length, 1);
    assert.equal(r.errors.length, 2);
  });
});
