/**
 * Diagnostics are values: a stable code, a severity, a span inside the cell
 * and the arguments of the message. `formatDiagnostic` is the one place that
 * turns them into words, so VS Code and the command line say the same thing.
 */
import type { Span } from './ast';

export type Severity = 'error' | 'warning' | 'info';
export type DiagnosticArgs = Readonly<Record<string, string | number>>;

export interface Diagnostic {
  code: DiagnosticCode;
  severity: Severity;
  span: Span;
  args: DiagnosticArgs;
}

type Template = (a: DiagnosticArgs) => string;
const hint = (a: DiagnosticArgs): string => (a.hint ? ` (${a.hint})` : '');

/** Every code with its message. Codes never change meaning once released. */
const MESSAGES = {
  // scanning
  BPNB001: (a) => `unexpected character ${a.found}`,
  BPNB002: () => 'unterminated string: add the closing "',
  BPNB003: (a) => `number ${a.text} is too large`,
  BPNB004: (a) =>
    `brackets nested too deeply: ${a.what} takes at most ${a.max} ${plural(a.max, 'level')} of [ ]`,
  BPNB005: (a) =>
    `cell too large: ${a.size} characters, the limit is ${a.max}; put large data in a CSV file ` +
    `(dataset csv "file.csv")`,
  // syntax
  BPNB101: (a) =>
    `unknown statement '${a.found}'${a.suggestion ? `; did you mean '${a.suggestion}'?` : ''}`,
  BPNB102: (a) => `expected ${a.expected}, found ${a.found}${hint(a)}`,
  BPNB103: (a) => `unexpected ${a.found} after the end of the statement`,
  BPNB104: (a) => `missing closing ${a.bracket}`,
  BPNB105: (a) =>
    `unknown ${a.what} '${a.found}'; known: ${a.known}` +
    `${a.suggestion ? ` (did you mean '${a.suggestion}'?)` : ''}`,
  BPNB106: (a) => `${a.option} is given twice`,
  BPNB107: (a) => `${a.what} must be ${a.must}, got ${a.value}`,
  BPNB108: (a) => `row ${a.row} has ${a.got} ${a.what}, row 1 has ${a.want}`,
  BPNB109: (a) => `${a.what}: write either ${a.a} or ${a.b}, not both`,
  BPNB110: (a) => `${a.path}: a data file must be a relative path inside the workspace`,
  // quantities
  BPNB120: (a) => `'${a.text}' is ambiguous: ${a.what}; write ${a.suggestion}`,
  BPNB121: (a) => `'${a.text}' needs a layer: write ${a.suggestion}`,
  BPNB122: (a) => `${a.statement} needs ${a.allowed}, not ${a.found}`,
  BPNB123: (a) => `indices start at 1: '${a.text}'`,
  BPNB124: (a) => `'${a.text}' is not a quantity${hint(a)}`,
  // expressions
  BPNB130: (a) => `expression too large: at most ${a.max} operations`,
  BPNB131: (a) => `expression nested too deeply: at most ${a.max} levels`,
  BPNB132: (a) => `unknown function '${a.name}'; known: ${a.known}`,
  BPNB133: (a) => `${a.name} takes ${a.want} ${plural(a.want, 'argument')}, got ${a.got}`,
  BPNB134: (a) =>
    `unknown name '${a.name}'${a.known ? `; defined so far: ${a.known}` : ''}${hint(a)}`,
  BPNB135: (a) => `${a.what} never uses ${a.param}${hint(a)}`,
  BPNB136: (a) => `'${a.name}' is ${a.what}; choose another name`,
  // validation against the session
  BPNB201: (a) =>
    `'${a.statement}' needs a network; define one first, e.g. network 2 -> 3 sigmoid -> 1 sigmoid`,
  BPNB202: (a) =>
    `${a.what} needs ${a.min === a.max ? `k = ${a.min}` : `k in ${range(a.min, a.max)}`}, got ` +
    `${a.got}${hint(a)}`,
  BPNB203: (a) => `layer ${a.layer} has nodes ${range(1, a.size)}, got ${a.got}`,
  BPNB204: (a) =>
    `${a.what} needs ${a.rows} ${plural(a.rows, 'row')} × ${a.cols} ${plural(a.cols, 'column')}, ` +
    `got ${a.gotRows} × ${a.gotCols}`,
  BPNB205: (a) => `${a.what} needs ${a.want} ${plural(a.want, 'value')} (${a.why}), got ${a.got}`,
  BPNB206: (a) => `layer ${a.layer} has no biases (bias off); write 'bias on' first`,
  BPNB207: (a) => `no network named '${a.name}'${a.known ? `; known: ${a.known}` : ''}`,
  BPNB208: (a) => `softmax belongs on the output layer, not layer ${a.layer}`,
  BPNB209: (a) =>
    `dataset ${a.name} has ${a.inputs} inputs and ${a.targets} target, the network has ` +
    `${a.netInputs} inputs and ${a.netOutputs} outputs`,
  BPNB210: (a) => `no data table named '${a.name}'${a.known ? `; known: ${a.known}` : ''}`,
  BPNB212: (a) => `a decision boundary needs a network with 2 inputs; this one has ${a.inputs}`,
  BPNB213: (a) =>
    `${a.option} is a coefficient of optimiser ${a.owner}; this train uses ${a.optimiser}, so ` +
    `${a.option} is ignored (write optimiser ${a.owner}, or leave ${a.option} out)`,
  BPNB900: (a) => `internal parser error: ${a.message}`,
} satisfies Record<string, Template>;

