/**
 * Seeded data sets and training runs of the training suite. Every case names its seeds, so the
 * same submission always sees the same numbers and an instructor can rebuild any case with
 * `makeBinaryBlobs` / `makeMultiClassBlobs` / `createRng` from reference/.
 *
 * Sizes are small (N ≤ 200, d ≤ 5, K ≤ 4, ≤ 200 epochs): a correct trainer returns in a few
 * milliseconds, far below the per-call limit.
 */
import type { TrainBinaryOptions, TrainSoftmaxOptions } from 'mlgrade/reference';
import { createRng, makeBinaryBlobs, makeMultiClassBlobs } from 'mlgrade/suite';

/** One call of `trainBinary(X, y, opts)`. */
export interface BinaryCase {
  fn: 'trainBinary';
  /** Describes data and options for messages, e.g. "blobs N = 40, d = 3 (seed 101), loss 'bce', lr 0.3, 30 epochs". */
  label: string;
  X: number[][];
  y: number[];
  opts: TrainBinaryOptions;
}

/** One call of `trainSoftmax(X, Y, opts)`; `labels` are the class indices of the one-hot Y. */
export interface SoftmaxCase {
  fn: 'trainSoftmax';
  label: string;
  X: number[][];
  Y: number[][];
  labels: number[];
  opts: TrainSoftmaxOptions;
}

export type TrainingCase = BinaryCase | SoftmaxCase;

/** A seeded held-out set, with limits the trained parameters must reach. */
export interface HeldOut {
  label: string;
  X: number[][];
  /** Class of each sample (0/1 for the binary model). */
  labels: number[];
  /** Largest allowed training loss (the model's own loss: BCE / CCE) at the returned parameters. */
  maxLoss: number;
  /** Largest allowed classification error on the held-out set. */
  maxError: number;
}

function binaryBlobs(n: number, d: number, seed: number, separation: number, noise: number) {
  return { ...makeBinaryBlobs({ n, d, seed, separation, noise }), data: `two Gaussian blobs N = ${n}, d = ${d}, separation ${separation}, ${Math.round(noise * 100)} % flipped labels (seed ${seed})` };
}

function multiBlobs(n: number, d: number, k: number, seed: number, separation: number, noise: number) {
  return { ...makeMultiClassBlobs({ n, d, k, seed, separation, noise }), data: `${k} Gaussian blobs N = ${n}, d = ${d}, separation ${separation}, ${Math.round(noise * 100)} % relabelled (seed ${seed})` };
}

function binaryCase(data: ReturnType<typeof binaryBlobs>, opts: TrainBinaryOptions, init: string): BinaryCase {
  return { fn: 'trainBinary', label: `${data.data}; loss '${opts.loss}', lr ${opts.lr}, ${opts.epochs} epochs, ${init}`, X: data.X, y: data.y, opts };
}

function softmaxCase(data: ReturnType<typeof multiBlobs>, opts: TrainSoftmaxOptions, init: string): SoftmaxCase {
  return { fn: 'trainSoftmax', label: `${data.data}; lr ${opts.lr}, ${opts.epochs} epochs, ${init}`, X: data.X, Y: data.Y, labels: data.labels, opts };
}

const seededW0 = (seed: number, d: number) => createRng(seed).vector(d, -0.5, 0.5);
const seededW0Matrix = (seed: number, d: number, k: number) => createRng(seed).matrix(d, k, -0.5, 0.5);

// ---- trainBinary -------------------------------------------------------------------------------

export function binaryInterface(): BinaryCase {
  return binaryCase(binaryBlobs(12, 3, 90, 3, 0), { loss: 'bce', lr: 0.3, epochs: 5, w0: [0.1, -0.2, 0.05], b0: 0.1 }, 'w0 = [0.1, -0.2, 0.05], b0 = 0.1');
}

export function binaryInputs(): BinaryCase {
  return binaryCase(binaryBlobs(20, 3, 91, 3, 0.1), { loss: 'mse', lr: 0.5, epochs: 10, w0: seededW0(92, 3), b0: 0.2 }, 'w0 seeded (seed 92), b0 = 0.2');
}

const trajectoryData = () => binaryBlobs(40, 3, 101, 3, 0.05);

export function binaryTrajectoryBce(): BinaryCase {
  return binaryCase(trajectoryData(), { loss: 'bce', lr: 0.3, epochs: 30, w0: seededW0(102, 3), b0: 0.3 }, 'w0 seeded (seed 102), b0 = 0.3');
}

export function binaryTrajectoryMse(): BinaryCase {
  return binaryCase(trajectoryData(), { loss: 'mse', lr: 0.8, epochs: 30, w0: seededW0(103, 3), b0: -0.2 }, 'w0 seeded (seed 103), b0 = -0.2');
}

export function binaryTrajectorySeeded(): BinaryCase {
  return binaryCase(binaryBlobs(60, 5, 202, 3, 0.1), { loss: 'bce', lr: 0.4, epochs: 50, w0: seededW0(203, 5), b0: -0.25 }, 'w0 seeded (seed 203), b0 = -0.25');
}

