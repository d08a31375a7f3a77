/**
 * Finds the submissions under a folder: the folder itself when it holds the entry file; an
 * already unzipped Canvas download (its flat `name_userid_fileid_file` files), arranged like the
 * zip would be; else each sub-folder (id = folder name), sorted so that ids and order are
 * deterministic. Every submission found gets a ref — with a `problem` when nothing of it can be
 * graded, so that grading records a zero with the reason instead of losing the student.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { makeScratchDir, removeScratchDir } from './scratch';
import { parseCanvasName, type CanvasSubmission, type FileRename } from './canvasNames';
import { entryFileWords, entryNotes, entryPattern, pickEntryFile, type EntryName } from './entryFile';
import { assessSubmission, findSubmissionRoot } from './submissionFiles';
import { extractCanvasFolder, extractSubmissionFolder, type Ingestion, type ZipLimits } from './unzip';

/**
 * Why a submission has nothing to grade:
 * - `no-entry`: it has files, but no entry file (`losses.ts|js`) at its top;
 * - `no-files`: it has no files (an empty submission, or only a Canvas text entry or URL);
 * - `skipped-files`: its entry file, or every file, was not extracted (a safety rule or a limit; the message says which);
 * - `unreadable-archive`: its work is in an uploaded archive that could not be unpacked.
 */
export type SubmissionProblemReason = 'no-entry' | 'no-files' | 'skipped-files' | 'unreadable-archive';

/** Nothing of a submission can be graded: grading records a zero with `message` (written for the student). */
export interface SubmissionProblem {
  reason: SubmissionProblemReason;
  /** One line for the student; names only paths inside the submission, never a temporary folder. */
  message: string;
}

/**
 * One submission to grade.
 *
 * @example
 * // a Canvas student who re-uploaded, late:
 * { id: 'doejane_12345', dir: '/tmp/mlgrade-zip-x/doejane_12345', late: true,
 *   canvas: { kind: 'user', name: 'doejane', userId: '12345', fileIds: ['67890', '67891'] },
 *   renames: [{ from: 'losses-1.ts', to: 'losses.ts', why: 'lms-suffix' }],
 *   notes: ["Canvas's resubmission suffix removed (…): losses-1.ts → losses.ts"] }
 */
export interface SubmissionRef {
  /** Stable id: the folder name; for Canvas `<name>_<userId>` or `anon_<anonymousId>`. */
  id: string;
  /** The folder to grade: its top holds the entry file unless `problem` is set. */
  dir: string;
  /** Canvas's LATE flag (absent when the source does not say). */
  late?: boolean;
  /** Canvas's identity of the submission (user id and name token, or anonymous id) and its attachment ids. */
  canvas?: CanvasSubmission;
  /** Files saved under another name than the one in the download (both names relative to the submission). */
  renames?: FileRename[];
  /** Lines for the student's report: names restored, `Losses.ts used as losses.ts`, archives unpacked, files not extracted and why. */
  notes?: string[];
  /** Set when nothing can be graded: do not run it; record score 0 with this message. */
  problem?: SubmissionProblem;
}

/** The path given is not a folder, or holds nothing that could be a submission (the message says which). */
export class SubmissionPathError extends Error {
  override readonly name = 'SubmissionPathError';
}

export interface DiscoverOptions {
  /**
   * Where submissions that cannot be graded in place are arranged (an unzipped Canvas download,
   * a folder whose work is in an uploaded zip); must be missing or empty. Default: a temporary
   * folder removed when the process exits.
   */
  workDir?: string;
  /** Limits for arranging (as for zips). */
  limits?: Partial<ZipLimits>;
}

/** Folders that are never submissions. */
const NOT_SUBMISSIONS = new Set(['node_modules', '__MACOSX']);
/** Files looked at per submission to explain a missing entry file (not a limit on grading). */
const MAX_LISTED = 2000;
const MAX_LISTED_DEPTH = 8;

function temporaryWorkDir(): string {
  // Known to the scratch registry, so that an interrupted run removes it too.
  const dir = makeScratchDir('mlgrade-ingest-');
  process.once('exit', () => removeScratchDir(dir));
  return dir;
}

/** Relative paths of a folder's regular files (links and dependency folders left out), bounded. */
function listFiles(dir: string): string[][] {
  const out: string[][] = [];
  const walk = (relative: string[]): void => {
    let dirents: fs.Dirent[];
    try {
      dirents = fs.readdirSync(path.join(dir, ...relative), { withFileTypes: true });
    } catch {
      return;
    }
    for (const dirent of dirents.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (out.length >= MAX_LISTED) return;
      const segments = [...relative, dirent.name];
      if (dirent.isDirectory() && !NOT_SUBMISSIONS.has(dirent.name) && dirent.name !== '.git' && segments.length <= MAX_LISTED_DEPTH) walk(segments);
      else if (dirent.isFile() && dirent.name !== '.DS_Store') out.push(segments);
    }
  };
  walk([]);
  return out;
}

