/**
 * The gradebook and CI exports: grades.csv, summary.json, Gradescope results.json, JUnit XML and
 * the GitHub step summary — on real results of a grade run, and on hand-built results for the
 * edge cases (formula injection, XML escaping, hidden tests leaking into student-facing files).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EXAMPLES, readResult, runCli, tempDir } from '../support/cli';
import type { SubmissionResult, TestResult } from '../../src/types';
import { gradesCsv } from '../../reports/csv';
import { diagnosisKey } from '../../reports/measures';
import { buildSummary, percentStats, type RunSummary } from '../../reports/summary';
import { gradescopePath, toGradescopeResults, type GradescopeResults } from '../../reports/gradescope';
import { junitReporter, toJUnitXml, xmlAttr, xmlText } from '../../reports/junit';
import { appendGithubSummary, escapeMarkdown, formatGithubSummary } from '../../reports/githubSummary';
import { createReporters } from '../../reports/index';
import { csvReporter } from '../../reports/csv';
import { summaryReporter } from '../../reports/summary';
import { gradescopeReporter } from '../../reports/gradescope';
import type { RunInfo } from '../../reports/reporter';
import { parseCsv } from './csvParse';

const IDS = ['correct', 'grad-missing-1-over-n', 'syntax-error'];
const RUN: RunInfo = { assignment: { id: 'losses', title: 'Losses, activations and their gradients' }, outDir: '/nonexistent', scope: 'all', startedAt: new Date('2026-01-01T00:00:00Z') };

function makeTest(overrides: Partial<TestResult> = {}): TestResult {
  return {
    id: 'mse.accuracy.hand',
    name: 'matches on hand-picked values',
    function: 'mse',
    category: 'accuracy',
    points: 2,
    visibility: 'public',
    status: 'passed',
    score: 2,
    maxScore: 2,
    message: '',
    ...overrides,
  };
}

function makeResult(overrides: Partial<SubmissionResult> = {}): SubmissionResult {
  const tests = overrides.tests ?? [makeTest()];
  return {
    submission: 'alice',
    assignment: 'losses',
    score: tests.reduce((s, t) => s + t.score, 0),
    maxScore: tests.reduce((s, t) => s + t.maxScore, 0),
    tests,
    load: { status: 'loaded', entry: 'losses.ts', exports: ['mse'] },
    scope: 'all',
    graderVersion: '0.1.0+test',
    gradedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 1500,
    ...overrides,
  };
}

/** A result whose hidden tests carry distinctive values that must never reach a student. */
const SECRET_INPUT = 31337.4242;
const SECRET_EXPECTED = 27182.8182;
const SECRET_MESSAGE = 'mseGrad(yTrue, yPred) — seeded SECRETSEED-9931: expected 27182.8182, got 1';
function leakyResult(): SubmissionResult {
  const comparison = { call: 'mseGrad(yTrue, yPred)', inputs: { yTrue: [SECRET_INPUT] }, expected: [SECRET_EXPECTED], got: [1] };
  return makeResult({
    submission: 'bob',
    tests: [
      makeTest({ id: 'mseGrad.gradient.hand', name: 'public gradient', function: 'mseGrad', category: 'gradient', status: 'failed', score: 0, message: 'mseGrad(yTrue, yPred) — yTrue = [1, 2] is not close enough.\nWorst element 0: expected 1, got 8' }),
      makeTest({ id: 'mseGrad.gradient.seeded', name: 'hidden with diagnosis', function: 'mseGrad', category: 'gradient', visibility: 'hidden', status: 'failed', score: 0, message: SECRET_MESSAGE, diagnosis: 'Your gradient is 8.00× the expected value: did you sum instead of taking the mean?', details: { comparison } }),
      makeTest({ id: 'mse.accuracy.seeded', name: 'hidden without diagnosis', visibility: 'hidden', status: 'failed', score: 0, message: SECRET_MESSAGE, details: { comparison } }),
      makeTest({ id: 'mse.stability.seeded', name: 'hidden timeout', category: 'stability', visibility: 'hidden', status: 'timeout', score: 0, message: SECRET_MESSAGE }),
      makeTest({ id: 'mse.interface', name: 'hidden passed', category: 'interface', visibility: 'hidden', status: 'passed' }),
    ],
  });
}
const noSecrets = (text: string) => {
  expect(text).not.toContain('31337');
  expect(text).not.toContain('27182');
  expect(text).not.toContain('SECRETSEED');
};

