/**
 * The grader's own evaluation of a trained linear classifier — the logistic model
 * p = σ(Xw + b) and softmax regression P = softmax(XW + b) — at given parameters: logits, the
 * training loss (binary cross-entropy, MSE through the sigmoid, categorical cross-entropy, all
 * means over the N samples and computed from the logits) and the classification error.
 *
 * A small, numerically stable implementation of its own: the engine imports no reference, and
 * the held-out checks run in a student kit too, where no reference code exists. Forward
 * evaluation only — no gradient: everything about updates comes from the course's reference
 * when a suite is declared.
 *
 * Parameters are flattened ({@link LinearParameters}): the weights (w, or W row by row, d×K),
 * then the biases ([b], or b).
 */

/** The two linear classifiers the training builders know. */
export type LinearModel = 'logistic' | 'softmax';

/** The loss a model is trained on: 'bce' and 'mse' for the logistic model, 'cce' for softmax regression. */
export type ModelLoss = 'bce' | 'mse' | 'cce';

/** Flattened parameters: the weights (w, or W row by row), then the biases ([b], or b). */
export interface LinearParameters {
  weights: number[];
  biases: number[];
}

/**
 * σ(z) = 1 / (1 + e^(−z)), computed with e^(−|z|) only, so it never overflows.
 *
 * @example
 * sigmoid(0) // returns 0.5
 */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/**
 * Logits of the logistic model, z_i = Σ_j X_ij w_j + b.
 *
 * @example
 * logisticLogits([[1, 2]], { weights: [0.5, -1], biases: [0.25] }) // returns [-1.25]
 */
export function logisticLogits(X: readonly (readonly number[])[], params: LinearParameters): number[] {
  const { weights, biases } = params;
  return X.map((row) => {
    let s = 0;
    for (let j = 0; j < weights.length; j++) s += row[j] * weights[j];
    return s + biases[0];
  });
}

/**
 * Logits of softmax regression, Z_ik = Σ_j X_ij W_jk + b_k, with K = biases.length.
 *
 * @example
 * softmaxLogits([[1]], { weights: [2, -2], biases: [0, 1] }) // returns [[2, -1]]
 */
export function softmaxLogits(X: readonly (readonly number[])[], params: LinearParameters): number[][] {
  const { weights, biases } = params;
  const k = biases.length;
  return X.map((row) => {
    const out = biases.slice();
    for (let j = 0; j < row.length; j++) for (let c = 0; c < k; c++) out[c] += row[j] * weights[j * k + c];
    return out;
  });
}

/** log Σ_c e^(z_c), shifted by the maximum. */
function logSumExp(row: readonly number[]): number {
  const m = Math.max(...row);
  if (!Number.isFinite(m)) return m;
  let s = 0;
  for (const z of row) s += Math.exp(z - m);
  return m + Math.log(s);
}

/**
 * Mean binary cross-entropy from logits: (1/N) Σ_i [max(z_i, 0) − z_i·y_i + ln(1 + e^(−|z_i|))].
 *
 * @example
 * binaryCrossEntropyFromLogits([0], [4]) // returns 4.0181499279178094
 */
export function binaryCrossEntropyFromLogits(y: readonly number[], z: readonly number[]): number {
  let total = 0;
  for (let i = 0; i < z.length; i++) total += Math.max(z[i], 0) - z[i] * y[i] + Math.log1p(Math.exp(-Math.abs(z[i])));
  return total / z.length;
}

/**
 * Mean squared error of σ(z) against y (no ½): (1/N) Σ_i (σ(z_i) − y_i)².
 *
 * @example
 * sigmoidSquaredError([0], [0]) // returns 0.25
 */
export function sigmoidSquaredError(y: readonly number[], z: readonly number[]): number {
  let total = 0;
  for (let i = 0; i < z.length; i++) total += (sigmoid(z[i]) - y[i]) ** 2;
  return total / z.length;
}

/**
 * Mean categorical cross-entropy from logits: (1/N) Σ_i Σ_k Y_ik [logsumexp(Z_i) − Z_ik].
 *
 * @example
 * categoricalCrossEntropyFromLogits([[1, 0]], [[0, 0]]) // returns 0.6931471805599453
 */
export function categoricalCrossEntropyFromLogits(Y: readonly (readonly number[])[], Z: readonly (readonly number[])[]): number {
  let total = 0;
  for (let i = 0; i < Z.length; i++) {
    const lse = logSumExp(Z[i]);
    for (let k = 0; k < Z[i].length; k++) if (Y[i][k] !== 0) total += Y[i][k] * (lse - Z[i][k]);
  }
  return total / Z.length;
}

/**
 * The model's loss at `params`: `labels` are y (0/1) for the logistic model, one-hot Y for
 * softmax regression.
 *
 * @example
 * modelLoss('logistic', [[1]], [0], { weights: [2], biases: [2] }, 'mse') // returns 0.9643510838246173
 */
export function modelLoss(
  model: LinearModel,
  X: readonly (readonly number[])[],
  labels: readonly number[] | readonly (readonly number[])[],
  params: LinearParameters,
  loss: ModelLoss,
): number {
  if (model === 'softmax') return categoricalCrossEntropyFromLogits(labels as number[][], softmaxLogits(X, params));
  const z = logisticLogits(X, params);
  return loss === 'mse' ? sigmoidSquaredError(labels as number[], z) : binaryCrossEntropyFromLogits(labels as number[], z);
}

/**
 * Predicted classes: 1 when σ(z_i) ≥ 0.5, else 0 (logistic); the first argmax of each row of
 * softmax(Z) (softmax regression).
 *
 * @example
 * predictClasses('softmax', [[1]], { weights: [2, -2], biases: [0, 0] }) // returns [0]
 */
export function predictClasses(model: LinearModel, X: readonly (readonly number[])[], params: LinearParameters): number[] {
  if (model === 'logistic') return logisticLogits(X, params).map((z) => (sigmoid(z) >= 0.5 ? 1 : 0));
  return softmaxLogits(X, params).map((row) => {
    const lse = logSumExp(row);
    const p = row.map((z) => Math.exp(z - lse));
    let best = 0;
    for (let c = 1; c < p.length; c++) if (p[c] > p[best]) best = c;
    return best;
  });
}

/**
 * Classification error: the fraction of samples whose predicted class differs from `classes`.
 *
 * @example
 * classificationErrorAt('logistic', [[1], [-1]], [1, 1], { weights: [3], biases: [0] }) // returns 0.5
 */
export function classificationErrorAt(
  model: LinearModel,
  X: readonly (readonly number[])[],
  classes: readonly number[],
  params: LinearParameters,
): number {
  const predicted = predictClasses(model, X, params);
  let wrong = 0;
  for (let i = 0; i < classes.length; i++) if (predicted[i] !== classes[i]) wrong++;
  return wrong / classes.length;
}

/**
 * The class index of each one-hot row (its first maximum).
 *
 * @example
 * classesOfOneHot([[0, 1], [1, 0]]) // returns [1, 0]
 */
export function classesOfOneHot(Y: readonly (readonly number[])[]): number[] {
  return Y.map((row) => row.reduce((best, v, c) => (v > row[best] ? c : best), 0));
}
