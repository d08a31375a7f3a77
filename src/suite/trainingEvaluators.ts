/**
 * Evaluates the plans of ./trainingChecks against the submission under test: calls its trainer
 * in the sandbox, reads what came back and fails the check with a teaching message (where the
 * run departs, expected vs got, the tolerance, a hint grounded in measurements). Nothing here
 * uses a reference implementation: expected values come from the plan, and the loss and error at
 * the student's own parameters from ./linearModel.
 *
 * Each check reads the evidence of its own facet only (see the grading policy in README.md): the
 * interface check the result's shape, the history check the history's bookkeeping, the loss check
 * the recorded values, the epochs check the number of updates, the trajectory checks the
 * parameters (the update rule), the held-out and monotone checks where training ends. A mistake
 * another facet's check charges is recognised and not charged again.
 */
import { attach } from './attach';
import { compareClose, type Tolerance } from './closeness';
import { formatNumber } from './describe';
import { GradeFailure } from './failure';
import { classificationErrorAt, modelLoss, sigmoid, logisticLogits, type LinearParameters, type ModelLoss } from './linearModel';
import { callStudent, callStudentEchoing } from './submission';
import {
  dimensionsOf,
  epochsOf,
  initialParameters,
  inputsOf,
  lossOf,
  lrOf,
  parameterNames,
  parametersForReport,
  startingAt,
  withOptions,
  type ReferenceRun,
  type TrainerCall,
} from './trainer';
import { expectedShapeText, historyOf, parametersOf, resultProblem } from './trainerResult';
import {
  describeDeparture,
  describeMutation,
  diagnoseHistoryLength,
  diagnoseMutation,
  diagnoseRecordedLoss,
  diagnoseShiftedHistory,
  firstDeparture,
  firstMutation,
  firstRise,
} from './trainingDiagnosis';
import type {
  SaturationLesson,
  TrainerEpochsPlan,
  TrainerHeldOutPlan,
  TrainerHistoryPlan,
  TrainerInputsPlan,
  TrainerInterfacePlan,
  TrainerLossPlan,
  TrainerMonotonePlan,
  TrainerTrajectoryPlan,
  TrainingPlan,
} from './trainingPlans';
import { explainUpdates } from './updateProbe';
import type { Comparison, TestDetails } from '../types';

const LOSS_WORDS: Record<ModelLoss, string> = { bce: 'cross-entropy', mse: 'MSE', cce: 'cross-entropy' };

function lines(...parts: (string | undefined | false)[]): string {
  return parts.filter((p): p is string => typeof p === 'string' && p.length > 0).join('\n');
}

const hintLine = (hint: string | undefined) => (hint ? `Hint: ${hint}` : undefined);

function fail(message: string, details: TestDetails): never {
  throw new GradeFailure('failed', message, details);
}

const percent = (x: number, digits = 2) => `${formatNumber(Number((x * 100).toFixed(digits)))} %`;

function close(got: number, expected: number, tolerance: Tolerance): boolean {
  if (!Number.isFinite(got) || !Number.isFinite(expected)) return Object.is(got, expected);
  return Math.abs(got - expected) <= tolerance.atol + tolerance.rtol * Math.abs(expected);
}

/** The comparison details of a call: what was called, with which inputs, and `extra`. */
function called(run: TrainerCall, extra: Omit<Comparison, 'call' | 'inputs'> = {}): Comparison {
  return { call: run.call, inputs: inputsOf(run), ...extra };
}

const flat = (p: LinearParameters) => [...p.weights, ...p.biases];

async function callTrainer(run: TrainerCall): Promise<unknown> {
  return callStudent(run.fn, run.args, run.call);
}

/** Attaches your history (when readable) and the reference's to the check's result. */
function recordCurves(history: number[] | undefined, reference: number[], suffix = ''): void {
  const yours = history ? [{ label: `your history${suffix}`, values: history }] : [];
  attach({ curves: [...yours, { label: `reference${suffix}`, values: reference }] });
}

