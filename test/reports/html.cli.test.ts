/**
 * The HTML reports through the real CLI on real example submissions: `grade` writes both views
 * and the dashboard, and the student view of a real result carries none of its hidden tests'
 * seeds or input values.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createReporters } from '../../reports/index';
import { htmlReporter, reportPath } from '../../reports/html';
import { formatNumber } from '../../reports/html/values';
import { EXAMPLES, readResult, runCli, tempDir } from '../support/cli';
import { submissionHref } from '../../reports/layout';

const IDS = ['grad-missing-1-over-n', 'syntax-error'];
let out: string;

beforeAll(() => {
  const classDir = tempDir('mlgrade-html-class-');
  for (const id of IDS) fs.cpSync(path.join(EXAMPLES, id), path.join(classDir, id), { recursive: true });
  out = tempDir('mlgrade-html-out-');
  const run = runCli(['grade', 'losses', classDir, '--out', out]);
  expect(run.status).toBe(0);
});

test('grade writes report.html, report.instructor.html per submission and index.html', () => {
  for (const id of IDS) {
    expect(fs.existsSync(reportPath(out, id, 'student'))).toBe(true);
    expect(fs.existsSync(reportPath(out, id, 'instructor'))).toBe(true);
  }
  const index = fs.readFileSync(path.join(out, 'index.html'), 'utf8');
  for (const id of IDS) expect(index).toContain(`href="${submissionHref(id, 'report.instructor.html')}"`);
});

test("the student view of a real result has none of its hidden tests' seeds or inputs; the instructor view has them", () => {
  const id = 'grad-missing-1-over-n';
  const result = readResult(out, id);
  const student = fs.readFileSync(reportPath(out, id, 'student'), 'utf8');
  const instructor = fs.readFileSync(reportPath(out, id, 'instructor'), 'utf8');
  const hidden = result.tests.filter((t) => t.visibility === 'hidden' && t.status !== 'passed' && t.details?.comparison);
  expect(hidden.length).toBeGreaterThan(0);
  for (const test of hidden) {
    const seed = /\(seed \d+\)/.exec(test.details!.comparison!.call)![0];
    expect(student).not.toContain(seed);
    expect(instructor).toContain(seed);
    const first = Object.values(test.details!.comparison!.inputs ?? {})
      .flat(2)
      .find((v): v is number => typeof v === 'number' && !Number.isInteger(v));
    expect(student).not.toContain(formatNumber(first));
    expect(instructor).toContain(formatNumber(first));
  }
  // The hidden tests are still listed by name.
  expect(student).toContain('matches the reference on a larger seeded batch');
});

test('--no-html (html: false) leaves the HTML reporter out', () => {
  expect(createReporters({ html: false })).not.toContain(htmlReporter);
  expect(createReporters({})).toContain(htmlReporter);
});
