/**
 * The grading suite of the "losses" assignment. Each export gets an interface check, accuracy
 * checks on hand-picked (public) and seeded (hidden) inputs, gradient checks (against the
 * reference and against finite differences of the student's own loss) and stability checks at
 * extreme inputs. Points add up to 100.
 */
import * as ref from '../../reference';
import type { Shape } from '../lib/shapes';
import * as inputs from './inputs';
import type { Case } from './inputs';
import { LOSS_REFERENCES, TOLERANCE, gradientReferenceCheck, gradientSelfCheck, interfaceCheck, slopeOfLogits, valueCheck, type FunctionSpec } from './suite';
import { defineSuite } from '../lib/runner';

const scalar = (): Shape => ({ kind: 'number' });
const likeArg = (index: number) => (args: unknown[]): Shape => {
  const value = args[index] as number[] | number[][];
  return Array.isArray(value[0]) ? { kind: 'matrix', rows: value.length, cols: (value[0] as number[]).length } : { kind: 'vector', length: value.length };
};
const hand = (label: string, ...args: unknown[]): Case => ({ label, args });

const specs = {
  sigmoid: { name: 'sigmoid', argNames: ['z'], reference: ref.sigmoid, shape: likeArg(0), tolerance: TOLERANCE.activation },
  softmax: { name: 'softmax', argNames: ['z'], reference: ref.softmax, shape: likeArg(0), tolerance: TOLERANCE.activation },
  mse: { name: 'mse', argNames: ['yTrue', 'yPred'], reference: ref.mse, shape: scalar, tolerance: TOLERANCE.loss },
  mseGrad: { name: 'mseGrad', argNames: ['yTrue', 'yPred'], reference: ref.mseGrad, shape: likeArg(1), tolerance: TOLERANCE.gradient, gradientOf: 'mse' },
  binaryCrossEntropy: { name: 'binaryCrossEntropy', argNames: ['yTrue', 'p'], reference: ref.binaryCrossEntropy, shape: scalar, tolerance: TOLERANCE.loss },
  binaryCrossEntropyGrad: { name: 'binaryCrossEntropyGrad', argNames: ['yTrue', 'p'], reference: ref.binaryCrossEntropyGrad, shape: likeArg(1), tolerance: TOLERANCE.gradient, gradientOf: 'binaryCrossEntropy' },
  binaryCrossEntropyFromLogits: { name: 'binaryCrossEntropyFromLogits', argNames: ['yTrue', 'z'], reference: ref.binaryCrossEntropyFromLogits, shape: scalar, tolerance: TOLERANCE.loss },
  binaryCrossEntropyFromLogitsGrad: { name: 'binaryCrossEntropyFromLogitsGrad', argNames: ['yTrue', 'z'], reference: ref.binaryCrossEntropyFromLogitsGrad, shape: likeArg(1), tolerance: TOLERANCE.gradient, gradientOf: 'binaryCrossEntropyFromLogits', sigmoidSlope: slopeOfLogits },
  categoricalCrossEntropy: { name: 'categoricalCrossEntropy', argNames: ['yTrue', 'p'], reference: ref.categoricalCrossEntropy, shape: scalar, tolerance: TOLERANCE.loss },
  categoricalCrossEntropyGrad: { name: 'categoricalCrossEntropyGrad', argNames: ['yTrue', 'p'], reference: ref.categoricalCrossEntropyGrad, shape: likeArg(1), tolerance: TOLERANCE.gradient, gradientOf: 'categoricalCrossEntropy' },
  categoricalCrossEntropyFromLogits: { name: 'categoricalCrossEntropyFromLogits', argNames: ['yTrue', 'z'], reference: ref.categoricalCrossEntropyFromLogits, shape: scalar, tolerance: TOLERANCE.loss },
  categoricalCrossEntropyFromLogitsGrad: { name: 'categoricalCrossEntropyFromLogitsGrad', argNames: ['yTrue', 'z'], reference: ref.categoricalCrossEntropyFromLogitsGrad, shape: likeArg(1), tolerance: TOLERANCE.gradient, gradientOf: 'categoricalCrossEntropyFromLogits' },
  classificationError: { name: 'classificationError', argNames: ['yTrue', 'scores'], reference: ref.classificationError, shape: scalar, tolerance: TOLERANCE.exact },
} satisfies Record<keyof typeof ref.LOSSES_REFERENCE, FunctionSpec>;

