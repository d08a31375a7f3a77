/**
 * Bad usage of the command line (an unknown flag, a value that is not a number…) and the readers
 * that turn yargs' raw option values into checked ones. Every reader names the flag and the value
 * it got; none lets a bad value through to grading.
 */
import { parseShard, type Shard } from '../grading/plan';
import type { ParsedArgs } from './command';

/** A mistake in the command line; the CLI prints its message as one line and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The option's value as text, or undefined when absent; an option given twice is a mistake. */
function once(flag: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) throw new UsageError(`--${flag} was given ${value.length} times: give it once`);
  return String(value);
}

/**
 * A whole number ≥ 1 (`--jobs`, `--batch-size`), or undefined when the flag is absent.
 *
 * @example
 * positiveInteger('jobs', '4')   // returns 4
 * positiveInteger('jobs', 'abc') // throws UsageError: --jobs must be a whole number of at least 1, got "abc"
 */
export function positiveInteger(flag: string, value: unknown): number | undefined {
  const text = once(flag, value);
  if (text === undefined) return undefined;
  const n = /^\s*\d+\s*$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`--${flag} must be a whole number of at least 1, got "${text}"`);
  return n;
}

/**
 * A percentage from 0 to 100 (`--min-score`), or undefined when the flag is absent.
 *
 * @example
 * percentage('min-score', '62.5') // returns 62.5
 * percentage('min-score', '150')  // throws UsageError: --min-score must be a percentage from 0 to 100, got "150"
 */
export function percentage(flag: string, value: unknown): number | undefined {
  const text = once(flag, value);
  if (text === undefined) return undefined;
  const n = /^\s*\d+(\.\d+)?\s*$/.test(text) ? Number(text) : NaN;
  if (!(n >= 0 && n <= 100)) throw new UsageError(`--${flag} must be a percentage from 0 to 100, got "${text}"`);
  return n;
}

/** `--shard i/n`, or undefined when absent. */
export function shard(value: unknown): Shard | undefined {
  const text = once('shard', value);
  if (text === undefined) return undefined;
  try {
    return parseShard(text);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/**
 * A required file or folder name (`--out`): present, given once and not empty.
 *
 * @example
 * requiredPath('out', '')  // throws UsageError: --out needs a folder name
 */
export function requiredPath(flag: string, value: unknown, what: 'folder' | 'file' = 'folder'): string {
  const text = once(flag, value);
  if (text === undefined || !text.trim()) throw new UsageError(`--${flag} needs a ${what} name`);
  return text;
}

/**
 * An optional free-text value (`--canvas-assignment`): undefined when absent, never empty.
 *
 * @example
 * optionalText('canvas-assignment', ' ', 'a Canvas assignment id or title') // throws UsageError: --canvas-assignment needs a Canvas assignment id or title
 */
export function optionalText(flag: string, value: unknown, what: string): string | undefined {
  const text = once(flag, value);
  if (text === undefined) return undefined;
  if (!text.trim()) throw new UsageError(`--${flag} needs ${what}`);
  return text.trim();
}

/** An optional file name (`--report`, `--junit`): undefined when absent, never empty. */
export function optionalPath(flag: string, value: unknown, what: 'folder' | 'file' = 'file'): string | undefined {
  return value === undefined ? undefined : requiredPath(flag, value, what);
}

/** True when an environment switch such as MLGRADE_REQUIRE_ISOLATION is on (`1`, `true`, `yes`). */
export function envSwitch(env: NodeJS.ProcessEnv, name: string): boolean {
  return /^(1|true|yes)$/i.test(env[name] ?? '');
}

/** `--junit` and `--junit-include-hidden`, which means nothing without it (grade, merge). */
export function junitArgs(args: ParsedArgs): { junit?: string; junitIncludeHidden: boolean } {
  const junit = optionalPath('junit', args.junit);
  const junitIncludeHidden = Boolean(args.junitIncludeHidden);
  if (junitIncludeHidden && !junit) throw new UsageError('--junit-include-hidden changes the --junit file: give --junit <file> too');
  return { junit, junitIncludeHidden };
}

/** `--canvas` and `--canvas-assignment`, which means nothing with --no-canvas (grade, merge). */
export function canvasArgs(args: ParsedArgs): { canvas: boolean; canvasAssignment?: string } {
  const canvas = args.canvas !== false;
  const canvasAssignment = optionalText('canvas-assignment', args.canvasAssignment, 'a Canvas assignment id or title');
  if (canvasAssignment !== undefined && !canvas) {
    throw new UsageError('--canvas-assignment names the column of the Canvas gradebook, which --no-canvas turns off: give one of them');
  }
  return { canvas, canvasAssignment };
}