/** The returned parameters, or a failure with the interface message when they are malformed. */
function requireParameters(run: TrainerCall, value: unknown): LinearParameters {
  const params = parametersOf(run, value);
  if (params) return params;
  return fail(`${run.call}: ${resultProblem(run, value, 'none')}; expected ${expectedShapeText(run, 'any')}.`, {
    comparison: called(run, { got: value }),
  });
}

/** The number of updates t for which the reference's parameters equal `params` (the largest), or undefined. */
function pathIndex(params: LinearParameters, path: LinearParameters[], tolerance: Tolerance): number | undefined {
  for (let t = path.length - 1; t >= 0; t--) if (compareClose(flat(path[t]), flat(params), tolerance).ok) return t;
  return undefined;
}

/** The student's own loss at `params`: history[0] of its run with epochs = 0 from there (undefined if it has none). */
async function ownLossAt(run: TrainerCall, params: LinearParameters): Promise<number | undefined> {
  try {
    const args = withOptions(run, { ...startingAt(run, params), epochs: 0 }).args;
    return historyOf(await callStudent(run.fn, args, run.call))?.[0];
  } catch {
    return undefined;
  }
}

// ---- interface and inputs ------------------------------------------------------------------------

export async function evaluateTrainerInterface(plan: TrainerInterfacePlan): Promise<void> {
  const { run } = plan;
  const value = await callTrainer(run);
  const problem = resultProblem(run, value, 'finite');
  if (problem) fail(`${run.call}: ${problem}; expected ${expectedShapeText(run, 'any')}.`, { comparison: called(run, { got: value }) });
}

export async function evaluateTrainerInputs(plan: TrainerInputsPlan): Promise<void> {
  const { run } = plan;
  const names = ['X', run.model === 'logistic' ? 'y' : 'Y', 'opts'];
  const fields = run.model === 'logistic' ? 'X, y and opts (w0, b0)' : 'X, Y and opts (W0, b0)';
  const { argsAfter } = await callStudentEchoing(run.fn, run.args, run.call);
  if (!Array.isArray(argsAfter) || argsAfter.length !== run.args.length) {
    const why = typeof argsAfter === 'string' ? argsAfter : 'they were replaced';
    fail(`${run.call}: after the call, the arguments could not be read back (${why}). Do not modify or replace your inputs.`, { comparison: called(run) });
  }
  for (let i = 0; i < run.args.length; i++) {
    const mutation = firstMutation(run.args[i], argsAfter[i], names[i]);
    if (!mutation) continue;
    const hint = diagnoseMutation(mutation);
    fail(
      lines(
        `${run.call} modified its inputs: ${describeMutation(mutation)}.`,
        `A trainer must leave ${fields} exactly as it got them: the caller may reuse them (e.g. to train again with another learning rate from the same start).`,
        hintLine(hint),
      ),
      { comparison: called(run, { expected: mutation.before, got: mutation.after }), diagnosis: hint },
    );
  }
}

// ---- the history's bookkeeping -------------------------------------------------------------------

const EPOCHS_ZERO_HINT =
  'With epochs = 0 nothing is updated: return copies of the initial parameters (w0.slice(), b0) and a history of one value, the loss at them.';

