/**
 * Building blocks of the training suite: the interface check, the "inputs unchanged" check, the
 * step-by-step trajectory check against the reference trainer, the "loss never rises" check and
 * the held-out check. Every convergence check records the loss curves (yours and the reference's)
 * with attach(), before it can fail: check() keeps them for passes and failures alike.
 *
 * When a trajectory goes wrong, the suite calls the trainer once more with epochs = 1 and compares
 * that single update with the reference's: the sharpest gradient check there is.
 */
import {
  attach,
  check,
  compareClose,
  type Tolerance,
  tolerancesFor,
  formatNumber,
  GradeFailure,
  callStudent,
  callStudentEchoing,
  describeDeparture,
  describeMutation,
  diagnoseHistoryLength,
  diagnoseInitialLoss,
  diagnoseMutation,
  diagnoseStep,
  firstDeparture,
  firstMutation,
  firstRise,
  stepBetween,
  stepsClose,
  type Comparison,
  type Curve,
  type TestDetails,
  type Visibility,
} from 'mlgrade/suite';
import * as ref from 'mlgrade/reference';
import type { HeldOut, TrainingCase } from './cases';
import {
  argsOf,
  callText,
  expectedShapeText,
  heldOutError,
  historyOf,
  initialParameters,
  inputsOf,
  lossName,
  parametersForReport,
  parametersOf,
  referenceRun,
  resultProblem,
  trainingLoss,
  variantSteps,
  withEpochs,
  type Parameters,
  type Run,
} from './trainers';

/**
 * Tolerances of the trajectory comparison. Tighter than the losses assignment's (1e-5): one wrong
 * update from a saturated MSE start changes the loss by only ~1e-5, and a correct trainer agrees
 * with the reference to ~1e-13 (only the order of floating-point sums differs).
 */
export const TOLERANCE = tolerancesFor({
  history: { rtol: 1e-6, atol: 1e-9 },
  parameters: { rtol: 1e-6, atol: 1e-9 },
} satisfies Record<string, Tolerance>);

interface CheckOptions {
  points: number;
  visibility?: Visibility;
}

const LOSS_WORDS = { bce: 'cross-entropy', mse: 'MSE', cce: 'cross-entropy' } as const;

function lines(...parts: (string | undefined | false)[]): string {
  return parts.filter((p): p is string => typeof p === 'string' && p.length > 0).join('\n');
}

function hintLine(hint: string | undefined): string | undefined {
  return hint ? `Hint: ${hint}` : undefined;
}

/** Attaches the curves of a run to the current check's result: yours (when it is an array of numbers) and the reference's. */
function recordCurves(history: number[] | undefined, reference: number[], suffix = ''): void {
  const curves: Curve[] = [{ label: `reference${suffix}`, values: reference }];
  if (history) curves.unshift({ label: `your history${suffix}`, values: history });
  attach({ curves });
}

function failure(message: string, details: TestDetails): GradeFailure {
  return new GradeFailure('failed', message, details);
}

/** Validates a trainer's return value (`part`: with or without the history); fails the check if malformed. */
function validated(c: TrainingCase, value: unknown, part: 'all' | 'parameters'): { params: Parameters; history: number[] | undefined } {
  const history = historyOf(value);
  const problem = resultProblem(c, value, part);
  if (!problem) return { params: parametersOf(c, value), history };
  const lengthHint = part === 'all' && history && history.length !== c.opts.epochs + 1 ? diagnoseHistoryLength(history, referenceRun(c).history, TOLERANCE.history) : undefined;
  const call = callText(c);
  throw failure(lines(`${call}: ${problem}; expected ${expectedShapeText(c)}.`, hintLine(lengthHint)), {
    comparison: { call, inputs: inputsOf(c), got: value },
    diagnosis: lengthHint,
  });
}

/** The student's single update from the case's start, compared with the reference's. */
interface FirstStep {
  matches: boolean;
  hint?: string;
}

/** Calls the trainer with epochs = 1 and explains its first update; undefined if it cannot. */
async function probeFirstStep(c: TrainingCase): Promise<FirstStep | undefined> {
  const one = withEpochs(c, 1);
  let value: unknown;
  try {
    value = await callStudent(one.fn, argsOf(one), callText(one));
  } catch {
    return undefined;
  }
  if (resultProblem(one, value, 'parameters')) return undefined;
  const start = initialParameters(c);
  const got = stepBetween(start, parametersOf(one, value));
  const expected = stepBetween(start, referenceRun(one).params);
  if (stepsClose(got, expected)) return { matches: true };
  return { matches: false, hint: diagnoseStep(got, expected, { lr: c.opts.lr, n: c.X.length, alternatives: variantSteps(c) }) };
}

