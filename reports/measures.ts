/**
 * Measures of results that several reporters share, so that the dashboard, summary.json, the
 * CLI and the CSV agree on them.
 */
import type { SubmissionResult } from '../src/types';

/**
 * Score percentage (0–100, unrounded) of a result; 0 when it has no points.
 *
 * @example scorePercent({ score: 61, maxScore: 100 }) // returns 61
 */
export function scorePercent(result: Pick<SubmissionResult, 'score' | 'maxScore'>): number {
  return result.maxScore > 0 ? (100 * result.score) / result.maxScore : 0;
}

/**
 * The grouping key of a diagnosis: its text with every number (sign included) replaced by "#"
 * and white space folded, so that "8.00× … N = 8" and "41.00× … N = 41" count as one mistake.
 *
 * @example diagnosisKey('exp(1000) overflows') // returns 'exp(#) overflows'
 */
export function diagnosisKey(text: string): string {
  return text.replace(/[-−]?\d+(?:\.\d+)?(?:e[-+]?\d+)?/gi, '#').replace(/\s+/g, ' ').trim();
}