for (const spec of Object.values(specs) as FunctionSpec[]) {
  if (!spec.gradientOf && spec.shape([[0]]).kind === 'number') LOSS_REFERENCES.set(spec.name, spec.reference as (...a: unknown[]) => number);
}

export default defineSuite(() => {
  describe('sigmoid', () => {
    const spec = specs.sigmoid;
    interfaceCheck(spec, hand('z = [-2, 0, 3]', [-2, 0, 3]), { points: 1 });
    valueCheck(spec, 'accuracy.hand', 'matches σ(z) = 1 / (1 + e^−z) on hand-picked values', 'accuracy', hand('z = [-4, -1, 0, 0.5, 2, 7]', [-4, -1, 0, 0.5, 2, 7]), { points: 2 });
    valueCheck(spec, 'accuracy.seeded', 'matches the reference on seeded inputs', 'accuracy', { label: 'seeded (seed 11)', args: [ref.createRng(11).vector(25, -10, 10)] }, { points: 2, visibility: 'hidden' });
    valueCheck(spec, 'stability.extreme', 'is finite and exact at z = ±1000', 'stability', hand('z = [-1000, -50, 0, 50, 1000]', [-1000, -50, 0, 50, 1000]), { points: 2 });
  });

  describe('softmax', () => {
    const spec = specs.softmax;
    interfaceCheck(spec, hand('z = [[1, 2, 3], [0, 0, 0]]', [[1, 2, 3], [0, 0, 0]]), { points: 1 });
    valueCheck(spec, 'accuracy.hand', 'normalises each row: e^z / Σ e^z', 'accuracy', hand('z = [[1, 2, 3], [2, -1, 0.5], [0, 0, 0]]', [[1, 2, 3], [2, -1, 0.5], [0, 0, 0]]), { points: 2 });
    valueCheck(spec, 'accuracy.seeded', 'matches the reference on seeded inputs', 'accuracy', inputs.logitRows(12, 9, 4), { points: 2, visibility: 'hidden' });
    valueCheck(spec, 'stability.huge-rows', 'handles rows of huge logits without overflow', 'stability', hand('z = [[1000, 0, -1000], [1000, 1000, 999], [-1000, -1000, -1000]]', [[1000, 0, -1000], [1000, 1000, 999], [-1000, -1000, -1000]]), { points: 2 });
  });

  describe('mse', () => {
    const spec = specs.mse;
    interfaceCheck(spec, hand('yTrue = [1, 2], yPred = [1.5, 1]', [1, 2], [1.5, 1]), { points: 1 });
    valueCheck(spec, 'accuracy.hand', 'is the mean of squared errors', 'accuracy', hand('yTrue = [1, 2, 3, 4], yPred = [1.5, 2, 2, 5]', [1, 2, 3, 4], [1.5, 2, 2, 5]), { points: 2 });
    valueCheck(spec, 'accuracy.seeded', 'matches the reference on seeded inputs', 'accuracy', inputs.regression(21, 30), { points: 2, visibility: 'hidden' });
  });

  describe('mseGrad', () => {
    const spec = specs.mseGrad;
    interfaceCheck(spec, hand('yTrue = [1, 2], yPred = [1.5, 1]', [1, 2], [1.5, 1]), { points: 1 });
    gradientReferenceCheck(spec, 'gradient.reference', 'equals (2/N)(yPred − yTrue)', inputs.regression(22, 8), { points: 3 });
    gradientSelfCheck(spec, inputs.regression(23, 6), { points: 2 });
    gradientReferenceCheck(spec, 'gradient.seeded', 'matches the reference on a larger seeded batch', inputs.regression(24, 41), { points: 2, visibility: 'hidden' });
  });

  describe('binaryCrossEntropy', () => {
    const spec = specs.binaryCrossEntropy;
    interfaceCheck(spec, hand('yTrue = [1, 0], p = [0.8, 0.3]', [1, 0], [0.8, 0.3]), { points: 1 });
    valueCheck(spec, 'accuracy.hand', 'is −mean[y ln p + (1 − y) ln(1 − p)]', 'accuracy', hand('yTrue = [1, 0, 1, 0], p = [0.9, 0.2, 0.6, 0.7]', [1, 0, 1, 0], [0.9, 0.2, 0.6, 0.7]), { points: 2 });
    valueCheck(spec, 'accuracy.seeded', 'matches the reference on seeded inputs', 'accuracy', inputs.binaryProbabilities(31, 30), { points: 2, visibility: 'hidden' });
    valueCheck(spec, 'stability.certain', 'is finite when p is exactly 0 or 1 and matches the label', 'stability', hand('yTrue = [1, 0, 1, 0], p = [1, 0, 0.7, 0.2]', [1, 0, 1, 0], [1, 0, 0.7, 0.2]), { points: 2 });
  });

  describe('binaryCrossEntropyGrad', () => {
    const spec = specs.binaryCrossEntropyGrad;
    interfaceCheck(spec, hand('yTrue = [1, 0], p = [0.8, 0.3]', [1, 0], [0.8, 0.3]), { points: 1 });
    gradientReferenceCheck(spec, 'gradient.reference', 'equals (1/N)(−y/p + (1 − y)/(1 − p))', inputs.binaryProbabilities(32, 8), { points: 3 });
    gradientSelfCheck(spec, inputs.binaryProbabilities(33, 6), { points: 2 });
    gradientReferenceCheck(spec, 'gradient.seeded', 'matches the reference on a larger seeded batch', inputs.binaryProbabilities(34, 37), { points: 2, visibility: 'hidden' });
    valueCheck(spec, 'stability.certain', 'is finite when p is exactly 0 or 1 and matches the label', 'stability', hand('yTrue = [1, 0, 1, 0], p = [1, 0, 0.7, 0.2]', [1, 0, 1, 0], [1, 0, 0.7, 0.2]), { points: 1 });
  });

  describe('binaryCrossEntropyFromLogits', () => {
    const spec = specs.binaryCrossEntropyFromLogits;
    interfaceCheck(spec, hand('yTrue = [1, 0], z = [2, -1]', [1, 0], [2, -1]), { points: 1 });
    valueCheck(spec, 'accuracy.hand', 'equals binary cross-entropy of σ(z)', 'accuracy', hand('yTrue = [1, 0, 1, 0], z = [2, -1, -0.5, 3]', [1, 0, 1, 0], [2, -1, -0.5, 3]), { points: 2 });
    valueCheck(spec, 'accuracy.seeded', 'matches the reference on seeded inputs', 'accuracy', inputs.binaryLogits(41, 30), { points: 2, visibility: 'hidden' });
    valueCheck(spec, 'stability.extreme', 'is finite and exact at |z| = 100 and 1000', 'stability', hand('yTrue = [0, 1, 0, 1], z = [100, -1000, 1000, 1000]', [0, 1, 0, 1], [100, -1000, 1000, 1000]), { points: 2 });
  });

  describe('binaryCrossEntropyFromLogitsGrad', () => {
    const spec = specs.binaryCrossEntropyFromLogitsGrad;
    interfaceCheck(spec, hand('yTrue = [1, 0], z = [2, -1]', [1, 0], [2, -1]), { points: 1 });
    gradientReferenceCheck(spec, 'gradient.reference', 'equals (σ(z) − y)/N', inputs.binaryLogits(42, 8), { points: 3 });
    gradientSelfCheck(spec, inputs.binaryLogits(43, 6), { points: 2 });
    gradientReferenceCheck(spec, 'gradient.seeded', 'matches the reference on a larger seeded batch', inputs.binaryLogits(44, 37), { points: 2, visibility: 'hidden' });
    valueCheck(spec, 'stability.extreme', 'is finite and exact at z = ±1000', 'stability', hand('yTrue = [0, 1, 0, 1], z = [1000, -1000, -1000, 1000]', [0, 1, 0, 1], [1000, -1000, -1000, 1000]), { points: 1 });
  });

  describe('categoricalCrossEntropy', () => {
    const spec = specs.categoricalCrossEntropy;
    interfaceCheck(spec, hand('yTrue = [[0, 1], [1, 0]], p = [[0.3, 0.7], [0.6, 0.4]]', [[0, 1], [1, 0]], [[0.3, 0.7], [0.6, 0.4]]), { points: 1 });
    valueCheck(spec, 'accuracy.hand', 'is −mean Σₖ y ln p (Keras golden value 1.1769392)', 'accuracy', hand('yTrue = [[0, 1, 0], [0, 0, 1]], p = [[0.05, 0.95, 0], [0.1, 0.8, 0.1]]', [[0, 1, 0], [0, 0, 1]], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]]), { points: 2 });
    valueCheck(spec, 'accuracy.seeded', 'matches the reference on seeded inputs', 'accuracy', inputs.categoricalProbabilities(51, 20, 4), { points: 2, visibility: 'hidden' });
    valueCheck(spec, 'stability.certain', 'is finite when probabilities are exactly 0 or 1 and match the labels', 'stability', hand('yTrue = [[1, 0, 0], [0, 1, 0]], p = [[1, 0, 0], [0.2, 0.8, 0]]', [[1, 0, 0], [0, 1, 0]], [[1, 0, 0], [0.2, 0.8, 0]]), { points: 2 });
  });

  describe('categoricalCrossEntropyGrad', () => {
    const spec = specs.categoricalCrossEntropyGrad;
    interfaceCheck(spec, hand('yTrue = [[0, 1], [1, 0]], p = [[0.3, 0.7], [0.6, 0.4]]', [[0, 1], [1, 0]], [[0.3, 0.7], [0.6, 0.4]]), { points: 1 });
    gradientReferenceCheck(spec, 'gradient.reference', 'equals −y / (N·p)', inputs.categoricalProbabilities(52, 6, 3), { points: 3 });
    gradientSelfCheck(spec, inputs.categoricalProbabilities(53, 4, 3), { points: 2 });
    gradientReferenceCheck(spec, 'gradient.seeded', 'matches the reference on a larger seeded batch', inputs.categoricalProbabilities(54, 23, 5), { points: 2, visibility: 'hidden' });
    valueCheck(spec, 'stability.certain', 'is finite when probabilities are exactly 0 or 1 and match the labels', 'stability', hand('yTrue = [[1, 0, 0], [0, 1, 0]], p = [[1, 0, 0], [0.2, 0.8, 0]]', [[1, 0, 0], [0, 1, 0]], [[1, 0, 0], [0.2, 0.8, 0]]), { points: 1 });
  });

  describe('categoricalCrossEntropyFromLogits', () => {
    const spec = specs.categoricalCrossEntropyFromLogits;
    interfaceCheck(spec, hand('yTrue = [[0, 1], [1, 0]], z = [[0.5, 1], [2, -1]]', [[0, 1], [1, 0]], [[0.5, 1], [2, -1]]), { points: 1 });
    valueCheck(spec, 'accuracy.hand', 'equals categorical cross-entropy of softmax(z)', 'accuracy', hand('yTrue = [[0, 1, 0], [0, 0, 1], [1, 0, 0]], z = [[1, 2, 0], [0.5, -1, 2], [3, 0, 0]]', [[0, 1, 0], [0, 0, 1], [1, 0, 0]], [[1, 2, 0], [0.5, -1, 2], [3, 0, 0]]), { points: 2 });
    valueCheck(spec, 'accuracy.seeded', 'matches the reference on seeded inputs', 'accuracy', inputs.categoricalLogits(61, 20, 4), { points: 2, visibility: 'hidden' });
    valueCheck(spec, 'stability.huge-rows', 'is finite and exact for rows of huge logits (log-sum-exp)', 'stability', hand('yTrue = [[1, 0, 0], [0, 0, 1], [0, 1, 0]], z = [[1000, 0, -1000], [1000, 0, -1000], [-1000, 1000, 1000]]', [[1, 0, 0], [0, 0, 1], [0, 1, 0]], [[1000, 0, -1000], [1000, 0, -1000], [-1000, 1000, 1000]]), { points: 2 });
  });

  describe('categoricalCrossEntropyFromLogitsGrad', () => {
    const spec = specs.categoricalCrossEntropyFromLogitsGrad;
    interfaceCheck(spec, hand('yTrue = [[0, 1], [1, 0]], z = [[0.5, 1], [2, -1]]', [[0, 1], [1, 0]], [[0.5, 1], [2, -1]]), { points: 1 });
    gradientReferenceCheck(spec, 'gradient.reference', 'equals (softmax(z) − y)/N', inputs.categoricalLogits(62, 6, 3), { points: 3 });
    gradientSelfCheck(spec, inputs.categoricalLogits(63, 4, 3), { points: 2 });
    gradientReferenceCheck(spec, 'gradient.seeded', 'matches the reference on a larger seeded batch', inputs.categoricalLogits(64, 23, 5), { points: 2, visibility: 'hidden' });
    valueCheck(spec, 'stability.huge-rows', 'is finite and exact for rows of huge logits', 'stability', hand('yTrue = [[1, 0, 0], [0, 0, 1]], z = [[1000, 0, -1000], [1000, 999, -1000]]', [[1, 0, 0], [0, 0, 1]], [[1000, 0, -1000], [1000, 999, -1000]]), { points: 1 });
  });

  describe('classificationError', () => {
    const spec = specs.classificationError;
    interfaceCheck(spec, hand('yTrue = [1, 0], scores = [0.9, 0.2]', [1, 0], [0.9, 0.2]), { points: 1 });
    valueCheck(spec, 'accuracy.binary', 'counts p ≥ 0.5 as class 1 and returns the fraction wrong', 'accuracy', hand('yTrue = [1, 0, 1, 0, 1], scores = [0.9, 0.6, 0.3, 0.1, 0.51]', [1, 0, 1, 0, 1], [0.9, 0.6, 0.3, 0.1, 0.51]), { points: 2 });
    valueCheck(spec, 'accuracy.multiclass', 'predicts the argmax of each row of scores', 'accuracy', hand('yTrue = [2, 0, 1, 1], scores = [[0.1, 0.2, 0.7], [0.5, 0.3, 0.2], [0.6, 0.3, 0.1], [-1, 4, 2]]', [2, 0, 1, 1], [[0.1, 0.2, 0.7], [0.5, 0.3, 0.2], [0.6, 0.3, 0.1], [-1, 4, 2]]), { points: 2 });
    valueCheck(spec, 'accuracy.seeded-binary', 'matches the reference on seeded binary scores', 'accuracy', inputs.binaryScores(71, 40), { points: 2, visibility: 'hidden' });
    valueCheck(spec, 'accuracy.seeded-multiclass', 'matches the reference on seeded multi-class scores', 'accuracy', inputs.multiclassScores(72, 40, 5), { points: 2, visibility: 'hidden' });
  });
});
