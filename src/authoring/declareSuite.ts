/**
 * Declares an assignment's grading suite in this process, without jest and without a submission:
 * what checks it declares (ids, points, visibility), the plans of its plan-based checks and the
 * tolerance names it reads. Used to build a student kit (the public plans), to check
 * assignment.json's overrides before grading, and by authoring tools.
 *
 * Only the course's own code runs here (its suite and reference: instructor code, trusted), loaded
 * as TypeScript with the same transform and the same `mlgrade/*` module names as in grading.
 */
import Module = require('node:module');
import * as fs from 'node:fs';
import * as path from 'node:path';
import { addHook } from 'pirates';
import { transform } from 'sucrase';
import type { ResolvedAssignment } from '../assignments/spec';
import { activate, BATCH_SETTINGS_KEY, declaredTolerances, newRun } from '../suite/context';
import type { CheckPlan } from '../suite/plans';
import type { Suite } from '../suite/runner';
import type { CheckMeta } from '../types';
import { publicModuleFiles } from '../publicModules';

export interface DeclaredSuite {
  /** Every check of the scope, in declaration order. */
  declared: CheckMeta[];
  /** The plan-based checks among them (exportable to a kit). */
  plans: { meta: CheckMeta; plan: CheckPlan }[];
  /** Ids of the checks with a custom body. */
  custom: string[];
  /** The tolerance names the suite reads (what assignment.json's "tolerances" may override). */
  tolerances: string[];
}

/** Thrown when the suite cannot be loaded or declared; the message names the file. */
export class SuiteLoadError extends Error {
  override readonly name = 'SuiteLoadError';
}

type ModuleInternals = { _resolveFilename: (request: string, ...rest: unknown[]) => string };

const JEST_GLOBALS = ['describe', 'test', 'it', 'beforeAll', 'afterAll', 'beforeEach', 'afterEach'] as const;

/**
 * Runs `body` with TypeScript loadable, `mlgrade/*` resolved to this engine and jest's
 * declaration functions replaced by ones that only declare (describe runs its block; tests and
 * hooks are ignored), then restores everything.
 */
function withDeclarationEnvironment<T>(body: () => T): T {
  const revert = addHook((code, filename) => transform(code, { transforms: ['typescript', 'imports'], filePath: filename }).code, {
    exts: ['.ts', '.mts', '.cts'],
    ignoreNodeModules: false,
    matcher: (filename) => !filename.endsWith('.d.ts'),
  });
  const internals = Module as unknown as ModuleInternals;
  const resolve = internals._resolveFilename;
  const files = publicModuleFiles();
  internals._resolveFilename = function (request: string, ...rest: unknown[]): string {
    return files[request] ?? resolve.call(this, request, ...rest);
  };
  const globals = globalThis as Record<string, unknown>;
  const saved = new Map(JEST_GLOBALS.map((name) => [name, globals[name]] as const));
  globals.describe = (_name: string, block: () => void) => block();
  for (const name of JEST_GLOBALS.slice(1)) globals[name] = () => undefined;
  try {
    return body();
  } finally {
    for (const [name, value] of saved) globals[name] = value;
    internals._resolveFilename = resolve;
    revert();
  }
}

/** Forgets the course's modules (suite, reference…) so that each declaration loads them afresh. */
function forgetCourseModules(assignment: ResolvedAssignment): void {
  const roots = [path.dirname(assignment.graderEntry), ...(assignment.referenceModule ? [path.dirname(assignment.referenceModule)] : [])];
  for (const file of Object.keys(require.cache)) {
    if (roots.some((root) => file.startsWith(root + path.sep)) && !file.includes(`${path.sep}node_modules${path.sep}`)) delete require.cache[file];
  }
}

/**
 * Declares `assignment`'s suite for `scope` ('public': what a student self-check runs) and
 * returns what it declared.
 *
 * @example
 * declareSuite(loadAssignment('losses'), 'public').plans.length // returns 42
 */
export function declareSuite(assignment: ResolvedAssignment, scope: 'public' | 'all'): DeclaredSuite {
  if (!fs.existsSync(assignment.graderEntry)) throw new SuiteLoadError(`the grading suite ${assignment.graderEntry} does not exist`);
  const run = newRun({
    submission: '(declaration)',
    assignment: assignment.id,
    limits: assignment.limits,
    allowedModules: assignment.allowedModules,
    scope,
    sidecar: '',
    overrides: { tests: assignment.tests, tolerances: assignment.tolerances },
  });
  const globals = globalThis as Record<string, unknown>;
  const savedSettings = globals[BATCH_SETTINGS_KEY];
  globals[BATCH_SETTINGS_KEY] = { overrides: run.context.overrides };
  try {
    return withDeclarationEnvironment(() => {
      forgetCourseModules(assignment);
      const before = declaredTolerances().length;
      let loaded: unknown;
      try {
        loaded = require(assignment.graderEntry);
      } catch (error) {
        throw new SuiteLoadError(`loading the grading suite ${assignment.graderEntry} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      const suite = ((loaded as { default?: Suite })?.default ?? loaded) as Partial<Suite> | undefined;
      if (typeof suite?.declare !== 'function') {
        throw new SuiteLoadError(`${assignment.graderEntry} does not export a suite: end it with \`export default defineSuite(() => { describe(…); })\``);
      }
      activate(run);
      try {
        suite.declare();
      } catch (error) {
        throw new SuiteLoadError(`declaring the grading suite ${assignment.graderEntry} failed: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        activate(undefined);
      }
      const tolerances = [...new Set(declaredTolerances().slice(before))];
      return { declared: run.declared, plans: run.plans, custom: run.custom, tolerances };
    });
  } finally {
    globals[BATCH_SETTINGS_KEY] = savedSettings;
  }
}
