/**
 * Assignment "losses" — starter file.
 *
 * Implement the 13 functions below and keep their names and signatures: the grader imports them
 * by name. Read README.md (the handout) first; it gives every formula, a worked example for each
 * function and the numerical-stability cases the grader checks.
 *
 * Conventions used everywhere:
 *  - A Vector holds one value per sample (N samples).
 *  - A Matrix holds one ROW per sample and one column per class (N × K).
 *  - Every loss is the MEAN over the N samples, and every gradient is the gradient of that mean
 *    (so it carries a factor 1/N).
 *  - Return plain arrays (number[] / number[][]) and plain numbers. Do not modify the inputs.
 *
 * You may split your code into several files in this folder (`import { … } from './helpers'`)
 * and you may import `mathjs`. Nothing else (no fs, no network, no child processes).
 *
 * Check your work with:  npx mlgrade check losses
 */

// ---------------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------------

/** One number per sample, e.g. labels y ∈ {0, 1}, probabilities p, or logits z. Length N. */
type Vector = number[];

/** One row per sample, one column per class: N rows × K columns. */
type Matrix = number[][];

// ---------------------------------------------------------------------------------------------
// Activations
// ---------------------------------------------------------------------------------------------

/**
 * Logistic sigmoid, elementwise.
 *
 *     σ(z) = 1 / (1 + e^(−z))
 *
 * Must stay finite for large |z|: sigmoid([-1000, 1000]) returns [0, 1].
 *
 * @example sigmoid([-2, 0, 3]) // returns [0.11920292202211755, 0.5, 0.9525741268224334]
 */
export function sigmoid(z: Vector): Vector {
  throw new Error('TODO: implement sigmoid');
}

/**
 * Softmax of each ROW of z (each row holds the K class scores of one sample).
 *
 *     softmax(z)_ik = e^(z_ik) / Σ_j e^(z_ij)
 *
 * Subtract the row maximum before exponentiating: softmax([[1000, 0, -1000]]) must be [[1, 0, 0]].
 *
 * @example softmax([[1, 2, 3]]) // returns [[0.09003057317038046, 0.24472847105479764, 0.6652409557748218]]
 */
export function softmax(z: Matrix): Matrix {
  throw new Error('TODO: implement softmax');
}

// ---------------------------------------------------------------------------------------------
// Mean squared error (regression)
// ---------------------------------------------------------------------------------------------

/**
 * Mean squared error (no ½ factor).
 *
 *     mse = (1/N) Σ_i (yPred_i − yTrue_i)²
 *
 * @example mse([1, 2, 3], [1.5, 2, 2]) // returns 0.4166666666666667
 */
export function mse(yTrue: Vector, yPred: Vector): number {
  throw new Error('TODO: implement mse');
}

/**
 * Gradient of {@link mse} with respect to yPred.
 *
 *     ∂mse/∂yPred_i = (2/N) (yPred_i − yTrue_i)
 *
 * @example mseGrad([1, 2, 3], [1.5, 2, 2]) // returns [0.3333333333333333, 0, -0.6666666666666666]
 */
export function mseGrad(yTrue: Vector, yPred: Vector): Vector {
  throw new Error('TODO: implement mseGrad');
}

// ---------------------------------------------------------------------------------------------
// Binary cross-entropy (two classes, one probability per sample)
// ---------------------------------------------------------------------------------------------

/**
 * Binary cross-entropy on probabilities p = P(y = 1).
 *
 *     bce = −(1/N) Σ_i [ y_i ln p_i + (1 − y_i) ln(1 − p_i) ]
 *
 * A term whose weight is 0 contributes 0 (0 · ln 0 is treated as 0), so
 * binaryCrossEntropy([1, 0], [1, 0]) is 0, not NaN.
 *
 * @example binaryCrossEntropy([1, 0, 1], [0.9, 0.2, 0.6]) // returns 0.2797765635793423
 */
export function binaryCrossEntropy(yTrue: Vector, p: Vector): number {
  throw new Error('TODO: implement binaryCrossEntropy');
}

/**
 * Gradient of {@link binaryCrossEntropy} with respect to p.
 *
 *     ∂bce/∂p_i = (1/N) ( −y_i / p_i + (1 − y_i) / (1 − p_i) )
 *
 * Skip a term whose weight is 0: at y = p = 1 the gradient is −1/N (not NaN).
 *
 * @example binaryCrossEntropyGrad([1, 0, 1], [0.9, 0.2, 0.6])
 * // returns [-0.3703703703703704, 0.4166666666666667, -0.5555555555555556]
 */
export function binaryCrossEntropyGrad(yTrue: Vector, p: Vector): Vector {
  throw new Error('TODO: implement binaryCrossEntropyGrad');
}

/**
 * Binary cross-entropy computed from logits z (p = σ(z)), in the numerically stable form
 *
 *     bce = (1/N) Σ_i [ max(z_i, 0) − z_i y_i + ln(1 + e^(−|z_i|)) ]
 *
 * Use Math.log1p for ln(1 + ·). binaryCrossEntropyFromLogits([0], [100]) must be exactly 100.
 *
 * @example binaryCrossEntropyFromLogits([1, 0, 1], [2, -1, 0]) // returns 0.3777789597070469
 */