describe('on a real grade run', () => {
  let out: string;
  let stepSummary: string;
  let results: SubmissionResult[];

  beforeAll(() => {
    const root = tempDir('mlgrade-exports-');
    const subs = path.join(root, 'subs');
    for (const id of IDS) fs.cpSync(path.join(EXAMPLES, id), path.join(subs, id), { recursive: true });
    out = path.join(root, 'out');
    stepSummary = path.join(root, 'step-summary.md');
    fs.writeFileSync(stepSummary, '## earlier step\n');
    const run = runCli(['grade', 'losses', subs, '--out', out, '--jobs', '2'], { env: { GITHUB_STEP_SUMMARY: stepSummary } });
    if (run.status !== 0) throw new Error(`grade failed (${run.status}): ${run.stderr}`);
    results = IDS.map((id) => readResult(out, id));
  });

  test('grades.csv: one row per submission sorted by id, category columns adding up to the score', () => {
    const rows = parseCsv(fs.readFileSync(path.join(out, 'grades.csv'), 'utf8'));
    const categories = ['interface', 'accuracy', 'gradient', 'stability'];
    expect(rows[0]).toEqual(['id', 'score', 'max', 'percent', ...categories.flatMap((c) => [c, `${c}_max`]), 'status']);
    expect(rows.slice(1).map((r) => r[0])).toEqual(IDS);
    const byId = Object.fromEntries(rows.slice(1).map((r) => [r[0], Object.fromEntries(rows[0].map((h, i) => [h, r[i]]))]));
    expect(byId.correct).toMatchObject({ score: '100', max: '100', percent: '100', status: 'graded' });
    expect(byId['syntax-error']).toMatchObject({ score: '0', percent: '0', status: 'load-failed', gradient: '0' });
    for (const result of results) {
      const row = byId[result.submission];
      expect(Number(row.score)).toBe(result.score);
      expect(categories.reduce((s, c) => s + Number(row[c]), 0)).toBeCloseTo(result.score, 6);
      expect(categories.reduce((s, c) => s + Number(row[`${c}_max`]), 0)).toBeCloseTo(result.maxScore, 6);
    }
    expect(Number(byId['grad-missing-1-over-n'].gradient)).toBeLessThan(Number(byId['grad-missing-1-over-n'].gradient_max));
  });

  test('summary.json: counts, percent statistics, pass rates and grouped diagnoses', () => {
    const summary = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8')) as RunSummary;
    expect(summary.assignment.id).toBe('losses');
    expect(summary.counts).toEqual({ submissions: 3, loaded: 2, failedToLoad: 1, loadFailures: { syntax: 1 } });
    const percents = results.map((r) => (100 * r.score) / r.maxScore);
    expect(summary.percent).toEqual(percentStats(percents));
    expect(summary.percent).toMatchObject({ min: 0, max: 100, median: percents.sort((a, b) => a - b)[1] });
    const reference = summary.tests.find((t) => t.id === 'mseGrad.gradient.reference')!;
    expect(reference).toMatchObject({ function: 'mseGrad', category: 'gradient', visibility: 'public', passed: 1, total: 2 });
    expect(summary.tests).toHaveLength(results[0].tests.length);
    // The "sum instead of mean" mistake comes with a different N per test: one group, many tests.
    const sumNotMean = summary.diagnoses.find((d) => /sum over the batch/.test(d.text) && /expected value/.test(d.text))!;
    expect(sumNotMean.text).toContain('#×');
    expect(sumNotMean.tests.length).toBeGreaterThan(1);
    expect(sumNotMean.submissions).toBe(1);
    expect(summary.diagnoses[0].count).toBeGreaterThanOrEqual(summary.diagnoses[summary.diagnoses.length - 1].count);
    expect(summary.graderVersions).toEqual([results[0].graderVersion]);
    expect(Number.isNaN(Date.parse(summary.generatedAt))).toBe(false);
  });

  test('Gradescope results.json per submission; hidden tests show only their diagnosis', () => {
    let checkedValues = 0;
    for (const result of results) {
      const file = gradescopePath(out, result.submission);
      const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as GradescopeResults;
      expect(doc).toEqual(toGradescopeResults(result));
      expect(doc.score).toBe(result.score);
      expect(doc.stdout_visibility).toBe('hidden');
      expect(doc.tests.map((t) => t.number)).toEqual(result.tests.map((t) => t.id));
      expect(doc.tests.reduce((s, t) => s + t.max_score, 0)).toBeCloseTo(result.maxScore, 6);
      for (const [i, test] of result.tests.entries()) {
        expect(doc.tests[i].visibility).toBe(test.visibility === 'hidden' ? 'after_published' : 'visible');
        expect(doc.tests[i].tags).toEqual([test.category]);
        if (test.visibility === 'hidden' && test.status !== 'passed') {
          expect(doc.tests[i].output).toBe(test.diagnosis ?? 'Hidden test failed');
          // Nothing of the message, inputs or expected values of a hidden test.
          const text = JSON.stringify(doc);
          // (A submission that did not load has the same load message on every test: not a secret.)
          if (result.load.status === 'loaded') expect(text).not.toContain(JSON.stringify(test.message).slice(1, -1));
          // Seeded random values are long decimals: none of them may appear.
          const comparison = test.details?.comparison;
          const values = [...Object.values(comparison?.inputs ?? {}), comparison?.expected].flat(3).filter((v) => typeof v === 'number' && String(v).length >= 10);
          for (const value of values) expect(text).not.toContain(String(value));
          checkedValues += values.length;
        }
      }
    }
    expect(checkedValues).toBeGreaterThan(20);
    const broken = JSON.parse(fs.readFileSync(gradescopePath(out, 'syntax-error'), 'utf8')) as GradescopeResults;
    expect(broken.output).toMatch(/could not be loaded \(syntax\).*losses\.ts:30/);
    const missing = JSON.parse(fs.readFileSync(gradescopePath(out, 'grad-missing-1-over-n'), 'utf8')) as GradescopeResults;
    expect(missing.tests.some((t) => t.visibility === 'after_published' && /divide by N/.test(t.output))).toBe(true);
    expect(missing.output).toMatch(/^Public tests: \d+ of \d+ passed\./);
  });

  test('the GitHub step summary is appended to, with one row per submission', () => {
    const text = fs.readFileSync(stepSummary, 'utf8');
    expect(text.startsWith('## earlier step\n')).toBe(true);
    expect(text).toContain('## mlgrade — Losses, activations and their gradients (losses)');
    expect(text).toContain('| correct | 100/100 | 100% |');
    expect(text).toContain('| syntax-error (could not load) | 0/100 | 0% |');
    expect(text).not.toContain('| function | test |'); // several submissions: no per-test table
  });

  test('a single submission gets a per-test table and each public failure in full; hidden failures no message', () => {
    const result = results.find((r) => r.submission === 'grad-missing-1-over-n')!;
    const text = formatGithubSummary([result], RUN);
    expect(text).toContain('| function | test | result | points |');
    const rows = text.split('\n').filter((l) => l.startsWith('| ') && l.includes('❌'));
    const failed = result.tests.filter((t) => t.status !== 'passed');
    expect(rows).toHaveLength(failed.length);
    for (const test of failed.filter((t) => t.visibility === 'hidden')) noLeak(text, test);
    const publicFailure = failed.find((t) => t.visibility === 'public')!;
    for (const line of publicFailure.message.split('\n').filter((l) => !l.startsWith('Hint: '))) expect(text).toContain(`\n${line}\n`);
  });

  test('JUnit XML: one testsuite per submission, failures and errors counted, hidden tests in full only on request', () => {
    const xml = toJUnitXml(results, RUN, { includeHidden: true });
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="mlgrade losses"')).toBe(true);
    expect(xml.match(/<testsuite /g)).toHaveLength(3);
    const total = results.reduce((s, r) => s + r.tests.length, 0);
    expect(xml.match(/<testcase /g)).toHaveLength(total);
    const failures = results.flatMap((r) => r.tests).filter((t) => t.status === 'failed').length;
    const errors = results.flatMap((r) => r.tests).filter((t) => t.status === 'error' || t.status === 'timeout').length;
    expect(xml.match(/<failure /g) ?? []).toHaveLength(failures);
    expect(xml.match(/<error /g) ?? []).toHaveLength(errors);
    expect(xml).toContain(`<testsuites name="mlgrade losses" tests="${total}" failures="${failures}" errors="${errors}"`);
    expect(xml).toContain('classname="losses.mseGrad" name="equals (2/N)(yPred − yTrue) (3 pts)"');
    const hiddenFailure = results[1].tests.find((t) => t.visibility === 'hidden' && t.status === 'failed')!;
    expect(xml).toContain(xmlText(hiddenFailure.message));
    const hidden = toJUnitXml(results, RUN);
    expect(hidden).not.toContain(xmlText(hiddenFailure.message));
    expect(hidden).toContain('message="hidden test failed"');
    // Concealed, a hidden error or timeout counts as a failure: the counts say pass/fail only.
    const shownStatus = (t: TestResult) => (t.visibility === 'hidden' && t.status !== 'passed' ? 'failed' : t.status);
    const concealedErrors = results.flatMap((r) => r.tests).filter((t) => ['error', 'timeout'].includes(shownStatus(t))).length;
    expect(hidden).toContain(`<testsuites name="mlgrade losses" tests="${total}" failures="${total - concealedErrors - results.flatMap((r) => r.tests).filter((t) => t.status === 'passed').length}" errors="${concealedErrors}"`);
  });
});

