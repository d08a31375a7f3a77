/**
 * Mean squared error and its gradient with respect to the predictions.
 */
import { assertSameLength } from '../src/arguments';

/**
 * Mean squared error over N samples: MSE = (1/N) Σ_i (ŷ_i − y_i)².
 * No ½ factor (that convention would halve both the loss and the gradient).
 *
 * @param yTrue targets y, length N ≥ 1
 * @param yPred predictions ŷ, length N
 * @example
 * mse([1, 2, 3], [1, 2, 5]) // returns 1.3333333333333333   ((0 + 0 + 4) / 3)
 * @see mseGrad
 */
export function mse(yTrue: number[], yPred: number[]): number {
  const n = assertSameLength('mse', 'yTrue', yTrue, 'yPred', yPred);
  let s = 0;
  for (let i = 0; i < n; i++) {
    const d = yPred[i] - yTrue[i];
    s += d * d;
  }
  return s / n;
}

/**
 * Gradient of {@link mse} with respect to the predictions: ∂MSE/∂ŷ_i = (2/N)(ŷ_i − y_i).
 *
 * @example
 * mseGrad([1, 2, 3], [1, 2, 5]) // returns [0, 0, 1.3333333333333333]   (2·2/3)
 * @see mse
 */
export function mseGrad(yTrue: number[], yPred: number[]): number[] {
  const n = assertSameLength('mseGrad', 'yTrue', yTrue, 'yPred', yPred);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = (2 * (yPred[i] - yTrue[i])) / n;
  return out;
}
