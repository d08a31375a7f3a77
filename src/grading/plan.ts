/**
 * Which submissions a run grades: a deterministic shard of the class, minus those whose
 * result.json is already current (same content hash, same grader version) unless forced.
 */
import * as crypto from 'node:crypto';
import type { SubmissionResult } from '../types';
import type { SubmissionRef } from './discover';
import { readStoredResult, summarizeResult, type ResultSummary } from './resultStore';

export interface Shard {
  /** 1-based index of this shard. */
  index: number;
  count: number;
}

/** Parses `i/n` (1 ≤ i ≤ n); throws a message naming the bad value. */
export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = match ? Number(match[1]) : NaN;
  const count = match ? Number(match[2]) : NaN;
  if (!match || count < 1 || index < 1 || index > count) throw new Error(`--shard must look like i/n with 1 ≤ i ≤ n (e.g. 2/4), got "${text}"`);
  return { index, count };
}

/**
 * The submissions of shard i/n. Membership depends only on the id (a hash of it), so shards are
 * the same on every machine and adding a submission never moves the others.
 */
export function selectShard(submissions: SubmissionRef[], shard: Shard): SubmissionRef[] {
  return submissions.filter((ref) => crypto.createHash('sha256').update(ref.id).digest().readUInt32BE(0) % shard.count === shard.index - 1);
}

export interface GradingPlan {
  toGrade: SubmissionRef[];
  /**
   * Existing, current results that are kept as they are: their summaries (the results stay in their
   * result.json, read back when the class files are written, so a resumed class of any size fits in memory).
   */
  kept: ResultSummary[];
}

/** Reads an existing result.json, or undefined when missing, unreadable or not a result of `id` (graded again). */
function existingResult(outDir: string, id: string): SubmissionResult | undefined {
  try {
    return readStoredResult(outDir, id);
  } catch {
    return undefined;
  }
}

/**
 * True when `previous` can stand for the submission as it is now: same submission, same content
 * hash, same grader version, a full (not public-only) grading, and a grade that is complete (not
 * cut short by the grader: such a result is graded again, never kept).
 */
export function isCurrent(previous: SubmissionResult, ref: SubmissionRef, hash: string, graderVersion: string): boolean {
  return (
    previous.submission === ref.id &&
    previous.contentHash === hash &&
    previous.graderVersion === graderVersion &&
    previous.scope === 'all' &&
    previous.graderFailure === undefined
  );
}

/**
 * Splits submissions into those to grade and those whose current result can be kept
 * (see {@link isCurrent}); `force` grades them all.
 */
export function planGrading(submissions: SubmissionRef[], outDir: string, options: { graderVersion: string; force: boolean; hash: (dir: string) => string }): GradingPlan & { hashes: Map<string, string> } {
  const toGrade: SubmissionRef[] = [];
  const kept: ResultSummary[] = [];
  const hashes = new Map<string, string>();
  for (const ref of submissions) {
    const hash = options.hash(ref.dir);
    hashes.set(ref.id, hash);
    const previous = options.force ? undefined : existingResult(outDir, ref.id);
    if (previous && isCurrent(previous, ref, hash, options.graderVersion)) kept.push(summarizeResult(previous));
    else toGrade.push(ref);
  }
  return { toGrade, kept, hashes };
}
