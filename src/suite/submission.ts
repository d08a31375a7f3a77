/**
 * The grader's handle on the submission under test: one sandbox per visibility per suite run,
 * created lazily from the run context (public and hidden checks never share a process). Every call goes through here and is turned into plain data or a
 * GradeFailure with a message that names the call.
 */
import { SubmissionSandbox, studentFrame, type CallOutcome, type LoadFailure } from '../sandbox/sandboxProcess';
import { pythonLauncher } from '../sandbox/python/launcher';
import type { CapturedOutput, LoadOutcome, Visibility } from '../types';
import { verbatim } from '../verbatim';
import { sandboxUid } from '../sandbox/python/uids';
import { activeRun, runContext, type RunContext } from './context';
import { GradeFailure } from './failure';
import { describeShape, shapeProblem, type Numeric, type Shape } from './shapes';

/**
 * The sandbox of the active run for `visibility` (default: the visibility of the check running
 * now), created on its first use with the calls that visibility's checks planned.
 */
export function currentSandbox(visibility: Visibility = activeRun().current ?? 'public'): SubmissionSandbox | undefined {
  const run = activeRun();
  const context = run.context;
  if (!context.entry || !context.stageDir || context.stageFailure) return undefined;
  let box = run.sandboxes[visibility];
  if (!box) {
    box = new SubmissionSandbox({
      entry: context.entry,
      stageDir: context.stageDir,
      limits: context.limits,
      allowedModules: context.allowedModules,
      resolved: context.resolved,
      budget: run.budget,
      ...(context.language === 'python' && context.python ? { launcher: pythonLauncher({ ...context.python, uid: sandboxUid(context.python.uidBase, visibility) }) } : {}),
    });
    box.planCalls(run.planned[visibility]);
    run.sandboxes[visibility] = box;
  }
  return box;
}

/** The load outcome for result.json (loads the submission if nothing has yet), from the public checks' sandbox when there is one. */
export async function loadOutcome(): Promise<LoadOutcome> {
  const context = runContext();
  const run = activeRun();
  const box = currentSandbox(run.sandboxes.public || !run.sandboxes.hidden ? 'public' : 'hidden');
  if (!box) return { status: 'failed', reason: context.stageFailure?.reason ?? 'no-entry', message: context.stageFailure?.message ?? 'no entry file' };
  const failure = await box.load();
  if (failure) return { status: 'failed', reason: failure.reason, message: failure.message };
  return { status: 'loaded', entry: context.entryName ?? context.entry!.slice(context.stageDir!.length + 1), exports: Object.keys(box.exports()).sort() };
}


/** Lines for the student about a loaded submission: a notebook's cells that failed and went on. */
export function loadNotes(context: RunContext, box: SubmissionSandbox | undefined): string[] {
  const cells = box?.pythonLoaded()?.cellErrors ?? [];
  const notes = cells.map((cell) => {
    const where = cell.thrown.where ?? `cell ${cell.cell}`;
    const what = cell.syntax ? `syntax error: ${verbatim(cell.thrown.message)}` : `${verbatim(cell.thrown.name)}: ${verbatim(cell.thrown.message)}`;
    const left = cell.undefined.length ? `; left undefined: ${verbatim(cell.undefined.join(', '))}` : '';
    return `${context.entryName ?? 'the notebook'}: ${verbatim(where)}: ${what} — the notebook went on with the next cell${left}`;
  });
  return notes;
}

/**
 * The output the submission printed in `boxes` (instructor-only), one after the other, within
 * `capBytes` for the submission as a whole.
 */
export function capturedOutput(boxes: readonly SubmissionSandbox[], capBytes: number): CapturedOutput | undefined {
  if (!boxes.length) return undefined;
  const parts = boxes.map((box) => box.output());
  const joined = Buffer.from(parts.map((part) => part.text).join(''), 'utf8');
  const kept = joined.subarray(0, capBytes).toString('utf8');
  return { text: kept, bytes: parts.reduce((sum, part) => sum + part.bytes, 0), truncated: parts.some((part) => part.truncated) || joined.length > capBytes };
}

function loadFailureMessage(failure: Pick<LoadFailure, 'message'>): string {
  return `The submission could not be loaded, so nothing in it could be graded: ${failure.message}`;
}

function notLoaded(): GradeFailure {
  return new GradeFailure('error', loadFailureMessage(runContext().stageFailure ?? { message: 'no entry file' }));
}

/** Errors of what the sandbox denies: Node's permission model, and (Python) a read-only root, no network, no privileges. */
const DENIED_CODES = new Set(['ERR_ACCESS_DENIED', 'EROFS', 'EACCES', 'EPERM', 'ENETUNREACH', 'ECONNREFUSED', 'EAFNOSUPPORT']);

function accessHint(code: string | undefined, message: string): string {
  if ((code !== undefined && DENIED_CODES.has(code)) || /restricted|ERR_ACCESS_DENIED/.test(message)) {
    return ' Submissions run in a sandbox without access to files outside their folder, the network, environment variables or other processes: compute the result from the arguments only.';
  }
  return '';
}

