/**
 * Details a check attaches to its result whether it passes or fails — e.g. the loss curves of a
 * convergence test, which reports plot for passes too. A failing check carries its details on the
 * GradeFailure it throws; a passing check throws nothing, so it leaves them here instead, and
 * check() takes them when the test ends.
 *
 * One slot per suite process: jest runs the tests of a suite file one after another, so "the
 * current test" is well defined. Later calls merge into the slot (curves are appended).
 */
import type { TestDetails } from '../types';

let current: TestDetails | undefined;

/**
 * Attaches `details` to the result of the check that is running now (merged with anything
 * attached before in the same check: `curves` are appended, other keys replaced).
 *
 * @example
 * attach({ curves: [{ label: 'your history', values: got.history }, { label: 'reference', values: expected.history }] });
 * @see takeAttached
 */
export function attach(details: TestDetails): void {
  if (!current) {
    current = { ...details, ...(details.curves ? { curves: [...details.curves] } : {}) };
    return;
  }
  const curves = details.curves ? [...(current.curves ?? []), ...details.curves] : current.curves;
  current = { ...current, ...details, ...(curves ? { curves } : {}) };
}

/**
 * Returns what was attached since the last call and clears the slot (check() calls this when a
 * test starts, to drop leftovers, and when it ends, to record them).
 *
 * @example
 * attach({ diagnosis: 'x' });
 * takeAttached() // returns { diagnosis: 'x' }
 * takeAttached() // returns undefined
 */
export function takeAttached(): TestDetails | undefined {
  const taken = current;
  current = undefined;
  return taken;
}
