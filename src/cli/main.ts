/**
 * The `mlgrade` command line: argv parsing with yargs; each command is a function over resolved
 * options. Exit codes: 0 ok; 1 a public test failed (check), a submission scored below
 * --min-score, a suite missed a mutant (validate) or an output could not be written; 2 bad usage
 * or input (unknown assignment, missing folder, not a zip, wrong bundle key…).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import yargs from 'yargs';
import { AssignmentSpecError, loadAssignment } from '../assignments/spec';
import { SubmissionPathError, discoverSubmissions, type SubmissionRef } from '../grading/discover';
import { ZipInputError, extractSubmissionsZip } from '../grading/unzip';
import { MergeInputError, mergeOutputs } from '../grading/merge';
import { BundleError, openBundle, sealDirectory } from '../authoring/bundle';
import { buildStudentKit } from '../authoring/dist';
import { ScaffoldError, copyBuiltInAssignment, initCourse, newAssignment } from '../authoring/scaffold';
import { ValidationSetupError } from '../authoring/validate';
import { ModuleBundleError } from '../authoring/bundleModule';
import { formatValidationReport, validateAssignment } from '../authoring/validate';
import { gradeSubmissions, hashSubmission } from '../grading/grade';
import { parseShard, planGrading, selectShard } from '../grading/plan';
import { graderVersion } from '../grading/version';
import { createProgress } from './progress';
import { formatCheckReport, formatGradeSummary, palette } from '../../reports/console';
import { createReporters, type RunInfo } from '../../reports/index';
import { ReporterRunner } from '../../reports/reporter';
import { renderSubmissionReport } from '../../reports/html';
import { writeFileAtomic } from '../../reports/atomic';
import { scorePercent } from '../../reports/measures';
import type { SubmissionResult } from '../types';

export interface GradeArgs {
  [flag: string]: unknown;
  assignment: string;
  path: string;
  out: string;
  jobs?: number;
  /** Submissions per jest test file (default: chosen from the class size and workers). */
  batchSize?: number;
  /** Regrade even submissions whose result is current. */
  force?: boolean;
  /** `i/n`: grade only this deterministic slice of the class. */
  shard?: string;
  /** Exit with code 1 when any submission scores below this percentage (CI gates). */
  minScore?: number;
}

/** A per-test override in assignment.json that names no test of the suite is almost surely a typo. */
function warnUnknownOverrides(assignment: ReturnType<typeof loadAssignment>, results: SubmissionResult[]): void {
  const declared = results.find((r) => r.tests.length > 0)?.tests.map((t) => t.id);
  if (!declared || !assignment.tests) return;
  for (const id of Object.keys(assignment.tests)) {
    if (!declared.includes(id)) process.stderr.write(`mlgrade: ${assignment.specFile}: key "tests.${id}" matches no test of the suite (known ids are in any result.json)\n`);
  }
}

/** Prints what reporters could not write; true when something failed (results are safe either way). */
function reportFailures(reporters: ReporterRunner): boolean {
  for (const failure of reporters.failures) process.stderr.write(`mlgrade: ${failure}\n`);
  return reporters.failures.length > 0;
}

/**
 * The submissions at `target`: a folder (one submission, or a folder of them) or a zip of them
 * (an LMS bulk download such as Canvas's flat layout, or GitHub Classroom's folder per repo),
 * unpacked safely into a temporary folder; what was skipped is listed.
 */
async function submissionsAt(target: string, entryBase: string): Promise<SubmissionRef[]> {
  if (/\.zip$/i.test(target) && fs.existsSync(target) && fs.statSync(target).isFile()) {
    const dest = fs.mkdtempSync(path.join(os.tmpdir(), 'mlgrade-zip-'));
    process.once('exit', () => fs.rmSync(dest, { recursive: true, force: true }));
    const extraction = await extractSubmissionsZip(target, dest, entryBase);
    process.stdout.write(`Unpacked ${extraction.submissions.length} submission${extraction.submissions.length === 1 ? '' : 's'} from ${target}.\n`);
    for (const line of extraction.skipped) process.stdout.write(`  skipped: ${line}\n`);
    return extraction.submissions;
  }
  return discoverSubmissions(target, entryBase);
}

