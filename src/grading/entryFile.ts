/**
 * Which file of a submission is its entry file (`losses.ts`, `losses.js`, `losses.py`, …): one
 * rule shared by discovery, the zip and Canvas ingestion and staging (src/sandbox/stage.ts
 * `findEntry`), so that they never disagree about whether a submission has something to grade,
 * nor about which language it is in. Pure; no I/O.
 *
 * An assignment names its entry's base name and the languages it accepts (assignment.json
 * `entry` and `languages`); a bare base name means the default, TypeScript and JavaScript.
 */
import type { Language } from '../assignments/spec';

/** The languages an assignment accepts when it does not say: TypeScript and JavaScript. */
export const DEFAULT_LANGUAGES: readonly Language[] = ['typescript', 'javascript'];

/** TypeScript and JavaScript entry extensions in their order of preference (TypeScript first). */
const NODE_EXTENSIONS: readonly { extension: string; language: Language }[] = [
  { extension: '.ts', language: 'typescript' },
  { extension: '.js', language: 'javascript' },
  { extension: '.mts', language: 'typescript' },
  { extension: '.cts', language: 'typescript' },
  { extension: '.mjs', language: 'javascript' },
  { extension: '.cjs', language: 'javascript' },
];

/** Python entries: a module before a notebook. */
const PYTHON_EXTENSIONS = ['.py', '.ipynb'];

/** Entry file extensions of the default languages, in order of preference. Matched exactly (lower case). */
export const ENTRY_EXTENSIONS: readonly string[] = NODE_EXTENSIONS.map((e) => e.extension);

/** What an assignment's entry file is: its base name and the languages accepted, in order of preference. */
export interface EntryRule {
  /** The file name without extension, e.g. `losses`. */
  base: string;
  languages: readonly Language[];
}

/** A bare base name (the default languages) or a full rule. */
export type EntryName = string | EntryRule;

/** The entry rule of an assignment (its `entry` and `languages`). */
export function entryOf(assignment: { entry: string; languages?: readonly Language[] }): EntryRule {
  return { base: assignment.entry, languages: assignment.languages ?? DEFAULT_LANGUAGES };
}

/** `entry` as a rule (a bare base name accepts TypeScript and JavaScript). */
export function entryRule(entry: EntryName): EntryRule {
  return typeof entry === 'string' ? { base: entry, languages: DEFAULT_LANGUAGES } : entry;
}

/**
 * The entry extensions of `languages`, in order of preference: the languages' order, TypeScript
 * and JavaScript together in their historical order (`.ts`, `.js`, `.mts`, `.cts`, `.mjs`, `.cjs`)
 * where the first of them is listed, Python's module before its notebook.
 *
 * @example
 * entryExtensions(['typescript', 'javascript', 'python']) // returns ['.ts', '.js', '.mts', '.cts', '.mjs', '.cjs', '.py', '.ipynb']
 * entryExtensions(['python', 'javascript'])               // returns ['.py', '.ipynb', '.js', '.mjs', '.cjs']
 */
export function entryExtensions(languages: readonly Language[]): string[] {
  const out: string[] = [];
  let node = false;
  for (const language of languages) {
    if (language === 'python') out.push(...PYTHON_EXTENSIONS);
    else if (!node) {
      node = true;
      out.push(...NODE_EXTENSIONS.filter((e) => languages.includes(e.language)).map((e) => e.extension));
    }
  }
  return out;
}

/**
 * The language of an entry file, told by its extension (undefined for anything else).
 *
 * @example
 * languageOfEntry('losses.ipynb') // returns 'python'
 * languageOfEntry('losses.mjs')   // returns 'javascript'
 */
export function languageOfEntry(fileName: string): Language | undefined {
  const lower = fileName.toLowerCase();
  if (PYTHON_EXTENSIONS.some((extension) => lower.endsWith(extension))) return 'python';
  return NODE_EXTENSIONS.find((e) => lower.endsWith(e.extension))?.language;
}

/** The entry file found among a folder's file names. */
export interface EntryMatch {
  /** The file's name as it is in the folder, e.g. `Losses.ts`. */
  name: string;
  /** The name the assignment asks for with the same extension, e.g. `losses.ts`. */
  expected: string;
  /** False when only the letter case of the base name differs (`Losses.ts` for `losses.ts`). */
  exact: boolean;
  language: Language;
  /** Entry files of other languages in the same folder, not graded (`losses.py` next to `losses.ts`). */
  passedOver: string[];
}

