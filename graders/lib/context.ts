/**
 * The run context of one grading-suite execution: which submission, where it is staged, limits,
 * and where results go. Set by the generated jest entry file (see src/grading/jestEntry.ts)
 * before the suites are required.
 */
import type { SandboxLimits } from '../../src/sandbox/limits';

export interface RunContext {
  submission: string;
  assignment: string;
  /** Staged entry file, or undefined when the submission has no entry file. */
  entry?: string;
  stageDir?: string;
  /** Set when staging already shows the submission cannot load (no entry file, syntax error). */
  stageFailure?: { reason: 'no-entry' | 'syntax'; message: string };
  limits: SandboxLimits;
  allowedModules: string[];
  /** `public`: the student self-check; hidden checks are not even declared. */
  scope: 'all' | 'public';
  /** Resolved once per batch by the orchestrator (see SandboxOptions.resolved). */
  resolved?: { networkTool: string | null; modules: { entries: Record<string, string>; readDirs: string[] } };
  /** Instructor overrides from assignment.json: per-test points/visibility, tolerances by name. */
  overrides?: {
    tests?: Record<string, { points?: number; visibility?: 'public' | 'hidden' }>;
    tolerances?: Record<string, { rtol: number; atol: number }>;
  };
  /** Where the suite writes its recorded results (JSON). */
  sidecar: string;
}

const KEY = '__MLGRADE_RUN__';

/** The current run context; throws a clear error when a suite runs outside mlgrade. */
export function runContext(): RunContext {
  const context = (globalThis as Record<string, unknown>)[KEY] as RunContext | undefined;
  if (!context) throw new Error(`grading suites must be run by mlgrade (globalThis.${KEY} is not set)`);
  return context;
}

/** Used by the generated entry files. */
export const RUN_CONTEXT_KEY = KEY;

/**
 * The suite's default tolerances with the assignment's overrides applied (outside a run, the
 * defaults). Suites call this once when they are loaded.
 */
export function tolerancesFor<T extends Record<string, { rtol: number; atol: number }>>(defaults: T): T {
  const context = (globalThis as Record<string, unknown>)[KEY] as RunContext | undefined;
  const overrides = context?.overrides?.tolerances ?? {};
  const merged = { ...defaults };
  for (const name of Object.keys(defaults) as (keyof T)[]) {
    const override = overrides[name as string];
    if (override) merged[name] = { ...override } as T[keyof T];
  }
  return merged;
}
