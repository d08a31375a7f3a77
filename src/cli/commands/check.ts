/**
 * `mlgrade check <assignment> [dir]`: a student's self-check against the public tests, once or on
 * every save (`--watch`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadAssignment } from '../../assignments/spec';
import { gradeSubmissions } from '../../grading/grade';
import { ensureWritableFile } from '../../grading/outputFolder';
import { verifyOverrides } from '../../grading/overrides';
import { palette } from '../../../reports/console';
import { renderSubmissionReport } from '../../../reports/html';
import { writeFileAtomic } from '../../../reports/atomic';
import { formatCheck } from '../../../reports/checkReport';
import {
  ALLOW_UNSANDBOXED_PYTHON_OPTION,
  INTERRUPTED_EXIT,
  NO_COLOR_ENVIRONMENT,
  REQUIRE_ISOLATION_ENVIRONMENT,
  SANDBOX_ENVIRONMENT,
  USAGE_EXIT,
  type CommandSpec,
  type ParsedArgs,
} from '../command';
import { exitCleanlyOnSignal } from '../interrupt';
import { applyIsolationPolicy } from '../isolation';
import { watchFolder } from '../../watchFolder';
import { describeError } from '../errors';
import { envSwitch, optionalPath, UsageError } from '../usage';
import { unsandboxedPythonFlag } from './grade';
import { entryFileList, entryOf } from '../../grading/entryFile';

export interface CheckArgs {
  assignment: string;
  dir: string;
  /** Check again whenever a file in the folder changes. */
  watch: boolean;
  /** Also write the student-view HTML report to this file. */
  report?: string;
  requireIsolation: boolean;
  /** Run Python without its sandbox where there is none (--allow-unsandboxed-python). */
  allowUnsandboxedPython: boolean;
}

/** Checks every flag of `check` (throws UsageError naming the first bad one). */
export function resolveCheckArgs(args: ParsedArgs, env: NodeJS.ProcessEnv = process.env): CheckArgs {
  const requireIsolation = Boolean(args.requireIsolation) || envSwitch(env, 'MLGRADE_REQUIRE_ISOLATION');
  return {
    assignment: String(args.assignment),
    dir: args.dir === undefined ? '.' : String(args.dir),
    watch: Boolean(args.watch),
    report: optionalPath('report', args.report),
    requireIsolation,
    allowUnsandboxedPython: unsandboxedPythonFlag(args, requireIsolation),
  };
}

/** The submission folder to check: it must exist and be a folder. */
function submissionFolder(dir: string, entry: string): string {
  const absolute = path.resolve(dir);
  const hint = `pass the folder holding your ${entry}, or run mlgrade check inside it`;
  if (!fs.existsSync(absolute)) throw new UsageError(`no such folder: ${dir} — ${hint}`);
  if (!fs.statSync(absolute).isDirectory()) throw new UsageError(`${dir} is a file, not a folder — ${hint}`);
  return absolute;
}

async function runCheck(parsed: ParsedArgs): Promise<number> {
  const args = resolveCheckArgs(parsed);
  applyIsolationPolicy(args.requireIsolation);
  const assignment = loadAssignment(args.assignment);
  verifyOverrides(assignment);
  const entry = entryOf(assignment);
  const dir = submissionFolder(args.dir, entryFileList(entry));
  const report = args.report === undefined ? undefined : ensureWritableFile(args.report, '--report');
  // In --watch, Ctrl-C is how a student stops: nothing to add then.
  exitCleanlyOnSignal(() => (args.watch ? undefined : 'mlgrade: interrupted; the check did not finish'));
  const once = async (): Promise<number> => {
    const [result] = await gradeSubmissions(assignment, [{ id: path.basename(dir), dir }], {
      scope: 'public',
      jobs: 1,
      allowUnsandboxedPython: args.allowUnsandboxedPython,
      onNotice: (line) => process.stderr.write(`${line}\n`),
    });
    process.stdout.write(formatCheck(result, palette(process.stdout), entry) + '\n');
    if (report) {
      writeFileAtomic(report, renderSubmissionReport(result, 'student'));
      process.stdout.write(`Report: ${args.report}\n`);
    }
    return result.load.status === 'loaded' && result.tests.every((t) => t.status === 'passed') ? 0 : 1;
  };
  const code = await once();
  if (!args.watch) return code;
  return watchFolder(
    dir,
    once,
    (line) => process.stdout.write(line),
    (error) => process.stderr.write(describeError(error).text),
  );
}

/** `mlgrade check`: its arguments, options, help and what it runs. */
export const checkCommand: CommandSpec = {
  name: 'check',
  usage: 'check <assignment> [dir]',
  describe: 'Self-check a submission against the public tests (students)',
  positionals: {
    assignment: { type: 'string', describe: 'assignment id (e.g. losses) or a folder with assignment.json' },
    dir: { type: 'string', default: '.', describe: 'the folder holding your entry file (e.g. losses.ts, losses.py or a notebook)' },
  },
  options: {
    watch: { type: 'boolean', default: false, describe: 'check again every time you save' },
    report: { type: 'string', requiresArg: true, describe: 'also write an HTML report of the check to this file' },
    'require-isolation': { type: 'boolean', default: false, describe: 'refuse to run (exit 2) unless the code gets the full sandbox (bubblewrap)' },
    'allow-unsandboxed-python': ALLOW_UNSANDBOXED_PYTHON_OPTION,
  },
  examples: [
    ['$0 check losses', 'check the losses.ts (or losses.py, or the notebook) in this folder'],
    ['$0 check losses my-work/ --watch', 'check again on every save'],
    ['$0 check losses --report check.html', 'also write the HTML feedback page'],
  ],
  exitCodes: [
    [0, 'every public test passed (hidden tests run only when your instructor grades)'],
    [1, 'a public test failed, or the submission did not load'],
    USAGE_EXIT,
    INTERRUPTED_EXIT,
  ],
  environment: [REQUIRE_ISOLATION_ENVIRONMENT, ...SANDBOX_ENVIRONMENT, NO_COLOR_ENVIRONMENT],
  run: runCheck,
};