function noLeak(text: string, test: TestResult) {
  const firstLine = test.message.split('\n')[0];
  expect(text).not.toContain(escapeMarkdown(firstLine));
  expect(text).not.toContain(firstLine);
}

describe('grades.csv edge cases', () => {
  test('ids that spreadsheets would execute get a leading quote; commas, quotes and newlines are quoted', () => {
    const ids = ['=HYPERLINK("http://evil.example","x")', '+1+1', '-2', '@SUM(A1)', '\tTAB', 'a,b "c"\nd', 'plain'];
    const csv = gradesCsv(ids.map((submission) => makeResult({ submission })));
    const rows = parseCsv(csv).slice(1);
    expect(rows.map((r) => r[0]).sort()).toEqual(["'=HYPERLINK(\"http://evil.example\",\"x\")", "'+1+1", "'-2", "'@SUM(A1)", "'\tTAB", 'a,b "c"\nd', 'plain'].sort());
    for (const row of rows) expect(row).toHaveLength(7);
    expect(csv).toContain('"a,b ""c""\nd"');
  });

  test('sorted by id; a category a submission lacks is empty, not 0; load failures score 0', () => {
    const a = makeResult({ submission: 'b', tests: [makeTest(), makeTest({ id: 'x.gradient', category: 'gradient', score: 0.1, maxScore: 0.3, status: 'failed' }), makeTest({ id: 'y.gradient', category: 'gradient', score: 0.2, maxScore: 0.3 })] });
    const b = makeResult({ submission: 'a', tests: [makeTest()] });
    const c = makeResult({ submission: 'c', score: 0, load: { status: 'failed', reason: 'threw', message: 'boom' } });
    const rows = parseCsv(gradesCsv([a, b, c]));
    expect(rows).toEqual([
      ['id', 'score', 'max', 'percent', 'accuracy', 'accuracy_max', 'gradient', 'gradient_max', 'status'],
      ['a', '2', '2', '100', '2', '2', '', '', 'graded'],
      ['b', '2.3', '2.6', '88.46', '2', '2', '0.3', '0.6', 'graded'],
      ['c', '0', '2', '0', '0', '2', '', '', 'load-failed'],
    ]);
  });

  test('an empty run still has a header', () => {
    expect(gradesCsv([])).toBe('id,score,max,percent,status\n');
  });
});

