/**
 * One view of the two trainers for the checks: arguments, the reference run, what a result must
 * look like, and the model's loss and held-out error at given parameters — all computed in the
 * grader with the reference implementations, never taken from the submission.
 *
 * Parameters are handled flattened ({@link ParameterStep}): weights (w, or W row by row), then
 * biases ([b], or b).
 */
import {
  describeValue,
  nonFiniteProblem,
  shapeProblem,
  type Shape,
  ParameterStep,
  StepAlternative,
} from 'mlgrade/suite';
import * as ref from 'mlgrade/reference';
import type { HeldOut, TrainingCase } from './cases';

/** Flattened parameters: weights then biases. */
export type Parameters = ParameterStep;

/** What one training run produced. */
export interface Run {
  params: Parameters;
  history: number[];
}

/** The loss the model is trained on in this case ('bce', 'mse', or 'cce' for softmax). */
export function lossName(c: TrainingCase): 'bce' | 'mse' | 'cce' {
  return c.fn === 'trainBinary' ? c.opts.loss : 'cce';
}

/** The case with a different number of epochs (for the one-update probe). */
export function withEpochs<C extends TrainingCase>(c: C, epochs: number): C {
  return { ...c, opts: { ...c.opts, epochs } };
}

/** Arguments of the call: [X, y, opts] or [X, Y, opts]. */
export function argsOf(c: TrainingCase): unknown[] {
  return c.fn === 'trainBinary' ? [c.X, c.y, c.opts] : [c.X, c.Y, c.opts];
}

/** Named inputs for result.json (reproducible by an instructor). */
export function inputsOf(c: TrainingCase): Record<string, unknown> {
  return c.fn === 'trainBinary' ? { X: c.X, y: c.y, opts: c.opts } : { X: c.X, Y: c.Y, opts: c.opts };
}

/** "trainBinary(X, y, opts) — <label>". */
export function callText(c: TrainingCase): string {
  return `${c.fn}(X, ${c.fn === 'trainBinary' ? 'y' : 'Y'}, opts) — ${c.label}`;
}

export function initialParameters(c: TrainingCase): Parameters {
  return c.fn === 'trainBinary' ? { weights: c.opts.w0.slice(), biases: [c.opts.b0] } : { weights: c.opts.W0.flat(), biases: c.opts.b0.slice() };
}

const referenceRuns = new WeakMap<TrainingCase, Run>();

/** The reference trainer on the same data, initialisation and learning rate (computed once per case object). */
export function referenceRun(c: TrainingCase): Run {
  let run = referenceRuns.get(c);
  if (!run) referenceRuns.set(c, (run = computeReferenceRun(c)));
  return run;
}

function computeReferenceRun(c: TrainingCase): Run {
  if (c.fn === 'trainBinary') {
    const r = ref.trainBinary(c.X, c.y, c.opts);
    return { params: { weights: r.w, biases: [r.b] }, history: r.history };
  }
  const r = ref.trainSoftmax(c.X, c.Y, c.opts);
  return { params: { weights: r.W.flat(), biases: r.b }, history: r.history };
}

function dims(c: TrainingCase): { d: number; k: number } {
  return { d: c.X[0].length, k: c.fn === 'trainBinary' ? 1 : c.Y[0].length };
}

/** "{ w: 3 numbers, b: a number, history: 31 numbers }". */
export function expectedShapeText(c: TrainingCase): string {
  const { d, k } = dims(c);
  const numbers = (count: number) => `${count} number${count === 1 ? '' : 's'}`;
  const history = `history: ${numbers(c.opts.epochs + 1)} (epochs + 1)`;
  return c.fn === 'trainBinary' ? `{ w: ${numbers(d)}, b: a number, ${history} }` : `{ W: ${d}×${k} numbers (d×K), b: ${numbers(k)}, ${history} }`;
}

function plainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !ArrayBuffer.isView(value) && Object.prototype.toString.call(value) === '[object Object]';
}

function fieldProblem(value: unknown, name: string, shape: Shape): string | undefined {
  const problem = shapeProblem(value, shape);
  if (problem) {
    if (shape.kind === 'number' || !Array.isArray(value)) return `${name} is ${describeValue(value)}`;
    if (shape.kind === 'matrix' && shape.rows !== shape.cols && value.length === shape.cols && value.every((row) => Array.isArray(row) && row.length === shape.rows)) {
      return `${name} is ${shape.cols}×${shape.rows}: it looks transposed — ${name} must be d×K = ${shape.rows}×${shape.cols}, one row per feature, one column per class`;
    }
    // "returned an array of length 5: the result has length 5 (expected 6)" → "history has length 5 (expected 6)"
    return shape.kind === 'vector' ? problem.replace(/^returned .*?: the result/, name) : `${name} is ${problem.replace(/^returned /, '')}`;
  }
  const nonFinite = nonFiniteProblem(value as number | number[] | number[][]);
  return nonFinite ? `${name} is not finite (${nonFinite.replace(/^the result/, 'the value')})` : undefined;
}

