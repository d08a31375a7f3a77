/**
 * The template model of one submission's report, for a student or an instructor. All filtering
 * of what a student may see happens here, in plain data, so that it is unit-testable without
 * HTML: the templates render whatever the view holds.
 *
 * Student view: a hidden test shows its name, points, pass/fail and its diagnosis (a sentence
 * about the kind of mistake, never values) — not its message, inputs, expected or got values,
 * comparison table or curves. Captured output and run metadata are instructor-only.
 */
import { functionName } from '../functionName';
import { CATEGORIES, type Category, type CapturedOutput, type Comparison, type SubmissionResult, type TestResult, type TestStatus } from '../../src/types';
import { diagnosisKey } from '../measures';
import { linePlot, type LinePlotView } from './plot';
import { elementTable, formatTimestamp, formatTolerance, formatValue, type ElementTable } from './values';

/** Who a report is for: `student` (safe to hand back) or `instructor` (everything). */
export type Audience = 'student' | 'instructor';

/** Display names and one-line explanations of the categories. */
export const CATEGORY_INFO: Record<Category, { label: string; short: string; about: string }> = {
  interface: { label: 'Interface', short: 'Interface', about: 'the function exists and returns numbers of the right type and shape' },
  accuracy: { label: 'Accuracy', short: 'Accuracy', about: 'values match the reference within tolerance' },
  gradient: { label: 'Gradients', short: 'Gradients', about: 'gradients match the reference and finite differences of your own loss' },
  stability: { label: 'Numerical stability', short: 'Stability', about: 'finite, exact results at extreme inputs' },
  convergence: { label: 'Convergence', short: 'Convergence', about: 'training loops reduce the loss like the reference' },
};

/** Label and icon name of each status; the icon is decoration, the label always shows. */
export const STATUS_INFO: Record<TestStatus, { label: string; icon: 'check' | 'cross' | 'alert' | 'clock' }> = {
  passed: { label: 'Passed', icon: 'check' },
  failed: { label: 'Failed', icon: 'cross' },
  error: { label: 'Error', icon: 'alert' },
  timeout: { label: 'Timed out', icon: 'clock' },
};

/** A score as the templates show it. */
export interface ScoreView {
  score: string;
  maxScore: string;
  /** 0–100, rounded to one decimal. */
  percent: number;
  /** "61%" */
  percentText: string;
}

/** Points of one category (interface, accuracy, …) over all tests. */
export interface CategoryView extends ScoreView {
  category: Category;
  label: string;
  about: string;
  tests: number;
}

/** A numeric comparison, formatted: the call, inputs, the element table and key facts. */
export interface ComparisonView {
  call: string;
  inputs: { name: string; value: string }[];
  expected?: string;
  got?: string;
  elements?: ElementTable;
  facts: { label: string; value: string }[];
}

/** One test as an audience may see it (see `testView`). */
export interface TestView {
  /** Anchor id in the page (`test-3`): not the check id, which a student view does not show. */
  anchor: string;
  /** The check id (instructor view only). */
  id?: string;
  name: string;
  function: string;
  category: Category;
  categoryLabel: string;
  hidden: boolean;
  /** Student view of a hidden test: error and timeout are shown as `failed`. */
  status: TestStatus;
  statusLabel: string;
  icon: string;
  passed: boolean;
  score: ScoreView;
  message?: string;
  diagnosis?: string;
  comparison?: ComparisonView;
  plots: (LinePlotView & { id: string; title: string })[];
  /** Whether the test has anything below its heading line. */
  hasBody: boolean;
}

/** The tests of one exported function, with their subtotal. */
export interface FunctionGroupView {
  name: string;
  score: ScoreView;
  tests: TestView[];
  allPassed: boolean;
}

/** Tests that did not pass and share a diagnosis (up to its numbers), or have none. */
export interface FixGroup {
  /** The diagnosis (the wording of the first public test that has it); undefined for "other tests". */
  diagnosis?: string;
  /** Points these tests are worth together. */
  points: string;
  /** The functions concerned, each linking to its first test in the group. */
  functions: { name: string; anchor: string; count: number }[];
  count: number;
}

