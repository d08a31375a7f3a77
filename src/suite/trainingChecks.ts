/**
 * Check builders for trainers of linear classifiers by full-batch gradient descent (see
 * ./trainer): interface, inputs unchanged, the history convention, the recorded loss, exactly
 * `epochs` updates, the trajectory against the reference (with the saturated-start lesson for a
 * logistic model), a loss that never rises, held-out loss and classification error.
 *
 * Each builder runs the course's reference trainer when the suite is declared (cached per spec
 * and arguments, so a batch of submissions pays once) and records everything in a plain-data plan
 * (./trainingPlans): the same check runs in the grader and, for public checks, in a student kit.
 * Each check reads the evidence of one facet (the grading policy, README.md), so a mistake costs
 * the points of the checks about it only.
 *
 * @example
 * const trainBinary: LogisticTrainer = { name: 'trainBinary', model: 'logistic', reference: ref.trainBinary };
 * trainerTrajectoryCheck(trainBinary, 'trajectory.bce', "follows the reference step by step with loss 'bce'", cases.bce, { points: 8 });
 */
import type { Category, CheckMeta, Visibility } from '../types';
import { planCheck } from './check';
import { classificationErrorAt, logisticLogits, sigmoid, type LinearParameters, type ModelLoss } from './linearModel';
import {
  assertCaseFits,
  DEFAULT_TRAINER_TOLERANCE,
  dimensionsOf,
  epochsOf,
  lossOf,
  referenceRun,
  startingAt,
  trainerCall,
  withOptions,
  type LogisticCase,
  type SoftmaxCase,
  type TrainerCall,
  type TrainerCase,
  type TrainerSpec,
} from './trainer';
import type {
  ExplainedRun,
  SaturationLesson,
  TrainerEpochsPlan,
  TrainerHeldOutPlan,
  TrainerHistoryPlan,
  TrainerInputsPlan,
  TrainerInterfacePlan,
  TrainerLossPlan,
  TrainerMonotonePlan,
  TrainerTrajectoryPlan,
} from './trainingPlans';
import { stepBetween, type ParameterStep, type StepAlternative } from './updateDiagnosis';

/** Points and visibility of one check (visibility defaults to public). */
export interface TrainerCheckOptions {
  points: number;
  visibility?: Visibility;
}

/** A seeded held-out set and the limits the trained parameters must reach on it. */
export interface HeldOutSet {
  /** Describes the data for messages (seeds included). */
  label: string;
  X: number[][];
  /** Class of each sample: 0/1 for the logistic model, 0 … K−1 for softmax regression. */
  classes: number[];
  /** Largest allowed training loss (the trained model's own loss, at the returned parameters). */
  maxLoss: number;
  /** Largest allowed classification error on the held-out set. */
  maxError: number;
}

function meta(spec: TrainerSpec, id: string, name: string, category: Category, options: TrainerCheckOptions): CheckMeta {
  const visibility = options.visibility ?? 'public';
  return { id: `${spec.name}.${id}`, name, function: spec.name, category, points: options.points, visibility };
}

const tolerance = (spec: TrainerSpec) => spec.tolerance ?? DEFAULT_TRAINER_TOLERANCE;

const scaled = (step: ParameterStep, s: number): ParameterStep => ({
  weights: step.weights.map((x) => s * x),
  biases: step.biases.map((x) => s * x),
});

/** The reference's first step from the call's start with the other binary loss. */
function otherLossStep(spec: TrainerSpec, run: TrainerCall, loss: 'bce' | 'mse'): ParameterStep {
  const path = referenceRun(spec, withOptions(run, { loss, epochs: 1 })).path;
  return stepBetween(path[0], path[1]);
}

/**
 * The first step when one group of parameters is updated before the other's gradient is computed
 * (a sequential update): the weights step as the reference's, then the bias step taken at the
 * already-updated weights (`biasesLast`), or the other way round.
 */
function sequentialStep(spec: TrainerSpec, run: TrainerCall, biasesLast: boolean): ParameterStep {
  const path = referenceRun(spec, withOptions(run, { epochs: 1 })).path;
  const first = stepBetween(path[0], path[1]);
  const moved: LinearParameters = biasesLast ? { weights: path[1].weights, biases: path[0].biases } : { weights: path[0].weights, biases: path[1].biases };
  const again = referenceRun(spec, withOptions(run, { ...startingAt(run, moved), epochs: 1 })).path;
  const second = stepBetween(again[0], again[1]);
  return biasesLast ? { weights: first.weights, biases: second.biases } : { weights: second.weights, biases: first.biases };
}

