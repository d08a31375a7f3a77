/**
 * Turns what a suite run recorded into the result.json contract (pure; no I/O).
 */
import type { CheckMeta, SubmissionOrigin, SubmissionResult, TestResult } from '../types';
import type { SuiteRecord } from '../suite/runner';

export interface ResultInput {
  submission: string;
  assignment: string;
  scope: 'all' | 'public';
  graderVersion: string;
  contentHash?: string;
  startedAt: Date;
  durationMs: number;
  /** What the suite recorded, or undefined when the suite never finished. */
  record?: SuiteRecord;
  /** Why the suite could not run, when it could not (a grader problem, not the student's). */
  runFailure?: string;
  /** Checks to list when the suite could not even declare them. */
  fallbackChecks?: CheckMeta[];
  /** Where the submission came from (an LMS download), when known. */
  origin?: SubmissionOrigin;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/**
 * Builds a SubmissionResult. A submission that did not load scores 0 whatever ran; one the suite
 * never finished (no record) carries `graderFailure`, so that the next run grades it again.
 */
export function buildResult(input: ResultInput): SubmissionResult {
  const declared = input.record?.declared ?? input.fallbackChecks ?? [];
  const byId = new Map((input.record?.tests ?? []).map((t) => [t.id, t] as const));
  // No record: the suite never finished for this submission, which is the grader's doing; so is
  // a Python submission this machine could not sandbox (graded again by the next run).
  const refused = input.record?.load.status === 'failed' && input.record.load.reason === 'no-sandbox' ? input.record.load.message : undefined;
  const graderFailure = input.record ? refused : input.runFailure ?? 'grading did not complete';
  const load = input.record?.load ?? { status: 'failed' as const, reason: 'crashed' as const, message: graderFailure! };
  const tests: TestResult[] = declared.map((meta) => {
    const recorded = byId.get(meta.id);
    if (recorded) return load.status === 'failed' ? { ...recorded, score: 0 } : recorded;
    return { ...meta, status: 'error', score: 0, maxScore: meta.points, message: input.runFailure ? `Not graded: ${input.runFailure}` : 'Not graded: the grading suite stopped before this test finished.' };
  });
  const score = load.status === 'failed' ? 0 : round(tests.reduce((sum, t) => sum + t.score, 0));
  const origin = withNotes(input.origin, input.record?.notes);
  return {
    submission: input.submission,
    assignment: input.assignment,
    score,
    maxScore: round(declared.reduce((sum, t) => sum + t.points, 0)),
    tests,
    load,
    isolation: input.record?.isolation,
    ...(input.record?.usage ? { usage: input.record.usage } : {}),
    output: input.record?.output,
    ...(input.record?.language ? { language: input.record.language } : {}),
    ...(input.record?.names ? { names: input.record.names } : {}),
    scope: input.scope,
    graderVersion: input.graderVersion,
    contentHash: input.contentHash,
    gradedAt: new Date(input.record?.startedAt ?? input.startedAt.getTime()).toISOString(),
    durationMs: Math.round(input.record?.durationMs ?? input.durationMs),
    ...(origin ? { origin } : {}),
    ...(graderFailure !== undefined ? { graderFailure } : {}),
  };
}

/** `origin` with the run's own notes for the student (a notebook's skipped cells…) after the download's (each once). */
function withNotes(origin: SubmissionOrigin | undefined, notes: string[] | undefined): SubmissionOrigin | undefined {
  const known = new Set(origin?.notes ?? []);
  const added = (notes ?? []).filter((note) => !known.has(note));
  if (!added.length) return origin;
  return { ...(origin ?? { lms: 'folder' as const }), notes: [...(origin?.notes ?? []), ...added] };
}
