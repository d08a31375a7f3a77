/**
 * The template model of the class dashboard (instructor only): score distribution, pass rate
 * per test, the most common diagnoses and a table of submissions. Pure aggregation over results,
 * in one pass: each result is folded into the tallies and its table row as it goes by, so a class
 * read back one result at a time is never held whole.
 */
import * as path from 'node:path';
import { CATEGORIES, type Category, type SubmissionResult } from '../../src/types';
import { submissionHref } from '../layout';
import type { RunInfo, RunResults } from '../reporter';
import { histogram, type HistogramView } from './plot';
import { formatTimestamp } from './values';
import { scorePercent } from '../measures';
import { CATEGORY_INFO, diagnosisKey, diagnosisOf, loadReasonText, scoreView, formatPoints, type ScoreView } from './submissionView';

/** Pass rate of one test across the submissions that loaded. */
export interface PassRate {
  id: string;
  name: string;
  function: string;
  category: Category;
  hidden: boolean;
  passed: number;
  total: number;
  /** 0–100, one decimal. */
  percent: number;
}

/** One group of identical (up to the numbers in them) diagnoses. */
export interface DiagnosisGroup {
  /** The most frequent wording in the group. */
  text: string;
  /** How many distinct submissions got it. */
  submissions: number;
  /** How many test results carried it. */
  occurrences: number;
  /** Distinct test ids that produced it, in first-seen order. */
  tests: string[];
  /** The functions of those tests, with how many test results each contributed. */
  functions: { name: string; count: number }[];
  /** The first three of `functions`, and how many more there are (for a short line). */
  functionsShown: { name: string; count: number }[];
  functionsMore: number;
  /** How many different wordings (differing only in numbers, e.g. N = 8 or N = 41) were grouped. */
  variants: number;
}

/** One row of the dashboard's submissions table. */
export interface SubmissionRow {
  id: string;
  /** Relative links from index.html. */
  instructorHref: string;
  studentHref: string;
  score: ScoreView;
  categories: { category: Category; text: string; sortValue: number }[];
  loaded: boolean;
  loadText: string;
  /** Why it did not load: the reason in words and the loader's message (first line, shortened). */
  loadReason?: { text: string; message: string };
  notPassed: number;
}

/** The template model of `dashboard.hbs`. */
export interface DashboardView {
  title: string;
  assignment: string;
  dueDate?: string;
  generatedAt: string;
  /** "2026-11-25 14:00 UTC" */
  generatedAtText: string;
  count: number;
  loadFailures: number;
  loadedCount: number;
  mean: string;
  median: string;
  fullMarks: number;
  histogram: HistogramView;
  passRates: (PassRate & { percentText: string; categoryLabel: string })[];
  diagnoses: DiagnosisGroup[];
  categories: { category: Category; label: string }[];
  rows: SubmissionRow[];
}

/** Pass rates folded in one result at a time (see {@link passRates}). */
class PassRateTally {
  private readonly rates = new Map<string, PassRate & { order: number }>();

  add(result: Readonly<SubmissionResult>): void {
    if (result.load.status !== 'loaded') return;
    for (const test of result.tests) {
      let rate = this.rates.get(test.id);
      if (!rate) {
        rate = { id: test.id, name: test.name, function: test.function, category: test.category, hidden: test.visibility === 'hidden', passed: 0, total: 0, percent: 0, order: this.rates.size };
        this.rates.set(test.id, rate);
      }
      // A class graded in several languages lists each test under its TypeScript wording when it has one.
      if (result.language !== 'python') rate.name = test.name;
      rate.total += 1;
      if (test.status === 'passed') rate.passed += 1;
    }
  }

  view(): PassRate[] {
    return [...this.rates.values()]
      .map((r) => ({ ...r, percent: r.total ? Math.round((1000 * r.passed) / r.total) / 10 : 0 }))
      .sort((a, b) => a.percent - b.percent || a.order - b.order)
      .map(({ order: _order, ...rate }) => rate);
  }
}

/**
 * Pass rate of every test among the submissions that loaded (a submission that did not load
 * fails everything, which says nothing about the test), hardest first; ties by first appearance.
 */