/** The other binary loss at the initial parameters (to recognise "history holds the wrong loss"). */
function otherInitialLoss(c: TrainingCase): { name: string; value: number } | undefined {
  if (c.fn !== 'trainBinary') return undefined;
  const other = c.opts.loss === 'bce' ? 'mse' : 'bce';
  return { name: `'${other}'`, value: ref.binaryLoss(c.X, c.y, c.opts.w0, c.opts.b0, other) };
}

/** Why a history departs from the reference's at `index`. */
async function explainDeparture(c: TrainingCase, index: number, got: number, expected: number): Promise<string | undefined> {
  if (!Number.isFinite(got)) {
    return `Your loss becomes ${formatNumber(got)} at epoch ${index}: look for log(0) when a probability rounds to 0 or 1 (compute the loss from the logits: max(z, 0) − z·y + ln(1 + e^(−|z|)), or log-softmax as z − logsumexp(z)), an overflowing exp, or parameters that blew up.`;
  }
  if (index === 0) {
    const initial = diagnoseInitialLoss(got, expected, { n: c.X.length, loss: lossName(c), otherLoss: otherInitialLoss(c) });
    if (initial) return initial;
  }
  const step = await probeFirstStep(c);
  if (!step) return undefined;
  if (!step.matches) return step.hint;
  if (index === 0) return 'history[0] must be the loss at the initial parameters, before any update — computed with the same loss as the later entries.';
  if (index === 1) return 'Your first update matches the reference (the parameters after one epoch agree), so it is the loss you record after it that differs: history[t] must be the loss at the parameters after t updates, computed after the update.';
  return 'Your first update matches the reference but later ones drift away: in every epoch, recompute the predictions from the current parameters and take the step from there (not from the initial parameters or a stale gradient).';
}

/** Why the returned parameters differ although the history matches. */
function explainParameters(c: TrainingCase, got: Parameters): string {
  const start = initialParameters(c);
  if (compareClose([...start.weights, ...start.biases], [...got.weights, ...got.biases], TOLERANCE.parameters).ok) {
    return 'You return the initial parameters: return the parameters after the last update (copies of w0/b0 that you updated).';
  }
  if (c.opts.epochs > 0) {
    const before = referenceRun(withEpochs(c, c.opts.epochs - 1)).params;
    if (compareClose([...before.weights, ...before.biases], [...got.weights, ...got.biases], TOLERANCE.parameters).ok) {
      return 'You return the parameters from before the last update: return them after the final update.';
    }
  }
  return 'The loss you record follows the reference, but the parameters you return are not the ones it was computed at: return the parameters after the last update.';
}

export interface TrajectoryOptions extends CheckOptions {
  /** Extra sentence about the whole run (e.g. the saturated-start contrast), given both histories. */
  explainRun?: (got: number[], expected: number[]) => string | undefined;
  /** Extra curves to record (e.g. the other loss from the same start). */
  extraCurves?: () => Curve[];
}

/**
 * The trajectory check: with the same data, initialisation and learning rate as the reference,
 * history must match the reference's at every epoch (and the returned parameters its final ones).
 */
