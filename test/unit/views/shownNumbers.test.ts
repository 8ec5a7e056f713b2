/**
 * The views draw, they never derive: every number a drawn output shows (text, tooltip, label) is a
 * number of its payload, formatted (display digits) or exact (every digit), or is written in one
 * of the payload's own texts. Payloads come from real sessions; numbers in them are found by a
 * generic walk, so a new field needs no change here. Hover and copy give every digit.
 */
import * as assert from 'assert/strict';
import { Session } from '../../../src/runtime/session';
import type { NetworkSnapshot, ResultItem } from '../../../src/protocol/results';
import {
  exactNumber,
  formatNumber,
  setDisplayDigits,
  shownNumber,
  tableTsv,
  DEFAULT_DIGITS,
} from '../../../src/protocol/text';
import { renderPayload } from '../../../src/views/renderer';
import { drawTable } from '../../../src/views/tables';
import {
  EDGE_COLUMNS,
  GRADIENT_COLUMNS,
  NODE_COLUMNS,
  edgeRows,
  gradientRows,
  nodeRows,
} from '../../../src/views/gradients';
import { passSteps } from '../../../src/views/passSteps';
import { drawParts, el } from '../../../src/views/dom';
import { edgeDescription, nodeDescription } from '../../../src/views/describe';
import { FakeElement, FakeText, withFakeDocument } from './fakeDom';
import { host } from '../runHost';

const NOTEBOOKS = [
  // a batch, a frozen weight, an update, every look
  [
    'network 2 -> 2 sigmoid -> 1 sigmoid\ninit uniform 0.5 seed 3\ndata = [1, 0 -> 1; 0, 1 -> 0; ' +
      '1, 1 -> 0]',
    'forward',
    'backward',
    'freeze w11[1]',
    'update lr 0.3',
    'show gradients, deltas, network, δ1[2], z1[2](s2)',
    'explain dE/dw11[1]',
    'explain dE/dw21[1]',
    'explain δ1[2](s3)',
    'expect a1[3] = 0.5 ± 0.1',
    'train epochs 5 lr 0.5',
    'show loss curve, boundary',
  ],
  // one sample, tanh, sum
  [
    'network 1 -> 2 tanh -> 2 identity\nloss mse sum\ninit uniform 0.9 seed 7\ninput x = ' +
      '[0.3]\ntarget t = [0.1, -0.2]',
    'forward\nbackward\nshow network\nexplain dE/db2[3]\nupdate lr 0.05\nshow gradients, ' +
      'weights, biases',
  ],
];

/** Every number in a payload (numbers, and 'NaN'/'Infinity' strings). */
function numbersIn(v: unknown, out: number[] = [], texts: string[] = []): number[] {
  if (typeof v === 'number') out.push(v);
  else if (typeof v === 'string') texts.push(v);
  else if (Array.isArray(v)) v.forEach((x) => numbersIn(x, out, texts));
  else if (v && typeof v === 'object') Object.values(v).forEach((x) => numbersIn(x, out, texts));
  return out;
}
function textsIn(v: unknown): string[] {
  const texts: string[] = [];
  numbersIn(v, [], texts);
  return texts;
}

const DECIMAL = /\d+\.\d+(?:e[+-]?\d+)?|\d+(?:\.\d+)?e[+-]?\d+/g;

/**
 * What a reader sees of an element tree: its texts (a number cell's parts joined) and its tooltips
 * and labels.
 */
function shown(root: FakeElement): string[] {
  const out: string[] = [];
  const visit = (e: FakeElement) => {
    for (const a of ['title', 'aria-label', 'aria-valuetext']) {
      const t = e.getAttribute(a);
      if (t) out.push(t);
    }
    // a table's number cell is split into integer and fraction spans: read it whole
    if (e.tagName === 'td') return out.push(e.textContent);
    for (const c of e.children) {
      if (c instanceof FakeText) out.push(c.data);
      else visit(c as FakeElement);
    }
  };
  visit(root);
  return out.map((t) => t.replace(/−/g, '-'));
}

/**
 * The decimals shown that are neither a payload number (formatted or exact) nor written in the
 * payload's texts.
 */
function strangers(root: FakeElement, payload: unknown): string[] {
  const allowed = new Set<string>();
  for (const x of numbersIn(payload)) {
    allowed.add(formatNumber(Math.abs(x)));
    allowed.add(exactNumber(Math.abs(x)));
  }
  for (const t of textsIn(payload)) for (const m of t.matchAll(DECIMAL)) allowed.add(m[0]);
  const bad: string[] = [];
  for (const t of shown(root))
    for (const m of t.matchAll(DECIMAL)) if (!allowed.has(m[0])) bad.push(`${m[0]} in "${t}"`);
  return bad;
}

/**
 * The panel's own tables, phases and tooltips of a snapshot (panel.ts needs a webview; these are
 * its parts).
 */
