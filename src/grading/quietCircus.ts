/**
 * jest-circus, without its per-test messages to the parent process, without the per-test records
 * jest would keep until the run ends, and with the previous file's garbage collected first.
 *
 * In a worker, circus sends a "test started" and a "test result" message to jest's main process
 * for every test, for reporters that stream test cases; mlgrade's reporter reads only whole files
 * (results come from the suites' own records), and those ~150 messages per submission were a
 * measurable share of a grader worker's time. Likewise, jest's main process keeps every file's
 * result (names, titles and failure texts of every test) until the whole run ends: ~50 KB per
 * graded submission, which made the orchestrator's memory grow with the class. mlgrade reads
 * nothing of it (src/grading/jestReporter.ts reads the file's exec error only), so a file's result
 * is cut down to its counts before it leaves the worker. And a worker collects the previous file's
 * garbage before it runs the next (src/grading/collectGarbage.ts). Everything else is jest-circus
 * as is.
 */
import type { TestResult as JestFileResult } from '@jest/test-result';
import { collectGarbage } from './collectGarbage';
import { slimFileResult } from './slimFileResult';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const circus = (require('jest-circus/runner') as { default: (...args: unknown[]) => Promise<JestFileResult> }).default;

/** jest's testRunner interface: (globalConfig, config, environment, runtime, testPath, sendMessageToJest). */
async function quietCircus(globalConfig: unknown, config: unknown, environment: unknown, runtime: unknown, testPath: string): Promise<JestFileResult> {
  // The previous file's environment has been torn down: its whole context is garbage now.
  collectGarbage();
  return slimFileResult(await circus(globalConfig, config, environment, runtime, testPath, undefined));
}

export = quietCircus;