export type DiagnosticCode = keyof typeof MESSAGES;
/** The code of an internal error (a bug in the parser or the runtime), never the user's mistake. */
export const INTERNAL_CODE = 'BPNB900' satisfies DiagnosticCode;
export const DIAGNOSTIC_CODES = Object.keys(MESSAGES) as DiagnosticCode[];

function range(min: string | number, max: string | number): string {
  return min === max ? `${min}` : `${min}–${max}`;
}
function plural(n: string | number, word: string): string {
  return Number(n) === 1 ? word : `${word}s`;
}

export function diagnostic(
  code: DiagnosticCode,
  span: Span,
  args: DiagnosticArgs = {},
  severity: Severity = 'error',
): Diagnostic {
  return { code, severity, span: { start: span.start, end: span.end }, args };
}

/** The message text of a diagnostic (no location, no code). */
export function formatDiagnostic(d: Diagnostic): string {
  const template: Template | undefined = (MESSAGES as Record<string, Template>)[d.code];
  return template ? template(d.args) : `${d.code} ${JSON.stringify(d.args)}`;
}

/**
 * Offsets where each line starts, for the last text asked about (CLI loops format many diagnostics
 * of one cell).
 */
let cachedText: string | undefined;
let cachedLineStarts: number[] = [];
function lineStarts(text: string): number[] {
  if (text !== cachedText) {
    cachedLineStarts = [0];
    for (let i = 0; i < text.length; i++)
      if (text.charCodeAt(i) === 10) cachedLineStarts.push(i + 1);
    cachedText = text;
  }
  return cachedLineStarts;
}

/** 1-based line and column of an offset (columns count UTF-16 code units). */
export function offsetToLineCol(text: string, offset: number): { line: number; col: number } {
  const at = Math.max(0, Math.min(offset, text.length));
  const starts = lineStarts(text);
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid] <= at) low = mid;
    else high = mid - 1;
  }
  return { line: low + 1, col: at - starts[low] + 1 };
}

/** `file:line:col: severity: message [code]`, as the command line prints it. */
export function formatDiagnosticLocation(file: string, text: string, d: Diagnostic): string {
  const { line, col } = offsetToLineCol(text, d.span.start);
  return `${file}:${line}:${col}: ${d.severity}: ${formatDiagnostic(d)} [${d.code}]`;
}
