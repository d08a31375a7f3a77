/**
 * A count and its noun: `plural(1, 'result')` is "1 result", `plural(3, 'result')` "3 results"
 * (nouns with a plain -s plural only).
 *
 * @example plural(0, 'submission') // returns '0 submissions'
 */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
