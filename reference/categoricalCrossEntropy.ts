/**
 * Categorical cross-entropy, on probabilities and on logits, with gradients.
 * Rows are samples (N of them), columns are classes (K).
 */
import { logSoftmax, softmax } from './activations';
import { assertFiniteEntries, assertSameShape } from '../src/arguments';

/**
 * Mean categorical cross-entropy of probabilities: CCE = −(1/N) Σ_i Σ_k y_ik ln p_ik.
 * Terms with y_ik = 0 are skipped, so p_ik = 0 there is fine (0 · ln 0 = 0). No clipping.
 *
 * @param yTrue one-hot (or soft) targets, N×K
 * @param p predicted class probabilities, N×K (rows normally sum to 1; not checked)
 * @example
 * categoricalCrossEntropy([[0, 1, 0], [0, 0, 1]], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]])
 * // returns 1.176939193690798   (−(ln 0.95 + ln 0.1)/2; Keras' documented 1.1769392)
 * @see categoricalCrossEntropyGrad, categoricalCrossEntropyFromLogits
 */
export function categoricalCrossEntropy(yTrue: number[][], p: number[][]): number {
  const { rows, cols } = assertSameShape('categoricalCrossEntropy', 'yTrue', yTrue, 'p', p);
  let s = 0;
  for (let i = 0; i < rows; i++) {
    for (let k = 0; k < cols; k++) {
      const y = yTrue[i][k];
      if (y !== 0) s += y * Math.log(p[i][k]);
    }
  }
  return (0 - s) / rows; // 0 − s: a zero loss is +0, not −0
}

/**
 * Gradient of {@link categoricalCrossEntropy} with respect to the probabilities:
 * ∂CCE/∂p_ik = −y_ik / (N p_ik), and exactly 0 where y_ik = 0.
 *
 * @example
 * categoricalCrossEntropyGrad([[0, 1]], [[0.5, 0.5]]) // returns [[0, -2]]
 * @see categoricalCrossEntropy
 */
export function categoricalCrossEntropyGrad(yTrue: number[][], p: number[][]): number[][] {
  const { rows } = assertSameShape('categoricalCrossEntropyGrad', 'yTrue', yTrue, 'p', p);
  return yTrue.map((yRow, i) => yRow.map((y, k) => (y === 0 ? 0 : -y / (rows * p[i][k]))));
}

/**
 * Mean categorical cross-entropy of logits z (p = softmax(z) row-wise):
 * CCE = −(1/N) Σ_i Σ_k y_ik · logSoftmax(z)_ik, with logSoftmax(z)_ik = z_ik − LSE(z_i).
 * Terms with y_ik = 0 are skipped. Finite and exact for logits like [1000, −1000, 0]; logits must be finite.
 *
 * @example
 * categoricalCrossEntropyFromLogits([[1, 0]], [[0, 0]])            // returns 0.6931471805599453   (ln 2)
 * categoricalCrossEntropyFromLogits([[0, 0, 1]], [[1000, -1000, 0]]) // returns 1000
 * @see categoricalCrossEntropyFromLogitsGrad, logSoftmax
 */
export function categoricalCrossEntropyFromLogits(yTrue: number[][], z: number[][]): number {
  const { rows, cols } = assertSameShape('categoricalCrossEntropyFromLogits', 'yTrue', yTrue, 'z', z);
  assertFiniteEntries('categoricalCrossEntropyFromLogits', 'z', z);
  const logP = logSoftmax(z);
  let s = 0;
  for (let i = 0; i < rows; i++) {
    for (let k = 0; k < cols; k++) {
      const y = yTrue[i][k];
      if (y !== 0) s += y * logP[i][k];
    }
  }
  return (0 - s) / rows;
}

/**
 * Gradient of {@link categoricalCrossEntropyFromLogits} with respect to the logits:
 * ∂CCE/∂z_ik = (softmax(z)_ik − y_ik) / N. For targets whose rows sum to 1, each gradient row sums to 0.
 *
 * @example
 * categoricalCrossEntropyFromLogitsGrad([[1, 0]], [[0, 0]]) // returns [[-0.5, 0.5]]
 * @see categoricalCrossEntropyFromLogits
 */
export function categoricalCrossEntropyFromLogitsGrad(yTrue: number[][], z: number[][]): number[][] {
  const { rows } = assertSameShape('categoricalCrossEntropyFromLogitsGrad', 'yTrue', yTrue, 'z', z);
  assertFiniteEntries('categoricalCrossEntropyFromLogitsGrad', 'z', z);
  const p = softmax(z);
  return p.map((pRow, i) => pRow.map((pik, k) => (pik - yTrue[i][k]) / rows));
}