describe('summary.json pieces', () => {
  test('percentStats: mean, median, population stdev', () => {
    expect(percentStats([])).toBeNull();
    expect(percentStats([100, 0, 50, 100])).toEqual({ mean: 62.5, median: 75, min: 0, max: 100, stdev: 41.46 });
    expect(percentStats([42])).toEqual({ mean: 42, median: 42, min: 42, max: 42, stdev: 0 });
  });

  test('diagnoses differing only in numbers are one group; identical ones keep their exact text', () => {
    expect(diagnosisKey('Your gradient is 8.00× the expected value, and N = 8')).toBe('Your gradient is #× the expected value, and N = #');
    const d8 = 'Your gradient is 8.00× the expected value, and N = 8';
    const d41 = 'Your gradient is 41.00× the expected value, and N = 41';
    const half = 'Your value is exactly half the expected one.';
    const results = [
      makeResult({ submission: 's1', tests: [makeTest({ id: 't1', status: 'failed', diagnosis: d8 }), makeTest({ id: 't2', status: 'failed', diagnosis: d41 }), makeTest({ id: 't3', status: 'failed', diagnosis: half })] }),
      makeResult({ submission: 's2', tests: [makeTest({ id: 't1', status: 'failed', diagnosis: d8 })] }),
    ];
    const summary = buildSummary(results, RUN, { now: new Date('2026-02-02T00:00:00Z') });
    expect(summary.diagnoses).toEqual([
      { text: 'Your gradient is #× the expected value, and N = #', count: 3, submissions: 2, tests: ['t1', 't2'] },
      { text: half, count: 1, submissions: 1, tests: ['t3'] },
    ]);
    expect(summary.generatedAt).toBe('2026-02-02T00:00:00.000Z');
  });
});

