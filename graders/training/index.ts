/**
 * The grading suite of the "training" assignment: full-batch gradient descent for a logistic
 * model (loss 'bce' or 'mse') and for softmax regression. Each trainer gets an interface check,
 * an "inputs unchanged" check, step-by-step trajectory checks against the reference trainer, a
 * "loss never rises" check and held-out checks (loss and classification error computed by the
 * grader); trainBinary also gets the seed's lesson: from a saturated start MSE barely moves while
 * cross-entropy converges. Points add up to 100.
 */
import {
  formatNumber,
  defineSuite,
  type Curve,
} from 'mlgrade/suite';
import * as ref from 'mlgrade/reference';
import * as cases from './cases';
import { heldOutCheck, inputsUnchangedCheck, interfaceCheck, monotoneCheck, relativeFall, trajectoryCheck } from './suite';

const percent = (x: number) => `${formatNumber(Math.round(x * 10000) / 100)} %`;

/** The reference history of the saturated neuron with the other loss, for the contrast plot. */
function otherLossCurve(loss: 'bce' | 'mse'): Curve[] {
  const other = loss === 'bce' ? 'mse' : 'bce';
  const c = cases.binarySaturated(other);
  return [{ label: `reference with loss '${other}' (same start)`, values: ref.trainBinary(c.X, c.y, c.opts).history }];
}

/** Output σ(z) of the saturated neuron (x = 1, y = 0) from its cross-entropy −ln(1 − σ(z)). */
const outputFromBce = (loss: number) => -Math.expm1(-loss);

/** σ′(z) at the saturated start z = w0·1 + b0. */
function saturatedSlope(): number {
  const { opts } = cases.binarySaturated('mse');
  const z = opts.w0[0] + opts.b0;
  return ref.sigmoidScalar(z) * ref.sigmoidScalar(-z);
}

export default defineSuite(() => {
  describe('trainBinary', () => {
    interfaceCheck(cases.binaryInterface(), { points: 4 });
    inputsUnchangedCheck(cases.binaryInputs(), { points: 4 });
    trajectoryCheck(cases.binaryTrajectoryBce(), 'trajectory.bce', "follows the reference step by step with loss 'bce' (∂L/∂z = (σ(z) − y)/N)", { points: 10 });
    trajectoryCheck(cases.binaryTrajectoryMse(), 'trajectory.mse', "follows the reference step by step with loss 'mse' (∂L/∂z = 2(σ(z) − y)σ′(z)/N)", { points: 8 });
    trajectoryCheck(cases.binaryTrajectorySeeded(), 'trajectory.seeded', 'follows the reference step by step on a larger seeded problem', { points: 4, visibility: 'hidden' });
    monotoneCheck(cases.binaryMonotone(), 'never raises the loss with a small learning rate (bce and mse)', { points: 4 });
    const separable = cases.binarySeparable();
    heldOutCheck(separable.train, separable.heldOut, 'held-out.separable', `separable blobs: training loss ≤ ${separable.heldOut.maxLoss}, held-out error ≤ ${percent(separable.heldOut.maxError)}`, { points: 6 });
    const noisy = cases.binaryNoisy();
    heldOutCheck(noisy.train, noisy.heldOut, 'held-out.noisy', `noisy blobs: training loss ≤ ${noisy.heldOut.maxLoss}, held-out error ≤ ${percent(noisy.heldOut.maxError)}`, { points: 6, visibility: 'hidden' });

    // The seed's lesson (Nielsen, ch. 3): the same saturated start, two losses.
    trajectoryCheck(cases.binarySaturated('mse'), 'saturated.mse', "saturated start, loss 'mse': barely moves, exactly like the reference (σ′(z) ≈ 0)", {
      points: 6,
      extraCurves: () => otherLossCurve('mse'),
      explainRun: (got, expected) =>
        `From this saturated start the reference's MSE falls by only ${percent(relativeFall(expected))} in ${expected.length - 1} epochs — every update is scaled by σ′(z) ≈ ${formatNumber(Number(saturatedSlope().toPrecision(2)))} — while yours ${relativeFall(got) < 0 ? `rises by ${percent(-relativeFall(got))}` : `falls by ${percent(relativeFall(got))}`}${relativeFall(got) > 10 * relativeFall(expected) ? ': your MSE escapes the plateau as fast as cross-entropy would, so σ′(z) is missing from its gradient' : ''}.`,
    });
    trajectoryCheck(cases.binarySaturated('bce'), 'saturated.bce', "saturated start, loss 'bce': escapes fast, exactly like the reference (σ′ cancels)", {
      points: 6,
      extraCurves: () => otherLossCurve('bce'),
      explainRun: (got, expected) =>
        `From this saturated start cross-entropy escapes: the reference's output σ(z) goes from ${formatNumber(outputFromBce(expected[0]))} to ${formatNumber(outputFromBce(expected[expected.length - 1]))} in ${expected.length - 1} epochs, because σ′ cancels out of its gradient; yours ends at ${formatNumber(outputFromBce(got[got.length - 1]))}.`,
    });
  });

  describe('trainSoftmax', () => {
    interfaceCheck(cases.softmaxInterface(), { points: 4 });
    inputsUnchangedCheck(cases.softmaxInputs(), { points: 4 });
    trajectoryCheck(cases.softmaxTrajectory(), 'trajectory', 'follows the reference step by step (∂L/∂Z = (softmax(XW + b) − Y)/N)', { points: 12 });
    trajectoryCheck(cases.softmaxTrajectorySeeded(), 'trajectory.seeded', 'follows the reference step by step on a larger seeded problem', { points: 4, visibility: 'hidden' });
    monotoneCheck([cases.softmaxMonotone()], 'never raises the loss with a small learning rate', { points: 4 });
    const separable = cases.softmaxSeparable();
    heldOutCheck(separable.train, separable.heldOut, 'held-out.separable', `separable blobs: training loss ≤ ${separable.heldOut.maxLoss}, held-out error ≤ ${percent(separable.heldOut.maxError)}`, { points: 7 });
    const noisy = cases.softmaxNoisy();
    heldOutCheck(noisy.train, noisy.heldOut, 'held-out.noisy', `noisy blobs: training loss ≤ ${noisy.heldOut.maxLoss}, held-out error ≤ ${percent(noisy.heldOut.maxError)}`, { points: 7, visibility: 'hidden' });
  });
});
