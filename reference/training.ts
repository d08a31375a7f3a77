/**
 * Full-batch gradient-descent trainers for a logistic (one-output) model and a softmax-regression
 * model, with the loss and gradient at given parameters exposed for checking.
 *
 * Conventions: X is N×d (one sample per row); every loss is the mean over the N samples;
 * `history[t]` is the loss after t updates, t = 0..epochs. Inputs are never modified.
 */
import { sigmoid, sigmoidScalar, softmax } from './activations';
import { binaryCrossEntropyFromLogits } from './binaryCrossEntropy';
import { categoricalCrossEntropyFromLogits } from './categoricalCrossEntropy';
import { mse } from './mse';
import { affineMatrix, affineVector, copyMatrix } from './_internals/linalg';
import {
  assertFinite,
  assertInteger,
  assertMatrix,
  assertVector,
  describeValue,
} from '../src/arguments';

/** Loss used by {@link trainBinary}: binary cross-entropy or squared error on the sigmoid output. */
export type BinaryLoss = 'bce' | 'mse';

/** Options of {@link trainBinary}. */
export interface TrainBinaryOptions {
  /** 'bce': mean binary cross-entropy (from logits); 'mse': mean of (σ(z) − y)². */
  loss: BinaryLoss;
  /** Learning rate η > 0. */
  lr: number;
  /** Number of full-batch updates (integer ≥ 0). */
  epochs: number;
  /** Initial weights, length d (copied, not modified). */
  w0: number[];
  /** Initial bias. */
  b0: number;
}

/** Result of {@link trainBinary}. */
export interface TrainBinaryResult {
  w: number[];
  b: number;
  /** Loss after t updates, t = 0..epochs (length epochs + 1). */
  history: number[];
}

/** Options of {@link trainSoftmax}. */
export interface TrainSoftmaxOptions {
  /** Learning rate η > 0. */
  lr: number;
  /** Number of full-batch updates (integer ≥ 0). */
  epochs: number;
  /** Initial weights, d×K (copied, not modified). */
  W0: number[][];
  /** Initial biases, length K (copied, not modified). */
  b0: number[];
}

/** Result of {@link trainSoftmax}. */
export interface TrainSoftmaxResult {
  W: number[][];
  b: number[];
  /** Loss after t updates, t = 0..epochs (length epochs + 1). */
  history: number[];
}

/** Gradient of {@link binaryLoss} with respect to the weights and bias. */
export interface BinaryGradient {
  dw: number[];
  db: number;
}

/** Gradient of {@link softmaxLoss} with respect to the weights and biases. */
export interface SoftmaxGradient {
  dW: number[][];
  db: number[];
}

// ---- validation ---------------------------------------------------------------------------------

/** Checks X (N×d), y (length N; skipped when `undefined`), w (length d) and a finite b. */
function checkBinaryData(fn: string, X: unknown, y: unknown, w: unknown, b: unknown): void {
  const { rows, cols } = assertMatrix(fn, 'X', X);
  if (y !== undefined) {
    assertVector(fn, 'y', y);
    if (y.length !== rows) throw new RangeError(`${fn}: X has ${rows} rows but y has length ${y.length}`);
  }
  const wName = fn === 'trainBinary' ? 'w0' : 'w';
  assertVector(fn, wName, w);
  if (w.length !== cols) throw new RangeError(`${fn}: X has ${cols} columns but ${wName} has length ${w.length}`);
  assertFinite(fn, fn === 'trainBinary' ? 'b0' : 'b', b);
}

function checkLossName(fn: string, loss: unknown): asserts loss is BinaryLoss {
  if (loss !== 'bce' && loss !== 'mse') {
    throw new RangeError(`${fn}: loss must be 'bce' or 'mse', got ${describeValue(loss)}`);
  }
}

