/**
 * What jest's main process keeps of a graded test file (see quietCircus.ts).
 */
import type { TestResult as JestFileResult } from '@jest/test-result';

/**
 * A file's result as the orchestrator needs it: counts, timings and the exec error, with one
 * test's record left, without its failure text (jest refuses a file that reports no tests).
 *
 * @example slimFileResult(result).testResults.length // returns 1 (or 0 when the file ran none)
 */
export function slimFileResult(result: JestFileResult): JestFileResult {
  const [first] = result.testResults;
  return {
    ...result,
    failureMessage: null,
    testResults: first ? [{ ...first, failureMessages: [], failureDetails: [] }] : [],
  };
}
