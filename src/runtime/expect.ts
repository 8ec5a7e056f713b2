/**
 * `expect`: the decision, and the numbers that show it.
 *
 * `=` with a tolerance compares decimals, as the user reads them: the expected value and the
 * tolerance as written (the shortest decimal that reads back to the same double, which is what was
 * typed unless it had more than 17 digits) and the actual value with every digit it is shown with
 * (String(v), again the shortest exact form). `|actual − expected| ≤ tolerance` is then decided
 * exactly in decimal arithmetic, so `expect a = 1.1 ± 0.1` holds for a = 1 (|1 − 1.1| is 0.1, not
 * the 0.10000000000000009 of binary subtraction) and the boundary is included as written.
 * Inequalities compare the doubles (the shortest decimals order the same way).
 */
import { DEFAULT_RELATIVE_TOLERANCE } from '../language/vocabulary';
import type * as ast from '../language/ast';
import { encodeNumber, type ExpectItem } from '../protocol/results';

/** A finite double's shortest decimal as digits·10^exp (exact). */
interface Decimal {
  digits: bigint;
  exp: number;
}

function decimal(v: number): Decimal {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(v));
  if (!m) throw new RangeError(`not a finite number: ${v}`);
  const [, sign, int, frac = '', e = '0'] = m;
  return { digits: BigInt(`${sign}${int}${frac}`), exp: Number(e) - frac.length };
}

/** a and b on a common exponent */
function align(a: Decimal, b: Decimal): [bigint, bigint, number] {
  const exp = Math.min(a.exp, b.exp);
  return [a.digits * 10n ** BigInt(a.exp - exp), b.digits * 10n ** BigInt(b.exp - exp), exp];
}

/**
 * An exact decimal as text: plain, or d.ddd…e−n when smaller than 1e-4 (every digit kept either
 * way).
 */
function text(d: Decimal): string {
  if (d.digits === 0n) return '0';
  const neg = d.digits < 0n;
  const digits = (neg ? -d.digits : d.digits).toString();
  const sign = neg ? '-' : '';
  const e10 = digits.length - 1 + d.exp; // the power of ten of the first digit
  if (e10 < -4) {
    const rest = digits.slice(1).replace(/0+$/, '');
    return `${sign}${digits[0]}${rest ? `.${rest}` : ''}e${e10}`;
  }
  if (d.exp >= 0) return sign + digits + '0'.repeat(d.exp);
  const padded = digits.padStart(-d.exp + 1, '0');
  const cut = padded.length + d.exp;
  return `${sign}${padded.slice(0, cut)}.${padded.slice(cut)}`.replace(/\.?0+$/, '');
}

/**
 * |actual − expected| ≤ tolerance in exact decimal arithmetic, and actual − expected as an exact
 * decimal.
 */
export function withinTolerance(
  actual: number,
  expected: number,
  tolerance: number,
): { pass: boolean; difference: string } {
  if (![actual, expected, tolerance].every(Number.isFinite))
    return { pass: false, difference: String(actual - expected) };
  const [a, e, exp] = align(decimal(actual), decimal(expected));
  const diff = { digits: a - e, exp };
  const [d, t] = align(
    { digits: diff.digits < 0n ? -diff.digits : diff.digits, exp },
    decimal(tolerance),
  );
  return { pass: d <= t, difference: text(diff) };
}

/**
 * The tolerance of `expect Q = V` written without one: DEFAULT_RELATIVE_TOLERANCE·max(1, |V|),
 * multiplied in decimal, so that for V = 12 it is 1.2e-8 (and is shown so), not the
 * 1.2000000000000002e-8 of binary multiplication.
 */
export function defaultTolerance(value: number): number {
  const scale = Math.max(1, Math.abs(value));
  if (!Number.isFinite(scale)) return DEFAULT_RELATIVE_TOLERANCE * scale;
  const [rel, v] = [decimal(DEFAULT_RELATIVE_TOLERANCE), decimal(scale)];
  return Number(`${rel.digits * v.digits}e${rel.exp + v.exp}`);
}

/** The result of one `expect` statement for an actual value. */
export function expectItem(s: ast.ExpectStatement, actual: number): ExpectItem {
  return expectResult(s.quantity.text, s.comparison, s.value, s.tolerance, actual);
}

/** An expect's decision and item, the one rule for network quantities and named values alike. */
export function expectResult(
  quantity: string,
  comparison: ast.Comparison,
  value: number,
  tolerance: number | undefined,
  actual: number,
): ExpectItem {
  const tol = tolerance ?? defaultTolerance(value);
  let pass: boolean;
  let difference: string | undefined;
  if (comparison === '=') ({ pass, difference } = withinTolerance(actual, value, tol));
  else
    pass =
      comparison === '<'
        ? actual < value
        : comparison === '<='
          ? actual <= value
          : comparison === '>'
            ? actual > value
            : actual >= value;
  return {
    kind: 'expect',
    quantity,
    comparison,
    expected: encodeNumber(value),
    tolerance: comparison === '=' ? tol : 0,
    actual: encodeNumber(actual),
    ...(difference !== undefined ? { difference } : {}),
    pass,
  };
}
