/**
 * `mlgrade validate <assignment>` / `--all`: the reference and correct examples must score 100%,
 * and the suite must catch every fault example, author mutant and automatic mutant (the work is in
 * src/authoring/validate.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { courseRoot } from '../../assignments/spec';
import { formatValidationReport, validateAssignment } from '../../authoring/validate';
import { ALLOW_UNSANDBOXED_PYTHON_OPTION, INTERRUPTED_EXIT, SANDBOX_ENVIRONMENT, USAGE_EXIT, type CommandSpec, type ParsedArgs } from '../command';
import { exitCleanlyOnSignal } from '../interrupt';
import { positiveInteger, UsageError } from '../usage';

/** The ids to validate: the one named, or with --all every assignment of the course here. */
function assignmentsToValidate(args: ParsedArgs): string[] {
  if (args.all !== true) {
    if (args.assignment === undefined) throw new UsageError('name an assignment to validate, or pass --all for every assignment of the course — see mlgrade validate --help');
    return [String(args.assignment)];
  }
  if (args.assignment !== undefined) throw new UsageError('give an assignment or --all, not both');
  const root = courseRoot();
  if (!root) throw new UsageError('--all validates the assignments of the course in this folder, but there is no assignments/ folder here or above');
  const ids = fs.readdirSync(path.join(root, 'assignments')).filter((id) => fs.existsSync(path.join(root, 'assignments', id, 'assignment.json'))).sort();
  if (!ids.length) throw new UsageError(`no assignment in ${path.join(root, 'assignments')}: create one with \`mlgrade new <id>\``);
  return ids;
}

async function runValidate(args: ParsedArgs): Promise<number> {
  const jobs = positiveInteger('jobs', args.jobs);
  const allowUnsandboxedPython = Boolean(args.allowUnsandboxedPython);
  const ids = assignmentsToValidate(args);
  exitCleanlyOnSignal(() => 'mlgrade: interrupted; the validation did not finish');
  let ok = true;
  for (const id of ids) {
    const report = await validateAssignment(id, { jobs, allowUnsandboxedPython, onNotice: (line) => process.stderr.write(`${line}\n`) });
    process.stdout.write(formatValidationReport(report) + '\n');
    ok &&= report.ok;
  }
  return ok ? 0 : 1;
}

/** `mlgrade validate`: its arguments, options, help and what it runs. */
export const validateCommand: CommandSpec = {
  name: 'validate',
  usage: 'validate [assignment]',
  describe: "Prove a suite: the reference and correct examples score 100%, every fault example, mutants.ts mutant and automatic mutant loses points",
  positionals: {
    assignment: { type: 'string', describe: 'assignment id (e.g. losses) or a folder with assignment.json' },
  },
  options: {
    all: { type: 'boolean', describe: 'validate every assignment of the course in this folder' },
    jobs: { type: 'string', requiresArg: true, describe: 'parallel workers, a whole number ≥ 1 (default: number of cores)' },
    'allow-unsandboxed-python': ALLOW_UNSANDBOXED_PYTHON_OPTION,
  },
  examples: [
    ['$0 validate losses', 'prove the losses suite accepts the reference and catches every mutant'],
    ['$0 validate --all', "validate every assignment of the course (a course's npm test)"],
  ],
  exitCodes: [
    [0, 'the reference and correct examples score 100%, every mutant and fault example is caught'],
    [1, 'the reference or a correct example lost points, or a mutant or fault example passed the suite'],
    USAGE_EXIT,
    INTERRUPTED_EXIT,
  ],
  environment: SANDBOX_ENVIRONMENT,
  run: runValidate,
};