export async function evaluateTrainerHistory(plan: TrainerHistoryPlan): Promise<void> {
  const tolerance = plan.tolerance.history;
  for (const { run, reference } of plan.cases) {
    const epochs = epochsOf(run);
    const value = await callTrainer(run);
    const history = historyOf(value);
    const base = called(run, { expected: reference.history });
    if (!history) {
      const problem = resultProblem(run, value, 'numbers') ?? 'no history';
      fail(`${run.call}: ${problem}; history must be an array of epochs + 1 = ${epochs + 1} numbers.`, { comparison: { ...base, got: value } });
    }
    const params = parametersOf(run, value);
    const returnedAfter = params ? pathIndex(params, reference.path, plan.tolerance.parameters) : undefined;
    if (history.length !== epochs + 1) {
      const hint = diagnoseHistoryLength(history, reference.history, tolerance, { returnedAfter });
      fail(
        lines(
          `${run.call}: your history has ${history.length} value${history.length === 1 ? '' : 's'}; with epochs = ${epochs} it must have epochs + 1 = ${epochs + 1}: history[0], the loss at the initial parameters before any update, then one value after each update.`,
          hintLine(hint),
        ),
        { comparison: { ...base, got: history }, diagnosis: hint },
      );
    }
    const initial = initialParameters(run);
    if (epochs === 0) {
      if (params && !compareClose(flat(initial), flat(params), { rtol: 1e-12, atol: 1e-15 }).ok) {
        fail(lines(`${run.call}: with epochs = 0 you return parameters that differ from the initial ones.`, hintLine(EPOCHS_ZERO_HINT)), {
          comparison: called(run, { expected: parametersForReport(run.model, initial), got: parametersForReport(run.model, params) }),
          diagnosis: EPOCHS_ZERO_HINT,
        });
      }
      continue;
    }
    const first = history[0];
    if (!close(first, reference.history[0], tolerance)) {
      const own = await ownLossAt(run, initial);
      if (own === undefined || !close(first, own, tolerance)) {
        const afterFirst = close(first, reference.history[1], tolerance);
        const hint = afterFirst
          ? 'history[0] is the loss after the first update: record the loss once before the loop, at the initial parameters, then once after every update.'
          : 'history[0] must be the loss at the initial parameters, before any update: record it once before the loop.';
        fail(
          lines(
            `${run.call}: history[0] = ${formatNumber(first)}, but the loss at the initial parameters is ${formatNumber(own ?? reference.history[0])}${own !== undefined && !close(own, reference.history[0], tolerance) ? ' (by your own trainer, called with epochs = 0)' : ''}.`,
            hintLine(hint),
          ),
          {
            comparison: { ...base, got: history, worstIndex: 0, worstExpected: own ?? reference.history[0], worstGot: first },
            diagnosis: hint,
          },
        );
      }
    }
    if (!params) continue; // malformed parameters: the interface check says so
    const last = history[epochs];
    const ours = modelLoss(run.model, run.args[0], run.args[1], params, lossOf(run));
    if (close(last, ours, tolerance)) continue;
    const own = await ownLossAt(run, params);
    if (own !== undefined && close(last, own, tolerance)) continue;
    const followsReference = firstDeparture(history, reference.history, tolerance) === undefined;
    const shifted = returnedAfter === epochs ? diagnoseShiftedHistory(history, reference.history, tolerance) : undefined;
    const hint =
      shifted ??
      (followsReference && returnedAfter === epochs - 1
        ? 'You return the parameters from before the last update: history[epochs] is the loss after the last update, so return the parameters it was computed at.'
        : followsReference && returnedAfter === 0
          ? 'You return the initial parameters although your history shows the training: return the parameters you updated (copies of w0 and b0), not w0 and b0 themselves.'
          : 'history[epochs] must be the loss at the parameters you return: record the loss after every update, at the updated parameters, and return those parameters.');
    fail(
      lines(`${run.call}: history[${epochs}] = ${formatNumber(last)}, but the loss at the parameters you return is ${formatNumber(own ?? ours)}.`, hintLine(hint)),
      { comparison: { ...base, got: history, worstIndex: epochs, worstExpected: own ?? ours, worstGot: last }, diagnosis: hint },
    );
  }
}

// ---- the recorded values -------------------------------------------------------------------------

