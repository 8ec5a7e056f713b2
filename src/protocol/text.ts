/**
 * Plain-text and Markdown versions of result payloads: the fallback every rich output carries
 * (Accessible View, screen readers, GitHub, the command line). Pure and deterministic.
 */
import {
  Cell,
  ExpectItem,
  GraphItem,
  Num,
  ResultItem,
  TextPart,
  decodeNumber,
  encodeNumber,
} from './results';
import { extent, maxOf } from './extent';
import { graphNodeName } from './graph';

/**
 * Significant digits tables and text show unless the `backpropNotebook.digits` setting says
 * otherwise.
 */
export const DEFAULT_DIGITS = 6;
let digits = DEFAULT_DIGITS;

/** The digits a user may choose (the setting's minimum and maximum, `bpnb run --digits N`). */
export const DIGITS_RANGE = { min: 1, max: 17 } as const;

/** Whether n is a number of significant digits a user may choose: a whole number from 1 to 17. */
export function isDigits(n: unknown): n is number {
  return (
    typeof n === 'number' && Number.isInteger(n) && n >= DIGITS_RANGE.min && n <= DIGITS_RANGE.max
  );
}

/** Sets the significant digits formatNumber shows (1–17; anything else is the default). */
export function setDisplayDigits(n: unknown): void {
  digits = isDigits(n) ? n : DEFAULT_DIGITS;
}

export function displayDigits(): number {
  return digits;
}

/**
 * Formats a number the way every view shows it: up to 6 significant digits (the digits setting,
 * or `shown` digits), exponent when tiny (below 1e-4: 1e-6, not 0.000001) or huge (more integer
 * digits than are shown). Hover and copy give every digit (exactNumber).
 */
export function formatNumber(v: Num | string | number, shown = digits): string {
  if (typeof v === 'string' && !['NaN', 'Infinity', '-Infinity'].includes(v)) return v;
  const n = decodeNumber(v as Num);
  if (!Number.isFinite(n)) return String(n);
  if (n === 0) return '0';
  const abs = Math.abs(n);
  if (abs >= 10 ** Math.max(6, shown) || abs < 1e-4)
    return n.toExponential(Math.max(0, shown - 1)).replace(/\.?0+e/, 'e');
  return String(Number(n.toPrecision(shown)));
}

/**
 * formatNumber for the eye: every minus (a negative's sign, a small number's exponent) is the
 * typographic minus, wider than a hyphen, so a negative reads as one without colour. Copy and
 * the text outputs keep formatNumber's ASCII hyphen.
 */
export function shownNumber(v: Num | string | number): string {
  return formatNumber(v).replace(/-/g, '−');
}

/**
 * Which row of a batch numbers belong to, `row 1 of 4`; nothing for a single row (or when the
 * payload does not say).
 */
export function rowOfRows(r: { row?: number; rows?: number }): string | undefined {
  return r.row !== undefined && r.rows !== undefined && r.rows > 1
    ? `row ${r.row} of ${r.rows}`
    : undefined;
}

/**
 * Every digit of a number: the shortest decimal that reads back to the same double, with an
 * exponent where formatNumber uses one for small numbers (1e-6, not 0.000001).
 */
export function exactNumber(v: Num): string {
  const n = decodeNumber(v);
  return n !== 0 && Math.abs(n) < 1e-4 ? n.toExponential() : String(n);
}

/**
 * An expectation with the numbers that decide it: the expected value and tolerance as written,
 * the actual value with every digit and, for `=`, the exact difference actual − expected.
 */
export function expectText(item: ExpectItem): string {
  const { claim, got } = expectParts(item);
  return `${claim}: got ${got}`;
}

/** expectText's two halves: `expect Q = E ± T` and `A, difference D`. */
export function expectParts(item: ExpectItem): { claim: string; got: string } {
  const rhs =
    item.comparison === '='
      ? `= ${exactNumber(item.expected)} ± ${exactNumber(item.tolerance)}`
      : `${item.comparison} ${exactNumber(item.expected)}`;
  const diff = item.difference !== undefined ? `, difference ${item.difference}` : '';
  return { claim: `expect ${item.quantity} ${rhs}`, got: `${exactNumber(item.actual)}${diff}` };
}

