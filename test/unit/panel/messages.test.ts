import * as assert from 'assert/strict';
import * as fc from 'fast-check';
import { parsePanelMessage } from '../../../src/panel/messages';

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
  });

  const rejected: [string, unknown][] = [
    ['unknown type', { type: 'runCommand', command: 'workbench.action.terminal.new' }],
    ['extra key', { type: 'ready', x: 1 }],
    ['param not a name', { type: 'select', param: '<img src=x onerror=alert(1)>' }],
    ['param number', { type: 'select', param: 11 }],
    ['param missing', { type: 'select' }],
    ['param too long', { type: 'select', param: `w(1,1)[${'1'.repeat(50)}]` }],
    ['array', ['ready']],
    ['null', null],
    ['string', 'ready'],
    ['prototype key', JSON.parse('{"type":"ready","__proto__":{"x":1}}')],
  ];
  for (const [name, m] of rejected)
    it(`drops ${name}`, () => assert.equal(parsePanelMessage(m), undefined));

  it('never throws, and what it accepts is always one of the two shapes', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.anything(),
          fc.record(
            {
              type: fc.constantFrom('ready', 'select', 'update', 'x'),
              param: fc.oneof(fc.string(), fc.anything()),
            },
            { requiredKeys: ['type'] },
          ),
        ),
        (m) => {
          const r = parsePanelMessage(m);
          if (r === undefined) return;
          if (r.type === 'ready') assert.deepEqual({ ...(m as object) }, { type: 'ready' });
          else {
            assert.equal(r.type, 'select');
            assert.match(r.param, /^(w\d\d|w\(\d+,\d+\)|b\d|b\(\d+\)|\d+)\[\d+\]$/);
          }
        },
      ),
      { numRuns: 5000 },
    );
  });
});
