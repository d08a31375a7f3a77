/**
 * Which file of a submission is its entry file (`losses.ts`, `losses.js`, …): one rule shared by
 * discovery, the zip and Canvas ingestion and staging (src/sandbox/stage.ts `findEntry`), so that
 * they never disagree about whether a submission has something to grade. Pure; no I/O.
 */

/** Entry file extensions in order of preference (TypeScript first). Matched exactly (lower case). */
export const ENTRY_EXTENSIONS: readonly string[] = ['.ts', '.js', '.mts', '.cts', '.mjs', '.cjs'];

/** The entry file found among a folder's file names. */
export interface EntryMatch {
  /** The file's name as it is in the folder, e.g. `Losses.ts`. */
  name: string;
  /** The name the assignment asks for with the same extension, e.g. `losses.ts`. */
  expected: string;
  /** False when only the letter case of the base name differs (`Losses.ts` for `losses.ts`). */
  exact: boolean;
}

/**
 * Picks the entry file among `names` (file names of one folder): an exact name first, in the
 * order of {@link ENTRY_EXTENSIONS}; else a name whose base differs only in letter case (a student
 * on macOS or Windows may never notice `Losses.ts`), same order, ties broken by name.
 *
 * @example
 * pickEntryFile(['losses.js', 'losses.ts'], 'losses') // returns { name: 'losses.ts', expected: 'losses.ts', exact: true }
 * pickEntryFile(['Losses.ts', 'notes.md'], 'losses')  // returns { name: 'Losses.ts', expected: 'losses.ts', exact: false }
 * pickEntryFile(['losses.TS'], 'losses')              // returns undefined (the extension decides how it is compiled)
 */
export function pickEntryFile(names: Iterable<string>, entryBase: string): EntryMatch | undefined {
  const all = [...names];
  for (const extension of ENTRY_EXTENSIONS) {
    const expected = entryBase + extension;
    if (all.includes(expected)) return { name: expected, expected, exact: true };
  }
  const lower = entryBase.toLowerCase();
  for (const extension of ENTRY_EXTENSIONS) {
    const found = all.filter((name) => name.endsWith(extension) && name.slice(0, -extension.length).toLowerCase() === lower).sort();
    if (found.length) return { name: found[0], expected: entryBase + extension, exact: false };
  }
  return undefined;
}

/**
 * True when `name` would be picked as an entry file (exactly or up to letter case).
 *
 * @example
 * isEntryFileName('LOSSES.js', 'losses') // returns true
 * isEntryFileName('losses.py', 'losses') // returns false
 */
export function isEntryFileName(name: string, entryBase: string): boolean {
  return pickEntryFile([name], entryBase) !== undefined;
}

/**
 * The note shown to a student whose entry file differs in case, or undefined for an exact match.
 *
 * @example
 * entryCaseNote({ name: 'Losses.ts', expected: 'losses.ts', exact: false }) // returns 'Losses.ts used as losses.ts'
 */
export function entryCaseNote(match: EntryMatch): string | undefined {
  return match.exact ? undefined : `${match.name} used as ${match.expected}`;
}
