/**
 * `mlgrade dist <assignment> --out <dir>`: the student kit — handout, assignment.json, starter
 * code, check.md and (for losses) public-cases.json with hand-picked PUBLIC inputs and the
 * reference outputs precomputed. Never any reference code, hidden test or grader.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadAssignment } from '../assignments/spec';
import { LOSSES_REFERENCE } from '../../reference';
import { PUBLIC_CASE_TOLERANCE, type PublicCase, type PublicCasesFile } from './publicCases';

type Hand = [fn: keyof typeof LOSSES_REFERENCE, label: string, args: unknown[]];

/** Inputs of the public hand-picked tests of graders/losses (never the seeded hidden ones). */
const LOSSES_PUBLIC_INPUTS: Hand[] = [
  ['sigmoid', 'z = [-4, -1, 0, 0.5, 2, 7]', [[-4, -1, 0, 0.5, 2, 7]]],
  ['sigmoid', 'z = [-1000, -50, 0, 50, 1000]', [[-1000, -50, 0, 50, 1000]]],
  ['softmax', 'z = [[1, 2, 3], [2, -1, 0.5], [0, 0, 0]]', [[[1, 2, 3], [2, -1, 0.5], [0, 0, 0]]]],
  ['softmax', 'z = [[1000, 0, -1000], [1000, 1000, 999]]', [[[1000, 0, -1000], [1000, 1000, 999]]]],
  ['mse', 'yTrue = [1, 2, 3, 4], yPred = [1.5, 2, 2, 5]', [[1, 2, 3, 4], [1.5, 2, 2, 5]]],
  ['mseGrad', 'yTrue = [1, 2], yPred = [1.5, 1]', [[1, 2], [1.5, 1]]],
  ['binaryCrossEntropy', 'yTrue = [1, 0, 1, 0], p = [0.9, 0.2, 0.6, 0.7]', [[1, 0, 1, 0], [0.9, 0.2, 0.6, 0.7]]],
  ['binaryCrossEntropy', 'yTrue = [1, 0, 1, 0], p = [1, 0, 0.7, 0.2]', [[1, 0, 1, 0], [1, 0, 0.7, 0.2]]],
  ['binaryCrossEntropyGrad', 'yTrue = [1, 0], p = [0.8, 0.3]', [[1, 0], [0.8, 0.3]]],
  ['binaryCrossEntropyFromLogits', 'yTrue = [1, 0, 1, 0], z = [2, -1, -0.5, 3]', [[1, 0, 1, 0], [2, -1, -0.5, 3]]],
  ['binaryCrossEntropyFromLogits', 'yTrue = [0, 1, 0, 1], z = [100, -1000, 1000, 1000]', [[0, 1, 0, 1], [100, -1000, 1000, 1000]]],
  ['binaryCrossEntropyFromLogitsGrad', 'yTrue = [1, 0], z = [2, -1]', [[1, 0], [2, -1]]],
  ['categoricalCrossEntropy', 'yTrue = [[0, 1, 0], [0, 0, 1]], p = [[0.05, 0.95, 0], [0.1, 0.8, 0.1]]', [[[0, 1, 0], [0, 0, 1]], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]]]],
  ['categoricalCrossEntropyGrad', 'yTrue = [[0, 1], [1, 0]], p = [[0.3, 0.7], [0.6, 0.4]]', [[[0, 1], [1, 0]], [[0.3, 0.7], [0.6, 0.4]]]],
  ['categoricalCrossEntropyFromLogits', 'yTrue = [[0, 1, 0], [0, 0, 1], [1, 0, 0]], z = [[1, 2, 0], [0.5, -1, 2], [3, 0, 0]]', [[[0, 1, 0], [0, 0, 1], [1, 0, 0]], [[1, 2, 0], [0.5, -1, 2], [3, 0, 0]]]],
  ['categoricalCrossEntropyFromLogitsGrad', 'yTrue = [[0, 1], [1, 0]], z = [[0.5, 1], [2, -1]]', [[[0, 1], [1, 0]], [[0.5, 1], [2, -1]]]],
  ['classificationError', 'yTrue = [1, 0, 1, 0, 1], scores = [0.9, 0.6, 0.3, 0.1, 0.51]', [[1, 0, 1, 0, 1], [0.9, 0.6, 0.3, 0.1, 0.51]]],
  ['classificationError', 'yTrue = [2, 0, 1, 1], scores = 4×3', [[2, 0, 1, 1], [[0.1, 0.2, 0.7], [0.5, 0.3, 0.2], [0.6, 0.3, 0.1], [-1, 4, 2]]]],
];