/** Whether the submission loaded; when not, why, in words and as the loader said it. */
export type LoadView =
  | { failed: false; entry: string; exports: string[] }
  | { failed: true; reason: string; reasonText: string; message: string };

/** The template model of `submission.hbs`. */
export interface SubmissionView {
  audience: Audience;
  instructor: boolean;
  submission: string;
  assignment: string;
  score: ScoreView;
  categories: CategoryView[];
  counts: { total: number; passed: number; notPassed: number; hidden: number };
  load: LoadView;
  functions: FunctionGroupView[];
  /** What to look at first: the tests that did not pass, grouped by diagnosis. */
  toFix: FixGroup[];
  /** Captured stdout/stderr: instructor view only. */
  output?: CapturedOutput & { empty: boolean; size: string };
  /** Run facts (instructor view only). */
  facts: { label: string; value: string }[];
  gradedAt: string;
  /** "2026-11-25 14:00 UTC" */
  gradedAtText: string;
  graderVersion: string;
  scope: SubmissionResult['scope'];
  /** A student's self-check (`scope` `public`): only the public tests ran, so the score is not a grade. */
  selfCheck: boolean;
  /** What was changed while the submission was unpacked (renamed files, a case fix…), for the student. */
  notes: string[];
}

const LOAD_REASONS: Record<string, string> = {
  'no-entry': 'no entry file was found',
  syntax: 'the code has a syntax error',
  threw: 'the code threw an error while it was being imported',
  exited: 'the code ended the process while it was being imported',
  timeout: 'importing the code took too long',
  crashed: 'the process crashed while importing the code',
  'no-sandbox': 'this machine cannot run Python submissions in the sandbox',
};

/**
 * Why a submission did not load, in words: "the code has a syntax error" for `syntax`.
 *
 * @example loadReasonText('no-entry') // returns 'no entry file was found'
 */
export function loadReasonText(reason: string, language?: SubmissionResult['language']): string {
  if (language === 'python' && reason === 'threw') return 'the code raised an exception while it was being imported';
  return LOAD_REASONS[reason] ?? reason;
}

/** Points as text: integers as they are, fractions to at most 2 decimals. */
export function formatPoints(points: number): string {
  return Number.isInteger(points) ? String(points) : String(Math.round(points * 100) / 100);
}

/** Score, maximum and percentage (one decimal) of a score pair. */
export function scoreView(score: number, maxScore: number): ScoreView {
  const percent = maxScore > 0 ? Math.round((1000 * score) / maxScore) / 10 : 0;
  return { score: formatPoints(score), maxScore: formatPoints(maxScore), percent, percentText: `${percent}%` };
}

/**
 * Per-category totals over the tests, in the order of CATEGORIES; categories without tests are
 * left out.
 */
export function categoryScores(tests: readonly Pick<TestResult, 'category' | 'score' | 'maxScore'>[]): CategoryView[] {
  return CATEGORIES.flatMap((category) => {
    const own = tests.filter((t) => t.category === category);
    if (!own.length) return [];
    const score = own.reduce((sum, t) => sum + t.score, 0);
    const max = own.reduce((sum, t) => sum + t.maxScore, 0);
    const { label, about } = CATEGORY_INFO[category];
    return [{ category, label, about, ...scoreView(score, max), tests: own.length }];
  });
}

/** The diagnosis of a test, from the test or its details. */
export function diagnosisOf(test: Pick<TestResult, 'diagnosis' | 'details'>): string | undefined {
  const text = test.diagnosis ?? test.details?.diagnosis;
  return text && text.trim() ? text.trim() : undefined;
}

/**
 * The message without a closing "Hint: …" line that only repeats the diagnosis (which the
 * report shows on its own, more prominently).
 */
export function messageWithoutHint(message: string, diagnosis: string | undefined): string {
  if (!diagnosis) return message;
  const lines = message.split('\n');
  const kept = lines.filter((line) => line.trim() !== `Hint: ${diagnosis}`);
  return kept.join('\n').trimEnd();
}

