// Losses assignment — my solution.
// Everything is averaged over the N samples (rows), so every gradient has a 1/N in it.

import { sigmoid, sigmoidScalar, softmax, logSumExp } from './activations';

type Vector = number[];
type Matrix = number[][];

export { sigmoid, softmax };

// ---------------- regression ----------------

export function mse(yTrue: Vector, yPred: Vector): number {
  const n = yTrue.length;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const diff = yPred[i] - yTrue[i];
    total += diff * diff;
  }
  return total / n;
}

export function mseGrad(yTrue: Vector, yPred: Vector): Vector {
  const n = yTrue.length;
  return yPred.map((p, i) => (2 * (p - yTrue[i])) / n);
}

// ---------------- binary cross-entropy ----------------

export function binaryCrossEntropy(yTrue: Vector, p: Vector): number {
  const n = yTrue.length;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const y = yTrue[i];
    // skip terms with zero weight: 0 * log(0) should count as 0, not NaN
    if (y !== 0) total += y * Math.log(p[i]);
    if (y !== 1) total += (1 - y) * Math.log(1 - p[i]);
  }
  return -total / n;
}

export function binaryCrossEntropyGrad(yTrue: Vector, p: Vector): Vector {
  const n = yTrue.length;
  return yTrue.map((y, i) => {
    let g = 0;
    if (y !== 0) g -= y / p[i];
    if (y !== 1) g += (1 - y) / (1 - p[i]);
    return g / n;
  });
}

export function binaryCrossEntropyFromLogits(yTrue: Vector, z: Vector): number {
  const n = yTrue.length;
  let total = 0;
  for (let i = 0; i < n; i++) {
    // stable form: max(z,0) - z*y + log(1 + e^-|z|)
    total += Math.max(z[i], 0) - z[i] * yTrue[i] + Math.log1p(Math.exp(-Math.abs(z[i])));
  }
  return total / n;
}

export function binaryCrossEntropyFromLogitsGrad(yTrue: Vector, z: Vector): Vector {
  const n = yTrue.length;
  // the sigmoid slope cancels out: dL/dz = (sigma(z) - y) / N
  return z.map((zi, i) => (sigmoidScalar(zi) - yTrue[i]) / n);
}

// ---------------- categorical cross-entropy ----------------

export function categoricalCrossEntropy(yTrue: Matrix, p: Matrix): number {
  const n = yTrue.length;
  let total = 0;
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < yTrue[i].length; k++) {
      if (yTrue[i][k] !== 0) total += yTrue[i][k] * Math.log(p[i][k]);
    }
  }
  return -total / n;
}

export function categoricalCrossEntropyGrad(yTrue: Matrix, p: Matrix): Matrix {
  const n = yTrue.length;
  return yTrue.map((row, i) => row.map((y, k) => (y === 0 ? 0 : -y / (n * p[i][k]))));
}

export function categoricalCrossEntropyFromLogits(yTrue: Matrix, z: Matrix): number {
  const n = yTrue.length;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const lse = logSumExp(z[i]);
    for (let k = 0; k < z[i].length; k++) {
      // -log softmax(z)_k = lse - z_k
      if (yTrue[i][k] !== 0) total += yTrue[i][k] * (lse - z[i][k]);
    }
  }
  return total / n;
}

export function categoricalCrossEntropyFromLogitsGrad(yTrue: Matrix, z: Matrix): Matrix {
  const n = yTrue.length;
  const probs = softmax(z);
  return probs.map((row, i) => row.map((pk, k) => (pk - yTrue[i][k]) / n));
}

// ---------------- evaluation ----------------

function argmax(row: number[]): number {
  let best = 0;
  for (let k = 1; k < row.length; k++) {
    if (row[k] > row[best]) best = k;
  }
  return best;
}

export function classificationError(yTrue: Vector, scores: Vector | Matrix): number {
  const n = yTrue.length;
  let wrong = 0;
  for (let i = 0; i < n; i++) {
    const s = scores[i];
    const predicted = Array.isArray(s) ? argmax(s) : s >= 0.5 ? 1 : 0;
    if (predicted !== yTrue[i]) wrong++;
  }
  return wrong / n;
}
