/**
 * The XSS corpus in every place user text reaches: runtime results and errors (from file names,
 * CSV headers and cells, host errors), the Markdown/text fallback, the command line's Markdown,
 * and the renderer's DOM. Everything must arrive as text.
 */
import * as assert from 'assert/strict';
import { fileMarkdown, fileText, type FileReport } from '../../../src/cli/report';
import type { CellReport } from '../../../src/cli/runner';
import { itemsToMarkdown, itemsToText, plain } from '../../../src/protocol/text';
import type { ResultItem } from '../../../src/protocol/results';
import { Session } from '../../../src/runtime/session';
import type { CellRun, RunHost } from '../../../src/runtime/types';
import { renderPayload } from '../../../src/views/renderer';
import { liveMarkdown, XSS } from '../../fixtures/xss';
import { withFakeDocument } from '../views/fakeDom';
import { seedSnapshot } from '../views/sample';
import { figures } from './figures';

/** Every item kind with the hostile text in each of its string fields. */
function itemsWith(evil: string): ResultItem[] {
  return [
    { kind: 'message', level: 'error', text: plain(evil) },
    { kind: 'message', level: 'info', text: [{ text: evil }, { code: 'forward' }] },
    {
      kind: 'table',
      title: evil,
      columns: [evil, 'v'],
      rows: [
        [evil, 1],
        ['x', evil],
      ],
      note: plain(evil),
    },
    { kind: 'network', snapshot: seedSnapshot({ name: evil }) },
    {
      kind: 'lossCurve',
      title: evil,
      lossLabel: evil,
      points: [
        [1, 0.5],
        [2, 0.25],
      ],
      done: true,
      summary: [{ text: evil }, { num: 0.5 }],
    },
    {
      kind: 'expect',
      quantity: evil,
      comparison: '=',
      expected: 1,
      tolerance: 0.1,
      actual: 2,
      pass: false,
    },
    {
      kind: 'derivation',
      quantity: evil,
      steps: [{ symbolic: evil, substituted: evil, value: 1 }],
    },
  ] as ResultItem[];
}

/**
 * Markdown outside fenced code blocks has no live HTML or links; a fence closes only with a run as
 * long.
 */
function assertNoLiveMarkdown(md: string): void {
  let fence = '';
  const outside: string[] = [];
  for (const line of md.split('\n')) {
    const run = /^(`{3,})/.exec(line)?.[1];
    if (fence) {
      if (run && run.length >= fence.length && line.trim() === run) fence = '';
      continue;
    }
    if (run) {
      fence = run;
      continue;
    }
    outside.push(line);
  }
  assert.equal(fence, '', 'every fence is closed');
  const leak = liveMarkdown(outside.join('\n'));
  assert.equal(leak, undefined, leak);
}

function assertDomIsText(evil: string, items: ResultItem[]): void {
  withFakeDocument((doc) => {
    const out = doc.createElement('div');
    renderPayload({ version: 1, items }, out as unknown as HTMLElement);
    assert.deepEqual(doc.innerHTMLWrites, [], 'no innerHTML anywhere');
    for (const e of [out, ...out.walk()]) {
      assert.ok(
        !['script', 'img', 'iframe', 'style', 'a', 'svg:script'].includes(e.tagName),
        `no <${e.tagName}> element`,
      );
      for (const [name, value] of e.attributes) {
        assert.ok(!/^on/i.test(name), `no ${name} attribute`);
        assert.ok(
          !(name === 'href' || name === 'src') || !/javascript:|command:/i.test(value),
          `${name}=${value}`,
        );
      }
    }
    const shown = out.texts().join('\n');
    if (!evil.includes('\u0000'))
      assert.ok(
        shown.includes(evil) ||
          [...out.walk()].some((e) => [...e.attributes].some(([, v]) => v.includes(evil))),
        'shown as text',
      );
  });
}

describe('hostile content is shown as text everywhere (XSS corpus)', () => {
  let places = 0;
  after(() =>
    figures.record(
      'hostile content: XSS corpus × places',
      places,
      places,
      `${XSS.length} strings; runtime, Markdown/text fallback, command line Markdown/text, ` +
        `renderer DOM`,
    ),
  );

  for (const evil of XSS) {
    it(`${JSON.stringify(evil).slice(0, 50)}`, async () => {
      // the fallbacks of every item kind
      const items = itemsWith(evil);
      assertNoLiveMarkdown(itemsToMarkdown(items));
      if (!evil.includes('\n'))
        assert.ok(itemsToText(items).includes(evil), 'plain text keeps it verbatim');
      assertDomIsText(evil, items);
      // the same text in a code part: a <code> element of text; in Markdown one code span on one
      // line that closes where it ends
      const code: ResultItem[] = [{ kind: 'message', level: 'info', text: [{ code: evil }] }];
      assertDomIsText(evil, code);
      const md = itemsToMarkdown(code);
      const fence = /^`+/.exec(md)?.[0] ?? '';
      assert.ok(fence && md.endsWith(fence) && !md.includes('\n'), md);
      const inside = md.slice(fence.length, md.length - fence.length);
      assert.ok(!inside.includes(fence), md);
      assert.equal(inside.replace(/^ (.*) $/s, '$1'), evil.replace(/[\r\n]+/g, ' '));
      places += 3;

      // through the runtime: a file name, a CSV header and cell, a host error
      const safe = evil.replace(/["\\\n\u0000]/g, '_').replace(/\.\./g, '_');
      const path = `${safe}.csv`;
      const reads = new Map<string, string>([
        [path, `${evil.replace(/[\n,"]/g, ' ')},b,t\n0,0,0\n${evil.replace(/[\n,"]/g, ' ')},1,1\n`],
      ]);
      const host: RunHost = {
        isCancelled: () => false,
        yieldNow: async () => {},
        now: () => 0,
        readTextFile: async (p) => {
          const text = reads.get(p);
          if (text === undefined) throw new Error(evil);
          return text;
        },
      };
      const s = new Session();
      await s.runCell('network 2 -> 2 sigmoid -> 1 sigmoid', host);
      const runs: CellRun[] = [];
      for (const text of [`dataset csv "${path}"`, `dataset csv "missing/${path}"`]) {
        const run = await s.runCell(text, host);
        assert.equal(run.ok, false);
        runs.push(run);
      }
      const messages = runs.flatMap((r) => r.problems.map((p) => p.message));
      const errorItems: ResultItem[] = messages.map((text) => ({
        kind: 'message',
        level: 'error',
        text: plain(text),
      }));
      assertNoLiveMarkdown(itemsToMarkdown(errorItems));
      assertDomIsText(messages[0], errorItems);
      places += 3;

      // the command line's Markdown and text for a file with hostile sources and problems
      const cells: CellReport[] = runs.map((run, index) => ({
        index,
        line: 1 + index,
        source: `# ${evil}\ndataset csv "${path}"`,
        status: 'failed',
        run,
        problems: run.problems.map((p) => ({
          severity: p.severity,
          code: p.code,
          message: p.message,
          cell: { line: p.line, column: p.column },
        })),
        failedExpectations: [],
      }));
      const report: FileReport = {
        path: `${safe}.bpnb`,
        cells,
        notebook: {
          format: 'backprop-notebook',
          version: '1.0',
          metadata: {},
          cells: cells.map((c) => ({ kind: 'code', language: 'bpnb', source: c.source })),
        } as unknown as FileReport['notebook'],
      };
      assertNoLiveMarkdown(fileMarkdown(report, false));
      assert.ok(fileText(report, false).length > 0);
      places += 2;
    });
  }
});
