/**
 * Grades submissions of one assignment: stages each (no student code runs here), generates one
 * jest entry file per batch of submissions, runs the compiled grading suites, and hands each
 * SubmissionResult to `onResult` as soon as it is known. {@link gradeEach} keeps no result (a class
 * run writes each one and lets it go); {@link gradeSubmissions} collects them for a handful.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ResolvedAssignment } from '../assignments/spec';
import { stageSubmission, type StageOutcome } from '../sandbox/stage';
import { namespaceTool } from '../sandbox/isolation';
import { resolveAllowedModules } from '../sandbox/modules';
import { pythonAvailability, type PythonAvailability } from '../sandbox/python/policy';
import { runUidBase } from '../sandbox/python/uids';
import { entryOf } from './entryFile';
import type { SubmissionOrigin, SubmissionResult } from '../types';
import { BATCH_SETTINGS_KEY, type RunContext } from '../suite/context';
import type { SuiteRecord } from '../suite/runner';
import { collectGarbage } from './collectGarbage';
import { buildResult } from './results';
import type { SubmissionRef } from './discover';
import { runSuites } from './runSuites';
import { makeScratchDir, removeScratchDir } from './scratch';
import { withStage } from './stagedContext';
import { graderVersion } from './version';

/** How {@link gradeSubmissions} grades: the scope, parallelism, and a callback for each result as it is known. */
export interface GradeOptions {
  /** `public`: student self-check (hidden tests are not run). */
  scope: 'all' | 'public';
  /** Parallel jest workers (default: number of cores). */
  jobs?: number;
  /** Submissions per jest test file (default: {@link batchSize}). */
  batchSize?: number;
  /** Called with each result as soon as it is known (once per submission). */
  onResult?: (result: SubmissionResult) => void;
  /** Content hashes already computed (by the resume plan), by submission id. */
  hashes?: Map<string, string>;
  /** Run Python submissions without their sandbox where this machine has none (the instructor's explicit choice). */
  allowUnsandboxedPython?: boolean;
  /**
   * Called once with a line for the person running the grader when Python submissions cannot be
   * sandboxed here: they are refused (each result says why), or run without the sandbox by choice.
   */
  onNotice?: (line: string) => void;
}


interface Job {
  ref: SubmissionRef;
  /** Where its block writes its records (see src/suite/runner.ts). */
  sidecar: string;
  startedAt: Date;
  contentHash: string;
  context?: RunContext;
  /** Its staged copy (none when there is nothing to stage). */
  stageDir?: string;
}

/** A stable hash of a submission folder's regular files (names and contents). */
export function hashSubmission(dir: string): string {
  const hash = crypto.createHash('sha256');
  const walk = (relative: string): void => {
    const entries = fs.readdirSync(path.join(dir, relative), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const rel = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== '.git') walk(rel);
      } else if (entry.isFile()) {
        hash.update(rel).update('\0').update(fs.readFileSync(path.join(dir, rel))).update('\0');
      }
    }
  };
  walk('');
  return hash.digest('hex');
}

/** What the download said about a submission (LMS, Canvas user, late flag, renames), for reports and gradebooks. */
export function originOf(ref: SubmissionRef): SubmissionOrigin | undefined {
  const canvas = ref.canvas;
  if (!canvas && ref.late === undefined && !ref.notes?.length) return undefined;
  return {
    lms: canvas ? 'canvas' : 'folder',
    ...(canvas?.kind === 'user' ? { userId: canvas.userId, student: canvas.name } : {}),
    ...(ref.late !== undefined ? { late: ref.late } : {}),
    ...(ref.notes?.length ? { notes: ref.notes } : {}),
  };
}

/** At most this many submissions share one jest test file (and so one worker's module registry). */
export const MAX_BATCH = 25;