/**
 * Steps known mistakes take from the start of a call, from the reference's own steps: for the
 * logistic model MSE without σ′ (2(p − y)/N: twice cross-entropy's step), cross-entropy with an
 * extra σ′ (half MSE's step) and the other loss's gradient; for both models, a sequential update
 * (one group of parameters updated before the other's gradient is computed).
 */
function alternativesFor(spec: TrainerSpec, run: TrainerCall): StepAlternative[] {
  const sequential: StepAlternative[] = [
    { variant: 'bias-at-updated-weights', step: sequentialStep(spec, run, true) },
    { variant: 'weights-at-updated-bias', step: sequentialStep(spec, run, false) },
  ];
  if (spec.model !== 'logistic') return sequential;
  const bce = otherLossStep(spec, run, 'bce');
  const mse = otherLossStep(spec, run, 'mse');
  if (lossOf(run) === 'mse') {
    return [{ variant: 'mse-without-sigmoid-slope', step: scaled(bce, 2) }, { variant: 'bce-gradient-for-mse', step: bce }, ...sequential];
  }
  return [{ variant: 'bce-with-sigmoid-slope', step: scaled(mse, 0.5) }, { variant: 'mse-gradient-for-bce', step: mse }, ...sequential];
}

function explained(spec: TrainerSpec, c: TrainerCase): ExplainedRun {
  const run = trainerCall(spec, c);
  return { run, reference: referenceRun(spec, run), alternatives: alternativesFor(spec, run) };
}

const fieldsOf = (spec: TrainerSpec) => (spec.model === 'logistic' ? '{ w, b, history }' : '{ W, b, history }');

/**
 * The interface check: the trainer exists and returns a plain `{ w, b, history }` (`{ W, b,
 * history }`) whose parameters have the shapes of the call and whose history is a non-empty array
 * of numbers, all finite, on an ordinary input. The history's length is the history check's.
 */
export function trainerInterfaceCheck(spec: TrainerSpec, c: TrainerCase, options: TrainerCheckOptions): void {
  assertCaseFits('trainerInterfaceCheck', spec, c);
  const name = `exists and returns ${fieldsOf(spec)} of the right shapes, finite`;
  planCheck(meta(spec, 'interface', name, 'interface', options), (): TrainerInterfacePlan => ({ kind: 'trainer-interface', run: trainerCall(spec, c) }));
}

/** The inputs check: X, the labels and every field of opts are as they were after the call. */
export function trainerInputsCheck(spec: TrainerSpec, c: TrainerCase, options: TrainerCheckOptions): void {
  assertCaseFits('trainerInputsCheck', spec, c);
  const fields = spec.model === 'logistic' ? 'X, y and opts (w0, b0)' : 'X, Y and opts (W0, b0)';
  planCheck(meta(spec, 'inputs-unchanged', `leaves ${fields} unchanged`, 'interface', options), (): TrainerInputsPlan => ({
    kind: 'trainer-inputs',
    run: trainerCall(spec, c),
  }));
}

/**
 * The history check (category interface): for each case, history has epochs + 1 values, history[0]
 * is the loss at the initial parameters (before any update) and history[epochs] the loss at the
 * returned parameters — both in the student's own loss when it differs from the reference's (the
 * loss check charges that) — and with epochs = 0 the initial parameters come back. Give a case
 * with epochs = 0 among `cases`.
 */
export function trainerHistoryCheck(spec: TrainerSpec, cases: TrainerCase[], options: TrainerCheckOptions): void {
  for (const c of cases) assertCaseFits('trainerHistoryCheck', spec, c);
  const name = 'records epochs + 1 losses: history[0] before any update, the last one at the returned parameters (epochs = 0 included)';
  planCheck(meta(spec, 'history', name, 'interface', options), (): TrainerHistoryPlan => ({
    kind: 'trainer-history',
    fn: spec.name,
    cases: cases.map((c) => {
      const run = trainerCall(spec, c);
      return { run, reference: referenceRun(spec, run) };
    }),
    tolerance: tolerance(spec),
  }));
}

/**
 * The loss check (category accuracy): every value a one-update run records is the loss opts.loss
 * names — the mean over the samples, computed from the logits — at the initial or at the returned
 * parameters. Each case runs with epochs = 1; include a saturated start (|z| ≈ 40 for the logistic
 * model, logits ±400 for softmax), where log(σ(z)) or log(softmax) underflows to log(0).
 */
