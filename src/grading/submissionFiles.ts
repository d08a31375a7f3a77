/**
 * One submission's files, planned before anything is written (pure; no I/O): where its files
 * start (wrapper folders, a `src/` holding the entry), which of them fit its own limits (so one
 * student's 20,000 files cost nobody else anything), and — once written — whether it holds
 * something to grade, with a message that names only the student's own file names.
 */
import { entryFileWords, entryNotes, isEntryFileName, pickEntryFile, type EntryName } from './entryFile';
import type { SubmissionProblem } from './discover';

/** Limits of one submission (one student's folder), applied in every ingestion path. */
export interface SubmissionLimits {
  /** Files extracted per submission. */
  maxFiles: number;
  /** Bytes extracted per submission (counted while inflating). */
  maxBytes: number;
  /** Folders below the submission's top. */
  maxDepth: number;
}

/** Same as staging's limits (src/sandbox/stage.ts `STAGE_LIMITS`): nothing extracted is then dropped when staged. */
export const SUBMISSION_LIMITS: Readonly<SubmissionLimits> = { maxFiles: 200, maxBytes: 8 * 1024 * 1024, maxDepth: 8 };

/** Source files the stage compiles; extracted before other files when a submission is over its limits. */
const CODE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.cjs', '.mjs', '.jsx', '.py', '.ipynb'];

/** `a.ts, b.ts, c.ts and 4 more` */
export function listSome(names: string[], max = 3): string {
  return names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}

const startsWith = (segments: string[], prefix: string[]) => prefix.length <= segments.length && prefix.every((s, i) => segments[i] === s);
const folderOf = (segments: string[]) => segments.slice(0, -1);
const same = (a: string[], b: string[]) => a.length === b.length && startsWith(a, b);

/** Where a submission's files start, and the files left outside it. */
export interface SubmissionRoot {
  /** Segments to drop from every path (empty: the files start at the top). */
  root: string[];
  /** Wrapper folders stripped (a subset of `root`). */
  wrappers: string[];
  /** Paths outside `root` (not extracted). */
  outside: string[][];
}

/**
 * Finds where a submission's files start: wrapper folders are stripped (while every file sits in
 * one folder that does not itself hold the entry file); then, if the entry file is not at the top
 * but in exactly one sub-folder (`src/`), that folder is the root and the files outside it are
 * not extracted. With the entry in several sub-folders nothing is guessed.
 *
 * @example
 * findSubmissionRoot([['hw1', 'src', 'losses.ts'], ['hw1', 'README.md']], 'losses')
 * // returns { root: ['hw1', 'src'], wrappers: ['hw1'], outside: [['hw1', 'README.md']] }
 */
export function findSubmissionRoot(paths: string[][], entry: EntryName): SubmissionRoot {
  const entryFolders = paths.filter((p) => isEntryFileName(p[p.length - 1], entry)).map(folderOf);
  const holdsEntry = (folder: string[]) => entryFolders.some((e) => same(e, folder));
  let root: string[] = [];
  for (;;) {
    const under = paths.filter((p) => startsWith(p, root));
    if (under.some((p) => p.length === root.length + 1)) break;
    const children = new Set(under.map((p) => p[root.length]));
    if (children.size !== 1 || holdsEntry(root)) break;
    root = [...root, ...children];
  }
  const wrappers = root;
  if (!holdsEntry(root)) {
    const deeper = [...new Set(entryFolders.filter((e) => startsWith(e, root)).map((e) => JSON.stringify(e)))];
    if (deeper.length === 1) root = JSON.parse(deeper[0]) as string[];
  }
  return { root, wrappers, outside: paths.filter((p) => !startsWith(p, root)) };
}

/** A file that may be extracted into a submission. */
export interface Candidate {
  /** Path inside the submission folder. */
  target: string[];
  /** Uncompressed bytes as declared (the real count is enforced while inflating). */
  size: number;
}

/** Why a file is not extracted. */
export interface Refusal<C> {
  item: C;
  reason: string;
}

/**
 * Chooses the files of one submission that fit its limits. The entry file goes first, then other
 * source code, then everything else (shallow before deep, then by path), so a student over the
 * limits still gets the files that matter graded; each file left out says why.
 *
 * @example
 * selectWithinLimits(files, 'losses', { maxFiles: 200, maxBytes: 8 << 20, maxDepth: 8 })
 * // returns { kept: [losses.ts, activations.ts, …199 more], refused: [{ item: junk/x.txt, reason: 'over the limit of 200 files per submission' }, …] }
 */
