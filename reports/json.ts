/**
 * The result.json reporter: `<out>/<id>/result.json`, the full (instructor) result.
 */
import * as path from 'node:path';
import type { SubmissionResult } from '../src/types';
import { safeName, writeFileAtomic } from './atomic';

export function resultPath(outDir: string, submission: string): string {
  return path.join(outDir, safeName(submission), 'result.json');
}

export function writeResultJson(outDir: string, result: SubmissionResult): string {
  const file = resultPath(outDir, result.submission);
  writeFileAtomic(file, JSON.stringify(result, null, 2) + '\n');
  return file;
}
