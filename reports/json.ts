/**
 * The result.json reporter: `<out>/submissions/<folder>/result.json`, the full (instructor) result
 * (folder names: reports/layout.ts).
 */
import type { SubmissionResult } from '../src/types';
import { writeFileAtomic } from './atomic';
import { submissionFile } from './layout';

/** Path of a submission's result.json; the resume lookup (src/grading/plan.ts) reads it too. */
export function resultPath(outDir: string, submission: string): string {
  return submissionFile(outDir, submission, 'result.json');
}

export function writeResultJson(outDir: string, result: SubmissionResult): string {
  const file = resultPath(outDir, result.submission);
  writeFileAtomic(file, JSON.stringify(result, null, 2) + '\n');
  return file;
}
