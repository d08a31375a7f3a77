/**
 * The one error type of `mlgrade classroom`: bad usage or input that stops the whole command (a
 * roster that is not a roster, a manifest that is not one, no token where one is needed). The
 * message is one line naming the problem and the fix; the command exits with code 2. Problems of
 * one student's repository never throw: they are recorded in the manifest and reported.
 */
export class ClassroomUsageError extends Error {
  override readonly name = 'ClassroomUsageError';
}
