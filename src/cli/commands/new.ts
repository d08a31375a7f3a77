/**
 * `mlgrade new <id> [--from <built-in>]`: adds an assignment to the course in the current folder
 * (the work is in src/authoring/scaffold.ts).
 */
import { copyBuiltInAssignment, newAssignment } from '../../authoring/scaffold';
import { USAGE_EXIT, type CommandSpec, type ParsedArgs } from '../command';
import { UsageError } from '../usage';

async function runNew(args: ParsedArgs): Promise<number> {
  const id = String(args.name);
  const from = args.from === undefined ? undefined : String(args.from);
  if (from === '') throw new UsageError('--from needs the id of a built-in assignment (losses, training)');
  const { root, files } = from ? copyBuiltInAssignment(from, id) : newAssignment(id);
  process.stdout.write(`Created assignment ${id} in ${root}:\n${files.map((f) => `  ${f}`).join('\n')}\n`);
  process.stdout.write(`Next: edit reference/ and graders/${id}/ (docs: mlgrade's docs/authoring.md), then \`npx mlgrade validate ${id}\`.\n`);
  return 0;
}

/** `mlgrade new`: its arguments, options, help and what it runs. */
export const newCommand: CommandSpec = {
  name: 'new',
  usage: 'new <name>',
  describe: 'Add an assignment to the course in this folder (spec, handout, starter, examples, mutants, reference, suite), or copy a built-in one',
  positionals: {
    name: { type: 'string', describe: 'the new assignment id: lower-case letters, digits and dashes (e.g. hinge)' },
  },
  options: {
    from: { type: 'string', requiresArg: true, describe: 'copy this built-in assignment (losses, training) to adapt, instead of the Huber-loss pattern' },
  },
  examples: [
    ['$0 new hinge', 'create assignments/hinge/, graders/hinge/ and reference/hinge.ts from the Huber-loss pattern'],
    ['$0 new my-losses --from losses', "copy mlgrade's losses assignment into the course as my-losses"],
  ],
  exitCodes: [[0, 'the files were created'], USAGE_EXIT],
  environment: [],
  run: runNew,
};