export function selectWithinLimits<C extends Candidate>(files: C[], entry: EntryName, limits: SubmissionLimits): { kept: C[]; refused: Refusal<C>[] } {
  const rank = (c: C) => {
    const name = c.target[c.target.length - 1];
    if (c.target.length === 1 && isEntryFileName(name, entry)) return 0;
    return CODE_EXTENSIONS.some((e) => name.endsWith(e)) ? 1 : 2;
  };
  const key = (c: C) => c.target.join('/');
  const ordered = [...files].sort((a, b) => rank(a) - rank(b) || a.target.length - b.target.length || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  const kept: C[] = [];
  const refused: Refusal<C>[] = [];
  let bytes = 0;
  for (const item of ordered) {
    let reason: string | undefined;
    if (item.target.length - 1 > limits.maxDepth) reason = `more than ${limits.maxDepth} folders deep in the submission`;
    else if (kept.length >= limits.maxFiles) reason = `over the limit of ${limits.maxFiles} files per submission`;
    else if (bytes + item.size > limits.maxBytes) reason = `over the limit of ${limits.maxBytes} bytes per submission`;
    if (reason) {
      refused.push({ item, reason });
      continue;
    }
    kept.push(item);
    bytes += item.size;
  }
  return { kept, refused };
}

/** What is known about a submission once its files are in place, for {@link assessSubmission}. */
export interface SubmissionContents {
  /** Files in the submission folder, relative, `/`-separated. */
  files: string[];
  /** Files of the submission not extracted, named as the student knows them, with why. */
  notExtracted: { label: string; target?: string; reason: string }[];
  /** Archives the student uploaded that were not unpacked, with why. */
  unopened: { label: string; reason: string }[];
  /** Canvas text (`_text.html`) or URL (`_link.html`) entries. */
  textEntries: ('text' | 'link')[];
}

/**
 * Decides whether a submission holds something to grade: the notes its student should read
 * (e.g. `Losses.ts used as losses.ts`) and, when nothing can be graded, the problem that grading
 * records as a zero. Messages name only paths inside the submission.
 *
 * @example
 * assessSubmission({ files: ['canvas-text.html'], notExtracted: [], unopened: [], textEntries: ['text'] }, 'losses')
 * // returns { notes: [], problem: { reason: 'no-files',
 * //   message: 'Only text typed into Canvas was submitted, no file: upload losses.ts (or losses.js) as a file.' } }
 */
export function assessSubmission(contents: SubmissionContents, entry: EntryName): { notes: string[]; problem?: SubmissionProblem } {
  const top = contents.files.filter((f) => !f.includes('/'));
  const match = pickEntryFile(top, entry);
  if (match) return { notes: entryNotes(match, entry) };
  return { notes: [], problem: problemOf(contents, top, entry) };
}

/** Why a submission without an entry file at its top cannot be graded. */
function problemOf(contents: SubmissionContents, top: string[], entry: EntryName): SubmissionProblem {
  const fail = (reason: SubmissionProblem['reason'], message: string): SubmissionProblem => ({ reason, message });
  const wanted = entryFileWords(entry);
  const isTopEntry = (target: string | undefined) => target !== undefined && !target.includes('/') && isEntryFileName(target, entry);
  const entrySkipped = contents.notExtracted.find((s) => isTopEntry(s.target));
  if (entrySkipped) return fail('skipped-files', `${entrySkipped.label} was not extracted: ${entrySkipped.reason}.`);
  const unopened = contents.unopened.map((u) => `${u.label} could not be unpacked (${u.reason})`).join('; ');
  const others = contents.files.filter((f) => !/(^|\/)canvas-(text|link)\.html$/.test(f));
  if (others.length === 0) {
    if (unopened) return fail('unreadable-archive', `${unopened}, and nothing else was submitted: submit ${wanted}.`);
    if (contents.notExtracted.length) {
      const what = listSome(contents.notExtracted.map((s) => s.label));
      const why = listSome([...new Set(contents.notExtracted.map((s) => s.reason))], 2);
      return fail('skipped-files', `None of the submitted files could be extracted (${what}: ${why}).`);
    }
    if (contents.textEntries.includes('text')) return fail('no-files', `Only text typed into Canvas was submitted, no file: upload ${wanted} as a file.`);
    if (contents.textEntries.includes('link')) return fail('no-files', `Only a link (URL) was submitted, no file: upload ${wanted} as a file.`);
    return fail('no-files', `Nothing was submitted (no files): submit ${wanted}.`);
  }
  const folderOfPath = (f: string) => f.slice(0, f.lastIndexOf('/') + 1);
  const deeper = [...new Set(contents.files.filter((f) => f.includes('/') && isEntryFileName(f.slice(f.lastIndexOf('/') + 1), entry)).map(folderOfPath))].sort();
  if (deeper.length) {
    const where = deeper.length === 1 ? deeper[0] : `${listSome(deeper)} (more than one: mlgrade does not guess which to grade)`;
    return fail('no-entry', `${wanted} is not at the top of the submission but in ${where}.`);
  }
  const found = `found: ${listSome(top.length ? top : contents.files, 5)}`;
  if (unopened) return fail('unreadable-archive', `${unopened}, and no ${wanted} was submitted outside it (${found}).`);
  return fail('no-entry', `No ${wanted} in the submission (${found}).`);
}
