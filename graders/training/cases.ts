/**
 * Seeded data sets and training runs of the training suite. Every case names its seeds, so the
 * same submission always sees the same numbers and an instructor can rebuild any case with
 * `makeBinaryBlobs` / `makeMultiClassBlobs` / `createRng` from mlgrade/suite.
 *
 * Sizes are small (N ≤ 200, d ≤ 5, K ≤ 4, ≤ 150 epochs): a correct trainer returns in a few
 * milliseconds, far below the per-call limit. Each case is built once per process (the suite is
 * declared for every submission of a batch; the builders copy what they keep).
 */
import type { HeldOutSet, LogisticCase, LogisticTrainingOptions, SoftmaxCase, SoftmaxTrainingOptions } from 'mlgrade/suite';
import { createRng, makeBinaryBlobs, makeMultiClassBlobs } from 'mlgrade/suite';

/** A case factory that builds its value on first use only. */
function once<T>(build: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= build());
}

function binaryBlobs(n: number, d: number, seed: number, separation: number, noise: number) {
  return { ...makeBinaryBlobs({ n, d, seed, separation, noise }), data: `two Gaussian blobs N = ${n}, d = ${d}, separation ${separation}, ${Math.round(noise * 100)} % flipped labels (seed ${seed})` };
}

function multiBlobs(n: number, d: number, k: number, seed: number, separation: number, noise: number) {
  return { ...makeMultiClassBlobs({ n, d, k, seed, separation, noise }), data: `${k} Gaussian blobs N = ${n}, d = ${d}, separation ${separation}, ${Math.round(noise * 100)} % relabelled (seed ${seed})` };
}

function binaryCase(data: ReturnType<typeof binaryBlobs>, opts: LogisticTrainingOptions, init: string): LogisticCase {
  return { label: `${data.data}; loss '${opts.loss}', lr ${opts.lr}, ${opts.epochs} epochs, ${init}`, X: data.X, y: data.y, opts };
}

function softmaxCase(data: ReturnType<typeof multiBlobs>, opts: SoftmaxTrainingOptions, init: string): SoftmaxCase {
  return { label: `${data.data}; lr ${opts.lr}, ${opts.epochs} epochs, ${init}`, X: data.X, Y: data.Y, opts };
}

const seededW0 = (seed: number, d: number) => createRng(seed).vector(d, -0.5, 0.5);
const seededW0Matrix = (seed: number, d: number, k: number) => createRng(seed).matrix(d, k, -0.5, 0.5);
const zeros = (r: number, c: number) => Array.from({ length: r }, () => new Array<number>(c).fill(0));

// ---- trainBinary -------------------------------------------------------------------------------

export const binaryInterface = once(() => binaryCase(binaryBlobs(12, 3, 90, 3, 0), { loss: 'bce', lr: 0.3, epochs: 5, w0: [0.1, -0.2, 0.05], b0: 0.1 }, 'w0 = [0.1, -0.2, 0.05], b0 = 0.1'));

export const binaryInputs = once(() => binaryCase(binaryBlobs(20, 3, 91, 3, 0.1), { loss: 'mse', lr: 0.5, epochs: 10, w0: seededW0(92, 3), b0: 0.2 }, 'w0 seeded (seed 92), b0 = 0.2'));

/** The history convention: both losses with a few epochs, and epochs = 0. */
export const binaryHistory = once((): LogisticCase[] => {
  const data = binaryBlobs(10, 2, 93, 3, 0.1);
  const w0 = seededW0(94, 2);
  return [
    binaryCase(data, { loss: 'bce', lr: 0.4, epochs: 3, w0, b0: -0.1 }, 'w0 seeded (seed 94), b0 = -0.1'),
    binaryCase(data, { loss: 'mse', lr: 0.4, epochs: 3, w0, b0: -0.1 }, 'w0 seeded (seed 94), b0 = -0.1'),
    binaryCase(data, { loss: 'mse', lr: 0.4, epochs: 0, w0, b0: -0.1 }, 'w0 seeded (seed 94), b0 = -0.1'),
  ];
});

/**
 * The recorded loss: both losses from an ordinary start, and cross-entropy from a start so
 * saturated (z = 40) that σ(z) rounds to 1 and ln(1 − σ(z)) = ln 0.
 */
