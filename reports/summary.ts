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
import type { Reporter, RunInfo, RunResults } from './reporter';

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
 * Builds the summary (pure), in one pass over the results (which have distinct ids): counts,
 * percentages, pass rates and diagnosis groups are folded in as each result goes by.
 *
 * @example buildSummary(results, run).percent // returns { mean: 53.67, median: 61, min: 0, max: 100, stdev: 41.1 }
 */
export function buildSummary(results: RunResults, run: Pick<RunInfo, 'assignment' | 'scope'>, options: { now?: Date; maxDiagnoses?: number } = {}): RunSummary {
  let submissions = 0;
  let loaded = 0;
  const loadFailures: Record<string, number> = {};
  const percents: number[] = [];
  const graderVersions = new Set<string>();
  const tests = new Map<string, TestPassRate>();
  interface Group {
    /** The first wording seen, and whether any other wording (other numbers) came too. */
    text: string;
    varied: boolean;
    pattern: string;
    count: number;
    submissions: number;
    /** The last submission counted in `submissions` (results come one submission at a time). */
    last: string;
    tests: string[];
  }
  const groups = new Map<string, Group>();

  for (const result of results) {
    submissions += 1;
    percents.push(percentOf(result) ?? 0);
    graderVersions.add(result.graderVersion);
    if (result.load.status === 'failed') {
      loadFailures[result.load.reason] = (loadFailures[result.load.reason] ?? 0) + 1;
      continue;
    }
    loaded += 1;
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

      if (t.status === 'passed' || !t.diagnosis) continue;
      const pattern = diagnosisKey(t.diagnosis);
      let group = groups.get(pattern);
      if (!group) {
        group = { text: t.diagnosis, varied: false, pattern, count: 0, submissions: 0, last: '', tests: [] };
        groups.set(pattern, group);
      }
      if (t.diagnosis !== group.text) group.varied = true;
      group.count += 1;
      if (group.submissions === 0 || group.last !== result.submission) {
        group.submissions += 1;
        group.last = result.submission;
      }
      if (!group.tests.includes(t.id)) group.tests.push(t.id);
    }
  }
  const diagnoses = [...groups.values()]
    .sort((a, b) => b.count - a.count || b.submissions - a.submissions || (a.pattern < b.pattern ? -1 : 1))
    .slice(0, options.maxDiagnoses ?? 20)
    .map((g) => ({ text: g.varied ? g.pattern : g.text, count: g.count, submissions: g.submissions, tests: g.tests }));

  return {
    assignment: run.assignment,
    scope: run.scope,
    counts: { submissions, loaded, failedToLoad: submissions - loaded, loadFailures },
    percent: percentStats(percents),
    tests: [...tests.values()],
    diagnoses,
    generatedAt: (options.now ?? new Date()).toISOString(),
    graderVersions: [...graderVersions].sort(),
  };
}

/** Writes `<out>/summary.json` once the run is complete. */
export const summaryReporter: Reporter = {
  name: 'summary',
  onRunComplete: (results, run) => {
    writeFileAtomic(path.join(run.outDir, 'summary.json'), JSON.stringify(buildSummary(results, run), null, 2) + '\n');
  },
};
