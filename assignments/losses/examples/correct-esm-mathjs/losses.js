// Losses assignment — JavaScript, ES modules, using mathjs for the reductions.
import { sum, max, exp, log, log1p, abs } from 'mathjs';

const mean = (xs) => sum(xs) / xs.length;

/** sigma(z) without overflow: only ever exponentiate a non-positive number */
const sigmoidOne = (z) => (z >= 0 ? 1 / (1 + exp(-z)) : exp(z) / (1 + exp(z)));

/** log(sum(exp(row))) = m + log(sum(exp(row - m))) */
const logSumExp = (row) => {
  const m = max(row);
  return m + log(sum(row.map((v) => exp(v - m))));
};

const argmax = (row) => row.reduce((best, v, k) => (v > row[best] ? k : best), 0);

export function sigmoid(z) {
  return z.map(sigmoidOne);
}

export function softmax(z) {
  return z.map((row) => {
    const m = max(row);
    const e = row.map((v) => exp(v - m));
    const total = sum(e);
    return e.map((v) => v / total);
  });
}

export function mse(yTrue, yPred) {
  return mean(yTrue.map((y, i) => (yPred[i] - y) * (yPred[i] - y)));
}

export function mseGrad(yTrue, yPred) {
  return yTrue.map((y, i) => (2 * (yPred[i] - y)) / yTrue.length);
}

export function binaryCrossEntropy(yTrue, p) {
  // y*log(p) is only evaluated when y != 0, (1-y)*log(1-p) only when y != 1
  const losses = yTrue.map((y, i) => -((y !== 0 ? y * log(p[i]) : 0) + (y !== 1 ? (1 - y) * log(1 - p[i]) : 0)));
  return mean(losses);
}

export function binaryCrossEntropyGrad(yTrue, p) {
  const n = yTrue.length;
  return yTrue.map((y, i) => ((y !== 0 ? -y / p[i] : 0) + (y !== 1 ? (1 - y) / (1 - p[i]) : 0)) / n);
}

export function binaryCrossEntropyFromLogits(yTrue, z) {
  return mean(z.map((zi, i) => Math.max(zi, 0) - zi * yTrue[i] + log1p(exp(-abs(zi)))));
}

export function binaryCrossEntropyFromLogitsGrad(yTrue, z) {
  return z.map((zi, i) => (sigmoidOne(zi) - yTrue[i]) / yTrue.length);
}

export function categoricalCrossEntropy(yTrue, p) {
  const perSample = yTrue.map((row, i) => -row.reduce((acc, y, k) => (y !== 0 ? acc + y * log(p[i][k]) : acc), 0));
  return mean(perSample);
}

export function categoricalCrossEntropyGrad(yTrue, p) {
  const n = yTrue.length;
  return yTrue.map((row, i) => row.map((y, k) => (y !== 0 ? -y / (n * p[i][k]) : 0)));
}

export function categoricalCrossEntropyFromLogits(yTrue, z) {
  const perSample = z.map((row, i) => {
    const lse = logSumExp(row);
    return row.reduce((acc, zk, k) => (yTrue[i][k] !== 0 ? acc + yTrue[i][k] * (lse - zk) : acc), 0);
  });
  return mean(perSample);
}

export function categoricalCrossEntropyFromLogitsGrad(yTrue, z) {
  const n = yTrue.length;
  return softmax(z).map((row, i) => row.map((pk, k) => (pk - yTrue[i][k]) / n));
}

export function classificationError(yTrue, scores) {
  const predictions = scores.map((s) => (Array.isArray(s) ? argmax(s) : s >= 0.5 ? 1 : 0));
  return predictions.filter((pred, i) => pred !== yTrue[i]).length / yTrue.length;
}
