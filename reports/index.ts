/**
 * The reporters a `grade` run writes with, by name. Each result.json is not a reporter's: the run
 * writes it itself (src/grading/resultStore.ts) before any reporter sees the result, since the
 * class-wide reporters read the results back from those files when the run completes.
 */
import { canvasGradebookReporter } from './canvasGradebook';
import { csvReporter } from './csv';
import { githubSummaryReporter } from './githubSummary';
import { gradescopeReporter } from './gradescope';
import { htmlReporter } from './html';
import { junitReporter } from './junit';
import { summaryReporter } from './summary';
import type { Reporter } from './reporter';

export type { Reporter, RunInfo, RunResults } from './reporter';

/** Options that switch reporters on or off. */
export interface ReporterOptions {
  /** Extra reporters (e.g. HTML, CSV) are added here as they are written. */
  [flag: string]: unknown;
  /** `public` for a student self-check: no gradebook exports then. Default `all`. */
  scope?: 'all' | 'public';
  /** `<out>/grades.csv` (default true for scope `all`). */
  csv?: boolean;
  /** `<out>/summary.json` (default true for scope `all`). */
  summary?: boolean;
  /** `<out>/submissions/<folder>/gradescope/results.json` (default true for scope `all`). */
  gradescope?: boolean;
  /** `<out>/canvas-gradebook.csv` when some result came from a Canvas download (default true for scope `all`). */
  canvas?: boolean;
  /**
   * The Canvas gradebook's assignment column: a Canvas assignment id (`4521`, giving
   * `<title> (4521)`), a header `Title (4521)`, or a title (matched exactly). Default: the assignment's title.
   */
  canvasAssignment?: string;
  /** Per submission `report.html` (student) and `report.instructor.html`, and the class dashboard `<out>/index.html` (default true). */
  html?: boolean;
  /** Write JUnit XML to this path (off unless given). */
  junit?: string;
  /**
   * Write hidden tests in full (messages, error kinds, times) in the JUnit file. Default false:
   * JUnit files reach CI pages students can read, so hidden tests show name and pass/fail only.
   */
  junitIncludeHidden?: boolean;
  /** Append to $GITHUB_STEP_SUMMARY when it is set; `false` forces it off. */
  githubSummary?: boolean;
  /** Environment to read GITHUB_STEP_SUMMARY from (default process.env). */
  env?: NodeJS.ProcessEnv;
}

/** The reporters of a grade run, in the order they run. */
export function createReporters(options: ReporterOptions = {}): Reporter[] {
  const reporters: Reporter[] = [];
  const gradebook = options.scope !== 'public';
  if (gradebook && options.csv !== false) reporters.push(csvReporter);
  if (gradebook && options.summary !== false) reporters.push(summaryReporter);
  if (gradebook && options.gradescope !== false) reporters.push(gradescopeReporter);
  if (gradebook && options.canvas !== false) {
    const column = options.canvasAssignment;
    reporters.push(canvasGradebookReporter({ assignment: typeof column === 'string' || typeof column === 'number' ? String(column) : undefined }));
  }
  if (options.html !== false) reporters.push(htmlReporter);
  if (typeof options.junit === 'string' && options.junit) reporters.push(junitReporter(options.junit, { includeHidden: options.junitIncludeHidden === true }));
  const env = options.env ?? process.env;
  if (options.githubSummary !== false && env.GITHUB_STEP_SUMMARY) reporters.push(githubSummaryReporter(env));
  return reporters;
}
