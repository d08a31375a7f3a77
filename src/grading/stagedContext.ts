/**
 * What staging tells a run before anything starts: where the staged entry is, or why the
 * submission cannot load at all (no entry file; a syntax error in the entry file).
 */
import { formatSyntaxProblem, type StageOutcome } from '../sandbox/stage';
import type { RunContext } from '../suite/context';

/** `context` with the staged entry and folder, or the stage failure, filled in from `staged`. */
export function withStage(context: RunContext, staged: StageOutcome): RunContext {
  if (staged.status !== 'staged') return { ...context, stageFailure: { reason: 'no-entry', message: staged.message } };
  const entryProblems = staged.syntax.filter((p) => p.file === staged.entryName);
  return {
    ...context,
    entry: staged.entry,
    stageDir: staged.dir,
    // A syntax error in the entry file decides the outcome without starting anything.
    ...(entryProblems.length ? { stageFailure: { reason: 'syntax' as const, message: entryProblems.map(formatSyntaxProblem).join('\n') } } : {}),
  };
}
