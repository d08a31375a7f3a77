/**
 * `mlgrade dist <assignment> --out <dir>`: the student kit (the work is in src/authoring/dist.ts).
 */
import { buildStudentKit } from '../../authoring/dist';
import { USAGE_EXIT, type CommandSpec, type ParsedArgs } from '../command';
import { requiredPath, UsageError } from '../usage';
import { LANGUAGES, type Language } from '../../assignments/spec';

async function runDist(args: ParsedArgs): Promise<number> {
  const assignment = String(args.assignment);
  const out = requiredPath('out', args.out);
  const language = args.language === undefined ? undefined : String(args.language);
  if (language !== undefined && !(LANGUAGES as readonly string[]).includes(language)) {
    throw new UsageError(`--language must be one of ${LANGUAGES.join(', ')}, got "${language}"`);
  }
  const { files } = await buildStudentKit(assignment, out, { language: language as Language | undefined });
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
    language: {
      type: 'string',
      requiresArg: true,
      describe: "the starter files' language: typescript, javascript or python (default: the assignment's first language); the kit checks every language the assignment accepts",
    },
  },
  examples: [
    ['$0 dist losses --out kit/', 'write the losses kit to kit/; students run `node check.mjs` in it'],
    ['$0 dist losses --out kit-python/ --language python', 'the same with the Python starter (python3 and NumPy on the student\'s machine)'],
  ],
  exitCodes: [[0, 'the kit was written'], USAGE_EXIT],
  environment: [],
  run: runDist,
};
