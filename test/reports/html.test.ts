/**
 * The HTML report models, without a browser: what a student may see (submissionView), the class
 * aggregation (histogram, pass rates, diagnoses), number and array formatting, chart geometry,
 * and the rendered pages' self-containment (CSP, escaping).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { dashboardView, htmlReporter, passRates, renderSubmissionReport, submissionView, topDiagnoses, writeDashboard } from '../../reports/html';
import { diagnosisKey, fixGroups, messageWithoutHint } from '../../reports/html/submissionView';
import { histogram, histogramCounts, linePlot, niceTicks } from '../../reports/html/plot';
import { elementTable, formatNumber, formatTimestamp, formatValue, withinTolerance } from '../../reports/html/values';
import { scriptHash } from '../../reports/html/render';
import type { RunInfo } from '../../reports/reporter';
import { submissionDir, submissionFile, submissionHref } from '../../reports/layout';
import { HIDDEN_DIAGNOSIS, PUBLIC_DIAGNOSIS, SECRET, loadFailedResult, perfectResult, sampleResult } from './fixtures';

const allTests = (view: ReturnType<typeof submissionView>) => view.functions.flatMap((f) => f.tests);
const hiddenTest = (view: ReturnType<typeof submissionView>) => allTests(view).find((t) => t.name === 'matches the reference on a larger seeded batch')!;

describe('submissionView: student', () => {
  const view = submissionView(sampleResult(), 'student');

  test('a hidden test shows name, points, pass/fail and diagnosis only', () => {
    const t = hiddenTest(view);
    expect(t.hidden).toBe(true);
    expect(t.name).toBe('matches the reference on a larger seeded batch');
    expect(t.score).toMatchObject({ score: '0', maxScore: '2' });
    expect(t.status).toBe('failed'); // an `error` is only "not passed" for a hidden test
    expect(t.diagnosis).toBe(HIDDEN_DIAGNOSIS);
    expect(t.message).toBeUndefined();
    expect(t.comparison).toBeUndefined();
    expect(t.plots).toEqual([]);
    expect(t.id).toBeUndefined();
  });

  test('no secret value is anywhere in the student model', () => {
    const json = JSON.stringify(view);
    for (const secret of [String(SECRET.input), String(SECRET.expected), String(SECRET.got), SECRET.message, SECRET.call, SECRET.output, SECRET.curveLabel, 'hidden-pass-message-marker', '123.4568']) {
      expect(json).not.toContain(secret);
    }
  });

  test('public failures keep message, diagnosis, comparison and curves', () => {
    const t = allTests(view).find((x) => x.name === 'equals (2/N)(yPred − yTrue)')!;
    expect(t.status).toBe('failed');
    expect(t.diagnosis).toBe(PUBLIC_DIAGNOSIS);
    expect(t.message).toContain('Worst element 5');
    expect(t.message).not.toContain('Hint:'); // the hint repeats the diagnosis, shown on its own
    expect(t.comparison?.elements?.rows.find((r) => r.worst)).toMatchObject({ index: '5', expected: '-0.598984', got: '-4.791872', ok: false });
    const train = allTests(view).find((x) => x.function === 'train')!;
    expect(train.plots).toHaveLength(1);
    expect(train.plots[0].series.map((s) => s.label)).toEqual(['your loss', 'reference loss']);
  });

  test('no captured output and no run facts', () => {
    expect(view.output).toBeUndefined();
    expect(view.facts).toEqual([]);
    expect(view.instructor).toBe(false);
  });

  test('totals, per-category scores and counts', () => {
    expect(view.score).toEqual({ score: '6', maxScore: '14', percent: 42.9, percentText: '42.9%' });
    expect(view.categories.map((c) => [c.category, c.score, c.maxScore])).toEqual([
      ['interface', '1', '1'],
      ['accuracy', '4', '4'],
      ['gradient', '0', '5'],
      ['convergence', '1', '4'],
    ]);
    expect(view.counts).toEqual({ total: 6, passed: 3, notPassed: 3, hidden: 2 });
  });

  test('"what to look at first" groups diagnoses that differ only in numbers, worded as the public test', () => {
    expect(view.toFix[0]).toMatchObject({ diagnosis: PUBLIC_DIAGNOSIS, count: 2, points: '5', functions: [{ name: 'mseGrad', count: 2 }] });
    expect(view.toFix.map((g) => g.count)).toEqual([2, 1]);
  });
});

describe('submissionView: instructor', () => {
  const view = submissionView(sampleResult(), 'instructor');

  test('shows hidden tests in full, the real status, the captured output and run facts', () => {
    const t = hiddenTest(view);
    expect(t.status).toBe('error');
    expect(t.message).toContain(SECRET.message);
    expect(t.comparison?.call).toBe(SECRET.call);
    expect(t.comparison?.inputs.find((i) => i.name === 'yTrue')?.value).toContain('123.4568');
    expect(t.plots[0].series[0].label).toBe(SECRET.curveLabel);
    expect(t.id).toBe('mseGrad.gradient.seeded');
    expect(view.output).toMatchObject({ text: expect.stringContaining(SECRET.output), truncated: true, empty: false });
    expect(view.facts.map((f) => f.label)).toEqual(expect.arrayContaining(['Grader version', 'Isolation', 'Content hash (SHA-256)']));
  });
});

describe('submissionView: load failure', () => {
  test('carries the reason and message once; tests carry no repeated message', () => {
    const view = submissionView(loadFailedResult(), 'student');
    expect(view.load).toEqual({ failed: true, reason: 'syntax', reasonText: 'the code has a syntax error', message: "losses.ts:30:39 - syntax error: ')' expected." });
    expect(allTests(view).every((t) => t.message === undefined)).toBe(true);
    expect(view.toFix).toEqual([]);
    expect(view.score.percent).toBe(0);
  });
});

describe('small pure helpers', () => {
  test('messageWithoutHint drops only a trailing hint equal to the diagnosis', () => {
    expect(messageWithoutHint('a\nHint: fix it', 'fix it')).toBe('a');
    expect(messageWithoutHint('a\nHint: other', 'fix it')).toBe('a\nHint: other');
  });
  test('diagnosisKey replaces numbers', () => {
    expect(diagnosisKey(PUBLIC_DIAGNOSIS)).toBe(diagnosisKey(HIDDEN_DIAGNOSIS));
    expect(diagnosisKey('exp(1000) overflows')).toBe('exp(#) overflows');
  });
  test('fixGroups puts tests without a diagnosis last', () => {
    const view = submissionView(sampleResult(), 'instructor');
    const groups = fixGroups(allTests(view), sampleResult().tests);
    expect(groups[groups.length - 1].count).toBe(1);
  });
  test('formatNumber', () => {
    expect(formatNumber(-0.59898400073)).toBe('-0.598984');
    expect(formatNumber(1e-8)).toBe('1e-8');
    expect(formatNumber(12345678.9)).toBe('1.235e7');
    expect(formatNumber(3)).toBe('3');
    expect(formatNumber(null)).toBe('non-finite');
    expect(formatNumber(Number.NaN)).toBe('NaN');
    expect(formatNumber(-Infinity)).toBe('−∞');
  });
  test('formatValue cuts long vectors and matrices', () => {
    expect(formatValue([1, 2, 3])).toBe('[1, 2, 3]');
    expect(formatValue(Array.from({ length: 41 }, (_, i) => i))).toBe('[0, 1, 2, 3, 4, …, 38, 39, 40] (41 numbers)');
    const matrix = Array.from({ length: 23 }, () => [1, 2, 3, 4, 5, 6, 7, 8]);
    expect(formatValue(matrix)).toBe('[[1, 2, 3, …, 8], [1, 2, 3, …, 8], …, [1, 2, 3, …, 8]] (23×8)');
    expect(formatValue('x'.repeat(500)).length).toBeLessThanOrEqual(240);
    expect(formatValue({ loss: 'bce', lr: 0.3, w0: [0.18811376974917948, 0.5] })).toBe('{ loss: "bce", lr: 0.3, w0: [0.1881138, 0.5] }');
  });
  test('formatTimestamp', () => {
    expect(formatTimestamp('2026-11-25T14:00:31.123Z')).toBe('2026-11-25 14:00 UTC');
    expect(formatTimestamp('yesterday')).toBe('yesterday');
  });
  test('withinTolerance follows allclose and relative-error semantics', () => {
    expect(withinTolerance(1, 1 + 1e-6, { rtol: 1e-5, atol: 0 })).toBe(true);
    expect(withinTolerance(1, 1.1, { rtol: 1e-5, atol: 1e-8 })).toBe(false);
    expect(withinTolerance(2, 2.00001, { maxRelError: 1e-5 })).toBe(true);
    expect(withinTolerance(1, null, { rtol: 1e-5 })).toBe(false);
    expect(withinTolerance(1, 2, undefined)).toBeUndefined();
  });
});

describe('elementTable', () => {
  const long = Array.from({ length: 41 }, (_, i) => i / 10);
  test('a long vector shows the worst element and two neighbours either side, with aligned inputs', () => {
    const table = elementTable({ call: 'f(x)', inputs: { x: long, lr: 0.1 }, expected: long, got: long.map((v, i) => (i === 30 ? 99 : v)), worstIndex: 30, tolerance: { rtol: 1e-5, atol: 1e-8 } })!;
    expect(table.rows.map((r) => r.index)).toEqual(['28', '29', '30', '31', '32']);
    expect(table.inputNames).toEqual(['x']);
    expect(table.rows[2]).toMatchObject({ worst: true, got: '99', ok: false, difference: '96' });
    expect(table.rows[0].ok).toBe(true);
    expect(table.note).toBe('elements 28 to 32 of 41, around the worst one (30).');
  });
  test('the window stays inside the array at its ends', () => {
    const table = elementTable({ call: 'f(x)', expected: long, got: long, worstIndex: 40 })!;
    expect(table.rows.map((r) => r.index)).toEqual(['36', '37', '38', '39', '40']);
  });
  test('a matrix is walked row-major with [row,col] labels', () => {
    const expected = [
      [1, 2, 3],
      [4, 5, 6],
      [7, 8, 9],
      [10, 11, 12],
    ];
    const table = elementTable({ call: 'g(z)', expected, got: expected, worstIndex: [2, 1] })!;
    expect(table.rows.map((r) => r.index)).toEqual(['[1,2]', '[2,0]', '[2,1]', '[2,2]', '[3,0]']);
    expect(table.rows[2].worst).toBe(true);
  });
  test('a scalar result is one row; inputs are not aligned', () => {
    const table = elementTable({ call: 'mse(a, b)', inputs: { a: [1, 2], b: [1, 3] }, expected: 0.5, got: 1, tolerance: { rtol: 1e-5, atol: 1e-5 } })!;
    expect(table.scalar).toBe(true);
    expect(table.inputNames).toEqual([]);
    expect(table.rows).toEqual([{ index: 'value', inputs: [], expected: '0.5', got: '1', difference: '0.5', ok: false, worst: false }]);
  });
  test('without expected values the first non-finite element is the focus', () => {
    const table = elementTable({ call: 's(z)', got: [0.5, null, null] })!;
    expect(table.focusLabel).toBe('first non-finite');
    expect(table.rows.find((r) => r.worst)?.index).toBe('1');
  });
});

describe('charts', () => {
  test('niceTicks', () => {
    expect(niceTicks(0, 0.93, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0, 59, 6)).toEqual([0, 10, 20, 30, 40, 50, 60]);
  });
  test('histogram bins: ten bins of 10 points, a full score in the last', () => {
    expect(histogramCounts([0, 9.99, 10, 55, 89.9, 90, 100])).toEqual([2, 1, 0, 0, 0, 1, 0, 0, 1, 2]);
    const h = histogram([0, 100, 100]);
    expect(h.bins.map((b) => b.label)).toEqual(['0–9', '10–19', '20–29', '30–39', '40–49', '50–59', '60–69', '70–79', '80–89', '90–100']);
    expect(h.bins[9].height).toBeGreaterThan(h.bins[0].height);
    expect(h.bins[1].height).toBe(0);
    expect(h.description).toBe('Score distribution of 3 submissions: 1 scored 0–9 %, 2 scored 90–100 %.');
  });
  test('linePlot: one path per curve, breaks at non-finite values, cuts a blown-up axis', () => {
    const plot = linePlot([
      { label: 'student', values: [1, 0.5, 1e6, Number.NaN, 2] },
      { label: 'reference', values: [1, 0.5, 0.25, 0.12, 0.06] },
    ]);
    expect(plot.series).toHaveLength(2);
    expect(plot.series[0].path.match(/M/g)).toHaveLength(2); // the NaN breaks the line
    expect(plot.series[0].note).toContain('non-finite from step 3');
    expect(plot.series[0].note).toContain('1 value above 2 drawn at the top edge');
    expect(plot.clipNote).toContain('cut at 2:');
    // The cut is a round number: twice a start of 0.514 is cut at 1.25, not at 1.028.
    expect(linePlot([{ label: 'a', values: [0.514, 20] }, { label: 'b', values: [0.514, 0.2] }]).clipNote).toContain('cut at 1.25:');
    const ys = plot.series[0].path.match(/[ML][\d.]+ ([\d.]+)/g)!.map((p) => Number(p.split(' ')[1]));
    expect(Math.min(...ys)).toBeGreaterThanOrEqual(plot.frame.top);
    expect(plot.series[1].path.startsWith(`M${plot.frame.left} `)).toBe(true);
    expect(plot.yTicks[0].label).toBe('0');
  });
  test('linePlot thins very long curves', () => {
    const plot = linePlot([{ label: 'long', values: Array.from({ length: 5000 }, (_, i) => 1 / (i + 1)) }]);
    expect(plot.series[0].path.split('L').length).toBeLessThanOrEqual(402);
  });
});

describe('dashboard aggregation', () => {
  const results = [sampleResult({ submission: 'alice' }), loadFailedResult('bob'), perfectResult('carol'), sampleResult({ submission: 'dave' })];
  const run = { assignment: { id: 'losses', title: 'Losses' }, startedAt: new Date('2026-11-25T14:00:00Z') };

  test('pass rates count only submissions that loaded, hardest first', () => {
    const rates = passRates(results);
    expect(rates.every((r) => r.total === 3)).toBe(true);
    expect(rates[0]).toMatchObject({ id: 'mseGrad.gradient.reference', passed: 1, total: 3, percent: 33.3 });
    expect(rates.find((r) => r.id === 'mse.interface')).toMatchObject({ passed: 3, percent: 100 });
  });

  test('top diagnoses group identical strings, count submissions and name the tests', () => {
    const groups = topDiagnoses(results);
    expect(groups[0]).toMatchObject({ submissions: 2, occurrences: 4, tests: ['mseGrad.gradient.reference', 'mseGrad.gradient.seeded'], variants: 2, functions: [{ name: 'mseGrad', count: 4 }] });
    expect(groups[0].text).toBe(PUBLIC_DIAGNOSIS);
    expect(groups[1]).toMatchObject({ submissions: 2, occurrences: 2, tests: ['train.convergence.loss'], variants: 1 });
    expect(topDiagnoses(results, 1)).toHaveLength(1);
  });

  test('identical strings from different submissions are one group', () => {
    const a = sampleResult({ submission: 'a' });
    const groups = topDiagnoses([a, { ...a, submission: 'b' }, { ...a, submission: 'c' }]);
    expect(groups.find((g) => g.text === PUBLIC_DIAGNOSIS)?.submissions).toBe(3);
  });

  test('the view: stats, histogram, rows sorted by id with relative links', () => {
    const view = dashboardView(results, run);
    expect(view.count).toBe(4);
    expect(view.loadFailures).toBe(1);
    expect(view.fullMarks).toBe(1);
    expect(view.histogram.bins.map((b) => b.count)).toEqual([1, 0, 0, 0, 2, 0, 0, 0, 0, 1]);
    expect(view.rows.map((r) => r.id)).toEqual(['alice', 'bob', 'carol', 'dave']);
    expect(view.rows[1]).toMatchObject({ loaded: false, instructorHref: submissionHref('bob', 'report.instructor.html'), studentHref: submissionHref('bob', 'report.html') });
    expect(view.rows[1].instructorHref).toMatch(/^submissions\/bob-[0-9a-f]{12}\/report\.instructor\.html$/);
    expect(view.categories.map((c) => c.category)).toEqual(['interface', 'accuracy', 'gradient', 'convergence']);
    expect(view.rows[0].categories.map((c) => c.text)).toEqual(['1/1', '4/4', '0/5', '1/4']);
    expect(view.mean).toBe('46.4%'); // (6/14 + 0 + 1 + 6/14) / 4
  });

  test("a submission that did not load shows why, escaped", () => {
    const view = dashboardView(results, run);
    expect(view.rows[1].loadReason).toEqual({ text: 'the code has a syntax error', message: "losses.ts:30:39 - syntax error: ')' expected." });
    expect(view.rows[0].loadReason).toBeUndefined();
    const hostile = { ...loadFailedResult('eve'), load: { status: 'failed' as const, reason: 'no-entry' as const, message: '\nno losses.ts in <script>alert(1)</script>\nsecond line' } };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlgrade-html-'));
    const html = fs.readFileSync(writeDashboard(dir, [hostile], run), 'utf8');
    expect(html).toContain('failed: no-entry</span><span class="about">no entry file was found: <code>no losses.ts in &lt;script&gt;alert(1)&lt;/script&gt;</code>');
    expect(html).not.toContain('<script>alert(1)');
    expect(html).not.toContain('second line');
  });

  test('links point at the folders result.json and the reports are written to', () => {
    const view = dashboardView([sampleResult({ submission: 'Smith, Jo (late)' })], run);
    const folder = path.basename(submissionDir('/out', 'Smith, Jo (late)'));
    expect(folder).toMatch(/^Smith_Jo_late_-[0-9a-f]{12}$/);
    expect(view.rows[0].instructorHref).toBe(`submissions/${folder}/report.instructor.html`);
  });
});

describe('rendered pages', () => {
  test('student HTML is self-contained, escapes student text, and holds no secret', () => {
    const html = renderSubmissionReport(sampleResult({ submission: '<img src=x onerror=alert(1)>' }), 'student');
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none';[^"]*script-src 'none'/);
    expect(html).toContain('<meta name="viewport"');
    expect(html).not.toMatch(/<(?:link|img|iframe|object|embed)\b/i);
    expect(html).not.toMatch(/\b(?:src|href)="(?:https?:)?\/\//i);
    expect(html).toContain('&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;');
    for (const secret of ['123.456789', '123.4568', '98.76543', '55.55512', SECRET.output, 'hidden-message-marker', 'hidden-call-marker', SECRET.curveLabel, 'mseGrad.gradient.seeded']) {
      expect(html).not.toContain(secret);
    }
    expect(html).toContain(HIDDEN_DIAGNOSIS.replace(/=/g, '&#x3D;'));
    expect(html).toContain('<svg class="chart"');
  });

  test('instructor HTML has the secrets and the output, escaped', () => {
    const html = renderSubmissionReport(sampleResult(), 'instructor');
    expect(html).toContain('hidden-message-marker');
    expect(html).toContain('123.4568');
    expect(html).toContain('captured-output-marker');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).toContain('truncated');
  });

  test('a self-check page (check --report) says it is not a grade and that hidden tests did not run', () => {
    const publicOnly = sampleResult({ scope: 'public' });
    publicOnly.tests = publicOnly.tests.filter((t) => t.visibility === 'public');
    const text = (html: string) => html.replace(/<style>[\s\S]*?<\/style>/, '').replace(/<[^>]+>/g, '').replace(/\s+/g, ' ');
    const page = text(renderSubmissionReport(publicOnly, 'student'));
    expect(page).toContain('Self-check on the public tests — not your grade.');
    expect(page).toContain('The hidden tests your instructor runs when grading were not run');
    expect(page).toMatch(/\/ \d+ public-test points/);
    expect(page).toContain('(self-check: public tests only)'); // the page title
    expect(page).toContain('Self-check (public tests only, hidden tests not run) by mlgrade');
    expect(page).not.toMatch(/Graded by|feedback report/);
    const graded = text(renderSubmissionReport(sampleResult(), 'student'));
    expect(graded).not.toMatch(/self-check|public-test points/i);
    expect(graded).toContain('Graded by mlgrade');
  });

  test("the dashboard's only script is allowed by its hash", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlgrade-html-'));
    const file = writeDashboard(dir, [sampleResult(), perfectResult()], { assignment: { id: 'losses', title: 'Losses' }, startedAt: new Date() });
    const html = fs.readFileSync(file, 'utf8');
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
    expect(scripts).toHaveLength(1);
    expect(html).toContain(`script-src ${scriptHash(scripts[0])}`);
  });
});

describe('htmlReporter', () => {
  test('writes both views per submission and a dashboard that also lists results already in the folder', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'mlgrade-html-'));
    const run: RunInfo = { assignment: { id: 'losses', title: 'Losses' }, outDir: out, scope: 'all', startedAt: new Date() };
    // An earlier run left erin's result (and no HTML); a folder of another assignment is ignored.
    fs.mkdirSync(submissionDir(out, 'erin'), { recursive: true });
    fs.writeFileSync(submissionFile(out, 'erin', 'result.json'), JSON.stringify(perfectResult('erin')));
    fs.mkdirSync(submissionDir(out, 'other'), { recursive: true });
    fs.writeFileSync(submissionFile(out, 'other', 'result.json'), JSON.stringify({ ...perfectResult('other'), assignment: 'training' }));
    const results = [sampleResult(), loadFailedResult()];
    for (const r of results) await htmlReporter.onResult!(r, run);
    expect(fs.readdirSync(submissionDir(out, 'alice')).sort()).toEqual(['report.html', 'report.instructor.html']);
    await htmlReporter.onRunComplete!(results, run);
    const index = fs.readFileSync(path.join(out, 'index.html'), 'utf8');
    for (const id of ['alice', 'bob', 'erin']) expect(index).toContain(`href="${submissionHref(id, 'report.instructor.html')}"`);
    expect(index).not.toContain(submissionHref('other', 'report.instructor.html'));
    expect(fs.readdirSync(out).filter((f) => f.endsWith('.tmp') || f.startsWith('.'))).toEqual([]);
  });
});
