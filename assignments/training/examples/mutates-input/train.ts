// train.ts — gradient descent trainers (logistic regression, softmax regression)

type Vec = number[];
type Mat = number[][];

function sig(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

function z(X: Mat, w: Vec, b: number): Vec {
  const out: Vec = [];
  for (const row of X) {
    let s = b;
    for (let j = 0; j < row.length; j++) s += row[j] * w[j];
    out.push(s);
  }
  return out;
}

function bce(zs: Vec, y: Vec): number {
  let s = 0;
  for (let i = 0; i < zs.length; i++) s += Math.max(zs[i], 0) - zs[i] * y[i] + Math.log1p(Math.exp(-Math.abs(zs[i])));
  return s / zs.length;
}

function mse(zs: Vec, y: Vec): number {
  let s = 0;
  for (let i = 0; i < zs.length; i++) s += (sig(zs[i]) - y[i]) ** 2;
  return s / zs.length;
}

export function trainBinary(X: Mat, y: Vec, opts: { loss: 'bce' | 'mse'; lr: number; epochs: number; w0: Vec; b0: number }) {
  const n = X.length;
  const loss = opts.loss === 'bce' ? bce : mse;
  const w = opts.w0; // start from the initial weights
  let b = opts.b0;
  const history = [loss(z(X, w, b), y)];
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    const zs = z(X, w, b);
    const dz = zs.map((zi, i) => {
      const p = sig(zi);
      return opts.loss === 'bce' ? (p - y[i]) / n : (2 * (p - y[i]) * p * (1 - p)) / n;
    });
    for (let j = 0; j < w.length; j++) {
      let g = 0;
      for (let i = 0; i < n; i++) g += X[i][j] * dz[i];
      w[j] -= opts.lr * g;
    }
    b -= opts.lr * dz.reduce((a, c) => a + c, 0);
    history.push(loss(z(X, w, b), y));
  }
  return { w, b, history };
}

function logitsMatrix(X: Mat, W: Mat, b: Vec): Mat {
  return X.map((row) => b.map((bk, k) => row.reduce((s, x, j) => s + x * W[j][k], bk)));
}

function cce(Z: Mat, Y: Mat): number {
  let s = 0;
  for (let i = 0; i < Z.length; i++) {
    const m = Math.max(...Z[i]);
    const lse = m + Math.log(Z[i].reduce((a, v) => a + Math.exp(v - m), 0));
    for (let k = 0; k < Z[i].length; k++) if (Y[i][k] !== 0) s -= Y[i][k] * (Z[i][k] - lse);
  }
  return s / Z.length;
}

export function trainSoftmax(X: Mat, Y: Mat, opts: { lr: number; epochs: number; W0: Mat; b0: Vec }) {
  const n = X.length;
  const W = opts.W0.slice(); // copy so the caller's W0 is safe
  const b = opts.b0.slice();
  const history = [cce(logitsMatrix(X, W, b), Y)];
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    const Z = logitsMatrix(X, W, b);
    const P = Z.map((row) => {
      const m = Math.max(...row);
      const e = row.map((v) => Math.exp(v - m));
      const s = e.reduce((a, c) => a + c, 0);
      return e.map((v) => v / s);
    });
    for (let k = 0; k < b.length; k++) {
      let gb = 0;
      const gW = new Array(W.length).fill(0);
      for (let i = 0; i < n; i++) {
        const d = (P[i][k] - Y[i][k]) / n;
        gb += d;
        for (let j = 0; j < W.length; j++) gW[j] += X[i][j] * d;
      }
      for (let j = 0; j < W.length; j++) W[j][k] -= opts.lr * gW[j];
      b[k] -= opts.lr * gb;
    }
    history.push(cce(logitsMatrix(X, W, b), Y));
  }
  return { W, b, history };
}