/** Small learning rate: gradient descent must lower the loss at every step, for both losses. */
export function binaryMonotone(): BinaryCase[] {
  const data = binaryBlobs(80, 3, 111, 2.5, 0.15);
  return (['bce', 'mse'] as const).map((loss) => binaryCase(data, { loss, lr: 0.05, epochs: 100, w0: seededW0(112, 3), b0: 0.4 }, 'w0 seeded (seed 112), b0 = 0.4'));
}

export function binarySeparable(): { train: BinaryCase; heldOut: HeldOut } {
  const test = binaryBlobs(200, 2, 304, 8, 0);
  return {
    train: binaryCase(binaryBlobs(100, 2, 303, 8, 0), { loss: 'bce', lr: 0.5, epochs: 100, w0: [0, 0], b0: 0 }, 'w0 = 0, b0 = 0'),
    heldOut: { label: test.data, X: test.X, labels: test.y, maxLoss: 0.05, maxError: 0.01 },
  };
}

export function binaryNoisy(): { train: BinaryCase; heldOut: HeldOut } {
  const test = binaryBlobs(200, 3, 405, 2.5, 0.1);
  return {
    train: binaryCase(binaryBlobs(160, 3, 404, 2.5, 0.1), { loss: 'bce', lr: 0.5, epochs: 150, w0: [0, 0, 0], b0: 0 }, 'w0 = 0, b0 = 0'),
    heldOut: { label: test.data, X: test.X, labels: test.y, maxLoss: 0.5, maxError: 0.22 },
  };
}

/**
 * The seed's lesson: Nielsen's single neuron (x = 1, target y = 0) started further into
 * saturation, w0 = b0 = 3 (z = 6, output σ(6) ≈ 0.9975, σ′(6) ≈ 0.0025), η = 0.15, 150 epochs.
 */
export function binarySaturated(loss: 'bce' | 'mse'): BinaryCase {
  return {
    fn: 'trainBinary',
    label: `one neuron, x = 1, y = 0, saturated start w0 = [3], b0 = 3 (output σ(6) ≈ 0.9975); loss '${loss}', lr 0.15, 150 epochs`,
    X: [[1]],
    y: [0],
    opts: { loss, lr: 0.15, epochs: 150, w0: [3], b0: 3 },
  };
}

// ---- trainSoftmax ------------------------------------------------------------------------------

export function softmaxInterface(): SoftmaxCase {
  return softmaxCase(multiBlobs(12, 2, 3, 95, 3, 0), { lr: 0.3, epochs: 5, W0: [[0.1, -0.1, 0], [0, 0.2, -0.2]], b0: [0, 0.1, -0.1] }, 'W0 = [[0.1, -0.1, 0], [0, 0.2, -0.2]], b0 = [0, 0.1, -0.1]');
}

export function softmaxInputs(): SoftmaxCase {
  return softmaxCase(multiBlobs(18, 2, 3, 96, 3, 0.1), { lr: 0.5, epochs: 10, W0: seededW0Matrix(97, 2, 3), b0: [0.1, 0, -0.1] }, 'W0 seeded (seed 97), b0 = [0.1, 0, -0.1]');
}

export function softmaxTrajectory(): SoftmaxCase {
  return softmaxCase(multiBlobs(45, 2, 3, 501, 3, 0.05), { lr: 0.3, epochs: 30, W0: seededW0Matrix(502, 2, 3), b0: [0.2, -0.1, 0] }, 'W0 seeded (seed 502), b0 = [0.2, -0.1, 0]');
}

export function softmaxTrajectorySeeded(): SoftmaxCase {
  return softmaxCase(multiBlobs(60, 4, 4, 503, 3, 0.1), { lr: 0.25, epochs: 50, W0: seededW0Matrix(504, 4, 4), b0: [0.1, 0, -0.2, 0.3] }, 'W0 seeded (seed 504), b0 = [0.1, 0, -0.2, 0.3]');
}

export function softmaxMonotone(): SoftmaxCase {
  return softmaxCase(multiBlobs(60, 3, 3, 511, 2.5, 0.15), { lr: 0.05, epochs: 100, W0: seededW0Matrix(512, 3, 3), b0: [0.3, -0.3, 0] }, 'W0 seeded (seed 512), b0 = [0.3, -0.3, 0]');
}

export function softmaxSeparable(): { train: SoftmaxCase; heldOut: HeldOut } {
  const test = multiBlobs(150, 2, 3, 602, 8, 0);
  return {
    train: softmaxCase(multiBlobs(90, 2, 3, 601, 8, 0), { lr: 0.5, epochs: 150, W0: [[0, 0, 0], [0, 0, 0]], b0: [0, 0, 0] }, 'W0 = 0, b0 = 0'),
    heldOut: { label: test.data, X: test.X, labels: test.labels, maxLoss: 0.05, maxError: 0.02 },
  };
}

export function softmaxNoisy(): { train: SoftmaxCase; heldOut: HeldOut } {
  const test = multiBlobs(200, 3, 4, 702, 3, 0.1);
  const zeros = (r: number, c: number) => Array.from({ length: r }, () => new Array<number>(c).fill(0));
  return {
    train: softmaxCase(multiBlobs(120, 3, 4, 701, 3, 0.1), { lr: 0.5, epochs: 120, W0: zeros(3, 4), b0: [0, 0, 0, 0] }, 'W0 = 0, b0 = 0'),
    heldOut: { label: test.data, X: test.X, labels: test.labels, maxLoss: 0.75, maxError: 0.3 },
  };
}