export function trainerLossCheck(spec: TrainerSpec, cases: TrainerCase[], options: TrainerCheckOptions): void {
  for (const c of cases) assertCaseFits('trainerLossCheck', spec, c);
  const name =
    spec.model === 'logistic'
      ? "records the loss opts.loss names ('bce' or 'mse', a mean, from the logits — exact at a saturated start)"
      : 'records the mean categorical cross-entropy, from the logits — exact at a saturated start';
  planCheck(meta(spec, 'loss', name, 'accuracy', options), (): TrainerLossPlan => ({
    kind: 'trainer-loss',
    fn: spec.name,
    cases: cases.map((c) => {
      const run = withOptions(trainerCall(spec, c), { epochs: 1 });
      const loss = lossOf(run);
      const referenceHistory = referenceRun(spec, run).history;
      const initialLoss = referenceHistory[0];
      if (spec.model !== 'logistic') return { run, loss, initialLoss, referenceHistory };
      const other = loss === 'bce' ? 'mse' : 'bce';
      const otherInitialLoss = { loss: other as ModelLoss, value: referenceRun(spec, withOptions(run, { loss: other, epochs: 0 })).history[0] };
      return { run, loss, initialLoss, referenceHistory, otherInitialLoss };
    }),
    tolerance: tolerance(spec).history,
  }));
}

/** A start where the gradient is 0: copies of one sample, one per class, and zero parameters. */
function stationaryCase(spec: TrainerSpec, control: TrainerCase): TrainerCase {
  const x = control.X[0];
  const d = x.length;
  if (spec.model === 'logistic') {
    const c = control as LogisticCase;
    return {
      label: `a stationary start — two copies of one sample with labels 1 and 0, w0 = 0, b0 = 0: the gradient is exactly 0; loss '${c.opts.loss}', lr ${c.opts.lr}, ${c.opts.epochs} epochs`,
      X: [x.slice(), x.slice()],
      y: [1, 0],
      opts: { ...c.opts, w0: new Array<number>(d).fill(0), b0: 0 },
    };
  }
  const c = control as SoftmaxCase;
  const k = c.Y[0].length;
  return {
    label: `a stationary start — ${k} copies of one sample, one per class, W0 = 0, b0 = 0: the gradient is 0; lr ${c.opts.lr}, ${c.opts.epochs} epochs`,
    X: Array.from({ length: k }, () => x.slice()),
    Y: Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => (i === j ? 1 : 0))),
    opts: { ...c.opts, W0: Array.from({ length: d }, () => new Array<number>(k).fill(0)), b0: new Array<number>(k).fill(0) },
  };
}

/** The learning rate of the epochs check's second run: the loss changes by ~1e-13 per update. */
export const TINY_LEARNING_RATE = 1e-12;

/**
 * The epochs check: the trainer does exactly `epochs` updates even where the loss no longer
 * changes — from a stationary start (the gradient is exactly 0) and with a learning rate of 1e-12
 * — so any early-stopping rule shows as a shorter history than the same trainer's on `control` (an
 * ordinary call with a few epochs). Compared with the trainer's own ordinary run, a history that is
 * one value short everywhere (the history check's) costs nothing here.
 */
export function trainerEpochsCheck(spec: TrainerSpec, control: TrainerCase, options: TrainerCheckOptions): void {
  assertCaseFits('trainerEpochsCheck', spec, control);
  const name = 'does exactly epochs updates, even where the loss stops changing (no early stopping)';
  planCheck(meta(spec, 'epochs', name, 'convergence', options), (): TrainerEpochsPlan => {
    const run = trainerCall(spec, control);
    const stationary = trainerCall(spec, stationaryCase(spec, control));
    const tiny = withOptions(run, { lr: TINY_LEARNING_RATE }, `here with lr = ${TINY_LEARNING_RATE}`);
    return {
      kind: 'trainer-epochs',
      fn: spec.name,
      control: run,
      stationary,
      tiny,
      reference: { stationary: referenceRun(spec, stationary).history, tiny: referenceRun(spec, tiny).history },
    };
  });
}

/**
 * The trajectory check: with the same data, initialisation and learning rate as the reference,
 * the parameters after `epochs` updates must be the reference's (the update rule). When they are
 * not, the trainer is probed step by step and the message says where its run leaves the
 * reference's and how (the history shows where, when it follows the convention). Parameters that
 * are the reference's after fewer updates, with a history that shows it, are the history or
 * epochs check's business and pass here.
 */
