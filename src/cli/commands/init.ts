/**
 * `mlgrade init [dir]`: scaffolds a course repository (the work is in src/authoring/scaffold.ts).
 */
import { initCourse } from '../../authoring/scaffold';
import { USAGE_EXIT, type CommandSpec, type ParsedArgs } from '../command';

async function runInit(args: ParsedArgs): Promise<number> {
  const { root, files } = initCourse(String(args.dir ?? '.'));
  process.stdout.write(`Created a course in ${root}:\n${files.map((f) => `  ${f}`).join('\n')}\n`);
  process.stdout.write('Next: `npm install`, then `npx mlgrade new <assignment-id>`.\n');
  return 0;
}

/** `mlgrade init`: its arguments, options, help and what it runs. */
export const initCommand: CommandSpec = {
  name: 'init',
  usage: 'init [dir]',
  describe: 'Scaffold a course repository: package.json, tsconfig.json, assignments/, reference/, graders/, roster, grading workflow',
  positionals: {
    dir: { type: 'string', default: '.', describe: 'the course folder (created when missing; an existing package.json is merged)' },
  },
  options: {},
  examples: [
    ['$0 init', 'make the current folder a course (after `npm install --save-dev mlgrade`)'],
    ['$0 init ml-101', 'create the course folder ml-101'],
  ],
  exitCodes: [[0, 'the course was created'], USAGE_EXIT],
  environment: [],
  run: runInit,
};
