/**
 * `mlgrade grade <assignment> <path> --out <dir>`: grades a class (or one submission) through
 * {@link gradeClass} and prints its progress and summary. Flags are checked before anything runs.
 */
import { gradeClass, type ClassPlan } from '../../grading/run';
import type { Shard } from '../../grading/plan';
import { formatGradeSummary, palette } from '../../../reports/console';
import { scorePercent } from '../../../reports/measures';
import type { ResultSummary } from '../../grading/resultStore';
import {
  ALLOW_UNSANDBOXED_PYTHON_OPTION,
  CANVAS_OPTIONS,
  JUNIT_INCLUDE_HIDDEN_OPTION,
  NO_COLOR_ENVIRONMENT,
  REQUIRE_ISOLATION_ENVIRONMENT,
  SANDBOX_ENVIRONMENT,
  USAGE_EXIT,
  type CommandSpec,
  type ParsedArgs,
} from '../command';
import { exitCleanlyOnSignal, shellCommand } from '../interrupt';
import { applyIsolationPolicy } from '../isolation';
import { createProgress, type Progress } from '../progress';
import { canvasArgs, envSwitch, junitArgs, percentage, positiveInteger, requiredPath, shard, UsageError } from '../usage';
import { plural } from '../plural';

/** The checked options of a grade run. */
export interface GradeArgs {
  assignment: string;
  path: string;
  out: string;
  jobs?: number;
  batchSize?: number;
  force: boolean;
  shard?: Shard;
  minScore?: number;
  requireIsolation: boolean;
  /** Run Python submissions without their sandbox where there is none (--allow-unsandboxed-python). */
  allowUnsandboxedPython: boolean;
  junit?: string;
  /** Hidden tests in full in the JUnit file (--junit-include-hidden; needs --junit). */
  junitIncludeHidden: boolean;
  html: boolean;
  csv: boolean;
  gradescope: boolean;
  canvas: boolean;
  /** The Canvas gradebook's assignment column (--canvas-assignment): an id, `Title (id)` or a title. */
  canvasAssignment?: string;
  githubSummary: boolean;
}

/** Checks every flag of `grade` (throws UsageError naming the first bad one). */
export function resolveGradeArgs(args: ParsedArgs, env: NodeJS.ProcessEnv = process.env): GradeArgs {
  const requireIsolation = Boolean(args.requireIsolation) || envSwitch(env, 'MLGRADE_REQUIRE_ISOLATION');
  const allowUnsandboxedPython = unsandboxedPythonFlag(args, requireIsolation);
  const { junit, junitIncludeHidden } = junitArgs(args);
  const { canvas, canvasAssignment } = canvasArgs(args);
  return {
    assignment: String(args.assignment),
    path: String(args.path),
    out: requiredPath('out', args.out),
    jobs: positiveInteger('jobs', args.jobs),
    batchSize: positiveInteger('batch-size', args.batchSize),
    force: Boolean(args.force),
    shard: shard(args.shard),
    minScore: percentage('min-score', args.minScore),
    requireIsolation,
    allowUnsandboxedPython,
    junit,
    junitIncludeHidden,
    html: args.html !== false,
    csv: args.csv !== false,
    gradescope: args.gradescope !== false,
    canvas,
    canvasAssignment,
    githubSummary: args.githubSummary !== false,
  };
}

/**
 * `--allow-unsandboxed-python`, refused together with --require-isolation (one asks for the full
 * sandbox, the other runs Python without one).
 */
export function unsandboxedPythonFlag(args: ParsedArgs, requireIsolation: boolean): boolean {
  const allow = Boolean(args.allowUnsandboxedPython);
  if (allow && requireIsolation) {
    throw new UsageError('--allow-unsandboxed-python runs Python without the sandbox, which --require-isolation (or MLGRADE_REQUIRE_ISOLATION=1) refuses: give one of them');
  }
  return allow;
}

