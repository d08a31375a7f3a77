/**
 * An author's mutant: the reference solution with one deliberate mistake, which the assignment's
 * suite must catch (`mlgrade validate` grades every mutant and fails when one scores full marks).
 * An assignment lists its mutants in `assignments/<id>/mutants.ts` (default export: an array);
 * `validate` adds automatic ones (×N, ×2, ½, negated, off by ε, NaN at extreme inputs…) for every
 * numeric function.
 */

/** The reference module's exports, by export name. */
export type ReferenceExports = Readonly<Record<string, (...args: never[]) => unknown>>;

/** One deliberate mistake: a name, a sentence, and how it changes the reference's exports. */
export interface Mutant {
  /** Short, stable name of letters, digits and dashes (`threshold-strict`), used as the mutant's submission id. */
  name: string;
  /** The mistake in one sentence, for the validation report. */
  description: string;
  /**
   * Returns the mutated exports: usually `{ ...reference, fn: (…) => … }`. Runs inside the
   * sandbox, bundled with the reference, so it may only use the reference and plain JavaScript.
   */
  mutate(reference: ReferenceExports): Record<string, unknown>;
}

/**
 * Declares an assignment's mutants (identity function, for type checking).
 *
 * @example
 * export default defineMutants([
 *   { name: 'threshold-strict', description: 'p > 0.5 instead of p ≥ 0.5',
 *     mutate: (R) => ({ ...R, classificationError: (y: number[], p: number[]) => … }) },
 * ]);
 */
export function defineMutants(mutants: Mutant[]): Mutant[] {
  return mutants;
}