export function trajectoryCheck(c: TrainingCase, id: string, name: string, options: TrajectoryOptions): void {
  check({ id: `${c.fn}.${id}`, name, function: c.fn, category: 'convergence', points: options.points, visibility: options.visibility ?? 'public' }, async () => {
    const call = callText(c);
    const reference = referenceRun(c);
    const value = await callStudent(c.fn, argsOf(c), call);
    const history = historyOf(value);
    recordCurves(history, reference.history);
    const extra = options.extraCurves?.() ?? [];
    if (extra.length) attach({ curves: extra });
    // Malformed parameters or no history: the interface message. NaN in the history is left to the
    // trajectory comparison below, which says at which epoch it appears.
    if (!history || resultProblem(c, value, 'parameters')) validated(c, value, 'all');
    const got = history as number[];
    const comparisonBase: Comparison = { call, inputs: inputsOf(c), expected: reference.history, got, tolerance: { ...TOLERANCE.history } };
    if (got.length !== reference.history.length) {
      const hint = diagnoseHistoryLength(got, reference.history, TOLERANCE.history);
      throw failure(lines(`${call}: ${resultProblem(c, value, 'all')}; expected ${expectedShapeText(c)}.`, hintLine(hint)), { comparison: comparisonBase, diagnosis: hint });
    }
    const departure = firstDeparture(got, reference.history, TOLERANCE.history);
    if (departure) {
      const hint = await explainDeparture(c, departure.index, departure.got, departure.expected);
      const absDiff = Math.abs(departure.got - departure.expected);
      throw failure(
        lines(
          `${call}: ${describeDeparture(departure)}.`,
          options.explainRun?.(got, reference.history),
          `Tolerance at every epoch: |got − expected| ≤ atol + rtol·|expected| with rtol = ${TOLERANCE.history.rtol}, atol = ${TOLERANCE.history.atol}`,
          hintLine(hint),
        ),
        {
          comparison: { ...comparisonBase, worstIndex: departure.index, worstExpected: departure.expected, worstGot: departure.got, absDiff, relDiff: departure.expected === 0 ? Infinity : absDiff / Math.abs(departure.expected) },
          diagnosis: hint,
        },
      );
    }
    const params = parametersOf(c, value);
    const close = compareClose([...reference.params.weights, ...reference.params.biases], [...params.weights, ...params.biases], TOLERANCE.parameters);
    if (!close.ok) {
      const hint = explainParameters(c, params);
      throw failure(
        lines(
          `${call}: your history matches the reference at every epoch, but the returned parameters do not.`,
          `Worst parameter: expected ${formatNumber(close.worst.expected)}, got ${formatNumber(close.worst.got)} (abs diff ${formatNumber(close.worst.absDiff)})`,
          `Tolerance: rtol = ${TOLERANCE.parameters.rtol}, atol = ${TOLERANCE.parameters.atol}`,
          hintLine(hint),
        ),
        { comparison: { call, inputs: inputsOf(c), expected: parametersForReport(c, reference.params), got: parametersForReport(c, params), tolerance: { ...TOLERANCE.parameters } }, diagnosis: hint },
      );
    }
  });
}

/** The interface check: a plain object with the right fields, shapes and finite numbers. */
export function interfaceCheck(c: TrainingCase, options: CheckOptions): void {
  const fields = c.fn === 'trainBinary' ? '{ w, b, history }' : '{ W, b, history }';
  check({ id: `${c.fn}.interface`, name: `exists and returns ${fields} of the right shapes, finite`, function: c.fn, category: 'interface', points: options.points, visibility: options.visibility ?? 'public' }, async () => {
    validated(c, await callStudent(c.fn, argsOf(c), callText(c)), 'all');
  });
}

/** The inputs check: X, the labels and every field of opts are as they were after the call. */
export function inputsUnchangedCheck(c: TrainingCase, options: CheckOptions): void {
  const names = c.fn === 'trainBinary' ? ['X', 'y', 'opts'] : ['X', 'Y', 'opts'];
  const fields = c.fn === 'trainBinary' ? 'X, y and opts (w0, b0)' : 'X, Y and opts (W0, b0)';
  check({ id: `${c.fn}.inputs-unchanged`, name: `leaves ${fields} unchanged`, function: c.fn, category: 'interface', points: options.points, visibility: options.visibility ?? 'public' }, async () => {
    const call = callText(c);
    const args = argsOf(c);
    const { argsAfter } = await callStudentEchoing(c.fn, args, call);
    if (!Array.isArray(argsAfter) || argsAfter.length !== args.length) {
      throw failure(`${call}: after the call, the arguments could not be read back (${typeof argsAfter === 'string' ? argsAfter : 'they were replaced'}). Do not modify or replace your inputs.`, { comparison: { call, inputs: inputsOf(c) } });
    }
    for (let i = 0; i < args.length; i++) {
      const mutation = firstMutation(args[i], argsAfter[i], names[i]);
      if (mutation) {
        const hint = diagnoseMutation(mutation);
        throw failure(lines(`${call} modified its inputs: ${describeMutation(mutation)}.`, `A trainer must leave ${fields} exactly as it got them: the caller may reuse them (e.g. to train again with another learning rate from the same start).`, hintLine(hint)), {
          comparison: { call, inputs: inputsOf(c), expected: mutation.before, got: mutation.after },
          diagnosis: hint,
        });
      }
    }
  });
}

