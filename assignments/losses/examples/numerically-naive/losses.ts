// Losses assignment — straight from the lecture formulas.
// All losses are averaged over the N samples (rows); the gradients are gradients of that mean.

type Vector = number[];
type Matrix = number[][];

// ===== activations =====

export function sigmoid(z: Vector): Vector {
  return z.map((v) => 1 / (1 + Math.exp(-v)));
}

export function softmax(z: Matrix): Matrix {
  const out: Matrix = [];
  for (const row of z) {
    const exps = row.map((v) => Math.exp(v));
    const total = exps.reduce((a, b) => a + b, 0);
    out.push(exps.map((e) => e / total));
  }
  return out;
}

// ===== mean squared error =====

export function mse(yTrue: Vector, yPred: Vector): number {
  let sum = 0;
  for (let i = 0; i < yTrue.length; i++) {
    sum += (yPred[i] - yTrue[i]) ** 2;
  }
  return sum / yTrue.length;
}

export function mseGrad(yTrue: Vector, yPred: Vector): Vector {
  const n = yTrue.length;
  return yPred.map((p, i) => (2 / n) * (p - yTrue[i]));
}

// ===== binary cross-entropy =====

export function binaryCrossEntropy(yTrue: Vector, p: Vector): number {
  let sum = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const y = yTrue[i];
    sum += y * Math.log(p[i]) + (1 - y) * Math.log(1 - p[i]);
  }
  return -sum / yTrue.length;
}

export function binaryCrossEntropyGrad(yTrue: Vector, p: Vector): Vector {
  const n = yTrue.length;
  const grad: Vector = [];
  for (let i = 0; i < n; i++) {
    const y = yTrue[i];
    grad.push((-y / p[i] + (1 - y) / (1 - p[i])) / n);
  }
  return grad;
}

export function binaryCrossEntropyFromLogits(yTrue: Vector, z: Vector): number {
  // p = sigmoid(z), then the usual binary cross-entropy
  return binaryCrossEntropy(yTrue, sigmoid(z));
}

export function binaryCrossEntropyFromLogitsGrad(yTrue: Vector, z: Vector): Vector {
  const n = yTrue.length;
  const s = sigmoid(z);
  return s.map((si, i) => (si - yTrue[i]) / n);
}

// ===== categorical cross-entropy =====

export function categoricalCrossEntropy(yTrue: Matrix, p: Matrix): number {
  let sum = 0;
  for (let i = 0; i < yTrue.length; i++) {
    for (let k = 0; k < yTrue[i].length; k++) {
      sum += yTrue[i][k] * Math.log(p[i][k]);
    }
  }
  return -sum / yTrue.length;
}

export function categoricalCrossEntropyGrad(yTrue: Matrix, p: Matrix): Matrix {
  const n = yTrue.length;
  return yTrue.map((row, i) => row.map((y, k) => -y / (n * p[i][k])));
}

export function categoricalCrossEntropyFromLogits(yTrue: Matrix, z: Matrix): number {
  // p = softmax(z), then the usual categorical cross-entropy
  return categoricalCrossEntropy(yTrue, softmax(z));
}

export function categoricalCrossEntropyFromLogitsGrad(yTrue: Matrix, z: Matrix): Matrix {
  const n = yTrue.length;
  const p = softmax(z);
  return p.map((row, i) => row.map((pk, k) => (pk - yTrue[i][k]) / n));
}

// ===== evaluation =====

export function classificationError(yTrue: Vector, scores: Vector | Matrix): number {
  let wrong = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const s = scores[i];
    let pred: number;
    if (typeof s === 'number') {
      pred = s >= 0.5 ? 1 : 0;
    } else {
      pred = 0;
      for (let k = 1; k < s.length; k++) {
        if (s[k] > s[pred]) pred = k;
      }
    }
    if (pred !== yTrue[i]) wrong++;
  }
  return wrong / yTrue.length;
}
