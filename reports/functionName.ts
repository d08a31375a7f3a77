/**
 * The name a report shows for a function: the student's own — a Python submission's `mse_grad` —
 * rather than the export name tests are keyed by (`mseGrad`, the same for every language).
 */
import type { SubmissionResult } from '../src/types';

/**
 * @example functionName({ names: { mseGrad: 'mse_grad' } }, 'mseGrad') // returns 'mse_grad'
 * @example functionName({}, 'mseGrad') // returns 'mseGrad'
 */
export function functionName(result: Pick<SubmissionResult, 'names'>, exportName: string): string {
  return result.names?.[exportName] ?? exportName;
}
