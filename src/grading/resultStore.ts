/**
 * Where a class run keeps its results: on disk, not in memory. Each result.json is written
 * (atomically) the moment its submission is graded, the run keeps only a small summary per
 * submission (id, score, maximum, load status), and the class-wide outputs read the results back
 * one at a time when the run completes — so the memory a run needs does not grow with the class
 * (a result is ~40 KB of JSON; a course of 20,000 would otherwise hold most of a gigabyte).
 */
import * as fs from 'node:fs';
import type { LoadOutcome, SubmissionResult } from '../types';
import { resultPath, writeResultJson } from '../../reports/json';

/** What a run keeps of each result: enough for class statistics, the closing line and --min-score. */
export interface ResultSummary {
  submission: string;
  score: number;
  maxScore: number;
  load: Pick<LoadOutcome, 'status'>;
  /** Set when the grader, not the student, cut the grade short (the next run grades it again). */
  graderFailure?: string;
}

/**
 * The summary of a result (pure).
 *
 * @example summarizeResult(result) // returns { submission: 'alice', score: 61, maxScore: 100, load: { status: 'loaded' } }
 */
export function summarizeResult(result: Readonly<SubmissionResult>): ResultSummary {
  return {
    submission: result.submission,
    score: result.score,
    maxScore: result.maxScore,
    load: { status: result.load.status },
    ...(result.graderFailure !== undefined ? { graderFailure: result.graderFailure } : {}),
  };
}

/** Reads a result.json back; throws an Error naming the file when it is missing, unreadable or not `id`'s. */
export function readStoredResult(outDir: string, id: string): SubmissionResult {
  const file = resultPath(outDir, id);
  let result: SubmissionResult;
  try {
    result = JSON.parse(fs.readFileSync(file, 'utf8')) as SubmissionResult;
  } catch (error) {
    throw new Error(`the result of ${id} could not be read back from ${file} (${(error as Error).message})`);
  }
  if (!result || result.submission !== id || !Array.isArray(result.tests) || !result.load) {
    throw new Error(`${file} does not hold the result of ${id} (it was changed while the run was going on)`);
  }
  return result;
}

/**
 * The result.json files of one output folder. `save` writes one as soon as it is known; a result
 * whose file could not be written (a full disk) is kept in memory instead, so that the class files
 * of the run still count it while the run reports the failure. `results` reads them back.
 */
export class ResultStore {
  private readonly unsaved = new Map<string, SubmissionResult>();

  constructor(readonly outDir: string) {}

  /** Writes `<out>/submissions/<folder>/result.json`; returns the error when it could not be written. */
  save(result: SubmissionResult): Error | undefined {
    try {
      writeResultJson(this.outDir, result);
      this.unsaved.delete(result.submission);
      return undefined;
    } catch (error) {
      this.unsaved.set(result.submission, result);
      return error instanceof Error ? error : new Error(String(error));
    }
  }

  /**
   * The results of `ids`, in that order, read one at a time: each iteration reads the files
   * again and holds one result at a time. Iterating throws (naming the file) when a result cannot
   * be read back.
   *
   * @example for (const result of store.results(['alice', 'bob'])) rows.push(result.score);
   */
  results(ids: readonly string[]): Iterable<Readonly<SubmissionResult>> {
    const { outDir, unsaved } = this;
    return {
      *[Symbol.iterator]() {
        for (const id of ids) yield unsaved.get(id) ?? readStoredResult(outDir, id);
      },
    };
  }
}