export const binaryLoss = once((): LogisticCase[] => {
  const data = binaryBlobs(16, 3, 95, 2.5, 0.1);
  const w0 = seededW0(96, 3);
  return [
    binaryCase(data, { loss: 'bce', lr: 0.3, epochs: 1, w0, b0: 0.3 }, 'w0 seeded (seed 96), b0 = 0.3'),
    binaryCase(data, { loss: 'mse', lr: 0.3, epochs: 1, w0, b0: 0.3 }, 'w0 seeded (seed 96), b0 = 0.3'),
    {
      label: "one neuron, x = 1, y = 0, saturated start w0 = [20], b0 = 20 (z = 40: σ(z) rounds to 1, the exact loss is ≈ 40); loss 'bce', lr 0.15, 1 epoch",
      X: [[1]],
      y: [0],
      opts: { loss: 'bce', lr: 0.15, epochs: 1, w0: [20], b0: 20 },
    },
  ];
});

const trajectoryData = once(() => binaryBlobs(40, 3, 101, 3, 0.05));

export const binaryTrajectoryBce = once(() => binaryCase(trajectoryData(), { loss: 'bce', lr: 0.3, epochs: 30, w0: seededW0(102, 3), b0: 0.3 }, 'w0 seeded (seed 102), b0 = 0.3'));

export const binaryTrajectoryMse = once(() => binaryCase(trajectoryData(), { loss: 'mse', lr: 0.8, epochs: 30, w0: seededW0(103, 3), b0: -0.2 }, 'w0 seeded (seed 103), b0 = -0.2'));

export const binaryTrajectorySeeded = once(() => binaryCase(binaryBlobs(60, 5, 202, 3, 0.1), { loss: 'bce', lr: 0.4, epochs: 50, w0: seededW0(203, 5), b0: -0.25 }, 'w0 seeded (seed 203), b0 = -0.25'));

/** Small learning rate: gradient descent must lower the loss at every step, for both losses. */
export const binaryMonotone = once((): LogisticCase[] => {
  const data = binaryBlobs(80, 3, 111, 2.5, 0.15);
  return (['bce', 'mse'] as const).map((loss) => binaryCase(data, { loss, lr: 0.05, epochs: 100, w0: seededW0(112, 3), b0: 0.4 }, 'w0 seeded (seed 112), b0 = 0.4'));
});

export const binarySeparable = once((): { train: LogisticCase; heldOut: HeldOutSet } => {
  const test = binaryBlobs(200, 2, 304, 8, 0);
  return {
    train: binaryCase(binaryBlobs(100, 2, 303, 8, 0), { loss: 'bce', lr: 0.5, epochs: 100, w0: [0, 0], b0: 0 }, 'w0 = 0, b0 = 0'),
    heldOut: { label: test.data, X: test.X, classes: test.y, maxLoss: 0.05, maxError: 0.01 },
  };
});

export const binaryNoisy = once((): { train: LogisticCase; heldOut: HeldOutSet } => {
  const test = binaryBlobs(200, 3, 405, 2.5, 0.1);
  return {
    train: binaryCase(binaryBlobs(160, 3, 404, 2.5, 0.1), { loss: 'bce', lr: 0.5, epochs: 150, w0: [0, 0, 0], b0: 0 }, 'w0 = 0, b0 = 0'),
    heldOut: { label: test.data, X: test.X, classes: test.y, maxLoss: 0.5, maxError: 0.22 },
  };
});

/**
 * The seed's lesson: Nielsen's single neuron (x = 1, target y = 0) started further into
 * saturation, w0 = b0 = 3 (z = 6, output σ(6) ≈ 0.9975, σ′(6) ≈ 0.0025), η = 0.15, 150 epochs.
 */
export function binarySaturated(loss: 'bce' | 'mse'): LogisticCase {
  return {
    label: `one neuron, x = 1, y = 0, saturated start w0 = [3], b0 = 3 (output σ(6) ≈ 0.9975); loss '${loss}', lr 0.15, 150 epochs`,
    X: [[1]],
    y: [0],
    opts: { loss, lr: 0.15, epochs: 150, w0: [3], b0: 3 },
  };
}

// ---- trainSoftmax ------------------------------------------------------------------------------

