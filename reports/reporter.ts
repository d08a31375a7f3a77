/**
 * Reporters are plug-ins over read-only results: optional hooks called as each submission's
 * result is known and once when the run completes. A new output format is one new file plus
 * one line in reports/index.ts.
 *
 * A class can be large (thousands of results of ~40 KB each), so the run does not hold its
 * results: at the end a reporter gets them as an iterable read back one at a time from the
 * result.json files, and keeps only what its output needs of each (a row, a count).
 */
import { collectGarbage } from '../src/grading/collectGarbage';
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

/**
 * What a reporter that did its work still needs the user to know, e.g. rows it had to leave out:
 * one sentence per warning, naming the problem and the fix.
 */
export interface ReporterNotes {
  warnings: string[];
}

/**
 * Every result of a run, in submission order, one at a time. A class run reads them back from
 * its result.json files as they are iterated, so: iterate once (each pass reads every file again)
 * and keep what the output needs of each result, not the results. An array is one too.
 *
 * @example
 * let passed = 0;
 * for (const result of results) if (result.score === result.maxScore) passed++;
 */
export type RunResults = Iterable<Readonly<SubmissionResult>>;

/** An output format: optional hooks called with each result as it is known and once with the whole run. */
export interface Reporter {
  /** Shown when the reporter fails, e.g. `html`. */
  name?: string;
  /** Called once per submission as soon as its result is known (and written). */
  onResult?(result: Readonly<SubmissionResult>, run: RunInfo): void | Promise<void>;
  /**
   * Called once with every result of the run, in submission order (kept ones included), read one
   * at a time (see {@link RunResults}).
   */
  onRunComplete?(results: RunResults, run: RunInfo): void | ReporterNotes | Promise<void | ReporterNotes>;
}

/**
 * Calls reporters so that one failing output format never loses results or stops the run: the
 * error is recorded (and printed by the caller) and the other reporters go on.
 */
export class ReporterRunner {
  /**
   * One line per thing a reporter could not do: an error, or a warning it returned (rows it left
   * out). The caller prints them and exits 1; every result is on disk either way.
   */
  readonly failures: string[] = [];
  private readonly pending: Promise<void>[] = [];

  constructor(private readonly reporters: readonly Reporter[]) {}

  private guard(reporter: Reporter, index: number, what: string, call: () => void | Promise<void>): void {
    const record = (error: unknown): void => {
      this.failures.push(`the ${reporter.name ?? `#${index + 1}`} reporter failed ${what}: ${error instanceof Error ? error.message : String(error)}`);
    };
    try {
      const done = call();
      if (done) this.pending.push(done.catch(record));
    } catch (error) {
      record(error);
    }
  }

  /** onResult of every reporter (asynchronous ones are awaited by {@link complete}). */
  result(result: Readonly<SubmissionResult>, run: RunInfo): void {
    this.reporters.forEach((reporter, index) => {
      if (reporter.onResult) this.guard(reporter, index, `for ${result.submission}`, () => reporter.onResult!(result, run));
    });
  }

  /** Waits for pending onResult work, then runs every onRunComplete (each iterates `results` once). */
  async complete(results: RunResults, run: RunInfo): Promise<void> {
    await Promise.all(this.pending);
    for (const [index, reporter] of this.reporters.entries()) {
      if (!reporter.onRunComplete) continue;
      // Each pass reads every result back and leaves as much garbage as the class is large; V8
      // would let the passes' garbage pile up (measured at 5,000 submissions: 23 MB more peak).
      collectGarbage();
      try {
        const notes = await reporter.onRunComplete(results, run);
        for (const warning of notes?.warnings ?? []) this.failures.push(`the ${reporter.name ?? `#${index + 1}`} reporter: ${warning}`);
      } catch (error) {
        this.failures.push(`the ${reporter.name ?? `#${index + 1}`} reporter failed at the end of the run: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}