/** Checks X (N×d), W (d×K), b (length K) and Y (N×K; skipped when `undefined`). */
function checkSoftmaxData(fn: string, X: unknown, Y: unknown, W: unknown, b: unknown): void {
  const wName = fn === 'trainSoftmax' ? 'W0' : 'W';
  const bName = fn === 'trainSoftmax' ? 'b0' : 'b';
  const sx = assertMatrix(fn, 'X', X);
  const sw = assertMatrix(fn, wName, W);
  assertVector(fn, bName, b);
  if (sw.rows !== sx.cols) throw new RangeError(`${fn}: X has ${sx.cols} columns but ${wName} has ${sw.rows} rows`);
  if (b.length !== sw.cols) throw new RangeError(`${fn}: ${wName} has ${sw.cols} columns but ${bName} has length ${b.length}`);
  if (Y !== undefined) {
    const sy = assertMatrix(fn, 'Y', Y);
    if (sy.rows !== sx.rows) throw new RangeError(`${fn}: X has ${sx.rows} rows but Y has ${sy.rows} rows`);
    if (sy.cols !== sw.cols) throw new RangeError(`${fn}: Y has ${sy.cols} columns but ${wName} has ${sw.cols} columns`);
  }
}

function checkSchedule(fn: string, lr: unknown, epochs: unknown): void {
  assertFinite(fn, 'opts.lr', lr);
  if (lr <= 0) throw new RangeError(`${fn}: opts.lr must be > 0, got ${lr}`);
  assertInteger(fn, 'opts.epochs', epochs, 0);
}

// ---- binary (logistic) model --------------------------------------------------------------------

/**
 * Predicted probabilities of the logistic model: p_i = σ(Σ_j X_ij w_j + b).
 *
 * @example
 * predictBinary([[1], [-1]], [2], 0) // returns [0.8807970779778823, 0.11920292202211755]
 * @see trainBinary
 */
export function predictBinary(X: number[][], w: number[], b: number): number[] {
  checkBinaryData('predictBinary', X, undefined, w, b);
  return sigmoid(affineVector(X, w, b));
}

/** Loss of the logistic model from its logits z (no validation; callers validate). */
function binaryLossFromLogits(y: number[], z: number[], loss: BinaryLoss): number {
  return loss === 'bce' ? binaryCrossEntropyFromLogits(y, z) : mse(y, sigmoid(z));
}

/**
 * Loss of the logistic model p = σ(Xw + b) at the given parameters:
 * - 'bce': (1/N) Σ_i [max(z_i, 0) − z_i y_i + ln(1 + e^(−|z_i|))] with z = Xw + b (stable BCE);
 * - 'mse': (1/N) Σ_i (σ(z_i) − y_i)².
 *
 * @example
 * binaryLoss([[1]], [0], [2], 2, 'bce') // returns 4.0181499279178094   (−ln(1 − σ(4)))
 * binaryLoss([[1]], [0], [2], 2, 'mse') // returns 0.9643510838246173   (σ(4)²)
 * @see binaryGrad, trainBinary
 */
export function binaryLoss(X: number[][], y: number[], w: number[], b: number, loss: BinaryLoss): number {
  checkBinaryData('binaryLoss', X, y, w, b);
  checkLossName('binaryLoss', loss);
  return binaryLossFromLogits(y, affineVector(X, w, b), loss);
}

/** Gradient of the logistic model's loss from its logits (no validation). */
function binaryGradFromLogits(X: number[][], y: number[], z: number[], loss: BinaryLoss): BinaryGradient {
  const n = X.length;
  const d = X[0].length;
  const dz = z.map((zi, i) => {
    const p = sigmoidScalar(zi);
    if (loss === 'bce') return (p - y[i]) / n;
    // σ′(z) = σ(z)·σ(−z): accurate at both tails, unlike p(1 − p) once p has rounded to 1.
    return ((2 * (p - y[i])) / n) * p * sigmoidScalar(-zi);
  });
  const dw = new Array<number>(d).fill(0);
  let db = 0;
  for (let i = 0; i < n; i++) {
    const row = X[i];
    for (let j = 0; j < d; j++) dw[j] += row[j] * dz[i];
    db += dz[i];
  }
  return { dw, db };
}

