/**
 * The HTML reporter: per submission `report.html` (student view: safe to hand back or attach in
 * an LMS) and `report.instructor.html` (everything, with the captured output) in the submission's
 * folder `<out>/submissions/<folder>/` (reports/layout.ts); per run `<out>/index.html`, the class
 * dashboard linking to the instructor reports.
 * Each page is one self-contained file (inline CSS and SVG, no requests), written atomically.
 *
 * Models (`submissionView`, `dashboardView`) are pure; templates live in `reports/html/`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SubmissionResult } from '../src/types';
import { writeFileAtomic, writeFileAtomicPieces } from './atomic';
import { submissionFile, submissionFolder, submissionFolders } from './layout';
import type { Reporter, RunInfo, RunResults } from './reporter';
import { dashboardParts, dashboardPath } from './html/dashboardView';
import { renderDashboardFrame, renderDashboardRow, renderSubmissionHtml } from './html/render';
import { submissionView, type Audience } from './html/submissionView';

export { submissionView, type Audience, type SubmissionView, type TestView } from './html/submissionView';
export { dashboardParts, dashboardView, passRates, topDiagnoses, type DashboardParts, type DashboardView } from './html/dashboardView';
export { renderDashboardFrame, renderDashboardHtml, renderDashboardRow, renderSubmissionHtml } from './html/render';

/** File name of each view in a submission's folder. */
export const REPORT_FILES: Record<Audience, string> = { student: 'report.html', instructor: 'report.instructor.html' };

/** Path of a submission's report for an audience. */
export function reportPath(outDir: string, submission: string, audience: Audience): string {
  return submissionFile(outDir, submission, REPORT_FILES[audience]);
}

/** The complete HTML page of a submission for an audience. */
export function renderSubmissionReport(result: Readonly<SubmissionResult>, audience: Audience): string {
  return renderSubmissionHtml(submissionView(result, audience));
}

/** Writes both views of a submission; returns their paths. */
export function writeSubmissionReports(outDir: string, result: Readonly<SubmissionResult>): { student: string; instructor: string } {
  const student = reportPath(outDir, result.submission, 'student');
  const instructor = reportPath(outDir, result.submission, 'instructor');
  writeFileAtomic(student, renderSubmissionReport(result, 'student'));
  writeFileAtomic(instructor, renderSubmissionReport(result, 'instructor'));
  return { student, instructor };
}

/**
 * Writes `<out>/index.html` (one pass over `results`); returns its path. The page is written a
 * row at a time: a class's page is as long as the class (~1 KB per submission), and holding it
 * whole, with a view of every row, was most of what the class files cost a large class.
 */
export function writeDashboard(outDir: string, results: RunResults, run: Pick<RunInfo, 'assignment' | 'startedAt'>): string {
  const file = dashboardPath(outDir);
  const { page, rows } = dashboardParts(results, run);
  const { head, tail } = renderDashboardFrame(page);
  writeFileAtomicPieces(file, {
    *[Symbol.iterator]() {
      yield head;
      for (const row of rows) yield renderDashboardRow(row);
      yield tail;
    },
  });
  return file;
}

/**
 * The results the dashboard shows: every `<out>/submissions/<folder>/result.json` of the same assignment
 * in the output folder, with this run's results taking precedence. So grading one late submission
 * or one shard into a class's folder updates the class dashboard instead of replacing it with a
 * one-row table. Unreadable or foreign result files are skipped. One at a time: this run's results
 * as given, then the other folders' results, each read when it is reached.
 */
export function resultsForDashboard(outDir: string, assignment: string, results: RunResults): RunResults {
  return {
    *[Symbol.iterator]() {
      const freshIds = new Set<string>();
      const freshFolders = new Set<string>();
      for (const result of results) {
        freshIds.add(result.submission);
        freshFolders.add(submissionFolder(result.submission));
        yield result;
      }
      for (const dir of submissionFolders(outDir)) {
        if (freshFolders.has(path.basename(dir))) continue;
        let stored: SubmissionResult;
        try {
          stored = JSON.parse(fs.readFileSync(path.join(dir, 'result.json'), 'utf8')) as SubmissionResult;
        } catch {
          continue; // not a submission folder (or a half-written one): nothing to show
        }
        const valid = stored && typeof stored.submission === 'string' && Array.isArray(stored.tests) && stored.load;
        if (valid && stored.assignment === assignment && !freshIds.has(stored.submission)) yield stored;
      }
    },
  };
}

/** `results`, writing the pages of each that has none yet (one kept from an earlier run) as it goes by. */
function withPages(outDir: string, results: RunResults): RunResults {
  return {
    *[Symbol.iterator]() {
      for (const result of results) {
        if (!fs.existsSync(reportPath(outDir, result.submission, 'instructor'))) writeSubmissionReports(outDir, result);
        yield result;
      }
    },
  };
}

/**
 * Per-submission pages as each result arrives; the class dashboard when the run completes.
 * Submissions kept from an earlier run (unchanged, not regraded) get their pages written then if
 * they have none yet, in the same pass over the results as the dashboard.
 */
export const htmlReporter: Reporter = {
  name: 'html',
  onResult: (result, run) => {
    writeSubmissionReports(run.outDir, result);
  },
  onRunComplete: (results, run) => {
    writeDashboard(run.outDir, resultsForDashboard(run.outDir, run.assignment.id, withPages(run.outDir, results)), run);
  },
};
