/**
 * Reporters are plug-ins over read-only results: optional hooks called as each submission's
 * result is known and once when the run completes. A new output format is one new file plus
 * one line in reports/index.ts.
 */
import type { SubmissionResult } from '../src/types';

/** What every reporter knows about the run. */
export interface RunInfo {
  assignment: { id: string; title: string; dueDate?: string };
  /** Output folder (absolute). */
  outDir: string;
  /** `all` for instructor grading, `public` for a student self-check. */
  scope: 'all' | 'public';
  startedAt: Date;
}

export interface Reporter {
  /** Called once per submission as soon as its result is known (and written). */
  onResult?(result: Readonly<SubmissionResult>, run: RunInfo): void | Promise<void>;
  /** Called once with every result of the run, in submission order (including skipped ones). */
  onRunComplete?(results: readonly Readonly<SubmissionResult>[], run: RunInfo): void | Promise<void>;
}
