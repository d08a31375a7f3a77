/**
 * Activation functions: sigmoid and softmax, with their logarithms, in numerically stable forms.
 *
 * Stability tricks used throughout:
 * - sigmoid only ever evaluates exp(−|z|) ≤ 1, so it cannot overflow;
 * - softmax and logSumExp subtract the row maximum before exponentiating;
 * - logarithms of 1 + small use `Math.log1p`.
 */
import { assertFinite, assertFiniteEntries, assertMatrix, assertVector } from '../src/arguments';

/**
 * Logistic sigmoid of one number.
 *
 * σ(z) = 1 / (1 + e^(−z)), evaluated as 1/(1 + e^(−z)) for z ≥ 0 and e^z/(1 + e^z) for z < 0 so that
 * the exponential is never of a positive argument (finite and accurate for z = ±1000).
 *
 * @example
 * sigmoidScalar(0)     // returns 0.5
 * sigmoidScalar(1000)  // returns 1
 * sigmoidScalar(-1000) // returns 0
 * @see sigmoid, logSigmoid
 */
export function sigmoidScalar(z: number): number {
  if (typeof z !== 'number') throw new TypeError(`sigmoidScalar: z must be a number, got ${String(z)}`);
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/**
 * Elementwise logistic sigmoid of a vector: σ(z)_i = 1 / (1 + e^(−z_i)), stable for any z_i.
 *
 * @example
 * sigmoid([0, 2, -1000]) // returns [0.5, 0.8807970779778823, 0]
 * @see sigmoidScalar
 */
export function sigmoid(z: number[]): number[] {
  assertVector('sigmoid', 'z', z);
  return z.map((v) => sigmoidScalar(v));
}

/**
 * Natural log of the sigmoid: ln σ(z) = −ln(1 + e^(−z)) = min(z, 0) − ln(1 + e^(−|z|)).
 * The second form is finite and accurate everywhere (ln σ(−1000) = −1000, not −∞).
 *
 * @example
 * logSigmoid(0)     // returns -0.6931471805599453   (ln ½)
 * logSigmoid(-1000) // returns -1000
 * @see sigmoidScalar
 */
export function logSigmoid(z: number): number {
  if (typeof z !== 'number') throw new TypeError(`logSigmoid: z must be a number, got ${String(z)}`);
  return Math.min(z, 0) - Math.log1p(Math.exp(-Math.abs(z)));
}

/** Index of the first maximum of a non-empty row. */
function argmaxFirst(row: readonly number[]): number {
  let best = 0;
  for (let j = 1; j < row.length; j++) if (row[j] > row[best]) best = j;
  return best;
}

/**
 * Shifted log-sum-exp parts of a row: m = max_k z_k (first argmax `k*`) and
 * rest = Σ_{k ≠ k*} e^(z_k − m), so that logSumExp = m + ln(1 + rest).
 */
function logSumExpParts(row: readonly number[]): { m: number; log1pRest: number } {
  const kStar = argmaxFirst(row);
  const m = row[kStar];
  let rest = 0;
  for (let j = 0; j < row.length; j++) if (j !== kStar) rest += Math.exp(row[j] - m);
  return { m, log1pRest: Math.log1p(rest) };
}

/**
 * Log-sum-exp of a row: LSE(z) = ln Σ_k e^(z_k), computed as m + ln(1 + Σ_{k≠k*} e^(z_k − m)) with
 * m = max_k z_k (attained at k*), so it never overflows and keeps precision when one entry dominates.
 *
 * Entries must be finite (a `RangeError` names the first that is not).
 *
 * @example
 * logSumExp([0, 0])          // returns 0.6931471805599453   (ln 2)
 * logSumExp([1000, 0, -1000]) // returns 1000
 * @see logSoftmax
 */
export function logSumExp(row: number[]): number {
  assertVector('logSumExp', 'row', row);
  for (let j = 0; j < row.length; j++) assertFinite('logSumExp', `row[${j}]`, row[j]);
  const { m, log1pRest } = logSumExpParts(row);
  return m + log1pRest;
}

/**
 * Row-wise softmax: softmax(z)_ik = e^(z_ik − m_i) / Σ_j e^(z_ij − m_i), m_i = max_j z_ij.
 * Each row is non-negative and sums to 1; large logits do not overflow. Entries must be finite.
 *
 * @example
 * softmax([[0, 0]])             // returns [[0.5, 0.5]]
 * softmax([[1000, 0, -1000]])   // returns [[1, 0, 0]]
 * @see logSoftmax, sigmoid
 */
export function softmax(z: number[][]): number[][] {
  assertMatrix('softmax', 'z', z);
  assertFiniteEntries('softmax', 'z', z);
  return z.map((row) => {
    const m = row[argmaxFirst(row)];
    const e = row.map((v) => Math.exp(v - m));
    let s = 0;
    for (const v of e) s += v;
    return e.map((v) => v / s);
  });
}

/**
 * Row-wise log-softmax: logSoftmax(z)_ik = z_ik − LSE(z_i) = (z_ik − m_i) − ln(1 + rest_i), where
 * m_i is the row maximum and rest_i = Σ over the non-maximal entries of e^(z_ij − m_i).
 * Subtracting the maximum first avoids cancellation between two large numbers. Entries must be finite.
 *
 * @example
 * logSoftmax([[0, 0]])           // returns [[-0.6931471805599453, -0.6931471805599453]]
 * logSoftmax([[1000, -1000, 0]]) // returns [[0, -2000, -1000]]
 * @see softmax, logSumExp
 */
export function logSoftmax(z: number[][]): number[][] {
  assertMatrix('logSoftmax', 'z', z);
  assertFiniteEntries('logSoftmax', 'z', z);
  return z.map((row) => {
    const { m, log1pRest } = logSumExpParts(row);
    return row.map((v) => v - m - log1pRest);
  });
}