/** A table as tab-separated text with every digit of each number, for the clipboard. */
export function tableTsv(columns: string[], rows: Cell[][]): string {
  const cell = (c: Cell | undefined) =>
    c === undefined ? '' : isNumber(c) ? exactNumber(c) : String(c).replace(/[\t\n\r]/g, ' ');
  return [columns.map(cell), ...rows.map((r) => columns.map((_, i) => cell(r[i])))]
    .map((r) => r.join('\t'))
    .join('\n');
}

function isNumber(c: Cell): c is Num {
  return typeof c === 'number' || c === 'NaN' || c === 'Infinity' || c === '-Infinity';
}

function cellText(c: Cell): string {
  return typeof c === 'number' || c === 'NaN' || c === 'Infinity' || c === '-Infinity'
    ? formatNumber(c)
    : c;
}

function pad(s: string, width: number, right: boolean): string {
  return right ? s.padStart(width) : s.padEnd(width);
}

function textTable(columns: string[], rows: Cell[][]): string[] {
  const texts = rows.map((r) => r.map(cellText));
  const widths = columns.map((c, i) =>
    maxOf(
      texts.map((r) => (r[i] ?? '').length),
      c.length,
    ),
  );
  const numeric = columns.map((_, i) =>
    rows.every(
      (r) => typeof r[i] !== 'string' || ['NaN', 'Infinity', '-Infinity'].includes(r[i] as string),
    ),
  );
  const line = (cells: string[]) =>
    cells
      .map((c, i) => pad(c, widths[i], numeric[i] && cells !== columns))
      .join('  ')
      .trimEnd();
  return [line(columns), widths.map((w) => '-'.repeat(w)).join('  '), ...texts.map(line)];
}

