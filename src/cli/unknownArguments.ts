/**
 * Unknown commands and flags, found before yargs runs anything: a mistyped flag (`--min-scor 60`)
 * must stop the run with the flag it meant, never be ignored (a CI gate silently off), and an
 * unknown command must be named as such, not as a list of "unknown arguments".
 */
import { closestMatch } from '../suggest';
import type { CommandSpec } from './command';
import { UsageError } from './usage';

/** Flags every command accepts. */
const GLOBAL_FLAGS = ['help', 'version'];

const camel = (name: string) => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** Every spelling of a command's flags that yargs accepts, and the kebab-case ones to suggest. */
function flagsOf(spec: CommandSpec): { accepted: Set<string>; suggested: string[] } {
  const suggested = [...GLOBAL_FLAGS];
  for (const [name, option] of Object.entries(spec.options)) {
    suggested.push(name);
    if (option.type === 'boolean') suggested.push(`no-${name}`);
  }
  return { accepted: new Set([...suggested, ...suggested.map(camel), 'h']), suggested };
}

/** The flag name of an argv word (`--min-score=60` → `min-score`, `-j` → `j`), or undefined for a value. */
function flagName(word: string): string | undefined {
  if (word === '-' || !word.startsWith('-') || /^-\d/.test(word)) return undefined;
  return word.replace(/^--?/, '').split('=')[0];
}

/**
 * Throws UsageError for the first unknown command or flag in `argv` (one line, with the closest
 * known name); the command's spec when all is known, undefined when no command is named.
 *
 * @example
 * checkArguments(['grade', 'losses', 'x', '--min-scor', '60'], specs)
 * // throws "unknown option --min-scor for grade (did you mean --min-score?) — see mlgrade grade --help"
 */
export function checkArguments(argv: readonly string[], specs: readonly CommandSpec[]): CommandSpec | undefined {
  const end = argv.indexOf('--');
  const words = end === -1 ? argv : argv.slice(0, end);
  const commandAt = words.findIndex((word) => flagName(word) === undefined);
  const names = specs.map((spec) => spec.name);
  // Before the command, only the global flags.
  for (const word of commandAt === -1 ? words : words.slice(0, commandAt)) {
    const name = flagName(word);
    if (name !== undefined && !GLOBAL_FLAGS.includes(name) && name !== 'h') {
      const near = closestMatch(name, GLOBAL_FLAGS);
      const hint = near ? ` (did you mean --${near}?)` : '';
      throw new UsageError(`unknown option ${word}${hint}: name a command first (${names.join(', ')}) — see mlgrade --help`);
    }
  }
  if (commandAt === -1) return undefined;
  const command = words[commandAt];
  const spec = specs.find((candidate) => candidate.name === command);
  if (!spec) {
    const near = closestMatch(command, names);
    const hint = near ? ` (did you mean ${near}?)` : '';
    throw new UsageError(`unknown command "${command}"${hint}; the commands are ${names.join(', ')} — see mlgrade --help`);
  }
  let chosen = spec;
  let rest = words.slice(commandAt + 1);
  if (spec.subcommands) {
    const subAt = rest.findIndex((word) => flagName(word) === undefined);
    const subNames = spec.subcommands.map((sub) => sub.name.split(' ').pop()!);
    if (subAt === -1) return spec;
    const sub = spec.subcommands.find((candidate) => candidate.name.split(' ').pop() === rest[subAt]);
    if (!sub) {
      const near = closestMatch(rest[subAt], subNames);
      const hint = near ? ` (did you mean ${spec.name} ${near}?)` : '';
      throw new UsageError(`unknown command "${spec.name} ${rest[subAt]}"${hint}; the ${spec.name} commands are ${subNames.join(', ')} — see mlgrade ${spec.name} --help`);
    }
    chosen = sub;
    rest = [...rest.slice(0, subAt), ...rest.slice(subAt + 1)];
  }
  const { accepted, suggested } = flagsOf(chosen);
  for (const word of rest) {
    const name = flagName(word);
    if (name === undefined || accepted.has(name)) continue;
    const near = closestMatch(name, suggested);
    const shown = word.split('=')[0];
    throw new UsageError(`unknown option ${shown} for ${chosen.name}${near ? ` (did you mean --${near}?)` : ''} — see mlgrade ${chosen.name} --help`);
  }
  return chosen;
}
