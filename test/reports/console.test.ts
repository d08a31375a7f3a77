/**
 * Terminal output: coloured on a TTY, plain otherwise; the self-check report lists failures with
 * their messages and never mentions hidden tests.
 */
import { formatCheckReport, formatGradeLine, formatGradeSummary, palette } from '../../reports/console';
import type { SubmissionResult, TestResult } from '../../src/types';
import { idColumnWidth } from '../../src/cli/progress';

const test1 = (overrides: Partial<TestResult>): TestResult => ({ id: 'mse.accuracy.hand', name: 'is the mean of squared errors', function: 'mse', category: 'accuracy', points: 2, visibility: 'public', status: 'passed', score: 2, maxScore: 2, message: '', ...overrides });
const result: SubmissionResult = {
  submission: 'alice', assignment: 'losses', score: 2, maxScore: 5, scope: 'public', graderVersion: 'x', gradedAt: '', durationMs: 1,
  load: { status: 'loaded', entry: 'losses.ts', exports: ['mse', 'mseGrad'] },
  tests: [test1({}), test1({ id: 'mseGrad.gradient.reference', function: 'mseGrad', category: 'gradient', status: 'failed', score: 0, maxScore: 3, points: 3, name: 'equals (2/N)(yPred − yTrue)', message: 'mseGrad(yTrue, yPred) is not close enough\nHint: ×N' })],
};

test('colour only on a TTY, and never with NO_COLOR', () => {
  expect(palette({ isTTY: true }, {}).red('x')).toBe('\u001b[31mx\u001b[39m');
  expect(palette({ isTTY: false }, {}).red('x')).toBe('x');
  expect(palette({ isTTY: true }, { NO_COLOR: '1' }).red('x')).toBe('x');
  expect(formatGradeLine(result, palette({ isTTY: false }, {}))).not.toMatch(/\u001b\[/);
});

test("a run's lines line up on its longest id", () => {
  const p = palette({ isTTY: false }, {});
  const ids = ['mse-without-sigmoid-slope-notebook', 'correct'];
  const width = idColumnWidth(ids);
  const lines = ids.map((submission) => formatGradeLine({ ...result, submission }, p, width));
  expect(new Set(lines.map((line) => line.indexOf('2/5')))).toEqual(new Set([lines[0].indexOf('2/5')]));
  expect(idColumnWidth(['a'])).toBe(32);
  expect(idColumnWidth(['x'.repeat(500)])).toBe(60);
});

test('the self-check report shows each failure with its message and the public total', () => {
  const text = formatCheckReport(result, palette({}, {}));
  expect(text).toMatch(/✓ is the mean of squared errors \[accuracy\] 2\/2/);
  expect(text).toMatch(/✗ equals \(2\/N\)\(yPred − yTrue\) \[gradient\] 0\/3\n\s+mseGrad\(yTrue, yPred\) is not close enough\n\s+Hint: ×N/);
  expect(text).toMatch(/Public tests: 1 passed, 1 failed — score 2\/5 \(40%\)/);
});

describe('the closing line of a grade run', () => {
  const p = palette({}, {});
  const at = (submission: string, score: number, load: SubmissionResult['load'] = result.load): SubmissionResult => ({ ...result, submission, score, maxScore: 10, load });
  // A class of ten: eight kept from an earlier run (all 10/10), two regraded now (0/10 and 5/10).
  const kept = Array.from({ length: 8 }, (_, i) => at(`kept-${i}`, 10));
  const now = [at('regraded-a', 0, { status: 'failed', reason: 'syntax', message: 'x' }), at('regraded-b', 5)];

  test('after a resumed run: how many were graded now and kept, and the statistics of the whole class', () => {
    const text = formatGradeSummary([...kept, ...now], 'out', 3.21, p, { graded: 2, kept: 8 });
    expect(text).toBe('\n2 submissions graded in 3.2 s; 8 kept from earlier runs — class of 10: mean 85.0%, median 100.0%, 1 could not load\nResults in out');
  });

  test('a fresh run, and a run that kept everything', () => {
    expect(formatGradeSummary(now, 'out', 1, p)).toBe('\n2 submissions graded in 1.0 s — mean 25.0%, median 25.0%, 1 could not load\nResults in out');
    expect(formatGradeSummary(kept, 'out', 0.4, p, { graded: 0, kept: 8 })).toBe('\n0 submissions graded in 0.4 s; 8 kept from earlier runs — class of 8: mean 100.0%, median 100.0%\nResults in out');
    expect(formatGradeSummary([], 'out', 0, p, { graded: 0, kept: 0 })).toBe('\n0 submissions graded in 0.0 s\nResults in out');
  });
});