export const softmaxInterface = once(() => softmaxCase(multiBlobs(12, 2, 3, 95, 3, 0), { lr: 0.3, epochs: 5, W0: [[0.1, -0.1, 0], [0, 0.2, -0.2]], b0: [0, 0.1, -0.1] }, 'W0 = [[0.1, -0.1, 0], [0, 0.2, -0.2]], b0 = [0, 0.1, -0.1]'));

export const softmaxInputs = once(() => softmaxCase(multiBlobs(18, 2, 3, 96, 3, 0.1), { lr: 0.5, epochs: 10, W0: seededW0Matrix(97, 2, 3), b0: [0.1, 0, -0.1] }, 'W0 seeded (seed 97), b0 = [0.1, 0, -0.1]'));

export const softmaxHistory = once((): SoftmaxCase[] => {
  const data = multiBlobs(9, 2, 3, 98, 3, 0.1);
  const W0 = seededW0Matrix(99, 2, 3);
  return [
    softmaxCase(data, { lr: 0.4, epochs: 3, W0, b0: [0.1, -0.1, 0] }, 'W0 seeded (seed 99), b0 = [0.1, -0.1, 0]'),
    softmaxCase(data, { lr: 0.4, epochs: 0, W0, b0: [0.1, -0.1, 0] }, 'W0 seeded (seed 99), b0 = [0.1, -0.1, 0]'),
  ];
});

/** An ordinary start, and logits ±400 where softmax rounds to [1, 0] and ln 0 appears. */
export const softmaxLoss = once((): SoftmaxCase[] => [
  softmaxCase(multiBlobs(15, 2, 3, 505, 2.5, 0.1), { lr: 0.3, epochs: 1, W0: seededW0Matrix(506, 2, 3), b0: [0, 0.2, -0.2] }, 'W0 seeded (seed 506), b0 = [0, 0.2, -0.2]'),
  {
    label: 'one sample, x = 1, class 1 of 2, saturated start W0 = [[400, -400]], b0 = [0, 0] (logits ±400: softmax rounds to [1, 0], the exact loss is 800); lr 0.1, 1 epoch',
    X: [[1]],
    Y: [[0, 1]],
    opts: { lr: 0.1, epochs: 1, W0: [[400, -400]], b0: [0, 0] },
  },
]);

export const softmaxTrajectory = once(() => softmaxCase(multiBlobs(45, 2, 3, 501, 3, 0.05), { lr: 0.3, epochs: 30, W0: seededW0Matrix(502, 2, 3), b0: [0.2, -0.1, 0] }, 'W0 seeded (seed 502), b0 = [0.2, -0.1, 0]'));

export const softmaxTrajectorySeeded = once(() => softmaxCase(multiBlobs(60, 4, 4, 503, 3, 0.1), { lr: 0.25, epochs: 50, W0: seededW0Matrix(504, 4, 4), b0: [0.1, 0, -0.2, 0.3] }, 'W0 seeded (seed 504), b0 = [0.1, 0, -0.2, 0.3]'));

export const softmaxMonotone = once(() => softmaxCase(multiBlobs(60, 3, 3, 511, 2.5, 0.15), { lr: 0.05, epochs: 100, W0: seededW0Matrix(512, 3, 3), b0: [0.3, -0.3, 0] }, 'W0 seeded (seed 512), b0 = [0.3, -0.3, 0]'));

export const softmaxSeparable = once((): { train: SoftmaxCase; heldOut: HeldOutSet } => {
  const test = multiBlobs(150, 2, 3, 602, 8, 0);
  return {
    train: softmaxCase(multiBlobs(90, 2, 3, 601, 8, 0), { lr: 0.5, epochs: 150, W0: zeros(2, 3), b0: [0, 0, 0] }, 'W0 = 0, b0 = 0'),
    heldOut: { label: test.data, X: test.X, classes: test.labels, maxLoss: 0.05, maxError: 0.02 },
  };
});

export const softmaxNoisy = once((): { train: SoftmaxCase; heldOut: HeldOutSet } => {
  const test = multiBlobs(200, 3, 4, 702, 3, 0.1);
  return {
    train: softmaxCase(multiBlobs(120, 3, 4, 701, 3, 0.1), { lr: 0.5, epochs: 120, W0: zeros(3, 4), b0: [0, 0, 0, 0] }, 'W0 = 0, b0 = 0'),
    heldOut: { label: test.data, X: test.X, classes: test.labels, maxLoss: 0.75, maxError: 0.3 },
  };
});