/**
 * How many submissions each generated test file grades: enough files for every worker to get
 * several (so the last files do not leave cores idle), few enough that jest's per-file cost
 * (test environment, module registry, loading the suite) is paid once per batch, not per
 * submission.
 *
 * @example
 * batchSize(1000, 2) // 25 (40 files)
 * batchSize(40, 2)   // 5 (8 files)
 * batchSize(3, 2)    // 1
 */
export function batchSize(submissions: number, workers: number): number {
  const files = Math.max(workers * 4, Math.ceil(submissions / MAX_BATCH));
  return Math.max(1, Math.min(MAX_BATCH, Math.ceil(submissions / files)));
}

/** Throws a RangeError naming `caller` when jobs or batchSize is not a positive integer. */
export function checkCounts(caller: string, options: Pick<GradeOptions, 'jobs' | 'batchSize'>): void {
  // A NaN here once became "jest did not run this submission", a 0 for a correct student.
  for (const key of ['jobs', 'batchSize'] as const) {
    const value = options[key];
    if (value !== undefined && !(Number.isInteger(value) && value >= 1)) throw new RangeError(`${caller}: options.${key} must be a positive integer, got ${value}`);
  }
}

/**
 * Grades `submissions`; resolves with every result, in the order given. It holds every result in
 * memory: for a few submissions (a self-check, validation); a class uses {@link gradeEach}.
 *
 * @example
 * const [result] = await gradeSubmissions(assignment, [{ id: 'alice', dir: 'alice/' }], { scope: 'public', jobs: 1 });
 */
export async function gradeSubmissions(assignment: ResolvedAssignment, submissions: SubmissionRef[], options: GradeOptions): Promise<SubmissionResult[]> {
  checkCounts('gradeSubmissions', options);
  const results = new Map<string, SubmissionResult>();
  await gradeEach(assignment, submissions, {
    ...options,
    onResult: (result) => {
      results.set(result.submission, result);
      options.onResult?.(result);
    },
  });
  return submissions.map((ref) => results.get(ref.id)!);
}

/**
 * Grades `submissions`, handing each result to `onResult` as soon as it is known, and keeps none
 * of them (nor jest: see quietCircus.ts), so that the memory a run needs does not grow with the
 * class; a finished submission's staged copy and sidecar are removed as it finishes, so the scratch
 * folder does not either. Resolves once every submission has had its result, in whatever order
 * they finished.
 *
 * @example
 * await gradeEach(assignment, refs, { scope: 'all', onResult: (result) => writeResultJson(out, result) });
 */
