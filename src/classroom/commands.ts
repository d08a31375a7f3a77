/**
 * `mlgrade classroom fetch` and `mlgrade classroom post`: the two command functions (they parse
 * nothing and print the results), the commands as data (`classroomFetchSpec`, `classroomPostSpec`:
 * usage, options, examples, exit codes, environment, run), which the main CLI registers under
 * `mlgrade classroom` (src/cli/commands/classroom.ts).
 *
 * The token comes from the environment only (`GH_TOKEN`, else `GITHUB_TOKEN`), never from a flag;
 * the GitHub server and API from `GITHUB_SERVER_URL` / `GITHUB_API_URL` (set on Actions runners;
 * tests point them at local stand-ins).
 *
 * Exit codes — fetch: 0 something was fetched (repositories that could not be are listed, kept in
 * the manifest, and make `post` exit 1); 1 nothing could be fetched; 2 bad usage (roster, --out,
 * --since). post: 0 every fetched submission got its comment and status; 1 something was not
 * posted (not fetched, not graded, refused by GitHub: listed); 2 bad usage (no grades folder, not a
 * manifest, no token without --dry-run).
 */
import { USAGE_EXIT, type CommandSpec } from '../cli/command';
import { optionalPath, optionalText, percentage, positiveInteger, requiredPath } from '../cli/usage';
import { ClassroomUsageError } from './errors';
import { classroomFetch, parseSince } from './fetch';
import { classroomPost } from './post';
import { githubSettings } from './settings';

/** Where the commands print, and the environment they read. */
export interface ClassroomIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env: NodeJS.ProcessEnv;
}

const processIo = (): ClassroomIo => ({ stdout: process.stdout, stderr: process.stderr, env: process.env });

/** A GitHub Actions workflow command (`::warning::`), its data escaped as the runner expects. */
function annotation(kind: 'warning' | 'error', text: string): string {
  return `::${kind} title=mlgrade classroom::${text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}\n`;
}

export interface ClassroomFetchArgs {
  roster: string;
  out: string;
  includePrs?: boolean;
  since?: string;
  org?: string;
  jobs?: number;
}

/**
 * `classroom fetch`: prints a line per submission and a total; resolves to the exit code.
 *
 * @example await classroomFetchCommand({ roster: 'roster.csv', out: 'work/repos', includePrs: true }) // returns 0
 */