/**
 * Gradient of {@link binaryLoss} with respect to w and b. With z = Xw + b and p = σ(z):
 * - 'bce': ∂L/∂z_i = (p_i − y_i)/N;
 * - 'mse': ∂L/∂z_i = (2/N)(p_i − y_i) σ′(z_i), σ′(z) = σ(z)σ(−z);
 * then ∂L/∂w_j = Σ_i X_ij ∂L/∂z_i and ∂L/∂b = Σ_i ∂L/∂z_i.
 *
 * @example
 * binaryGrad([[1]], [0], [0], 0, 'bce') // returns { dw: [0.5], db: 0.5 }
 * binaryGrad([[1]], [0], [0], 0, 'mse') // returns { dw: [0.25], db: 0.25 }
 * @see binaryLoss
 */
export function binaryGrad(X: number[][], y: number[], w: number[], b: number, loss: BinaryLoss): BinaryGradient {
  checkBinaryData('binaryGrad', X, y, w, b);
  checkLossName('binaryGrad', loss);
  return binaryGradFromLogits(X, y, affineVector(X, w, b), loss);
}

/**
 * Trains the logistic model p = σ(Xw + b) by full-batch gradient descent:
 * w ← w − η ∂L/∂w, b ← b − η ∂L/∂b, for `epochs` updates, L as in {@link binaryLoss}.
 * `history[t]` is the loss after t updates (history[0] at w0, b0); inputs are not modified.
 *
 * @example
 * // one neuron, x = 1, y = 0, starting confidently wrong (σ(4) ≈ 0.982)
 * const r = trainBinary([[1]], [0], { loss: 'bce', lr: 0.15, epochs: 300, w0: [2], b0: 2 });
 * predictBinary([[1]], r.w, r.b)[0] // returns 0.012008741510817504 (with loss 'mse': 0.0775…)
 * r.history.length                  // returns 301
 * @see binaryLoss, binaryGrad, predictBinary
 */
export function trainBinary(X: number[][], y: number[], opts: TrainBinaryOptions): TrainBinaryResult {
  const fn = 'trainBinary';
  if (typeof opts !== 'object' || opts === null) throw new TypeError(`${fn}: opts must be an object, got ${describeValue(opts)}`);
  checkLossName(fn, opts.loss);
  checkSchedule(fn, opts.lr, opts.epochs);
  checkBinaryData(fn, X, y, opts.w0, opts.b0);
  const { loss, lr, epochs } = opts;
  const w = opts.w0.slice();
  let b = opts.b0;
  let z = affineVector(X, w, b);
  const history = [binaryLossFromLogits(y, z, loss)];
  for (let t = 0; t < epochs; t++) {
    const { dw, db } = binaryGradFromLogits(X, y, z, loss);
    for (let j = 0; j < w.length; j++) w[j] -= lr * dw[j];
    b -= lr * db;
    z = affineVector(X, w, b);
    history.push(binaryLossFromLogits(y, z, loss));
  }
  return { w, b, history };
}

// ---- softmax regression -------------------------------------------------------------------------

/**
 * Predicted class probabilities of softmax regression: P = softmax(XW + b) row-wise.
 *
 * @example
 * predictSoftmax([[1]], [[0, 0]], [0, 0]) // returns [[0.5, 0.5]]
 * @see trainSoftmax
 */
export function predictSoftmax(X: number[][], W: number[][], b: number[]): number[][] {
  checkSoftmaxData('predictSoftmax', X, undefined, W, b);
  return softmax(affineMatrix(X, W, b));
}

/**
 * Loss of softmax regression at the given parameters: mean categorical cross-entropy from the
 * logits Z = XW + b, CCE = −(1/N) Σ_i Σ_k Y_ik logSoftmax(Z)_ik.
 *
 * @example
 * softmaxLoss([[1]], [[1, 0]], [[0, 0]], [0, 0]) // returns 0.6931471805599453   (ln 2)
 * @see softmaxGrad, trainSoftmax
 */
