/**
 * The grading suite of the "training" assignment: full-batch gradient descent for a logistic
 * model (loss 'bce' or 'mse') and for softmax regression, graded with the trainer builders of
 * mlgrade/suite. Each trainer gets an interface check, an "inputs unchanged" check, the history
 * convention, the recorded loss, exactly `epochs` updates, step-by-step trajectory checks against
 * the reference trainer, a "loss never rises" check and held-out checks (loss and classification
 * error computed by the grader); trainBinary also gets the seed's lesson: from a saturated start
 * MSE barely moves while cross-entropy converges. Each check reads one facet, so a mistake costs
 * the points of the checks about it only (README.md, "Grading policy"). Points add up to 100.
 */
import * as ref from 'mlgrade/reference';
import {
  defineSuite,
  formatNumber,
  tolerancesFor,
  trainerEpochsCheck,
  trainerHeldOutCheck,
  trainerHistoryCheck,
  trainerInputsCheck,
  trainerInterfaceCheck,
  trainerLossCheck,
  trainerMonotoneCheck,
  trainerSaturationCheck,
  trainerTrajectoryCheck,
  type HeldOutSet,
  type LogisticTrainer,
  type SoftmaxTrainer,
  type Tolerance,
} from 'mlgrade/suite';
import * as cases from './cases';

/**
 * Tolerances of the trajectory comparison (assignment.json may override them). Tighter than the
 * losses assignment's (1e-5): one wrong update from a saturated MSE start changes the loss by only
 * ~1e-5, and a correct trainer agrees with the reference to ~1e-13.
 */
export const TOLERANCE = tolerancesFor({
  history: { rtol: 1e-6, atol: 1e-9 },
  parameters: { rtol: 1e-6, atol: 1e-9 },
} satisfies Record<string, Tolerance>);

const trainBinary: LogisticTrainer = { name: 'trainBinary', model: 'logistic', reference: ref.trainBinary, tolerance: TOLERANCE };
const trainSoftmax: SoftmaxTrainer = { name: 'trainSoftmax', model: 'softmax', reference: ref.trainSoftmax, tolerance: TOLERANCE };

const percent = (x: number) => `${formatNumber(Math.round(x * 10000) / 100)} %`;
const heldOutName = (kind: string, set: HeldOutSet) => `${kind} blobs: training loss ≤ ${set.maxLoss}, held-out error ≤ ${percent(set.maxError)}`;

/** Check names of the trajectory and saturated-start checks. */
const NAMES = {
  bce: "follows the reference step by step with loss 'bce' (∂L/∂z = (σ(z) − y)/N)",
  mse: "follows the reference step by step with loss 'mse' (∂L/∂z = 2(σ(z) − y)σ′(z)/N)",
  softmax: 'follows the reference step by step (∂L/∂Z = (softmax(XW + b) − Y)/N)',
  seeded: 'follows the reference step by step on a larger seeded problem',
  saturatedMse: "saturated start, loss 'mse': barely moves, exactly like the reference (σ′(z) ≈ 0)",
  saturatedBce: "saturated start, loss 'bce': escapes fast, exactly like the reference (σ′ cancels)",
};
const hidden = (points: number) => ({ points, visibility: 'hidden' as const });

export default defineSuite(() => {
  describe('trainBinary', () => {
    trainerInterfaceCheck(trainBinary, cases.binaryInterface(), { points: 3 });
    trainerInputsCheck(trainBinary, cases.binaryInputs(), { points: 3 });
    trainerHistoryCheck(trainBinary, cases.binaryHistory(), { points: 3 });
    trainerLossCheck(trainBinary, cases.binaryLoss(), { points: 3 });
    trainerEpochsCheck(trainBinary, cases.binaryInterface(), { points: 3 });
    trainerTrajectoryCheck(trainBinary, 'trajectory.bce', NAMES.bce, cases.binaryTrajectoryBce(), { points: 8 });
    trainerTrajectoryCheck(trainBinary, 'trajectory.mse', NAMES.mse, cases.binaryTrajectoryMse(), { points: 6 });
    trainerTrajectoryCheck(trainBinary, 'trajectory.seeded', NAMES.seeded, cases.binaryTrajectorySeeded(), hidden(4));
    trainerMonotoneCheck(trainBinary, 'never raises the loss with a small learning rate (bce and mse)', cases.binaryMonotone(), { points: 3 });
    const separable = cases.binarySeparable();
    trainerHeldOutCheck(trainBinary, 'held-out.separable', heldOutName('separable', separable.heldOut), separable.train, separable.heldOut, { points: 5 });
    const noisy = cases.binaryNoisy();
    trainerHeldOutCheck(trainBinary, 'held-out.noisy', heldOutName('noisy', noisy.heldOut), noisy.train, noisy.heldOut, hidden(5));

    // The seed's lesson (Nielsen, ch. 3): the same saturated start, two losses.
    trainerSaturationCheck(trainBinary, 'saturated.mse', NAMES.saturatedMse, cases.binarySaturated('mse'), { points: 6 });
    trainerSaturationCheck(trainBinary, 'saturated.bce', NAMES.saturatedBce, cases.binarySaturated('bce'), { points: 6 });
  });

  describe('trainSoftmax', () => {
    trainerInterfaceCheck(trainSoftmax, cases.softmaxInterface(), { points: 3 });
    trainerInputsCheck(trainSoftmax, cases.softmaxInputs(), { points: 3 });
    trainerHistoryCheck(trainSoftmax, cases.softmaxHistory(), { points: 3 });
    trainerLossCheck(trainSoftmax, cases.softmaxLoss(), { points: 3 });
    trainerEpochsCheck(trainSoftmax, cases.softmaxInterface(), { points: 3 });
    trainerTrajectoryCheck(trainSoftmax, 'trajectory', NAMES.softmax, cases.softmaxTrajectory(), { points: 9 });
    trainerTrajectoryCheck(trainSoftmax, 'trajectory.seeded', NAMES.seeded, cases.softmaxTrajectorySeeded(), hidden(4));
    trainerMonotoneCheck(trainSoftmax, 'never raises the loss with a small learning rate', [cases.softmaxMonotone()], { points: 3 });
    const separable = cases.softmaxSeparable();
    trainerHeldOutCheck(trainSoftmax, 'held-out.separable', heldOutName('separable', separable.heldOut), separable.train, separable.heldOut, { points: 6 });
    const noisy = cases.softmaxNoisy();
    trainerHeldOutCheck(trainSoftmax, 'held-out.noisy', heldOutName('noisy', noisy.heldOut), noisy.train, noisy.heldOut, hidden(5));
  });
});
