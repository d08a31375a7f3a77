/**
 * Writes the files of one commit into a submission folder, read straight from git's object store
 * (`ls-tree`, `cat-file --batch`): no checkout, no `.git`, nothing of the repository but regular
 * files. The same rules as every other way submissions come in (src/grading/unzip.ts): names are
 * checked (no `..`, absolute paths, control characters or `:`), symbolic links and submodules are
 * not followed, dependency folders are left out, and one submission's files and bytes are capped
 * (the entry and source files first), each file left out named with the reason.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkEntryPath } from '../grading/unzip';
import { SUBMISSION_LIMITS, selectWithinLimits, type SubmissionLimits } from '../grading/submissionFiles';
import { runGit } from './git';

/** What was written. */
export interface ExportedCommit {
  files: number;
  bytes: number;
  /** One line per file or group of files not written, with the reason (paths are the student's own). */
  skipped: string[];
}

/** A failure to read the commit (the message is git's, one line). */
export class ExportError extends Error {
  override readonly name = 'ExportError';
}

interface TreeEntry {
  mode: string;
  type: string;
  oid: string;
  size: number;
  path: string;
}

/** Skipped-file lines kept per submission; the rest are counted. */
const MAX_SKIPPED_LINES = 50;
/** Folders that hold installed dependencies, never a student's work. */
const DEPENDENCY_FOLDERS = new Set(['node_modules']);

function parseTree(output: Buffer): TreeEntry[] {
  return output
    .toString('utf8')
    .split('\0')
    .filter(Boolean)
    .map((record) => {
      const tab = record.indexOf('\t');
      const [mode, type, oid, size] = record.slice(0, tab).trim().split(/\s+/);
      return { mode, type, oid, size: size === '-' ? 0 : Number(size), path: record.slice(tab + 1) };
    });
}

/** Splits `git cat-file --batch` output into the objects asked for, in order. */
function parseBatch(output: Buffer, count: number): Buffer[] {
  const blobs: Buffer[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    const end = output.indexOf(0x0a, at);
    if (end < 0) throw new ExportError('git cat-file ended early');
    const header = output.subarray(at, end).toString('utf8').split(' ');
    if (header[1] === 'missing' || header.length < 3) throw new ExportError(`object ${header[0]} is missing from the fetched commit`);
    const size = Number(header[2]);
    blobs.push(output.subarray(end + 1, end + 1 + size));
    at = end + 1 + size + 1;
  }
  return blobs;
}

/**
 * Writes the regular files of `commit` (in the bare repository `gitDir`) under `dest`, which must
 * not exist yet.
 *
 * @example
 * await exportCommit('work/repos/git/alice.git', '47c7f32…', 'work/repos/submissions/alice', env)
 * // returns { files: 3, bytes: 5120, skipped: ['link.ts: symbolic link: not fetched'] }
 */
export async function exportCommit(gitDir: string, commit: string, dest: string, env: NodeJS.ProcessEnv, limits: SubmissionLimits = SUBMISSION_LIMITS): Promise<ExportedCommit> {
  const tree = await runGit([`--git-dir=${gitDir}`, 'ls-tree', '-r', '-z', '--long', '--full-tree', commit], { env, maxStdoutBytes: 64 * 1024 * 1024 });
  if (tree.status === 'failed') throw new ExportError(tree.stderr.trim().split('\n').pop() ?? 'git ls-tree failed');
  const skipped: string[] = [];
  const dependencies = new Map<string, number>();
  const candidates: { target: string[]; size: number; entry: TreeEntry }[] = [];
  for (const entry of parseTree(tree.stdout)) {
    const checked = checkEntryPath(entry.path);
    if (checked.status === 'rejected') {
      skipped.push(`${JSON.stringify(entry.path)}: ${checked.reason}: not fetched`);
      continue;
    }
    const dependency = checked.segments.findIndex((s) => DEPENDENCY_FOLDERS.has(s) || s === '.git');
    if (dependency >= 0) {
      const folder = checked.segments.slice(0, dependency + 1).join('/');
      dependencies.set(folder, (dependencies.get(folder) ?? 0) + 1);
      continue;
    }
    if (entry.mode === '120000') skipped.push(`${entry.path}: symbolic link: not fetched`);
    else if (entry.mode === '160000') skipped.push(`${entry.path}: submodule: not fetched`);
    else if (entry.type !== 'blob' || (entry.mode !== '100644' && entry.mode !== '100755')) skipped.push(`${entry.path}: not a regular file: not fetched`);
    else candidates.push({ target: checked.segments, size: entry.size, entry });
  }
  for (const [folder, count] of dependencies) {
    skipped.push(`${folder}/ (${count} file${count === 1 ? '' : 's'}): installed dependencies are not part of a submission: not fetched`);
  }

  const { kept, refused } = selectWithinLimits(candidates, '', limits);
  for (const r of refused) skipped.push(`${r.item.target.join('/')}: ${r.reason}: not fetched`);

  fs.mkdirSync(dest, { recursive: false });
  let bytes = 0;
  if (kept.length) {
    const total = kept.reduce((sum, k) => sum + k.size, 0);
    const batch = await runGit([`--git-dir=${gitDir}`, 'cat-file', '--batch'], {
      env,
      input: kept.map((k) => k.entry.oid).join('\n') + '\n',
      maxStdoutBytes: total + kept.length * 128 + 1024,
    });
    if (batch.status === 'failed') throw new ExportError(batch.stderr.trim().split('\n').pop() ?? 'git cat-file failed');
    const blobs = parseBatch(batch.stdout, kept.length);
    const taken = new Set<string>();
    kept.forEach((k, i) => {
      // Two names differing only in letter case would overwrite each other on macOS or Windows.
      const folded = k.target.join('/').toLowerCase();
      if (taken.has(folded)) {
        skipped.push(`${k.target.join('/')}: same name as another file apart from letter case: not fetched`);
        return;
      }
      taken.add(folded);
      const file = path.join(dest, ...k.target);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, blobs[i], { flag: 'wx' });
      bytes += blobs[i].length;
    });
  }
  const files = kept.length - skipped.filter((s) => s.includes('apart from letter case')).length;
  const lines = skipped.length > MAX_SKIPPED_LINES ? [...skipped.slice(0, MAX_SKIPPED_LINES), `…and ${skipped.length - MAX_SKIPPED_LINES} more files not fetched`] : skipped;
  return { files, bytes, skipped: lines };
}