export function softmaxLoss(X: number[][], Y: number[][], W: number[][], b: number[]): number {
  checkSoftmaxData('softmaxLoss', X, Y, W, b);
  return categoricalCrossEntropyFromLogits(Y, affineMatrix(X, W, b));
}

/** Gradient of softmax regression from its logits (no validation). */
function softmaxGradFromLogits(X: number[][], Y: number[][], Z: number[][]): SoftmaxGradient {
  const n = X.length;
  const d = X[0].length;
  const k = Y[0].length;
  const P = softmax(Z);
  const dW = Array.from({ length: d }, () => new Array<number>(k).fill(0));
  const db = new Array<number>(k).fill(0);
  for (let i = 0; i < n; i++) {
    const row = X[i];
    for (let c = 0; c < k; c++) {
      const dz = (P[i][c] - Y[i][c]) / n;
      db[c] += dz;
      for (let j = 0; j < d; j++) dW[j][c] += row[j] * dz;
    }
  }
  return { dW, db };
}

/**
 * Gradient of {@link softmaxLoss}: with dZ = (softmax(XW + b) − Y)/N,
 * ∂L/∂W = Xᵀ dZ (d×K) and ∂L/∂b = column sums of dZ (length K).
 *
 * @example
 * softmaxGrad([[1]], [[1, 0]], [[0, 0]], [0, 0]) // returns { dW: [[-0.5, 0.5]], db: [-0.5, 0.5] }
 * @see softmaxLoss
 */
export function softmaxGrad(X: number[][], Y: number[][], W: number[][], b: number[]): SoftmaxGradient {
  checkSoftmaxData('softmaxGrad', X, Y, W, b);
  return softmaxGradFromLogits(X, Y, affineMatrix(X, W, b));
}

/**
 * Trains softmax regression (logits XW + b, W d×K) by full-batch gradient descent on the mean
 * categorical cross-entropy: W ← W − η Xᵀ dZ, b ← b − η Σ_i dZ_i, dZ = (softmax(XW + b) − Y)/N.
 * `history[t]` is the loss after t updates (history[0] at W0, b0); inputs are not modified.
 *
 * @example
 * const r = trainSoftmax([[1], [-1]], [[1, 0], [0, 1]], { lr: 0.5, epochs: 10, W0: [[0, 0]], b0: [0, 0] });
 * r.history[0]        // returns 0.6931471805599453   (ln 2: uniform start)
 * r.history.length    // returns 11
 * @see softmaxLoss, softmaxGrad, predictSoftmax
 */
export function trainSoftmax(X: number[][], Y: number[][], opts: TrainSoftmaxOptions): TrainSoftmaxResult {
  const fn = 'trainSoftmax';
  if (typeof opts !== 'object' || opts === null) throw new TypeError(`${fn}: opts must be an object, got ${describeValue(opts)}`);
  checkSchedule(fn, opts.lr, opts.epochs);
  checkSoftmaxData(fn, X, Y, opts.W0, opts.b0);
  const { lr, epochs } = opts;
  const W = copyMatrix(opts.W0);
  const b = opts.b0.slice();
  let Z = affineMatrix(X, W, b);
  const history = [categoricalCrossEntropyFromLogits(Y, Z)];
  for (let t = 0; t < epochs; t++) {
    const { dW, db } = softmaxGradFromLogits(X, Y, Z);
    for (let j = 0; j < W.length; j++) for (let c = 0; c < b.length; c++) W[j][c] -= lr * dW[j][c];
    for (let c = 0; c < b.length; c++) b[c] -= lr * db[c];
    Z = affineMatrix(X, W, b);
    history.push(categoricalCrossEntropyFromLogits(Y, Z));
  }
  return { W, b, history };
}
