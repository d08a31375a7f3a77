// Assignment "training": gradient descent for logistic and softmax regression.

type Vector = number[];
type Matrix = number[][];

interface BinaryOpts {
  loss: 'bce' | 'mse';
  lr: number;
  epochs: number;
  w0: Vector;
  b0: number;
}

interface SoftmaxOpts {
  lr: number;
  epochs: number;
  W0: Matrix;
  b0: Vector;
}

const sigmoid = (z: number): number => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

function forward(X: Matrix, w: Vector, b: number): Vector {
  return X.map((x) => {
    let z = b;
    for (let j = 0; j < w.length; j++) z += x[j] * w[j];
    return z;
  });
}

function lossOf(z: Vector, y: Vector, kind: 'bce' | 'mse'): number {
  let sum = 0;
  for (let i = 0; i < z.length; i++) {
    if (kind === 'bce') sum += Math.max(z[i], 0) - z[i] * y[i] + Math.log1p(Math.exp(-Math.abs(z[i])));
    else sum += (sigmoid(z[i]) - y[i]) ** 2;
  }
  return sum / z.length;
}

export function trainBinary(X: Matrix, y: Vector, opts: BinaryOpts) {
  const n = X.length;
  const w = [...opts.w0];
  let b = opts.b0;
  const history: number[] = [lossOf(forward(X, w, b), y, opts.loss)];
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    const z = forward(X, w, b);
    // error signal per sample
    const delta = z.map((zi, i) => {
      const a = sigmoid(zi);
      return opts.loss === 'bce' ? (a - y[i]) / n : (2 * (a - y[i]) * a * (1 - a)) / n;
    });
    const gw = w.map((_, j) => delta.reduce((s, d, i) => s + d * X[i][j], 0));
    const gb = delta.reduce((s, d) => s + d, 0);
    // take a step along the gradient
    for (let j = 0; j < w.length; j++) w[j] += opts.lr * gw[j];
    b += opts.lr * gb;
    history.push(lossOf(forward(X, w, b), y, opts.loss));
  }
  return { w, b, history };
}

function scores(X: Matrix, W: Matrix, b: Vector): Matrix {
  return X.map((x) => b.map((bk, k) => x.reduce((s, xj, j) => s + xj * W[j][k], bk)));
}

function crossEntropy(Z: Matrix, Y: Matrix): number {
  let total = 0;
  for (let i = 0; i < Z.length; i++) {
    const m = Math.max(...Z[i]);
    const lse = m + Math.log(Z[i].reduce((s, v) => s + Math.exp(v - m), 0));
    for (let k = 0; k < Z[i].length; k++) if (Y[i][k] !== 0) total -= Y[i][k] * (Z[i][k] - lse);
  }
  return total / Z.length;
}

export function trainSoftmax(X: Matrix, Y: Matrix, opts: SoftmaxOpts) {
  const n = X.length;
  const W = opts.W0.map((row) => [...row]);
  const b = [...opts.b0];
  const history: number[] = [crossEntropy(scores(X, W, b), Y)];
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    const Z = scores(X, W, b);
    const P = Z.map((row) => {
      const m = Math.max(...row);
      const e = row.map((v) => Math.exp(v - m));
      const s = e.reduce((a, c) => a + c, 0);
      return e.map((v) => v / s);
    });
    for (let k = 0; k < b.length; k++) {
      let gb = 0;
      for (let i = 0; i < n; i++) gb += (P[i][k] - Y[i][k]) / n;
      for (let j = 0; j < W.length; j++) {
        let g = 0;
        for (let i = 0; i < n; i++) g += (X[i][j] * (P[i][k] - Y[i][k])) / n;
        W[j][k] += opts.lr * g;
      }
      b[k] += opts.lr * gb;
    }
    history.push(crossEntropy(scores(X, W, b), Y));
  }
  return { W, b, history };
}