/** The entry files among `names` for one extension: the exact name, else names differing only in case (sorted). */
function candidates(all: readonly string[], base: string, extension: string): { name: string; exact: boolean }[] {
  const expected = base + extension;
  if (all.includes(expected)) return [{ name: expected, exact: true }];
  const lower = base.toLowerCase();
  return all
    .filter((name) => name.endsWith(extension) && name.slice(0, -extension.length).toLowerCase() === lower)
    .sort()
    .map((name) => ({ name, exact: false }));
}

/**
 * Picks the entry file among `names` (file names of one folder): an exact name first, in the
 * order of {@link entryExtensions}; else a name whose base differs only in letter case (a student
 * on macOS or Windows may never notice `Losses.ts`), same order, ties broken by name. When entry
 * files of several languages are there, the first language of the rule wins and the others are
 * listed in `passedOver` (so is a notebook passed over for `losses.py`). When Python is accepted and nothing else matches, the one notebook
 * of the folder (`hw1.ipynb`) is the entry: notebooks are usually named after the homework
 * (`loneNotebook: false` turns that off, for deciding whether a folder is a submission at all).
 *
 * @example
 * pickEntryFile(['losses.js', 'losses.ts'], 'losses') // returns { name: 'losses.ts', expected: 'losses.ts', exact: true, language: 'typescript', passedOver: [] }
 * pickEntryFile(['Losses.ts', 'notes.md'], 'losses')  // returns { name: 'Losses.ts', expected: 'losses.ts', exact: false, … }
 * pickEntryFile(['losses.TS'], 'losses')              // returns undefined (the extension decides how it is compiled)
 * pickEntryFile(['losses.py'], { base: 'losses', languages: ['typescript', 'python'] }) // returns { name: 'losses.py', language: 'python', … }
 */
export function pickEntryFile(names: Iterable<string>, entry: EntryName, options: { loneNotebook?: boolean } = {}): EntryMatch | undefined {
  const rule = entryRule(entry);
  const all = [...names];
  const extensions = entryExtensions(rule.languages);
  let found: { name: string; expected: string; exact: boolean; language: Language } | undefined;
  for (const exact of [true, false]) {
    for (const extension of extensions) {
      const hit = candidates(all, rule.base, extension).find((c) => c.exact === exact);
      if (hit) {
        found = { name: hit.name, expected: rule.base + extension, exact, language: languageOfEntry(extension)! };
        break;
      }
    }
    if (found) break;
  }
  // A notebook is often named after the homework, not the entry (`hw1.ipynb`): the only one there is taken.
  if (!found && options.loneNotebook !== false && rule.languages.includes('python')) {
    const notebooks = all.filter((name) => name.toLowerCase().endsWith('.ipynb') && !name.startsWith('.'));
    if (notebooks.length === 1) found = { name: notebooks[0], expected: `${rule.base}.ipynb`, exact: false, language: 'python' };
  }
  if (!found) return undefined;
  const chosen = found;
  // TypeScript next to its compiled JavaScript is routine; Python next to either, or a module next to a
  // notebook, means the student may have worked in the file that was not graded.
  const isNotebook = (name: string) => name.toLowerCase().endsWith('.ipynb');
  const otherWork = (extension: string) =>
    chosen.language === 'python' || languageOfEntry(extension) === 'python'
      ? languageOfEntry(extension) !== chosen.language || isNotebook(extension) !== isNotebook(chosen.name)
      : false;
  const passedOver = extensions
    .filter(otherWork)
    .flatMap((extension) => candidates(all, rule.base, extension).map((c) => c.name))
    .filter((name) => name !== chosen.name);
  return { ...chosen, passedOver };
}

/**
 * True when `name` would be picked as an entry file (exactly or up to letter case), by its name
 * alone: a notebook named after the homework counts only where it is a folder's one notebook
 * (see {@link pickEntryFile}).
 *
 * @example
 * isEntryFileName('LOSSES.js', 'losses') // returns true
 * isEntryFileName('losses.py', 'losses') // returns false (Python is not accepted by default)
 */
export function isEntryFileName(name: string, entry: EntryName): boolean {
  return pickEntryFile([name], entry, { loneNotebook: false }) !== undefined;
}

