/**
 * The grading suite of the "losses" assignment. Each export gets an interface check, accuracy
 * checks on hand-picked (public) and seeded (hidden) inputs, gradient checks (against the
 * reference and against finite differences of the student's own loss) and stability checks at
 * extreme inputs; every rule of the handout has a check whose input breaks it (p = 0.5 exactly,
 * tied scores, row maxima outside column 0, impossible predictions, clipping). Points add up to 100.
 *
 * A fault is charged once: every check names one function and fails only when that function's own
 * output is wrong (README, "A fault is charged once").
 */
import * as ref from 'mlgrade/reference';
import {
  createRng,
  defineSuite,
  finiteDifferenceCheck,
  gradientCheck,
  interfaceCheck,
  likeArgument,
  scalarShape,
  stabilityCheck,
  tolerancesFor,
  valueCheck,
  type Case,
  type ClippingSpec,
  type FunctionSpec,
  type MistakeSpec,
  type Tolerance,
} from 'mlgrade/suite';
import * as inputs from './inputs';

/** Tolerances by name (assignment.json may override them under "tolerances"). */
export const TOLERANCE = tolerancesFor({
  activation: { rtol: 1e-6, atol: 1e-10 },
  loss: { rtol: 1e-5, atol: 1e-5 },
  /** Losses whose exact value is 0 (every prediction certain and right): clipping shows here. */
  certain: { rtol: 1e-5, atol: 1e-9 },
  gradient: { rtol: 1e-5, atol: 1e-8 },
  exact: { rtol: 0, atol: 1e-12 },
} satisfies Record<string, Tolerance>);

/** Clipping p into [ε, 1 − ε] is tolerated up to Keras' ε = 1e-7 (the handout says so). */
const CLIPPING: ClippingSpec = { arg: 1, epsilon: 1e-7 };

const hand = (label: string, ...args: unknown[]): Case => ({ label, args });

/** σ′(z) for each element of a vector of logits (argument index 1). */
const slopeOfLogits = (args: unknown[]): number[] => ref.sigmoid(args[1] as number[]).map((p) => p * (1 - p));

/** (p − y)/N elementwise, for a vector or a matrix: the gradient with respect to the logits. */
function logitGradient(yTrue: number[] | number[][], p: number[] | number[][]): number[] | number[][] {
  const n = yTrue.length;
  if (Array.isArray(p[0])) return (p as number[][]).map((row, i) => row.map((v, k) => (v - (yTrue as number[][])[i][k]) / n));
  return (p as number[]).map((v, i) => (v - (yTrue as number[])[i]) / n);
}

/** The probability-space gradient functions returning the logit-space gradient (p − y)/N. */
const returnsLogitGradient: MistakeSpec = {
  hint: 'Your gradient is (p − y)/N: that is the gradient with respect to the LOGITS z (where the slope of the sigmoid or softmax cancels). This function receives probabilities p, and the gradient with respect to p keeps the division by p: see its formula in the handout.',
  value: ([yTrue, p]) => logitGradient(yTrue as number[][], p as number[][]),
};

/** categoricalCrossEntropyFromLogitsGrad returning the gradient with respect to softmax(z) instead of z. */
const returnsProbabilityGradient: MistakeSpec = {
  hint: 'Your gradient is −y/(N·p) with p = softmax(z): that is the gradient with respect to the probabilities, not the logits. With respect to z the softmax Jacobian collapses it to (softmax(z) − y)/N.',
  value: ([yTrue, z]) => ref.categoricalCrossEntropyGrad(yTrue as number[][], ref.softmax(z as number[][])),
};

/** binaryCrossEntropyFromLogitsGrad returning the probability-space gradient at p = σ(z). */
const returnsGradientWithRespectToSigmoid: MistakeSpec = {
  hint: "Your gradient is binaryCrossEntropyGrad(y, σ(z)): the gradient with respect to p = σ(z), not z — the sigmoid's slope σ′(z) is missing from the chain rule; with it, everything cancels to (σ(z) − y)/N.",
  value: ([yTrue, z]) => ref.binaryCrossEntropyGrad(yTrue as number[], ref.sigmoid(z as number[])),
};