export function binaryCrossEntropyFromLogits(yTrue: Vector, z: Vector): number {
  throw new Error('TODO: implement binaryCrossEntropyFromLogits');
}

/**
 * Gradient of {@link binaryCrossEntropyFromLogits} with respect to z. The σ′ factor cancels:
 *
 *     ∂bce/∂z_i = (σ(z_i) − y_i) / N
 *
 * @example binaryCrossEntropyFromLogitsGrad([1, 0, 1], [2, -1, 0])
 * // returns [-0.0397343073407059, 0.08964714045666504, -0.16666666666666666]
 */
export function binaryCrossEntropyFromLogitsGrad(yTrue: Vector, z: Vector): Vector {
  throw new Error('TODO: implement binaryCrossEntropyFromLogitsGrad');
}

// ---------------------------------------------------------------------------------------------
// Categorical cross-entropy (K classes, one-hot labels, one row per sample)
// ---------------------------------------------------------------------------------------------

/**
 * Categorical cross-entropy on probabilities (each row of p sums to 1; each row of yTrue is one-hot).
 *
 *     cce = −(1/N) Σ_i Σ_k y_ik ln p_ik
 *
 * Skip terms with y_ik = 0 (so a 0 in p where y is 0 is harmless).
 *
 * @example categoricalCrossEntropy([[0, 1, 0], [1, 0, 0]], [[0.2, 0.7, 0.1], [0.5, 0.25, 0.25]])
 * // returns 0.5249110622493389
 */
export function categoricalCrossEntropy(yTrue: Matrix, p: Matrix): number {
  throw new Error('TODO: implement categoricalCrossEntropy');
}

/**
 * Gradient of {@link categoricalCrossEntropy} with respect to p.
 *
 *     ∂cce/∂p_ik = −y_ik / (N p_ik)        (0 where y_ik = 0)
 *
 * @example categoricalCrossEntropyGrad([[0, 1, 0], [1, 0, 0]], [[0.2, 0.7, 0.1], [0.5, 0.25, 0.25]])
 * // returns [[0, -0.7142857142857143, 0], [-1, 0, 0]]
 */
export function categoricalCrossEntropyGrad(yTrue: Matrix, p: Matrix): Matrix {
  throw new Error('TODO: implement categoricalCrossEntropyGrad');
}

/**
 * Categorical cross-entropy from logits z (p = softmax(z) row-wise), computed stably with
 * log-sum-exp:  ln p_ik = z_ik − LSE(z_i),  LSE(z_i) = m_i + ln Σ_j e^(z_ij − m_i),  m_i = max_j z_ij.
 *
 *     cce = (1/N) Σ_i Σ_k y_ik ( LSE(z_i) − z_ik )
 *
 * @example categoricalCrossEntropyFromLogits([[0, 1, 0], [1, 0, 0]], [[1, 2, 0], [0, 0, 0]])
 * // returns 0.7531091265562451
 */
export function categoricalCrossEntropyFromLogits(yTrue: Matrix, z: Matrix): number {
  throw new Error('TODO: implement categoricalCrossEntropyFromLogits');
}

/**
 * Gradient of {@link categoricalCrossEntropyFromLogits} with respect to z:
 *
 *     ∂cce/∂z_ik = (softmax(z)_ik − y_ik) / N
 *
 * @example categoricalCrossEntropyFromLogitsGrad([[0, 1, 0], [1, 0, 0]], [[1, 2, 0], [0, 0, 0]])
 * // returns [[0.12236423552739882, -0.1673795221125891, 0.04501528658519023],
 * //          [-0.33333333333333337, 0.16666666666666666, 0.16666666666666666]]
 */
export function categoricalCrossEntropyFromLogitsGrad(yTrue: Matrix, z: Matrix): Matrix {
  throw new Error('TODO: implement categoricalCrossEntropyFromLogitsGrad');
}

// ---------------------------------------------------------------------------------------------
// Classification error (what you report on validation and test data)
// ---------------------------------------------------------------------------------------------

/**
 * Fraction of misclassified samples:  error = (number wrong) / N.
 *
 * - scores is a Vector of probabilities P(y = 1): predicted label = 1 if p ≥ 0.5, else 0;
 *   yTrue holds labels 0/1.
 * - scores is a Matrix (one row of class scores per sample): predicted class = index of the
 *   row's largest value (the first one on a tie); yTrue holds class indices 0 … K−1.
 *
 * @example classificationError([1, 0, 1, 0], [0.8, 0.3, 0.4, 0.6]) // returns 0.5
 * @example classificationError([2, 0, 1], [[0.1, 0.2, 0.7], [0.3, 0.6, 0.1], [0.2, 0.5, 0.3]])
 * // returns 0.3333333333333333
 */
export function classificationError(yTrue: Vector, scores: Vector | Matrix): number {
  throw new Error('TODO: implement classificationError');
}
