/**
 * Assignment specs: `assignments/<id>/assignment.json`, validated with zod. Errors name the
 * file and the key.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { DEFAULT_LIMITS, type SandboxLimits } from '../sandbox/limits';
import { pythonNames } from '../sandbox/python/names';
import { packageRoot } from '../paths';

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

/** The languages a submission may be written in; its entry file's extension says which it is. */
export const LANGUAGES = ['typescript', 'javascript', 'python'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Python submissions (only when `languages` has "python"). */
const pythonSchema = z
  .object({
    /**
     * Export name → the Python name students write, where PEP 8's snake_case of the export name
     * (`mseGrad` → `mse_grad`) is not what the handout says (e.g. `{ "computeMSE": "compute_MSE" }`).
     */
    names: z.record(z.string(), z.string()).optional(),
    /** Python modules a submission may import besides NumPy (always) and the standard library, e.g. ["scipy"]. */
    allowedModules: z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a top-level Python module name')).optional(),
    /** Notebook cells with one of these tags are not run (besides `mlgrade-skip` and Otter's `otter_ignore`). */
    skipTags: z.array(z.string().min(1)).optional(),
  })
  .strict();

export const assignmentSpecSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9-]*$/, 'lower-case letters, digits and dashes'),
    title: z.string().min(1),
    /** Entry file name without extension: the submission holds `<entry>.ts` or `<entry>.js`. */
    entry: z.string().regex(/^[A-Za-z0-9_-]+$/),
    /** Functions a submission must export. */
    exports: z.array(z.string().min(1)).min(1),
    /**
     * The grading suite: a name (the course's `graders/<name>/index.ts`) or a path relative to this
     * file (e.g. `../../graders/hinge/index.ts`). TypeScript runs as is: no build step.
     */
    grader: z.string().min(1),
    /**
     * The reference solution as a module exporting the assignment's functions under their export
     * names (a path relative to this file), for `mlgrade validate`. Default:
     * the course's `reference/<entry>.ts` when it exists.
     */
    reference: z.string().min(1).optional(),
    limits: limitsSchema.optional(),
    /** Bare modules a submission may import. */
    allowedModules: z.array(z.string()).default(['mathjs']),
    /**
     * Languages a submission may be written in, in order of preference when a submission holds
     * entry files of several (`losses.ts` and `losses.py`: the first language listed is graded).
     * Default TypeScript and JavaScript; "python" accepts `<entry>.py` and `<entry>.ipynb`.
     */
    languages: z
      .array(z.enum(LANGUAGES))
      .min(1)
      .refine((list) => new Set(list).size === list.length, 'a language is listed twice')
      .default(['typescript', 'javascript']),
    python: pythonSchema.optional(),
    /** ISO date; informational (reports show it). */
    dueDate: z.string().optional(),
    /** Per-test overrides of the suite's defaults, by check id (e.g. "mseGrad.gradient.reference"). */
    tests: z.record(z.string(), z.object({ points: z.number().min(0).max(1000).optional(), visibility: z.enum(['public', 'hidden']).optional() }).strict()).optional(),
    /** Tolerance overrides by the suite's tolerance name (losses: activation, loss, gradient, exact; training: history, parameters). */
    tolerances: z.record(z.string(), z.object({ rtol: z.number().min(0).max(1), atol: z.number().min(0) }).strict()).optional(),
  })
  .strict();

/** An assignment.json as written (see {@link ResolvedAssignment} for the resolved form). */
export type AssignmentSpec = z.infer<typeof assignmentSpecSchema>;

/** What Python submissions of an assignment get, resolved. */
export interface ResolvedPython {
  /** Export name → Python name (overrides applied, the rest snake_case). */
  names: Record<string, string>;
  /** Python modules allowed besides NumPy and the standard library. */
  allowedModules: string[];
  skipTags: string[];
}

/** A spec with everything resolved: limits filled in, paths absolute. */
export interface ResolvedAssignment extends Omit<AssignmentSpec, 'limits' | 'reference' | 'python'> {
  limits: SandboxLimits;
  /** Set when `languages` has "python". */
  python?: ResolvedPython;
  /** Folder of the assignment (handout, starter, examples). */
  dir: string;
  specFile: string;
  /** The grading suite's module (TypeScript or JavaScript source). */
  graderEntry: string;
  /** The reference solution's module, when there is one. */
  referenceModule?: string;
}

/** Thrown for a spec that is missing or invalid; the message names file and key. */
export class AssignmentSpecError extends Error {
  override readonly name = 'AssignmentSpecError';
}

const MODULE_EXTENSIONS = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'];

/** `file` itself, or `file` with the first module extension that exists; undefined when none does. */
function existingModule(file: string): string | undefined {
  if (fs.existsSync(file) && fs.statSync(file).isFile()) return file;
  for (const extension of MODULE_EXTENSIONS) if (fs.existsSync(file + extension)) return file + extension;
  return undefined;
}

/** The folders above `dir` (its parent first, at most `levels` of them). */
function ancestors(dir: string, levels: number): string[] {
  const found: string[] = [];
  let current = dir;
  for (let i = 0; i < levels && path.dirname(current) !== current; i++) found.push((current = path.dirname(current)));
  return found;
}

/**
 * The grading suite's module. A name means the course's `graders/<name>/index.ts`, found in the
 * folders above the assignment's (a course keeps `assignments/<id>/` and `graders/<name>/` side by
 * side), else mlgrade's built-in suite of that name.
 */
