/**
 * Unit tests of the training-loop diagnoses (src/suite/trainingDiagnosis.ts, the bookkeeping;
 * src/suite/updateDiagnosis.ts, the update rule) and of the attach() slot (src/suite/attach.ts),
 * on hand-made steps and histories.
 */
import { attach, takeAttached } from '../../src/suite/attach';
import {
  MISSING_INITIAL_LOSS_HINT,
  RECORDED_BEFORE_UPDATE_HINT,
  describeDeparture,
  describeMutation,
  diagnoseHistoryLength,
  diagnoseInitialLoss,
  diagnoseMutation,
  firstDeparture,
  firstMutation,
  firstRise,
} from '../../src/suite/trainingDiagnosis';
import {
  ASCENT_HINT,
  BIAS_SIGN_HINT,
  LR_TWICE_HINT,
  NO_BIAS_HINT,
  WEIGHT_SIGN_HINT,
  diagnoseStateful,
  diagnoseStep,
  stepBetween,
  stepsClose,
  variantHint,
  type ParameterStep,
} from '../../src/suite/updateDiagnosis';
import {
  DUPLICATE_INITIAL_LOSS_HINT,
  LOG_ZERO_HINT,
  ONE_UPDATE_SHORT_HINT,
  RECORDED_BEFORE_UPDATE_AND_INITIALLY_HINT,
  diagnoseRecordedLoss,
  diagnoseShiftedHistory,
} from '../../src/suite/trainingDiagnosis';
import { decayRate } from '../../src/suite/updateDiagnosis';

const TOL = { rtol: 1e-6, atol: 1e-9 };
const reference: ParameterStep = { weights: [-0.12, 0.05, 0.3], biases: [-0.04] };
const scaled = (s: number, step: ParameterStep = reference): ParameterStep => ({ weights: step.weights.map((x) => s * x), biases: step.biases.map((x) => s * x) });
const context = { lr: 0.3, n: 40 };

describe('stepBetween / stepsClose', () => {
  test('the step is after − before, element by element', () => {
    expect(stepBetween({ weights: [1, 2], biases: [0] }, { weights: [0.5, 2], biases: [0.1] })).toEqual({ weights: [-0.5, 0], biases: [0.1] });
  });
  test('steps agree up to rounding, not beyond 1e-6 of their size', () => {
    expect(stepsClose(scaled(1 + 1e-12), reference)).toBe(true);
    expect(stepsClose(scaled(1.001), reference)).toBe(false);
  });
});

