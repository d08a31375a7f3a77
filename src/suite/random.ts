/**
 * A small deterministic pseudo-random number generator for seeded grading inputs.
 */
import { assertFinite, assertInteger, assertVector, describeValue } from '../arguments';

/** A seeded generator; every method advances the same internal state. */
export interface Rng {
  /** Next uniform number in [0, 1) (mulberry32; one 32-bit step). */
  next(): number;
  /** Uniform number in [lo, hi): lo + (hi − lo)·next(). */
  uniform(lo: number, hi: number): number;
  /** Normal(mean, std²) sample by Box–Muller (consumes exactly two `next()` draws). Defaults N(0, 1). */
  normal(mean?: number, std?: number): number;
  /** Uniform integer in [lo, hiExclusive). */
  int(lo: number, hiExclusive: number): number;
  /** n uniform numbers in [lo, hi). */
  vector(n: number, lo: number, hi: number): number[];
  /** r×c matrix of uniform numbers in [lo, hi), filled row by row. */
  matrix(r: number, c: number, lo: number, hi: number): number[][];
  /** One-hot rows: row i has a 1 in column labels[i] and 0 elsewhere (does not use randomness). */
  oneHot(labels: number[], k: number): number[][];
}

/**
 * Creates a deterministic PRNG (mulberry32, 32-bit state) from an integer seed: the same seed always
 * yields the same sequence, on every platform. The seed is reduced modulo 2^32 (`seed >>> 0`).
 * Not cryptographic; for reproducible test inputs only.
 *
 * mulberry32 step: a ← a + 0x6D2B79F5 (mod 2^32); t = (a ⊕ a≫15)·(a | 1);
 * t ← t ⊕ (t + (t ⊕ t≫7)·(t | 61)); output (t ⊕ t≫14) / 2^32.
 *
 * @example
 * const rng = createRng(42);
 * rng.next()               // returns 0.6011037519201636
 * createRng(42).next()     // returns 0.6011037519201636   (same seed, same number)
 * rng.int(0, 10)           // returns 4   (an integer in 0..9)
 * rng.oneHot([2, 0], 3)    // returns [[0, 0, 1], [1, 0, 0]]
 */
export function createRng(seed: number): Rng {
  if (typeof seed !== 'number' || !Number.isInteger(seed)) {
    throw new RangeError(`createRng: seed must be an integer, got ${describeValue(seed)}`);
  }
  let state = seed >>> 0;

  const next = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };

  const checkRange = (fn: string, lo: number, hi: number): void => {
    assertFinite(fn, 'lo', lo);
    assertFinite(fn, 'hi', hi);
    if (!(hi >= lo)) throw new RangeError(`${fn}: hi must be ≥ lo, got lo = ${lo}, hi = ${hi}`);
  };

  const uniform = (lo: number, hi: number): number => {
    checkRange('uniform', lo, hi);
    return lo + (hi - lo) * next();
  };

  return {
    next,
    uniform,
    normal(mean = 0, std = 1): number {
      assertFinite('normal', 'mean', mean);
      assertFinite('normal', 'std', std);
      if (std < 0) throw new RangeError(`normal: std must be ≥ 0, got ${std}`);
      const u1 = 1 - next(); // in (0, 1]: ln u1 is finite
      const u2 = next();
      return mean + std * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    },
    int(lo: number, hiExclusive: number): number {
      assertInteger('int', 'lo', lo, Number.MIN_SAFE_INTEGER);
      assertInteger('int', 'hiExclusive', hiExclusive, lo + 1);
      return lo + Math.floor(next() * (hiExclusive - lo));
    },
    vector(n: number, lo: number, hi: number): number[] {
      assertInteger('vector', 'n', n, 0);
      checkRange('vector', lo, hi);
      return Array.from({ length: n }, () => lo + (hi - lo) * next());
    },
    matrix(r: number, c: number, lo: number, hi: number): number[][] {
      assertInteger('matrix', 'r', r, 0);
      assertInteger('matrix', 'c', c, 0);
      checkRange('matrix', lo, hi);
      return Array.from({ length: r }, () => Array.from({ length: c }, () => lo + (hi - lo) * next()));
    },
    oneHot(labels: number[], k: number): number[][] {
      return oneHot(labels, k);
    },
  };
}

/**
 * One-hot encoding: row i has 1 in column labels[i], 0 elsewhere. Labels must be integers in [0, k).
 *
 * @example
 * oneHot([1, 0], 2) // returns [[0, 1], [1, 0]]
 */
export function oneHot(labels: number[], k: number): number[][] {
  assertInteger('oneHot', 'k', k, 1);
  assertVector('oneHot', 'labels', labels);
  return labels.map((label, i) => {
    if (!Number.isInteger(label) || label < 0 || label >= k) {
      throw new RangeError(`oneHot: labels[${i}] must be an integer in [0, ${k}), got ${describeValue(label)}`);
    }
    const row = new Array<number>(k).fill(0);
    row[label] = 1;
    return row;
  });
}
