/**
 * A class of Python modules and notebooks mixed with TypeScript submissions, graded in one run
 * through the CLI as an instructor does — from a folder and from a Canvas-shaped zip. Each
 * Python twin gets its TypeScript twin's score and the same check outcomes and diagnoses, worded
 * with its own names (`mse_grad(y_true, y_pred)`) and locations (`cell 7, line 3`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SubmissionResult, TestResult } from '../../src/types';
import { pythonText } from '../../src/suite/studentLanguage';
import { loadAssignment } from '../../src/assignments/spec';
import { EXAMPLES, ROOT, readResult, runCli, tempDir } from '../support/cli';
import { buildZip } from './zipBuilder';
import { parseCsv } from '../reports/csvParse';
import { describeSandboxed } from '../sandbox/python/driver';

const PYTHON = path.join(ROOT, 'test', 'fixtures', 'python', 'class');
const TRAINING = path.join(ROOT, 'assignments', 'training', 'examples');
const PYTHON_TRAINING = path.join(ROOT, 'test', 'fixtures', 'python', 'training');
const LOSSES_TWINS = ['correct', 'grad-missing-1-over-n', 'flipped-sign-gradients'];
const TRAINING_TWINS = ['correct', 'lr-applied-twice', 'mutates-input'];
const names = loadAssignment('losses').python!.names;
const trainingNames = loadAssignment('training').python!.names;

/** Words a Python student's report must not carry: TypeScript's names and JavaScript's advice. */
const JAVASCRIPT_ONLY = [/\bmseGrad\b/, /\byTrue\b/, /\byPred\b/, /\bbinaryCrossEntropy/, /\btrainBinary\b/, /Array\.from/, /\bMath\./, /process\.exit/, /\.slice\(\)/, /export function/, /\bconst /];

/** Every text of a result a student reads (messages, diagnoses, names, calls, notes, the load message). */
function studentTexts(result: SubmissionResult): string[] {
  return [
    ...result.tests.flatMap((t) => [t.name, t.message, t.diagnosis ?? '', t.details?.comparison?.call ?? '', t.details?.diagnosis ?? '']),
    ...(result.origin?.notes ?? []),
    result.load.status === 'failed' ? result.load.message : '',
  ];
}

/** The outcome of each check, for comparing twins: status, points and the diagnosis in Python words. */
function outcomes(result: SubmissionResult, translate: (text: string) => string): { id: string; status: string; score: number; diagnosis?: string }[] {
  return result.tests.map((t: TestResult) => ({ id: t.id, status: t.status, score: t.score, ...(t.diagnosis ? { diagnosis: translate(t.diagnosis) } : {}) }));
}

function copyInto(dir: string, from: string, to: string): void {
  fs.cpSync(from, path.join(dir, to), { recursive: true, filter: (source) => !source.endsWith('FAULT.md') });
}

