import * as assert from 'assert/strict';
import * as fc from 'fast-check';
import { parsePanelMessage, updateMessage } from '../../../src/panel/messages';
import { Session } from '../../../src/runtime/session';
import { runOk } from '../runHost';

describe('messages from the panel webview', () => {
  it('accepts exactly the known messages', () => {
    assert.deepEqual(parsePanelMessage({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parsePanelMessage({ type: 'select', param: 'w11[1]' }), {
      type: 'select',
      param: 'w11[1]',
    });
    assert.deepEqual(parsePanelMessage({ type: 'select', param: 'w(12,3)[2]' }), {
      type: 'select',
      param: 'w(12,3)[2]',
    });
    assert.deepEqual(parsePanelMessage({ type: 'select', param: 'b(12)[3]' }), {
      type: 'select',
      param: 'b(12)[3]',
    });
    assert.deepEqual(parsePanelMessage({ type: 'select', param: '2[1]' }), {
      type: 'select',
      param: '2[1]',
    });
    assert.deepEqual(parsePanelMessage({ type: 'row', row: 3 }), { type: 'row', row: 3 });
    assert.deepEqual(parsePanelMessage({ type: 'ready', row: 2 }), { type: 'ready', row: 2 });
  });

  const rejected: [string, unknown][] = [
    ['unknown type', { type: 'runCommand', command: 'workbench.action.terminal.new' }],
    ['extra key', { type: 'ready', x: 1 }],
    ['param not a name', { type: 'select', param: '<img src=x onerror=alert(1)>' }],
    ['param number', { type: 'select', param: 11 }],
    ['param missing', { type: 'select' }],
    ['param too long', { type: 'select', param: `w(1,1)[${'1'.repeat(50)}]` }],
    ['row 0', { type: 'row', row: 0 }],
    ['row not whole', { type: 'row', row: 1.5 }],
    ['row a string', { type: 'row', row: '2' }],
    ['row too big to be exact', { type: 'row', row: 2 ** 60 }],
    ['row missing', { type: 'row' }],
    ['row with an extra key', { type: 'row', row: 2, param: 'w11[1]' }],
    ['ready with a bad row', { type: 'ready', row: -1 }],
    ['array', ['ready']],
    ['null', null],
    ['string', 'ready'],
    ['prototype key', JSON.parse('{"type":"ready","__proto__":{"x":1}}')],
  ];
  for (const [name, m] of rejected)
    it(`drops ${name}`, () => assert.equal(parsePanelMessage(m), undefined));

  it('never throws, and what it accepts is always one of the three shapes', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.anything(),
          fc.record(
            {
              type: fc.constantFrom('ready', 'select', 'row', 'update', 'x'),
              param: fc.oneof(fc.string(), fc.anything()),
              row: fc.oneof(fc.integer(), fc.double(), fc.anything()),
            },
            { requiredKeys: ['type'] },
          ),
        ),
        (m) => {
          const r = parsePanelMessage(m);
          if (r === undefined) return;
          if (r.type === 'ready' || r.type === 'row') {
            // exactly what was sent; a row is a whole number from 1
            assert.deepEqual({ ...(m as object) }, r);
            if (r.type === 'row' || r.row !== undefined)
              assert.ok(Number.isSafeInteger(r.row) && r.row! >= 1, JSON.stringify(r));
          } else {
            assert.equal(r.type, 'select');
            assert.match(r.param, /^(w\d\d|w\(\d+,\d+\)|b\d|b\(\d+\)|\d+)\[\d+\]$/);
          }
        },
      ),
      { numRuns: 5000 },
    );
  });
});

describe('what the panel is sent', () => {
  it(
    'the graph the last statement drew (values, gradients, local derivatives as the output has ' +
      'them), then the network again after a network cell',
    async () => {
      const s = new Session();
      await runOk(s, 'network 2 -> 2 sigmoid -> 1 sigmoid\ninput x = [1, 2]\nforward');
      assert.ok(updateMessage(s, 'n.bpnb', false).snapshot);
      const run = await runOk(s, 'x = -2\ny = 5\nz = -4\nq = x + y\nf = q * z\nbackward f');
      const m = updateMessage(s, 'n.bpnb', false);
      assert.equal(m.snapshot, undefined, 'the graph is shown instead of the network');
      assert.deepEqual(
        m.graph,
        run.items.find((i) => i.kind === 'graph'),
      );
      // hand-derived: f = (x + y)·z, ∂f/∂x = ∂f/∂y = z = −4, ∂f/∂z = x + y = 3
      assert.deepEqual(
        m.graph?.nodes.map((n) => [n.name, n.value, n.grad]),
        [
          ['x', -2, -4],
          ['y', 5, -4],
          ['z', -4, 3],
          ['q', 3, -4],
          ['f', -12, 1],
        ],
      );
      // a cell that only names a value keeps the graph; a network statement brings the network back
      await runOk(s, 'w = 3');
      assert.ok(updateMessage(s, 'n.bpnb', false).graph);
      await runOk(s, 'forward');
      const back = updateMessage(s, 'n.bpnb', false);
      assert.equal(back.graph, undefined);
      assert.deepEqual(back.snapshot?.sizes, [2, 2, 1]);
    },
  );

  it("a batch row asked for: the runtime's snapshot of that row, held to the batch", async () => {
    const s = new Session();
    // identity, w = 1, b = 0: a = x per row
    await runOk(
      s,
      'network 1 -> 1 identity\nw11[1] = 1\nb1[2] = 0\ndata = [1 -> 0; 5 -> 0]\nforward',
    );
    const rowOf = (row?: number) => {
      const snap = updateMessage(s, 'n.bpnb', false, undefined, row).snapshot!;
      return [snap.row, snap.a![1][0]];
    };
    assert.deepEqual(rowOf(), [1, 1]);
    assert.deepEqual(rowOf(2), [2, 5]);
    assert.deepEqual(rowOf(7), [2, 5]);
  });
});
