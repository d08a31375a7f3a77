/**
 * `mlgrade/suite` — the public authoring API for grading suites. A course's suite module ends with
 * `export default defineSuite(() => { describe(…) })` and builds its checks from function specs
 * (interface, value, stability, gradient and finite-difference checks), seeded inputs and
 * tolerances; custom checks use `check()` with the call and assertion helpers below.
 *
 * @example
 * import { defineSuite, interfaceCheck, valueCheck, gradientCheck, finiteDifferenceCheck, createRng, scalarShape, likeArgument } from 'mlgrade/suite';
 * import { hinge, hingeGrad } from '../../reference/hinge';
 *
 * const specs = {
 *   hinge: { name: 'hinge', argNames: ['yTrue', 'scores'], reference: hinge, shape: scalarShape, tolerance: { rtol: 1e-5, atol: 1e-8 } },
 *   hingeGrad: { name: 'hingeGrad', argNames: ['yTrue', 'scores'], reference: hingeGrad, shape: likeArgument(1), tolerance: { rtol: 1e-5, atol: 1e-8 }, gradientOf: 'hinge', lossReference: hinge },
 * };
 * export default defineSuite(() => {
 *   describe('hinge', () => { interfaceCheck(specs.hinge, { label: 'two samples', args: [[1, -1], [0.5, 2]] }, { points: 2 }); });
 * });
 */
export { defineSuite, type Suite } from './runner';
export { check, planCheck } from './check';
export { fail, GradeFailure, type FailureStatus } from './failure';
export { attach } from './attach';
export { tolerancesFor } from './context';

// Functions, cases and the check builders.
export { callText, classesOf, likeArgument, namedInputs, referenceValue, samplesOf, scalarShape, type Case, type ClippingSpec, type FunctionSpec, type MistakeSpec } from './functionSpec';
export { finiteDifferenceCheck, gradientCheck, interfaceCheck, stabilityCheck, valueCheck, type CheckOptions } from './functionChecks';
export type { CheckPlan, FiniteDifferencePlan, GradientPlan, InterfacePlan, LossAt, ValuePlan } from './plans';

// Trainers of linear classifiers by gradient descent, and their check builders.
export {
  DEFAULT_TRAINER_TOLERANCE,
  type LogisticCase,
  type LogisticTrainer,
  type LogisticTrainingOptions,
  type SoftmaxCase,
  type SoftmaxTrainer,
  type SoftmaxTrainingOptions,
  type TrainerCase,
  type TrainerSpec,
  type TrainerTolerance,
} from './trainer';
export {
  trainerEpochsCheck,
  trainerHeldOutCheck,
  trainerHistoryCheck,
  trainerInputsCheck,
  trainerInterfaceCheck,
  trainerLossCheck,
  trainerMonotoneCheck,
  trainerSaturationCheck,
  trainerTrajectoryCheck,
  TINY_LEARNING_RATE,
  type HeldOutSet,
  type TrainerCheckOptions,
} from './trainingChecks';
export type { TrainingPlan } from './trainingPlans';
export {
  classificationErrorAt,
  classesOfOneHot,
  modelLoss,
  predictClasses,
  type LinearModel,
  type LinearParameters,
  type ModelLoss,
} from './linearModel';

// Seeded inputs.
export { createRng, oneHot, type Rng } from './random';
export { blobCentres, makeBinaryBlobs, makeMultiClassBlobs, type BinaryBlobsOptions, type MultiClassBlobsOptions } from './datasets';

// Calling the submission and judging what came back.
export { callStudent, callStudentEchoing, callExpecting, callManyNumbers } from './submission';
export { compareClose, relativeError, type Closeness, type Tolerance, type WorstElement } from './closeness';
export { expectClose, expectFinite, expectGradientClose, expectMatchesOwnLoss, withinClipping, type CloseSpec, type FiniteDifferenceSpec } from './expect';
export { describeShape, flatten, nonFiniteProblem, shapeProblem, type Numeric, type Shape } from './shapes';
export { describeValue, formatNumber } from './describe';

// Diagnoses.
export {
  diagnoseGradient,
  diagnoseLossRatio,
  diagnoseNonFinite,
  diagnoseSoftmaxAxis,
  factorExplanations,
  matchKnownMistake,
  type GradientContext,
  type InputDomain,
  type KnownMistake,
  type RatioContext,
} from './diagnosis';
export {
  describeDeparture,
  describeMutation,
  diagnoseHistoryLength,
  diagnoseInitialLoss,
  diagnoseMutation,
  diagnoseRecordedLoss,
  diagnoseShiftedHistory,
  firstDeparture,
  firstMutation,
  firstRise,
  type Departure,
  type HistoryLengthContext,
  type Mutation,
  type RecordedLossContext,
  type Rise,
} from './trainingDiagnosis';
export {
  decayRate,
  diagnoseStateful,
  diagnoseStep,
  stepBetween,
  stepsClose,
  updateName,
  variantHint,
  weightDecayHint,
  type ParameterStep,
  type StatefulEvidence,
  type StepAlternative,
  type StepContext,
  type StepVariant,
} from './updateDiagnosis';

// Result types a check produces.
export type { Category, CheckMeta, Comparison, Curve, TestDetails, TestResult, Visibility } from '../types';

// Validation: the mistakes a suite must catch.
export { defineMutants, type Mutant, type ReferenceExports } from './mutant';