export async function gradeCommand(args: GradeArgs): Promise<number> {
  const assignment = loadAssignment(args.assignment);
  const shard = args.shard ? parseShard(args.shard) : undefined;
  const discovered = await submissionsAt(args.path, assignment.entry);
  const submissions = shard ? selectShard(discovered, shard) : discovered;
  const p = palette(process.stdout);
  const started = Date.now();
  const run: RunInfo = { assignment: { id: assignment.id, title: assignment.title, dueDate: assignment.dueDate }, outDir: path.resolve(args.out), scope: 'all', startedAt: new Date(started) };
  const plan = planGrading(submissions, run.outDir, { graderVersion: graderVersion(assignment), force: Boolean(args.force), hash: hashSubmission });
  if (shard) process.stdout.write(`Shard ${shard.index}/${shard.count}: ${submissions.length} of ${discovered.length} submissions.\n`);
  if (plan.kept.length) process.stdout.write(`${plan.kept.length} submission${plan.kept.length === 1 ? '' : 's'} unchanged since last graded with this grader: kept (use --force to regrade).\n`);
  const reporters = new ReporterRunner(createReporters(args));
  const progress = createProgress(plan.toGrade.length, process.stdout, p);
  const graded = plan.toGrade.length
    ? await gradeSubmissions(assignment, plan.toGrade, {
        scope: 'all',
        jobs: args.jobs,
        batchSize: args.batchSize,
        hashes: plan.hashes,
        onResult: (result) => {
          reporters.result(result, run);
          progress.done(result);
        },
      })
    : [];
  progress.stop();
  const byId = new Map([...plan.kept, ...graded].map((r) => [r.submission, r] as const));
  const results = submissions.map((ref) => byId.get(ref.id)!).filter(Boolean);
  await reporters.complete(results, run);
  warnUnknownOverrides(assignment, graded);
  process.stdout.write(formatGradeSummary(results, args.out, (Date.now() - started) / 1000, p, { graded: graded.length, kept: plan.kept.length }) + '\n');
  if (reportFailures(reporters)) return 1;
  if (args.minScore !== undefined) {
    const below = results.filter((r) => scorePercent(r) < args.minScore!);
    if (below.length) {
      process.stdout.write(`${below.length} submission${below.length === 1 ? '' : 's'} below --min-score ${args.minScore}%: ${below.map((r) => r.submission).join(', ')}\n`);
      return 1;
    }
  }
  return 0;
}

export interface CheckArgs {
  assignment: string;
  dir: string;
  /** Regrade whenever a file in the folder changes. */
  watch?: boolean;
  /** Also write the student-view HTML report to this file. */
  report?: string;
}

export async function checkCommand(args: CheckArgs): Promise<number> {
  const assignment = loadAssignment(args.assignment);
  const dir = path.resolve(args.dir);
  const once = async (): Promise<number> => {
    const [result] = await gradeSubmissions(assignment, [{ id: path.basename(dir), dir }], { scope: 'public', jobs: 1 });
    process.stdout.write(formatCheckReport(result, palette(process.stdout)) + '\n');
    if (args.report) {
      writeFileAtomic(path.resolve(args.report), renderSubmissionReport(result, 'student'));
      process.stdout.write(`Report: ${args.report}\n`);
    }
    return result.load.status === 'loaded' && result.tests.every((t) => t.status === 'passed') ? 0 : 1;
  };
  const code = await once();
  if (!args.watch) return code;
  return watchFolder(dir, once);
}

/**
 * Re-runs `task` whenever a source file in `dir` is saved (debounced; one run at a time).
 * Resolves only when the process is interrupted.
 */
function watchFolder(dir: string, task: () => Promise<number>): Promise<number> {
  process.stdout.write(`\nWatching ${dir} — save a file to check again (Ctrl-C to stop).\n`);
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let again = false;
  const trigger = () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      if (running) {
        again = true;
        return;
      }
      running = true;
      do {
        again = false;
        process.stdout.write('\n' + '─'.repeat(60) + '\n');
        await task();
      } while (again);
      running = false;
    }, 150);
  };
  fs.watch(dir, { recursive: false }, (_event, file) => {
    if (file && /\.(ts|js|mts|cts|mjs|cjs|json)$/.test(String(file))) trigger();
  });
  return new Promise(() => undefined);
}

export interface MergeArgs {
  [flag: string]: unknown;
  inputs: string[];
  out: string;
}

/**
 * Combines the output folders of `grade --shard i/n` runs into one gradebook: copies each
 * submission's results and rewrites the class-wide files (grades.csv, summary.json, dashboard).
 */
export async function mergeCommand(args: MergeArgs): Promise<number> {
  const { results, conflicts } = mergeOutputs(args.inputs, args.out);
  for (const conflict of conflicts) process.stderr.write(`mlgrade: ${conflict}\n`);
  let assignment: RunInfo['assignment'] = { id: results[0].assignment, title: results[0].assignment };
  try {
    const spec = loadAssignment(results[0].assignment);
    assignment = { id: spec.id, title: spec.title, dueDate: spec.dueDate };
  } catch {
    /* an assignment from a folder elsewhere: its id is enough for the class-wide files */
  }
  const run: RunInfo = { assignment, outDir: path.resolve(args.out), scope: 'all', startedAt: new Date() };
  // Per-submission files were copied; only the class-wide reporters run again.
  const reporters = new ReporterRunner(createReporters(args));
  await reporters.complete(results, run);
  if (reportFailures(reporters)) return 1;
  process.stdout.write(`Merged ${results.length} submission${results.length === 1 ? '' : 's'} from ${args.inputs.length} folder${args.inputs.length === 1 ? '' : 's'} into ${args.out}` + (conflicts.length ? ` (${conflicts.length} conflict${conflicts.length === 1 ? '' : 's'}: the newest result was kept)` : '') + '\n');
  return 0;
}

