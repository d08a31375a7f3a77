/**
 * mlgrade's public module names and the engine's files behind them. A course's references, suites
 * and mutants import `mlgrade/suite` and `mlgrade/reference`; grading (jest), `validate`'s bundles
 * and the declaration of a suite (listing its checks) all resolve them through this one table.
 */

/**
 * The file behind each public module name (`mlgrade`, `mlgrade/suite`, `mlgrade/reference`).
 *
 * @example publicModuleFiles()['mlgrade/suite'] // returns '…/dist/src/suite/index.js'
 */
export function publicModuleFiles(): Record<string, string> {
  return {
    mlgrade: require.resolve('./index'),
    'mlgrade/suite': require.resolve('./suite/index'),
    'mlgrade/reference': require.resolve('../reference/index'),
  };
}
