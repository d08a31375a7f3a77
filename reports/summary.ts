/**
 * The run summary for instructors: `<out>/summary.json` — how many submissions loaded, the
 * distribution of percentages, the pass rate of every test and the most common diagnoses (which
 * mistakes the class made most). Instructor-only: it holds hidden tests' diagnoses.
 */
import * as path from 'node:path';
import type { Category, SubmissionResult, Visibility } from '../src/types';
import { writeFileAtomic } from './atomic';
import { percentOf } from './csv';
import { diagnosisKey } from './measures';
import type { Reporter, RunInfo } from './reporter';

/** Mean, median, min, max and population standard deviation of a list of percentages. */
export interface PercentStats {
  mean: number;
  median: number;
  min: number;
  max: number;
  /** Population standard deviation (the class is the whole population, not a sample of it). */
  stdev: number;
}

export interface TestPassRate {
  id: string;
  name: string;
  function: string;
  category: Category;
  visibility: Visibility;
  points: number;
  /** Loaded submissions that passed this test. */
  passed: number;
  /** Loaded submissions that ran this test (load failures say nothing about a test's difficulty). */
  total: number;
}

export interface DiagnosisCount {
  /** The diagnosis; when the same diagnosis came with different numbers (N = 8, N = 41) these read `#`. */
  text: string;
  /** How many (submission, test) pairs got it. */
  count: number;
  /** How many distinct submissions got it. */
  submissions: number;
  /** The tests that gave it, in first-seen order. */
  tests: string[];
}

export interface RunSummary {
  assignment: RunInfo['assignment'];
  scope: RunInfo['scope'];
  counts: {
    submissions: number;
    loaded: number;
    failedToLoad: number;
    /** Load failures by reason, e.g. { syntax: 2, threw: 1 }. */
    loadFailures: Record<string, number>;
  };
  /** Statistics of every submission's percentage (load failures count as 0); null for an empty run. */
  percent: PercentStats | null;
  tests: TestPassRate[];
  /** At most `maxDiagnoses`, most frequent first. */
  diagnoses: DiagnosisCount[];
  generatedAt: string;
  /** Every grader version in the results; more than one means the run mixes grader versions. */
  graderVersions: string[];
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** Statistics of a list of numbers (pure); null when it is empty. */
export function percentStats(values: readonly number[]): PercentStats | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const mean = sorted.reduce((s, x) => s + x, 0) / n;
  const median = n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  const stdev = Math.sqrt(sorted.reduce((s, x) => s + (x - mean) ** 2, 0) / n);
  return { mean: round2(mean), median: round2(median), min: round2(sorted[0]), max: round2(sorted[n - 1]), stdev: round2(stdev) };
}

/**
 * Builds the summary (pure).
 *
 * @example buildSummary(results, run).percent // returns { mean: 53.67, median: 61, min: 0, max: 100, stdev: 41.1 }
 */
export function buildSummary(results: readonly Readonly<SubmissionResult>[], run: Pick<RunInfo, 'assignment' | 'scope'>, options: { now?: Date; maxDiagnoses?: number } = {}): RunSummary {
  const loaded = results.filter((r) => r.load.status === 'loaded');
  const loadFailures: Record<string, number> = {};
  for (const r of results) if (r.load.status === 'failed') loadFailures[r.load.reason] = (loadFailures[r.load.reason] ?? 0) + 1;

  const tests = new Map<string, TestPassRate>();
  for (const result of loaded) {
    for (const t of result.tests) {
      let rate = tests.get(t.id);
      if (!rate) {
        rate = { id: t.id, name: t.name, function: t.function, category: t.category, visibility: t.visibility, points: t.maxScore, passed: 0, total: 0 };
        tests.set(t.id, rate);
      }
      // A class graded in several languages lists each test under its TypeScript wording when it has one.
      if (result.language !== 'python') rate.name = t.name;
      rate.total += 1;
      if (t.status === 'passed') rate.passed += 1;
    }
  }

  interface Group { texts: Set<string>; pattern: string; count: number; submissions: Set<string>; tests: string[] }
  const groups = new Map<string, Group>();
  for (const result of loaded) {
    for (const t of result.tests) {
      if (t.status === 'passed' || !t.diagnosis) continue;
      const pattern = diagnosisKey(t.diagnosis);
      let group = groups.get(pattern);
      if (!group) {
        group = { texts: new Set(), pattern, count: 0, submissions: new Set(), tests: [] };
        groups.set(pattern, group);
      }
      group.texts.add(t.diagnosis);
      group.count += 1;
      group.submissions.add(result.submission);
      if (!group.tests.includes(t.id)) group.tests.push(t.id);
    }
  }
  const diagnoses = [...groups.values()]
    .sort((a, b) => b.count - a.count || b.submissions.size - a.submissions.size || (a.pattern < b.pattern ? -1 : 1))
    .slice(0, options.maxDiagnoses ?? 20)
    .map((g) => ({ text: g.texts.size === 1 ? [...g.texts][0] : g.pattern, count: g.count, submissions: g.submissions.size, tests: g.tests }));

  return {
    assignment: run.assignment,
    scope: run.scope,
    counts: { submissions: results.length, loaded: loaded.length, failedToLoad: results.length - loaded.length, loadFailures },
    percent: percentStats(results.map((r) => percentOf(r) ?? 0)),
    tests: [...tests.values()],
    diagnoses,
    generatedAt: (options.now ?? new Date()).toISOString(),
    graderVersions: [...new Set(results.map((r) => r.graderVersion))].sort(),
  };
}

/** Writes `<out>/summary.json` once the run is complete. */
export const summaryReporter: Reporter = {
  name: 'summary',
  onRunComplete: (results, run) => {
    writeFileAtomic(path.join(run.outDir, 'summary.json'), JSON.stringify(buildSummary(results, run), null, 2) + '\n');
  },
};
