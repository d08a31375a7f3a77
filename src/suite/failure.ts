/**
 * The error a check throws to fail: it carries the status and the teaching message, plus
 * structured details for reports. Anything else thrown by a check is a grader bug → `error`.
 */
import type { TestDetails } from '../types';

export type FailureStatus = 'failed' | 'error' | 'timeout';

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
