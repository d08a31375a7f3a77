/**
 * A class grading run as a function: load the assignment, check its overrides, find the
 * submissions (a folder, a folder of them or a zip), take a shard, check the output folder, skip
 * what is current, grade the rest, write every output format. What it prints is the caller's
 * business (the CLI prints from the hooks and the returned value).
 *
 * The run does not hold its results, so its memory does not grow with the class: each result.json
 * is written as soon as it is known (src/grading/resultStore.ts), the run keeps a small summary per
 * submission, and the class-wide reporters read the results back one at a time at the end.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadAssignment, type ResolvedAssignment } from '../assignments/spec';
import type { SubmissionResult } from '../types';
import { createReporters, type ReporterOptions, type RunInfo } from '../../reports/index';
import { ReporterRunner } from '../../reports/reporter';
import { readSubmissionsFolder, type SubmissionRef } from './discover';
import { checkCanvasColumn, hasCanvasUsers } from './canvasColumnCheck';
import { entryOf } from './entryFile';
import { checkCounts, gradeEach, hashSubmission } from './grade';
import { ensureWritableFile, ensureWritableFolder } from './outputFolder';
import { verifyOverrides } from './overrides';
import { planGrading, selectShard, type Shard } from './plan';
import { ResultStore, summarizeResult, type ResultSummary } from './resultStore';
import { makeScratchDir, removeScratchDir } from './scratch';
import { extractSubmissionsZip } from './unzip';
import { graderVersion } from './version';

/** What {@link gradeClass} grades and writes: the assignment, the submissions (folder or zip), the output folder, and the reporters' options. */
export interface GradeClassOptions extends ReporterOptions {
  /** An assignment id (e.g. `losses`), a folder holding an assignment.json, or one already loaded. */
  assignment: string | ResolvedAssignment;
  /** A submission folder, a folder of submission folders, or a `.zip` of them. */
  submissions: string;
  /** Output folder: `<outDir>/<id>/result.json` and the class-wide files. Created when missing. */
  outDir: string;
  /** Parallel workers (a positive integer; default: number of cores). */
  jobs?: number;
  /** Submissions per jest test file (a positive integer; default: from the class size and workers). */
  batchSize?: number;
  /** Regrade even submissions whose result is current. */
  force?: boolean;
  /** Grade only this deterministic slice of the class. */
  shard?: Shard;
  /** Called after a zip is unpacked: how many submissions it held and what was skipped. */
  onUnpacked?(unpacked: { zip: string; submissions: number; skipped: string[] }): void;
  /**
   * Called when reading a folder (not a zip) skipped something — a file of an unzipped Canvas
   * download that names no student, an archive over the limits — one line each.
   */
  onSkipped?(skipped: string[]): void;
  /** Called once what will be graded is known, before grading starts. */
  onPlan?(plan: ClassPlan): void;
  /** Called with each newly graded result, once it is written (the run keeps only its summary). */
  onResult?(result: SubmissionResult): void;
  /**
   * Run Python submissions without their sandbox where this machine cannot sandbox them (the
   * instructor's --allow-unsandboxed-python; results record it). Default: refuse them.
   */
  allowUnsandboxedPython?: boolean;
  /** Called once with a line about Python's sandbox when it is not available here (see GradeOptions.onNotice). */
  onNotice?(line: string): void;
}

/** What a run grades, known before it starts. */
export interface ClassPlan {
  assignment: ResolvedAssignment;
  /** Absolute output folder (checked writable). */
  outDir: string;
  /** Submissions found (before the shard). */
  discovered: number;
  shard?: Shard;
  /** This run's submissions (the shard's, or all). */
  submissions: SubmissionRef[];
  /** Current results kept from earlier runs (their summaries; the results stay in their result.json). */
  kept: ResultSummary[];
  toGrade: SubmissionRef[];
}

/** What {@link gradeClass} did: the plan, the run, every result (kept and graded), the reporters' failures, how long it took. */
export interface ClassRun {
  plan: ClassPlan;
  run: RunInfo;
  /**
   * The summary of every submission's result in submission order, kept ones and newly graded
   * ones; each full result is in its result.json (`readStoredResult(outDir, id)`).
   */
  results: ResultSummary[];
  /** The summaries of the results graded by this run. */
  graded: ResultSummary[];
  /** What an output format could not write, one line each (results already written stay). */
  reporterFailures: string[];
  durationMs: number;
}

const isSameOrInside = (dir: string, folder: string) => {
  const relative = path.relative(folder, dir);
  return relative === '' || (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative));
};