/** The monotonicity check: with a small learning rate, history never rises (each case in turn). */
export function monotoneCheck(cases: TrainingCase[], name: string, options: CheckOptions): void {
  const fn = cases[0].fn;
  check({ id: `${fn}.monotone`, name, function: fn, category: 'convergence', points: options.points, visibility: options.visibility ?? 'public' }, async () => {
    for (const c of cases) {
      const reference = referenceRun(c);
      const value = await callStudent(c.fn, argsOf(c), callText(c));
      recordCurves(historyOf(value), reference.history, cases.length > 1 ? ` (${lossName(c)})` : '');
      const history = validated(c, value, 'all').history!;
      const rise = firstRise(history);
      if (rise) {
        const step = await probeFirstStep(c);
        const hint = step && !step.matches ? step.hint : 'With a small learning rate, a step along the negative gradient always lowers the loss: if your update follows −∂L/∂w, check that history holds the loss at the current parameters.';
        throw failure(
          lines(
            `${callText(c)}: the loss rises at update ${rise.index}: history[${rise.index}] = ${formatNumber(rise.after)} > history[${rise.index - 1}] = ${formatNumber(rise.before)}.`,
            `With a learning rate this small (${c.opts.lr}), every gradient-descent step must lower the ${LOSS_WORDS[lossName(c)]} loss (the reference's falls from ${formatNumber(reference.history[0])} to ${formatNumber(reference.history[reference.history.length - 1])}).`,
            hintLine(hint),
          ),
          { comparison: { call: callText(c), inputs: inputsOf(c), expected: reference.history, got: history, worstIndex: rise.index, worstGot: rise.after }, diagnosis: hint },
        );
      }
    }
  });
}

/**
 * The held-out check: train on one seeded set, then — in the grader, with the reference loss and
 * predict functions — compute the training loss at the returned parameters and the classification
 * error on a held-out seeded set; both must be within the case's limits.
 */
export function heldOutCheck(train: TrainingCase, heldOut: HeldOut, id: string, name: string, options: CheckOptions): void {
  check({ id: `${train.fn}.${id}`, name, function: train.fn, category: 'convergence', points: options.points, visibility: options.visibility ?? 'public' }, async () => {
    const reference: Run = referenceRun(train);
    const call = callText(train);
    const value = await callStudent(train.fn, argsOf(train), call);
    recordCurves(historyOf(value), reference.history);
    const { params } = validated(train, value, 'parameters');
    const loss = trainingLoss(train, params);
    const error = heldOutError(train, heldOut, params);
    if (loss <= heldOut.maxLoss && error <= heldOut.maxError) return;
    const referenceLoss = trainingLoss(train, reference.params);
    const referenceError = heldOutError(train, heldOut, reference.params);
    const history = historyOf(value);
    const last = history?.[history.length - 1];
    const step = await probeFirstStep(train);
    const hint = step && !step.matches ? step.hint : undefined;
    const percent = (x: number) => `${formatNumber(Math.round(x * 1000) / 10)} %`;
    throw failure(
      lines(
        `${call}: after training, the grader evaluated the parameters you returned:`,
        `  training loss (${LOSS_WORDS[lossName(train)]}) ${formatNumber(loss)} — must be ≤ ${heldOut.maxLoss} (the reference reaches ${formatNumber(referenceLoss)})${loss <= heldOut.maxLoss ? ' ✓' : ''}`,
        `  classification error on a held-out set (${heldOut.label}) ${percent(error)} — must be ≤ ${percent(heldOut.maxError)} (the reference: ${percent(referenceError)})${error <= heldOut.maxError ? ' ✓' : ''}`,
        last !== undefined && Number.isFinite(last) && Math.abs(last - loss) > 1e-6 + 1e-4 * Math.abs(loss) && `Note: your history ends at ${formatNumber(last)}, but the loss at the parameters you returned is ${formatNumber(loss)}.`,
        hintLine(hint),
      ),
      { comparison: { call, inputs: inputsOf(train), expected: { trainingLoss: referenceLoss, heldOutError: referenceError }, got: { trainingLoss: loss, heldOutError: error, params: parametersForReport(train, params) } }, diagnosis: hint },
    );
  });
}

/** Relative fall of a loss history from start to end, e.g. 0.0014 for 0.14 %. */
export function relativeFall(history: number[]): number {
  const first = history[0];
  const last = history[history.length - 1];
  return first === 0 ? 0 : (first - last) / first;
}