/** The largest |x| of a vector or a matrix. */
function largestMagnitude(value: number[] | number[][]): number {
  let m = 0;
  for (const v of value) {
    if (typeof v === 'number') m = Math.max(m, Math.abs(v));
    else for (const x of v) m = Math.max(m, Math.abs(x));
  }
  return m;
}

/** A from-logits loss computed through probabilities clipped into [ε, 1 − ε], at the usual ε values. */
function throughClippedProbabilities(loss: (y: never, p: never) => number, activation: (z: never) => unknown, what: string): MistakeSpec[] {
  const clip = (v: unknown, e: number): unknown => (typeof v === 'number' ? Math.min(Math.max(v, e), 1 - e) : (v as unknown[]).map((x) => clip(x, e)));
  // Clipping at 1e-15 changes σ(z) only where |z| > −ln 1e-15 ≈ 34.5 (softmax alike): elsewhere these equal the right answer.
  const when = ([, z]: unknown[]) => largestMagnitude(z as number[] | number[][]) > 30;
  return [1e-7, 1e-10, 1e-12, 1e-15].map((epsilon) => ({
    when,
    hint: `This is ${what} of the probabilities clipped into [ε, 1 − ε] with ε = ${epsilon}: going through probabilities caps each sample's loss at −ln ε, far from the exact value at large |z|. Compute it from the logits (the stable form in the handout).`,
    value: ([yTrue, z]) => loss(yTrue as never, clip(activation(z as never), epsilon) as never),
  }));
}

/** classificationError counting p = 0.5 as class 0 (p > 0.5). */
const strictThreshold: MistakeSpec = {
  when: ([, scores]) => (scores as unknown[]).some((s) => s === 0.5),
  hint: 'Your error counts a probability of exactly 0.5 as class 0: the rule is p ≥ 0.5 → class 1 (>=, not >).',
  value: ([yTrue, scores]) => {
    if (Array.isArray((scores as unknown[])[0])) return ref.classificationError(yTrue as number[], scores as number[][]);
    const y = yTrue as number[];
    return (scores as number[]).filter((p, i) => (p > 0.5 ? 1 : 0) !== y[i]).length / y.length;
  },
};

/** classificationError taking the last index of a tied maximum. */
const lastIndexOnTies: MistakeSpec = {
  when: ([, scores]) => (scores as unknown[]).some((row) => Array.isArray(row) && row.filter((v) => v === Math.max(...row)).length > 1),
  hint: 'On a tie your prediction is the LAST index with the largest score: the rule is the FIRST such index (replace the best index only when a score is strictly greater).',
  value: ([yTrue, scores]) => {
    if (!Array.isArray((scores as unknown[])[0])) return ref.classificationError(yTrue as number[], scores as number[]);
    const y = yTrue as number[];
    const last = (row: number[]) => row.reduce((best, v, j) => (v >= row[best] ? j : best), 0);
    return (scores as number[][]).filter((row, i) => last(row) !== y[i]).length / y.length;
  },
};

/** A loss of (yTrue, `prediction`) → a number. */
const loss = (name: string, prediction: 'yPred' | 'p' | 'z', reference: FunctionSpec['reference'], extra: Partial<FunctionSpec> = {}): FunctionSpec => ({
  name,
  argNames: ['yTrue', prediction],
  reference,
  shape: scalarShape,
  tolerance: TOLERANCE.loss,
  ...(prediction === 'p' ? { domain: 'probabilities' as const, clipping: CLIPPING } : prediction === 'z' ? { domain: 'logits' as const } : {}),
  ...extra,
});