export async function evaluateTrainerLoss(plan: TrainerLossPlan): Promise<void> {
  for (const c of plan.cases) {
    const { run } = c;
    const value = await callTrainer(run);
    const history = historyOf(value);
    if (!history || history.length === 0) {
      const problem = resultProblem(run, value, 'finite') ?? 'the history is empty';
      fail(`${run.call}: ${problem}: there is no recorded loss to check.`, { comparison: called(run, { got: value }) });
    }
    const params = parametersOf(run, value);
    const atStart = c.initialLoss;
    const atEnd = params ? modelLoss(run.model, run.args[0], run.args[1], params, c.loss) : undefined;
    // A value at parameters the run visits: the start, the returned parameters, or the reference's
    // after the update (recorded at parameters not returned: the history check's business).
    const visited = [atStart, ...c.referenceHistory, ...(atEnd !== undefined ? [atEnd] : [])];
    const bad = history.findIndex((h) => !visited.some((v) => close(h, v, plan.tolerance)));
    if (bad < 0) continue;
    const got = history[bad];
    const start = bad === 0 || atEnd === undefined;
    const expected = start ? atStart : (atEnd as number);
    const otherName = c.loss === 'bce' ? 'mse' : c.loss === 'mse' ? 'bce' : undefined;
    const otherAtEnd = otherName && params ? modelLoss(run.model, run.args[0], run.args[1], params, otherName) : undefined;
    const otherValue = start ? c.otherInitialLoss?.value : otherAtEnd;
    const hint = diagnoseRecordedLoss(got, expected, {
      n: dimensionsOf(run).n,
      loss: c.loss,
      ...(otherName && otherValue !== undefined ? { otherLoss: { name: `'${otherName}'`, value: otherValue } } : {}),
    });
    fail(
      lines(
        `${run.call}: history[${bad}] = ${formatNumber(got)}, but the ${LOSS_WORDS[c.loss]} loss${c.loss === 'cce' ? '' : ` ('${c.loss}')`} is ${formatNumber(atStart)} at the initial parameters${atEnd !== undefined ? ` and ${formatNumber(atEnd)} at the parameters you return` : ''}.`,
        'Every value of the history is the loss that opts.loss names, the mean over the N samples, computed from the logits (finite for any z).',
        `Tolerance: |got − expected| ≤ atol + rtol·|expected| with rtol = ${plan.tolerance.rtol}, atol = ${plan.tolerance.atol}`,
        hintLine(hint),
      ),
      { comparison: called(run, { expected, got, worstIndex: bad, worstExpected: expected, worstGot: got }), diagnosis: hint },
    );
  }
}

// ---- the number of updates -----------------------------------------------------------------------

const EARLY_STOP_HINT =
  'Your trainer stops before epochs updates when the loss (or the gradient) stops changing: the handout asks for exactly epochs updates — no early stopping — so that history always has epochs + 1 values and the caller decides how long to train.';

export async function evaluateTrainerEpochs(plan: TrainerEpochsPlan): Promise<void> {
  const epochs = epochsOf(plan.control);
  const read = async (run: TrainerCall): Promise<number[]> => {
    const value = await callTrainer(run);
    const history = historyOf(value);
    if (!history) {
      const problem = resultProblem(run, value, 'numbers') ?? 'no history';
      fail(`${run.call}: ${problem}: the number of updates is read from the length of the history.`, { comparison: called(run, { got: value }) });
    }
    return history;
  };
  const control = await read(plan.control);
  const stationary = await read(plan.stationary);
  const tiny = await read(plan.tiny);
  recordCurves(stationary, plan.reference.stationary, ' (stationary start)');
  for (const [run, history, why] of [
    [plan.stationary, stationary, 'the gradient is 0 there, so the loss does not change'],
    [plan.tiny, tiny, `the learning rate is so small (${lrOf(plan.tiny)}) that the loss changes by less than any stopping threshold`],
  ] as const) {
    if (history.length === control.length) continue;
    const hint = history.length < control.length ? EARLY_STOP_HINT : undefined;
    const values = `${history.length} value${history.length === 1 ? '' : 's'}`;
    fail(
      lines(
        `${run.call}: your history has ${values}, but ${control.length} for the same epochs = ${epochs} from an ordinary start (${plan.control.call.replace(/^[^—]*— /, '')}).`,
        `Here ${why}; the reference still does ${epochs} updates and records ${epochs + 1} values.`,
        hintLine(hint),
      ),
      { comparison: called(run, { got: history }), diagnosis: hint },
    );
  }
  if (Math.abs(control.length - (epochs + 1)) > 1) {
    const hint = `With epochs = ${epochs} your trainer records ${control.length} values: it does not do epochs updates (check the loop's bounds and that it reads opts.epochs).`;
    const message = `${plan.control.call}: your history has ${control.length} values; with epochs = ${epochs} it must have ${epochs + 1}.`;
    fail(lines(message, hintLine(hint)), { comparison: called(plan.control, { got: control }), diagnosis: hint });
  }
}