function resolveGrader(dir: string, specFile: string, grader: string): string {
  if (/^[a-z][a-z0-9-]*$/.test(grader)) {
    // The course's own suite first, then one of mlgrade's built-in suites (reused by a course's spec).
    for (const root of [...ancestors(dir, 3), packageRoot()]) {
      const found = existingModule(path.join(root, 'graders', grader, 'index'));
      if (found) return found;
    }
    throw new AssignmentSpecError(
      `${specFile}: key "grader": no grading suite named "${grader}" (looked for graders/${grader}/index.ts in the folders above the assignment ` +
        `and among mlgrade's built-in suites; give a path such as "../../graders/${grader}/index.ts" or create it with \`mlgrade new ${grader}\`)`,
    );
  }
  const found = existingModule(path.resolve(dir, grader));
  if (!found) throw new AssignmentSpecError(`${specFile}: key "grader": no file at ${path.resolve(dir, grader)} (a path relative to assignment.json)`);
  return found;
}

function resolveReference(dir: string, specFile: string, spec: AssignmentSpec): string | undefined {
  if (spec.reference !== undefined) {
    const found = existingModule(path.resolve(dir, spec.reference));
    if (!found) throw new AssignmentSpecError(`${specFile}: key "reference": no file at ${path.resolve(dir, spec.reference)} (a path relative to assignment.json)`);
    return found;
  }
  for (const root of ancestors(dir, 3)) {
    const found = existingModule(path.join(root, 'reference', spec.entry));
    if (found) return found;
  }
  return undefined;
}

/** The course folder for the current directory: the nearest one above it (or itself) holding `assignments/`. */
export function courseRoot(from = process.cwd()): string | undefined {
  let dir = path.resolve(from);
  for (;;) {
    if (fs.existsSync(path.join(dir, 'assignments')) && fs.statSync(path.join(dir, 'assignments')).isDirectory()) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Ids of the assignments in `assignmentsDir` (folders holding an assignment.json). */
function assignmentIds(assignmentsDir: string): string[] {
  if (!fs.existsSync(assignmentsDir)) return [];
  return fs.readdirSync(assignmentsDir).filter((d) => fs.existsSync(path.join(assignmentsDir, d, 'assignment.json'))).sort();
}

/**
 * Where the assignment `nameOrDir` lives: a folder holding an assignment.json; else
 * `assignments/<id>/` of the course in (or above) the current folder; else a built-in assignment
 * of mlgrade (losses, training).
 */
function assignmentDir(nameOrDir: string): string {
  if (fs.existsSync(path.join(nameOrDir, 'assignment.json'))) return path.resolve(nameOrDir);
  const course = courseRoot();
  if (course && fs.existsSync(path.join(course, 'assignments', nameOrDir, 'assignment.json'))) return path.join(course, 'assignments', nameOrDir);
  const builtIn = path.join(packageRoot(), 'assignments', nameOrDir);
  if (fs.existsSync(path.join(builtIn, 'assignment.json'))) return builtIn;
  const known = [...new Set([...(course ? assignmentIds(path.join(course, 'assignments')) : []), ...assignmentIds(path.join(packageRoot(), 'assignments'))])];
  const where = course ? `in ${path.join(course, 'assignments')} or built in` : 'built in (no course folder with assignments/ here)';
  throw new AssignmentSpecError(`Unknown assignment "${nameOrDir}": no assignment.json ${where}. Known assignments: ${known.join(', ') || 'none'}.`);
}

/**
 * Resolves `nameOrDir` (an assignment id such as `losses`, or a folder holding an
 * assignment.json) to a validated assignment.
 */
export function loadAssignment(nameOrDir: string): ResolvedAssignment {
  const dir = assignmentDir(nameOrDir);
  const specFile = path.join(dir, 'assignment.json');
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
  const python = resolvePython(specFile, spec);
  const graderEntry = resolveGrader(dir, specFile, spec.grader);
  const referenceModule = resolveReference(dir, specFile, spec);
  const { reference: _reference, python: _python, ...rest } = spec;
  void _reference;
  void _python;
  return {
    ...rest,
    limits: { ...DEFAULT_LIMITS, ...spec.limits },
    dir,
    specFile,
    graderEntry,
    ...(referenceModule ? { referenceModule } : {}),
    ...(python ? { python } : {}),
  };
}

/** The Python names and modules of a spec that accepts Python (errors name the key). */
function resolvePython(specFile: string, spec: AssignmentSpec): ResolvedPython | undefined {
  if (!spec.languages.includes('python')) {
    if (spec.python) {
      throw new AssignmentSpecError(`Invalid assignment spec:\n  ${specFile}: key "python": set, but "languages" does not list "python" (add it to accept Python submissions)`);
    }
    return undefined;
  }
  const overrides = spec.python?.names ?? {};
  const names = pythonNames(spec.exports, overrides);
  if (names.status === 'invalid') {
    const bad = Object.keys(overrides).find((name) => names.problem.includes(`"${name}"`) || names.problem.includes(`"${overrides[name]}"`));
    throw new AssignmentSpecError(`Invalid assignment spec:\n  ${specFile}: key "python.names${bad ? `.${bad}` : ''}": ${names.problem}`);
  }
  return { names: names.names, allowedModules: (spec.python?.allowedModules ?? []).filter((name) => name !== 'numpy'), skipTags: spec.python?.skipTags ?? [] };
}
