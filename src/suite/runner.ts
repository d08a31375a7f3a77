/**
 * How a grading suite meets jest. A suite is declared once with `defineSuite(() => { describe…
 * check… })`; a generated entry file grades a batch of submissions with `gradeBatch`, which
 * declares the suite again inside one describe block per submission. Loading jest's test
 * environment, the suite and its libraries once per batch instead of once per submission is
 * most of what makes bulk grading fast; each submission still has its own sandbox process, its
 * own records and its own sidecar file, written as soon as its block ends.
 */
import * as fs from 'node:fs';
import type { SubmissionSandbox } from '../sandbox/sandboxProcess';
import type { CapturedOutput, CheckMeta, IsolationReport, LoadOutcome, SandboxUsageReport, TestResult } from '../types';
import type { Language } from '../assignments/spec';
import { activate, newRun, type Run, type RunContext } from './context';
import { inStudentLanguage } from './studentLanguage';
import { capturedOutput, closeSandbox, loadNotes, loadOutcome } from './submission';

/** What one submission's block writes for the orchestrator (its sidecar file). */
export interface SuiteRecord {
  declared: CheckMeta[];
  tests: TestResult[];
  load: LoadOutcome;
  output?: CapturedOutput;
  isolation?: IsolationReport;
  usage?: SandboxUsageReport;
  /** The submission's language (its messages are in it: Python names for Python). */
  language?: Language;
  /** Python: export name → the Python name (for reports' headings). */
  names?: Record<string, string>;
  /** Lines for the student: how the entry was chosen, what a notebook's conversion skipped, cells that failed. */
  notes?: string[];
  /** When the submission's first check started and how long its checks took (ms). */
  startedAt: number;
  durationMs: number;
}

/** A grading suite: the function that declares its describe blocks and checks. */
export interface Suite {
  readonly declare: () => void;
}

/**
 * Declares a grading suite. `declare` runs once per graded submission, inside that submission's
 * block, so everything it computes (seeded inputs, expected values) is computed afresh for each.
 *
 * @example
 * export default defineSuite(() => {
 *   describe('mse', () => {
 *     valueCheck(specs.mse, 'accuracy.hand', 'is the mean of squared errors', 'accuracy', hand(…), { points: 2 });
 *   });
 * });
 */
export function defineSuite(declare: () => void): Suite {
  return { declare };
}

/**
 * Grades each context's submission with `suite`, one describe block per submission, in order:
 * a block's checks all run (against its own sandbox) and its sidecar is written before the
 * next block starts.
 */
export function gradeBatch(suite: Suite, contexts: readonly RunContext[]): void {
  if (typeof (suite as Partial<Suite> | undefined)?.declare !== 'function') {
    throw new Error('the grading suite does not export a suite: its module must end with `export default defineSuite(() => { describe(…); })` (see the mlgrade/suite documentation)');
  }
  for (const context of contexts) {
    describe(context.submission, () => {
      const run = newRun(context);
      activate(run);
      try {
        suite.declare();
      } finally {
        activate(undefined);
      }
      beforeAll(() => {
        activate(run);
      });
      afterAll(async () => {
        activate(run);
        try {
          await finishRun(run);
        } finally {
          activate(undefined);
        }
      });
    });
  }
}

/**
 * Ends the active run: loads the submission if no check did, closes its sandbox and returns what
 * the run recorded (used by the batch runner and by the kit's self-check, which runs no jest).
 */
export async function completeRun(run: Run): Promise<SuiteRecord> {
  const startedAt = run.startedAt ?? Date.now();
  const load = await loadOutcome();
  const boxes = [run.sandboxes.public, run.sandboxes.hidden].filter((box) => box !== undefined);
  const { context } = run;
  const notes = [...(context.notes ?? []), ...loadNotes(context, boxes[0])];
  const names = context.language === 'python' ? context.python?.names : undefined;
  const record: SuiteRecord = {
    declared: run.declared,
    tests: run.recorded,
    load,
    output: capturedOutput(boxes, context.limits.outputBytes),
    isolation: boxes[0]?.isolation(),
    ...(boxes.length ? { usage: usageOf(boxes, run.budget.budgetMs) } : {}),
    ...(context.language ? { language: context.language } : {}),
    ...(names ? { names } : {}),
    ...(notes.length ? { notes } : {}),
    startedAt,
    durationMs: Date.now() - startedAt,
  };
  await closeSandbox();
  // The one place where a Python submission's messages get its own names and words.
  return inStudentLanguage(record, context.language, names);
}

/** The time the sandboxes of a run used together, against the budget they shared. */
function usageOf(boxes: readonly SubmissionSandbox[], budgetMs: number): SandboxUsageReport {
  const each = boxes.map((box) => box.usage());
  return { wallMs: each.reduce((sum, u) => sum + u.wallMs, 0), cpuMs: each.reduce((sum, u) => sum + u.cpuMs, 0), budgetMs };
}

/** Completes the run and writes its sidecar atomically. */
async function finishRun(run: Run): Promise<void> {
  const record = await completeRun(run);
  // Written under a temporary name and renamed: the orchestrator picks sidecars up as they appear.
  const partial = `${run.context.sidecar}.partial`;
  fs.writeFileSync(partial, JSON.stringify(record));
  fs.renameSync(partial, run.context.sidecar);
}
