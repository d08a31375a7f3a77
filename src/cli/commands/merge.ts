/**
 * `mlgrade merge <inputs..> --out <dir>`: combines the output folders of `grade --shard i/n` runs
 * into one gradebook: copies each submission's results and rewrites the class-wide files.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadAssignment } from '../../assignments/spec';
import { mergeOutputs } from '../../grading/merge';
import { ensureWritableFile, ensureWritableFolder } from '../../grading/outputFolder';
import { createReporters, type RunInfo } from '../../../reports/index';
import { ReporterRunner } from '../../../reports/reporter';
import { CANVAS_OPTIONS, JUNIT_INCLUDE_HIDDEN_OPTION, USAGE_EXIT, type CommandSpec, type ParsedArgs } from '../command';
import { canvasArgs, junitArgs, requiredPath } from '../usage';
import { plural } from '../plural';

/** Runs `body` with `dir` checked writable; removes `dir` again if it was created for nothing. */
function withOutputFolder<T>(dir: string, body: () => T): T {
  const existed = fs.existsSync(dir);
  ensureWritableFolder(dir, 'the output folder');
  try {
    return body();
  } catch (error) {
    if (!existed && fs.existsSync(dir) && fs.readdirSync(dir).length === 0) fs.rmdirSync(dir);
    throw error;
  }
}

async function runMerge(parsed: ParsedArgs): Promise<number> {
  const inputs = (Array.isArray(parsed.inputs) ? parsed.inputs : [parsed.inputs]).map(String);
  const out = requiredPath('out', parsed.out);
  const { junit, junitIncludeHidden } = junitArgs(parsed);
  const { canvas, canvasAssignment } = canvasArgs(parsed);
  const { results, ids, assignment: assignmentId, conflicts } = withOutputFolder(out, () => {
    if (junit) ensureWritableFile(junit, '--junit');
    return mergeOutputs(inputs, out);
  });
  for (const conflict of conflicts) process.stderr.write(`mlgrade: ${conflict}\n`);
  let assignment: RunInfo['assignment'] = { id: assignmentId, title: assignmentId };
  try {
    const spec = loadAssignment(assignmentId);
    assignment = { id: spec.id, title: spec.title, dueDate: spec.dueDate };
  } catch {
    /* an assignment from a folder elsewhere: its id is enough for the class-wide files */
  }
  const run: RunInfo = { assignment, outDir: path.resolve(out), scope: 'all', startedAt: new Date() };
  // Per-submission files were copied; only the class-wide reporters run again.
  const reporters = new ReporterRunner(createReporters({
    junit,
    junitIncludeHidden,
    canvas,
    canvasAssignment,
    html: parsed.html !== false,
  }));
  await reporters.complete(results, run);
  for (const failure of reporters.failures) process.stderr.write(`mlgrade: ${failure}\n`);
  if (reporters.failures.length) return 1;
  const conflictNote = conflicts.length ? ` (${plural(conflicts.length, 'conflict')}: the newest result was kept)` : '';
  process.stdout.write(`Merged ${plural(ids.length, 'submission')} from ${plural(inputs.length, 'folder')} into ${out}${conflictNote}\n`);
  return 0;
}

/** `mlgrade merge`: its arguments, options, help and what it runs. */
export const mergeCommand: CommandSpec = {
  name: 'merge',
  usage: 'merge <inputs..>',
  describe: 'Combine the output folders of sharded grade runs into one gradebook',
  positionals: {
    inputs: { type: 'string', array: true, describe: 'output folders of `grade --shard i/n` runs' },
  },
  options: {
    out: { type: 'string', demandOption: true, requiresArg: true, describe: 'the merged output folder (may be one of the inputs)' },
    junit: { type: 'string', requiresArg: true, describe: 'also write JUnit XML for the merged class' },
    'junit-include-hidden': JUNIT_INCLUDE_HIDDEN_OPTION,
    ...CANVAS_OPTIONS,
    html: { type: 'boolean', default: true, describe: 'rewrite the class dashboard (--no-html to skip)' },
  },
  examples: [['$0 merge out/1 out/2 out/3 --out gradebook', 'one gradebook from three shards (newest result wins a conflict)']],
  exitCodes: [
    [0, 'merged'],
    [1, 'an output format could not be written (the merged results stay)'],
    USAGE_EXIT,
  ],
  environment: [['GITHUB_STEP_SUMMARY', 'a file: a Markdown summary of the class is appended to it (GitHub Actions sets it)']],
  run: runMerge,
};
