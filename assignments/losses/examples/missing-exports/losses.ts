// Losses assignment.
// All losses are averaged over the N samples (rows); the gradients are gradients of that mean.

type Vector = number[];
type Matrix = number[][];

// ===== activations =====

export function sigmoid(z: Vector): Vector {
  // two branches so that Math.exp never gets a big positive number
  return z.map((v) => (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v))));
}

export function softmax(z: Matrix): Matrix {
  const out: Matrix = [];
  for (const row of z) {
    const m = Math.max(...row); // max-shift: exp(v - m) <= 1
    const exps = row.map((v) => Math.exp(v - m));
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
    if (y !== 0) sum += y * Math.log(p[i]); // skip 0 * log(0)
    if (y !== 1) sum += (1 - y) * Math.log(1 - p[i]);
  }
  return -sum / yTrue.length;
}

export function binaryCrossEntropyGrad(yTrue: Vector, p: Vector): Vector {
  const n = yTrue.length;
  const grad: Vector = [];
  for (let i = 0; i < n; i++) {
    const y = yTrue[i];
    let g = 0;
    if (y !== 0) g += -y / p[i];
    if (y !== 1) g += (1 - y) / (1 - p[i]);
    grad.push(g / n);
  }
  return grad;
}

export function binaryCrossEntropyFromLogits(yTrue: Vector, z: Vector): number {
  let sum = 0;
  for (let i = 0; i < z.length; i++) {
    sum += Math.max(z[i], 0) - z[i] * yTrue[i] + Math.log1p(Math.exp(-Math.abs(z[i])));
  }
  return sum / z.length;
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
      if (yTrue[i][k] !== 0) sum += yTrue[i][k] * Math.log(p[i][k]);
    }
  }
  return -sum / yTrue.length;
}

function categoricalCrossEntropyGrad(yTrue: Matrix, p: Matrix): Matrix {
  const n = yTrue.length;
  return yTrue.map((row, i) => row.map((y, k) => (y === 0 ? 0 : -y / (n * p[i][k]))));
}

export function categoricalCrossEntropyFromLogits(yTrue: Matrix, z: Matrix): number {
  let sum = 0;
  for (let i = 0; i < z.length; i++) {
    const m = Math.max(...z[i]);
    let s = 0;
    for (const v of z[i]) s += Math.exp(v - m);
    const logSumExp = m + Math.log(s);
    for (let k = 0; k < z[i].length; k++) {
      // -log softmax = logSumExp - z
      if (yTrue[i][k] !== 0) sum += yTrue[i][k] * (logSumExp - z[i][k]);
    }
  }
  return sum / z.length;
}

export function categoricalCrossEntropyFromLogitsGrad(yTrue: Matrix, z: Matrix): Matrix {
  const n = yTrue.length;
  const p = softmax(z);
  return p.map((row, i) => row.map((pk, k) => (pk - yTrue[i][k]) / n));
}

// ===== evaluation =====

function classificationError(yTrue: Vector, scores: Vector | Matrix): number {
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