describe('diagnoseStep', () => {
  test('a matching step needs no diagnosis', () => {
    expect(diagnoseStep(scaled(1 + 1e-13), reference, context)).toBeUndefined();
  });
  test('−1× the reference step is gradient ascent', () => {
    expect(diagnoseStep(scaled(-1), reference, context)).toBe(ASCENT_HINT);
    expect(ASCENT_HINT).toMatch(/gradient ascent/);
  });
  test('2× the reference step is the learning rate applied twice', () => {
    expect(diagnoseStep(scaled(2), reference, context)).toBe(LR_TWICE_HINT);
    expect(LR_TWICE_HINT).toMatch(/applied twice/);
  });
  test('η× is η², 1/η× is a missing learning rate, N× a sum, ½ the MSE convention', () => {
    expect(diagnoseStep(scaled(0.3), reference, context)).toMatch(/η² instead of η/);
    expect(diagnoseStep(scaled(1 / 0.3), reference, context)).toMatch(/learning rate is missing/);
    expect(diagnoseStep(scaled(40), reference, context)).toMatch(/sums over the samples instead of taking the mean/);
    expect(diagnoseStep(scaled(1 / 40), reference, context)).toMatch(/divided by N twice/);
    expect(diagnoseStep(scaled(0.5), reference, context)).toMatch(/no ½/);
    expect(diagnoseStep(scaled(1.7), reference, context)).toMatch(/1\.700× the reference step/);
  });
  test('a bias that does not move is a missing bias gradient', () => {
    expect(diagnoseStep({ weights: reference.weights, biases: [0] }, reference, context)).toBe(NO_BIAS_HINT);
    expect(NO_BIAS_HINT).toMatch(/b never changes from b0/);
    // Frozen bias and doubled weights: both are said.
    const both = diagnoseStep({ weights: scaled(2).weights, biases: [0] }, reference, context);
    expect(both).toContain(NO_BIAS_HINT);
    expect(both).toContain('applied twice');
  });
  test('a frozen bias is not blamed when the reference bias does not move either', () => {
    const noBiasMove: ParameterStep = { weights: reference.weights, biases: [0] };
    expect(diagnoseStep({ weights: scaled(-1, noBiasMove).weights, biases: [0] }, noBiasMove, context)).toBe(ASCENT_HINT);
  });
  test('a known wrong update is recognised by value before any constant factor', () => {
    const withoutSlope: ParameterStep = { weights: [-4.1, 1.2, 9.9], biases: [-2.2] };
    const hint = diagnoseStep(withoutSlope, reference, { ...context, alternatives: [{ variant: 'mse-without-sigmoid-slope', step: withoutSlope }] });
    expect(hint).toBe(variantHint('mse-without-sigmoid-slope'));
    expect(hint).toMatch(/^Your MSE updates are those of the gradient without σ′\(z\)/);
    expect(variantHint('bce-with-sigmoid-slope')).toMatch(/extra σ′\(z\)/);
  });
  test('no change at all and non-finite steps', () => {
    expect(diagnoseStep(scaled(0), reference, context)).toMatch(/do not change at all/);
    expect(diagnoseStep({ weights: [NaN, 0, 0], biases: [0] }, reference, context)).toMatch(/NaN or Infinity/);
  });
  test('a sign or a factor on one group only is said for that group, never as a guess about x_ij', () => {
    expect(diagnoseStep({ weights: reference.weights, biases: [0.04] }, reference, context)).toBe(BIAS_SIGN_HINT);
    expect(diagnoseStep({ weights: scaled(-1).weights, biases: reference.biases }, reference, context)).toBe(WEIGHT_SIGN_HINT);
    expect(diagnoseStep({ weights: reference.weights, biases: [-0.04 * 40] }, reference, context)).toMatch(/^Your weights move exactly like the reference's, but the step of your bias is N× the reference step .*sums over the samples/);
    expect(diagnoseStep({ weights: scaled(2).weights, biases: reference.biases }, reference, context)).toMatch(/^Your bias moves exactly like the reference's, but the step of your weights is exactly 2×/);
    for (const hint of [BIAS_SIGN_HINT, WEIGHT_SIGN_HINT]) expect(hint).not.toMatch(/x_ij|indices/);
  });
  test('weight decay: the difference pulls every weight toward 0 (measured λ), the bias untouched', () => {
    const before: ParameterStep = { weights: [0.5, -1, 2], biases: [0.3] };
    const lambda = 0.01;
    const decayed: ParameterStep = { weights: reference.weights.map((x, j) => x - context.lr * lambda * before.weights[j]), biases: reference.biases };
    const hint = diagnoseStep(decayed, reference, { ...context, before });
    expect(hint).toMatch(/pull of every weight toward 0 \(−η·λ·w with λ ≈ 0\.01\): weight decay/);
    expect(hint).not.toMatch(/biases too/);
    const both: ParameterStep = { weights: decayed.weights, biases: [reference.biases[0] - context.lr * lambda * before.biases[0]] };
    expect(diagnoseStep(both, reference, { ...context, before })).toMatch(/λ ≈ 0\.01, the biases too/);
    // With a single weight any difference would fit: no claim from one step (the probes compare λ at a second point).
    const one: ParameterStep = { weights: [2], biases: [0.3] };
    const oneStep: ParameterStep = { weights: [-0.1 - context.lr * lambda * 2], biases: [-0.04] };
    expect(diagnoseStep(oneStep, { weights: [-0.1], biases: [-0.04] }, { ...context, before: one })).not.toMatch(/λ ≈/);
    expect(decayRate(oneStep, { weights: [-0.1], biases: [-0.04] }, one, context.lr)?.lambda).toBeCloseTo(lambda, 12);
    // Without the starting point, no weight-decay claim.
    expect(diagnoseStep(decayed, reference, context)).not.toMatch(/λ ≈/);
  });
  test('signs flipped on some parameters only are named, parameter by parameter', () => {
    const names = ['w[0]', 'w[1]', 'w[2]', 'b'];
    const hint = diagnoseStep({ weights: [0.12, 0.05, 0.3], biases: [0.04] }, reference, { ...context, names });
    expect(hint).toMatch(/^Your first update moves w\[0\], b by exactly −1× the reference's step and every other parameter exactly like the reference/);
  });
  test('otherwise it says plainly which group differs, without a guessed cause or a value', () => {
    const hint = diagnoseStep({ weights: [0.3, 0.1, -0.2], biases: reference.biases }, reference, { ...context, names: ['w[0]', 'w[1]', 'w[2]', 'b'] });
    expect(hint).toMatch(/^Your first update differs from the reference's in the weights \(the biases match\): 3 of 4 parameters move differently, most of all w\[2\]/);
    expect(hint).not.toMatch(/0\.12|0\.05|0\.3\b/);
  });
  test('a later update is named by its index', () => {
    expect(diagnoseStep(scaled(-1), reference, { ...context, index: 2 })).toMatch(/^Your second update is exactly −1× the reference step/);
    expect(diagnoseStep(scaled(2), reference, { ...context, index: 7 })).toMatch(/^Your update 7 is exactly 2×/);
  });
  test('the other loss\'s gradient is recognised by value', () => {
    const bce: ParameterStep = { weights: [-0.3, 0.2, 0.1], biases: [-0.1] };
    expect(diagnoseStep(bce, reference, { ...context, alternatives: [{ variant: 'bce-gradient-for-mse', step: bce }] })).toMatch(/your update ignores opts\.loss/);
  });
  test('hints quote no input or expected values (safe for hidden tests)', () => {
    for (const s of [-1, 2, 0.3, 0.5]) expect(diagnoseStep(scaled(s), reference, context)).not.toMatch(/0\.12|0\.05|0\.04/);
  });
});

describe('diagnoseStateful: a later update that depends on more than the current parameters', () => {
  const fresh: ParameterStep = { weights: [-0.1, 0.04], biases: [-0.02] };
  const previous: ParameterStep = { weights: [-0.12, 0.05], biases: [-0.03] };
  test('the same step as before: the gradient is not recomputed', () => {
    expect(diagnoseStateful({ index: 2, continued: previous, fresh, previous })).toMatch(/^Your second update repeats your previous update exactly.*not recomputed/);
  });
  test('a multiple of the fresh step: a learning-rate schedule (decay or warm-up), with the measured factor', () => {
    expect(diagnoseStateful({ index: 11, continued: scaled(0.5, fresh), fresh, previous })).toMatch(/^Your update 11 is 0\.500× the step your trainer takes from the same parameters in a fresh run .*learning-rate decay/);
    expect(diagnoseStateful({ index: 2, continued: scaled(1.5, fresh), fresh, previous })).toMatch(/1\.500× .*warm-up/);
  });
  test('the fresh step plus β× the previous update: momentum, with the measured β', () => {
    const continued: ParameterStep = { weights: fresh.weights.map((x, j) => x + 0.9 * previous.weights[j]), biases: fresh.biases.map((x, k) => x + 0.9 * previous.biases[k]) };
    expect(diagnoseStateful({ index: 2, continued, fresh, previous })).toMatch(/^Your second update is the gradient step plus 0\.9× your previous update .*momentum/);
  });
  test('momentum is told from a schedule when consecutive steps are nearly parallel: the exact fit wins', () => {
    const nearlyParallel: ParameterStep = { weights: [-0.1, 0.0401], biases: [-0.0201] };
    const continued: ParameterStep = { weights: fresh.weights.map((x, j) => x + 0.9 * nearlyParallel.weights[j]), biases: fresh.biases.map((x, k) => x + 0.9 * nearlyParallel.biases[k]) };
    expect(diagnoseStateful({ index: 2, continued, fresh, previous: nearlyParallel })).toMatch(/plus 0\.9× your previous update .*momentum/);
    expect(diagnoseStateful({ index: 2, continued: scaled(0.99, fresh), fresh, previous: nearlyParallel })).toMatch(/0\.990× .*decay/);
  });
  test('anything else is said as a measured fact, not a cause', () => {
    expect(diagnoseStateful({ index: 3, continued: { weights: [0.5, 0.5], biases: [0] }, fresh, previous })).toMatch(/^Your update 3 differs from the step your trainer takes from the same parameters in a fresh run/);
  });
});

describe('firstDeparture / describeDeparture', () => {
  test('finds the first epoch beyond atol + rtol·|expected|', () => {
    expect(firstDeparture([1, 0.5, 0.3], [1, 0.5, 0.2], TOL)).toEqual({ index: 2, got: 0.3, expected: 0.2 });
    expect(firstDeparture([1, 0.5 + 1e-10], [1, 0.5], TOL)).toBeUndefined();
    expect(firstDeparture([1, NaN], [1, 0.5], TOL)).toEqual({ index: 1, got: NaN, expected: 0.5 });
  });
  test('says which epoch departs, and claims a wrong first update only when it was measured', () => {
    expect(describeDeparture({ index: 1, got: 0.71, expected: 0.65 }, 'differs')).toBe('history[0] matches but history[1] = 0.71 vs expected 0.65: your first update is wrong');
    expect(describeDeparture({ index: 1, got: 0.71, expected: 0.65 }, 'matches')).toMatch(/^history\[0\] matches but history\[1\] = 0\.71 vs expected 0\.65, although your first update matches/);
    expect(describeDeparture({ index: 1, got: 0.71, expected: 0.65 })).toBe('history[0] matches but history[1] = 0.71 vs expected 0.65');
    expect(describeDeparture({ index: 0, got: 0.3, expected: 0.6 })).toMatch(/^history\[0\] = 0\.3 vs expected 0\.6: the loss at the initial parameters/);
    expect(describeDeparture({ index: 7, got: 0.3, expected: 0.2 })).toMatch(/^history\[0…6\] match but history\[7\] = 0\.3 vs expected 0\.2: .* update 7$/);
  });
});

describe('diagnoseHistoryLength', () => {
  const expected = [0.9, 0.8, 0.7, 0.6];
  test('equal lengths need no diagnosis', () => {
    expect(diagnoseHistoryLength([0, 0, 0, 0], expected, TOL)).toBeUndefined();
  });
  test('one short and equal to the reference without its last value: the returned parameters tell which mistake', () => {
    expect(diagnoseHistoryLength([0.9, 0.8, 0.7], expected, TOL, { returnedAfter: 3 })).toBe(RECORDED_BEFORE_UPDATE_HINT);
    expect(diagnoseHistoryLength([0.9, 0.8, 0.7], expected, TOL, { returnedAfter: 2 })).toBe(ONE_UPDATE_SHORT_HINT);
    expect(diagnoseHistoryLength([0.9, 0.8, 0.7], expected, TOL)).toMatch(/either you record the loss before each update .* or your loop does one update too few/);
  });
  test('one short, without the initial loss', () => {
    expect(diagnoseHistoryLength([0.8, 0.7, 0.6], expected, TOL)).toBe(MISSING_INITIAL_LOSS_HINT);
  });
  test('one short otherwise, one too many, a prefix, or any other length', () => {
    expect(diagnoseHistoryLength([1, 2, 3], expected, TOL)).toMatch(/one value short/);
    expect(diagnoseHistoryLength([0.9, 0.9, 0.8, 0.7, 0.6], expected, TOL)).toBe(DUPLICATE_INITIAL_LOSS_HINT);
    expect(diagnoseHistoryLength([0.9, 0.5, 0.8, 0.7, 0.6], expected, TOL)).toMatch(/one value too many/);
    expect(diagnoseHistoryLength([0.9, 0.8], expected, TOL)).toMatch(/stops after 2 values and follows the reference's until then/);
    expect(diagnoseHistoryLength([0.1], expected, TOL)).toMatch(/wrong length/);
  });
});

describe('diagnoseShiftedHistory', () => {
  test('the loss at the start twice and the last one missing: recorded before the loop and before every update', () => {
    expect(diagnoseShiftedHistory([0.9, 0.9, 0.8, 0.7], [0.9, 0.8, 0.7, 0.6], TOL)).toBe(RECORDED_BEFORE_UPDATE_AND_INITIALLY_HINT);
    expect(diagnoseShiftedHistory([0.9, 0.8, 0.7, 0.6], [0.9, 0.8, 0.7, 0.6], TOL)).toBeUndefined();
    expect(diagnoseShiftedHistory([0.9, 0.9, 0.8], [0.9, 0.8, 0.7, 0.6], TOL)).toBeUndefined();
  });
});

describe('diagnoseRecordedLoss', () => {
  test('log(0), the other loss, a clipped probability and constant factors', () => {
    expect(diagnoseRecordedLoss(Infinity, 40, { n: 1, loss: 'bce' })).toBe(LOG_ZERO_HINT);
    expect(diagnoseRecordedLoss(0.7, 0.25, { n: 10, loss: 'mse', otherLoss: { name: "'bce'", value: 0.7 } })).toMatch(/holds the 'bce' loss, but opts\.loss asked for 'mse'/);
    expect(diagnoseRecordedLoss(-Math.log(1e-7), 40, { n: 1, loss: 'bce' })).toMatch(/^Your loss is −ln\(1e-7\) where the exact value is larger: you clip/);
    expect(diagnoseRecordedLoss(2.5, 0.25, { n: 10, loss: 'bce', where: 'history[1]' })).toMatch(/10× the expected one.*\(This is history\[1\]\.\)/);
    expect(diagnoseRecordedLoss(0.31, 0.25, { n: 10, loss: 'bce' })).toBeUndefined();
  });
});

describe('diagnoseInitialLoss', () => {
  test('recognises the other loss, a constant factor, and non-finite values', () => {
    expect(diagnoseInitialLoss(0.7, 0.25, { n: 10, loss: 'mse', otherLoss: { name: "'bce'", value: 0.7 } })).toMatch(/holds the 'bce' loss, but opts\.loss asked for 'mse'/);
    expect(diagnoseInitialLoss(0.125, 0.25, { n: 10, loss: 'mse' })).toMatch(/half the expected one/);
    expect(diagnoseInitialLoss(2.5, 0.25, { n: 10, loss: 'bce' })).toMatch(/10× the expected one/);
    expect(diagnoseInitialLoss(NaN, 0.25, { n: 10, loss: 'bce' })).toMatch(/not finite/);
    expect(diagnoseInitialLoss(0.31, 0.25, { n: 10, loss: 'bce' })).toBeUndefined();
  });
});

describe('firstRise', () => {
  test('finds the first increase, ignoring rounding-level noise', () => {
    expect(firstRise([1, 0.8, 0.81, 0.5])).toEqual({ index: 2, before: 0.8, after: 0.81 });
    expect(firstRise([1, 0.8, 0.8 * (1 + 1e-15), 0.5])).toBeUndefined();
    expect(firstRise([1, 1, 0.9])).toBeUndefined();
    expect(firstRise([1, NaN])).toEqual({ index: 1, before: 1, after: NaN });
  });
});

describe('firstMutation / describeMutation / diagnoseMutation', () => {
  const opts = { loss: 'bce', lr: 0.3, epochs: 5, w0: [0.1, -0.2], b0: 0.5 };
  test('equal inputs have no mutation (NaN equals NaN)', () => {
    expect(firstMutation({ ...opts, w0: [...opts.w0] }, opts, 'opts')).toBeUndefined();
    expect(firstMutation([[1, NaN]], [[1, NaN]], 'X')).toBeUndefined();
  });
  test('names the path of the first change', () => {
    const m = firstMutation(opts, { ...opts, w0: [0.1, 0.4] }, 'opts');
    expect(m).toEqual({ path: 'opts.w0[1]', before: -0.2, after: 0.4 });
    expect(describeMutation(m!)).toBe('opts.w0[1] was -0.2 before the call and 0.4 after it');
    expect(firstMutation([[1, 2], [3, 4]], [[1, 2], [3, 4.5]], 'X')?.path).toBe('X[1][1]');
    expect(firstMutation([1, 2], [1, 2, 3], 'y')).toEqual({ path: 'y', before: [1, 2], after: [1, 2, 3] });
    expect(firstMutation(opts, { ...opts, lr: 0.6 }, 'opts')?.path).toBe('opts.lr');
  });
  test('explains in-place updates of the initial parameters, with the right copy', () => {
    expect(diagnoseMutation({ path: 'opts.w0[0]', before: 0.1, after: 0.4 })).toMatch(/You updated opts\.w0 in place.*const w = opts\.w0\.slice\(\)/);
    const shared = diagnoseMutation({ path: 'opts.W0[1][2]', before: 0.1, after: 0.4 });
    expect(shared).toMatch(/opts\.W0\.slice\(\)`, which copies the outer array but shares its rows/);
    expect(shared).toContain('opts.W0.map((row) => row.slice())');
    expect(diagnoseMutation({ path: 'opts.b0[0]', before: 0.1, after: 0.4 })).toContain('const b = opts.b0.slice()');
  });
  test('explains changes to the data, the labels and other options', () => {
    expect(diagnoseMutation({ path: 'X[3][0]', before: 1, after: 0.2 })).toMatch(/You modified X: do not normalise/);
    expect(diagnoseMutation({ path: 'Y[0][1]', before: 1, after: 0 })).toMatch(/labels/);
    expect(diagnoseMutation({ path: 'opts.lr', before: 0.3, after: 0.6 })).toMatch(/assigned a new value to opts\.lr/);
    expect(diagnoseMutation({ path: 'opts.b0', before: 0.5, after: 0.1 })).toMatch(/assigned a new value to opts\.b0/);
  });
});

describe('attach / takeAttached', () => {
  afterEach(() => takeAttached());
  test('takes what was attached once, then nothing', () => {
    attach({ diagnosis: 'x' });
    expect(takeAttached()).toEqual({ diagnosis: 'x' });
    expect(takeAttached()).toBeUndefined();
  });
  test('curves of several calls are appended, other keys replaced', () => {
    attach({ curves: [{ label: 'your history', values: [1, 0.5] }] });
    attach({ curves: [{ label: 'reference', values: [1, 0.4] }], diagnosis: 'a' });
    attach({ diagnosis: 'b' });
    expect(takeAttached()).toEqual({
      curves: [
        { label: 'your history', values: [1, 0.5] },
        { label: 'reference', values: [1, 0.4] },
      ],
      diagnosis: 'b',
    });
  });
  test('the caller may reuse its arrays: attach copies the list of curves', () => {
    const curves = [{ label: 'reference', values: [1] }];
    attach({ curves });
    curves.push({ label: 'later', values: [2] });
    expect(takeAttached()?.curves).toHaveLength(1);
  });
});