/** The public cases of an assignment with expected values from the reference, or null when none are defined. */
export function publicCasesFor(assignmentId: string): PublicCasesFile | null {
  if (assignmentId !== 'losses') return null;
  const cases = LOSSES_PUBLIC_INPUTS.map(([fn, label, args]): PublicCase => {
    const call = LOSSES_REFERENCE[fn] as (...a: unknown[]) => unknown;
    return { function: fn, label, args, expected: call(...(JSON.parse(JSON.stringify(args)) as unknown[])) };
  });
  return { assignment: assignmentId, tolerance: PUBLIC_CASE_TOLERANCE, cases };
}

function copyTree(from: string, to: string, written: string[], base: string): void {
  for (const dirent of fs.readdirSync(from, { withFileTypes: true })) {
    const src = path.join(from, dirent.name);
    const dest = path.join(to, dirent.name);
    if (dirent.isDirectory()) {
      fs.mkdirSync(dest, { recursive: true });
      copyTree(src, dest, written, base);
    } else if (dirent.isFile()) {
      fs.copyFileSync(src, dest);
      written.push(path.relative(base, dest).split(path.sep).join('/'));
    }
  }
}

/** Writes the student kit of an assignment into `outDir`; returns the kit's files (relative, sorted). */
export async function buildStudentKit(nameOrDir: string, outDir: string): Promise<{ files: string[] }> {
  const assignment = loadAssignment(nameOrDir);
  const out = path.resolve(outDir);
  fs.mkdirSync(out, { recursive: true });
  const files: string[] = [];
  const write = (name: string, text: string) => {
    fs.writeFileSync(path.join(out, name), text);
    files.push(name);
  };
  const handout = path.join(assignment.dir, 'README.md');
  if (fs.existsSync(handout)) {
    fs.copyFileSync(handout, path.join(out, 'README.md'));
    files.push('README.md');
  }
  fs.copyFileSync(assignment.specFile, path.join(out, 'assignment.json'));
  files.push('assignment.json');
  const starter = path.join(assignment.dir, 'starter');
  if (fs.existsSync(starter)) {
    fs.mkdirSync(path.join(out, 'starter'), { recursive: true });
    copyTree(starter, path.join(out, 'starter'), files, out);
  }
  const cases = publicCasesFor(assignment.id);
  if (cases) write('public-cases.json', JSON.stringify(cases, null, 2) + '\n');
  write(
    'check.md',
    [
      `# Checking your work — ${assignment.title}`,
      '',
      `Implement every function of \`starter/${assignment.entry}.ts\` (keep the names: ${assignment.exports.map((e) => `\`${e}\``).join(', ')}).`,
      '',
      'In the folder holding your file, run:',
      '',
      '```sh',
      `npx mlgrade check ${assignment.id}`,
      '```',
      '',
      'It runs the **public tests** (the same report format as your final grade) and exits with code 1 when one fails.',
      'The final grade also uses tests you do not see; passing every public test is necessary, not sufficient.',
      cases ? '\n`public-cases.json` lists a few public inputs with the expected outputs (relative tolerance 1e-5) if you want to compare by hand.' : '',
      '',
    ].join('\n'),
  );
  return { files: files.sort() };
}
