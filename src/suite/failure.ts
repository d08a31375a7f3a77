/**
 * The error a check throws to fail: it carries the status and the teaching message, plus
 * structured details for reports. Anything else thrown by a check is a grader bug → `error`.
 */
import type { TestDetails } from '../types';

/** How a check that did not pass ended: a wrong answer (`failed`), code that threw or crashed (`error`), or a time limit (`timeout`). */
export type FailureStatus = 'failed' | 'error' | 'timeout';

/**
 * Thrown by a check to fail with a status, a teaching message and details for reports.
 *
 * @example
 * throw new GradeFailure('failed', 'mse([1], [2]) returned 2, expected 1', { diagnosis: 'a sum instead of a mean' });
 */
export class GradeFailure extends Error {
  override readonly name = 'GradeFailure';
  constructor(
    readonly status: FailureStatus,
    message: string,
    readonly details: TestDetails = {},
  ) {
    super(message);
  }
}

/** Fails the current check with `failed` (a wrong answer). */
export function fail(message: string, details?: TestDetails): never {
  throw new GradeFailure('failed', message, details);
}
