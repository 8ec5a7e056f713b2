/**
 * Smallest and largest values in one pass. `Math.max(...xs)` passes every element as an argument
 * and overflows V8's stack near 10⁵ of them (a 150,000-row CSV did); these loop instead.
 */

/** [min, max] of `values`; [Infinity, −Infinity] when empty, as Math.min() and Math.max() give. */
export function extent(values: ArrayLike<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) return [NaN, NaN];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

/** The largest of `values` and `floor` (Math.max(floor, ...values), without the spread). */
export function maxOf(values: ArrayLike<number>, floor = -Infinity): number {
  return Math.max(floor, extent(values)[1]);
}

/**
 * Appends `items` to `list` one by one (list.push(...items) overflows the stack for long lists).
 */
export function pushAll<T>(list: T[], items: readonly T[]): T[] {
  for (const item of items) list.push(item);
  return list;
}
