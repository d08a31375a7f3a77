/**
 * Reading what a trainer returned: `{ w, b, history }` (logistic model) or `{ W, b, history }`
 * (softmax regression) as plain data, the parameters flattened, and what is wrong with it in
 * words. Values were deserialised in the grader's realm, so these checks cannot be fooled.
 */
import { describeValue } from './describe';
import type { LinearParameters } from './linearModel';
import { nonFiniteProblem, shapeProblem, type Shape } from './shapes';
import { dimensionsOf, epochsOf, type TrainerCall } from './trainer';

function plainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !ArrayBuffer.isView(value) && Object.prototype.toString.call(value) === '[object Object]';
}

function fieldProblem(value: unknown, name: string, shape: Shape, finite = true): string | undefined {
  const problem = shapeProblem(value, shape);
  if (problem) {
    if (shape.kind === 'number' || !Array.isArray(value)) return `${name} is ${describeValue(value)}`;
    if (shape.kind === 'matrix' && shape.rows !== shape.cols && value.length === shape.cols && value.every((row) => Array.isArray(row) && row.length === shape.rows)) {
      return `${name} is ${shape.cols}×${shape.rows}: it looks transposed — ${name} must be d×K = ${shape.rows}×${shape.cols}, one row per feature, one column per class`;
    }
    // "returned an array of length 5: the result has length 5 (expected 6)" → "history has length 5 (expected 6)"
    return shape.kind === 'vector' ? problem.replace(/^returned .*?: the result/, name) : `${name} is ${problem.replace(/^returned /, '')}`;
  }
  const nonFinite = finite ? nonFiniteProblem(value as number | number[] | number[][]) : undefined;
  return nonFinite ? `${name} is not finite (${nonFinite.replace(/^the result/, 'the value')})` : undefined;
}

/** What the history must be for a problem report: any length, or exactly epochs + 1 values. */
export type HistoryRule = 'none' | 'numbers' | 'finite' | 'exact-length';

/**
 * What is wrong with a trainer's return value, or undefined: a plain object whose parameters
 * have the shapes of the call and are finite, and whose history obeys `history`:
 * 'none' (not looked at), 'numbers' (a plain array of numbers), 'finite' (also non-empty and
 * finite), 'exact-length' (finite, epochs + 1 values).
 *
 * @example
 * resultProblem(call, { w: [1, 2], b: 0, history: 'x' }, 'numbers')
 * // returns 'returned a result where history is a string "x" (return a number, not text)'
 */
export function resultProblem(run: TrainerCall, value: unknown, history: HistoryRule): string | undefined {
  if (!plainObject(value)) return `returned ${describeValue(value)}`;
  const { d, k } = dimensionsOf(run);
  const problems =
    run.model === 'logistic'
      ? [fieldProblem(value.w, 'w', { kind: 'vector', length: d }), fieldProblem(value.b, 'b', { kind: 'number' })]
      : [fieldProblem(value.W, 'W', { kind: 'matrix', rows: d, cols: k }), fieldProblem(value.b, 'b', { kind: 'vector', length: k })];
  if (history !== 'none') {
    const h = value.history;
    const length = history === 'exact-length' ? epochsOf(run) + 1 : Array.isArray(h) ? h.length : 0;
    let problem = fieldProblem(h, 'history', { kind: 'vector', length });
    if (problem && history === 'numbers' && /is not finite/.test(problem)) problem = undefined;
    if (!problem && history !== 'numbers' && Array.isArray(h) && h.length === 0) problem = 'history is empty (it needs epochs + 1 values)';
    problems.push(problem);
  }
  const found = problems.filter((p): p is string => p !== undefined);
  return found.length ? `returned a result where ${found.join('; ')}` : undefined;
}

function parameterShapeProblem(run: TrainerCall, value: unknown): boolean {
  if (!plainObject(value)) return true;
  const { d, k } = dimensionsOf(run);
  const problems =
    run.model === 'logistic'
      ? [fieldProblem(value.w, 'w', { kind: 'vector', length: d }, false), fieldProblem(value.b, 'b', { kind: 'number' }, false)]
      : [fieldProblem(value.W, 'W', { kind: 'matrix', rows: d, cols: k }, false), fieldProblem(value.b, 'b', { kind: 'vector', length: k }, false)];
  return problems.some((p) => p !== undefined);
}

/** The history when it is a plain array of numbers (of any length), else undefined. */
export function historyOf(value: unknown): number[] | undefined {
  if (!plainObject(value)) return undefined;
  const history = value.history;
  if (!Array.isArray(history) || shapeProblem(history, { kind: 'vector', length: history.length })) return undefined;
  return history as number[];
}

/**
 * The flattened parameters of a result, or undefined when they are malformed (or, unless
 * `finite: false`, not finite).
 */
export function parametersOf(run: TrainerCall, value: unknown, options: { finite: boolean } = { finite: true }): LinearParameters | undefined {
  if (options.finite ? resultProblem(run, value, 'none') : parameterShapeProblem(run, value)) return undefined;
  const v = value as Record<string, unknown>;
  if (run.model === 'logistic') return { weights: (v.w as number[]).slice(), biases: [v.b as number] };
  return { weights: (v.W as number[][]).flat(), biases: (v.b as number[]).slice() };
}

/** "{ w: 3 numbers, b: a number, history: … }" — `history` describes what the history must be. */
export function expectedShapeText(run: TrainerCall, history: 'any' | 'exact'): string {
  const { d, k } = dimensionsOf(run);
  const numbers = (count: number) => `${count} number${count === 1 ? '' : 's'}`;
  const h = history === 'exact' ? `history: ${numbers(epochsOf(run) + 1)} (epochs + 1)` : 'history: an array of numbers (the loss after each update)';
  return run.model === 'logistic' ? `{ w: ${numbers(d)}, b: a number, ${h} }` : `{ W: ${d}×${k} numbers (d×K), b: ${numbers(k)}, ${h} }`;
}
