/**
 * A jest reporter that hands each finished test file (= one submission) to the orchestrator in
 * the same process, so that results are written as soon as they are known. It prints nothing.
 */
import type { TestResult as JestFileResult } from '@jest/test-result';

export type FileDoneHook = (testFilePath: string, failure: string | undefined) => void;

const HOOK_KEY = '__mlgradeJestHook__';
type Holder = Record<string, FileDoneHook | undefined>;

/**
 * Registers the callback of the (single) run in progress in this process; jest loads the
 * reporter by path, so the two meet on a global. Returns the function that unregisters it.
 */
export function registerRun(hook: FileDoneHook): () => void {
  const holder = globalThis as unknown as Holder;
  if (holder[HOOK_KEY]) throw new Error('mlgrade: a grading run is already in progress in this process');
  holder[HOOK_KEY] = hook;
  return () => {
    holder[HOOK_KEY] = undefined;
  };
}

class MlgradeReporter {
  onTestResult(_test: unknown, result: JestFileResult): void {
    const failure = result.testExecError ? `${result.testExecError.message}`.slice(0, 2000) : undefined;
    (globalThis as unknown as Holder)[HOOK_KEY]?.(result.testFilePath, failure);
  }

  getLastError(): Error | undefined {
    return undefined;
  }
}

export default MlgradeReporter;
