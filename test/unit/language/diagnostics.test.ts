import * as assert from 'assert/strict';
import {
  diagnostic,
  DIAGNOSTIC_CODES,
  formatDiagnostic,
  formatDiagnosticLocation,
  offsetToLineCol,
  type Diagnostic,
} from '../../../src/language/diagnostics';
import { parse } from '../../../src/language/parser';

describe('language/diagnostics', () => {
  const positions: [string, number, string][] = [
    ['abc', 0, '1:1'],
    ['abc', 2, '1:3'],
    ['a\nbc', 2, '2:1'],
    ['a\nbc', 3, '2:2'],
    ['a\n\n', 3, '3:1'],
    ['abc', 99, '1:4'],
    ['abc', -5, '1:1'],
  ];
  for (const [text, offset, expected] of positions) {
    it(`offset ${offset} of ${JSON.stringify(text)} is ${expected}`, () => {
      const { line, col } = offsetToLineCol(text, offset);
      assert.equal(`${line}:${col}`, expected);
    });
  }

  const messages: [Diagnostic, string][] = [
    [
      diagnostic('BPNB203', { start: 0, end: 1 }, { layer: 2, size: 3, got: 4 }),
      'layer 2 has nodes 1–3, got 4',
    ],
    [
      diagnostic('BPNB202', { start: 0, end: 1 }, { what: 'w(i,j)[k]', min: 1, max: 2, got: 3 }),
      'w(i,j)[k] needs k in 1–2, got 3',
    ],
    [
      diagnostic(
        'BPNB204',
        { start: 0, end: 1 },
        { what: 'weights [2]', rows: 3, cols: 1, gotRows: 2, gotCols: 1 },
      ),
      'weights [2] needs 3 rows × 1 column, got 2 × 1',
    ],
    [
      diagnostic('BPNB101', { start: 0, end: 1 }, { found: 'forwrd', suggestion: 'forward' }),
      "unknown statement 'forwrd'; did you mean 'forward'?",
    ],
    [diagnostic('BPNB101', { start: 0, end: 1 }, { found: 'zzz' }), "unknown statement 'zzz'"],
  ];
  for (const [d, expected] of messages)
    it(`${d.code}: ${expected}`, () => assert.equal(formatDiagnostic(d), expected));

  it('location format is file:line:col: severity: message [code]', () => {
    const text = 'forward\n  bakward';
    const d = parse(text).diagnostics[0];
    assert.equal(
      formatDiagnosticLocation('nb.bpnb#cell2', text, d),
      "nb.bpnb#cell2:2:3: error: unknown statement 'bakward'; did you mean 'backward'? [BPNB101]",
    );
  });
  it('every code has a message that uses no missing argument', () => {
    for (const code of DIAGNOSTIC_CODES) {
      const text = formatDiagnostic(diagnostic(code, { start: 0, end: 0 }, {}));
      assert.ok(text.length > 0, code);
    }
  });
  it('codes are stable BPNB + three digits', () => {
    for (const code of DIAGNOSTIC_CODES) assert.match(code, /^BPNB\d{3}$/);
  });
  it('an unknown code still formats (no throw)', () => {
    assert.equal(
      formatDiagnostic({
        code: 'BPNB999' as never,
        severity: 'error',
        span: { start: 0, end: 0 },
        args: { a: 1 },
      }),
      'BPNB999 {"a":1}',
    );
  });
});