export function trainerTrajectoryCheck(spec: TrainerSpec, id: string, name: string, c: TrainerCase, options: TrainerCheckOptions): void {
  assertCaseFits('trainerTrajectoryCheck', spec, c);
  planCheck(meta(spec, id, name, 'convergence', options), (): TrainerTrajectoryPlan => ({
    kind: 'trainer-trajectory',
    ...explained(spec, c),
    tolerance: tolerance(spec),
  }));
}

const meanOf = (values: number[]) => values.reduce((s, v) => s + v, 0) / values.length;

/**
 * A trajectory check from a saturated start of a logistic model (the seed's lesson, Nielsen ch. 3):
 * its message adds, in numbers, how far the reference's loss falls, σ′(z) at the start and how far
 * the student's falls (MSE), or how the output escapes (cross-entropy); the reference's curve with
 * the other loss from the same start is recorded for the plot.
 */
export function trainerSaturationCheck(spec: TrainerSpec, id: string, name: string, c: TrainerCase, options: TrainerCheckOptions): void {
  assertCaseFits('trainerSaturationCheck', spec, c);
  if (spec.model !== 'logistic') {
    throw new Error(`trainerSaturationCheck(${spec.name}): the saturated-start lesson is about a sigmoid output (a logistic trainer)`);
  }
  planCheck(meta(spec, id, name, 'convergence', options), (): TrainerTrajectoryPlan => {
    const base = explained(spec, c);
    const { run, reference } = base;
    const loss = lossOf(run) as 'bce' | 'mse';
    const other = loss === 'bce' ? 'mse' : 'bce';
    const otherHistory = referenceRun(spec, withOptions(run, { loss: other })).history;
    const output = (p: LinearParameters) => meanOf(logisticLogits(run.args[0], p).map(sigmoid));
    const start = reference.path[0];
    const lesson: SaturationLesson = {
      loss,
      slope: meanOf(logisticLogits(run.args[0], start).map((z) => sigmoid(z) * sigmoid(-z))),
      referenceOutput: { start: output(start), end: output(reference.path[epochsOf(run)]) },
      other: { loss: other, fall: (otherHistory[0] - otherHistory[otherHistory.length - 1]) / otherHistory[0] },
    };
    const curves = [{ label: `reference with loss '${other}' (same start)`, values: otherHistory }];
    return { kind: 'trainer-trajectory', ...base, tolerance: tolerance(spec), lesson, curves };
  });
}

/** The monotone check: with a small learning rate the recorded loss never rises and ends lower (each case in turn). */
export function trainerMonotoneCheck(spec: TrainerSpec, name: string, cases: TrainerCase[], options: TrainerCheckOptions): void {
  for (const c of cases) assertCaseFits('trainerMonotoneCheck', spec, c);
  planCheck(meta(spec, 'monotone', name, 'convergence', options), (): TrainerMonotonePlan => ({
    kind: 'trainer-monotone',
    fn: spec.name,
    cases: cases.map((c) => explained(spec, c)),
  }));
}

/**
 * The held-out check: train on `train`, then — with the grader's own linear-model evaluation —
 * the training loss at the returned parameters and the classification error on `heldOut` must be
 * within its limits.
 */
export function trainerHeldOutCheck(
  spec: TrainerSpec,
  id: string,
  name: string,
  train: TrainerCase,
  heldOut: HeldOutSet,
  options: TrainerCheckOptions,
): void {
  assertCaseFits('trainerHeldOutCheck', spec, train);
  planCheck(meta(spec, id, name, 'convergence', options), (): TrainerHeldOutPlan => {
    const base = explained(spec, train);
    const final = base.reference.path[epochsOf(base.run)];
    const { d } = dimensionsOf(base.run);
    if (heldOut.X[0]?.length !== d || heldOut.X.length !== heldOut.classes.length) {
      throw new Error(`trainerHeldOutCheck(${spec.name}): the held-out set "${heldOut.label}" must have ${d} features and one class per sample`);
    }
    return {
      kind: 'trainer-held-out',
      ...base,
      loss: lossOf(base.run),
      heldOut: structuredClone(heldOut),
      referenceLoss: base.reference.history[epochsOf(base.run)],
      referenceError: classificationErrorAt(base.run.model, heldOut.X, heldOut.classes, final),
    };
  });
}
