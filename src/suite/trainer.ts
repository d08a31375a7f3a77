/**
 * How a suite describes a trainer of a linear classifier by full-batch gradient descent — the
 * logistic model (`trainBinary(X, y, opts)` → `{ w, b, history }`, loss 'bce' or 'mse') or
 * softmax regression (`trainSoftmax(X, Y, opts)` → `{ W, b, history }`) — and one call of it (a
 * case). The builders in ./trainingChecks turn a spec and cases into plain-data plans, running
 * the course's reference trainer once per case object when the suite is declared.
 */
import type { Tolerance } from './closeness';
import type { LinearModel, LinearParameters, ModelLoss } from './linearModel';

/** Tolerances of a trainer's history and parameters against the reference's. */
export interface TrainerTolerance {
  history: Tolerance;
  parameters: Tolerance;
}

/**
 * The default: rtol 1e-6, atol 1e-9 for both. Tighter than a loss check's: one wrong update from a
 * saturated MSE start changes the loss by only ~1e-5, and a correct trainer agrees with the
 * reference to ~1e-13 (only the order of floating-point sums differs).
 */
export const DEFAULT_TRAINER_TOLERANCE: TrainerTolerance = { history: { rtol: 1e-6, atol: 1e-9 }, parameters: { rtol: 1e-6, atol: 1e-9 } };

/** Options of the logistic model's trainer, as the handout defines them. */
export interface LogisticTrainingOptions {
  loss: 'bce' | 'mse';
  lr: number;
  epochs: number;
  w0: number[];
  b0: number;
}

/** Options of softmax regression's trainer. */
export interface SoftmaxTrainingOptions {
  lr: number;
  epochs: number;
  W0: number[][];
  b0: number[];
}

/**
 * A logistic-model trainer: `name(X, y, opts)` returns `{ w, b, history }`, history[t] the loss
 * after t updates.
 *
 * @example
 * const trainBinary: LogisticTrainer = { name: 'trainBinary', model: 'logistic', reference: ref.trainBinary };
 */
export interface LogisticTrainer {
  /** The export name students use. */
  name: string;
  model: 'logistic';
  /** The course's reference trainer (runs in the grader when the suite is declared, never in a kit). */
  reference: (X: number[][], y: number[], opts: LogisticTrainingOptions) => { w: number[]; b: number; history: number[] };
  /** Default {@link DEFAULT_TRAINER_TOLERANCE}. */
  tolerance?: TrainerTolerance;
}

/**
 * A softmax-regression trainer: `name(X, Y, opts)` returns `{ W, b, history }` (W d×K, one-hot Y).
 *
 * @example
 * const trainSoftmax: SoftmaxTrainer = { name: 'trainSoftmax', model: 'softmax', reference: ref.trainSoftmax };
 */
export interface SoftmaxTrainer {
  name: string;
  model: 'softmax';
  reference: (X: number[][], Y: number[][], opts: SoftmaxTrainingOptions) => { W: number[][]; b: number[]; history: number[] };
  tolerance?: TrainerTolerance;
}

/** A trainer of a linear classifier, as a suite describes it: export name, model and reference trainer. */
export type TrainerSpec = LogisticTrainer | SoftmaxTrainer;

/** One call of a logistic trainer; `label` describes data and options for messages (seeds included). */
export interface LogisticCase {
  label: string;
  X: number[][];
  y: number[];
  opts: LogisticTrainingOptions;
}

/** One call of a softmax trainer. */
export interface SoftmaxCase {
  label: string;
  X: number[][];
  Y: number[][];
  opts: SoftmaxTrainingOptions;
}

/** One call of a trainer: a logistic or a softmax case. */
export type TrainerCase = LogisticCase | SoftmaxCase;

/** One call as a plan holds it: plain data only. */
export interface TrainerCall {
  fn: string;
  model: LinearModel;
  /** `trainBinary(X, y, opts) — <case label>`. */
  call: string;
  /** [X, y, opts] (logistic) or [X, Y, opts] (softmax). */
  args: [number[][], number[] | number[][], Record<string, unknown>];
}

