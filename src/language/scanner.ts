/**
 * The scanner: cell text → tokens with offsets. Never throws; a character it
 * does not know becomes an `invalid` token and a diagnostic. Comments (`#` to
 * end of line) and spaces are dropped; line ends are tokens, since a
 * statement ends at the end of its line.
 */
import { diagnostic, type Diagnostic } from './diagnostics';

export type TokenKind =
  'word' | 'quantity' | 'number' | 'string' | 'punct' | 'newline' | 'invalid' | 'eof';

export interface Token {
  kind: TokenKind;
  /** the text as written, except punctuation aliases (→ ≤ ≥ +-) which are normalised */
  text: string;
  start: number;
  end: number;
  /** the numeric value of a number token; the unquoted text of a string token */
  value?: number | string;
}

export interface ScanResult {
  tokens: Token[];
  diagnostics: Diagnostic[];
}

const PUNCT_ALIASES: Readonly<Record<string, string>> = {
  '→': '->',
  '≤': '<=',
  '≥': '>=',
  '+-': '±',
  '−>': '->',
};
const PUNCT = [
  '->',
  '<=',
  '>=',
  '+-',
  '−>',
  '[',
  ']',
  '(',
  ')',
  ',',
  ';',
  '=',
  '<',
  '>',
  '±',
  '→',
  '≤',
  '≥',
  '/',
  ':',
];

const isDigit = (c: string): boolean => c >= '0' && c <= '9';
const isLetter = (c: string): boolean =>
  /^[A-Za-z_]$/.test(c) || (c > '\x7f' && /^\p{L}$/u.test(c));
const isWordChar = (c: string): boolean => isLetter(c) || isDigit(c);

export function scan(text: string): ScanResult {
  const tokens: Token[] = [];
  const diagnostics: Diagnostic[] = [];
  let pos = 0;
  const push = (
    kind: TokenKind,
    start: number,
    end: number,
    value?: number | string,
    shown?: string,
  ): void => {
    tokens.push({ kind, text: shown ?? text.slice(start, end), start, end, value });
  };
  while (pos < text.length) {
    const c = text[pos];
    const start = pos;
    if (c === '\n') {
      push('newline', pos, ++pos);
      continue;
    }
    if (
      c === ' ' ||
      c === '\t' ||
      c === '\r' ||
      c === '\f' ||
      c === '\v' ||
      c === '\u00a0' ||
      c === '\ufeff'
    ) {
      pos++;
      continue;
    }
    if (c === '#') {
      while (pos < text.length && text[pos] !== '\n') pos++;
      continue;
    }
    if (c === '"') {
      pos++;
      while (pos < text.length && text[pos] !== '"' && text[pos] !== '\n') pos++;
      if (text[pos] === '"') {
        pos++;
        push('string', start, pos, text.slice(start + 1, pos - 1));
      } else {
        diagnostics.push(diagnostic('BPNB002', { start, end: pos }));
        push('string', start, pos, text.slice(start + 1, pos));
      }
      continue;
    }
    const numberEnd = matchNumber(text, pos);
    if (numberEnd > pos) {
      const written = text.slice(pos, numberEnd);
      const value = Number(written.replace('−', '-'));
      if (!Number.isFinite(value))
        diagnostics.push(diagnostic('BPNB003', { start, end: numberEnd }, { text: written }));
      push('number', start, numberEnd, Number.isFinite(value) ? value : 0);
      pos = numberEnd;
      continue;
    }
    const quantityEnd = matchQuantity(text, pos);
    if (quantityEnd > pos) {
      push('quantity', start, quantityEnd);
      pos = quantityEnd;
      continue;
    }
    if (isLetter(c)) {
      pos = matchWord(text, pos);
      push(text.slice(start, pos) === 'E' ? 'quantity' : 'word', start, pos);
      continue;
    }
    const punct = PUNCT.find((p) => text.startsWith(p, pos));
    if (punct) {
      pos += punct.length;
      push('punct', start, pos, undefined, PUNCT_ALIASES[punct] ?? punct);
      continue;
    }
    // one code point, so a surrogate pair is never split
    const codePoint = text.codePointAt(pos) ?? 0;
    pos += codePoint > 0xffff ? 2 : 1;
    diagnostics.push(
      diagnostic('BPNB001', { start, end: pos }, { found: JSON.stringify(text.slice(start, pos)) }),
    );
    push('invalid', start, pos);
  }
  push('eof', text.length, text.length);
  return { tokens, diagnostics };
}

/** End of a number starting at pos (ints, decimals, exponents, leading - or −), or pos. */
export function matchNumber(text: string, pos: number): number {
  let p = pos;
  if (text[p] === '-' || text[p] === '−') p++;
  const digitsStart = p;
  while (isDigit(text[p] ?? '')) p++;
  if (text[p] === '.' && isDigit(text[p + 1] ?? '')) {
    p++;
    while (isDigit(text[p] ?? '')) p++;
  }
  if (p === digitsStart) return pos;
  if (
    (text[p] === 'e' || text[p] === 'E') &&
    (isDigit(text[p + 1] ?? '') ||
      ((text[p + 1] === '-' || text[p + 1] === '+') && isDigit(text[p + 2] ?? '')))
  ) {
    p += 2;
    while (isDigit(text[p] ?? '')) p++;
  }
  return p;
}

/** End of a word: letters, digits, `_`, and `-` between letters (`leaky-relu`). */
function matchWord(text: string, pos: number): number {
  let p = pos;
  for (;;) {
    if (isWordChar(text[p] ?? '')) {
      p++;
      continue;
    }
    if (text[p] === '-' && isLetter(text[p + 1] ?? '')) {
      p++;
      continue;
    }
    return p;
  }
}

const GRADIENT_PREFIXES = ['dE/d', '∂E/∂'];
const NAME_PREFIXES = ['delta', 'δ', 'w', 'b', 'z', 'a', 'd', 'x', 't'];

/**
 * End of a quantity's lexical shape at pos, or pos: an optional `dE/d`, a name (w b z a δ d delta x
 * t), digits or `( digits, … )`, an optional `[digits]`, an optional row `(sN)`. Digit counts are
 * checked later (quantity.ts), so `w123[1]` still scans as one token.
 */
export function matchQuantity(text: string, pos: number): number {
  let p = pos;
  const gradient = GRADIENT_PREFIXES.find((g) => text.startsWith(g, p));
  if (gradient) p += gradient.length;
  const name = NAME_PREFIXES.find((n) => text.startsWith(n, p));
  if (!name) return pos;
  p += name.length;
  if (isDigit(text[p] ?? '')) {
    while (isDigit(text[p] ?? '')) p++;
  } else if (text[p] === '(') {
    let q = p + 1;
    while (q < text.length && q - p < 40 && /[0-9, ]/.test(text[q])) q++;
    if (text[q] !== ')') return pos;
    p = q + 1;
  } else {
    return pos;
  }
  if (text[p] === '[') {
    let q = p + 1;
    while (isDigit(text[q] ?? '') && q - p < 20) q++;
    if (text[q] === ']') p = q + 1;
  }
  // a row of a batch: `δ1[2](s3)`
  if (text.startsWith('(s', p)) {
    let q = p + 2;
    while (isDigit(text[q] ?? '') && q - p < 20) q++;
    if (q > p + 2 && text[q] === ')') p = q + 1;
  }
  return isWordChar(text[p] ?? '') ? pos : p;
}