describe('hidden tests never leak into student-facing outputs', () => {
  test('Gradescope: after_published, diagnosis or a generic line only', () => {
    const doc = toGradescopeResults(leakyResult());
    noSecrets(JSON.stringify(doc));
    expect(doc.tests.map((t) => [t.visibility, t.status, t.output])).toEqual([
      ['visible', 'failed', expect.stringContaining('Worst element 0')],
      ['after_published', 'failed', 'Your gradient is 8.00× the expected value: did you sum instead of taking the mean?'],
      ['after_published', 'failed', 'Hidden test failed'],
      ['after_published', 'failed', 'Hidden test timed out'],
      ['after_published', 'passed', ''],
    ]);
    expect(doc.tests[0].name).toBe('mseGrad › public gradient');
    expect(doc.execution_time).toBe(1.5);
  });

  test('GitHub summary: a hidden test shows its name, pass/fail and likely cause only', () => {
    const text = formatGithubSummary([leakyResult()], RUN);
    noSecrets(text);
    expect(text).toContain('| hidden without diagnosis _(hidden)_ | ❌ | 0/2 |');
    expect(text).toContain('| hidden timeout _(hidden)_ | ❌ | 0/2 |'); // not "timed out": as the student report shows it
    // The student report shows a hidden test's diagnosis (a sentence about the mistake, no values).
    expect(text).toContain('**Likely cause:** Your gradient is 8.00× the expected value: did you sum instead of taking the mean?');
    expect(text).toContain('\nmseGrad(yTrue, yPred) — yTrue = [1, 2] is not close enough.\nWorst element 0: expected 1, got 8\n');
  });

  test('JUnit: hidden tests show name and pass/fail only by default; in full only when an instructor asks', () => {
    const result = leakyResult();
    const hidden = toJUnitXml([result], RUN);
    noSecrets(hidden);
    expect(hidden.match(/hidden test failed/g)).toHaveLength(6); // 3 hidden non-passing tests × (attribute + body)
    // A hidden timeout is not told apart from a failure, and its time is not reported.
    expect(hidden).toContain('<testcase classname="losses.mse" name="hidden timeout (2 pts)" time="0.000">\n      <failure message="hidden test failed" type="failed">');
    expect(hidden).toContain('tests="5" failures="4" errors="0"');
    expect(toJUnitXml([result], RUN, { includeHidden: true })).toContain('SECRETSEED-9931');
    const dir = tempDir('mlgrade-junit-');
    const file = path.join(dir, 'nested', 'junit.xml');
    for (const scope of ['public', 'all'] as const) {
      void junitReporter(file).onRunComplete!([result], { ...RUN, outDir: dir, scope });
      noSecrets(fs.readFileSync(file, 'utf8'));
    }
    void junitReporter(file, { includeHidden: true }).onRunComplete!([result], { ...RUN, outDir: dir, scope: 'all' });
    expect(fs.readFileSync(file, 'utf8')).toContain('SECRETSEED-9931');
    // Through createReporters: the instructor option, and its default.
    for (const includeHidden of [undefined, true]) {
      const junit = createReporters({ env: {}, junit: file, junitIncludeHidden: includeHidden }).find((r) => r.name === 'junit')!;
      void junit.onRunComplete!([result], { ...RUN, outDir: dir, scope: 'all' });
      expect(fs.readFileSync(file, 'utf8').includes('SECRETSEED-9931')).toBe(includeHidden === true);
    }
  });
});