// ---- the update rule -----------------------------------------------------------------------------

/**
 * Whether a run whose parameters are the reference's after `j` < epochs updates is explained by a
 * bookkeeping mistake another check charges: the history follows the reference to the end (the
 * wrong parameters are returned: the history check), or stops with the parameters after j ≥ 1
 * updates (fewer updates: the epochs or history check).
 */
function bookkeepingOnly(j: number, history: number[] | undefined, reference: ReferenceRun, tolerance: Tolerance): boolean {
  if (!history) return false;
  const full = history.length === reference.history.length && firstDeparture(history, reference.history, tolerance) === undefined;
  const prefix = j >= 1 && history.length === j + 1 && firstDeparture(history, reference.history, tolerance) === undefined;
  return full || prefix;
}

/** The lesson of a saturated start, in numbers measured at the student's parameters. */
function lessonText(plan: TrainerTrajectoryPlan, lesson: SaturationLesson, params: LinearParameters): string {
  const { run, reference } = plan;
  const epochs = epochsOf(run);
  const start = reference.history[0];
  const fall = (end: number) => (start === 0 ? 0 : (start - end) / start);
  const referenceFall = fall(reference.history[epochs]);
  const yours = fall(modelLoss(run.model, run.args[0], run.args[1], params, lesson.loss));
  const output = (p: LinearParameters) => {
    const z = logisticLogits(run.args[0], p);
    return z.reduce((s, zi) => s + sigmoid(zi), 0) / z.length;
  };
  const what = dimensionsOf(run).n === 1 ? 'output σ(z)' : 'mean output σ(z)';
  if (lesson.loss === 'mse') {
    const moved = yours < 0 ? `rises by ${percent(-yours)}` : `falls by ${percent(yours)}`;
    const escapes = yours > 10 * referenceFall ? `: your MSE escapes the plateau (cross-entropy from the same start falls by ${percent(lesson.other.fall)})` : '';
    return `From this saturated start the reference's MSE falls by only ${percent(referenceFall)} in ${epochs} epochs — every update is scaled by σ′(z) ≈ ${formatNumber(Number(lesson.slope.toPrecision(2)))} — while yours ${moved}${escapes}.`;
  }
  return `From this saturated start cross-entropy escapes: the reference's ${what} goes from ${formatNumber(lesson.referenceOutput.start)} to ${formatNumber(lesson.referenceOutput.end)} in ${epochs} epochs, because σ′ cancels out of its gradient; yours ends at ${formatNumber(output(params))}.`;
}

