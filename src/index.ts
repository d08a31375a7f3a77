/**
 * `mlgrade` — the programmatic API of the engine, for tools that drive grading themselves (the CLI
 * is built on it). Course authors write suites with `mlgrade/suite` and reuse the reference math
 * from `mlgrade/reference`.
 *
 * @example
 * import { gradeClass } from 'mlgrade';
 * const { results } = await gradeClass({ assignment: 'hinge', submissions: 'submissions/', outDir: 'grades' });
 * // results: a summary per submission (id, score, maximum, load status); the full results are in
 * // grades/submissions/<folder>/result.json: readStoredResult('grades', results[0].submission)
 *
 * @example
 * import { loadAssignment, discoverSubmissions, entryOf, gradeSubmissions } from 'mlgrade';
 * const assignment = loadAssignment('hinge');
 * const submissions = await discoverSubmissions('submissions/', entryOf(assignment)); // its languages too
 * const results = await gradeSubmissions(assignment, submissions, { scope: 'all' });
 *
 * @example
 * import { validateAssignment, formatValidationReport, buildStudentKit } from 'mlgrade';
 * const report = await validateAssignment('hinge'); // from a script file: it starts jest workers
 * console.log(formatValidationReport(report));
 * if (report.ok) await buildStudentKit('hinge', 'kits/hinge');
 */
export { loadAssignment, courseRoot, AssignmentSpecError, type AssignmentSpec, type ResolvedAssignment } from './assignments/spec';
export { discoverSubmissions, SubmissionPathError, type SubmissionRef } from './grading/discover';
export { entryOf } from './grading/entryFile';
export { extractSubmissionsZip, ZipInputError } from './grading/unzip';
export { gradeEach, gradeSubmissions, type GradeOptions } from './grading/grade';
export { gradeClass, type GradeClassOptions, type ClassPlan, type ClassRun } from './grading/run';
export { readStoredResult, type ResultSummary } from './grading/resultStore';
export { OutputFolderError } from './grading/outputFolder';
export {
  validateAssignment,
  formatValidationReport,
  ValidationSetupError,
  type ValidationReport,
  type CandidateOutcome,
  type ValidateOptions,
} from './authoring/validate';
export { buildStudentKit, KitBuildError } from './authoring/dist';
export { isolationStatus, type IsolationStatus } from './sandbox/isolation';
export { createReporters, type Reporter, type RunInfo, type RunResults } from '../reports/index';
export type * from './types';
