/**
 * `check(meta, body)`: one jest test that carries points, a category and a visibility, and
 * records its outcome as plain data for result.json. Hidden checks are not even declared in a
 * public-only (student self-check) run. `planCheck(meta, plan)` is the same for a check described
 * by a plan (./plans): its body is the plan's evaluation, and a public plan can be exported to a
 * student kit.
 */
import type { PlannedCall } from '../sandbox/sandboxProcess';
import type { CheckMeta, TestResult } from '../types';
import { activate, activeRun, type Run } from './context';
import { takeAttached } from './attach';
import { evaluatePlan } from './evaluate';
import { GradeFailure } from './failure';
import { plannedCalls, type CheckPlan } from './plans';

/** The check's meta with the assignment's overrides of points and visibility applied. */
function withOverrides(run: Run, declared: CheckMeta): CheckMeta {
  const override = run.context.overrides?.tests?.[declared.id];
  return {
    ...declared,
    ...(override?.points !== undefined ? { points: override.points } : {}),
    ...(override?.visibility ? { visibility: override.visibility } : {}),
  };
}

/**
 * Runs one check's body for `run` and returns its result (never throws for the student's
 * mistakes: a GradeFailure becomes a failed, error or timeout result; anything else is a grader
 * error, reported as such).
 */
export async function runCheck(run: Run, meta: CheckMeta, body: () => Promise<void> | void): Promise<TestResult> {
  activate(run);
  const started = Date.now();
  run.startedAt ??= started;
  run.current = meta.visibility;
  takeAttached();
  try {
    await body();
    const details = takeAttached();
    return { ...meta, status: 'passed', score: meta.points, maxScore: meta.points, message: '', ...(details ? { details } : {}), durationMs: Date.now() - started };
  } catch (error) {
    const attached = takeAttached();
    if (error instanceof GradeFailure) {
      const curves = attached?.curves || error.details.curves ? { curves: [...(attached?.curves ?? []), ...(error.details.curves ?? [])] } : {};
      const details = { ...attached, ...error.details, ...curves };
      return { ...meta, status: error.status, score: 0, maxScore: meta.points, message: error.message, diagnosis: error.details.diagnosis, details, durationMs: Date.now() - started };
    }
    const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return {
      ...meta,
      status: 'error',
      score: 0,
      maxScore: meta.points,
      message: `Internal grader error (not your fault; please tell your instructor): ${text}`,
      durationMs: Date.now() - started,
    };
  } finally {
    run.current = undefined;
  }
}

/**
 * Declares `meta` for the active run and returns the final meta, or undefined when the check is
 * not part of this run (a hidden check in a public self-check).
 */
function declare(declaredMeta: CheckMeta): { run: Run; meta: CheckMeta } | undefined {
  const run = activeRun();
  const meta = withOverrides(run, declaredMeta);
  if (run.context.scope === 'public' && meta.visibility === 'hidden') return undefined;
  if (run.declared.some((other) => other.id === meta.id)) throw new Error(`duplicate check id ${meta.id}`);
  run.declared.push(meta);
  return { run, meta };
}

/** The jest test that runs a declared check and records its result. */
function declareTest(run: Run, meta: CheckMeta, body: () => Promise<void> | void): void {
  test(`${meta.function} › ${meta.name} [${meta.category}, ${meta.points} pt, ${meta.visibility}]`, async () => {
    // Several submissions' blocks share a test file: each test acts for the run it was declared in.
    const result = await runCheck(run, meta, body);
    run.recorded.push(result);
    if (result.status !== 'passed') throw lightFailure(result);
  });
}

/**
 * Declares one graded check as a jest test (points and visibility may be overridden by the spec).
 * `calls` lists the student calls the body will make with argument objects known now (the same
 * objects the body passes): they go to the sandbox with every other check's in one round trip,
 * in declaration order, before the first check's body runs. Calls not listed still work, one
 * round trip each. For functions without hidden state, listing changes speed only; a function
 * that keeps state between calls sees the listed calls first (the same order every run).
 *
 * A check with a custom body runs when an instructor grades and in `mlgrade check`; it cannot be
 * part of a student kit (its body may use the reference): prefer the builders, which make plans.
 *
 * @example
 * check({ id: 'mse.symmetric', name: 'is symmetric', function: 'mse', category: 'accuracy', points: 1, visibility: 'public' }, async () => {
 *   const [a, b] = await Promise.all([callStudent('mse', [[1], [2]]), callStudent('mse', [[2], [1]])]);
 *   if (a !== b) fail(`mse([1], [2]) = ${a} but mse([2], [1]) = ${b}`);
 * });
 */
export function check(declaredMeta: CheckMeta, body: () => Promise<void> | void, calls: readonly PlannedCall[] = []): void {
  const declared = declare(declaredMeta);
  if (!declared) return;
  const { run, meta } = declared;
  run.planned[meta.visibility].push(...calls);
  run.custom.push(meta.id);
  declareTest(run, meta, body);
}

/**
 * Declares a check described by a plan. `plan` may be a function: it is then called only when the
 * check is part of the run (a hidden check's expected values are not even computed in a
 * self-check).
 */
export function planCheck(declaredMeta: CheckMeta, plan: CheckPlan | (() => CheckPlan)): void {
  const declared = declare(declaredMeta);
  if (!declared) return;
  const { run, meta } = declared;
  const resolved = typeof plan === 'function' ? plan() : plan;
  run.planned[meta.visibility].push(...plannedCalls(resolved));
  run.plans.push({ meta, plan: resolved });
  declareTest(run, meta, () => evaluatePlan(resolved));
}

/**
 * What jest sees of a failed check: its message, without the details (recorded) and without a
 * stack of grader frames, so that jest has little to copy and format per failure.
 */
function lightFailure(result: TestResult): Error {
  const light = new Error(result.message);
  light.name = `GradeFailure (${result.status})`;
  light.stack = `${light.name}: ${result.message}`;
  return light;
}
