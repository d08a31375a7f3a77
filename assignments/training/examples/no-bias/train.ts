/**
 * Homework: training a logistic classifier and a softmax classifier with batch gradient descent.
 */
import { dot, multiply, transpose } from 'mathjs';

export type Loss = 'bce' | 'mse';

function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

function predictLogits(X: number[][], w: number[], b: number): number[] {
  return X.map((row) => dot(row, w) + b);
}

function meanLoss(z: number[], y: number[], loss: Loss): number {
  const terms = z.map((zi, i) => {
    if (loss === 'mse') return (sigmoid(zi) - y[i]) ** 2;
    return Math.max(zi, 0) - zi * y[i] + Math.log1p(Math.exp(-Math.abs(zi)));
  });
  return terms.reduce((a, b) => a + b, 0) / terms.length;
}

export function trainBinary(X: number[][], y: number[], opts: { loss: Loss; lr: number; epochs: number; w0: number[]; b0: number }) {
  const n = X.length;
  let w = opts.w0.slice();
  const b = opts.b0;
  const history = [meanLoss(predictLogits(X, w, b), y, opts.loss)];
  const Xt = transpose(X) as number[][];
  for (let t = 0; t < opts.epochs; t++) {
    const z = predictLogits(X, w, b);
    const dz = z.map((zi, i) => {
      const p = sigmoid(zi);
      return opts.loss === 'bce' ? (p - y[i]) / n : (2 * (p - y[i]) * p * (1 - p)) / n;
    });
    const dw = multiply(Xt, dz) as number[]; // Xᵀ dz
    w = w.map((wj, j) => wj - opts.lr * dw[j]);
    history.push(meanLoss(predictLogits(X, w, b), y, opts.loss));
  }
  return { w, b, history };
}

function softmaxRows(Z: number[][]): number[][] {
  return Z.map((row) => {
    const m = Math.max(...row);
    const e = row.map((v) => Math.exp(v - m));
    const s = e.reduce((a, c) => a + c, 0);
    return e.map((v) => v / s);
  });
}

function cce(Z: number[][], Y: number[][]): number {
  let total = 0;
  Z.forEach((row, i) => {
    const m = Math.max(...row);
    const lse = m + Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0));
    row.forEach((z, k) => {
      if (Y[i][k]) total += Y[i][k] * (lse - z);
    });
  });
  return total / Z.length;
}

export function trainSoftmax(X: number[][], Y: number[][], opts: { lr: number; epochs: number; W0: number[][]; b0: number[] }) {
  const n = X.length;
  let W = opts.W0.map((row) => row.slice());
  const b = opts.b0.slice();
  const logits = () => X.map((row) => b.map((bk, k) => row.reduce((s, x, j) => s + x * W[j][k], bk)));
  const history = [cce(logits(), Y)];
  const Xt = transpose(X) as number[][];
  for (let t = 0; t < opts.epochs; t++) {
    const P = softmaxRows(logits());
    const dZ = P.map((row, i) => row.map((p, k) => (p - Y[i][k]) / n));
    const dW = multiply(Xt, dZ) as number[][]; // d×K
    W = W.map((row, j) => row.map((v, k) => v - opts.lr * dW[j][k]));
    history.push(cce(logits(), Y));
  }
  return { W, b, history };
}
