/**
 * The checks file of a student kit (`.mlgrade/checks.json`): the assignment's public checks as
 * plans (inputs and expected values precomputed by the reference when the kit was built), the
 * sandbox limits and what a submission may import. It holds nothing hidden: hidden checks are not
 * even declared when a kit is built.
 */
import * as fs from 'node:fs';
import type { Language, ResolvedPython } from '../assignments/spec';
import type { SandboxLimits } from '../sandbox/limits';
import type { CheckPlan } from '../suite/plans';
import type { CheckMeta } from '../types';

export const KIT_FORMAT = 'mlgrade-kit/1';

export interface KitSpec {
  format: typeof KIT_FORMAT;
  /** mlgrade's version that built the kit. */
  mlgrade: string;
  /**
   * `languages` (absent in kits built before Python: TypeScript and JavaScript) and, when Python is
   * among them, its names and modules.
   */
  assignment: { id: string; title: string; entry: string; exports: string[]; dueDate?: string; languages?: Language[]; python?: ResolvedPython };
  limits: SandboxLimits;
  /** Bare modules a submission may import, each bundled in `.mlgrade/modules/<name>.js`. */
  allowedModules: string[];
  /** The public checks, in the order the suite declares them. */
  checks: { meta: CheckMeta; plan: CheckPlan }[];
  /** Public checks that only `mlgrade check` and instructor grading run (custom checks the kit cannot hold). */
  notInKit: CheckMeta[];
}

/** Thrown for a missing or damaged checks file; the message says what to do. */
export class KitSpecError extends Error {
  override readonly name = 'KitSpecError';
}

/**
 * Plans hold the numbers JSON cannot: an expected value of Infinity (an impossible prediction's
 * loss), NaN, −0. They are written as `{"$f": "Infinity" | "-Infinity" | "NaN" | "-0"}`.
 */
function writeNumber(_key: string, value: unknown): unknown {
  if (typeof value !== 'number' || (Number.isFinite(value) && !Object.is(value, -0))) return value;
  return { $f: Object.is(value, -0) ? '-0' : String(value) };
}

function readNumber(_key: string, value: unknown): unknown {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const tag = (value as { $f?: unknown }).$f;
    if (typeof tag === 'string' && Object.keys(value).length === 1) return tag === '-0' ? -0 : Number(tag);
  }
  return value;
}

/** The checks file's text: JSON, with the special numbers of plans tagged. */
export function serializeKitSpec(spec: KitSpec): string {
  return JSON.stringify(spec, writeNumber) + '\n';
}

/** Reads and checks a kit's checks file. */
export function readKitSpec(file: string): KitSpec {
  let parsed: Partial<KitSpec>;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'), readNumber) as Partial<KitSpec>;
  } catch (error) {
    throw new KitSpecError(`cannot read the kit's checks (${file}): ${(error as Error).message} — download the kit again`);
  }
  if (parsed.format !== KIT_FORMAT || !parsed.assignment || !Array.isArray(parsed.checks) || !parsed.limits) {
    throw new KitSpecError(`${file} is not a ${KIT_FORMAT} checks file — download the kit again`);
  }
  return parsed as KitSpec;
}
