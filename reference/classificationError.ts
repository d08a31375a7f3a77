/**
 * Classification error: the fraction of samples whose predicted label differs from the true one.
 */
import { assertMatrix, assertVector, describeValue } from '../src/arguments';

/**
 * Classification error = (number misclassified) / N.
 *
 * - `scores: number[]` — probabilities of class 1; the predicted label is 1 when p ≥ 0.5, else 0.
 *   `yTrue` must then hold 0/1 labels.
 * - `scores: number[][]` — one row of K class scores (probabilities or logits) per sample; the
 *   predicted label is the row's argmax, the first maximum on ties. `yTrue` must then hold integer
 *   class indices in [0, K).
 *
 * @example
 * classificationError([1, 0, 1], [0.9, 0.4, 0.2])                  // returns 0.3333333333333333
 * classificationError([2, 0], [[0.1, 0.2, 0.7], [0.5, 0.5, 0]])    // returns 0   (tie → first max, 0)
 * @see categoricalCrossEntropy
 */
export function classificationError(yTrue: number[], scores: number[] | number[][]): number {
  const fn = 'classificationError';
  assertVector(fn, 'yTrue', yTrue);
  if (!Array.isArray(scores)) {
    throw new TypeError(`${fn}: scores must be number[] or number[][], got ${describeValue(scores)}`);
  }
  if (scores.length === 0) throw new RangeError(`${fn}: scores is empty`);
  if (scores.length !== yTrue.length) {
    throw new RangeError(`${fn}: yTrue has length ${yTrue.length} but scores has length ${scores.length}`);
  }
  const n = yTrue.length;
  let wrong = 0;
  if (Array.isArray(scores[0])) {
    const { cols: k } = assertMatrix(fn, 'scores', scores);
    const rows = scores as number[][];
    for (let i = 0; i < n; i++) {
      const label = yTrue[i];
      if (!Number.isInteger(label) || label < 0 || label >= k) {
        throw new RangeError(`${fn}: yTrue[${i}] must be a class index in [0, ${k}), got ${describeValue(label)}`);
      }
      const row = rows[i];
      let best = 0;
      for (let j = 1; j < k; j++) if (row[j] > row[best]) best = j;
      if (best !== label) wrong++;
    }
  } else {
    assertVector(fn, 'scores', scores);
    const p = scores as number[];
    for (let i = 0; i < n; i++) {
      const label = yTrue[i];
      if (label !== 0 && label !== 1) {
        throw new RangeError(`${fn}: yTrue[${i}] must be 0 or 1 when scores are probabilities, got ${describeValue(label)}`);
      }
      const predicted = p[i] >= 0.5 ? 1 : 0;
      if (predicted !== label) wrong++;
    }
  }
  return wrong / n;
}