describeSandboxed('a mixed class folder: TypeScript, Python modules and notebooks graded in one run', () => {
  let out: string;
  let stderr: string;
  const result = (id: string) => readResult(out, id);

  beforeAll(() => {
    const dir = tempDir('mlgrade-mixed-');
    for (const name of LOSSES_TWINS) {
      copyInto(dir, path.join(EXAMPLES, name), `ts-${name}`);
      copyInto(dir, path.join(PYTHON, name), `py-${name}`);
    }
    copyInto(dir, path.join(PYTHON, 'notebook-correct'), 'nb-correct');
    copyInto(dir, path.join(PYTHON, 'notebook-syntax-error'), 'nb-syntax-error');
    // Both languages in one folder: the assignment's first language (TypeScript) is graded, and a note says so.
    copyInto(dir, path.join(EXAMPLES, 'correct'), 'both');
    fs.copyFileSync(path.join(PYTHON, 'grad-missing-1-over-n', 'losses.py'), path.join(dir, 'both', 'losses.py'));
    out = tempDir();
    const run = runCli(['grade', 'losses', dir, '--out', out, '--jobs', '2']);
    stderr = run.stderr;
    expect(run.status).toBe(0);
  }, 300_000);

  test('nothing was refused and nothing warned about Python', () => {
    expect(stderr).not.toMatch(/Python/);
  });

  test.each(LOSSES_TWINS)('%s: the Python twin gets the TypeScript score, check by check, with the same diagnoses', (name) => {
    const ts = result(`ts-${name}`);
    const py = result(`py-${name}`);
    expect(py.score).toBe(ts.score);
    expect(py.maxScore).toBe(ts.maxScore);
    expect(outcomes(py, (t) => t)).toEqual(outcomes(ts, (t) => pythonText(t, names)));
    expect(py.language).toBe('python');
    expect(ts.language).toBe('typescript');
  });

  test('a notebook twin of the correct solution scores full marks; what its conversion skipped is listed for the student', () => {
    const nb = result('nb-correct');
    expect(nb.score).toBe(100);
    expect(nb.load).toMatchObject({ status: 'loaded', entry: 'hw1.ipynb' });
    expect(nb.origin?.notes).toEqual([
      'hw1.ipynb used as losses.ipynb',
      'hw1.ipynb: cell 2, line 1: skipped the line magic %matplotlib inline (IPython syntax does not run when grading)',
      'hw1.ipynb: cell 2, line 2: skipped the shell command !pip install numpy (IPython syntax does not run when grading)',
      'hw1.ipynb: cell 20, line 2: skipped the help request np.mean? (IPython syntax does not run when grading)',
      'hw1.ipynb: cell 21: skipped (tagged mlgrade-skip)',
    ]);
  });

  test('a syntax error in a notebook is located by cell and line, and explains the function it left undefined', () => {
    const nb = result('nb-syntax-error');
    expect(nb.load.status).toBe('loaded');
    expect(nb.origin?.notes).toEqual([
      "losses.ipynb: cell 7, line 3: syntax error: '(' was never closed — the notebook went on with the next cell; left undefined: mse_grad",
    ]);
    const failing = nb.tests.filter((t) => t.status !== 'passed');
    expect(new Set(failing.map((t) => t.function))).toEqual(new Set(['mseGrad']));
    expect(failing[0].message).toMatch(/^mse_grad is not defined: cell 7, which defines it, did not run to the end \(SyntaxError at cell 7, line 3: '\(' was never closed\)/);
    expect(nb.score).toBe(100 - failing.reduce((sum, t) => sum + t.maxScore, 0));
  });

  test('Python messages use Python names and Python advice, never JavaScript\'s', () => {
    for (const id of ['py-correct', 'py-grad-missing-1-over-n', 'py-flipped-sign-gradients', 'nb-correct']) {
      const r = result(id);
      for (const text of studentTexts(r)) for (const word of JAVASCRIPT_ONLY) expect([id, text, word.test(text)]).toEqual([id, text, false]);
      // Headings: the student's names.
      expect(r.names?.mseGrad).toBe('mse_grad');
    }
    const gradient = result('py-grad-missing-1-over-n').tests.find((t) => t.id === 'mseGrad.gradient.reference')!;
    expect(gradient.message).toMatch(/^mse_grad\(y_true, y_pred\) — seeded, N = 8 \(seed 22\) is not close enough/);
    expect(gradient.details?.comparison?.call).toMatch(/^mse_grad\(y_true, y_pred\) — seeded/);
    expect(Object.keys(gradient.details?.comparison?.inputs ?? {})).toEqual(['y_true', 'y_pred']);
    // Ids and the function under test stay the export names: the keys a mixed class is counted by.
    expect(gradient.function).toBe('mseGrad');
  });

  test('the student report and Gradescope show the Python names', () => {
    const folder = (id: string) => path.dirname(require('../../reports/json').resultPath(out, id));
    const html = fs.readFileSync(path.join(folder('py-grad-missing-1-over-n'), 'report.html'), 'utf8');
    expect(html).toContain('mse_grad');
    expect(html).not.toMatch(/\bmseGrad\b/);
    const gradescope = fs.readFileSync(path.join(folder('py-grad-missing-1-over-n'), 'gradescope', 'results.json'), 'utf8');
    expect(gradescope).toContain('mse_grad › ');
  });

  test('a folder holding losses.ts and losses.py: TypeScript is graded, and the student is told', () => {
    const both = result('both');
    expect(both.language).toBe('typescript');
    expect(both.score).toBe(100);
    expect(both.origin?.notes).toContain(
      'losses.ts and losses.py were both submitted: losses.ts was graded (the assignment takes typescript, javascript, python in that order); remove the file you did not mean',
    );
  });

  test('Python runs in its own sandbox, and results say so', () => {
    expect(result('py-correct').isolation).toMatchObject({ runtime: 'python', permissionModel: false, network: 'namespace', processes: 'namespace', filesystem: 'private-root', scrubbedEnv: true });
    expect(result('py-correct').isolation?.unsandboxed).toBeUndefined();
    expect(result('ts-correct').isolation).toMatchObject({ runtime: 'node', permissionModel: true });
  });

  test('the class files count twins together: one pass rate per check over both languages', () => {
    const summary = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8'));
    const rate = summary.tests.find((t: { id: string }) => t.id === 'mseGrad.gradient.reference');
    expect(rate.name).toBe('equals (2/N)(yPred − yTrue)');
    expect(rate.total).toBe(9);
  });
});