function escapeMarkdown(s: string): string {
  return s.replace(/[\\`*_{}[\]()<>#+!|~]/g, (c) => '\\' + c);
}

/**
 * Words with code spans, from a template whose own text marks code with backticks as Markdown does
 * (words`run \`forward\` first: ${name}`). Only the template's text is read for backticks: each
 * value put in is taken as written, inside the span it falls in or as text, so the user's text
 * never opens or closes one. An unpaired backtick stays as written.
 */
export function words(strings: readonly string[], ...values: unknown[]): TextPart[] {
  const out: TextPart[] = [];
  let code = false;
  // where the open code span's part is (out.length when it opened)
  let opened = 0;
  const add = (s: string) => {
    const last = out[out.length - 1];
    if (!s) return;
    if (code && last && 'code' in last && out.length > opened) last.code += s;
    else if (!code && last && 'text' in last) last.text += s;
    else out.push(code ? { code: s } : { text: s });
  };
  strings.forEach((literal, i) => {
    literal.split('`').forEach((piece, j) => {
      if (j > 0) {
        code = !code;
        opened = out.length;
      }
      add(piece);
    });
    if (i < values.length) add(String(values[i]));
  });
  if (code) {
    // the last backtick opened nothing: it and what follows are text
    const rest = out.splice(opened).map((p) => ('code' in p ? p.code : partsText([p])));
    code = false;
    add('`' + rest.join(''));
  }
  return out;
}

/** The program's words and numbers in a line: each number a number part, which the views format. */
export function withNumbers(pieces: readonly (string | number)[]): TextPart[] {
  const out: TextPart[] = [];
  for (const p of pieces) {
    const last = out[out.length - 1];
    if (typeof p === 'number') out.push({ num: encodeNumber(p) });
    else if (last && 'text' in last) last.text += p;
    else if (p) out.push({ text: p });
  }
  return out;
}

/** One text as written, all text (the user's text is never read for code). */
export function plain(text: string): TextPart[] {
  return [{ text }];
}

/** `words` of one text that is all the program's own words (no user text in it). */
export function codeSpans(text: string): TextPart[] {
  return words([text]);
}

/**
 * Words as plain text (the terminal's and screen readers' form): code keeps its backticks, numbers
 * are `number`'s (formatNumber's digits; the views pass shownNumber).
 */
export function partsText(
  parts: readonly TextPart[],
  number: (v: Num) => string = formatNumber,
): string {
  return parts
    .map((p) => ('code' in p ? '`' + p.code + '`' : 'num' in p ? number(p.num) : p.text))
    .join('');
}

/**
 * Words as Markdown: text escaped, code as a code span whose fence is longer than any run of
 * backticks inside it, on one line (a line break inside could start an HTML block). Code parts
 * side by side are one span (two fences together would make one longer run).
 */
export function partsMarkdown(parts: readonly TextPart[]): string {
  const joined: TextPart[] = [];
  for (const p of parts) {
    const last = joined[joined.length - 1];
    if ('code' in p && last && 'code' in last)
      joined[joined.length - 1] = { code: last.code + p.code };
    else joined.push(p);
  }
  return joined
    .map((p) => {
      if ('text' in p) return escapeMarkdown(p.text);
      if ('num' in p) return escapeMarkdown(formatNumber(p.num));
      const code = p.code.replace(/[\r\n]+/g, ' ');
      if (!code) return '';
      const fence = '`'.repeat(
        maxOf(
          (code.match(/`+/g) ?? []).map((r) => r.length),
          0,
        ) + 1,
      );
      const pad = /^[` ]|[` ]$/.test(code) ? ' ' : '';
      return fence + pad + code + pad + fence;
    })
    .join('');
}

function markdownTable(columns: string[], rows: Cell[][]): string[] {
  const row = (cells: string[]) => '| ' + cells.map(escapeMarkdown).join(' | ') + ' |';
  return [
    row(columns),
    '|' + columns.map(() => ' --- ').join('|') + '|',
    ...rows.map((r) => row(r.map(cellText))),
  ];
}

function sparkline(points: [number, Num][]): string {
  const ys = points.map(([, y]) => decodeNumber(y)).filter(Number.isFinite);
  if (ys.length === 0) return '';
  const [lo, hi] = extent(ys);
  const bars = '▁▂▃▄▅▆▇█';
  const step = Math.max(1, Math.ceil(ys.length / 40));
  let out = '';
  for (let i = 0; i < ys.length; i += step)
    out += bars[hi === lo ? 0 : Math.round(((ys[i] - lo) / (hi - lo)) * 7)];
  return out;
}

/**
 * Lines written under a table. In Markdown a blank line must end the table first: CommonMark
 * tables (GitHub, markdown-it as VS Code renders it) take any next non-blank line as one more row.
 */
function afterTable(lines: string[], markdown: boolean): string[] {
  return markdown && lines.length > 0 ? ['', ...lines] : lines;
}

/** The lines of one item, as plain text or as Markdown. */
export function itemLines(item: ResultItem, markdown: boolean): string[] {
  const esc = markdown ? escapeMarkdown : (s: string) => s;
  switch (item.kind) {
    case 'message': {
      const text = markdown ? partsMarkdown(item.text) : partsText(item.text);
      return [item.level === 'info' ? text : `${item.level}: ${text}`];
    }
    case 'table': {
      const title = markdown ? `**${esc(item.title)}**` : item.title;
      const body = markdown
        ? markdownTable(item.columns, item.rows)
        : textTable(item.columns, item.rows);
      const after = [
        ...(item.totalRows !== undefined && item.totalRows > item.rows.length
          ? [`(${item.rows.length} of ${item.totalRows} rows shown)`]
          : []),
        ...(item.note ? [markdown ? partsMarkdown(item.note) : partsText(item.note)] : []),
      ];
      return [title, ...(markdown ? [''] : []), ...body, ...afterTable(after, markdown)];
    }
    case 'derivation': {
      // a substituted form that is already the value is not written twice
      const lines = item.steps.map((s) =>
        s.substituted === formatNumber(s.value)
          ? `${esc(s.symbolic)}  =  ${esc(s.substituted)}`
          : `${esc(s.symbolic)}  =  ${esc(s.substituted)}  =  ${formatNumber(s.value)}`,
      );
      return [
        markdown ? `**${esc(item.quantity)}**` : item.quantity,
        ...lines.map((l) => (markdown ? `- ${l}` : `  ${l}`)),
      ];
    }
    case 'lossCurve': {
      const summary = markdown ? partsMarkdown(item.summary) : partsText(item.summary);
      return [
        markdown ? `**${esc(item.title)}**` : item.title,
        `${summary}  ${sparkline(item.points)}`,
      ];
    }
    case 'boundary':
      return [
        `decision boundary: ${item.resolution}×${item.resolution} grid over x ∈ [` +
          `${item.xRange.join(', ')}], y ∈ [${item.yRange.join(', ')}], ` +
          `${item.points.length} points`,
      ];
    case 'network': {
      const s = item.snapshot;
      const layers = s.sizes.map((n, k) => (k === 0 ? `${n}` : `${n} ${s.activations[k - 1]}`));
      return [`network ${esc(s.name)}: ${layers.join(' -> ')}`];
    }
    case 'expect':
      return [`${esc(expectText(item))}  ${item.pass ? 'ok' : 'FAILED'}`];
    case 'progress':
      return [
        `epoch ${item.epoch}, step ${item.step}, loss ${formatNumber(item.loss)}` +
          `${item.done ? ' (done)' : ''}`,
      ];
    case 'graph': {
      const { columns, rows } = graphTable(item);
      const title = markdown ? `**${esc(graphTitle(item))}**` : graphTitle(item);
      return [
        title,
        ...(markdown ? [''] : []),
        ...(markdown ? markdownTable(columns, rows) : textTable(columns, rows)),
        ...afterTable(
          item.nodes
            .filter((n) => n.issue)
            .map((n) => `${esc(n.source ?? n.label)}: ${esc(n.issue ?? '')}`),
          markdown,
        ),
      ];
    }
    case 'plot': {
      const xs = item.series.flatMap((s) => s.points.map(([x]) => x));
      const range = xs.length
        ? ` over ${esc(item.xLabel)} ∈ [${formatNumber(extent(xs)[0])}, ` +
          `${formatNumber(extent(xs)[1])}]`
        : '';
      return [
        `${markdown ? `**${esc(item.title)}**` : item.title}: ` +
          `${item.series.map((s) => esc(s.label)).join(', ')}${range}`,
        ...(item.marks ?? []).map((m) => `  ${esc(m.label)}`),
      ];
    }
  }
}

/**
 * A computation graph's title, from its payload: the root's value (the root is the last node) and
 * whether backward ran, `f = -12, backward from f (5 nodes)`. `number` formats the value (the
 * views pass shownNumber: `f = −12`, to the digits setting).
 */
export function graphTitle(item: GraphItem, number: (v: Num) => string = formatNumber): string {
  const n = item.nodes.length;
  return (
    `${item.root} = ${number(item.nodes[n - 1].value)}` +
    `${item.hasGradients ? `, backward from ${item.root}` : ''}` +
    ` (${n === 1 ? '1 node' : `${n} nodes`})`
  );
}

/**
 * ∂ₖn: the local derivative of graph node `node` by its operand `k` (from 0), the other operand
 * held at its value; never ∂f/∂x, which is the whole derivative (docs/language.md, explain).
 */
export function localSymbol(node: string, k: number): string {
  return `∂${['₁', '₂'][k]}${node}`;
}

/**
 * A computation graph as a table, one row per node in forward order: the
 * node, what it computes, its value, ∂root/∂node, and the local derivative on
 * each incoming edge. The renderer's table view and the text output share it; `number` formats
 * the local derivatives (the views pass shownNumber, the text keeps formatNumber's hyphen).
 */
export function graphTable(
  item: GraphItem,
  number: (v: Num) => string = formatNumber,
): { columns: string[]; rows: Cell[][] } {
  const nodeName = (i: number): string => graphNodeName(item, i);
  const columns = ['node', 'computes', 'value', `∂${item.root}/∂node`, 'local derivatives'];
  const rows = item.nodes.map((n, i): Cell[] => [
    nodeName(i),
    // a named leaf's box says its name, already in the first column; a constant's says its value
    n.inputs.length ? (n.source ?? n.label) : n.name !== undefined ? 'leaf' : n.label,
    n.value,
    n.grad ?? '',
    n.local
      .flatMap((v, k) => (v === null ? [] : [`${localSymbol(nodeName(i), k)} = ${number(v)}`]))
      .join(', '),
  ]);
  return { columns, rows };
}

export function itemsToText(items: ResultItem[]): string {
  return items.map((i) => itemLines(i, false).join('\n')).join('\n\n');
}

export function itemsToMarkdown(items: ResultItem[]): string {
  return items.map((i) => itemLines(i, true).join('\n')).join('\n\n');
}