/** The gradient of `of` with respect to its second argument. */
const gradient = (name: string, reference: FunctionSpec['reference'], of: FunctionSpec, extra: Partial<FunctionSpec> = {}): FunctionSpec => ({
  name,
  argNames: of.argNames,
  reference,
  shape: likeArgument(1),
  tolerance: TOLERANCE.gradient,
  gradientOf: of.name,
  lossReference: of.reference as FunctionSpec['lossReference'],
  lossTolerance: of.tolerance,
  ...(of.domain ? { domain: of.domain } : {}),
  ...(of.clipping ? { clipping: of.clipping } : {}),
  ...extra,
});

const mse = loss('mse', 'yPred', ref.mse);
const binaryCrossEntropy = loss('binaryCrossEntropy', 'p', ref.binaryCrossEntropy);
const binaryCrossEntropyFromLogits = loss('binaryCrossEntropyFromLogits', 'z', ref.binaryCrossEntropyFromLogits, {
  mistakes: throughClippedProbabilities(ref.binaryCrossEntropy as never, ref.sigmoid as never, 'binaryCrossEntropy'),
});
const categoricalCrossEntropy = loss('categoricalCrossEntropy', 'p', ref.categoricalCrossEntropy);
const categoricalCrossEntropyFromLogits = loss('categoricalCrossEntropyFromLogits', 'z', ref.categoricalCrossEntropyFromLogits, {
  mistakes: throughClippedProbabilities(ref.categoricalCrossEntropy as never, ref.softmax as never, 'categoricalCrossEntropy'),
});

const specs = {
  sigmoid: { name: 'sigmoid', argNames: ['z'], reference: ref.sigmoid, shape: likeArgument(0), tolerance: TOLERANCE.activation, domain: 'logits' },
  softmax: { name: 'softmax', argNames: ['z'], reference: ref.softmax, shape: likeArgument(0), tolerance: TOLERANCE.activation, rowsSumToOne: true, domain: 'logits' },
  mse,
  mseGrad: gradient('mseGrad', ref.mseGrad, mse),
  binaryCrossEntropy,
  binaryCrossEntropyGrad: gradient('binaryCrossEntropyGrad', ref.binaryCrossEntropyGrad, binaryCrossEntropy, { mistakes: [returnsLogitGradient] }),
  binaryCrossEntropyFromLogits,
  binaryCrossEntropyFromLogitsGrad: gradient('binaryCrossEntropyFromLogitsGrad', ref.binaryCrossEntropyFromLogitsGrad, binaryCrossEntropyFromLogits, {
    sigmoidSlope: slopeOfLogits,
    mistakes: [returnsGradientWithRespectToSigmoid],
  }),
  categoricalCrossEntropy,
  categoricalCrossEntropyGrad: gradient('categoricalCrossEntropyGrad', ref.categoricalCrossEntropyGrad, categoricalCrossEntropy, { mistakes: [returnsLogitGradient] }),
  categoricalCrossEntropyFromLogits,
  categoricalCrossEntropyFromLogitsGrad: gradient('categoricalCrossEntropyFromLogitsGrad', ref.categoricalCrossEntropyFromLogitsGrad, categoricalCrossEntropyFromLogits, { mistakes: [returnsProbabilityGradient] }),
  classificationError: {
    name: 'classificationError',
    argNames: ['yTrue', 'scores'],
    reference: ref.classificationError,
    shape: scalarShape,
    tolerance: TOLERANCE.exact,
    mistakes: [strictThreshold, lastIndexOnTies],
  },
} satisfies Record<keyof typeof ref.LOSSES_REFERENCE, FunctionSpec>;