export function passRates(results: RunResults): PassRate[] {
  const tally = new PassRateTally();
  for (const result of results) tally.add(result);
  return tally.view();
}

/** Diagnosis groups folded in one result at a time (see {@link topDiagnoses}); results have distinct ids. */
class DiagnosisTally {
  private readonly groups = new Map<
    string,
    { wordings: Map<string, number>; submissions: number; last: string; occurrences: number; tests: string[]; functions: Map<string, number>; order: number }
  >();

  add(result: Readonly<SubmissionResult>): void {
    for (const test of result.tests) {
      if (test.status === 'passed') continue;
      const text = diagnosisOf(test);
      if (!text) continue;
      const key = diagnosisKey(text);
      let group = this.groups.get(key);
      if (!group) {
        group = { wordings: new Map(), submissions: 0, last: '', occurrences: 0, tests: [], functions: new Map(), order: this.groups.size };
        this.groups.set(key, group);
      }
      group.wordings.set(text, (group.wordings.get(text) ?? 0) + 1);
      // Results come one at a time: a group counts a submission once, when it first sees it.
      if (group.submissions === 0 || group.last !== result.submission) {
        group.submissions += 1;
        group.last = result.submission;
      }
      group.occurrences += 1;
      if (!group.tests.includes(test.id)) group.tests.push(test.id);
      group.functions.set(test.function, (group.functions.get(test.function) ?? 0) + 1);
    }
  }

  view(limit: number): DiagnosisGroup[] {
    return [...this.groups.values()]
      .sort((a, b) => b.submissions - a.submissions || b.occurrences - a.occurrences || a.order - b.order)
      .slice(0, limit)
      .map((g) => {
        const functions = [...g.functions.entries()].map(([name, count]) => ({ name, count }));
        return {
          text: [...g.wordings.entries()].sort((a, b) => b[1] - a[1])[0][0],
          submissions: g.submissions,
          occurrences: g.occurrences,
          tests: g.tests,
          functions,
          functionsShown: functions.slice(0, 3),
          functionsMore: Math.max(0, functions.length - 3),
          variants: g.wordings.size,
        };
      });
  }
}

/**
 * The most common diagnoses across the class: identical diagnosis strings are grouped, and so are
 * strings that differ only in their numbers ("8.00× … N = 8" and "41.00× … N = 41" are the same
 * mistake); ordered by how many submissions got them, then how often they occurred.
 */
export function topDiagnoses(results: RunResults, limit = 5): DiagnosisGroup[] {
  const tally = new DiagnosisTally();
  for (const result of results) tally.add(result);
  return tally.view(limit);
}

function median(values: number[]): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const oneDecimal = (n: number) => `${Math.round(n * 10) / 10}%`;