/** Turns a non-returned outcome into the GradeFailure a check throws. */
export function outcomeFailure(call: string, outcome: Exclude<CallOutcome, { status: 'returned' }>): GradeFailure {
  switch (outcome.status) {
    case 'threw': {
      const { error } = outcome;
      return new GradeFailure('error', `${call} threw ${verbatim(error.name)}: ${verbatim(error.message)}${verbatim(studentFrame(error))}.${accessHint(error.code, error.message)}`);
    }
    case 'unsendable':
      return new GradeFailure('failed', `${call} returned ${verbatim(outcome.description)}; expected plain numbers.`, {
        diagnosis: `${call.split('(')[0]} returns ${verbatim(outcome.description)}: return plain numbers and arrays, synchronously.`,
      });
    case 'missing':
      if (outcome.explanation !== undefined) {
        const shown = outcome.available.length > 12 ? `${outcome.available.slice(0, 12).join(', ')} and ${outcome.available.length - 12} more` : outcome.available.join(', ');
        const defines = outcome.available.length ? ` (it defines: ${verbatim(shown)})` : '';
        return new GradeFailure('error', `${verbatim(outcome.explanation)}${defines}.`);
      }
      return new GradeFailure(
        'error',
        outcome.kind === 'undefined'
          ? `${call.split('(')[0]} is not exported by the submission (it exports: ${outcome.available.join(', ') || 'nothing'}). Add \`export function ${outcome.exportName}(…)\`.`
          : `${outcome.exportName} is exported as a ${outcome.kind}, not a function.`,
      );
    case 'timeout':
      if (outcome.budget) {
        return new GradeFailure('timeout', `${call} was not run to the end: the submission used up its time budget (${Math.round((outcome.budgetMs ?? 0) / 1000)} s for all its calls together), so its remaining checks were not run.`);
      }
      return new GradeFailure('timeout', `${call} did not return within the time limit of ${outcome.limitMs} ms (an endless loop?). The process was stopped and replaced; other functions are graded as usual.`);
    case 'exhausted':
      return new GradeFailure(outcome.last === 'timeout' ? 'timeout' : 'error', `${call} was not run: ${outcome.message}.`);
    case 'crashed':
      return new GradeFailure('error', `${call} crashed the sandbox: ${outcome.message}.${outcome.memory ? ' Other functions are graded as usual.' : ''}`);
    case 'not-loaded':
      return new GradeFailure('error', loadFailureMessage(outcome.failure));
  }
}

/** Calls `fn(...args)` in the sandbox and returns what it returned (any value). */
export async function callStudent(fn: string, args: unknown[], call = `${fn}(…)`): Promise<unknown> {
  return (await callStudentEchoing(fn, args, call, false)).value;
}

/**
 * Like {@link callStudent}, also returning the arguments as the student's function left them
 * (`argsAfter`), to check that inputs are not modified.
 */
export async function callStudentEchoing(fn: string, args: unknown[], call = `${fn}(…)`, echoArgs = true): Promise<{ value: unknown; argsAfter: unknown; ms: number }> {
  const box = currentSandbox();
  if (!box) throw notLoaded();
  const outcome = await box.call(fn, args, { echoArgs });
  if (outcome.status !== 'returned') throw outcomeFailure(call, outcome);
  return { value: outcome.value, argsAfter: outcome.argsAfter, ms: outcome.ms };
}

/** Calls and checks the result's type and shape; a wrong shape fails the check. */
export async function callExpecting<T extends Numeric>(fn: string, args: unknown[], shape: Shape, call = `${fn}(…)`): Promise<T> {
  const value = await callStudent(fn, args, call);
  const problem = shapeProblem(value, shape);
  if (problem) throw new GradeFailure('failed', `${call} ${problem}; expected ${describeShape(shape)}.`, { diagnosis: `${fn} ${problem}; it must return ${describeShape(shape)}.` });
  return value as T;
}

/** Calls `fn` once per argument list (one round trip); each result must be a plain number. */
export async function callManyNumbers(fn: string, argsList: unknown[][], call: string): Promise<number[]> {
  const box = currentSandbox();
  if (!box) throw notLoaded();
  const outcomes = await box.callMany(fn, argsList);
  return outcomes.map((outcome) => {
    if (outcome.status !== 'returned') throw outcomeFailure(call, outcome);
    if (typeof outcome.value !== 'number') throw new GradeFailure('failed', `${call} ${shapeProblem(outcome.value, { kind: 'number' })}; expected a plain number.`);
    return outcome.value;
  });
}

/** Closes the active run's sandboxes (end of its block). */
export async function closeSandbox(): Promise<void> {
  const { sandboxes } = activeRun();
  await Promise.all([sandboxes.public?.close(), sandboxes.hidden?.close()]);
}