/** The comparison part of a test, formatted (numbers to 7 digits, long arrays cut). */
export function comparisonView(comparison: Comparison): ComparisonView {
  const facts: { label: string; value: string }[] = [];
  if (comparison.mismatched !== undefined && comparison.total !== undefined) {
    const pct = comparison.total ? Math.round((100 * comparison.mismatched) / comparison.total) : 0;
    facts.push({ label: 'Mismatched elements', value: `${comparison.mismatched} of ${comparison.total} (${pct}%)` });
  }
  const tolerance = formatTolerance(comparison.tolerance);
  if (tolerance) facts.push({ label: 'Tolerance', value: tolerance });
  return {
    call: comparison.call,
    inputs: Object.entries(comparison.inputs ?? {}).map(([name, value]) => ({ name, value: formatValue(value) })),
    expected: comparison.expected !== undefined ? formatValue(comparison.expected) : undefined,
    got: comparison.got !== undefined ? formatValue(comparison.got) : undefined,
    elements: elementTable(comparison),
    facts,
  };
}

/** The view of one test for an audience (see the module comment for what a student sees). */
export function testView(test: TestResult, index: number, audience: Audience, loadFailed = false, names?: SubmissionResult['names']): TestView {
  const concealed = audience === 'student' && test.visibility === 'hidden';
  const status: TestStatus = concealed && test.status !== 'passed' ? 'failed' : test.status;
  const diagnosis = diagnosisOf(test);
  const passed = status === 'passed';
  // When the submission did not load, every test carries the same message: the page says it once.
  const message = concealed || passed || loadFailed || !test.message ? undefined : messageWithoutHint(test.message, diagnosis);
  const comparison = !concealed && !passed && test.details?.comparison ? comparisonView(test.details.comparison) : undefined;
  const curves = !concealed ? (test.details?.curves ?? []).filter((c) => Array.isArray(c.values) && c.values.length > 0) : [];
  const fn = functionName({ names }, test.function);
  const plots = curves.length ? [{ id: `test-${index + 1}-plot`, title: `${fn}: ${test.name}`, ...linePlot(curves) }] : [];
  const shownDiagnosis = passed ? undefined : diagnosis;
  return {
    anchor: `test-${index + 1}`,
    id: audience === 'instructor' ? test.id : undefined,
    name: test.name,
    function: fn,
    category: test.category,
    categoryLabel: CATEGORY_INFO[test.category]?.label ?? test.category,
    hidden: test.visibility === 'hidden',
    status,
    statusLabel: STATUS_INFO[status].label,
    icon: STATUS_INFO[status].icon,
    passed,
    score: scoreView(test.score, test.maxScore),
    message,
    diagnosis: shownDiagnosis,
    comparison,
    plots,
    hasBody: Boolean(message || shownDiagnosis || comparison || plots.length || (concealed && !passed)),
  };
}

export { diagnosisKey };

/**
 * The tests that did not pass, grouped by diagnosis (diagnoses that differ only in numbers, such
 * as "N = 8" and "N = 41", are one group), largest group first; tests without a diagnosis last.
 */
export function fixGroups(views: readonly TestView[], tests: readonly TestResult[]): FixGroup[] {
  const groups = new Map<string, { diagnosis?: string; publicWording: boolean; points: number; members: TestView[] }>();
  views.forEach((view, i) => {
    if (view.passed) return;
    const key = view.diagnosis ? diagnosisKey(view.diagnosis) : '';
    let group = groups.get(key);
    if (!group) {
      group = { diagnosis: view.diagnosis, publicWording: !view.hidden, points: 0, members: [] };
      groups.set(key, group);
    }
    if (view.diagnosis && !group.publicWording && !view.hidden) {
      group.diagnosis = view.diagnosis;
      group.publicWording = true;
    }
    group.points += tests[i].maxScore - tests[i].score;
    group.members.push(view);
  });
  return [...groups.entries()]
    .sort(([ka, a], [kb, b]) => Number(ka === '') - Number(kb === '') || b.members.length - a.members.length || b.points - a.points)
    .map(([, g]) => {
      const functions: FixGroup['functions'] = [];
      for (const member of g.members) {
        const known = functions.find((f) => f.name === member.function);
        if (known) known.count += 1;
        else functions.push({ name: member.function, anchor: member.anchor, count: 1 });
      }
      return { diagnosis: g.diagnosis, points: formatPoints(g.points), functions, count: g.members.length };
    });
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  return `${Math.round(bytes / 102.4) / 10} KiB`;
}