/** The reference's run of a case: its history and its parameters after every update. */
export interface ReferenceRun {
  history: number[];
  /** path[t]: the parameters after t updates, t = 0 … epochs. */
  path: LinearParameters[];
}

/** Throws a clear error when a case does not fit its spec's model (a suite bug). */
export function assertCaseFits(builder: string, spec: TrainerSpec, c: TrainerCase): void {
  const logistic = spec.model === 'logistic';
  const fits = logistic ? 'y' in c && Array.isArray((c as LogisticCase).opts.w0) : 'Y' in c && Array.isArray((c as SoftmaxCase).opts.W0);
  if (!fits) {
    const expected = logistic ? 'X, y and opts.w0, opts.b0' : 'X, Y and opts.W0, opts.b0';
    throw new Error(`${builder}(${spec.name}): the case "${c.label}" does not fit a ${spec.model} trainer (expected ${expected})`);
  }
}

const argName = (model: LinearModel) => (model === 'logistic' ? 'y' : 'Y');

/** The plan's view of a call (copies of the case's arrays, so that later edits of the case cannot change a plan). */
export function trainerCall(spec: TrainerSpec, c: TrainerCase): TrainerCall {
  const labels = spec.model === 'logistic' ? (c as LogisticCase).y : (c as SoftmaxCase).Y;
  return {
    fn: spec.name,
    model: spec.model,
    call: `${spec.name}(X, ${argName(spec.model)}, opts) — ${c.label}`,
    args: [structuredClone(c.X), structuredClone(labels), structuredClone(c.opts) as unknown as Record<string, unknown>],
  };
}

/** The same call with some options replaced (new argument objects; the label gains `note`). */
export function withOptions(run: TrainerCall, patch: Record<string, unknown>, note?: string): TrainerCall {
  return { ...run, call: note ? `${run.call}; ${note}` : run.call, args: [run.args[0], run.args[1], { ...run.args[2], ...patch }] };
}

/** Named inputs for result.json: `{ X, y, opts }` or `{ X, Y, opts }`. */
export function inputsOf(run: TrainerCall): Record<string, unknown> {
  return { X: run.args[0], [argName(run.model)]: run.args[1], opts: run.args[2] };
}

export function epochsOf(run: TrainerCall): number {
  return run.args[2].epochs as number;
}

export function lrOf(run: TrainerCall): number {
  return run.args[2].lr as number;
}

/** The loss the model is trained on: opts.loss, or 'cce' for softmax regression. */
export function lossOf(run: TrainerCall): ModelLoss {
  return run.model === 'softmax' ? 'cce' : (run.args[2].loss as 'bce' | 'mse');
}

/** Number of features d and of classes K (1 for the logistic model). */
export function dimensionsOf(run: TrainerCall): { n: number; d: number; k: number } {
  const X = run.args[0];
  return { n: X.length, d: X[0].length, k: run.model === 'softmax' ? (run.args[1] as number[][])[0].length : 1 };
}

/** The initial parameters of a call, flattened. */
export function initialParameters(run: TrainerCall): LinearParameters {
  const opts = run.args[2];
  if (run.model === 'logistic') return { weights: (opts.w0 as number[]).slice(), biases: [opts.b0 as number] };
  return { weights: (opts.W0 as number[][]).flat(), biases: (opts.b0 as number[]).slice() };
}

/** Options that start from `params` (w0/b0 or W0/b0). */
export function startingAt(run: TrainerCall, params: LinearParameters): Record<string, unknown> {
  if (run.model === 'logistic') return { w0: params.weights.slice(), b0: params.biases[0] };
  return { W0: unflattenWeights(params.weights, params.biases.length), b0: params.biases.slice() };
}

function unflattenWeights(weights: number[], k: number): number[][] {
  const W: number[][] = [];
  for (let i = 0; i < weights.length; i += k) W.push(weights.slice(i, i + k));
  return W;
}

