/**
 * Seeded pseudo-random numbers (mulberry32): the only source of randomness in the engine.
 * Uses only integer arithmetic and one division, so a seed gives the same bits on every machine.
 */
/** The largest seed: the generator keeps 32 bits of state, so seeds are 0 … 2^32 − 1. */
export const SEED_MAX = 2 ** 32 - 1;

export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** next integer in [0, 2^32) */
  nextUint32(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** next number in [0, 1) */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** integer in [0, n) */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Fisher–Yates shuffle in place */
  shuffle<T extends { length: number; [i: number]: number }>(items: T): T {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return items;
  }
}

/** A function returning numbers in [0, 1) from a seed (mulberry32). */
export function mulberry32(seed: number): () => number {
  const rng = new Rng(seed);
  return () => rng.next();
}