/** The first non-empty line of a message, cut to `max` characters. */
function firstLine(message: string, max: number): string {
  const line = message.split(/\r\n?|\n/).find((l) => l.trim()) ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** A relative link from `<out>/index.html` to a file in a submission's folder (reports/layout.ts). */
export function reportHref(submission: string, file: string): string {
  return submissionHref(submission, file);
}

/** Points of one category in one submission, summed in test order. */
interface CategoryPoints {
  score: number;
  max: number;
  tests: number;
}

/**
 * What the dashboard keeps of a result until the class is complete (a row's category cells need
 * the categories of the whole class): numbers and short text, not the row's view.
 */
interface PendingRow {
  id: string;
  score: number;
  maxScore: number;
  loadFailure?: {
    reason: Extract<SubmissionResult['load'], { status: 'failed' }>['reason'];
    message: string;
    language: SubmissionResult['language'];
  };
  notPassed: number;
  /** By category, in CATEGORIES order. */
  points: (CategoryPoints | undefined)[];
}

/** The dashboard model without its rows, and its rows built one at a time (see {@link dashboardParts}). */
export interface DashboardParts {
  page: Omit<DashboardView, 'rows'>;
  /** The submissions table, ordered by id; each row's view is built when it is reached. */
  rows: Iterable<SubmissionRow>;
}

function rowView(pending: PendingRow, present: readonly Category[]): SubmissionRow {
  const { id, loadFailure } = pending;
  return {
    id,
    instructorHref: reportHref(id, 'report.instructor.html'),
    studentHref: reportHref(id, 'report.html'),
    score: scoreView(pending.score, pending.maxScore),
    categories: present.map((category) => {
      const own = pending.points[CATEGORIES.indexOf(category)];
      return {
        category,
        text: own?.tests ? `${formatPoints(own.score)}/${formatPoints(own.max)}` : '–',
        sortValue: own && own.max > 0 ? own.score / own.max : -1,
      };
    }),
    loaded: !loadFailure,
    loadText: loadFailure ? `failed: ${loadFailure.reason}` : 'loaded',
    loadReason: loadFailure
      ? { text: loadReasonText(loadFailure.reason, loadFailure.language), message: loadFailure.message }
      : undefined,
    notPassed: pending.notPassed,
  };
}

/**
 * The dashboard model of a run, in one pass over the results, with its rows left to be built one
 * at a time as they are written: the page of a large class is written without holding a view of
 * every row (reports/html.ts). Rows are ordered by submission id.
 */
export function dashboardParts(results: RunResults, run: Pick<RunInfo, 'assignment' | 'startedAt'>): DashboardParts {
  const percents: number[] = [];
  const rates = new PassRateTally();
  const diagnoses = new DiagnosisTally();
  const seen = new Set<Category>();
  const pending: PendingRow[] = [];
  let loadFailures = 0;
  let fullMarks = 0;
  for (const result of results) {
    percents.push(scorePercent(result));
    rates.add(result);
    diagnoses.add(result);
    const points: (CategoryPoints | undefined)[] = [];
    let notPassed = 0;
    for (const t of result.tests) {
      seen.add(t.category);
      const index = CATEGORIES.indexOf(t.category);
      const own = (points[index] ??= { score: 0, max: 0, tests: 0 });
      own.score += t.score;
      own.max += t.maxScore;
      own.tests += 1;
      if (t.status !== 'passed') notPassed += 1;
    }
    const { load } = result;
    if (load.status === 'failed') loadFailures += 1;
    if (result.maxScore > 0 && result.score === result.maxScore) fullMarks += 1;
    pending.push({
      id: result.submission,
      score: result.score,
      maxScore: result.maxScore,
      ...(load.status === 'failed'
        ? { loadFailure: { reason: load.reason, message: firstLine(load.message, 240), language: result.language } }
        : {}),
      notPassed,
      points,
    });
  }
  const present = CATEGORIES.filter((c) => seen.has(c));
  pending.sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
  const mean = percents.length ? percents.reduce((a, b) => a + b, 0) / percents.length : 0;
  const page: Omit<DashboardView, 'rows'> = {
    title: run.assignment.title || run.assignment.id,
    assignment: run.assignment.id,
    dueDate: run.assignment.dueDate,
    generatedAt: run.startedAt.toISOString(),
    generatedAtText: formatTimestamp(run.startedAt.toISOString()),
    count: pending.length,
    loadFailures,
    loadedCount: pending.length - loadFailures,
    mean: oneDecimal(mean),
    median: oneDecimal(median(percents)),
    fullMarks,
    histogram: histogram(percents),
    passRates: rates.view().map((r) => ({ ...r, percentText: oneDecimal(r.percent), categoryLabel: CATEGORY_INFO[r.category]?.short ?? r.category })),
    diagnoses: diagnoses.view(5),
    categories: present.map((category) => ({ category, label: CATEGORY_INFO[category].short })),
  };
  return {
    page,
    rows: {
      *[Symbol.iterator]() {
        for (const row of pending) yield rowView(row, present);
      },
    },
  };
}

/** The dashboard model of a run, in one pass over the results. Rows are ordered by submission id. */
export function dashboardView(results: RunResults, run: Pick<RunInfo, 'assignment' | 'startedAt'>): DashboardView {
  const { page, rows } = dashboardParts(results, run);
  return { ...page, rows: [...rows] };
}

/** Path of the dashboard in an output folder. */
export function dashboardPath(outDir: string): string {
  return path.join(outDir, 'index.html');
}
