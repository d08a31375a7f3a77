/**
 * Shared data types of mlgrade. Results are plain data (JSON-serialisable) and unions on a
 * literal `status`; reporters render them, they never render themselves.
 */

/** What a check is about. */
export type Category = 'interface' | 'accuracy' | 'gradient' | 'stability' | 'convergence';
/** Every category, in the order reports list them. */
export const CATEGORIES: readonly Category[] = ['interface', 'accuracy', 'gradient', 'stability', 'convergence'];

/** `public` tests show everything to students; `hidden` ones show name and pass/fail only. */
export type Visibility = 'public' | 'hidden';

/** Outcome of one test. `error` = the student's code threw, crashed or returned garbage. */
export type TestStatus = 'passed' | 'failed' | 'error' | 'timeout';

/** Static description of one check, declared by a grading suite. */
export interface CheckMeta {
  /** Stable id, unique within an assignment, e.g. `mseGrad.gradient.reference`. */
  id: string;
  /** Human-readable name. */
  name: string;
  /** The export under test. */
  function: string;
  category: Category;
  points: number;
  visibility: Visibility;
}

/** One element-wise comparison, kept so that reports can show a table. */
export interface Comparison {
  /** What was called, e.g. `mseGrad(yTrue, yPred)`. */
  call: string;
  /** Named inputs (already plain data). Never shown to students for hidden tests. */
  inputs?: Record<string, unknown>;
  expected?: unknown;
  got?: unknown;
  /** Index of the worst element (flat index, or [row, col]). */
  worstIndex?: number | [number, number];
  worstExpected?: number;
  worstGot?: number;
  absDiff?: number;
  relDiff?: number;
  mismatched?: number;
  total?: number;
  tolerance?: { rtol?: number; atol?: number; maxRelError?: number };
}

/** A loss curve, for convergence tests. */
export interface Curve {
  label: string;
  values: number[];
}

/** Extra data a check attaches to its result (all optional). */
export interface TestDetails {
  comparison?: Comparison;
  /** One-line hypothesis for the likely mistake, e.g. "gradient is 8.00× the reference (N = 8)". */
  diagnosis?: string;
  curves?: Curve[];
}

/** Result of one test, as written to result.json. */
export interface TestResult extends CheckMeta {
  status: TestStatus;
  score: number;
  maxScore: number;
  message: string;
  diagnosis?: string;
  details?: TestDetails;
  durationMs?: number;
}

/** How the submission loaded. */
export type LoadOutcome =
  | { status: 'loaded'; entry: string; exports: string[] }
  /** `no-sandbox`: a Python submission on a machine that cannot sandbox Python (a grader problem: graded again next run). */
  | { status: 'failed'; reason: 'no-entry' | 'syntax' | 'threw' | 'exited' | 'timeout' | 'crashed' | 'no-sandbox'; message: string };

/** Which isolation layers were in force for a run. */
export interface IsolationReport {
  process: 'child-process';
  /** The submission's runtime (absent in results written before Python was supported: node). */
  runtime?: 'node' | 'python';
  /** Node's permission model (always false for Python, whose boundary is the OS sandbox alone). */
  permissionModel: boolean;
  network: 'namespace' | 'not-isolated';
  /** `namespace`: the submission runs in its own PID namespace and can signal no other process. */
  processes?: 'namespace' | 'not-isolated';
  /** `private-root`: a file system of its own (bwrap) holding only what node needs; `host`: the machine's, limited by the permission model. */
  filesystem?: 'private-root' | 'host';
  memoryLimitMb: number;
  callTimeoutMs: number;
  scrubbedEnv: boolean;
  /**
   * Set when Python ran without its sandbox (no bubblewrap here), which only an explicit choice
   * allows: the instructor's --allow-unsandboxed-python, or a student kit on the student's own
   * machine. Says why and who chose it.
   */
  unsandboxed?: string;
}

/** Captured stdout/stderr of the submission (instructor view only). */
export interface CapturedOutput {
  text: string;
  bytes: number;
  truncated: boolean;
}

/** Where a submission came from, when its LMS download said so. */
export interface SubmissionOrigin {
  lms: 'canvas' | 'github-classroom' | 'folder';
  /** Canvas user id (the number after the name in Canvas download names), for gradebook import. */
  userId?: string;
  /** The student's name token from the download, e.g. "doejane". */
  student?: string;
  /** Canvas marked the submission late. */
  late?: boolean;
  /** What was changed while unpacking (renames, case fixes), in words for the student. */
  notes?: string[];
}

/**
 * What running the submission cost, over all its sandbox processes (public and hidden checks,
 * every restart): wall-clock time spent in calls and loading, and CPU time (user + system).
 */
export interface SandboxUsageReport {
  wallMs: number;
  cpuMs: number;
  /** The wall-clock budget the submission had for all of it (see the README's threat model). */
  budgetMs: number;
}

/** The result of grading one submission — the `result.json` contract. */
export interface SubmissionResult {
  submission: string;
  assignment: string;
  score: number;
  maxScore: number;
  tests: TestResult[];
  load: LoadOutcome;
  isolation?: IsolationReport;
  /** Time the submission's code used (absent when it never ran: no entry file, a syntax error). */
  usage?: SandboxUsageReport;
  output?: CapturedOutput;
  /** The submission's language, told by its entry file (absent when it had none, and in results of earlier versions). */
  language?: 'typescript' | 'javascript' | 'python';
  /**
   * Python submissions: export name → the Python name the student wrote (the tests' `function`
   * stays the export name, the key shared by every language; reports show this name).
   */
  names?: Record<string, string>;
  /** Which tests ran: all, or only the public ones (student self-check). */
  scope: 'all' | 'public';
  graderVersion: string;
  contentHash?: string;
  /** Where the submission came from (LMS download facts), when known. */
  origin?: SubmissionOrigin;
  gradedAt: string;
  durationMs: number;
  /**
   * Set when the grade is incomplete for the grader's reasons, not the student's (a grader process
   * died, jest did not run the submission): what happened. A resumed run never keeps such a result;
   * it grades the submission again.
   */
  graderFailure?: string;
}
