/**
 * The Canvas gradebook's assignment column is decided before grading: a title Canvas's import
 * would drop, or one that reads as a formula, stops the run in a second instead of leaving a
 * graded class without its gradebook file.
 */
import { canvasAssignmentColumn } from '../../reports/canvasGradebook';
import type { ResolvedAssignment } from '../assignments/spec';
import type { SubmissionRef } from './discover';

/** The Canvas assignment column asked for (or the assignment's title) cannot be imported; the message says what to give. */
export class CanvasColumnError extends Error {
  override readonly name = 'CanvasColumnError';
}

/** True when some submission came from a Canvas download with its student's user id (the gradebook's key). */
export function hasCanvasUsers(submissions: readonly SubmissionRef[]): boolean {
  return submissions.some((ref) => ref.canvas?.kind === 'user');
}

/**
 * Throws CanvasColumnError when the run will write a Canvas gradebook (`canvas` not false and a
 * submission carries a Canvas user id) whose assignment column would be refused.
 *
 * @example
 * checkCanvasColumn({ canvasAssignment: 'Final Score' }, assignment, canvasRefs) // throws CanvasColumnError
 */
export function checkCanvasColumn(
  options: { canvas?: boolean; canvasAssignment?: string },
  assignment: Pick<ResolvedAssignment, 'id' | 'title'>,
  submissions: readonly SubmissionRef[],
): void {
  if (options.canvas === false || !hasCanvasUsers(submissions)) return;
  const column = canvasAssignmentColumn(options.canvasAssignment, assignment.title || assignment.id);
  if (column.status === 'refused') throw new CanvasColumnError(`the Canvas gradebook could not be written: ${column.reason}`);
}