describe('JUnit escaping', () => {
  test('markup, quotes and characters XML 1.0 forbids', () => {
    expect(xmlText('a < b && c > "d"')).toBe('a &lt; b &amp;&amp; c &gt; "d"');
    expect(xmlText('bell\u0007 nul\u0000 esc\u001b ok\ttab\nline \uFFFE\uFFFF lone\uD800 pair\u{1F600}')).toBe('bell nul esc ok\ttab\nline  lone pair\u{1F600}');
    expect(xmlAttr(`x"y'z<\n\t\r`)).toBe('x&quot;y&apos;z&lt;&#10;&#9;&#13;');
  });

  test('student-controlled ids and messages cannot break the document', () => {
    const result = makeResult({
      submission: '"><testcase name="fake"/><x a="',
      tests: [makeTest({ status: 'error', score: 0, message: '</failure></testcase>]]><!-- \u0000 & done' })],
    });
    const xml = toJUnitXml([result], RUN, { includeHidden: true });
    expect(xml).toContain('<testsuite name="&quot;&gt;&lt;testcase name=&quot;fake&quot;/&gt;&lt;x a=&quot;"');
    expect(xml).toContain('<error message="&lt;/failure&gt;&lt;/testcase&gt;]]&gt;&lt;!-- ');
    expect(xml).toContain('&amp; done</error>');
    expect(xml).not.toContain('\u0000');
    expect(xml.match(/<testcase /g)).toHaveLength(1);
    // Every tag opened is closed, in order: a minimal well-formedness check.
    const stack: string[] = [];
    for (const [, close, name, selfClosing] of xml.replace(/^<\?xml[^>]*\?>/, '').matchAll(/<(\/?)([A-Za-z]+)[^<>]*?(\/?)>/g)) {
      if (selfClosing) continue;
      if (close) expect(stack.pop()).toBe(name);
      else stack.push(name);
    }
    expect(stack).toEqual([]);
  });
});

describe('GitHub summary escaping', () => {
  test('ids cannot open HTML, links, code or new table cells/rows', () => {
    expect(escapeMarkdown('a|b <img src=x> `c` [l](u) *e* _f_ $x$\nnext\\')).toBe('a\\|b &lt;img src=x&gt; \\`c\\` \\[l\\](u) \\*e\\* \\_f\\_ \\$x\\$ next\\\\');
    const text = formatGithubSummary([makeResult({ submission: 'x|<script>alert(1)</script>\n| row |' }), makeResult({ submission: 'y' })], RUN);
    expect(text).not.toContain('<script>');
    const rows = text.split('\n').filter((l) => l.startsWith('| '));
    expect(rows).toHaveLength(3); // header + two submissions
  });

  test('appends only when GITHUB_STEP_SUMMARY is set', () => {
    const dir = tempDir('mlgrade-gh-');
    const file = path.join(dir, 'summary.md');
    expect(appendGithubSummary([makeResult()], RUN, {})).toBeUndefined();
    expect(appendGithubSummary([makeResult()], RUN, { GITHUB_STEP_SUMMARY: file })).toBe(file);
    appendGithubSummary([makeResult()], RUN, { GITHUB_STEP_SUMMARY: file });
    expect(fs.readFileSync(file, 'utf8').match(/## mlgrade/g)).toHaveLength(2);
  });
});

describe('createReporters', () => {
  test('gradebook exports on by default, off for a public run or one by one', () => {
    const names = (r: ReturnType<typeof createReporters>) => ({ csv: r.includes(csvReporter), summary: r.includes(summaryReporter), gradescope: r.includes(gradescopeReporter) });
    expect(names(createReporters({ env: {} }))).toEqual({ csv: true, summary: true, gradescope: true });
    expect(names(createReporters({ env: {}, scope: 'public' }))).toEqual({ csv: false, summary: false, gradescope: false });
    expect(names(createReporters({ env: {}, csv: false, gradescope: false }))).toEqual({ csv: false, summary: true, gradescope: false });
  });

  test('junit with a path; GitHub summary with the env variable unless forced off', () => {
    const base = createReporters({ env: {} }).length;
    expect(createReporters({ env: {}, junit: 'junit.xml' })).toHaveLength(base + 1);
    expect(createReporters({ env: {}, junit: true as unknown as string })).toHaveLength(base);
    expect(createReporters({ env: { GITHUB_STEP_SUMMARY: '/tmp/x' } })).toHaveLength(base + 1);
    expect(createReporters({ env: { GITHUB_STEP_SUMMARY: '/tmp/x' }, githubSummary: false })).toHaveLength(base);
  });
});
