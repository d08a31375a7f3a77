/**
 * jest-circus, without its per-test messages to the parent process. In a worker, circus sends a
 * "test started" and a "test result" message to jest's main process for every test, for
 * reporters that stream test cases; mlgrade's reporter reads only whole files (results come
 * from the suites' own records), and those ~150 messages per submission were a measurable share
 * of a grader worker's time. Everything else is jest-circus as is.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const circus = (require('jest-circus/runner') as { default: (...args: unknown[]) => Promise<unknown> }).default;

/** jest's testRunner interface: (globalConfig, config, environment, runtime, testPath, sendMessageToJest). */
function quietCircus(globalConfig: unknown, config: unknown, environment: unknown, runtime: unknown, testPath: string): Promise<unknown> {
  return circus(globalConfig, config, environment, runtime, testPath, undefined);
}

export = quietCircus;
