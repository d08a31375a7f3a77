/**
 * `check(meta, body)`: one jest test that carries points, a category and a visibility, and
 * records its outcome as plain data for result.json. Hidden checks are not even declared in a
 * public-only (student self-check) run.
 */
import * as fs from 'node:fs';
import type { CapturedOutput, CheckMeta, IsolationReport, LoadOutcome, TestResult } from '../../src/types';
import { runContext } from './context';
import { takeAttached } from './attach';
import { GradeFailure } from './failure';
import { closeSandbox, currentSandbox, loadOutcome } from './submission';

/** What a suite run writes for the orchestrator. */
export interface SuiteRecord {
  declared: CheckMeta[];
  tests: TestResult[];
  load: LoadOutcome;
  output?: CapturedOutput;
  isolation?: IsolationReport;
  /** When the suite started and how long it took (ms), excluding time queued behind others. */
  startedAt: number;
  durationMs: number;
}

const suiteStarted = Date.now();

const declared: CheckMeta[] = [];
const recorded: TestResult[] = [];

// Registered when this module is first required, i.e. at the top level of the suite file, so it
// runs once after every describe block (outside jest there is nothing to register).
if (typeof afterAll === 'function') {
  afterAll(async () => {
    const context = runContext();
    const load = await loadOutcome();
    const box = currentSandbox();
    const record: SuiteRecord = { declared, tests: recorded, load, output: box?.output(), isolation: box?.isolation(), startedAt: suiteStarted, durationMs: Date.now() - suiteStarted };
    await closeSandbox();
    fs.writeFileSync(context.sidecar, JSON.stringify(record));
  });
}

/** Declares one graded check as a jest test (points and visibility may be overridden by the spec). */
export function check(declaredMeta: CheckMeta, body: () => Promise<void> | void): void {
  const context = runContext();
  const override = context.overrides?.tests?.[declaredMeta.id];
  const meta: CheckMeta = { ...declaredMeta, ...(override?.points !== undefined ? { points: override.points } : {}), ...(override?.visibility ? { visibility: override.visibility } : {}) };
  if (context.scope === 'public' && meta.visibility === 'hidden') return;
  if (declared.some((other) => other.id === meta.id)) throw new Error(`duplicate check id ${meta.id}`);
  declared.push(meta);
  test(`${meta.function} › ${meta.name} [${meta.category}, ${meta.points} pt, ${meta.visibility}]`, async () => {
    const started = Date.now();
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
      throw error;
    }
  });
}