describeSandboxed('a Canvas-shaped zip of TypeScript, Python and notebook uploads', () => {
  let out: string;
  let grades: string[][];

  beforeAll(async () => {
    const read = (...parts: string[]) => fs.readFileSync(path.join(...parts));
    const zip = path.join(tempDir('mlgrade-canvas-py-'), 'submissions.zip');
    fs.writeFileSync(
      zip,
      await buildZip([
        { name: 'adamsamy_1001_900001_losses.ts', data: read(EXAMPLES, 'correct', 'losses.ts') },
        { name: 'adamsamy_1001_900002_activations.ts', data: read(EXAMPLES, 'correct', 'activations.ts') },
        { name: 'brownbo_1002_900003_losses.py', data: read(PYTHON, 'correct', 'losses.py') },
        // A resubmission: Canvas renamed it losses-1.py.
        { name: 'chenli_LATE_1003_900004_losses-1.py', data: read(PYTHON, 'grad-missing-1-over-n', 'losses.py') },
        // A notebook named after the homework: the submission's only notebook is its entry.
        { name: 'davisdee_1004_900005_hw1.ipynb', data: read(PYTHON, 'notebook-correct', 'hw1.ipynb') },
        { name: 'evanseve_1005_900006_losses.ts', data: read(EXAMPLES, 'grad-missing-1-over-n', 'losses.ts') },
      ]),
    );
    out = tempDir();
    const run = runCli(['grade', 'losses', zip, '--out', out, '--jobs', '2']);
    expect(run.status).toBe(0);
    grades = parseCsv(fs.readFileSync(path.join(out, 'grades.csv'), 'utf8'));
  }, 300_000);

  test('every upload is graded in its own language, twins alike', () => {
    const score = (id: string) => readResult(out, id).score;
    expect(score('adamsamy_1001')).toBe(100);
    expect(score('brownbo_1002')).toBe(100);
    expect(score('davisdee_1004')).toBe(100);
    expect(score('chenli_1003')).toBe(score('evanseve_1005'));
    expect(score('chenli_1003')).toBeLessThan(100);
    expect(readResult(out, 'chenli_1003').language).toBe('python');
    expect(readResult(out, 'chenli_1003').origin?.notes?.join('\n')).toMatch(/losses-1\.py → losses\.py/);
    expect(readResult(out, 'davisdee_1004').origin?.notes).toContain('hw1.ipynb used as losses.ipynb');
  });

  test('the same download unzipped (Canvas\'s flat folder) grades the same', () => {
    const dir = tempDir('mlgrade-canvas-py-flat-');
    fs.copyFileSync(path.join(PYTHON, 'correct', 'losses.py'), path.join(dir, 'brownbo_1002_900003_losses.py'));
    fs.copyFileSync(path.join(PYTHON, 'notebook-correct', 'hw1.ipynb'), path.join(dir, 'davisdee_1004_900005_hw1.ipynb'));
    fs.copyFileSync(path.join(EXAMPLES, 'grad-missing-1-over-n', 'losses.ts'), path.join(dir, 'evanseve_1005_900006_losses.ts'));
    const flat = tempDir();
    expect(runCli(['grade', 'losses', dir, '--out', flat, '--no-html']).status).toBe(0);
    for (const id of ['brownbo_1002', 'davisdee_1004', 'evanseve_1005']) expect([id, readResult(flat, id).score]).toEqual([id, readResult(out, id).score]);
  });

  test('grades.csv and the Canvas gradebook have every student', () => {
    expect(grades.slice(1).map((r) => r[0]).sort()).toEqual(['adamsamy_1001', 'brownbo_1002', 'chenli_1003', 'davisdee_1004', 'evanseve_1005']);
    const gradebook = parseCsv(fs.readFileSync(path.join(out, 'canvas-gradebook.csv'), 'utf8'));
    expect(gradebook.map((r) => r[1])).toEqual(expect.arrayContaining(['1001', '1002', '1003', '1004', '1005']));
  });
});

describeSandboxed('the training assignment: Python trainers graded as their TypeScript twins', () => {
  let out: string;

  beforeAll(() => {
    const dir = tempDir('mlgrade-mixed-training-');
    for (const name of TRAINING_TWINS) {
      copyInto(dir, path.join(TRAINING, name), `ts-${name}`);
      copyInto(dir, path.join(PYTHON_TRAINING, name), `py-${name}`);
    }
    out = tempDir();
    expect(runCli(['grade', 'training', dir, '--out', out, '--jobs', '2', '--no-html']).status).toBe(0);
  }, 300_000);

  test.each(TRAINING_TWINS)('%s: same score, same outcomes and diagnoses, Python words', (name) => {
    const ts = readResult(out, `ts-${name}`);
    const py = readResult(out, `py-${name}`);
    expect(py.score).toBe(ts.score);
    expect(outcomes(py, (t) => t)).toEqual(outcomes(ts, (t) => pythonText(t, trainingNames)));
    for (const text of studentTexts(py)) for (const word of JAVASCRIPT_ONLY) expect([text, word.test(text)]).toEqual([text, false]);
  });

  test('an input modified in place is named as Python names it, with Python advice', () => {
    const test = readResult(out, 'py-mutates-input').tests.find((t) => t.id === 'trainBinary.inputs-unchanged')!;
    expect(test.message).toMatch(/^train_binary\(X, y, opts\) — .* modified its inputs: opts\["w0"\]\[0\] was /);
    expect(test.diagnosis).toBe(
      'You updated opts["w0"] in place: assigning a list (`w = opts["w0"]`) does not copy it — it gives the caller\'s list a second name, so every update also changes the caller\'s initial parameters. Copy first: `w = np.array(opts["w0"], dtype=float)`.',
    );
  });
});
