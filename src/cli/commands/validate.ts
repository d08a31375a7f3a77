/**
 * `mlgrade validate <assignment>`: the reference must score 100% and the suite must catch every
 * automatic mutant of it (the work is in src/authoring/validate.ts).
 */
import { formatValidationReport, validateAssignment } from '../../authoring/validate';
import { INTERRUPTED_EXIT, SANDBOX_ENVIRONMENT, USAGE_EXIT, type CommandSpec, type ParsedArgs } from '../command';
import { exitCleanlyOnSignal } from '../interrupt';
import { positiveInteger } from '../usage';

async function runValidate(args: ParsedArgs): Promise<number> {
  const jobs = positiveInteger('jobs', args.jobs);
  exitCleanlyOnSignal(() => 'mlgrade: interrupted; the validation did not finish');
  const report = await validateAssignment(String(args.assignment), { jobs });
  process.stdout.write(formatValidationReport(report) + '\n');
  return report.ok ? 0 : 1;
}

/** `mlgrade validate`: its arguments, options, help and what it runs. */
export const validateCommand: CommandSpec = {
  name: 'validate',
  usage: 'validate <assignment>',
  describe: 'Grade the reference (must score 100%) and automatic mutants of it; report mutants the suite misses',
  positionals: {
    assignment: { type: 'string', describe: 'assignment id (e.g. losses) or a folder with assignment.json' },
  },
  options: {
    jobs: { type: 'string', requiresArg: true, describe: 'parallel workers, a whole number ≥ 1 (default: number of cores)' },
  },
  examples: [['$0 validate losses', 'prove the losses suite accepts the reference and catches every mutant']],
  exitCodes: [
    [0, 'the reference scores 100% and every mutant is caught'],
    [1, 'the reference lost points, or a mutant passed the suite'],
    USAGE_EXIT,
    INTERRUPTED_EXIT,
  ],
  environment: SANDBOX_ENVIRONMENT,
  run: runValidate,
};