async function validateCommand(args: { assignment: string; jobs?: number }): Promise<number> {
  const report = await validateAssignment(args.assignment, { jobs: args.jobs });
  process.stdout.write(formatValidationReport(report) + '\n');
  return report.ok ? 0 : 1;
}

async function distCommand(args: { assignment: string; out: string }): Promise<number> {
  const { files } = await buildStudentKit(args.assignment, args.out);
  process.stdout.write(`Student kit for ${args.assignment} in ${args.out} (no reference code, no hidden tests):\n${files.map((f) => `  ${f}`).join('\n')}\n`);
  return 0;
}

function bundleKey(): string {
  const key = process.env.MLGRADE_BUNDLE_KEY;
  if (!key) throw new BundleError('set MLGRADE_BUNDLE_KEY to the bundle passphrase (in CI: a repository secret)');
  return key;
}

function bundleCommand(args: { action: string; input: string; out: string }): number {
  if (args.action === 'encrypt') {
    sealDirectory(args.input, args.out, bundleKey());
    process.stdout.write(`Sealed ${args.input} into ${args.out}.\n`);
  } else {
    const written = openBundle(args.input, args.out, bundleKey());
    process.stdout.write(`Unpacked ${written.length} file${written.length === 1 ? '' : 's'} into ${args.out}.\n`);
  }
  return 0;
}

function newCommand(args: { name: string; from?: string }): number {
  const { root, files } = args.from ? copyBuiltInAssignment(args.from, args.name) : newAssignment(args.name);
  process.stdout.write(`Created assignment ${args.name} in ${root}:\n${files.map((f) => `  ${f}`).join('\n')}\n`);
  process.stdout.write(`Next: edit reference/ and graders/${args.name}/, then \`npx mlgrade validate ${args.name}\`.\n`);
  return 0;
}

function initCommand(args: { dir: string }): number {
  const { root, files } = initCourse(args.dir);
  process.stdout.write(`Created a course in ${root}:\n${files.map((f) => `  ${f}`).join('\n')}\n`);
  process.stdout.write('Next: `npm install`, then `npx mlgrade new <assignment-id>`.\n');
  return 0;
}