function panelParts(s: NetworkSnapshot): FakeElement {
  const root = new FakeElement('div', (globalThis as unknown as { document: never }).document);
  const tables = [
    drawTable({ columns: GRADIENT_COLUMNS, rows: gradientRows(s) }),
    drawTable({ columns: NODE_COLUMNS, rows: nodeRows(s) }),
    drawTable({ columns: EDGE_COLUMNS, rows: edgeRows(s) }),
  ];
  for (const t of tables) root.append(t.element as unknown as FakeElement);
  // the runtime's phases as drawPhase draws them
  for (const p of s.phases ?? []) {
    root.append(el('div', {}, drawParts(p.rule)) as unknown as FakeElement);
    for (const [name, v] of p.numbers) root.append(`${name} = ${shownNumber(v)}`);
  }
  // the pass animation's words, moment by moment
  for (const { moment: m } of passSteps(s, s.phases ?? []))
    if (m)
      root.append(
        el('div', {}, drawParts(m.building)) as unknown as FakeElement,
        m.says,
        m.term ?? '',
      );
  s.sizes.forEach((n, m) => {
    for (let j = 1; j <= n; j++) root.append(nodeDescription(s, m + 1, j));
  });
  s.weights.forEach((layer, m) =>
    layer.forEach((row, i) =>
      row.forEach((w, j) =>
        root.append(edgeDescription(s, { k: m + 1, i: i + 1, j: j + 1, weight: Number(w) })),
      ),
    ),
  );
  return root;
}

async function outputs(): Promise<{ items: ResultItem[]; snapshot?: NetworkSnapshot }[]> {
  const out: { items: ResultItem[]; snapshot?: NetworkSnapshot }[] = [];
  for (const cells of NOTEBOOKS) {
    const s = new Session();
    for (const c of cells) {
      const r = await s.runCell(c, host);
      assert.equal(r.ok, true, `${c}: ${JSON.stringify(r.problems)}`);
      out.push(JSON.parse(JSON.stringify({ items: r.items, snapshot: s.snapshot() })));
    }
  }
  return out;
}

describe('every number a view shows is one of its payload’s', () => {
  afterEach(() => setDisplayDigits(DEFAULT_DIGITS));

  for (const digits of [DEFAULT_DIGITS, 3, 12]) {
    it(`renderer and panel parts, ${digits} significant digits`, async () => {
      setDisplayDigits(digits);
      for (const { items, snapshot } of await outputs()) {
        withFakeDocument((doc) => {
          const out = doc.createElement('div');
          const payload = { version: 1, items };
          renderPayload(payload, out as unknown as HTMLElement);
          assert.deepEqual(strangers(out, payload), [], JSON.stringify(items).slice(0, 300));
          if (snapshot) assert.deepEqual(strangers(panelParts(snapshot), snapshot), []);
        });
      }
    });
  }

  it('fails on a number the view made up (the test can fail)', () => {
    withFakeDocument((doc) => {
      const out = doc.createElement('div');
      out.append(`Δw = ${formatNumber(-0.5 * 0.0123456789)}`);
      assert.deepEqual(strangers(out, { items: [0.5, 0.0123456789] }).length, 1);
    });
  });

  it('a table cell shows the display digits and hovers with every digit', () => {
    withFakeDocument(() => {
      setDisplayDigits(4);
      const root = drawTable({ columns: ['p', 'v'], rows: [['w11[1]', 0.1234567890123]] })
        .element as unknown as FakeElement;
      const td = [...root.walk()].filter((e) => e.tagName === 'td')[1];
      assert.equal(td.textContent, '0.1235');
      assert.equal(td.getAttribute('title'), '0.1234567890123');
    });
  });

  it('the digits setting: 1–17 significant digits, in exponent form too, else the default', () => {
    const v = 0.0000123456789012;
    const cases: [unknown, string][] = [
      [6, '1.23457e-5'],
      [3, '1.23e-5'],
      [12, '1.23456789012e-5'],
      [1, '1e-5'],
      [0, '1.23457e-5'],
      [18, '1.23457e-5'],
      ['9', '1.23457e-5'],
    ];
    for (const [d, want] of cases) {
      setDisplayDigits(d);
      assert.equal(formatNumber(v), want, String(d));
    }
    setDisplayDigits(3);
    assert.equal(formatNumber(2 / 3), '0.667');
    setDisplayDigits(10);
    assert.equal(formatNumber(2 / 3), '0.6666666667');
    assert.equal(formatNumber(1234567.25), '1234567.25');
  });

  it('copy gives every digit, tab-separated, whatever the display digits', () => {
    setDisplayDigits(3);
    assert.equal(
      tableTsv(
        ['parameter', '∂E/∂w', 'step'],
        [
          ['w11[1]', 0.000327969155442487, 'frozen'],
          ['b1[2]', -1.5e-7, 'NaN'],
        ],
      ),
      'parameter\t∂E/∂w\tstep\nw11[1]\t0.000327969155442487\tfrozen\nb1[2]\t-1.5e-7\tNaN',
    );
  });
});
