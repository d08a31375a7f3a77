/**
 * The run context of one submission's grading: which submission, where it is staged, limits,
 * and where results go. A generated jest entry file grades a batch of submissions (see
 * src/suite/runner.ts): each gets its own describe block, its own `Run` and its own sandbox,
 * and the run of the block being declared or executed is the active one.
 */
import type { Language } from '../assignments/spec';
import type { SandboxLimits } from '../sandbox/limits';
import type { PythonRuntime } from '../sandbox/python/launcher';
import { budgetFor, type BudgetAccount, type PlannedCall, type SubmissionSandbox } from '../sandbox/sandboxProcess';
import type { CheckMeta, TestResult, Visibility } from '../types';
import type { CheckPlan } from './plans';

export interface RunContext {
  submission: string;
  assignment: string;
  /** Staged entry file (the file the runtime loads), or undefined when the submission has no entry file. */
  entry?: string;
  /** The entry file as the student named it (`losses.py`, `hw1.ipynb`), when it differs from `entry`'s name. */
  entryName?: string;
  stageDir?: string;
  /** The submission's language, told by its entry file (undefined when it has none). */
  language?: Language;
  /**
   * Set when staging already shows the submission cannot load (no entry file, a syntax error, a
   * notebook that is not one) or cannot be run here (`no-sandbox`: Python without its sandbox).
   */
  stageFailure?: { reason: 'no-entry' | 'syntax' | 'no-sandbox'; message: string };
  /** Lines for the student from staging: how the entry was chosen, what a notebook's conversion skipped. */
  notes?: string[];
  /** Python submissions: names, allowed modules, how Python runs on this machine (decided once per run). */
  python?: PythonRunSettings;
  limits: SandboxLimits;
  allowedModules: string[];
  /** `public`: the student self-check; hidden checks are not even declared. */
  scope: 'all' | 'public';
  /** Resolved once per batch by the orchestrator (see SandboxOptions.resolved). */
  resolved?: { namespace: { kind: 'bwrap' | 'unshare'; path: string } | null; modules: { entries: Record<string, string>; readDirs: string[] } };
  /** Instructor overrides from assignment.json: per-test points/visibility, tolerances by name. */
  overrides?: Overrides;
  /** Where the suite writes its recorded results (JSON). */
  sidecar: string;
}

/** What a run needs to start Python submissions (plain data: it travels in the generated entry files). */
export interface PythonRunSettings {
  /** Export name → Python name. */
  names: Record<string, string>;
  /** Python modules allowed besides NumPy and the standard library. */
  allowedModules: string[];
  runtime: PythonRuntime;
  /**
   * The first of this run's sandbox uids when the grader is root: each jest worker slot and
   * visibility gets its own (RLIMIT_NPROC counts processes per uid, so one submission's fork
   * bomb cannot keep another's sandbox from starting).
   */
  uidBase: number;
}

export interface Overrides {
  tests?: Record<string, { points?: number; visibility?: 'public' | 'hidden' }>;
  tolerances?: Record<string, { rtol: number; atol: number }>;
}

/**
 * One submission's grading in progress: what its block declared and recorded, and its sandboxes.
 * Public and hidden checks call the submission in two separate sandbox processes, so code that
 * remembers the arguments of a hidden check can never show them in a public check's message.
 */
export interface Run {
  context: RunContext;
  declared: CheckMeta[];
  recorded: TestResult[];
  /** Calls the declared checks will make, by visibility, sent to each sandbox in one round trip (see check()). */
  planned: Record<Visibility, PlannedCall[]>;
  /** The declared checks described by plans (see planCheck()), in declaration order. */
  plans: { meta: CheckMeta; plan: CheckPlan }[];
  /** Ids of the declared checks with a custom body (not exportable to a student kit). */
  custom: string[];
  /** One sandbox per visibility, each created on its first call (see submission.ts). */
  sandboxes: Partial<Record<Visibility, SubmissionSandbox>>;
  /** Visibility of the check running now: its calls go to that visibility's sandbox. */
  current?: Visibility;
  /** The submission's wall-clock budget, shared by its sandboxes. */
  budget: BudgetAccount;
  /** When the run's first check started (ms since the epoch); set by the runner. */
  startedAt?: number;
}

/** A run of `context` with nothing declared yet. */
export function newRun(context: RunContext): Run {
  return { context, declared: [], recorded: [], planned: { public: [], hidden: [] }, plans: [], custom: [], sandboxes: {}, budget: budgetFor(context.limits) };
}

let active: Run | undefined;

/** Makes `run` the one that checks and calls refer to (undefined: none). */
export function activate(run: Run | undefined): void {
  active = run;
}

/** The active run; throws a clear error when a suite runs outside mlgrade. */
export function activeRun(): Run {
  if (!active) throw new Error('grading suites must be run by mlgrade (no submission is being graded: see src/suite/runner.ts)');
  return active;
}

/** The active run's context. */
export function runContext(): RunContext {
  return activeRun().context;
}

/** Set by the generated entry files before the suite is required: the batch's shared overrides. */
export const BATCH_SETTINGS_KEY = '__MLGRADE_BATCH__';

/** Names passed to {@link tolerancesFor} in this process, in order (what assignment.json may override). */
const toleranceNames: string[] = [];

/** The tolerance names suites loaded in this process declared (see {@link tolerancesFor}). */
export function declaredTolerances(): readonly string[] {
  return toleranceNames;
}

/**
 * The suite's default tolerances with the assignment's overrides applied (outside a run, the
 * defaults). Suites call this once when they are loaded.
 */
export function tolerancesFor<T extends Record<string, { rtol: number; atol: number }>>(defaults: T): T {
  toleranceNames.push(...Object.keys(defaults));
  const settings = (globalThis as Record<string, unknown>)[BATCH_SETTINGS_KEY] as { overrides?: Overrides } | undefined;
  const overrides = settings?.overrides?.tolerances ?? {};
  const merged = { ...defaults };
  for (const name of Object.keys(defaults) as (keyof T)[]) {
    const override = overrides[name as string];
    if (override) merged[name] = { ...override } as T[keyof T];
  }
  return merged;
}
