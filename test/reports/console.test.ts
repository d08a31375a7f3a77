/**
 * Terminal output: coloured on a TTY, plain otherwise; the self-check report lists failures with
 * their messages and never mentions hidden tests.
 */
import { formatCheckReport, formatGradeLine, palette } from '../../reports/console';
import type { SubmissionResult, TestResult } from '../../src/types';

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

test('the self-check report shows each failure with its message and the public total', () => {
  const text = formatCheckReport(result, palette({}, {}));
  expect(text).toMatch(/✓ is the mean of squared errors \[accuracy\] 2\/2/);
  expect(text).toMatch(/✗ equals \(2\/N\)\(yPred − yTrue\) \[gradient\] 0\/3\n\s+mseGrad\(yTrue, yPred\) is not close enough\n\s+Hint: ×N/);
  expect(text).toMatch(/Public tests: 1 passed, 1 failed — score 2\/5 \(40%\)/);
});
