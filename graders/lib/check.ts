/**
 * `check(meta, body)`: one jest test that carries points, a category and a visibility, and
 * records its outcome as plain data for result.json. Hidden checks are not even declared in a
 * public-only (student self-check) run.
 */
import type { PlannedCall } from '../../src/sandbox/sandboxProcess';
import type { CheckMeta } from '../../src/types';
import { activate, activeRun } from './context';
import { takeAttached } from './attach';
import { GradeFailure } from './failure';

/**
 * Declares one graded check as a jest test (points and visibility may be overridden by the spec).
 * `calls` lists the student calls the body will make with argument objects known now (the same
 * objects the body passes): they go to the sandbox with every other check's in one round trip,
 * in declaration order, before the first check's body runs. Calls not listed still work, one
 * round trip each. For functions without hidden state, listing changes speed only; a function
 * that keeps state between calls sees the listed calls first (the same order every run).
 */
export function check(declaredMeta: CheckMeta, body: () => Promise<void> | void, calls: readonly PlannedCall[] = []): void {
  const run = activeRun();
  const context = run.context;
  const override = context.overrides?.tests?.[declaredMeta.id];
  const meta: CheckMeta = { ...declaredMeta, ...(override?.points !== undefined ? { points: override.points } : {}), ...(override?.visibility ? { visibility: override.visibility } : {}) };
  if (context.scope === 'public' && meta.visibility === 'hidden') return;
  const { declared, recorded } = run;
  if (declared.some((other) => other.id === meta.id)) throw new Error(`duplicate check id ${meta.id}`);
  declared.push(meta);
  run.planned.push(...calls);
  test(`${meta.function} › ${meta.name} [${meta.category}, ${meta.points} pt, ${meta.visibility}]`, async () => {
    // Several submissions' blocks share a test file: each test acts for the run it was declared in.
    activate(run);
    const started = Date.now();
    run.startedAt ??= started;
    takeAttached();
    try {
      await body();
      const details = takeAttached();
      recorded.push({ ...meta, status: 'passed', score: meta.points, maxScore: meta.points, message: '', ...(details ? { details } : {}), durationMs: Date.now() - started });
    } catch (error) {
      const attached = takeAttached();
      if (error instanceof GradeFailure) {
        const details = { ...attached, ...error.details, ...(attached?.curves || error.details.curves ? { curves: [...(attached?.curves ?? []), ...(error.details.curves ?? [])] } : {}) };
        recorded.push({ ...meta, status: error.status, score: 0, maxScore: meta.points, message: error.message, diagnosis: error.details.diagnosis, details, durationMs: Date.now() - started });
      } else {
        const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        recorded.push({ ...meta, status: 'error', score: 0, maxScore: meta.points, message: `Internal grader error (not your fault; please tell your instructor): ${text}`, durationMs: Date.now() - started });
      }
      if (error instanceof GradeFailure) throw lightFailure(error);
      throw error;
    }
  });
}

/**
 * What jest sees of a failed check: its message, without the details (recorded above) and
 * without a stack of grader frames, so that jest has little to copy and format per failure.
 */
function lightFailure(failure: GradeFailure): Error {
  const light = new Error(failure.message);
  light.name = `GradeFailure (${failure.status})`;
  light.stack = `${light.name}: ${failure.message}`;
  return light;
}
