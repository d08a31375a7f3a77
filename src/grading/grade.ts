/**
 * Grades submissions of one assignment: stages each (no student code runs here), generates one
 * jest entry file per submission, runs the compiled grading suites, and hands each
 * SubmissionResult to `onResult` as soon as it is known.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ResolvedAssignment } from '../assignments/spec';
import { formatSyntaxProblem, stageSubmission } from '../sandbox/stage';
import { networkNamespaceTool } from '../sandbox/isolation';
import { resolveAllowedModules } from '../sandbox/modules';
import type { SubmissionResult } from '../types';
import type { RunContext } from '../../graders/lib/context';
import type { SuiteRecord } from '../../graders/lib/check';
import { buildResult } from './results';
import type { SubmissionRef } from './discover';
import { runSuites } from './runSuites';
import { graderVersion } from './version';

export interface GradeOptions {
  /** `public`: student self-check (hidden tests are not run). */
  scope: 'all' | 'public';
  /** Parallel jest workers (default: number of cores). */
  jobs?: number;
  /** Called with each result as soon as it is known. */
  onResult?: (result: SubmissionResult) => void;
  /** Content hashes already computed (by the resume plan), by submission id. */
  hashes?: Map<string, string>;
}

interface Job {
  ref: SubmissionRef;
  entryFile: string;
  sidecar: string;
  startedAt: Date;
  contentHash: string;
  /** Set when staging already decided the outcome. */
  early?: SubmissionResult;
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

/** Grades `submissions`; resolves with every result, in the order given. */
export async function gradeSubmissions(assignment: ResolvedAssignment, submissions: SubmissionRef[], options: GradeOptions): Promise<SubmissionResult[]> {
  if (!fs.existsSync(assignment.graderEntry)) {
    throw new Error(`The grading suite of "${assignment.id}" is not built (${assignment.graderEntry} is missing): run \`npm run build\` in mlgrade's folder.`);
  }
  const version = graderVersion(assignment);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mlgrade-'));
  const workDir = path.join(root, 'entries');
  fs.mkdirSync(workDir);
  const resolved = { networkTool: networkNamespaceTool(), modules: resolveAllowedModules(assignment.allowedModules) };
  const results = new Map<string, SubmissionResult>();
  const jobs = new Map<string, Job>();
  const finish = (job: Job, result: SubmissionResult) => {
    results.set(job.ref.id, result);
    options.onResult?.(result);
  };
  try {
    submissions.forEach((ref, index) => {
      const name = `s${String(index).padStart(5, '0')}`;
      const entryFile = path.join(workDir, `${name}.grade.js`);
      const job: Job = { ref, entryFile, sidecar: path.join(workDir, `${name}.json`), startedAt: new Date(), contentHash: options.hashes?.get(ref.id) ?? hashSubmission(ref.dir) };
      const staged = stageSubmission(ref.dir, path.join(root, 'stage', name), assignment.entry);
      const context: RunContext = {
        submission: ref.id,
        assignment: assignment.id,
        limits: assignment.limits,
        allowedModules: assignment.allowedModules,
        scope: options.scope,
        sidecar: job.sidecar,
        resolved,
        overrides: { tests: assignment.tests, tolerances: assignment.tolerances },
      };
      if (staged.status === 'staged') {
        context.entry = staged.entry;
        context.stageDir = staged.dir;
        const entryProblems = staged.syntax.filter((p) => p.file === staged.entryName);
        // A syntax error in the entry file decides the outcome without starting anything.
        if (entryProblems.length) context.stageFailure = { reason: 'syntax', message: entryProblems.map(formatSyntaxProblem).join('\n') };
      } else {
        context.stageFailure = { reason: 'no-entry', message: staged.message };
      }
      fs.writeFileSync(entryFile, `globalThis.__MLGRADE_RUN__ = ${JSON.stringify(context)};\nrequire(${JSON.stringify(assignment.graderEntry)});\n`);
      jobs.set(entryFile, job);
    });
    const total = jobs.size;
    await runSuites({
      workDir,
      maxWorkers: Math.max(1, Math.min(options.jobs ?? os.availableParallelism(), total)),
      onFileDone: (entryFile, failure) => {
        const job = jobs.get(entryFile);
        if (!job || results.has(job.ref.id)) return;
        let record: SuiteRecord | undefined;
        try {
          record = JSON.parse(fs.readFileSync(job.sidecar, 'utf8')) as SuiteRecord;
        } catch {
          record = undefined;
        }
        finish(
          job,
          buildResult({
            submission: job.ref.id,
            assignment: assignment.id,
            scope: options.scope,
            graderVersion: version,
            contentHash: job.contentHash,
            startedAt: job.startedAt,
            durationMs: Date.now() - job.startedAt.getTime(),
            record,
            runFailure: record ? undefined : failure ?? 'the grading suite ended without recording results',
          }),
        );
      },
    });
    for (const job of jobs.values()) {
      if (!results.has(job.ref.id)) {
        finish(job, buildResult({ submission: job.ref.id, assignment: assignment.id, scope: options.scope, graderVersion: version, contentHash: job.contentHash, startedAt: job.startedAt, durationMs: 0, runFailure: 'jest did not run this submission' }));
      }
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
  return submissions.map((ref) => results.get(ref.id)!);
}