/** Parses argv and runs the command; resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  let exitCode = 0;
  const run = (task: Promise<number>) =>
    task.then(
      (code) => {
        exitCode = code;
      },
      (error: unknown) => {
        if (error instanceof AssignmentSpecError || error instanceof SubmissionPathError || error instanceof ZipInputError || error instanceof MergeInputError || error instanceof BundleError || error instanceof ScaffoldError || error instanceof ValidationSetupError || error instanceof ModuleBundleError || (error instanceof Error && /^--shard/.test(error.message))) {
          process.stderr.write(`mlgrade: ${error.message}\n`);
          exitCode = 2;
          return;
        }
        throw error;
      },
    );
  await yargs(argv)
    .scriptName('mlgrade')
    .usage('$0 <command> [options]')
    .command(
      'grade <assignment> <path>',
      'Grade one submission folder, or every sub-folder of <path> (instructors, CI)',
      (y) =>
        y
          .positional('assignment', { type: 'string', demandOption: true, describe: 'assignment id (e.g. losses) or a folder with assignment.json' })
          .positional('path', { type: 'string', demandOption: true, describe: 'a submission folder, a folder of submission folders, or a .zip of them (Canvas, GitHub Classroom)' })
          .option('out', { type: 'string', demandOption: true, describe: 'output folder: <out>/<id>/result.json' })
          .option('jobs', { type: 'number', describe: 'parallel workers (default: number of cores)' })
          .option('batch-size', { type: 'number', describe: 'submissions per jest test file, each still in its own sandbox (default: from the class size and --jobs, at most 25)' })
          .option('force', { type: 'boolean', default: false, describe: 'regrade submissions whose result is current (same files, same grader)' })
          .option('shard', { type: 'string', describe: 'grade only slice i of n (e.g. 2/4), for CI matrices; combine with `mlgrade merge`' })
          .option('junit', { type: 'string', describe: 'also write JUnit XML to this file' })
          .option('html', { type: 'boolean', default: true, describe: 'write HTML reports and the class dashboard (--no-html to skip)' })
          .option('csv', { type: 'boolean', default: true, describe: 'write <out>/grades.csv (--no-csv to skip)' })
          .option('gradescope', { type: 'boolean', default: true, describe: 'write <out>/<id>/gradescope/results.json (--no-gradescope to skip)' })
          .option('github-summary', { type: 'boolean', default: true, describe: 'append a Markdown summary to $GITHUB_STEP_SUMMARY when it is set' })
          .option('min-score', { type: 'number', describe: 'exit 1 when a submission scores below this percentage (CI)' }),
      (a) => run(gradeCommand({ assignment: a.assignment!, path: a.path!, out: a.out, jobs: a.jobs, batchSize: a.batchSize, force: a.force, shard: a.shard, junit: a.junit, html: a.html, csv: a.csv, gradescope: a.gradescope, githubSummary: a.githubSummary, minScore: a.minScore })),
    )
    .command(
      'check <assignment> [dir]',
      'Self-check a submission against the public tests (students)',
      (y) =>
        y
          .positional('assignment', { type: 'string', demandOption: true, describe: 'assignment id (e.g. losses)' })
          .positional('dir', { type: 'string', default: '.', describe: 'the folder holding your entry file' })
          .option('watch', { type: 'boolean', default: false, describe: 'check again every time you save' })
          .option('report', { type: 'string', describe: 'also write an HTML report of the check to this file' }),
      (a) => run(checkCommand({ assignment: a.assignment!, dir: a.dir, watch: a.watch, report: a.report })),
    )
    .command(
      'merge <inputs..>',
      'Combine the output folders of sharded grade runs into one gradebook',
      (y) =>
        y
          .positional('inputs', { type: 'string', array: true, demandOption: true, describe: 'output folders of `grade --shard i/n` runs' })
          .option('out', { type: 'string', demandOption: true, describe: 'the merged output folder' })
          .option('junit', { type: 'string', describe: 'also write JUnit XML for the merged class' })
          .option('html', { type: 'boolean', default: true, describe: 'rewrite the class dashboard (--no-html to skip)' }),
      (a) => run(mergeCommand({ inputs: a.inputs as string[], out: a.out, junit: a.junit, html: a.html })),
    )
    .command(
      'validate <assignment>',
      'Grade the reference (must score 100%) and automatic mutants of it; report mutants the suite misses',
      (y) => y.positional('assignment', { type: 'string', demandOption: true }).option('jobs', { type: 'number' }),
      (a) => run(validateCommand({ assignment: a.assignment!, jobs: a.jobs })),
    )
    .command(
      'dist <assignment>',
      'Build the student kit: handout, starter, public cases, self-check instructions — no reference, no hidden tests',
      (y) => y.positional('assignment', { type: 'string', demandOption: true }).option('out', { type: 'string', demandOption: true }),
      (a) => run(distCommand({ assignment: a.assignment!, out: a.out })),
    )
    .command(
      'bundle <action> <input>',
      'Encrypt a folder of hidden tests into a bundle, or decrypt one (passphrase in MLGRADE_BUNDLE_KEY)',
      (y) =>
        y
          .positional('action', { choices: ['encrypt', 'decrypt'] as const, demandOption: true })
          .positional('input', { type: 'string', demandOption: true, describe: 'encrypt: the folder; decrypt: the bundle file' })
          .option('out', { type: 'string', demandOption: true, describe: 'encrypt: the bundle file; decrypt: the folder' }),
      (a) => run(Promise.resolve().then(() => bundleCommand({ action: a.action!, input: a.input!, out: a.out }))),
    )
    .command(
      'new <name>',
      'Add an assignment to the course in this folder (spec, reference, suite, handout, starter, examples, mutants), or copy a built-in one with --from',
      (y) =>
        y
          .positional('name', { type: 'string', demandOption: true, describe: 'the new assignment id (lower-case letters, digits, dashes)' })
          .option('from', { type: 'string', describe: 'copy this built-in assignment (losses, training) instead of the template' }),
      (a) => run(Promise.resolve().then(() => newCommand({ name: a.name!, from: a.from }))),
    )
    .command(
      'init [dir]',
      'Scaffold a course repository: package.json, tsconfig.json, assignments/, reference/, graders/, a grading workflow',
      (y) => y.positional('dir', { type: 'string', default: '.', describe: 'the course folder (created if needed)' }),
      (a) => run(Promise.resolve().then(() => initCommand({ dir: a.dir }))),
    )
    .demandCommand(1, 'Name a command: grade, check, merge, validate, dist, bundle or new (see --help).')
    .strict()
    .help()
    .fail((message, error, y) => {
      if (error) throw error;
      process.stderr.write(`${y.help()}\n\nmlgrade: ${message}\n`);
      exitCode = 2;
    })
    .parseAsync();
  return exitCode;
}
