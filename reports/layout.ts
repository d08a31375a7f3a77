/**
 * Where a submission's files go in an output folder: the one function every reporter, the resume
 * lookup and `merge` use.
 *
 * ```text
 * <out>/grades.csv, summary.json, index.html, canvas-gradebook.csv   class files
 * <out>/submissions/<slug>-<hash>/result.json, report.html, …         one folder per submission
 * ```
 *
 * The folder name is a readable slug of the id (ASCII letters, digits, `.`, `_`, `-`; at most 48
 * characters) followed by the first 12 hex digits of the SHA-256 of the raw id. The slug is for
 * people; the hash makes the name depend on every character of the id, so ids that slug alike
 * (`a b`, `a_b`, `a/b`) or differ only in case (`Alice`, `alice`, on a case-insensitive disk) get
 * different folders. Submission folders live under `submissions/`, so a submission named
 * `index.html` or `grades.csv` cannot clobber a class file. The raw id stays in `result.json`:
 * a folder is turned back into its id by reading it (folders are listed by {@link submissionFolders}).
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Sub-folder of an output folder holding one folder per submission. */
export const SUBMISSIONS_DIR = 'submissions';

const SLUG_MAX = 48;
const HASH_HEX = 12;

/**
 * The folder name of a submission id (pure).
 *
 * @example submissionFolder('a b') // returns 'a_b-' followed by 12 hex digits; submissionFolder('a_b') differs
 */
export function submissionFolder(id: string): string {
  const slug = id
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._-]+/, '')
    .slice(0, SLUG_MAX)
    .replace(/[.]+$/, '');
  const hash = crypto.createHash('sha256').update(id, 'utf8').digest('hex').slice(0, HASH_HEX);
  return `${slug || '_'}-${hash}`;
}

/**
 * The folder of a submission in an output folder: `<outDir>/submissions/<slug>-<hash>`.
 *
 * @example submissionDir('/out', 'alice') // returns '/out/submissions/alice-<12 hex digits>'
 */
export function submissionDir(outDir: string, id: string): string {
  return path.join(outDir, SUBMISSIONS_DIR, submissionFolder(id));
}

/**
 * A file in a submission's folder, e.g. `submissionFile(out, id, 'gradescope', 'results.json')`.
 */
export function submissionFile(outDir: string, id: string, ...parts: string[]): string {
  return path.join(submissionDir(outDir, id), ...parts);
}

/**
 * A relative URL from a class file in `<outDir>` (the dashboard) to a file in a submission's
 * folder: `submissions/<folder>/<file>`.
 */
export function submissionHref(id: string, file: string): string {
  return `${SUBMISSIONS_DIR}/${encodeURIComponent(submissionFolder(id))}/${file.split('/').map(encodeURIComponent).join('/')}`;
}

/**
 * The submission folders present in an output folder (absolute paths, sorted by name); none when
 * `<outDir>/submissions` does not exist. Whether each holds a result.json is for the caller to check.
 */
export function submissionFolders(outDir: string): string[] {
  const root = path.join(outDir, SUBMISSIONS_DIR);
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(root, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((name) => path.join(root, name));
}
