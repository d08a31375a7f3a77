/**
 * Binary cross-entropy, on probabilities and on logits, with gradients.
 */
import { sigmoidScalar } from './activations';
import { assertSameLength } from '../src/arguments';

/**
 * Mean binary cross-entropy of probabilities:
 * BCE = −(1/N) Σ_i [ y_i ln p_i + (1 − y_i) ln(1 − p_i) ].
 *
 * Zero-weight terms are skipped (0 · ln 0 is taken as 0): y_i ln p_i is added only when y_i ≠ 0 and
 * (1 − y_i) ln(1 − p_i) only when y_i ≠ 1. So p_i ∈ {0, 1} gives an exact, finite 0 where y_i = p_i,
 * and +Infinity where the prediction is certain and wrong. ln(1 − p) is computed as `Math.log1p(-p)`.
 * No clipping is applied (Keras clips p to [1e-7, 1 − 1e-7]; PyTorch clamps ln at −100).
 *
 * @param yTrue labels y_i (0/1, or soft labels in [0, 1]), length N ≥ 1
 * @param p predicted probabilities p_i ∈ [0, 1], length N
 * @example
 * binaryCrossEntropy([1, 0], [0.9, 0.2]) // returns 0.16425203348601802   (−(ln 0.9 + ln 0.8)/2)
 * binaryCrossEntropy([1, 0], [1, 0])     // returns 0
 * @see binaryCrossEntropyGrad, binaryCrossEntropyFromLogits
 */
export function binaryCrossEntropy(yTrue: number[], p: number[]): number {
  const n = assertSameLength('binaryCrossEntropy', 'yTrue', yTrue, 'p', p);
  let s = 0;
  for (let i = 0; i < n; i++) {
    const y = yTrue[i];
    if (y !== 0) s += y * Math.log(p[i]);
    if (y !== 1) s += (1 - y) * Math.log1p(-p[i]);
  }
  return (0 - s) / n; // 0 − s rather than −s: a zero loss is +0, not −0
}

/**
 * Gradient of {@link binaryCrossEntropy} with respect to the probabilities:
 * ∂BCE/∂p_i = (1/N) ( −y_i / p_i + (1 − y_i) / (1 − p_i) ), skipping zero-weight terms exactly as
 * the loss does (so y = p = 1 gives −1/N and y = p = 0 gives 1/N, both finite).
 *
 * @example
 * binaryCrossEntropyGrad([1, 0], [0.5, 0.5]) // returns [-1, 1]
 * binaryCrossEntropyGrad([1], [1])           // returns [-1]
 * @see binaryCrossEntropy
 */
export function binaryCrossEntropyGrad(yTrue: number[], p: number[]): number[] {
  const n = assertSameLength('binaryCrossEntropyGrad', 'yTrue', yTrue, 'p', p);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const y = yTrue[i];
    let g = 0;
    if (y !== 0) g -= y / p[i];
    if (y !== 1) g += (1 - y) / (1 - p[i]);
    out[i] = g / n;
  }
  return out;
}

/**
 * Mean binary cross-entropy of logits z (p = σ(z)), in the TensorFlow
 * `sigmoid_cross_entropy_with_logits` form:
 * BCE = (1/N) Σ_i [ max(z_i, 0) − z_i y_i + ln(1 + e^(−|z_i|)) ].
 * Equal to {@link binaryCrossEntropy}(y, σ(z)) in exact arithmetic, but finite and exact for any finite z
 * (z = 100, y = 0 gives exactly 100).
 *
 * @example
 * binaryCrossEntropyFromLogits([0], [100])   // returns 100
 * binaryCrossEntropyFromLogits([1], [0])     // returns 0.6931471805599453   (ln 2)
 * binaryCrossEntropyFromLogits([1], [-1000]) // returns 1000
 * @see binaryCrossEntropyFromLogitsGrad, logSigmoid
 */
export function binaryCrossEntropyFromLogits(yTrue: number[], z: number[]): number {
  const n = assertSameLength('binaryCrossEntropyFromLogits', 'yTrue', yTrue, 'z', z);
  let s = 0;
  for (let i = 0; i < n; i++) {
    const zi = z[i];
    s += Math.max(zi, 0) - zi * yTrue[i] + Math.log1p(Math.exp(-Math.abs(zi)));
  }
  return s / n;
}

/**
 * Gradient of {@link binaryCrossEntropyFromLogits} with respect to the logits:
 * ∂BCE/∂z_i = (σ(z_i) − y_i) / N. The σ′ factor of the chain rule cancels, so the step is
 * proportional to the error.
 *
 * @example
 * binaryCrossEntropyFromLogitsGrad([1, 0], [0, 0]) // returns [-0.25, 0.25]
 * @see binaryCrossEntropyFromLogits
 */
export function binaryCrossEntropyFromLogitsGrad(yTrue: number[], z: number[]): number[] {
  const n = assertSameLength('binaryCrossEntropyFromLogitsGrad', 'yTrue', yTrue, 'z', z);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = (sigmoidScalar(z[i]) - yTrue[i]) / n;
  return out;
}
