/**
 * Seeded synthetic classification data sets (Gaussian blobs) for training tests and demos.
 */
import { createRng, oneHot, type Rng } from './random';
import { assertFinite, assertInteger, describeValue } from '../arguments';

/** Options of {@link makeBinaryBlobs}. */
export interface BinaryBlobsOptions {
  /** Number of samples (integer ≥ 2); labels alternate 0, 1, 0, 1, … so the classes are balanced. */
  n: number;
  /** Number of features (integer ≥ 1). */
  d: number;
  /** Integer seed for {@link createRng}. */
  seed: number;
  /** Distance between the two blob centres, in units of the (unit) per-feature standard deviation. */
  separation: number;
  /** Fraction of labels flipped after sampling, in [0, 1]; exactly round(noise·n) labels flip. */
  noise: number;
}

/** Options of {@link makeMultiClassBlobs}. */
export interface MultiClassBlobsOptions {
  /** Number of samples (integer ≥ k); labels cycle 0, 1, …, k−1 so the classes are balanced. */
  n: number;
  /** Number of features (integer ≥ 1). */
  d: number;
  /** Number of classes (integer ≥ 2). */
  k: number;
  /** Integer seed for {@link createRng}. */
  seed: number;
  /** Minimum distance between two class centres, in units of the per-feature standard deviation. */
  separation: number;
  /** Fraction of labels replaced by a different class after sampling, in [0, 1]; exactly round(noise·n). */
  noise: number;
}

function checkCommon(fn: string, o: { n: unknown; d: unknown; seed: unknown; separation: unknown; noise: unknown }): void {
  assertInteger(fn, 'd', o.d, 1);
  assertInteger(fn, 'seed', o.seed, Number.MIN_SAFE_INTEGER);
  assertFinite(fn, 'separation', o.separation);
  if (o.separation < 0) throw new RangeError(`${fn}: separation must be ≥ 0, got ${o.separation}`);
  assertFinite(fn, 'noise', o.noise);
  if (o.noise < 0 || o.noise > 1) throw new RangeError(`${fn}: noise must be in [0, 1], got ${o.noise}`);
}

/** First m indices of a seeded Fisher–Yates shuffle of 0..n−1 (m distinct indices). */
function pickDistinct(rng: Rng, n: number, m: number): number[] {
  const idx = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < m; i++) {
    const j = i + Math.floor(rng.next() * (n - i));
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  return idx.slice(0, m);
}

/**
 * Two Gaussian blobs in d dimensions. Class c ∈ {0, 1} has centre ±(separation/2)·u with
 * u = (1, …, 1)/√d (class 1 on the + side), and each feature has standard deviation 1; so the
 * Bayes boundary is the hyperplane Σ_j x_j = 0. Labels alternate 0, 1, 0, …; then exactly
 * round(noise·n) distinct, seeded labels are flipped. X and the clean labels do not depend on
 * `noise`, so two calls differing only in `noise` share X. With noise = 0 and a large separation
 * (≥ 8: each point lands on the wrong side with probability Φ(−4) ≈ 3·10⁻⁵) the data are
 * linearly separable in practice.
 *
 * @example
 * const { X, y } = makeBinaryBlobs({ n: 4, d: 2, seed: 1, separation: 6, noise: 0 });
 * y        // returns [0, 1, 0, 1]
 * X.length // returns 4 (each row of length 2)
 * @see makeMultiClassBlobs, createRng
 */
export function makeBinaryBlobs(opts: BinaryBlobsOptions): { X: number[][]; y: number[] } {
  const fn = 'makeBinaryBlobs';
  if (typeof opts !== 'object' || opts === null) throw new TypeError(`${fn}: opts must be an object, got ${describeValue(opts)}`);
  checkCommon(fn, opts);
  assertInteger(fn, 'n', opts.n, 2);
  const { n, d, seed, separation, noise } = opts;
  const rng = createRng(seed);
  const offset = separation / 2 / Math.sqrt(d);
  const y: number[] = [];
  const X: number[][] = [];
  for (let i = 0; i < n; i++) {
    const label = i % 2;
    const sign = label === 1 ? 1 : -1;
    y.push(label);
    X.push(Array.from({ length: d }, () => sign * offset + rng.normal()));
  }
  for (const i of pickDistinct(rng, n, Math.round(noise * n))) y[i] = 1 - y[i];
  return { X, y };
}

/**
 * Centres of k classes in d dimensions whose pairwise distances are all ≥ `separation`, with the
 * minimum equal to it:
 * - d ≥ k: (separation/√2)·e_c (a scaled simplex, all distances equal);
 * - 2 ≤ d < k: a regular k-gon in the first two features, radius separation / (2 sin(π/k));
 * - d = 1: points c·separation, centred on 0.
 */
export function blobCentres(k: number, d: number, separation: number): number[][] {
  assertInteger('blobCentres', 'k', k, 1);
  assertInteger('blobCentres', 'd', d, 1);
  assertFinite('blobCentres', 'separation', separation);
  return Array.from({ length: k }, (_, c) => {
    const centre = new Array<number>(d).fill(0);
    if (d >= k) {
      centre[c] = separation / Math.SQRT2;
    } else if (d >= 2) {
      const r = separation / (2 * Math.sin(Math.PI / k));
      centre[0] = r * Math.cos((2 * Math.PI * c) / k);
      centre[1] = r * Math.sin((2 * Math.PI * c) / k);
    } else {
      centre[0] = (c - (k - 1) / 2) * separation;
    }
    return centre;
  });
}

/**
 * k Gaussian blobs (unit standard deviation per feature) around {@link blobCentres}; labels cycle
 * 0, 1, …, k−1; then exactly round(noise·n) distinct, seeded labels are replaced by a different class
 * chosen uniformly. X and the clean labels do not depend on `noise`. `Y` is `labels` one-hot.
 *
 * @example
 * const { X, Y, labels } = makeMultiClassBlobs({ n: 6, d: 2, k: 3, seed: 7, separation: 5, noise: 0 });
 * labels // returns [0, 1, 2, 0, 1, 2]
 * Y[2]   // returns [0, 0, 1]
 * @see makeBinaryBlobs, oneHot
 */
export function makeMultiClassBlobs(opts: MultiClassBlobsOptions): { X: number[][]; Y: number[][]; labels: number[] } {
  const fn = 'makeMultiClassBlobs';
  if (typeof opts !== 'object' || opts === null) throw new TypeError(`${fn}: opts must be an object, got ${describeValue(opts)}`);
  checkCommon(fn, opts);
  assertInteger(fn, 'k', opts.k, 2);
  assertInteger(fn, 'n', opts.n, opts.k);
  const { n, d, k, seed, separation, noise } = opts;
  const rng = createRng(seed);
  const centres = blobCentres(k, d, separation);
  const labels: number[] = [];
  const X: number[][] = [];
  for (let i = 0; i < n; i++) {
    const label = i % k;
    labels.push(label);
    X.push(centres[label].map((m) => m + rng.normal()));
  }
  for (const i of pickDistinct(rng, n, Math.round(noise * n))) {
    labels[i] = (labels[i] + 1 + Math.floor(rng.next() * (k - 1))) % k;
  }
  return { X, Y: oneHot(labels, k), labels };
}