export async function gradeEach(
  assignment: ResolvedAssignment,
  submissions: SubmissionRef[],
  options: GradeOptions & { onResult: (result: SubmissionResult) => void },
): Promise<void> {
  checkCounts('gradeEach', options);
  const version = graderVersion(assignment);
  // Known to the scratch registry, so that an interrupted run removes it too.
  const root = makeScratchDir('mlgrade-');
  // Traversable (not listable) by the unprivileged user a Python sandbox runs as when grading as root.
  fs.chmodSync(root, 0o711);
  const sidecars = path.join(root, 'sidecars');
  fs.mkdirSync(sidecars);
  const resolved = { namespace: namespaceTool(), modules: resolveAllowedModules(assignment.allowedModules) };
  const entry = entryOf(assignment);
  // Decided once, when the first Python submission is staged (probing the sandbox costs a process start).
  let python: PythonAvailability | undefined;
  const pythonFor = (): PythonAvailability => {
    if (python) return python;
    python = pythonAvailability({ allowedModules: assignment.python?.allowedModules ?? [], unsandboxed: options.allowUnsandboxedPython ? 'flag' : 'no' });
    if (python.status === 'refused') options.onNotice?.(`mlgrade: ${python.message}. Python submissions are not graded in this run: each result says why, and the next run grades them again.`);
    else if (python.runtime.kind === 'unsandboxed') options.onNotice?.(`mlgrade: warning: Python submissions run WITHOUT their sandbox (${python.runtime.reason}); results record it.`);
    return python;
  };
  const uidBase = runUidBase();
  // Ids only: each result goes to onResult and is not kept here.
  const finished = new Set<string>();
  const jobs: Job[] = [];
  const bySidecar = new Map<string, Job>();
  const finish = (job: Job, result: SubmissionResult) => {
    finished.add(job.ref.id);
    options.onResult(result);
  };
  const resultOf = (job: Job, record: SuiteRecord | undefined, runFailure?: string) =>
    buildResult({
      submission: job.ref.id,
      assignment: assignment.id,
      scope: options.scope,
      graderVersion: version,
      contentHash: job.contentHash,
      startedAt: record ? new Date(record.startedAt) : job.startedAt,
      durationMs: record ? record.durationMs : 0,
      record,
      runFailure: record ? undefined : runFailure ?? 'the grading suite ended without recording results',
      origin: originOf(job.ref),
    });
  /** Finishes `job` from its sidecar if the sidecar is there; true when the job is finished. */
  const collect = (job: Job): boolean => {
    if (finished.has(job.ref.id)) return true;
    let record: SuiteRecord;
    try {
      record = JSON.parse(fs.readFileSync(job.sidecar, 'utf8')) as SuiteRecord;
    } catch {
      return false;
    }
    finish(job, resultOf(job, record));
    // Its block has ended and closed its sandbox: nothing reads its stage or sidecar again (what
    // cannot be removed now goes with the scratch folder at the end).
    try {
      fs.rmSync(job.sidecar, { force: true });
      if (job.stageDir) fs.rmSync(job.stageDir, { recursive: true, force: true });
    } catch {
      // removed at the end of the run
    }
    return true;
  };
  // Sidecars are renamed into place when a submission's block ends: results are known (and
  // written by onResult) then, not when the whole batch file ends.
  const watcher = watchFolder(sidecars, (name) => {
    const job = bySidecar.get(name);
    if (job) collect(job);
  });
  try {
    submissions.forEach((ref, index) => {
      const name = `s${String(index).padStart(5, '0')}`;
      const job: Job = { ref, sidecar: path.join(sidecars, `${name}.json`), startedAt: new Date(), contentHash: options.hashes?.get(ref.id) ?? hashSubmission(ref.dir) };
      // A submission with nothing gradeable (text entry only, a broken upload…) is not staged: its
      // row says why, in the words ingestion chose for the student.
      if (!ref.problem) job.stageDir = path.join(root, 'stage', name);
      const staged: StageOutcome = job.stageDir
        ? stageSubmission(ref.dir, job.stageDir, entry, { skipTags: assignment.python?.skipTags })
        : { status: 'no-entry', message: ref.problem!.message, skipped: [] };
      const needsPython = staged.status === 'staged' && staged.runtime === 'python';
      const availability = needsPython ? pythonFor() : undefined;
      job.context = withStage(
        {
          submission: ref.id,
          assignment: assignment.id,
          limits: assignment.limits,
          allowedModules: assignment.allowedModules,
          scope: options.scope,
          sidecar: job.sidecar,
          resolved,
          overrides: { tests: assignment.tests, tolerances: assignment.tolerances },
          ...(availability?.status === 'ready' && assignment.python
            ? { python: { names: assignment.python.names, allowedModules: assignment.python.allowedModules, runtime: availability.runtime, uidBase } }
            : {}),
        },
        staged,
        availability?.status === 'refused' ? availability.message : undefined,
      );
      jobs.push(job);
      bySidecar.set(path.basename(job.sidecar), job);
    });
    const workers = Math.max(1, Math.min(options.jobs ?? os.availableParallelism(), jobs.length));
    const size = options.batchSize ?? batchSize(jobs.length, workers);
    const batches: Job[][] = [];
    for (let i = 0; i < jobs.length; i += size) batches.push(jobs.slice(i, i + size));
    // With more than one submission, grading happens in worker processes only: the orchestrator
    // (which writes the grades) never runs a suite itself.
    const workersOnly = jobs.length > 1;
    const unfinished = await runBatches(assignment, path.join(root, 'entries'), batches, workers, workersOnly, collect);
    // A batch whose test file died (a grader worker crashed) is graded again one submission per
    // file, so that whatever brought it down can only cost the submission that caused it.
    const retry = unfinished.filter(({ batch }) => batch.length > 1).flatMap(({ jobs: left }) => left.map((job) => [job]));
    const failedAgain = retry.length ? await runBatches(assignment, path.join(root, 'retry'), retry, workers, true, collect) : [];
    for (const { jobs: left, failure } of [...unfinished.filter(({ batch }) => batch.length === 1), ...failedAgain]) {
      // Not the student's doing (their code runs in its own process): say so, with jest's reason.
      const why = `the grader's own process stopped while grading this submission, so it was not graded (a grader problem, not yours; please tell your instructor)${failure ? `: ${failure}` : ''}`;
      for (const job of left) if (!collect(job)) finish(job, resultOf(job, undefined, why));
    }
    for (const job of jobs) {
      if (!finished.has(job.ref.id)) finish(job, resultOf(job, undefined, 'jest did not run this submission'));
    }
  } finally {
    watcher?.close();
    removeScratchDir(root);
  }
}

