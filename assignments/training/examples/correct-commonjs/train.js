'use strict';
/**
 * Gradient-descent trainers in plain JavaScript (CommonJS), using mathjs for the linear algebra.
 *
 * trainBinary(X, y, { loss, lr, epochs, w0, b0 }) → { w, b, history }
 * trainSoftmax(X, Y, { lr, epochs, W0, b0 })      → { W, b, history }
 */
const { multiply, transpose, add, subtract, sum, log1p, exp, abs, max } = require('mathjs');

function sigmoid(z) {
  return z >= 0 ? 1 / (1 + exp(-z)) : exp(z) / (1 + exp(z));
}

function logits(X, w, b) {
  return add(multiply(X, w), b);
}

function binaryLoss(z, y, loss) {
  const terms = z.map((zi, i) => (loss === 'bce' ? max(zi, 0) - zi * y[i] + log1p(exp(-abs(zi))) : (sigmoid(zi) - y[i]) ** 2));
  return sum(terms) / z.length;
}

function trainBinary(X, y, opts) {
  const n = X.length;
  const Xt = transpose(X);
  let w = opts.w0.slice();
  let b = opts.b0;
  const history = [binaryLoss(logits(X, w, b), y, opts.loss)];
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    const z = logits(X, w, b);
    const dz = z.map((zi, i) => {
      const p = sigmoid(zi);
      return opts.loss === 'bce' ? (p - y[i]) / n : (2 * (p - y[i]) * p * sigmoid(-zi)) / n;
    });
    w = subtract(w, multiply(opts.lr, multiply(Xt, dz)));
    b = b - opts.lr * sum(dz);
    history.push(binaryLoss(logits(X, w, b), y, opts.loss));
  }
  return { w, b, history };
}

function softmaxRow(z) {
  const m = max(z);
  const e = z.map((v) => exp(v - m));
  const s = sum(e);
  return e.map((v) => v / s);
}

function categoricalLoss(Z, Y) {
  let total = 0;
  Z.forEach((z, i) => {
    const m = max(z);
    const lse = m + Math.log(sum(z.map((v) => exp(v - m))));
    z.forEach((zk, k) => {
      if (Y[i][k] !== 0) total -= Y[i][k] * (zk - lse);
    });
  });
  return total / Z.length;
}

function softmaxLogits(X, W, b) {
  return multiply(X, W).map((row) => add(row, b));
}

function trainSoftmax(X, Y, opts) {
  const n = X.length;
  const Xt = transpose(X);
  let W = opts.W0.map((row) => row.slice());
  let b = opts.b0.slice();
  const history = [categoricalLoss(softmaxLogits(X, W, b), Y)];
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    const P = softmaxLogits(X, W, b).map(softmaxRow);
    const dZ = P.map((row, i) => row.map((p, k) => (p - Y[i][k]) / n));
    W = subtract(W, multiply(opts.lr, multiply(Xt, dZ)));
    b = subtract(b, multiply(opts.lr, sum(dZ, 0)));
    history.push(categoricalLoss(softmaxLogits(X, W, b), Y));
  }
  return { W, b, history };
}

module.exports = { trainBinary, trainSoftmax };
