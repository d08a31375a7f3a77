/**
 * numpy-style closeness (`assert_allclose`): an element passes when
 * |got − expected| ≤ atol + rtol·|expected|. Non-finite values must match exactly.
 */
import { flatten, type Numeric } from './shapes';

/** numpy-style tolerance: an element passes when |got − expected| ≤ atol + rtol·|expected|. */
export interface Tolerance {
  rtol: number;
  atol: number;
}

/** The element of a comparison that misses its tolerance by the most: where, expected, got, absolute and relative difference. */
export interface WorstElement {
  index: number | [number, number];
  expected: number;
  got: number;
  absDiff: number;
  relDiff: number;
}

/** The outcome of {@link compareClose}: whether every element is within tolerance, how many are not, and the worst one. */
export interface Closeness {
  ok: boolean;
  mismatched: number;
  total: number;
  /** The element that misses its tolerance by the most (or the largest difference when all pass). */
  worst: WorstElement;
}

/** Compares `got` with `expected` (same shape, already checked). */
export function compareClose(expected: Numeric, got: Numeric, tolerance: Tolerance): Closeness {
  const e = flatten(expected);
  const g = flatten(got);
  let mismatched = 0;
  let worstAt = 0;
  let worstExcess = -Infinity;
  for (let i = 0; i < e.values.length; i++) {
    const want = e.values[i];
    const have = g.values[i];
    const diff = Math.abs(have - want);
    let excess: number;
    if (!Number.isFinite(want) || !Number.isFinite(have)) excess = Object.is(want, have) || want === have ? -Infinity : Infinity;
    else excess = diff - (tolerance.atol + tolerance.rtol * Math.abs(want));
    if (excess > 0) mismatched += 1;
    if (excess > worstExcess || (Number.isNaN(excess) && worstExcess !== Infinity)) {
      worstExcess = Number.isNaN(excess) ? Infinity : excess;
      worstAt = i;
    }
  }
  const want = e.values[worstAt];
  const have = g.values[worstAt];
  const absDiff = Math.abs(have - want);
  return {
    ok: mismatched === 0,
    mismatched,
    total: e.values.length,
    worst: { index: e.index(worstAt), expected: want, got: have, absDiff, relDiff: want === 0 ? (absDiff === 0 ? 0 : Infinity) : absDiff / Math.abs(want) },
  };
}

/** CS231n relative error |a − n| / max(|a|, |n|, floor), 0 when both are 0. */
export function relativeError(a: number, n: number, floor = 1e-12): number {
  const scale = Math.max(Math.abs(a), Math.abs(n), floor);
  return a === n ? 0 : Math.abs(a - n) / scale;
}
