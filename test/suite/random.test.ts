import { createRng, oneHot } from '../../src/suite';

/**
 * Independent mulberry32 written with BigInt arithmetic mod 2^32 (no Math.imul, no signed ints),
 * to check that the reference's 32-bit tricks compute the published algorithm.
 */
function mulberry32BigInt(seed: number): () => number {
  const M = 1n << 32n;
  let a = BigInt(seed >>> 0);
  return () => {
    a = (a + 0x6d2b79f5n) % M;
    let t = ((a ^ (a >> 15n)) * (a | 1n)) % M;
    t = ((t + (((t ^ (t >> 7n)) * (t | 61n)) % M)) % M) ^ t;
    return Number(t ^ (t >> 14n)) / 2 ** 32;
  };
}

describe('createRng', () => {
  it('is the mulberry32 generator (agrees with an independent BigInt implementation for 1000 draws)', () => {
    for (const seed of [0, 1, 42, 123456789, 2 ** 32 - 1, -7]) {
      const rng = createRng(seed);
      const ref = mulberry32BigInt(seed);
      const got = Array.from({ length: 1000 }, () => rng.next());
      expect(got).toEqual(Array.from({ length: 1000 }, () => ref()));
    }
  });

  it('same seed → same sequence across every method; different seed → different sequence', () => {
    const draw = (seed: number) => {
      const r = createRng(seed);
      return [r.next(), r.uniform(-2, 3), r.normal(), r.int(0, 100), ...r.vector(3, 0, 1), ...r.matrix(2, 2, -1, 1).flat()];
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
    expect(createRng(1).next()).not.toBe(createRng(2).next());
  });

  it('documented example: createRng(42).next() = 0.6011037519201636, then int(0, 10) = 4', () => {
    const rng = createRng(42);
    expect(rng.next()).toBe(0.6011037519201636);
    expect(rng.int(0, 10)).toBe(4);
  });

  it('next() is in [0, 1) and roughly uniform (10 000 draws: each decile holds 10% ± 1.5%)', () => {
    const rng = createRng(7);
    const counts = new Array<number>(10).fill(0);
    let outOfRange = 0;
    for (let i = 0; i < 10_000; i++) {
      const u = rng.next();
      if (!(u >= 0 && u < 1)) outOfRange++;
      else counts[Math.floor(u * 10)]++;
    }
    expect(outOfRange).toBe(0);
    for (const c of counts) expect(Math.abs(c - 1000)).toBeLessThanOrEqual(150);
  });

  it('uniform, int, vector and matrix respect their ranges and shapes', () => {
    const rng = createRng(8);
    const us = Array.from({ length: 500 }, () => rng.uniform(-3, 5));
    expect(us.filter((u) => !(u >= -3 && u < 5))).toEqual([]);
    const ks = Array.from({ length: 500 }, () => rng.int(-2, 3));
    expect(ks.filter((k) => !(Number.isInteger(k) && k >= -2 && k < 3))).toEqual([]);
    const seen = new Set(Array.from({ length: 200 }, () => rng.int(0, 4)));
    expect([...seen].sort()).toEqual([0, 1, 2, 3]);
    expect(rng.vector(4, 1, 2)).toHaveLength(4);
    const m = rng.matrix(3, 2, 0, 1);
    expect(m).toHaveLength(3);
    expect(m.every((r) => r.length === 2 && r.every((v) => v >= 0 && v < 1))).toBe(true);
    expect(rng.vector(0, 0, 1)).toEqual([]);
  });

  it('normal() has mean ≈ 0 and variance ≈ 1 (20 000 draws, ±0.03), and honours mean/std', () => {
    const rng = createRng(9);
    const xs = Array.from({ length: 20_000 }, () => rng.normal());
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1);
    expect(Math.abs(mean)).toBeLessThanOrEqual(0.03);
    expect(Math.abs(variance - 1)).toBeLessThanOrEqual(0.03);
    expect(xs.every(Number.isFinite)).toBe(true);
    const a = createRng(10);
    const b = createRng(10);
    expect(a.normal(5, 2)).toBe(5 + 2 * b.normal());
  });

  it('oneHot encodes labels and rejects out-of-range ones', () => {
    expect(oneHot([1, 0], 2)).toEqual([
      [0, 1],
      [1, 0],
    ]);
    expect(createRng(0).oneHot([2, 0], 3)).toEqual([
      [0, 0, 1],
      [1, 0, 0],
    ]);
    expect(() => oneHot([3], 3)).toThrow('oneHot: labels[0] must be an integer in [0, 3), got 3');
  });

  it('rejects bad seeds and ranges with messages naming the method', () => {
    expect(() => createRng(1.5)).toThrow('createRng: seed must be an integer, got 1.5');
    expect(() => createRng(0).int(3, 3)).toThrow('int: hiExclusive must be an integer ≥ 4, got 3');
    expect(() => createRng(0).uniform(2, 1)).toThrow('uniform: hi must be ≥ lo, got lo = 2, hi = 1');
  });
});
