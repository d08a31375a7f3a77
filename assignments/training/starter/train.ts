/**
 * Assignment "training" — starter file.
 *
 * Implement the two trainers below and keep their names and signatures: the grader imports them
 * by name. Read README.md (the handout) first; it gives every formula, worked examples and the
 * reason this assignment exists (§5: why cross-entropy trains faster than MSE from a saturated
 * start).
 *
 * Conventions used everywhere:
 *  - X holds one ROW per sample: N rows × d features. Y (one-hot) is N × K; W is d × K.
 *  - Every loss is the MEAN over the N samples (so every gradient carries a factor 1/N).
 *  - Full batch: one update per epoch, using all N samples — exactly `epochs` updates, the same η
 *    every time (no early stopping, no schedule, no momentum, no weight decay).
 *  - history[t] is the loss after t updates, t = 0 … epochs: epochs + 1 values, history[0] at the
 *    initial parameters.
 *  - Return plain numbers and arrays. Do NOT modify X, the labels or opts (copy w0 / W0 / b0).
 *
 * You may split your code into several files in this folder (`import { … } from './helpers'`)
 * and you may import `mathjs`. Nothing else (no fs, no network, no child processes).
 *
 * Check your work with:  npx mlgrade check training
 */

/** One value per sample (length N) or per feature (length d). */
type Vector = number[];

/** One row per sample (N × d, N × K), or the d × K weights of softmax regression. */
type Matrix = number[][];

export interface TrainBinaryOptions {
  /** 'bce': binary cross-entropy; 'mse': mean of (σ(z) − y)², no ½. */
  loss: 'bce' | 'mse';
  /** Learning rate η > 0. */
  lr: number;
  /** Number of full-batch updates (integer ≥ 0). */
  epochs: number;
  /** Initial weights, length d. Copy before updating. */
  w0: Vector;
  /** Initial bias. */
  b0: number;
}

export interface TrainBinaryResult {
  /** Trained weights, length d. */
  w: Vector;
  /** Trained bias. */
  b: number;
  /** Loss after t updates, t = 0 … epochs (length epochs + 1). */
  history: number[];
}

export interface TrainSoftmaxOptions {
  /** Learning rate η > 0. */
  lr: number;
  /** Number of full-batch updates (integer ≥ 0). */
  epochs: number;
  /** Initial weights, d × K. Copy every row before updating. */
  W0: Matrix;
  /** Initial biases, length K. Copy before updating. */
  b0: Vector;
}

export interface TrainSoftmaxResult {
  /** Trained weights, d × K. */
  W: Matrix;
  /** Trained biases, length K. */
  b: Vector;
  /** Loss after t updates, t = 0 … epochs (length epochs + 1). */
  history: number[];
}

/**
 * Trains the logistic model p = σ(Xw + b) by full-batch gradient descent.
 *
 *     z_i = Σ_j X_ij w_j + b,   p_i = σ(z_i) = 1 / (1 + e^(−z_i))
 *
 *     'bce':  L = (1/N) Σ_i [ max(z_i, 0) − z_i·y_i + ln(1 + e^(−|z_i|)) ]     ∂L/∂z_i = (p_i − y_i)/N
 *     'mse':  L = (1/N) Σ_i (p_i − y_i)²                                       ∂L/∂z_i = 2(p_i − y_i)·σ′(z_i)/N
 *             with σ′(z) = σ(z)(1 − σ(z))
 *
 *     ∂L/∂w_j = Σ_i X_ij ∂L/∂z_i,   ∂L/∂b = Σ_i ∂L/∂z_i
 *     w ← w − η ∂L/∂w,   b ← b − η ∂L/∂b
 *
 * @example
 * trainBinary([[1]], [0], { loss: 'bce', lr: 0.15, epochs: 2, w0: [2], b0: 2 }).history
 * // returns [4.0181499279178094, 3.7296888649934554, 3.445020101358986]
 */
export function trainBinary(X: Matrix, y: Vector, opts: TrainBinaryOptions): TrainBinaryResult {
  throw new Error('TODO: implement trainBinary');
}

/**
 * Trains softmax regression (logits XW + b, W d × K) by full-batch gradient descent on the mean
 * categorical cross-entropy.
 *
 *     Z_ik = Σ_j X_ij W_jk + b_k,   P = softmax of each row of Z
 *     L = (1/N) Σ_i Σ_k Y_ik [ logsumexp(Z_i) − Z_ik ]
 *     dZ = (P − Y)/N,   ∂L/∂W = Xᵀ dZ (d × K),   ∂L/∂b_k = Σ_i dZ_ik
 *     W ← W − η ∂L/∂W,   b ← b − η ∂L/∂b
 *
 * @example
 * trainSoftmax([[1], [-1]], [[1, 0], [0, 1]], { lr: 0.5, epochs: 2, W0: [[0, 0]], b0: [0, 0] }).history
 * // returns [0.6931471805599453, 0.4740769841801067, 0.347697748169947]
 */
export function trainSoftmax(X: Matrix, Y: Matrix, opts: TrainSoftmaxOptions): TrainSoftmaxResult {
  throw new Error('TODO: implement trainSoftmax');
}