/**
 * The note shown to a student whose entry file differs in case, or undefined for an exact match.
 *
 * @example
 * entryCaseNote({ name: 'Losses.ts', expected: 'losses.ts', exact: false, … }) // returns 'Losses.ts used as losses.ts'
 */
export function entryCaseNote(match: Pick<EntryMatch, 'name' | 'expected' | 'exact'>): string | undefined {
  return match.exact ? undefined : `${match.name} used as ${match.expected}`;
}

/**
 * The note shown when entry files of several languages were submitted (the rule: the first
 * language of the assignment's `languages` whose entry file is there; a Python module before a
 * notebook), or undefined.
 *
 * @example
 * entryChoiceNote({ name: 'losses.ts', passedOver: ['losses.py'], … }, ['typescript', 'javascript', 'python'])
 * // returns 'losses.ts and losses.py were both submitted: losses.ts was graded (the assignment takes
 * //   typescript, javascript, python in that order); remove the file you did not mean'
 */
export function entryChoiceNote(match: Pick<EntryMatch, 'name' | 'passedOver'>, languages: readonly Language[] = DEFAULT_LANGUAGES): string | undefined {
  if (!match.passedOver.length) return undefined;
  const all = [match.name, ...match.passedOver];
  const listed = all.length === 2 ? `${all.join(' and ')} were both` : `${all.slice(0, -1).join(', ')} and ${all[all.length - 1]} were all`;
  const chosen = languageOfEntry(match.name);
  const rules = [
    ...(match.passedOver.some((name) => languageOfEntry(name) !== chosen) ? [`the assignment takes ${languages.join(', ')} in that order`] : []),
    ...(match.passedOver.some((name) => name.toLowerCase().endsWith('.ipynb')) && chosen === 'python' ? ['a Python module before a notebook'] : []),
  ];
  return `${listed} submitted: ${match.name} was graded (${rules.join('; ')}); remove the file you did not mean`;
}

/** Every note about the choice of `match` (its case, other languages' entry files). */
export function entryNotes(match: EntryMatch, entry: EntryName): string[] {
  return [entryCaseNote(match), entryChoiceNote(match, entryRule(entry).languages)].filter((note): note is string => note !== undefined);
}

/**
 * The entry file names an assignment accepts, in words for a message.
 *
 * @example
 * entryFileWords('losses') // returns 'losses.ts (or losses.js)'
 * entryFileWords({ base: 'losses', languages: ['typescript', 'javascript', 'python'] }) // returns 'losses.ts, losses.js or losses.py (or losses.ipynb)'
 */
export function entryFileWords(entry: EntryName): string {
  const { base, languages } = entryRule(entry);
  const primary = languages.map((language) => `${base}${PRIMARY_EXTENSION[language]}`);
  if (!languages.includes('python') && primary.length === 2) return `${primary[0]} (or ${primary[1]})`;
  const head = primary.length === 1 ? primary[0] : `${primary.slice(0, -1).join(', ')} or ${primary[primary.length - 1]}`;
  return languages.includes('python') ? `${head} (or ${base}.ipynb)` : head;
}

const PRIMARY_EXTENSION: Readonly<Record<Language, string>> = { typescript: '.ts', javascript: '.js', python: '.py' };

/**
 * The entry file names an assignment accepts as one list, for "No … in the submission".
 *
 * @example
 * entryFileList('losses') // returns 'losses.ts or losses.js'
 * entryFileList({ base: 'losses', languages: ['typescript', 'javascript', 'python'] }) // returns 'losses.ts, losses.js, losses.py or losses.ipynb'
 */
export function entryFileList(entry: EntryName): string {
  const { base, languages } = entryRule(entry);
  const names = languages.map((language) => `${base}${PRIMARY_EXTENSION[language]}`);
  if (languages.includes('python')) names.push(`${base}.ipynb`);
  return names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

/**
 * The entry file names as a compact pattern: `losses.ts|js`, `losses.ts|js|py|ipynb`.
 *
 * @example
 * entryPattern('losses') // returns 'losses.ts|js'
 */
export function entryPattern(entry: EntryName): string {
  const rule = entryRule(entry);
  const short: string[] = [];
  let node = false;
  for (const language of rule.languages) {
    if (language === 'python') short.push('py', 'ipynb');
    else if (!node) {
      node = true;
      if (rule.languages.includes('typescript')) short.push('ts');
      if (rule.languages.includes('javascript')) short.push('js');
    }
  }
  return `${rule.base}.${short.join('|')}`;
}
