/**
 * assignment.json's "tests" and "tolerances" override the suite's checks and tolerances by name:
 * a name the suite does not have would be silently ignored, so it is an error before grading.
 */
import { AssignmentSpecError, type ResolvedAssignment } from '../assignments/spec';
import { declareSuite, SuiteLoadError } from '../authoring/declareSuite';
import { closestMatch } from '../suggest';

/** What a suite offers to override: its check ids and the tolerance names it reads. */
export interface OverrideTargets {
  checkIds: readonly string[];
  tolerances: readonly string[];
}

/**
 * One message per override in `assignment` that names nothing in `targets` (pure).
 *
 * @example
 * overrideProblems({ ...spec, tests: { 'mse.acuracy.hand': { points: 3 } } }, targets)
 * // returns ['…/assignment.json: key "tests.mse.acuracy.hand": the suite has no test with this id (did you mean "mse.accuracy.hand"?)']
 */
export function overrideProblems(assignment: Pick<ResolvedAssignment, 'specFile' | 'tests' | 'tolerances'>, targets: OverrideTargets): string[] {
  const problems: string[] = [];
  for (const id of Object.keys(assignment.tests ?? {})) {
    if (targets.checkIds.includes(id)) continue;
    const near = closestMatch(id, targets.checkIds);
    const hint = near ? `did you mean "${near}"?` : 'the ids are listed in any result.json, under "tests"';
    problems.push(`${assignment.specFile}: key "tests.${id}": the suite has no test with this id (${hint})`);
  }
  for (const name of Object.keys(assignment.tolerances ?? {})) {
    if (targets.tolerances.includes(name)) continue;
    const near = closestMatch(name, targets.tolerances);
    const known = targets.tolerances.length ? `its tolerances are ${targets.tolerances.join(', ')}` : 'it reads no tolerance by name';
    const hint = near ? `did you mean "${near}"? ` : '';
    problems.push(`${assignment.specFile}: key "tolerances.${name}": the suite has no tolerance of this name (${hint}${known})`);
  }
  return problems;
}

/**
 * Checks assignment.json's overrides against the suite, declared in this process (instructor code
 * only, no submission). Does nothing when the spec overrides nothing. Throws AssignmentSpecError
 * naming every override that matches nothing, or when the suite cannot be declared.
 */
export function verifyOverrides(assignment: ResolvedAssignment): void {
  if (!Object.keys(assignment.tests ?? {}).length && !Object.keys(assignment.tolerances ?? {}).length) return;
  let targets: OverrideTargets;
  try {
    const declared = declareSuite(assignment, 'all');
    targets = { checkIds: declared.declared.map((check) => check.id), tolerances: declared.tolerances };
  } catch (error) {
    if (error instanceof SuiteLoadError) {
      throw new AssignmentSpecError(`${assignment.specFile}: cannot check "tests" and "tolerances" against the suite: ${error.message}`);
    }
    throw error;
  }
  const problems = overrideProblems(assignment, targets);
  if (problems.length === 1) throw new AssignmentSpecError(problems[0]);
  if (problems.length) throw new AssignmentSpecError(`Invalid assignment spec:\n${problems.map((line) => `  ${line}`).join('\n')}`);
}