/**
 * A submission graded where it is. When its entry file is not at its top but in exactly one
 * sub-folder (`src/`), that folder is graded; when its work is in a zip it uploaded, the folder is
 * arranged under `workDir()` with the zip unpacked; when nothing can be graded, the ref says why.
 */
async function folderSubmission(id: string, dir: string, entryBase: EntryName, workDir: () => string, limits: Partial<ZipLimits>): Promise<{ ref: SubmissionRef; skipped: string[] }> {
  const files = listFiles(dir);
  const top = files.filter((f) => f.length === 1).map((f) => f[0]);
  const atTop = assessSubmission({ files: top, notExtracted: [], unopened: [], textEntries: [] }, entryBase);
  if (!atTop.problem) return { ref: { id, dir, ...(atTop.notes.length ? { notes: atTop.notes } : {}) }, skipped: [] };
  if (top.some((name) => name.toLowerCase().endsWith('.zip'))) return extractSubmissionFolder(id, dir, path.join(workDir(), id), entryBase, limits);
  const { root } = findSubmissionRoot(files, entryBase);
  const inRoot = files.filter((f) => f.length === root.length + 1 && root.every((s, i) => f[i] === s)).map((f) => f[root.length]);
  const match = root.length ? pickEntryFile(inRoot, entryBase) : undefined;
  if (match) {
    // The entry notes as staging words them (the folder graded is src/): a note is shown once.
    const notes = [`graded from ${root.join('/')}/, the folder holding ${entryPattern(entryBase)}`, ...entryNotes(match, entryBase)];
    return { ref: { id, dir: path.join(dir, ...root), notes }, skipped: [] };
  }
  const { problem } = assessSubmission({ files: files.map((f) => f.join('/')), notExtracted: [], unopened: [], textEntries: [] }, entryBase);
  return { ref: { id, dir, ...(problem ? { problem } : {}) }, skipped: [] };
}

/**
 * The submissions at `target` (a folder) with a line for everything skipped; see the module
 * comment for the layouts. Throws {@link SubmissionPathError} when `target` is not a folder or
 * holds nothing that could be a submission.
 *
 * @example
 * await readSubmissionsFolder('Downloads/submissions', 'losses')
 * // returns { layout: 'canvas', submissions: [{ id: 'doejane_12345', dir: '/tmp/mlgrade-ingest-x/doejane_12345', late: false, … }], skipped: [] }
 */
export async function readSubmissionsFolder(target: string, entryBase: EntryName, options: DiscoverOptions = {}): Promise<Ingestion> {
  const dir = path.resolve(target);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch {
    throw new SubmissionPathError(`No such folder: ${target}`);
  }
  if (!stat.isDirectory()) throw new SubmissionPathError(`${target} is not a folder (pass a submission folder, or a folder of submission folders)`);
  let work: string | undefined = options.workDir;
  const workDir = () => (work ??= temporaryWorkDir());
  const limits = options.limits ?? {};

  const dirents = fs.readdirSync(dir, { withFileTypes: true });
  const topFiles = dirents.filter((d) => d.isFile()).map((d) => d.name);
  const children = dirents
    .filter((d) => d.isDirectory() && !d.name.startsWith('.') && !NOT_SUBMISSIONS.has(d.name))
    .map((d) => d.name)
    .sort();
  if (pickEntryFile(topFiles, entryBase, { loneNotebook: false })) {
    const single = await folderSubmission(path.basename(dir), dir, entryBase, workDir, limits);
    return { layout: 'single', submissions: [single.ref], skipped: single.skipped };
  }
  const childHoldsEntry = (name: string) => {
    try {
      return pickEntryFile(fs.readdirSync(path.join(dir, name)), entryBase, { loneNotebook: false }) !== undefined;
    } catch {
      return false;
    }
  };
  if (topFiles.some((name) => parseCanvasName(name)) && !children.some(childHoldsEntry)) {
    return extractCanvasFolder(dir, workDir(), entryBase, limits);
  }
  if (children.length === 0) {
    throw new SubmissionPathError(`${target} holds neither ${entryFileWords(entryBase)}, nor sub-folders of submissions, nor a Canvas download's files (name_userid_fileid_file)`);
  }
  const submissions: SubmissionRef[] = [];
  const skipped: string[] = [];
  for (const name of children) {
    const found = await folderSubmission(name, path.join(dir, name), entryBase, workDir, limits);
    submissions.push(found.ref);
    skipped.push(...found.skipped);
  }
  return { layout: 'folders', submissions, skipped };
}

/**
 * The submissions at `target` (a folder), sorted by id; see {@link readSubmissionsFolder}, which
 * also returns what was skipped.
 *
 * @example
 * await discoverSubmissions('assignments/losses/examples', 'losses')
 * // returns [{ id: 'correct', dir: '…/examples/correct' }, { id: 'flipped-sign-gradients', … }, …]
 */
export async function discoverSubmissions(target: string, entryBase: EntryName, options: DiscoverOptions = {}): Promise<SubmissionRef[]> {
  return (await readSubmissionsFolder(target, entryBase, options)).submissions;
}
