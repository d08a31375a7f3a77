// Gradient-descent trainers for the "training" assignment.

type Vector = number[];
type Matrix = number[][];

/** One gradient-descent step: params ← params − lr·grad. Returns the updated parameters. */
function sgdStep(params: Vector, grad: Vector, lr: number): Vector {
  for (let i = 0; i < params.length; i++) params[i] -= lr * grad[i];
  return params.map((p, i) => p - lr * grad[i]);
}

function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

function logits(X: Matrix, w: Vector, b: number): Vector {
  return X.map((x) => x.reduce((s, xj, j) => s + xj * w[j], b));
}

function loss(z: Vector, y: Vector, kind: 'bce' | 'mse'): number {
  const terms = z.map((zi, i) => (kind === 'bce' ? Math.max(zi, 0) - zi * y[i] + Math.log1p(Math.exp(-Math.abs(zi))) : (sigmoid(zi) - y[i]) ** 2));
  return terms.reduce((a, c) => a + c, 0) / z.length;
}

export function trainBinary(X: Matrix, y: Vector, opts: { loss: 'bce' | 'mse'; lr: number; epochs: number; w0: Vector; b0: number }) {
  const n = X.length;
  let params = [...opts.w0, opts.b0]; // weights, then the bias
  const split = (p: Vector) => ({ w: p.slice(0, -1), b: p[p.length - 1] });
  const history = [loss(logits(X, opts.w0, opts.b0), y, opts.loss)];
  for (let t = 0; t < opts.epochs; t++) {
    const { w, b } = split(params);
    const dz = logits(X, w, b).map((zi, i) => {
      const p = sigmoid(zi);
      return opts.loss === 'bce' ? (p - y[i]) / n : (2 * (p - y[i]) * p * sigmoid(-zi)) / n;
    });
    const grad = [...w.map((_, j) => dz.reduce((s, g, i) => s + g * X[i][j], 0)), dz.reduce((s, g) => s + g, 0)];
    params = sgdStep(params, grad, opts.lr);
    const next = split(params);
    history.push(loss(logits(X, next.w, next.b), y, opts.loss));
  }
  return { ...split(params), history };
}

function cce(X: Matrix, Y: Matrix, W: Matrix, b: Vector): { loss: number; P: Matrix } {
  let total = 0;
  const P = X.map((x, i) => {
    const z = b.map((bk, k) => x.reduce((s, xj, j) => s + xj * W[j][k], bk));
    const m = Math.max(...z);
    const e = z.map((v) => Math.exp(v - m));
    const s = e.reduce((a, c) => a + c, 0);
    z.forEach((zk, k) => {
      if (Y[i][k] !== 0) total -= Y[i][k] * (zk - m - Math.log(s));
    });
    return e.map((v) => v / s);
  });
  return { loss: total / X.length, P };
}

export function trainSoftmax(X: Matrix, Y: Matrix, opts: { lr: number; epochs: number; W0: Matrix; b0: Vector }) {
  const n = X.length;
  let W = opts.W0.map((row) => row.slice());
  let b = opts.b0.slice();
  const history = [cce(X, Y, W, b).loss];
  for (let t = 0; t < opts.epochs; t++) {
    const { P } = cce(X, Y, W, b);
    const dZ = P.map((row, i) => row.map((p, k) => (p - Y[i][k]) / n));
    W = W.map((row, j) => sgdStep(row, row.map((_, k) => dZ.reduce((s, dz, i) => s + X[i][j] * dz[k], 0)), opts.lr));
    b = sgdStep(b, b.map((_, k) => dZ.reduce((s, dz) => s + dz[k], 0)), opts.lr);
    history.push(cce(X, Y, W, b).loss);
  }
  return { W, b, history };
}
