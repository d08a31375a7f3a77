/**
 * The reporters a `grade` run writes with, by name.
 */
import { writeResultJson } from './json';
import type { Reporter } from './reporter';

export type { Reporter, RunInfo } from './reporter';

/** result.json per submission (always on). */
export const resultJsonReporter: Reporter = {
  onResult: (result, run) => {
    writeResultJson(run.outDir, result);
  },
};

/** Options that switch reporters on or off. */
export interface ReporterOptions {
  /** Extra reporters (e.g. HTML, CSV) are added here as they are written. */
  [flag: string]: unknown;
}

/** The reporters of a grade run, in the order they run. */
export function createReporters(_options: ReporterOptions = {}): Reporter[] {
  return [resultJsonReporter];
}
