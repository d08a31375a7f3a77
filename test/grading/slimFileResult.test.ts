/**
 * What leaves a grader worker for each graded test file: counts and the exec error, not every
 * test's record (jest's main process would keep those until the run ends).
 */
import { createEmptyTestResult, type AssertionResult, type TestResult } from '@jest/test-result';
import { slimFileResult } from '../../src/grading/slimFileResult';

const assertion = (title: string, failed: boolean): AssertionResult => ({
  ancestorTitles: ['student-0001', 'mse'],
  fullName: `student-0001 mse ${title}`,
  title,
  status: failed ? 'failed' : 'passed',
  failureMessages: failed ? [`${title} failed: expected 1, got 2\n    at check (suite.js:1:1)`] : [],
  failureDetails: failed ? [{ message: 'expected 1, got 2' }] : [],
  numPassingAsserts: 0,
  duration: 3,
  location: null,
});

function fileResult(assertions: AssertionResult[]): TestResult {
  return {
    ...createEmptyTestResult(),
    testFilePath: '/tmp/entries/b00000.grade.js',
    numFailingTests: assertions.filter((a) => a.status === 'failed').length,
    numPassingTests: assertions.filter((a) => a.status === 'passed').length,
    failureMessage: assertions.flatMap((a) => a.failureMessages).join('\n'),
    testResults: assertions,
  };
}

test('keeps the counts, the path and one record without its failure text', () => {
  const full = fileResult([assertion('first', true), ...Array.from({ length: 55 }, (_, i) => assertion(`check ${i}`, i % 3 === 0))]);
  const slim = slimFileResult(full);
  expect(slim).toMatchObject({ testFilePath: full.testFilePath, numFailingTests: full.numFailingTests, numPassingTests: full.numPassingTests, failureMessage: null });
  expect(slim.testResults).toEqual([{ ...full.testResults[0], failureMessages: [], failureDetails: [] }]);
  // What is left is a small fraction of what jest would have kept.
  expect(JSON.stringify(slim).length * 10).toBeLessThan(JSON.stringify(full).length);
  // The original is not changed (jest's worker may still hold it).
  expect(full.testResults).toHaveLength(56);
});

test('keeps the exec error the orchestrator reads, and a file that ran no test stays without one', () => {
  const crashed = { ...fileResult([]), testExecError: { message: 'the suite module threw', stack: 'Error: the suite module threw' } };
  expect(slimFileResult(crashed)).toMatchObject({ testExecError: { message: 'the suite module threw' }, testResults: [] });
});
