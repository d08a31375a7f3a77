/**
 * mlgrade reference implementations: the trusted math the graders compare submissions against.
 * Pure functions, no I/O. Arrays are plain `number[]` (vectors) and `number[][]` (rows = samples).
 */
import { sigmoid, softmax } from './activations';
import {
  binaryCrossEntropy,
  binaryCrossEntropyFromLogits,
  binaryCrossEntropyFromLogitsGrad,
  binaryCrossEntropyGrad,
} from './binaryCrossEntropy';
import {
  categoricalCrossEntropy,
  categoricalCrossEntropyFromLogits,
  categoricalCrossEntropyFromLogitsGrad,
  categoricalCrossEntropyGrad,
} from './categoricalCrossEntropy';
import { classificationError } from './classificationError';
import { mse, mseGrad } from './mse';
import { trainBinary, trainSoftmax } from './training';

export * from './activations';
export * from './mse';
export * from './binaryCrossEntropy';
export * from './categoricalCrossEntropy';
export * from './classificationError';
export * from './training';

/**
 * The 13 functions of the "losses" assignment, keyed by the name students export them under.
 * Graders look up the reference for a student export by name here.
 *
 * @example
 * LOSSES_REFERENCE.mse([0, 0], [1, 3]) // returns 5
 * Object.keys(LOSSES_REFERENCE).length // returns 13
 */
export const LOSSES_REFERENCE = Object.freeze({
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
});

/** Name of one function of the losses assignment. */
export type LossesExportName = keyof typeof LOSSES_REFERENCE;

/**
 * The trainers of the "training" assignment, keyed by export name.
 *
 * @example
 * TRAINING_REFERENCE.trainBinary([[1]], [0], { loss: 'bce', lr: 0.1, epochs: 0, w0: [0], b0: 0 }).history
 * // returns [0.6931471805599453]
 */
export const TRAINING_REFERENCE = Object.freeze({ trainBinary, trainSoftmax });

/** Name of one function of the training assignment. */
export type TrainingExportName = keyof typeof TRAINING_REFERENCE;