export default defineSuite(() => {
  describe('sigmoid', () => {
    const spec = specs.sigmoid;
    interfaceCheck(spec, hand('z = [-2, 0, 3]', [-2, 0, 3]), { points: 1 });
    valueCheck(spec, 'accuracy.hand', 'matches σ(z) = 1 / (1 + e^−z) on hand-picked values', 'accuracy', hand('z = [-4, -1, 0, 0.5, 2, 7]', [-4, -1, 0, 0.5, 2, 7]), { points: 2 });
    valueCheck(spec, 'accuracy.seeded', 'matches the reference on seeded inputs', 'accuracy', { label: 'seeded (seed 11)', args: [createRng(11).vector(25, -10, 10)] }, { points: 1, visibility: 'hidden' });
    stabilityCheck(spec, 'stability.extreme', 'is finite and exact at z = ±1000', hand('z = [-1000, -50, 0, 50, 1000]', [-1000, -50, 0, 50, 1000]), { points: 1 });
  });

  describe('softmax', () => {
    const spec = specs.softmax;
    interfaceCheck(spec, hand('z = [[1, 2, 3], [0, 0, 0]]', [[1, 2, 3], [0, 0, 0]]), { points: 1 });
    valueCheck(spec, 'accuracy.hand', 'normalises each row: e^z / Σ e^z', 'accuracy', hand('z = [[1, 2, 3], [2, -1, 0.5], [0, 0, 0]]', [[1, 2, 3], [2, -1, 0.5], [0, 0, 0]]), { points: 2 });
    valueCheck(spec, 'accuracy.seeded', 'matches the reference on seeded inputs', 'accuracy', inputs.logitRows(12, 9, 4), { points: 1, visibility: 'hidden' });
    // Row maxima in every column: shifting by the first entry instead of the row's maximum overflows.
    const hugeRows = [[1000, 0, -1000], [0, 1000, -1000], [-1000, 999, 1000], [1000, 1000, 999], [-1000, -1000, -1000]];
    stabilityCheck(spec, 'stability.huge-rows', "subtracts each row's maximum: rows of huge logits, the maximum in any column", hand(`z = ${JSON.stringify(hugeRows)}`, hugeRows), { points: 2 });
    stabilityCheck(spec, 'stability.seeded-huge-rows', 'handles seeded rows of logits in [−1000, 1000]', inputs.hugeLogitRows(13, 8, 4), { points: 1, visibility: 'hidden' });
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
    gradientCheck(spec, 'gradient.reference', 'equals (2/N)(yPred − yTrue)', inputs.regression(22, 8), { points: 3 });
    finiteDifferenceCheck(spec, inputs.regression(23, 6), { points: 2 });
    gradientCheck(spec, 'gradient.seeded', 'matches the reference on a larger seeded batch', inputs.regression(24, 41), { points: 2, visibility: 'hidden' });
  });

  describe('binaryCrossEntropy', () => {
    const spec = specs.binaryCrossEntropy;
    interfaceCheck(spec, hand('yTrue = [1, 0], p = [0.8, 0.3]', [1, 0], [0.8, 0.3]), { points: 1 });
    valueCheck(spec, 'accuracy.hand', 'is −mean[y ln p + (1 − y) ln(1 − p)]', 'accuracy', hand('yTrue = [1, 0, 1, 0], p = [0.9, 0.2, 0.6, 0.7]', [1, 0, 1, 0], [0.9, 0.2, 0.6, 0.7]), { points: 2 });
    valueCheck(spec, 'accuracy.seeded', 'matches the reference on seeded inputs', 'accuracy', inputs.binaryProbabilities(31, 30), { points: 2, visibility: 'hidden' });
    stabilityCheck(spec, 'stability.certain', 'is exactly 0 when every prediction is certain and right (p = y ∈ {0, 1}; clipping with ε ≤ 1e-7 tolerated)', hand('yTrue = [1, 0, 1, 0], p = [1, 0, 1, 0]', [1, 0, 1, 0], [1, 0, 1, 0]), {
      points: 1,
      tolerance: TOLERANCE.certain,
    });
    stabilityCheck(spec, 'stability.impossible', 'is +Infinity, not NaN, when a prediction is certain and wrong (y = 1, p = 0 or y = 0, p = 1)', hand('yTrue = [1, 0, 1, 0], p = [0, 1, 0.6, 0.3]', [1, 0, 1, 0], [0, 1, 0.6, 0.3]), { points: 1 });
  });

  describe('binaryCrossEntropyGrad', () => {
    const spec = specs.binaryCrossEntropyGrad;
    interfaceCheck(spec, hand('yTrue = [1, 0], p = [0.8, 0.3]', [1, 0], [0.8, 0.3]), { points: 1 });
    gradientCheck(spec, 'gradient.reference', 'equals (1/N)(−y/p + (1 − y)/(1 − p))', inputs.binaryProbabilities(32, 8), { points: 3 });
    finiteDifferenceCheck(spec, inputs.binaryProbabilities(33, 6), { points: 2 });
    gradientCheck(spec, 'gradient.seeded', 'matches the reference on a larger seeded batch', inputs.binaryProbabilities(34, 37), { points: 2, visibility: 'hidden' });
    stabilityCheck(spec, 'stability.certain', 'is finite when p is exactly 0 or 1 and matches the label', hand('yTrue = [1, 0, 1, 0], p = [1, 0, 0.7, 0.2]', [1, 0, 1, 0], [1, 0, 0.7, 0.2]), { points: 1 });
  });

  describe('binaryCrossEntropyFromLogits', () => {
    const spec = specs.binaryCrossEntropyFromLogits;
    interfaceCheck(spec, hand('yTrue = [1, 0], z = [2, -1]', [1, 0], [2, -1]), { points: 1 });
    valueCheck(spec, 'accuracy.hand', 'equals binary cross-entropy of σ(z)', 'accuracy', hand('yTrue = [1, 0, 1, 0], z = [2, -1, -0.5, 3]', [1, 0, 1, 0], [2, -1, -0.5, 3]), { points: 2 });
    valueCheck(spec, 'accuracy.seeded', 'matches the reference on seeded inputs', 'accuracy', inputs.binaryLogits(41, 30), { points: 2, visibility: 'hidden' });
    stabilityCheck(spec, 'stability.extreme', 'is finite and exact at |z| = 100 and 1000', hand('yTrue = [0, 1, 0, 1], z = [100, -1000, 1000, 1000]', [0, 1, 0, 1], [100, -1000, 1000, 1000]), { points: 2 });
  });

  describe('binaryCrossEntropyFromLogitsGrad', () => {
    const spec = specs.binaryCrossEntropyFromLogitsGrad;
    interfaceCheck(spec, hand('yTrue = [1, 0], z = [2, -1]', [1, 0], [2, -1]), { points: 1 });
    gradientCheck(spec, 'gradient.reference', 'equals (σ(z) − y)/N', inputs.binaryLogits(42, 8), { points: 3 });
    finiteDifferenceCheck(spec, inputs.binaryLogits(43, 6), { points: 2 });
    gradientCheck(spec, 'gradient.seeded', 'matches the reference on a larger seeded batch', inputs.binaryLogits(44, 37), { points: 2, visibility: 'hidden' });
    stabilityCheck(spec, 'stability.extreme', 'is finite and exact at z = ±1000', hand('yTrue = [0, 1, 0, 1], z = [1000, -1000, -1000, 1000]', [0, 1, 0, 1], [1000, -1000, -1000, 1000]), { points: 1 });
  });

  describe('categoricalCrossEntropy', () => {
    const spec = specs.categoricalCrossEntropy;
    interfaceCheck(spec, hand('yTrue = [[0, 1], [1, 0]], p = [[0.3, 0.7], [0.6, 0.4]]', [[0, 1], [1, 0]], [[0.3, 0.7], [0.6, 0.4]]), { points: 1 });
    valueCheck(spec, 'accuracy.hand', 'is −mean Σₖ y ln p (Keras golden value 1.1769392)', 'accuracy', hand('yTrue = [[0, 1, 0], [0, 0, 1]], p = [[0.05, 0.95, 0], [0.1, 0.8, 0.1]]', [[0, 1, 0], [0, 0, 1]], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]]), { points: 2 });
    valueCheck(spec, 'accuracy.seeded', 'matches the reference on seeded inputs', 'accuracy', inputs.categoricalProbabilities(51, 20, 4), { points: 2, visibility: 'hidden' });
    const certain = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
    stabilityCheck(spec, 'stability.certain', 'is exactly 0 when every prediction is certain and right (p = y one-hot; clipping with ε ≤ 1e-7 tolerated)', hand(`yTrue = p = ${JSON.stringify(certain)}`, certain, certain.map((row) => row.slice())), {
      points: 1,
      tolerance: TOLERANCE.certain,
    });
    stabilityCheck(spec, 'stability.impossible', 'is +Infinity, not NaN, when the true class has probability exactly 0', hand('yTrue = [[1, 0, 0], [0, 1, 0]], p = [[0, 0.5, 0.5], [0.2, 0.7, 0.1]]', [[1, 0, 0], [0, 1, 0]], [[0, 0.5, 0.5], [0.2, 0.7, 0.1]]), { points: 1 });
  });

  describe('categoricalCrossEntropyGrad', () => {
    const spec = specs.categoricalCrossEntropyGrad;
    interfaceCheck(spec, hand('yTrue = [[0, 1], [1, 0]], p = [[0.3, 0.7], [0.6, 0.4]]', [[0, 1], [1, 0]], [[0.3, 0.7], [0.6, 0.4]]), { points: 1 });
    gradientCheck(spec, 'gradient.reference', 'equals −y / (N·p)', inputs.categoricalProbabilities(52, 6, 3), { points: 3 });
    finiteDifferenceCheck(spec, inputs.categoricalProbabilities(53, 4, 3), { points: 2 });
    gradientCheck(spec, 'gradient.seeded', 'matches the reference on a larger seeded batch', inputs.categoricalProbabilities(54, 23, 5), { points: 2, visibility: 'hidden' });
    stabilityCheck(spec, 'stability.certain', 'is finite when probabilities are exactly 0 or 1 and match the labels', hand('yTrue = [[1, 0, 0], [0, 1, 0]], p = [[1, 0, 0], [0.2, 0.8, 0]]', [[1, 0, 0], [0, 1, 0]], [[1, 0, 0], [0.2, 0.8, 0]]), { points: 1 });
  });

  describe('categoricalCrossEntropyFromLogits', () => {
    const spec = specs.categoricalCrossEntropyFromLogits;
    interfaceCheck(spec, hand('yTrue = [[0, 1], [1, 0]], z = [[0.5, 1], [2, -1]]', [[0, 1], [1, 0]], [[0.5, 1], [2, -1]]), { points: 1 });
    valueCheck(spec, 'accuracy.hand', 'equals categorical cross-entropy of softmax(z)', 'accuracy', hand('yTrue = [[0, 1, 0], [0, 0, 1], [1, 0, 0]], z = [[1, 2, 0], [0.5, -1, 2], [3, 0, 0]]', [[0, 1, 0], [0, 0, 1], [1, 0, 0]], [[1, 2, 0], [0.5, -1, 2], [3, 0, 0]]), { points: 2 });
    valueCheck(spec, 'accuracy.seeded', 'matches the reference on seeded inputs', 'accuracy', inputs.categoricalLogits(61, 20, 4), { points: 2, visibility: 'hidden' });
    stabilityCheck(spec, 'stability.huge-rows', 'is finite and exact for rows of huge logits (log-sum-exp)', hand('yTrue = [[1, 0, 0], [0, 0, 1], [0, 1, 0]], z = [[1000, 0, -1000], [1000, 0, -1000], [-1000, 1000, 1000]]', [[1, 0, 0], [0, 0, 1], [0, 1, 0]], [[1000, 0, -1000], [1000, 0, -1000], [-1000, 1000, 1000]]), { points: 2 });
  });

  describe('categoricalCrossEntropyFromLogitsGrad', () => {
    const spec = specs.categoricalCrossEntropyFromLogitsGrad;
    interfaceCheck(spec, hand('yTrue = [[0, 1], [1, 0]], z = [[0.5, 1], [2, -1]]', [[0, 1], [1, 0]], [[0.5, 1], [2, -1]]), { points: 1 });
    gradientCheck(spec, 'gradient.reference', 'equals (softmax(z) − y)/N', inputs.categoricalLogits(62, 6, 3), { points: 3 });
    finiteDifferenceCheck(spec, inputs.categoricalLogits(63, 4, 3), { points: 2 });
    gradientCheck(spec, 'gradient.seeded', 'matches the reference on a larger seeded batch', inputs.categoricalLogits(64, 23, 5), { points: 2, visibility: 'hidden' });
    stabilityCheck(spec, 'stability.huge-rows', 'is finite and exact for rows of huge logits, the maximum in any column', hand('yTrue = [[1, 0, 0], [0, 0, 1], [0, 1, 0]], z = [[1000, 0, -1000], [1000, 999, -1000], [-1000, 999, 1000]]', [[1, 0, 0], [0, 0, 1], [0, 1, 0]], [[1000, 0, -1000], [1000, 999, -1000], [-1000, 999, 1000]]), { points: 1 });
  });

  describe('classificationError', () => {
    const spec = specs.classificationError;
    interfaceCheck(spec, hand('yTrue = [1, 0], scores = [0.9, 0.2]', [1, 0], [0.9, 0.2]), { points: 1 });
    valueCheck(spec, 'accuracy.binary', 'returns the fraction of samples misclassified at the 0.5 threshold', 'accuracy', hand('yTrue = [1, 0, 1, 0, 1], scores = [0.9, 0.6, 0.3, 0.1, 0.51]', [1, 0, 1, 0, 1], [0.9, 0.6, 0.3, 0.1, 0.51]), { points: 2 });
    valueCheck(spec, 'accuracy.threshold', 'counts p = 0.5 exactly as class 1 (p ≥ 0.5)', 'accuracy', hand('yTrue = [1, 1, 0, 0], scores = [0.5, 0.5, 0.2, 0.9]', [1, 1, 0, 0], [0.5, 0.5, 0.2, 0.9]), { points: 1 });
    valueCheck(spec, 'accuracy.multiclass', 'predicts the argmax of each row of scores', 'accuracy', hand('yTrue = [2, 0, 1, 1], scores = [[0.1, 0.2, 0.7], [0.5, 0.3, 0.2], [0.6, 0.3, 0.1], [-1, 4, 2]]', [2, 0, 1, 1], [[0.1, 0.2, 0.7], [0.5, 0.3, 0.2], [0.6, 0.3, 0.1], [-1, 4, 2]]), { points: 2 });
    const ties = [[0.4, 0.4, 0.2], [1, 3, 3], [2, 2, 2], [0.1, 0.2, 0.7], [0.3, 0.3, 0.4]];
    valueCheck(spec, 'accuracy.ties', 'predicts the FIRST index of a tied maximum', 'accuracy', hand(`yTrue = [0, 1, 0, 2, 0], scores = ${JSON.stringify(ties)}`, [0, 1, 0, 2, 0], ties), { points: 1 });
    valueCheck(spec, 'accuracy.seeded-binary', 'matches the reference on seeded binary scores', 'accuracy', inputs.binaryScores(71, 40), { points: 1, visibility: 'hidden' });
    valueCheck(spec, 'accuracy.seeded-multiclass', 'matches the reference on seeded multi-class scores', 'accuracy', inputs.multiclassScores(72, 40, 5), { points: 1, visibility: 'hidden' });
    valueCheck(spec, 'accuracy.seeded-threshold', 'counts p = 0.5 as class 1 on seeded scores', 'accuracy', inputs.binaryScoresAtThreshold(73, 30), { points: 1, visibility: 'hidden' });
    valueCheck(spec, 'accuracy.seeded-ties', 'takes the first index of a tie on seeded scores', 'accuracy', inputs.tiedScores(74, 30, 4), { points: 1, visibility: 'hidden' });
  });
});
