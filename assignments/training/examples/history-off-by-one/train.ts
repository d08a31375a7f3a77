/**
 * Gradient-descent trainers. Each epoch: compute the loss (for the learning curve), then the
 * gradient, then update the parameters.
 */

export type BinaryLoss = 'bce' | 'mse';

const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

export function trainBinary(
  X: number[][],
  y: number[],
  opts: { loss: BinaryLoss; lr: number; epochs: number; w0: number[]; b0: number },
): { w: number[]; b: number; history: number[] } {
  const n = X.length;
  const d = opts.w0.length;
  const w = opts.w0.slice();
  let b = opts.b0;
  const history: number[] = [];
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    const z = X.map((row) => row.reduce((s, x, j) => s + x * w[j], b));
    const p = z.map(sigmoid);
    // learning curve: loss at the current parameters
    let loss = 0;
    for (let i = 0; i < n; i++) {
      loss += opts.loss === 'bce' ? Math.max(z[i], 0) - z[i] * y[i] + Math.log1p(Math.exp(-Math.abs(z[i]))) : (p[i] - y[i]) ** 2;
    }
    history.push(loss / n);
    // gradient step
    const dz = p.map((pi, i) => (opts.loss === 'bce' ? (pi - y[i]) / n : (2 * (pi - y[i]) * pi * (1 - pi)) / n));
    for (let j = 0; j < d; j++) w[j] -= opts.lr * dz.reduce((s, g, i) => s + g * X[i][j], 0);
    b -= opts.lr * dz.reduce((s, g) => s + g, 0);
  }
  return { w, b, history };
}

export function trainSoftmax(
  X: number[][],
  Y: number[][],
  opts: { lr: number; epochs: number; W0: number[][]; b0: number[] },
): { W: number[][]; b: number[]; history: number[] } {
  const n = X.length;
  const K = opts.b0.length;
  const W = opts.W0.map((row) => row.slice());
  const b = opts.b0.slice();
  const history: number[] = [];
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    const Z = X.map((row) => b.map((bk, k) => row.reduce((s, x, j) => s + x * W[j][k], bk)));
    let loss = 0;
    const P = Z.map((row, i) => {
      const m = Math.max(...row);
      const e = row.map((v) => Math.exp(v - m));
      const s = e.reduce((a, c) => a + c, 0);
      const lse = m + Math.log(s);
      for (let k = 0; k < K; k++) if (Y[i][k] !== 0) loss -= Y[i][k] * (row[k] - lse);
      return e.map((v) => v / s);
    });
    history.push(loss / n);
    for (let k = 0; k < K; k++) {
      const dz = P.map((row, i) => (row[k] - Y[i][k]) / n);
      for (let j = 0; j < W.length; j++) W[j][k] -= opts.lr * dz.reduce((s, g, i) => s + g * X[i][j], 0);
      b[k] -= opts.lr * dz.reduce((s, g) => s + g, 0);
    }
  }
  return { W, b, history };
}