export async function evaluateTrainerTrajectory(plan: TrainerTrajectoryPlan): Promise<void> {
  const { run, reference, tolerance } = plan;
  const value = await callTrainer(run);
  const history = historyOf(value);
  recordCurves(history, reference.history);
  if (plan.curves?.length) attach({ curves: plan.curves });
  const params = requireParameters(run, value);
  const epochs = epochsOf(run);
  const j = pathIndex(params, reference.path, tolerance.parameters);
  if (j === epochs) return;
  if (j !== undefined && bookkeepingOnly(j, history, reference, tolerance.history)) return;
  const expected = reference.path[epochs];
  const worst = compareClose(flat(expected), flat(params), tolerance.parameters).worst;
  const { d, k } = dimensionsOf(run);
  const worstName = parameterNames(run.model, d, k)[worst.index as number];
  const parametersLine = `Parameters after ${epochs} updates: worst ${worstName}: expected ${formatNumber(worst.expected)}, got ${formatNumber(worst.got)} (abs diff ${formatNumber(worst.absDiff)}).`;
  const same = tolerance.parameters.rtol === tolerance.history.rtol && tolerance.parameters.atol === tolerance.history.atol;
  const tolerances = `Tolerance: |got − expected| ≤ atol + rtol·|expected| with rtol = ${tolerance.parameters.rtol}, atol = ${tolerance.parameters.atol}${
    same ? ' (the parameters and each history entry)' : ` for the parameters (rtol = ${tolerance.history.rtol}, atol = ${tolerance.history.atol} for each history entry)`
  }`;
  const lesson = plan.lesson && lessonText(plan, plan.lesson, params);
  const parametersComparison = called(run, {
    expected: parametersForReport(run.model, expected),
    got: parametersForReport(run.model, params),
    tolerance: { ...tolerance.parameters },
  });
  if (j !== undefined) {
    const updates = `${j} update${j === 1 ? '' : 's'}`;
    const hint =
      j === 0
        ? 'You return the initial parameters: return the parameters after the last update.'
        : `You return the reference's parameters after ${updates} instead of ${epochs}: do exactly epochs updates and return the parameters after the last one.`;
    const headline = `${run.call}: the parameters you return are the reference's after ${updates}, not after ${epochs}.`;
    fail(lines(headline, parametersLine, lesson, tolerances, hintLine(hint)), { comparison: parametersComparison, diagnosis: hint });
  }
  const finding = await explainUpdates(plan, params);
  const departure = history ? firstDeparture(history, reference.history, tolerance.history) : undefined;
  const firstUpdate = finding.firstMatches === undefined ? undefined : finding.firstMatches ? 'matches' : 'differs';
  const headline = departure
    ? `${run.call}: ${describeDeparture(departure, firstUpdate)}.`
    : `${run.call}: the parameters you return after ${epochs} updates are not the reference's${finding.index ? ` (your update ${finding.index} is the first to differ)` : ''}.`;
  const comparison = departure
    ? called(run, {
        expected: reference.history,
        got: history,
        tolerance: { ...tolerance.history },
        worstIndex: departure.index,
        worstExpected: departure.expected,
        worstGot: departure.got,
        absDiff: Math.abs(departure.got - departure.expected),
        relDiff: departure.expected === 0 ? Infinity : Math.abs(departure.got - departure.expected) / Math.abs(departure.expected),
      })
    : parametersComparison;
  fail(lines(headline, parametersLine, lesson, tolerances, hintLine(finding.hint)), { comparison, diagnosis: finding.hint });
}

// ---- where training ends -------------------------------------------------------------------------