/** The command that resumes an interrupted run: the same one, without --force (which would start over). */
export function resumeCommand(argv: readonly string[]): string {
  return `mlgrade ${shellCommand(argv.filter((arg) => !/^--force(=true)?$/.test(arg)))}`;
}

async function runGrade(parsed: ParsedArgs, argv: readonly string[]): Promise<number> {
  const args = resolveGradeArgs(parsed);
  applyIsolationPolicy(args.requireIsolation);
  const p = palette(process.stdout);
  let plan: ClassPlan | undefined;
  let progress: Progress | undefined;
  let saved = 0;
  const stopListening = exitCleanlyOnSignal(() => {
    progress?.stop();
    if (!plan) return `mlgrade: interrupted before grading started; nothing was graded. Run again with: ${resumeCommand(argv)}`;
    const total = plan.kept.length + saved;
    const left = plan.submissions.length - total;
    return [
      `mlgrade: interrupted: ${plural(total, 'result')} saved in ${plan.outDir} (${plan.kept.length} kept from earlier runs, ${saved} graded now); ` +
        `${plural(left, 'submission')} not graded yet.`,
      `Resume with: ${resumeCommand(argv)}`,
    ].join('\n');
  });
  try {
    const classRun = await gradeClass({
      assignment: args.assignment,
      submissions: args.path,
      outDir: args.out,
      jobs: args.jobs,
      batchSize: args.batchSize,
      force: args.force,
      shard: args.shard,
      junit: args.junit,
      junitIncludeHidden: args.junitIncludeHidden,
      html: args.html,
      csv: args.csv,
      gradescope: args.gradescope,
      canvas: args.canvas,
      canvasAssignment: args.canvasAssignment,
      githubSummary: args.githubSummary,
      allowUnsandboxedPython: args.allowUnsandboxedPython,
      onNotice: (line) => process.stderr.write(`${line}\n`),
      onUnpacked: ({ zip, submissions, skipped }) => {
        process.stdout.write(`Unpacked ${plural(submissions, 'submission')} from ${zip}.\n`);
        for (const line of skipped) process.stdout.write(`  skipped: ${line}\n`);
      },
      onSkipped: (skipped) => {
        for (const line of skipped) process.stdout.write(`  skipped: ${line}\n`);
      },
      onPlan: (known) => {
        plan = known;
        if (known.shard) {
          const { index, count } = known.shard;
          process.stdout.write(`Shard ${index}/${count}: ${known.submissions.length} of ${known.discovered} submissions.\n`);
        }
        if (known.kept.length) {
          const are = known.kept.length === 1 ? 'submission' : 'submissions';
          process.stdout.write(`${known.kept.length} ${are} unchanged since last graded with this grader: kept (use --force to regrade).\n`);
        }
        progress = createProgress(known.toGrade.map((ref) => ref.id), process.stdout, p);
      },
      onResult: (result) => {
        // A result cut short by the grader is graded again by the next run: not saved work.
        if (result.graderFailure === undefined) saved++;
        progress?.done(result);
      },
    });
    progress?.stop();
    const { graded, results, reporterFailures, durationMs } = classRun;
    process.stdout.write(formatGradeSummary(results, String(args.out), durationMs / 1000, p, { graded: graded.length, kept: classRun.plan.kept.length }) + '\n');
    for (const failure of reporterFailures) process.stderr.write(`mlgrade: ${failure}\n`);
    if (reporterFailures.length) return 1;
    return belowMinScore(results, args.minScore);
  } finally {
    stopListening();
  }
}

/** 1 (and names them) when submissions score below `minScore`, else 0. */
function belowMinScore(results: readonly ResultSummary[], minScore: number | undefined): number {
  if (minScore === undefined) return 0;
  const below = results.filter((r) => scorePercent(r) < minScore);
  if (!below.length) return 0;
  process.stdout.write(`${plural(below.length, 'submission')} below --min-score ${minScore}%: ${below.map((r) => r.submission).join(', ')}\n`);
  return 1;
}

