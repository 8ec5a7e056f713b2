/**
 * Tables of a notebook's results as Markdown, CSV and LaTeX, for handouts. Pure: the VS Code
 * command (src/notebook/export.ts) collects the tables and writes the file.
 * Numbers keep full precision (shortest round-trip form); non-finite numbers are written as
 * NaN, Infinity, -Infinity.
 */
import type { Cell, ResultItem, TableItem, TextPart } from './results';
import { partsMarkdown } from './text';

export type TableFormat = 'markdown' | 'csv' | 'latex';

/** The file extension each format is saved with. */
export const FORMAT_EXTENSION: Record<TableFormat, string> = {
  markdown: 'md',
  csv: 'csv',
  latex: 'tex',
};

/** Every table among result items, in order. */
export function tablesOf(items: readonly ResultItem[]): TableItem[] {
  return items.filter((i): i is TableItem => i.kind === 'table');
}

/** One cell as text: numbers in full precision. */
export function cellText(c: Cell): string {
  return typeof c === 'number' ? String(c) : c;
}

function isNumeric(c: Cell): boolean {
  return typeof c === 'number' || c === 'NaN' || c === 'Infinity' || c === '-Infinity';
}

function capNote(t: TableItem): string | undefined {
  return t.totalRows !== undefined && t.totalRows > t.rows.length
    ? `first ${t.rows.length} of ${t.totalRows} rows`
    : undefined;
}

// ---------------------------------------------------------------------------------------------
// Markdown

/**
 * Escapes text for a Markdown table cell or heading: backslash, pipe, emphasis, code, links, HTML;
 * line breaks become spaces.
 */
export function escapeMarkdown(s: string): string {
  return s.replace(/\r\n|\r|\n/g, ' ').replace(/[\\|*_`[\]<>#]/g, (ch) => `\\${ch}`);
}

export function tableToMarkdown(t: TableItem): string {
  const row = (cells: string[]) => `| ${cells.map(escapeMarkdown).join(' | ')} |`;
  const align = t.columns.map((_, i) =>
    t.rows.length > 0 && t.rows.every((r) => isNumeric(r[i] ?? '')) ? '---:' : '---',
  );
  const lines = [
    `### ${escapeMarkdown(t.title)}`,
    '',
    row(t.columns),
    `| ${align.join(' | ')} |`,
    ...t.rows.map((r) => row(t.columns.map((_, i) => cellText(r[i] ?? '')))),
  ];
  const cap = capNote(t);
  const notes = [t.note && partsMarkdown(t.note), cap && escapeMarkdown(cap)].filter((n) => !!n);
  if (notes.length) lines.push('', `*${notes.join('; ')}*`);
  return lines.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------
// CSV (RFC 4180)

/**
 * Quotes a CSV field when it holds a comma, quote, line break or surrounding space; quotes are
 * doubled.
 */
export function csvField(s: string): string {
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Header row then data rows, lines ended by CRLF. */
export function tableToCsv(t: TableItem): string {
  const line = (cells: string[]) => cells.map(csvField).join(',') + '\r\n';
  return (
    line(t.columns) +
    t.rows.map((r) => line(t.columns.map((_, i) => cellText(r[i] ?? '')))).join('')
  );
}

// ---------------------------------------------------------------------------------------------
// LaTeX

const LATEX_SPECIAL: Record<string, string> = {
  '\\': '\\textbackslash{}',
  '{': '\\{',
  '}': '\\}',
  _: '\\_',
  '%': '\\%',
  '&': '\\&',
  '#': '\\#',
  $: '\\$',
  '~': '\\textasciitilde{}',
  '^': '\\textasciicircum{}',
};

/** The seed's symbols, written so plain pdflatex can typeset them. */
const LATEX_SYMBOLS: Record<string, string> = {
  δ: '$\\delta$',
  Δ: '$\\Delta$',
  '∂': '$\\partial$',
  η: '$\\eta$',
  Σ: '$\\Sigma$',
  σ: '$\\sigma$',
  α: '$\\alpha$',
  β: '$\\beta$',
  ε: '$\\varepsilon$',
  λ: '$\\lambda$',
  '−': '$-$',
  '·': '$\\cdot$',
  '×': '$\\times$',
  '±': '$\\pm$',
  '≤': '$\\le$',
  '≥': '$\\ge$',
  '→': '$\\to$',
  '←': '$\\leftarrow$',
  '½': '$\\frac{1}{2}$',
  '²': '$^2$',
};

/**
 * Escapes LaTeX's special characters (\ { } _ % & # $ ~ ^) in one pass and writes the seed's Greek
 * and math symbols in math mode.
 */
export function escapeLatex(s: string): string {
  return s
    .replace(/\r\n|\r|\n/g, ' ')
    .replace(
      /[\\{}_%&#$~^]|[δΔ∂ηΣσαβελ−·×±≤≥→←½²]/g,
      (ch) => LATEX_SPECIAL[ch] ?? LATEX_SYMBOLS[ch],
    );
}

/** Words in LaTeX: text escaped, code in \texttt. */
function latexParts(parts: readonly TextPart[]): string {
  return parts
    .map((p) =>
      'code' in p
        ? `\\texttt{${escapeLatex(p.code)}}`
        : escapeLatex('num' in p ? String(p.num) : p.text),
    )
    .join('');
}

/** A `table` float with a `tabular` (numbers right-aligned), caption = the table's title. */
export function tableToLatex(t: TableItem): string {
  const spec = t.columns
    .map((_, i) => (t.rows.length > 0 && t.rows.every((r) => isNumeric(r[i] ?? '')) ? 'r' : 'l'))
    .join('');
  const row = (cells: string[]) => `    ${cells.map(escapeLatex).join(' & ')} \\\\`;
  const cap = capNote(t);
  const notes = [t.note && latexParts(t.note), cap && escapeLatex(cap)].filter((n) => !!n);
  return (
    [
      '\\begin{table}[htbp]',
      '  \\centering',
      `  \\caption{${escapeLatex(t.title)}` + `${notes.length ? ` (${notes.join('; ')})` : ''}}`,
      `  \\begin{tabular}{${spec}}`,
      '    \\hline',
      row(t.columns),
      '    \\hline',
      ...t.rows.map((r) => row(t.columns.map((_, i) => cellText(r[i] ?? '')))),
      '    \\hline',
      '  \\end{tabular}',
      '\\end{table}',
    ].join('\n') + '\n'
  );
}

/**
 * Several tables in one document. Markdown and LaTeX put them one after another; CSV writes each as
 * a title row, its header and rows, with an empty line between tables.
 */
export function exportTables(tables: readonly TableItem[], format: TableFormat): string {
  if (format === 'csv')
    return tables.map((t) => csvField(t.title) + '\r\n' + tableToCsv(t)).join('\r\n');
  const one = format === 'markdown' ? tableToMarkdown : tableToLatex;
  return tables.map(one).join('\n');
}
