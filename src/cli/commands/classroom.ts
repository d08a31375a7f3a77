/**
 * `mlgrade classroom fetch|post`: grading students' repositories on the course's own runner (the
 * work is in src/classroom/). The group runs nothing itself.
 */
import { classroomFetchSpec, classroomPostSpec } from '../../classroom/commands';
import type { CommandSpec } from '../command';

const asCommand = (spec: typeof classroomFetchSpec): CommandSpec => ({ ...spec, name: `classroom ${spec.name}` });

/** The `classroom` group: fetch students' repositories, post each student's result back. */
export const classroomCommand: CommandSpec = {
  name: 'classroom',
  usage: 'classroom <command>',
  describe: "Grade students' repositories on the course's runner: fetch them, then post each student's result back",
  positionals: {},
  options: {},
  examples: [
    ['$0 classroom fetch --roster roster.csv --out work/repos --include-prs', "every student's latest commit and open pull requests"],
    ['$0 classroom post work/grades --manifest work/repos/manifest.json', "each student's view of the result, as a PR comment and a commit status"],
  ],
  exitCodes: [[2, 'no such classroom command: one line says which']],
  environment: [],
  subcommands: [asCommand(classroomFetchSpec), asCommand(classroomPostSpec)],
  run: async () => 2,
};
