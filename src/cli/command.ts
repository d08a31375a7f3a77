/**
 * What a command of the `mlgrade` CLI is: its usage, arguments and options (one table, from which
 * both yargs and the unknown-flag check are built), its complete help (examples, exit codes, the
 * environment it reads) and the function that runs it.
 */
import type { Options, PositionalOptions } from 'yargs';

/** Argument values as yargs parsed them (checked by each command's own readers, see usage.ts). */
export type ParsedArgs = Record<string, unknown>;

export interface CommandSpec {
  /** The command's name, e.g. `grade`. */
  name: string;
  /** yargs usage: name and positionals, e.g. `grade <assignment> <path>`. */
  usage: string;
  /** One line for `mlgrade --help`. */
  describe: string;
  positionals: Record<string, PositionalOptions>;
  options: Record<string, Options>;
  /** `[command, what it does]`, shown under "Examples:". */
  examples: [string, string][];
  /** `[code, meaning]`, shown under "Exit codes:". */
  exitCodes: [number, string][];
  /** `[variable, what it does]`, shown under "Environment:". */
  environment: [string, string][];
  /** Runs the command; resolves to the exit code. Throws for bad usage or input (see errors.ts). */
  run(args: ParsedArgs, argv: readonly string[]): Promise<number>;
  /**
   * A group's commands (`mlgrade classroom fetch`): each named `<group> <name>`, registered under the
   * group with its own usage (`fetch`). A group itself runs nothing.
   */
  subcommands?: readonly CommandSpec[];
}

/** Exit codes every command shares. */
export const USAGE_EXIT: [number, string] = [
  2,
  'bad usage or input (unknown flag, bad value, missing file…): one line says which; nothing was done',
];
export const INTERRUPTED_EXIT: [number, string] = [130, 'interrupted (Ctrl-C; 143 for SIGTERM): temporary folders removed'];

/** `--require-isolation` from the environment (grade, check). */
export const REQUIRE_ISOLATION_ENVIRONMENT: [string, string] = ['MLGRADE_REQUIRE_ISOLATION=1', 'same as --require-isolation (for CI)'];

/** `--allow-unsandboxed-python` (grade, check, validate): the one way to run Python without its sandbox. */
export const ALLOW_UNSANDBOXED_PYTHON_OPTION = {
  type: 'boolean',
  default: false,
  describe:
    'where this machine cannot sandbox Python (no bubblewrap or user namespaces), run Python submissions without the sandbox ' +
    "(they can read this machine's files and use its network: only for code you trust); results record it. Without it they are refused",
} as const;

/** `--junit-include-hidden` (grade, merge): hidden tests in full in the JUnit file. */
export const JUNIT_INCLUDE_HIDDEN_OPTION = {
  type: 'boolean',
  default: false,
  describe:
    'write hidden tests in full (messages, times) in the --junit file; only for CI pages students cannot read. ' +
    'Default: hidden tests show name and pass/fail only',
} as const;

/** `--canvas` and `--canvas-assignment` (grade, merge): the Canvas gradebook export. */
export const CANVAS_OPTIONS = {
  canvas: {
    type: 'boolean',
    default: true,
    describe: 'write <out>/canvas-gradebook.csv when submissions come from a Canvas download (--no-canvas to skip)',
  },
  'canvas-assignment': {
    type: 'string',
    requiresArg: true,
    describe:
      "the gradebook column: the Canvas assignment id (the number in the assignment's URL; safest), " +
      "'Title (id)', or the exact Canvas title (default: the assignment's title)",
  },
} as const;

/** Environment variables read by the commands that run submissions in the sandbox. */
export const SANDBOX_ENVIRONMENT: [string, string][] = [
  ['MLGRADE_NO_BWRAP=1', 'do not use bubblewrap (no private root file system for submissions; Python submissions are refused unless --allow-unsandboxed-python)'],
  ['MLGRADE_NO_NETNS=1', 'use no namespaces (submissions share the network and see other processes; Python as for MLGRADE_NO_BWRAP)'],
];

export const NO_COLOR_ENVIRONMENT: [string, string] = ['NO_COLOR', 'set: no colours in the terminal output'];

/** `text` broken into lines of at most `width` characters (words are not split). */
function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line];
}

/**
 * The text after a command's options in its --help: exit codes and environment variables, as
 * two-column tables fitted to `width` (continuation lines indented under the text).
 */
export function epilogue(spec: Pick<CommandSpec, 'exitCodes' | 'environment'>, width = 80): string {
  const table = (rows: [string, string][]) => {
    const keyWidth = Math.max(...rows.map(([key]) => key.length));
    const textWidth = Math.max(20, width - keyWidth - 4);
    return rows
      .flatMap(([key, text]) => wrapWords(text, textWidth).map((part, i) => `  ${(i === 0 ? key : '').padEnd(keyWidth)}  ${part}`))
      .join('\n');
  };
  const parts = [`Exit codes:\n${table(spec.exitCodes.map(([code, text]) => [String(code), text]))}`];
  if (spec.environment.length) parts.push(`Environment:\n${table(spec.environment)}`);
  return parts.join('\n\n');
}
