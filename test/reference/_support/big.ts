/**
 * High-precision oracle for the reference tests: the same formulas evaluated with mathjs
 * BigNumbers at 64 significant digits, written in their textbook (definitional) form — no
 * max-shift, no log1p — so they are independent of the stable tricks used in `reference/`.
 */
import { all, create, type BigNumber } from 'mathjs';

export type Big = BigNumber;

/** mathjs instance whose numbers are 64-digit BigNumbers. */
export const big = create(all, { number: 'BigNumber', precision: 64 });

/**
 * Exact conversion of a double to a BigNumber: `toPrecision(100)` prints the binary value correctly
 * rounded to 100 significant digits (more than the 64 we compute with), unlike the shortest
 * round-trip string, which can be up to half an ulp away.
 */
export function toBig(x: number): Big {
  return big.bignumber(x.toPrecision(100));
}

const ONE = (): Big => big.bignumber(1);
const ZERO = (): Big => big.bignumber(0);

function sum(xs: Big[]): Big {
  return xs.reduce((s, x) => s.plus(x), ZERO());
}

/** σ(z) = 1 / (1 + e^(−z)). */
export function bigSigmoid(z: Big): Big {
  return ONE().div(ONE().plus(z.neg().exp()));
}

/** ln Σ_k e^(z_k). */
export function bigLogSumExp(row: Big[]): Big {
  return sum(row.map((z) => z.exp())).ln();
}

/** e^(z_k) / Σ_j e^(z_j). */
export function bigSoftmaxRow(row: Big[]): Big[] {
  const s = sum(row.map((z) => z.exp()));
  return row.map((z) => z.exp().div(s));
}

/** (1/N) Σ (ŷ − y)². */
export function bigMse(y: Big[], yHat: Big[]): Big {
  return sum(y.map((yi, i) => yHat[i].minus(yi).pow(2))).div(y.length);
}

/** −(1/N) Σ [y ln p + (1 − y) ln(1 − p)], with 0·ln 0 = 0. */
export function bigBce(y: Big[], p: Big[]): Big {
  const terms = y.map((yi, i) => {
    let t = ZERO();
    if (!yi.isZero()) t = t.plus(yi.times(p[i].ln()));
    if (!yi.eq(1)) t = t.plus(ONE().minus(yi).times(ONE().minus(p[i]).ln()));
    return t;
  });
  return sum(terms).neg().div(y.length);
}

/** (1/N) Σ [y ln(1 + e^(−z)) + (1 − y) ln(1 + e^(z))] = BCE(y, σ(z)) written without σ. */
export function bigBceFromLogits(y: Big[], z: Big[]): Big {
  const terms = y.map((yi, i) =>
    yi.times(ONE().plus(z[i].neg().exp()).ln()).plus(ONE().minus(yi).times(ONE().plus(z[i].exp()).ln())),
  );
  return sum(terms).div(y.length);
}

/** −(1/N) Σ_i Σ_k y_ik ln p_ik, skipping y_ik = 0. */
export function bigCce(Y: Big[][], P: Big[][]): Big {
  let s = ZERO();
  Y.forEach((row, i) =>
    row.forEach((y, k) => {
      if (!y.isZero()) s = s.plus(y.times(P[i][k].ln()));
    }),
  );
  return s.neg().div(Y.length);
}

/** −(1/N) Σ_i Σ_k y_ik (z_ik − ln Σ_j e^(z_ij)). */
export function bigCceFromLogits(Y: Big[][], Z: Big[][]): Big {
  let s = ZERO();
  Y.forEach((row, i) => {
    const lse = bigLogSumExp(Z[i]);
    row.forEach((y, k) => {
      if (!y.isZero()) s = s.plus(y.times(Z[i][k].minus(lse)));
    });
  });
  return s.neg().div(Y.length);
}

/**
 * Gradient of a BigNumber function of a flat vector by central differences with h = 1e-25:
 * truncation error ~h² and rounding error ~1e-64/h, both far below double precision.
 */
export function bigGradient(f: (x: Big[]) => Big, x: number[]): number[] {
  const h = big.bignumber('1e-25');
  const xb = x.map(toBig);
  return xb.map((_, j) => {
    const plus = xb.slice();
    const minus = xb.slice();
    plus[j] = xb[j].plus(h);
    minus[j] = xb[j].minus(h);
    return f(plus).minus(f(minus)).div(h.times(2)).toNumber();
  });
}

/** |actual − expected| / |expected| (or |actual| when expected is 0), evaluated in BigNumber. */
export function bigRelError(actual: number, expected: Big): number {
  const diff = toBig(actual).minus(expected).abs();
  return expected.isZero() ? diff.toNumber() : diff.div(expected.abs()).toNumber();
}

/** Largest {@link bigRelError} over paired elements. */
export function maxBigRelError(actual: number[], expected: Big[]): number {
  expect(actual).toHaveLength(expected.length);
  return Math.max(...actual.map((a, i) => bigRelError(a, expected[i])));
}