/** `mlgrade grade`: its arguments, options, help and what it runs. */
export const gradeCommand: CommandSpec = {
  name: 'grade',
  usage: 'grade <assignment> <path>',
  describe: 'Grade one submission folder, or every sub-folder of <path> (instructors, CI)',
  positionals: {
    assignment: { type: 'string', describe: 'assignment id (e.g. losses) or a folder with assignment.json' },
    path: { type: 'string', describe: 'a submission folder, a folder of submission folders, or a .zip of them (Canvas, GitHub Classroom)' },
  },
  options: {
    out: {
      type: 'string',
      demandOption: true,
      requiresArg: true,
      describe: 'output folder: <out>/<id>/result.json (created; checked writable before grading)',
    },
    jobs: { type: 'string', requiresArg: true, describe: 'parallel workers, a whole number ≥ 1 (default: number of cores)' },
    'batch-size': {
      type: 'string',
      requiresArg: true,
      describe:
        'submissions per jest test file, a whole number ≥ 1, each still in its own sandbox ' +
        '(default: from the class size and --jobs, at most 25)',
    },
    force: { type: 'boolean', default: false, describe: 'regrade submissions whose result is current (same files, same grader)' },
    shard: { type: 'string', requiresArg: true, describe: 'grade only slice i of n (e.g. 2/4), for CI matrices; combine with `mlgrade merge`' },
    'min-score': { type: 'string', requiresArg: true, describe: 'exit 1 when a submission scores below this percentage, 0–100 (CI)' },
    'require-isolation': {
      type: 'boolean',
      default: false,
      describe: 'refuse to grade (exit 2) unless submissions get the full sandbox (bubblewrap)',
    },
    'allow-unsandboxed-python': ALLOW_UNSANDBOXED_PYTHON_OPTION,
    junit: { type: 'string', requiresArg: true, describe: 'also write JUnit XML to this file' },
    'junit-include-hidden': JUNIT_INCLUDE_HIDDEN_OPTION,
    html: { type: 'boolean', default: true, describe: 'write HTML reports and the class dashboard (--no-html to skip)' },
    csv: { type: 'boolean', default: true, describe: 'write <out>/grades.csv (--no-csv to skip)' },
    gradescope: { type: 'boolean', default: true, describe: 'write <out>/<id>/gradescope/results.json (--no-gradescope to skip)' },
    ...CANVAS_OPTIONS,
    'github-summary': { type: 'boolean', default: true, describe: 'append a Markdown summary to $GITHUB_STEP_SUMMARY when it is set' },
  },
  examples: [
    ['$0 grade losses submissions/ --out grades/', 'grade every sub-folder of submissions/ (id = folder name)'],
    [
      '$0 grade losses submissions.zip --out grades/ --canvas-assignment 4521',
      'grade a Canvas bulk download; grades/canvas-gradebook.csv imports into assignment 4521',
    ],
    ['$0 grade losses student/ --out out/ --min-score 60 --require-isolation', 'a CI gate: exit 1 below 60%'],
    ['$0 grade losses subs/ --out out/3 --shard 3/8', 'one slice of a class; then `mlgrade merge out/* --out gradebook`'],
  ],
  exitCodes: [
    [0, 'graded; every submission at or above --min-score'],
    [1, 'a submission scored below --min-score, or an output format could not be written (results already written stay)'],
    USAGE_EXIT,
    [130, 'interrupted (Ctrl-C; 143 for SIGTERM): results so far are kept; the same command resumes'],
  ],
  environment: [
    REQUIRE_ISOLATION_ENVIRONMENT, ...SANDBOX_ENVIRONMENT,
    ['GITHUB_STEP_SUMMARY', 'a file: a Markdown summary of the run is appended to it (GitHub Actions sets it)'],
    NO_COLOR_ENVIRONMENT,
  ],
  run: runGrade,
};
