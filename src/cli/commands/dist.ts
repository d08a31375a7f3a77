/**
 * `mlgrade dist <assignment> --out <dir>`: the student kit (the work is in src/authoring/dist.ts).
 */
import { buildStudentKit } from '../../authoring/dist';
import { USAGE_EXIT, type CommandSpec, type ParsedArgs } from '../command';
import { requiredPath } from '../usage';

async function runDist(args: ParsedArgs): Promise<number> {
  const assignment = String(args.assignment);
  const out = requiredPath('out', args.out);
  const { files } = await buildStudentKit(assignment, out);
  process.stdout.write(`Student kit for ${assignment} in ${out} (no reference code, no hidden tests):\n${files.map((f) => `  ${f}`).join('\n')}\n`);
  return 0;
}

/** `mlgrade dist`: its arguments, options, help and what it runs. */
export const distCommand: CommandSpec = {
  name: 'dist',
  usage: 'dist <assignment>',
  describe: 'Build the student kit: handout, starter and node check.mjs (the public checks, Node alone) — no reference, nothing hidden',
  positionals: {
    assignment: { type: 'string', describe: 'assignment id (e.g. losses) or a folder with assignment.json' },
  },
  options: {
    out: { type: 'string', demandOption: true, requiresArg: true, describe: 'the folder to write the kit into (created when missing)' },
  },
  examples: [['$0 dist losses --out kit/', 'write the losses kit to kit/; students run `node check.mjs` in it']],
  exitCodes: [[0, 'the kit was written'], USAGE_EXIT],
  environment: [],
  run: runDist,
};
