/**
 * Training classifiers by full-batch gradient descent — a complete, numerically stable solution.
 *
 * trainBinary: logistic model p = σ(Xw + b), loss 'bce' (binary cross-entropy) or 'mse'
 * (mean squared error of p against y, no ½). trainSoftmax: softmax regression, P = softmax(XW + b)
 * row-wise, categorical cross-entropy on one-hot Y. history[t] is the loss after t updates.
 */

type Vector = number[];
type Matrix = number[][];

export interface TrainBinaryOptions {
  loss: 'bce' | 'mse';
  lr: number;
  epochs: number;
  w0: Vector;
  b0: number;
}

export interface TrainSoftmaxOptions {
  lr: number;
  epochs: number;
  W0: Matrix;
  b0: Vector;
}

/** σ(z) without overflow: only ever exp(−|z|). */
function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** z_i = x_i · w + b for every row. */
function logits(X: Matrix, w: Vector, b: number): Vector {
  return X.map((row) => row.reduce((s, x, j) => s + x * w[j], b));
}

/** Mean loss of the logistic model from its logits. */
function binaryLoss(z: Vector, y: Vector, loss: 'bce' | 'mse'): number {
  let total = 0;
  for (let i = 0; i < z.length; i++) {
    if (loss === 'bce') {
      // max(z, 0) − z·y + ln(1 + e^(−|z|)): exact and finite for any z.
      total += Math.max(z[i], 0) - z[i] * y[i] + Math.log1p(Math.exp(-Math.abs(z[i])));
    } else {
      const p = sigmoid(z[i]);
      total += (p - y[i]) ** 2;
    }
  }
  return total / z.length;
}

/** ∂L/∂z_i for each sample. */
function binaryDz(z: Vector, y: Vector, loss: 'bce' | 'mse'): Vector {
  const n = z.length;
  return z.map((zi, i) => {
    const p = sigmoid(zi);
    if (loss === 'bce') return (p - y[i]) / n; // σ′ cancels
    const slope = p * sigmoid(-zi); // σ′(z) = σ(z)σ(−z)
    return (2 * (p - y[i]) * slope) / n;
  });
}

export function trainBinary(X: Matrix, y: Vector, opts: TrainBinaryOptions): { w: Vector; b: number; history: number[] } {
  const { loss, lr, epochs } = opts;
  const w = opts.w0.slice();
  let b = opts.b0;
  const history = [binaryLoss(logits(X, w, b), y, loss)];
  for (let epoch = 0; epoch < epochs; epoch++) {
    const dz = binaryDz(logits(X, w, b), y, loss);
    for (let j = 0; j < w.length; j++) {
      let dw = 0;
      for (let i = 0; i < X.length; i++) dw += X[i][j] * dz[i];
      w[j] -= lr * dw;
    }
    b -= lr * dz.reduce((s, v) => s + v, 0);
    history.push(binaryLoss(logits(X, w, b), y, loss));
  }
  return { w, b, history };
}

/** Z = XW + b, one row of K logits per sample. */
function softmaxLogits(X: Matrix, W: Matrix, b: Vector): Matrix {
  return X.map((row) => b.map((bk, k) => row.reduce((s, x, j) => s + x * W[j][k], bk)));
}

/** Row-wise softmax, max-shifted. */
function softmax(Z: Matrix): Matrix {
  return Z.map((row) => {
    const m = Math.max(...row);
    const e = row.map((v) => Math.exp(v - m));
    const total = e.reduce((s, v) => s + v, 0);
    return e.map((v) => v / total);
  });
}

/** Mean categorical cross-entropy from logits: −Σ_k y_k (z_k − logsumexp(z)). */
function softmaxLoss(Z: Matrix, Y: Matrix): number {
  let total = 0;
  Z.forEach((row, i) => {
    const m = Math.max(...row);
    const lse = m + Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0));
    row.forEach((z, k) => {
      if (Y[i][k] !== 0) total -= Y[i][k] * (z - lse);
    });
  });
  return total / Z.length;
}

export function trainSoftmax(X: Matrix, Y: Matrix, opts: TrainSoftmaxOptions): { W: Matrix; b: Vector; history: number[] } {
  const { lr, epochs } = opts;
  const n = X.length;
  const W = opts.W0.map((row) => row.slice());
  const b = opts.b0.slice();
  const history = [softmaxLoss(softmaxLogits(X, W, b), Y)];
  for (let epoch = 0; epoch < epochs; epoch++) {
    const P = softmax(softmaxLogits(X, W, b));
    const dZ = P.map((row, i) => row.map((p, k) => (p - Y[i][k]) / n));
    for (let j = 0; j < W.length; j++) {
      for (let k = 0; k < b.length; k++) {
        let g = 0;
        for (let i = 0; i < n; i++) g += X[i][j] * dZ[i][k];
        W[j][k] -= lr * g;
      }
    }
    for (let k = 0; k < b.length; k++) b[k] -= lr * dZ.reduce((s, row) => s + row[k], 0);
    history.push(softmaxLoss(softmaxLogits(X, W, b), Y));
  }
  return { W, b, history };
}
