/**
 * Gradescope's autograder format: `<out>/submissions/<folder>/gradescope/results.json` per submission, ready to be
 * copied to /autograder/results/results.json by a Gradescope `run_autograder` script.
 *
 * Students read this file's contents on Gradescope, so it follows the student view: a hidden test
 * is `after_published` (students see nothing of it until the instructor publishes grades) and even
 * then shows only its diagnosis (a sentence about the kind of mistake) or "Hidden test failed" —
 * never its message, inputs or expected values.
 */
import type { SubmissionResult, TestResult } from '../src/types';
import { functionName } from './functionName';
import { writeFileAtomic } from './atomic';
import { submissionFile } from './layout';
import type { Reporter } from './reporter';

/** One entry of `tests[]` (the subset of Gradescope's fields mlgrade writes). */
export interface GradescopeTest {
  name: string;
  number: string;
  score: number;
  max_score: number;
  status: 'passed' | 'failed';
  visibility: 'visible' | 'after_published';
  output: string;
  tags: string[];
}

/** The results.json document. */
export interface GradescopeResults {
  score: number;
  /** Seconds. */
  execution_time: number;
  output: string;
  visibility: 'visible';
  stdout_visibility: 'hidden';
  tests: GradescopeTest[];
}

/** What a student may read about a hidden test: its diagnosis or a generic line, nothing else. */
export function hiddenTestOutput(test: Pick<TestResult, 'status' | 'diagnosis'>): string {
  if (test.status === 'passed') return '';
  if (test.diagnosis) return test.diagnosis;
  return test.status === 'timeout' ? 'Hidden test timed out' : 'Hidden test failed';
}

function gradescopeTest(test: Readonly<TestResult>, result: Pick<SubmissionResult, 'names'>): GradescopeTest {
  const hidden = test.visibility === 'hidden';
  return {
    name: `${functionName(result, test.function)} › ${test.name}`,
    number: test.id,
    score: test.score,
    max_score: test.maxScore,
    status: test.status === 'passed' ? 'passed' : 'failed',
    visibility: hidden ? 'after_published' : 'visible',
    output: hidden ? hiddenTestOutput(test) : test.message,
    tags: [test.category],
  };
}

/** The top-level `output`: why nothing could be graded, or a one-line summary of the public tests. */
function overallOutput(result: Readonly<SubmissionResult>): string {
  if (result.load.status === 'failed') return `Your submission could not be loaded (${result.load.reason}), so nothing in it could be graded: ${result.load.message}`;
  const publicTests = result.tests.filter((t) => t.visibility === 'public');
  const passed = publicTests.filter((t) => t.status === 'passed').length;
  const hidden = result.tests.length - publicTests.length;
  return (
    `Public tests: ${passed} of ${publicTests.length} passed.` +
    (hidden ? ` ${hidden} hidden test${hidden === 1 ? '' : 's'} show their results once grades are published.` : '')
  );
}

/**
 * Converts a result to Gradescope's results.json (pure). Top-level `score` is the submission's score
 * (0 when it did not load), so Gradescope does not have to re-add the tests.
 *
 * @example toGradescopeResults(result).tests[0] // returns { name: 'sigmoid › exists and …', number: 'sigmoid.interface', score: 1, max_score: 1, status: 'passed', visibility: 'visible', output: '', tags: ['interface'] }
 */
export function toGradescopeResults(result: Readonly<SubmissionResult>): GradescopeResults {
  return {
    score: result.score,
    execution_time: Math.round(result.durationMs) / 1000,
    output: overallOutput(result),
    visibility: 'visible',
    stdout_visibility: 'hidden',
    tests: result.tests.map((test) => gradescopeTest(test, result)),
  };
}

/** Where the Gradescope file of a submission goes. */
export function gradescopePath(outDir: string, submission: string): string {
  return submissionFile(outDir, submission, 'gradescope', 'results.json');
}

/** Writes `<out>/submissions/<folder>/gradescope/results.json` as each submission is graded. */
export const gradescopeReporter: Reporter = {
  name: 'gradescope',
  onResult: (result, run) => {
    writeFileAtomic(gradescopePath(run.outDir, result.submission), JSON.stringify(toGradescopeResults(result), null, 2) + '\n');
  },
};