const isZip = (target: string) => /\.zip$/i.test(target) && fs.existsSync(target) && fs.statSync(target).isFile();

/**
 * Grades a class and writes every output; resolves when all is written. Throws before grading
 * anything for bad input: an unknown assignment or an override naming no check or tolerance
 * (AssignmentSpecError), a missing folder (SubmissionPathError), a bad zip (ZipInputError), an
 * output folder that cannot be written (OutputFolderError), a Canvas gradebook column Canvas
 * would not import (CanvasColumnError).
 *
 * @example
 * const { results } = await gradeClass({ assignment: 'losses', submissions: 'class/', outDir: 'grades' });
 * results.filter((r) => r.score < r.maxScore).map((r) => r.submission) // who lost points
 * readStoredResult('grades', results[0].submission).tests // one submission's full result
 */
export async function gradeClass(options: GradeClassOptions): Promise<ClassRun> {
  checkCounts('gradeClass', options);
  const started = Date.now();
  const assignment = typeof options.assignment === 'string' ? loadAssignment(options.assignment) : options.assignment;
  verifyOverrides(assignment);
  // Where a zip is unpacked, or a folder's submissions that cannot be graded in place are arranged.
  const zip = isZip(options.submissions);
  const scratch = makeScratchDir(zip ? 'mlgrade-zip-' : 'mlgrade-ingest-');
  try {
    let discovered: SubmissionRef[];
    if (zip) {
      const extraction = await extractSubmissionsZip(options.submissions, scratch, entryOf(assignment));
      options.onUnpacked?.({ zip: options.submissions, submissions: extraction.submissions.length, skipped: extraction.skipped });
      discovered = extraction.submissions;
    } else {
      const ingestion = await readSubmissionsFolder(options.submissions, entryOf(assignment), { workDir: scratch });
      if (ingestion.skipped.length) options.onSkipped?.(ingestion.skipped);
      // The output folder of an earlier run inside the class folder is not a student's submission.
      const ours = path.resolve(options.outDir);
      discovered = ingestion.submissions.filter((ref) => !isSameOrInside(path.resolve(ref.dir), ours));
    }
    const submissions = options.shard ? selectShard(discovered, options.shard) : discovered;
    checkCanvasColumn(options, assignment, submissions);
    const outDir = ensureWritableFolder(options.outDir, 'the output folder');
    if (typeof options.junit === 'string') ensureWritableFile(options.junit, 'the JUnit file');
    const version = graderVersion(assignment);
    const { toGrade, kept, hashes } = planGrading(submissions, outDir, {
      graderVersion: version,
      force: Boolean(options.force),
      hash: hashSubmission,
    });
    const plan: ClassPlan = { assignment, outDir, discovered: discovered.length, shard: options.shard, submissions, kept, toGrade };
    options.onPlan?.(plan);
    const run: RunInfo = {
      assignment: { id: assignment.id, title: assignment.title, dueDate: assignment.dueDate },
      outDir,
      scope: 'all',
      startedAt: new Date(started),
    };
    // The Canvas gradebook reads every result back: only where a submission can have a row in it.
    const canvas = options.canvas !== false && hasCanvasUsers(submissions);
    const reporters = new ReporterRunner(createReporters({ ...options, canvas, scope: 'all' }));
    const store = new ResultStore(outDir);
    const unsaved: string[] = [];
    const byId = new Map(kept.map((summary) => [summary.submission, summary] as const));
    const graded: ResultSummary[] = [];
    if (toGrade.length) {
      await gradeEach(assignment, toGrade, {
        scope: 'all',
        jobs: options.jobs,
        batchSize: options.batchSize,
        hashes,
        allowUnsandboxedPython: options.allowUnsandboxedPython,
        onNotice: options.onNotice,
        onResult: (result) => {
          const error = store.save(result);
          if (error) {
            const what = `the result.json of ${result.submission} could not be written (${error.message})`;
            unsaved.push(`${what}: this run's class files still include it, and the next run grades it again`);
          }
          reporters.result(result, run);
          const summary = summarizeResult(result);
          byId.set(summary.submission, summary);
          graded.push(summary);
          options.onResult?.(result);
        },
      });
    }
    const results = submissions.map((ref) => byId.get(ref.id)).filter((r): r is ResultSummary => r !== undefined);
    await reporters.complete(store.results(results.map((r) => r.submission)), run);
    return { plan, run, results, graded, reporterFailures: [...unsaved, ...reporters.failures], durationMs: Date.now() - started };
  } finally {
    removeScratchDir(scratch);
  }
}