interface Unfinished {
  batch: Job[];
  /** Jobs of the batch without a sidecar when its test file ended. */
  jobs: Job[];
  failure: string | undefined;
}

/** Writes one entry file per batch into `dir` and runs them; returns the batches that left jobs unfinished. */
async function runBatches(assignment: ResolvedAssignment, dir: string, batches: Job[][], workers: number, workersOnly: boolean, collect: (job: Job) => boolean): Promise<Unfinished[]> {
  fs.mkdirSync(dir, { recursive: true });
  const byEntry = new Map<string, Job[]>();
  batches.forEach((batch, index) => {
    const entryFile = path.join(dir, `b${String(index).padStart(5, '0')}.grade.js`);
    fs.writeFileSync(entryFile, entrySource(assignment, batch.map((job) => job.context!)));
    byEntry.set(entryFile, batch);
  });
  const unfinished: Unfinished[] = [];
  await runSuites({
    workDir: dir,
    maxWorkers: Math.min(workers, batches.length),
    workersOnly,
    onFileDone: (entryFile, failure) => {
      const batch = byEntry.get(entryFile);
      if (!batch) return;
      byEntry.delete(entryFile);
      const left = batch.filter((job) => !collect(job));
      if (left.length) unfinished.push({ batch, jobs: left, failure });
      // Each result leaves ~300 KB of garbage here (its sidecar read, result.json, reports); V8
      // lets it pile up the longer the run, so the orchestrator collects it once per batch file
      // as a worker does (collectGarbage.ts): its memory then does not depend on the class size.
      collectGarbage();
    },
  });
  for (const batch of byEntry.values()) unfinished.push({ batch, jobs: batch.filter((job) => !collect(job)), failure: 'jest did not run this batch' });
  return unfinished;
}

/** The generated jest entry file of a batch: the batch's settings, the suite, one block per submission. */
function entrySource(assignment: ResolvedAssignment, contexts: RunContext[]): string {
  const runner = require.resolve('../suite/runner');
  return [
    `globalThis.${BATCH_SETTINGS_KEY} = ${JSON.stringify({ overrides: contexts[0]?.overrides ?? {} })};`,
    `const suite = require(${JSON.stringify(assignment.graderEntry)});`,
    `require(${JSON.stringify(runner)}).gradeBatch(suite.default ?? suite, ${JSON.stringify(contexts)});`,
    '',
  ].join('\n');
}

/** Calls `onFile` with the name of each file created or renamed into `dir` (undefined when watching is unavailable). */
function watchFolder(dir: string, onFile: (name: string) => void): fs.FSWatcher | undefined {
  try {
    const watcher = fs.watch(dir, (_event, name) => {
      if (name) onFile(name.toString());
    });
    watcher.on('error', () => watcher.close());
    return watcher;
  } catch {
    return undefined;
  }
}
