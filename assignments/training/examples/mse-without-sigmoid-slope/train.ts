/**
 * Training by full-batch gradient descent.
 * I reuse the loss gradients from the losses assignment: for MSE, ∂L/∂ŷ = 2(ŷ − y)/N; for
 * cross-entropy on logits, ∂L/∂z = (σ(z) − y)/N.
 */

type Vector = number[];
type Matrix = number[][];

function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

function affine(X: Matrix, w: Vector, b: number): Vector {
  return X.map((row) => row.reduce((s, x, j) => s + x * w[j], b));
}

function mseLoss(yTrue: Vector, yPred: Vector): number {
  return yTrue.reduce((s, y, i) => s + (yPred[i] - y) ** 2, 0) / yTrue.length;
}

function mseGrad(yTrue: Vector, yPred: Vector): Vector {
  return yTrue.map((y, i) => (2 * (yPred[i] - y)) / yTrue.length);
}

function bceFromLogits(yTrue: Vector, z: Vector): number {
  return yTrue.reduce((s, y, i) => s + Math.max(z[i], 0) - z[i] * y + Math.log1p(Math.exp(-Math.abs(z[i]))), 0) / yTrue.length;
}

function bceFromLogitsGrad(yTrue: Vector, z: Vector): Vector {
  return yTrue.map((y, i) => (sigmoid(z[i]) - y) / yTrue.length);
}

export function trainBinary(X: Matrix, y: Vector, opts: { loss: 'bce' | 'mse'; lr: number; epochs: number; w0: Vector; b0: number }) {
  const w = opts.w0.slice();
  let b = opts.b0;
  const lossAt = (z: Vector) => (opts.loss === 'bce' ? bceFromLogits(y, z) : mseLoss(y, z.map(sigmoid)));
  const history = [lossAt(affine(X, w, b))];
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    const z = affine(X, w, b);
    const dz = opts.loss === 'bce' ? bceFromLogitsGrad(y, z) : mseGrad(y, z.map(sigmoid));
    for (let j = 0; j < w.length; j++) w[j] -= opts.lr * X.reduce((s, row, i) => s + row[j] * dz[i], 0);
    b -= opts.lr * dz.reduce((s, v) => s + v, 0);
    history.push(lossAt(affine(X, w, b)));
  }
  return { w, b, history };
}

function softmax(row: Vector): Vector {
  const m = Math.max(...row);
  const e = row.map((v) => Math.exp(v - m));
  const s = e.reduce((a, c) => a + c, 0);
  return e.map((v) => v / s);
}

function cceFromLogits(Y: Matrix, Z: Matrix): number {
  let total = 0;
  Z.forEach((row, i) => {
    const m = Math.max(...row);
    const lse = m + Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0));
    row.forEach((z, k) => {
      if (Y[i][k] !== 0) total -= Y[i][k] * (z - lse);
    });
  });
  return total / Y.length;
}

export function trainSoftmax(X: Matrix, Y: Matrix, opts: { lr: number; epochs: number; W0: Matrix; b0: Vector }) {
  const n = X.length;
  const W = opts.W0.map((row) => row.slice());
  const b = opts.b0.slice();
  const logits = () => X.map((row) => b.map((bk, k) => row.reduce((s, x, j) => s + x * W[j][k], bk)));
  const history = [cceFromLogits(Y, logits())];
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    const dZ = logits().map((row, i) => softmax(row).map((p, k) => (p - Y[i][k]) / n));
    const dW = W.map((row, j) => row.map((_, k) => X.reduce((s, x, i) => s + x[j] * dZ[i][k], 0)));
    const db = b.map((_, k) => dZ.reduce((s, row) => s + row[k], 0));
    W.forEach((row, j) => row.forEach((_, k) => (row[k] -= opts.lr * dW[j][k])));
    b.forEach((_, k) => (b[k] -= opts.lr * db[k]));
    history.push(cceFromLogits(Y, logits()));
  }
  return { W, b, history };
}
