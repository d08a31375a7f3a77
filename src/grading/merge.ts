/**
 * Merges the output folders of sharded runs (`grade … --shard i/n --out shard-i`) into one, so
 * that the whole-class exports (grades.csv, summary.json, dashboard) can be written over all of
 * them. Each input folder holds `submissions/<folder>/result.json` (plus any per-submission report
 * files; folder names: reports/layout.ts); the top-level files of a shard (its own grades.csv,
 * summary.json, …) are not copied: the caller regenerates them by running the onRunComplete
 * reporters over the returned results, which are read back from the merged folder one at a time
 * (a merge holds a few fields of each result, not the results: a class can be large).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SubmissionResult } from '../types';
import { writeFileAtomic } from '../../reports/atomic';
import { SUBMISSIONS_DIR, submissionDir, submissionFolders } from '../../reports/layout';
import type { RunResults } from '../../reports/reporter';
import { ResultStore } from './resultStore';

/** A merge refused because of its inputs (exit code 2 territory: the user named the wrong folders). */
export class MergeInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MergeInputError';
  }
}

export interface MergeOutcome {
  /** Every submission once, sorted by id: the merged folder's results, read back one at a time as they are iterated. */
  results: RunResults;
  /** The submission ids of `results`, in the same order. */
  ids: string[];
  /** The assignment the results are of. */
  assignment: string;
  /** One line per submission found in more than one input: which copies, which one was kept. */
  conflicts: string[];
}

/** What a merge keeps of a result it found. */
interface Found {
  result: Pick<SubmissionResult, 'submission' | 'assignment' | 'gradedAt'>;
  /** The submission's folder in its input. */
  dir: string;
  input: string;
}

function readResult(file: string): Found['result'] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new MergeInputError(`mergeOutputs: ${file} is not readable JSON (${(error as Error).message}).`);
  }
  const r = parsed as Partial<SubmissionResult> | null;
  if (!r || typeof r !== 'object' || typeof r.submission !== 'string' || typeof r.assignment !== 'string' || !Array.isArray(r.tests) || typeof r.gradedAt !== 'string') {
    throw new MergeInputError(`mergeOutputs: ${file} is not an mlgrade result.json (it lacks submission, assignment, tests or gradedAt).`);
  }
  return { submission: r.submission, assignment: r.assignment, gradedAt: r.gradedAt };
}

/** Every `submissions/<folder>/result.json` of one input folder. */
function readInput(input: string): Found[] {
  if (!fs.existsSync(input) || !fs.statSync(input).isDirectory()) {
    throw new MergeInputError(`mergeOutputs: input folder ${input} does not exist or is not a folder.`);
  }
  const found: Found[] = [];
  for (const dir of submissionFolders(input)) {
    const file = path.join(dir, 'result.json');
    if (fs.existsSync(file)) found.push({ result: readResult(file), dir, input });
  }
  if (!found.length) {
    throw new MergeInputError(`mergeOutputs: input folder ${input} holds no ${SUBMISSIONS_DIR}/<folder>/result.json — is it the --out folder of a grade run?`);
  }
  return found;
}

const time = (r: Found['result']) => {
  const t = Date.parse(r.gradedAt);
  return Number.isNaN(t) ? -Infinity : t;
};

/** Copies a folder's regular files and sub-folders, each file written atomically; symlinks are skipped. */
function copyTree(from: string, to: string): void {
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) copyTree(source, target);
    else if (entry.isFile() && !/^\..*\.tmp$/.test(entry.name)) writeFileAtomic(target, fs.readFileSync(source));
  }
}

/**
 * Merges shard output folders into `outDir`: reads every `<input>/submissions/<folder>/result.json`,
 * keeps one result per submission id (the newest `gradedAt`; on a tie, the later input), copies each
 * kept submission's folder (result.json, reports, gradescope/) to its folder in `outDir`
 * (`submissionDir(outDir, id)`), replacing what was there, and returns the merged results sorted
 * by id (read back from `outDir` as they are iterated).
 * `outDir` may be one of the inputs.
 *
 * Throws MergeInputError naming the folder when an input is missing or holds no results, naming
 * the file when a result.json is unreadable, and naming the folders when they hold results of
 * different assignments.
 *
 * @example mergeOutputs(['out/shard-1', 'out/shard-2'], 'out/all').ids // returns ['alice', 'bob', …]
 */
export function mergeOutputs(inputDirs: string[], outDir: string): MergeOutcome {
  if (!inputDirs.length) throw new MergeInputError('mergeOutputs: name at least one input folder.');
  const inputs = [...new Set(inputDirs.map((d) => path.resolve(d)))];
  const target = path.resolve(outDir);
  const all = inputs.flatMap(readInput);

  const assignments = new Map<string, string[]>();
  for (const f of all) {
    const folders = assignments.get(f.result.assignment) ?? [];
    if (!folders.includes(f.input)) folders.push(f.input);
    assignments.set(f.result.assignment, folders);
  }
  if (assignments.size > 1) {
    const list = [...assignments].map(([id, folders]) => `${id} (${folders.join(', ')})`).join('; ');
    throw new MergeInputError(`mergeOutputs: the inputs hold results of different assignments: ${list}. Merge one assignment at a time.`);
  }

  // Keyed by the raw id; each id has its own folder (reports/layout.ts).
  const kept = new Map<string, Found>();
  const conflicts: string[] = [];
  for (const f of all) {
    const id = f.result.submission;
    const previous = kept.get(id);
    if (!previous) {
      kept.set(id, f);
      continue;
    }
    const winner = time(f.result) >= time(previous.result) ? f : previous;
    const loser = winner === f ? previous : f;
    conflicts.push(`${id}: graded in ${loser.input} at ${loser.result.gradedAt} and in ${winner.input} at ${winner.result.gradedAt}; kept ${winner.input}`);
    kept.set(id, winner);
  }

  // Replacing a submission's folder must never delete an input (e.g. `--out out` over an input
  // inside out/submissions/): check every destination before anything is written.
  for (const id of kept.keys()) {
    const destination = submissionDir(target, id);
    const inside = inputs.find((input) => {
      const relative = path.relative(destination, input);
      const outside = relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative);
      return !outside;
    });
    if (inside) throw new MergeInputError(`mergeOutputs: writing ${destination} would overwrite the input folder ${inside}; choose another output folder.`);
  }
  fs.mkdirSync(target, { recursive: true });
  for (const [id, f] of kept) {
    const destination = submissionDir(target, id);
    if (path.resolve(f.dir) === destination) continue;
    fs.rmSync(destination, { recursive: true, force: true });
    copyTree(f.dir, destination);
  }
  const ids = [...kept.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { results: new ResultStore(target).results(ids), ids, assignment: [...assignments.keys()][0], conflicts };
}
