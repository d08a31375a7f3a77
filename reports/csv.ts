/**
 * The gradebook export: `<out>/grades.csv`, one row per submission, sorted by id.
 *
 * Columns: `id, score, max, percent`, then for every category that occurs in the run (in
 * CATEGORIES order) the points earned `<category>` and available `<category>_max`, then `status`
 * (`graded` or `load-failed`), then — only when some submission's LMS download marked it late —
 * `late` (`yes`, `no` when the download said it was on time, empty when it did not say). A
 * submission without a test of some category leaves both cells empty (not applicable) rather than
 * writing 0, so that a gradebook never shows a false zero.
 *
 * ```csv
 * id,score,max,percent,interface,interface_max,accuracy,accuracy_max,…,status
 * correct,100,100,100,13,13,30,30,…,graded
 * syntax-error,0,100,0,0,13,0,30,…,load-failed
 * ```
 */
import * as path from 'node:path';
import { CATEGORIES, type Category, type SubmissionResult } from '../src/types';
import { writeFileAtomic } from './atomic';
import { toSafeCsv, type CsvCell } from './csvText';
import type { Reporter, RunResults } from './reporter';

/** Orders submissions by id, by UTF-16 code units, so the order is the same in every locale. */
export function bySubmissionId(a: Pick<SubmissionResult, 'submission'>, b: Pick<SubmissionResult, 'submission'>): number {
  return a.submission < b.submission ? -1 : a.submission > b.submission ? 1 : 0;
}

/** Rounds points to 3 decimals, as result.json does (0.1 + 0.2 → 0.3). */
export const roundPoints = (x: number): number => Math.round(x * 1000) / 1000;

/** score / max as a percentage with 2 decimals, or undefined when max is 0. */
export function percentOf(result: Pick<SubmissionResult, 'score' | 'maxScore'>): number | undefined {
  return result.maxScore > 0 ? Math.round((10000 * result.score) / result.maxScore) / 100 : undefined;
}

/** Earned and available points of one category in one submission (undefined when it has none). */
export function categoryPoints(result: Readonly<SubmissionResult>, category: Category): { earned: number; max: number } | undefined {
  const tests = result.tests.filter((t) => t.category === category);
  if (!tests.length) return undefined;
  // A submission that did not load scores 0 whatever its tests recorded (see buildResult).
  const earned = result.load.status === 'failed' ? 0 : tests.reduce((sum, t) => sum + t.score, 0);
  return { earned: roundPoints(earned), max: roundPoints(tests.reduce((sum, t) => sum + t.maxScore, 0)) };
}

/** The `late` cell of a result: what its LMS download said (`yes`, `no`), empty when it said nothing. */
export function lateText(result: Pick<SubmissionResult, 'origin'>): string {
  const late = result.origin?.late;
  return late === true ? 'yes' : late === false ? 'no' : '';
}

/**
 * The grades.csv text (pure). Text cells are made inert for spreadsheets and quoted as RFC 4180
 * says (reports/csvText.ts): submission ids are chosen by students. Numbers are passed as numbers.
 * One pass over the results: each becomes its row's cells (the header's categories are known
 * only at the end, so a row keeps its points by category until then).
 *
 * @example gradesCsv([correct, syntaxError]) // returns "id,score,max,percent,…\ncorrect,100,100,100,…\n…"
 */
export function gradesCsv(results: RunResults): string {
  interface Row {
    /** id, score, max, percent. */
    cells: [string, number, number, number | ''];
    /** Earned and available points by category, in CATEGORIES order. */
    points: ({ earned: number; max: number } | undefined)[];
    status: string;
    late: string;
  }
  const rows: Row[] = [];
  const seen = new Set<Category>();
  let withLate = false;
  for (const result of results) {
    const points = CATEGORIES.map((category) => categoryPoints(result, category));
    for (const [i, category] of CATEGORIES.entries()) if (points[i]) seen.add(category);
    if (result.origin?.late === true) withLate = true;
    rows.push({
      cells: [result.submission, roundPoints(result.score), roundPoints(result.maxScore), percentOf(result) ?? ''],
      points,
      status: result.load.status === 'failed' ? 'load-failed' : 'graded',
      late: lateText(result),
    });
  }
  const categories = CATEGORIES.filter((c) => seen.has(c));
  const header = ['id', 'score', 'max', 'percent', ...categories.flatMap((c) => [c, `${c}_max`]), 'status', ...(withLate ? ['late'] : [])];
  const lines = rows
    .sort((a, b) => bySubmissionId({ submission: a.cells[0] }, { submission: b.cells[0] }))
    .map((row): CsvCell[] => [
      ...row.cells,
      ...categories.flatMap((c): CsvCell[] => {
        const points = row.points[CATEGORIES.indexOf(c)];
        return points ? [points.earned, points.max] : ['', ''];
      }),
      row.status,
      ...(withLate ? [row.late] : []),
    ]);
  return toSafeCsv([header, ...lines]);
}

/** Writes `<out>/grades.csv` once the run is complete. */
export const csvReporter: Reporter = {
  name: 'csv',
  onRunComplete: (results, run) => {
    writeFileAtomic(path.join(run.outDir, 'grades.csv'), gradesCsv(results));
  },
};