/** Parameters in the shape the trainer returns them (`{ w, b }` or `{ W, b }`), for result.json. */
export function parametersForReport(model: LinearModel, params: LinearParameters): Record<string, unknown> {
  if (model === 'logistic') return { w: params.weights, b: params.biases[0] };
  return { W: unflattenWeights(params.weights, params.biases.length), b: params.biases };
}

/** Names of the flattened parameters for messages: `w[0]`, `b` or `W[0][1]`, `b[1]`. */
export function parameterNames(model: LinearModel, d: number, k: number): string[] {
  if (model === 'logistic') return [...Array.from({ length: d }, (_, j) => `w[${j}]`), 'b'];
  const names: string[] = [];
  for (let j = 0; j < d; j++) for (let c = 0; c < k; c++) names.push(`W[${j}][${c}]`);
  for (let c = 0; c < k; c++) names.push(`b[${c}]`);
  return names;
}

// ---- the reference, run once per case object ----------------------------------------------------

/** Runs the reference on `data` (X and labels, shared by the runs of one case: references do not modify their inputs) with `opts`. */
function runReference(
  spec: TrainerSpec,
  data: [number[][], number[] | number[][]],
  opts: Record<string, unknown>,
): { params: LinearParameters; history: number[] } {
  const [X, labels] = data;
  if (spec.model === 'logistic') {
    const r = spec.reference(X, labels as number[], structuredClone(opts) as unknown as LogisticTrainingOptions);
    return { params: { weights: r.w.slice(), biases: [r.b] }, history: r.history.slice() };
  }
  const r = spec.reference(X, labels as number[][], structuredClone(opts) as unknown as SoftmaxTrainingOptions);
  return { params: { weights: r.W.flat(), biases: r.b.slice() }, history: r.history.slice() };
}

function sameParameters(a: LinearParameters, b: LinearParameters, rel = 1e-12): boolean {
  const x = [...a.weights, ...a.biases];
  const y = [...b.weights, ...b.biases];
  return x.length === y.length && x.every((v, i) => Math.abs(v - y[i]) <= rel * Math.max(1, Math.abs(y[i])));
}

/**
 * The reference's history and parameters after every update. The path is built one update at a
 * time (an epochs = 1 run from the previous parameters: full-batch gradient descent keeps no
 * state but the parameters); if that does not reproduce the one-shot run, every prefix is run.
 */
function computeReferenceRun(spec: TrainerSpec, run: TrainerCall): ReferenceRun {
  const data = structuredClone([run.args[0], run.args[1]]) as [number[][], number[] | number[][]];
  const opts = run.args[2];
  const whole = runReference(spec, data, opts);
  const epochs = epochsOf(run);
  const path: LinearParameters[] = [initialParameters(run)];
  for (let t = 1; t <= epochs; t++) path.push(runReference(spec, data, { ...opts, ...startingAt(run, path[t - 1]), epochs: 1 }).params);
  if (!sameParameters(path[epochs], whole.params)) {
    for (let t = 1; t <= epochs; t++) path[t] = runReference(spec, data, { ...opts, epochs: t }).params;
  }
  path[epochs] = whole.params;
  return { history: whole.history, path };
}

/** Runs by reference trainer (a function lives as long as its module, whoever builds the spec) and arguments. */
const referenceRuns = new WeakMap<TrainerSpec['reference'], Map<string, ReferenceRun>>();

/**
 * The reference's run of a call, computed once per reference trainer and argument values (cached
 * for the process: a suite declared for every submission of a batch reuses it).
 */
export function referenceRun(spec: TrainerSpec, run: TrainerCall): ReferenceRun {
  let bySpec = referenceRuns.get(spec.reference);
  if (!bySpec) referenceRuns.set(spec.reference, (bySpec = new Map()));
  const key = JSON.stringify(run.args);
  let found = bySpec.get(key);
  if (!found) bySpec.set(key, (found = computeReferenceRun(spec, run)));
  return found;
}
