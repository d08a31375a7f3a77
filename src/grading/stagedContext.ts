/**
 * What staging tells a run before anything starts: where the staged entry is and which language
 * it is in, or why the submission cannot load at all (no entry file; a syntax error in the entry
 * file; a notebook that is not one; Python on a machine that cannot sandbox it).
 */
import * as path from 'node:path';
import { formatSyntaxProblem, type StageOutcome } from '../sandbox/stage';
import type { RunContext } from '../suite/context';
import { languageOfEntry } from './entryFile';

/**
 * `context` with the staged entry and folder, language and notes, or the stage failure, filled in
 * from `staged`. `pythonRefusal`: why Python cannot run here (when it cannot), given to a Python
 * submission as its stage failure.
 */
export function withStage(context: RunContext, staged: StageOutcome, pythonRefusal?: string): RunContext {
  if (staged.status !== 'staged') return { ...context, stageFailure: { reason: 'no-entry', message: staged.message } };
  const entryProblems = staged.syntax.filter((p) => p.file === staged.entryName);
  const language = languageOfEntry(staged.entryName);
  let stageFailure: RunContext['stageFailure'];
  // A syntax error in the entry file decides the outcome without starting anything.
  if (entryProblems.length) stageFailure = { reason: 'syntax', message: entryProblems.map(formatSyntaxProblem).join('\n') };
  else if (staged.invalid) stageFailure = { reason: 'syntax', message: staged.invalid };
  else if (staged.runtime === 'python' && pythonRefusal) stageFailure = { reason: 'no-sandbox', message: pythonRefusal };
  return {
    ...context,
    entry: staged.entry,
    stageDir: staged.dir,
    ...(path.basename(staged.entry) !== staged.entryName ? { entryName: staged.entryName } : {}),
    ...(language ? { language } : {}),
    ...(staged.notes.length ? { notes: staged.notes } : {}),
    ...(stageFailure ? { stageFailure } : {}),
  };
}
