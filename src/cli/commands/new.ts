/**
 * `mlgrade new <name>`: scaffolds an assignment to start from (the work is in
 * src/authoring/scaffold.ts).
 */
import { scaffoldAssignment } from '../../authoring/scaffold';
import { USAGE_EXIT, type CommandSpec, type ParsedArgs } from '../command';

async function runNew(args: ParsedArgs): Promise<number> {
  const name = String(args.name);
  const files = scaffoldAssignment(name);
  const list = files.map((f) => `  ${f}`).join('\n');
  process.stdout.write(`Created assignment ${name}:\n${list}\nNext: npm run build && npx mlgrade validate ${name}\n`);
  return 0;
}

/** `mlgrade new`: its arguments, options, help and what it runs. */
export const newCommand: CommandSpec = {
  name: 'new',
  usage: 'new <name>',
  describe: 'Scaffold an assignment (spec, reference, suite, handout, starter, example) to start from',
  positionals: {
    name: { type: 'string', describe: 'the new assignment id: lower-case letters, digits and dashes (e.g. hinge)' },
  },
  options: {},
  examples: [['$0 new hinge', 'create assignments/hinge/, graders/hinge/ and reference/hinge.ts from the Huber pattern']],
  exitCodes: [[0, 'the files were created'], USAGE_EXIT],
  environment: [],
  run: runNew,
};