export async function evaluateTrainerMonotone(plan: TrainerMonotonePlan): Promise<void> {
  for (const explained of plan.cases) {
    const { run, reference } = explained;
    const suffix = plan.cases.length > 1 ? ` (${lossOf(run)})` : '';
    const value = await callTrainer(run);
    const history = historyOf(value);
    recordCurves(history, reference.history, suffix);
    if (!history || history.length < 2) {
      const count = history?.length ?? 0;
      const problem = resultProblem(run, value, 'numbers') ?? `your history has ${count} value${count === 1 ? '' : 's'}`;
      fail(`${run.call}: ${problem}: this check reads the loss you record at every update.`, { comparison: called(run, { got: value }) });
    }
    const rise = firstRise(history);
    const fellOverall = history[history.length - 1] < history[0];
    if (!rise && fellOverall) continue;
    const params = parametersOf(run, value);
    const finding = await explainUpdates(explained, params);
    const onPath = params && pathIndex(params, reference.path, { rtol: 1e-6, atol: 1e-9 }) !== undefined;
    const hint =
      finding.hint ??
      (onPath
        ? 'Your parameters follow the reference, so it is the recorded loss that rises: history[t] must be the loss at the parameters after t updates.'
        : 'With a small learning rate, a step along the negative gradient always lowers the loss: check that your update follows −∂L/∂w at the current parameters.');
    const words = LOSS_WORDS[lossOf(run)];
    const what = rise
      ? `the loss rises at update ${rise.index}: history[${rise.index}] = ${formatNumber(rise.after)} > history[${rise.index - 1}] = ${formatNumber(rise.before)}`
      : `the loss does not fall: history ends at ${formatNumber(history[history.length - 1])}, history[0] = ${formatNumber(history[0])}`;
    fail(
      lines(
        `${run.call}: ${what}.`,
        `With a learning rate this small (${lrOf(run)}), every gradient-descent step must lower the ${words} loss (the reference's falls from ${formatNumber(reference.history[0])} to ${formatNumber(reference.history[reference.history.length - 1])}).`,
        hintLine(hint),
      ),
      {
        comparison: called(run, { expected: reference.history, got: history, ...(rise ? { worstIndex: rise.index, worstGot: rise.after } : {}) }),
        diagnosis: hint,
      },
    );
  }
}

export async function evaluateTrainerHeldOut(plan: TrainerHeldOutPlan): Promise<void> {
  const { run, reference, heldOut } = plan;
  const value = await callTrainer(run);
  const history = historyOf(value);
  recordCurves(history, reference.history);
  const params = requireParameters(run, value);
  const loss = modelLoss(run.model, run.args[0], run.args[1], params, plan.loss);
  const error = classificationErrorAt(run.model, heldOut.X, heldOut.classes, params);
  if (loss <= heldOut.maxLoss && error <= heldOut.maxError) return;
  const finding = await explainUpdates(plan, params);
  const last = history?.[history.length - 1];
  const rate = (x: number) => percent(x, 1);
  fail(
    lines(
      `${run.call}: after training, the grader evaluated the parameters you returned:`,
      `  training loss (${LOSS_WORDS[plan.loss]}) ${formatNumber(loss)} — must be ≤ ${heldOut.maxLoss} (the reference reaches ${formatNumber(plan.referenceLoss)})${loss <= heldOut.maxLoss ? ' ✓' : ''}`,
      `  classification error on a held-out set (${heldOut.label}) ${rate(error)} — must be ≤ ${rate(heldOut.maxError)} (the reference: ${rate(plan.referenceError)})${error <= heldOut.maxError ? ' ✓' : ''}`,
      last !== undefined && Number.isFinite(last) && Math.abs(last - loss) > 1e-6 + 1e-4 * Math.abs(loss) && `Note: your history ends at ${formatNumber(last)}, but the loss at the parameters you returned is ${formatNumber(loss)}.`,
      hintLine(finding.hint),
    ),
    {
      comparison: called(run, {
        expected: { trainingLoss: plan.referenceLoss, heldOutError: plan.referenceError },
        got: { trainingLoss: loss, heldOutError: error, params: parametersForReport(run.model, params) },
      }),
      diagnosis: finding.hint,
    },
  );
}

/** Evaluates any training plan. */
export async function evaluateTrainingPlan(plan: TrainingPlan): Promise<void> {
  switch (plan.kind) {
    case 'trainer-interface':
      return evaluateTrainerInterface(plan);
    case 'trainer-inputs':
      return evaluateTrainerInputs(plan);
    case 'trainer-history':
      return evaluateTrainerHistory(plan);
    case 'trainer-loss':
      return evaluateTrainerLoss(plan);
    case 'trainer-epochs':
      return evaluateTrainerEpochs(plan);
    case 'trainer-trajectory':
      return evaluateTrainerTrajectory(plan);
    case 'trainer-monotone':
      return evaluateTrainerMonotone(plan);
    case 'trainer-held-out':
      return evaluateTrainerHeldOut(plan);
  }
}
