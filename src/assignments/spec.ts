/**
 * Assignment specs: `assignments/<id>/assignment.json`, validated with zod. Errors name the
 * file and the key.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { DEFAULT_LIMITS, type SandboxLimits } from '../sandbox/limits';
import { distDir, packageRoot } from '../paths';

const limitsSchema = z
  .object({
    callTimeoutMs: z.number().int().positive().max(600_000),
    loadTimeoutMs: z.number().int().positive().max(600_000),
    memoryMb: z.number().int().min(32).max(16_384),
    outputBytes: z.number().int().min(0).max(16 * 1024 * 1024),
    maxRestarts: z.number().int().min(0).max(1000),
    processCpuSeconds: z.number().int().min(1).max(3600),
    replyBytes: z.number().int().min(1024).max(1024 * 1024 * 1024),
    submissionBudgetMs: z.number().int().positive().max(24 * 3600 * 1000),
  })
  .partial()
  .strict();

export const assignmentSpecSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9-]*$/, 'lower-case letters, digits and dashes'),
    title: z.string().min(1),
    /** Entry file name without extension: the submission holds `<entry>.ts` or `<entry>.js`. */
    entry: z.string().regex(/^[A-Za-z0-9_-]+$/),
    /** Functions a submission must export. */
    exports: z.array(z.string().min(1)).min(1),
    /** Folder under graders/ holding the suites (its index is required by each run). */
    grader: z.string().regex(/^[a-z][a-z0-9-]*$/),
    limits: limitsSchema.optional(),
    /** Bare modules a submission may import. */
    allowedModules: z.array(z.string()).default(['mathjs']),
    /** ISO date; informational (reports show it). */
    dueDate: z.string().optional(),
    /** Per-test overrides of the suite's defaults, by check id (e.g. "mseGrad.gradient.reference"). */
    tests: z.record(z.string(), z.object({ points: z.number().min(0).max(1000).optional(), visibility: z.enum(['public', 'hidden']).optional() }).strict()).optional(),
    /** Tolerance overrides by the suite's tolerance name (losses: activation, loss, gradient, exact; training: history, parameters). */
    tolerances: z.record(z.string(), z.object({ rtol: z.number().min(0).max(1), atol: z.number().min(0) }).strict()).optional(),
  })
  .strict();

export type AssignmentSpec = z.infer<typeof assignmentSpecSchema>;

/** A spec with everything resolved: limits filled in, paths absolute. */
export interface ResolvedAssignment extends Omit<AssignmentSpec, 'limits'> {
  limits: SandboxLimits;
  /** Folder of the assignment (handout, starter, examples). */
  dir: string;
  specFile: string;
  /** Compiled grading suite entry. */
  graderEntry: string;
}

/** Thrown for a spec that is missing or invalid; the message names file and key. */
export class AssignmentSpecError extends Error {
  override readonly name = 'AssignmentSpecError';
}

/**
 * Resolves `nameOrDir` (a built-in assignment id such as `losses`, or a folder holding an
 * assignment.json) to a validated assignment.
 */
export function loadAssignment(nameOrDir: string): ResolvedAssignment {
  const builtIn = path.join(packageRoot(), 'assignments', nameOrDir);
  const dir = fs.existsSync(path.join(nameOrDir, 'assignment.json')) ? path.resolve(nameOrDir) : builtIn;
  const specFile = path.join(dir, 'assignment.json');
  if (!fs.existsSync(specFile)) {
    const known = fs.existsSync(path.join(packageRoot(), 'assignments')) ? fs.readdirSync(path.join(packageRoot(), 'assignments')).filter((d) => fs.existsSync(path.join(packageRoot(), 'assignments', d, 'assignment.json'))) : [];
    throw new AssignmentSpecError(`Unknown assignment "${nameOrDir}": no ${specFile}. Known assignments: ${known.join(', ') || 'none'}.`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(specFile, 'utf8'));
  } catch (error) {
    throw new AssignmentSpecError(`${specFile}: not valid JSON (${(error as Error).message})`);
  }
  const parsed = assignmentSpecSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${specFile}: key "${issue.path.join('.') || '(top level)'}": ${issue.message}`);
    throw new AssignmentSpecError(`Invalid assignment spec:\n${problems.join('\n')}`);
  }
  const spec = parsed.data;
  if (spec.dueDate !== undefined && Number.isNaN(Date.parse(spec.dueDate))) {
    throw new AssignmentSpecError(`Invalid assignment spec:\n  ${specFile}: key "dueDate": not a date (use ISO 8601, e.g. 2026-12-01T23:59:00Z), got "${spec.dueDate}"`);
  }
  const graderEntry = path.join(distDir(), 'graders', spec.grader, 'index.js');
  return { ...spec, limits: { ...DEFAULT_LIMITS, ...spec.limits }, dir, specFile, graderEntry };
}
