// Losses assignment (plain JavaScript, CommonJS).
// I use mathjs for sums and a few elementwise functions; the stability tricks are done by hand.
'use strict';

const math = require('mathjs');
const { exp, log, log1p } = require('mathjs');

// numerically stable sigmoid of one number
function sig(z) {
  if (z >= 0) return 1 / (1 + exp(-z));
  const e = exp(z);
  return e / (1 + e);
}

function sigmoid(z) {
  return z.map(sig);
}

function softmaxRow(row) {
  const m = math.max(row); // subtract the max so exp() can't overflow
  const e = row.map((v) => exp(v - m));
  const s = math.sum(e);
  return e.map((v) => v / s);
}

function softmax(z) {
  return z.map(softmaxRow);
}

function mse(yTrue, yPred) {
  const sq = yTrue.map((y, i) => (yPred[i] - y) ** 2);
  return math.sum(sq) / yTrue.length;
}

function mseGrad(yTrue, yPred) {
  const n = yTrue.length;
  return yTrue.map((y, i) => (2 / n) * (yPred[i] - y));
}

function binaryCrossEntropy(yTrue, p) {
  const terms = yTrue.map((y, i) => {
    let t = 0;
    if (y !== 0) t += y * log(p[i]);
    if (y !== 1) t += (1 - y) * log(1 - p[i]);
    return t;
  });
  return -math.sum(terms) / yTrue.length;
}

function binaryCrossEntropyGrad(yTrue, p) {
  const n = yTrue.length;
  return yTrue.map((y, i) => {
    let g = 0;
    if (y !== 0) g += -y / p[i];
    if (y !== 1) g += (1 - y) / (1 - p[i]);
    return g / n;
  });
}

function binaryCrossEntropyFromLogits(yTrue, z) {
  const terms = z.map((zi, i) => Math.max(zi, 0) - zi * yTrue[i] + log1p(exp(-Math.abs(zi))));
  return math.sum(terms) / yTrue.length;
}

function binaryCrossEntropyFromLogitsGrad(yTrue, z) {
  const n = yTrue.length;
  return z.map((zi, i) => (sig(zi) - yTrue[i]) / n);
}

function categoricalCrossEntropy(yTrue, p) {
  let total = 0;
  yTrue.forEach((row, i) => {
    row.forEach((y, k) => {
      if (y !== 0) total += y * log(p[i][k]);
    });
  });
  return -total / yTrue.length;
}

function categoricalCrossEntropyGrad(yTrue, p) {
  const n = yTrue.length;
  return yTrue.map((row, i) => row.map((y, k) => (y === 0 ? 0 : -y / (n * p[i][k]))));
}

function logSumExp(row) {
  const m = math.max(row);
  return m + log(math.sum(row.map((v) => exp(v - m))));
}

function categoricalCrossEntropyFromLogits(yTrue, z) {
  let total = 0;
  z.forEach((row, i) => {
    const lse = logSumExp(row);
    row.forEach((zk, k) => {
      if (yTrue[i][k] !== 0) total += yTrue[i][k] * (lse - zk);
    });
  });
  return total / yTrue.length;
}

function categoricalCrossEntropyFromLogitsGrad(yTrue, z) {
  const n = yTrue.length;
  return softmax(z).map((row, i) => row.map((pk, k) => (pk - yTrue[i][k]) / n));
}

function classificationError(yTrue, scores) {
  let wrong = 0;
  yTrue.forEach((y, i) => {
    const s = scores[i];
    let predicted;
    if (Array.isArray(s)) {
      predicted = 0;
      for (let k = 1; k < s.length; k++) if (s[k] > s[predicted]) predicted = k;
    } else {
      predicted = s >= 0.5 ? 1 : 0;
    }
    if (predicted !== y) wrong += 1;
  });
  return wrong / yTrue.length;
}

module.exports = {
  sigmoid,
  softmax,
  mse,
  mseGrad,
  binaryCrossEntropy,
  binaryCrossEntropyGrad,
  binaryCrossEntropyFromLogits,
  binaryCrossEntropyFromLogitsGrad,
  categoricalCrossEntropy,
  categoricalCrossEntropyGrad,
  categoricalCrossEntropyFromLogits,
  categoricalCrossEntropyFromLogitsGrad,
  classificationError,
};