/**
 * What is wrong with a trainer's return value, or undefined. `part`: 'all' checks the history too
 * (length epochs + 1, finite); 'parameters' only w and b (W and b).
 */
export function resultProblem(c: TrainingCase, value: unknown, part: 'all' | 'parameters'): string | undefined {
  if (!plainObject(value)) return `returned ${describeValue(value)}`;
  const { d, k } = dims(c);
  const problems =
    c.fn === 'trainBinary'
      ? [fieldProblem(value.w, 'w', { kind: 'vector', length: d }), fieldProblem(value.b, 'b', { kind: 'number' })]
      : [fieldProblem(value.W, 'W', { kind: 'matrix', rows: d, cols: k }), fieldProblem(value.b, 'b', { kind: 'vector', length: k })];
  if (part === 'all') problems.push(fieldProblem(value.history, 'history', { kind: 'vector', length: c.opts.epochs + 1 }));
  const found = problems.filter((p): p is string => p !== undefined);
  return found.length ? `returned a result where ${found.join('; ')}` : undefined;
}

/** The history when it is a plain array of numbers (of any length), else undefined. */
export function historyOf(value: unknown): number[] | undefined {
  if (!plainObject(value)) return undefined;
  const history = value.history;
  if (!Array.isArray(history) || shapeProblem(history, { kind: 'vector', length: history.length })) return undefined;
  return history as number[];
}

/** Flattened parameters of a validated result. */
export function parametersOf(c: TrainingCase, value: unknown): Parameters {
  const v = value as Record<string, unknown>;
  if (c.fn === 'trainBinary') return { weights: (v.w as number[]).slice(), biases: [v.b as number] };
  return { weights: (v.W as number[][]).flat(), biases: (v.b as number[]).slice() };
}

function unflatten(c: TrainingCase, params: Parameters): { w: number[]; b: number } | { W: number[][]; b: number[] } {
  if (c.fn === 'trainBinary') return { w: params.weights, b: params.biases[0] };
  const k = c.Y[0].length;
  const W: number[][] = [];
  for (let i = 0; i < params.weights.length; i += k) W.push(params.weights.slice(i, i + k));
  return { W, b: params.biases };
}

/** The parameters in the shape the trainer returns them, for result.json. */
export function parametersForReport(c: TrainingCase, params: Parameters): Record<string, unknown> {
  return unflatten(c, params);
}

/** The model's own training loss (BCE for the binary held-out runs, CCE for softmax) at `params`. */
export function trainingLoss(c: TrainingCase, params: Parameters): number {
  const p = unflatten(c, params);
  if (c.fn === 'trainBinary') return ref.binaryLoss(c.X, c.y, (p as { w: number[] }).w, (p as { b: number }).b, c.opts.loss);
  return ref.softmaxLoss(c.X, c.Y, (p as { W: number[][] }).W, (p as { b: number[] }).b);
}

/** Classification error of the model with `params` on the held-out set, by the reference predict. */
export function heldOutError(c: TrainingCase, heldOut: HeldOut, params: Parameters): number {
  const p = unflatten(c, params);
  if (c.fn === 'trainBinary') return ref.classificationError(heldOut.labels, ref.predictBinary(heldOut.X, (p as { w: number[] }).w, (p as { b: number }).b));
  return ref.classificationError(heldOut.labels, ref.predictSoftmax(heldOut.X, (p as { W: number[][] }).W, (p as { b: number[] }).b));
}

/**
 * Steps that known mistakes would take from the case's start, computed exactly:
 * MSE through a sigmoid without σ′(z) (∂L/∂z_i = 2(p_i − y_i)/N), and cross-entropy with an extra
 * σ′(z) (∂L/∂z_i = (p_i − y_i)σ′(z_i)/N). None for softmax.
 */
export function variantSteps(c: TrainingCase): StepAlternative[] {
  if (c.fn !== 'trainBinary') return [];
  const { X, y, opts } = c;
  const n = X.length;
  const p = ref.predictBinary(X, opts.w0, opts.b0);
  const step = (dz: number[]): Parameters => {
    const weights = opts.w0.map((_, j) => -opts.lr * X.reduce((s, row, i) => s + row[j] * dz[i], 0));
    return { weights, biases: [-opts.lr * dz.reduce((s, v) => s + v, 0)] };
  };
  if (opts.loss === 'mse') return [{ variant: 'mse-without-sigmoid-slope', step: step(p.map((pi, i) => (2 * (pi - y[i])) / n)) }];
  return [{ variant: 'bce-with-sigmoid-slope', step: step(p.map((pi, i) => ((pi - y[i]) * pi * (1 - pi)) / n)) }];
}