export async function classroomFetchCommand(args: ClassroomFetchArgs, io: ClassroomIo = processIo()): Promise<number> {
  try {
    if (args.jobs !== undefined && !(Number.isInteger(args.jobs) && args.jobs >= 1)) {
      throw new ClassroomUsageError(`--jobs ${args.jobs}: give a whole number of repositories fetched at once, 1 or more`);
    }
    const settings = githubSettings(io.env);
    const report = await classroomFetch({
      roster: args.roster,
      out: args.out,
      includePrs: args.includePrs,
      since: args.since !== undefined ? parseSince(args.since) : undefined,
      org: args.org ?? settings.org,
      jobs: args.jobs,
      serverUrl: settings.serverUrl,
      apiUrl: settings.apiUrl,
      token: settings.token,
      log: (line) => io.stdout.write(`  ${line}\n`),
    });
    const { fetched, unchanged, failed } = report.counts;
    io.stdout.write(
      `Fetched ${fetched} submission${fetched === 1 ? '' : 's'} into ${args.out}/submissions` +
        (unchanged ? `, ${unchanged} unchanged since ${args.since}` : '') +
        (failed ? `; ${failed} could not be fetched (in the manifest; \`classroom post\` reports them)` : '') +
        `.\nManifest: ${report.manifestFile}\n`,
    );
    if (io.env.GITHUB_ACTIONS === 'true') {
      for (const entry of report.manifest.entries) {
        if (entry.status === 'failed') io.stdout.write(annotation('warning', `${entry.submission}: not fetched: ${entry.reason}`));
      }
      for (const warning of report.warnings) io.stdout.write(annotation('warning', warning));
    }
    return fetched + unchanged === 0 && failed > 0 ? 1 : 0;
  } catch (error) {
    if (error instanceof ClassroomUsageError) {
      io.stderr.write(`mlgrade: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

export interface ClassroomPostArgs {
  grades: string;
  manifest: string;
  dryRun?: string;
  minScore?: number;
  commitComments?: boolean;
}

/**
 * `classroom post`: prints a line per submission and what was not posted; resolves to the exit code.
 *
 * @example await classroomPostCommand({ grades: 'work/grades', manifest: 'work/repos/manifest.json', dryRun: 'preview' }) // returns 0
 */
export async function classroomPostCommand(args: ClassroomPostArgs, io: ClassroomIo = processIo()): Promise<number> {
  try {
    if (args.minScore !== undefined && !(args.minScore >= 0 && args.minScore <= 100)) {
      throw new ClassroomUsageError(`--min-score ${args.minScore}: give a percentage from 0 to 100`);
    }
    const settings = githubSettings(io.env);
    const report = await classroomPost({
      grades: args.grades,
      manifest: args.manifest,
      dryRun: args.dryRun,
      minScore: args.minScore,
      commitComments: args.commitComments,
      apiUrl: settings.apiUrl,
      token: settings.token,
      stepSummary: io.env.GITHUB_STEP_SUMMARY || undefined,
      log: (line) => io.stdout.write(`  ${line}\n`),
    });
    const posted = report.outcomes.filter((o) => o.status === 'posted').length;
    const problems = report.outcomes.filter((o) => o.status === 'not-posted' || o.status === 'failed');
    io.stdout.write(
      report.dryRun
        ? `Dry run: ${posted} comment${posted === 1 ? '' : 's'} and status${posted === 1 ? '' : 'es'} written to ${report.dryRun.folder} ` +
          '(<submission>.md, calls.json); nothing was sent.\n'
        : `Posted ${posted} result${posted === 1 ? '' : 's'}.\n`,
    );
    if (problems.length) {
      io.stdout.write(`${problems.length} not posted:\n${problems.map((o) => `  ${o.submission}: ${o.reason}`).join('\n')}\n`);
      if (io.env.GITHUB_ACTIONS === 'true') for (const o of problems) io.stdout.write(annotation('warning', `${o.submission}: not posted: ${o.reason}`));
    }
    return report.exitCode;
  } catch (error) {
    if (error instanceof ClassroomUsageError) {
      io.stderr.write(`mlgrade: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

/**
 * A classroom command as data — usage, positionals, options, examples, exit codes, environment
 * and the function that runs it — in the shape of the main CLI's command specs (src/cli/command.ts
 * on main), so the CLI can build its yargs definitions, help and unknown-flag check from one table.
 */
export interface ClassroomCommandSpec extends Omit<CommandSpec, 'name' | 'run' | 'subcommands'> {
  /** The sub-command's name under `mlgrade classroom`. */
  name: 'fetch' | 'post';
  /** Runs the command on yargs' parsed arguments; resolves to the exit code (bad usage: prints one line, 2). */
  run(args: Record<string, unknown>, argv?: readonly string[], io?: ClassroomIo): Promise<number>;
}

const TOKEN_ENVIRONMENT: [string, string] = ['GH_TOKEN', 'the token (else GITHUB_TOKEN): a GitHub App installation token or PAT; never a flag'];

/** `mlgrade classroom fetch`. */
export const classroomFetchSpec: ClassroomCommandSpec = {
  name: 'fetch',
  usage: 'fetch',
  describe: 'Fetch every repository of a roster into <out>/submissions/<id>/ (files only) and write <out>/manifest.json',
  positionals: {},
  options: {
    roster: { type: 'string', demandOption: true, describe: "CSV: github_username,repository (owner/name, URL or path), or GitHub Classroom's grades CSV" },
    out: { type: 'string', demandOption: true, describe: 'output folder: submissions/<id>/, manifest.json, git/ (bare clones kept between runs)' },
    'include-prs': { type: 'boolean', default: false, describe: 'also fetch the head of every open pull request, as submission <id>.pr<N>' },
    since: {
      type: 'string',
      requiresArg: true,
      describe: 'lay out only commits committed since this ISO date-time or duration (90m, 3h, 2d); older ones are "unchanged"',
    },
    org: {
      type: 'string',
      requiresArg: true,
      describe: 'owner of repositories the roster names without one (default: $GITHUB_REPOSITORY_OWNER)',
    },
    jobs: { type: 'string', requiresArg: true, describe: 'repositories fetched at once, a whole number ≥ 1 (default 4)' },
  },
  examples: [
    ['$0 classroom fetch --roster roster.csv --out work/repos --include-prs', "each student's default branch and open pull requests"],
    ['$0 classroom fetch --roster classroom-grades.csv --org ml-101-fall --out work/repos --since 3h', "from GitHub Classroom's grades CSV; only work committed in the last 3 hours"],
  ],
  exitCodes: [
    [0, 'fetched (repositories that could not be are listed and kept in the manifest; `classroom post` reports them)'],
    [1, 'nothing could be fetched'],
    USAGE_EXIT,
  ],
  environment: [
    TOKEN_ENVIRONMENT,
    ['GITHUB_SERVER_URL', 'the GitHub server (default https://github.com); the token goes to git only as a header for it'],
    ['GITHUB_API_URL', 'the REST API, asked which pull requests are open (default https://api.github.com)'],
    ['GITHUB_REPOSITORY_OWNER', 'the default of --org'],
  ],
  // Every value read as the other commands read theirs: given twice, empty or not a number is a slip (exit 2).
  run: (a, _argv, io) =>
    classroomFetchCommand(
      {
        roster: requiredPath('roster', a.roster, 'file'),
        out: requiredPath('out', a.out),
        includePrs: a.includePrs === true,
        since: optionalText('since', a.since, 'a date-time or a duration such as 3h'),
        org: optionalText('org', a.org, 'an owner (a user or organisation)'),
        jobs: positiveInteger('jobs', a.jobs),
      },
      io,
    ),
};

/** `mlgrade classroom post <grades>`. */
export const classroomPostSpec: ClassroomCommandSpec = {
  name: 'post',
  usage: 'post <grades>',
  describe: "Post each graded submission's student view: a pull-request or commit comment (updated in place) and a commit status",
  positionals: { grades: { type: 'string', demandOption: true, describe: 'the --out folder of `mlgrade grade` run on <fetch out>/submissions' } },
  options: {
    manifest: { type: 'string', demandOption: true, describe: 'the manifest.json written by `classroom fetch`' },
    'dry-run': {
      type: 'string',
      requiresArg: true,
      describe: 'write <submission>.md and calls.json into this folder instead of calling GitHub',
    },
    'min-score': {
      type: 'string',
      requiresArg: true,
      describe: 'the commit status is success from this percentage on, 0–100 (default 100)',
    },
    'commit-comments': { type: 'boolean', default: true, describe: 'comment on default-branch commits (the app needs Contents: write); --no-commit-comments: status only' },
  },
  examples: [
    ['$0 classroom post work/grades --manifest work/repos/manifest.json', 'comment and set statuses (GH_TOKEN)'],
    ['$0 classroom post work/grades --manifest work/repos/manifest.json --dry-run work/preview', 'see what would be posted; nothing is sent'],
  ],
  exitCodes: [
    [0, 'every fetched submission got its comment and status'],
    [1, 'something was not posted (not fetched, not graded, refused by GitHub): listed'],
    USAGE_EXIT,
  ],
  environment: [
    TOKEN_ENVIRONMENT,
    ['GITHUB_API_URL', 'the REST API (default https://api.github.com)'],
    ['GITHUB_STEP_SUMMARY', 'set (GitHub Actions): a table of what was posted is appended to the job summary'],
  ],
  run: (a, _argv, io) =>
    classroomPostCommand(
      {
        grades: requiredPath('grades', a.grades),
        manifest: requiredPath('manifest', a.manifest, 'file'),
        dryRun: optionalPath('dry-run', a.dryRun, 'folder'),
        minScore: percentage('min-score', a.minScore),
        commitComments: a.commitComments !== false,
      },
      io,
    ),
};