/**
 * The template model of a submission's report.
 *
 * @example submissionView(result, 'student').functions[0].tests[0].message // undefined for a hidden test
 */
export function submissionView(result: Readonly<SubmissionResult>, audience: Audience): SubmissionView {
  const loadFailed = result.load.status === 'failed';
  const tests = result.tests.map((test, index) => testView(test, index, audience, loadFailed, result.names));
  const functions: FunctionGroupView[] = [];
  result.tests.forEach((test, index) => {
    const name = functionName(result, test.function);
    let group = functions.find((g) => g.name === name);
    if (!group) {
      group = { name, score: scoreView(0, 0), tests: [], allPassed: true };
      functions.push(group);
    }
    group.tests.push(tests[index]);
  });
  for (const group of functions) {
    const own = result.tests.filter((t) => functionName(result, t.function) === group.name);
    group.score = scoreView(
      own.reduce((s, t) => s + t.score, 0),
      own.reduce((s, t) => s + t.maxScore, 0),
    );
    group.allPassed = group.tests.every((t) => t.passed);
  }
  const load: LoadView =
    result.load.status === 'failed'
      ? { failed: true, reason: result.load.reason, reasonText: loadReasonText(result.load.reason, result.language), message: result.load.message }
      : { failed: false, entry: result.load.entry, exports: [...result.load.exports] };
  const instructor = audience === 'instructor';
  const facts: { label: string; value: string }[] = [];
  if (instructor) {
    facts.push({ label: 'Graded at', value: result.gradedAt });
    facts.push({ label: 'Grading time', value: `${(result.durationMs / 1000).toFixed(1)} s` });
    facts.push({ label: 'Grader version', value: result.graderVersion });
    if (result.contentHash) facts.push({ label: 'Content hash (SHA-256)', value: result.contentHash });
    if (result.load.status === 'loaded') facts.push({ label: 'Entry file', value: result.load.entry });
    if (result.isolation) {
      const iso = result.isolation;
      facts.push({
        label: 'Isolation',
        value: `${iso.process}; permission model ${iso.permissionModel ? 'on' : 'off'}; network ${iso.network}; other processes ${iso.processes ?? 'not-isolated'}; file system ${iso.filesystem ?? 'host'}; memory ${iso.memoryLimitMb} MB; ${iso.callTimeoutMs} ms per call; environment ${iso.scrubbedEnv ? 'scrubbed' : 'not scrubbed'}`,
      });
    }
    facts.push({ label: 'Tests run', value: result.scope === 'all' ? 'all (public and hidden)' : 'public only (self-check)' });
  }
  return {
    audience,
    instructor,
    submission: result.submission,
    assignment: result.assignment,
    score: scoreView(result.score, result.maxScore),
    categories: categoryScores(result.tests),
    counts: {
      total: tests.length,
      passed: tests.filter((t) => t.passed).length,
      notPassed: tests.filter((t) => !t.passed).length,
      hidden: tests.filter((t) => t.hidden).length,
    },
    load,
    functions,
    toFix: loadFailed ? [] : fixGroups(tests, result.tests),
    output: instructor && result.output ? { ...result.output, empty: result.output.text.length === 0, size: formatBytes(result.output.bytes) } : undefined,
    facts,
    gradedAt: result.gradedAt,
    gradedAtText: formatTimestamp(result.gradedAt),
    graderVersion: result.graderVersion,
    scope: result.scope,
    selfCheck: result.scope === 'public',
    notes: [...(result.origin?.notes ?? [])],
  };
}
