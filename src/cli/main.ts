/**
 * The `mlgrade` command line: yargs wiring of the commands in ./commands, and the mapping from
 * what went wrong to an exit code. Exit codes: 0 ok; 1 a public test failed (check), a submission
 * scored below --min-score, a suite missed a mutant (validate) or an output could not be written;
 * 2 bad usage or input (unknown flag or command, bad value, unknown assignment, missing folder, not
 * a zip, wrong bundle key…), one line saying which, before anything ran; 130 interrupted (Ctrl-C;
 * 143 for SIGTERM).
 */
import yargs, { type Argv } from 'yargs';
import { packageVersion } from '../paths';
import { epilogue, type CommandSpec, type ParsedArgs } from './command';
import { bundleCommand } from './commands/bundle';
import { checkCommand } from './commands/check';
import { classroomCommand } from './commands/classroom';
import { distCommand } from './commands/dist';
import { gradeCommand } from './commands/grade';
import { initCommand } from './commands/init';
import { mergeCommand } from './commands/merge';
import { newCommand } from './commands/new';
import { validateCommand } from './commands/validate';
import { describeError } from './errors';
import { checkArguments } from './unknownArguments';
import { UsageError } from './usage';

/** Every command, in the order `mlgrade --help` lists them. */
export const COMMANDS: readonly CommandSpec[] = [
  gradeCommand,
  checkCommand,
  mergeCommand,
  validateCommand,
  distCommand,
  initCommand,
  newCommand,
  classroomCommand,
  bundleCommand,
];

/** What the command line asks for: a command to run, or nothing more (help or version was shown). */
export type Invocation = { kind: 'run'; spec: CommandSpec; args: ParsedArgs } | { kind: 'shown' };

/** A command's arguments, options, examples and epilogue, on its yargs builder. */
function describeCommand(y: Argv, spec: CommandSpec, width: number): Argv {
  for (const [name, positional] of Object.entries(spec.positionals)) y = y.positional(name, positional);
  y = y.options(spec.options);
  for (const [command, description] of spec.examples) y = y.example(command, description);
  return y.epilogue(epilogue(spec, width));
}

/** One line for a mistake yargs found (a missing option, an extra argument…), naming the command. */
function usageLine(message: string, spec: CommandSpec | undefined): string {
  const help = spec ? `mlgrade ${spec.name} --help` : 'mlgrade --help';
  const usage = spec ? ` (usage: mlgrade ${spec.usage} [options])` : '';
  const extra = /^Unknown arguments?: (.*)$/.exec(message);
  if (extra) return `unexpected argument${extra[1].includes(',') ? 's' : ''} ${extra[1]}${usage} — see ${help}`;
  const missing = /^Missing required arguments?: (.*)$/.exec(message);
  if (missing) return `missing ${missing[1].split(', ').map((name) => `--${name}`).join(', ')}${spec ? ` for ${spec.name}` : ''} — see ${help}`;
  const following = /^Not enough arguments following: (.*)$/.exec(message);
  if (following) return `--${following[1]} needs a value — see ${help}`;
  if (/^Not enough non-option arguments/.test(message)) return `missing arguments${usage} — see ${help}`;
  const oneLine = message.replace(/\s*\n\s*/g, ' ');
  const choice = /^Invalid values: Argument: (\S+), Given: (.*), Choices: (.*)$/.exec(oneLine);
  if (choice) return `${choice[2]} is not a valid <${choice[1]}>: choose ${choice[3].replace(/, (?=[^,]*$)/, ' or ')}${usage}`;
  return `${oneLine} — see ${help}`;
}

/**
 * Parses `argv` (without node and the script) into what to run; runs nothing. Throws UsageError,
 * one line naming the mistake, for an unknown command or flag, a missing or extra argument.
 */
export async function parseArguments(argv: readonly string[]): Promise<Invocation> {
  const named = checkArguments(argv, COMMANDS);
  let selected: Invocation | undefined;
  const width = Math.min(100, yargs().terminalWidth() || 80);
  let parser = yargs([...argv])
    .scriptName('mlgrade')
    .wrap(width)
    .locale('en')
    .exitProcess(false)
    .usage('$0 <command> [options]')
    .version(packageVersion());
  const register = (y: Argv, spec: CommandSpec): Argv =>
    y.command(
      spec.usage,
      spec.describe,
      (inner) => {
        const described = describeCommand(inner, spec, width);
        if (!spec.subcommands) return described;
        const grouped = spec.subcommands.reduce((acc, sub) => register(acc, sub), described);
        return grouped.demandCommand(1, `name a ${spec.name} command: ${spec.subcommands.map((sub) => sub.name.split(' ').pop()).join(', ')}`);
      },
      (args) => {
        if (!spec.subcommands) selected = { kind: 'run', spec, args: args as ParsedArgs };
      },
    );
  for (const spec of COMMANDS) parser = register(parser, spec);
  await parser
    .demandCommand(1, `name a command: ${COMMANDS.map((spec) => spec.name).join(', ')}`)
    .strict()
    .help()
    .alias('h', 'help')
    .epilogue('Run `mlgrade <command> --help` for its options, examples, exit codes and environment variables.')
    .fail((message, error) => {
      // yargs reports some usage mistakes as errors of its own (YError), not as messages.
      if (error && error.name !== 'YError') throw error;
      throw new UsageError(usageLine(message ?? error?.message ?? 'bad usage', named));
    })
    .parseAsync();
  return selected ?? { kind: 'shown' };
}

/** Parses argv and runs the command; resolves to the exit code (errors are printed, never thrown). */
export async function main(argv: string[]): Promise<number> {
  try {
    const invocation = await parseArguments(argv);
    if (invocation.kind === 'shown') return 0;
    return await invocation.spec.run(invocation.args, argv);
  } catch (error) {
    const { text, exitCode } = describeError(error);
    process.stderr.write(text);
    return exitCode;
  }
}
