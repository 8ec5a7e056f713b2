/**
 * The error function and the normal distribution, for gelu. Written from the series and the
 * continued fraction (no table of coefficients): relative error within a few units in the last
 * place, checked against C's libm (Python's math.erf / math.erfc) by
 * test/unit/engine/special.test.ts.
 */

const SQRT_PI = Math.sqrt(Math.PI);
const SQRT_2 = Math.SQRT2;
const SQRT_2PI = Math.sqrt(2 * Math.PI);
/**
 * Below this |x| the series is used, above it the continued fraction (both converge fast there).
 */
const SWITCH = 2.5;
/** erfc(x) from the continued fraction from here on (1 − erf would lose digits to cancellation). */
const FRACTION_FROM = 1;

/**
 * e^(−x²), with x² split exactly into hi + lo (Dekker), so the rounding of x·x is not magnified.
 */
function expMinusSquare(x: number): number {
  const c = x * 134217729; // 2^27 + 1
  const xh = c - (c - x),
    xl = x - xh;
  const hi = x * x,
    lo = xh * xh - hi + 2 * xh * xl + xl * xl;
  return Math.exp(-hi) * Math.exp(-lo);
}

/** erf(x) for 0 ≤ x < SWITCH: (2/√π)·e^(−x²)·Σ 2ⁿx^(2n+1)/(1·3·…·(2n+1)), all terms positive. */
function erfSeries(x: number): number {
  const x2 = 2 * x * x;
  let term = x,
    sum = x;
  for (let n = 1; n < 200 && term > sum * 1e-17; n++) {
    term *= x2 / (2 * n + 1);
    sum += term;
  }
  return (2 / SQRT_PI) * expMinusSquare(x) * sum;
}

/**
 * erfc(x) for x ≥ SWITCH: e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …))))),
 * evaluated by the modified Lentz method.
 */
function erfcFraction(x: number): number {
  const tiny = 1e-300;
  let f = x,
    C = x,
    D = 0;
  for (let n = 1; n < 5000; n++) {
    const a = n / 2;
    D = x + a * D;
    D = D === 0 ? 1 / tiny : 1 / D;
    C = x + a / C;
    if (C === 0) C = tiny;
    const delta = C * D;
    f *= delta;
    if (Math.abs(delta - 1) < 3e-16) break;
  }
  return expMinusSquare(x) / (SQRT_PI * f);
}

/** The error function erf(x) = (2/√π)·∫₀ˣ e^(−t²) dt. */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  const value = ax < SWITCH ? erfSeries(ax) : 1 - erfcFraction(ax);
  return x < 0 ? -value : value;
}

/** The complementary error function erfc(x) = 1 − erf(x), without cancellation for large x. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x >= FRACTION_FROM) return x === Infinity ? 0 : erfcFraction(x);
  if (x <= -SWITCH) return x === -Infinity ? 2 : 2 - erfcFraction(-x);
  return 1 - erf(x);
}

/** Φ(z), the standard normal distribution function, = ½·erfc(−z/√2) (exact in its tails). */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / SQRT_2);
}

/** φ(z) = e^(−z²/2)/√(2π), the standard normal density. */
export function normalPdf(z: number): number {
  return expMinusSquare(z / SQRT_2) / SQRT_2PI;
}
