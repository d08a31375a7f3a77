/**
 * The authoring commands through the CLI: init and new (a scaffolded loss is graded with every
 * category; a built-in assignment copied with --from), bundle encrypt/decrypt.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assignmentFiles } from '../../src/authoring/templates/assignment';
import { ROOT, readResult, runCli, tempDir } from '../support/cli';

/** A course folder made by `mlgrade init`, using this checkout's mlgrade (node_modules linked). */
function course(): string {
  const dir = path.join(tempDir('mlgrade-course-'), 'ml-101');
  const init = runCli(['init', dir]);
  expect(init.status).toBe(0);
  fs.mkdirSync(path.join(dir, 'node_modules'));
  fs.symlinkSync(ROOT, path.join(dir, 'node_modules', 'mlgrade'), 'dir');
  return dir;
}

test('mlgrade init scaffolds a course; new writes an assignment into it whose suite grades every category', () => {
  const dir = course();
  for (const file of ['package.json', 'tsconfig.json', '.gitignore', 'README.md', 'roster.csv', '.github/workflows/grade-class.yml']) expect(fs.existsSync(path.join(dir, file))).toBe(true);
  expect(JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).devDependencies.mlgrade).toMatch(/^\^\d+\.\d+\.\d+$/);
  expect(runCli(['init', dir]).status).toBe(2);

  const created = runCli(['new', 'huber-demo'], { cwd: path.join(dir, 'assignments') });
  expect(created.status).toBe(0);
  for (const [file, text] of Object.entries(assignmentFiles('huber-demo', 'huberDemo'))) expect(fs.readFileSync(path.join(dir, file), 'utf8')).toBe(text);
  const out = tempDir();
  const examples = path.join(dir, 'assignments', 'huber-demo', 'examples');
  const graded = runCli(['grade', 'huber-demo', examples, '--out', out, '--no-html'], { cwd: dir });
  expect(graded.stderr).toBe('');
  expect(graded.status).toBe(0);
  const correct = readResult(out, 'correct');
  expect(correct.score).toBe(correct.maxScore);
  expect(new Set(correct.tests.map((t) => t.category))).toEqual(new Set(['interface', 'accuracy', 'gradient', 'stability']));
  const fault = readResult(out, 'grad-missing-1-over-n');
  expect(fault.tests.filter((t) => t.status !== 'passed').every((t) => t.function === 'huberDemoGrad')).toBe(true);
  expect(fault.tests.find((t) => t.id === 'huberDemoGrad.gradient.reference')!.diagnosis).toMatch(/N = 8/);
  const starter = runCli(['grade', 'huber-demo', path.join(dir, 'assignments', 'huber-demo', 'starter'), '--out', out, '--no-html'], { cwd: dir });
  expect(starter.status).toBe(0);
  expect(readResult(out, 'starter').score).toBe(0);
  expect(readResult(out, 'starter').tests[0].message).toMatch(/TODO: implement huberDemo/);

  expect(runCli(['new', 'huber-demo'], { cwd: dir }).stderr).toMatch(/already exist/);
  expect(runCli(['new', 'Bad Name'], { cwd: dir }).status).toBe(2);
  expect(runCli(['new', 'elsewhere'], { cwd: tempDir() }).stderr).toMatch(/no course here.*mlgrade init/);
  // Nothing was written into mlgrade's own folder.
  expect(fs.existsSync(path.join(ROOT, 'assignments', 'huber-demo'))).toBe(false);
});

test('new --from copies a built-in assignment into the course, graded as the built-in one is', () => {
  const dir = course();
  const copied = runCli(['new', 'my-losses', '--from', 'losses'], { cwd: dir });
  expect(copied.status).toBe(0);
  expect(fs.readFileSync(path.join(dir, 'graders', 'my-losses', 'index.ts'), 'utf8')).toContain("from '../../reference/losses'");
  expect(fs.readFileSync(path.join(dir, 'reference', 'losses.ts'), 'utf8')).toContain("from 'mlgrade/reference'");
  const out = tempDir();
  const graded = runCli(['grade', 'my-losses', path.join(dir, 'assignments', 'my-losses', 'examples', 'grad-missing-1-over-n'), '--out', out, '--no-html'], { cwd: dir });
  expect(graded.status).toBe(0);
  const builtInOut = tempDir();
  const builtIn = runCli(['grade', 'losses', path.join(ROOT, 'assignments', 'losses', 'examples', 'grad-missing-1-over-n'), '--out', builtInOut, '--no-html']);
  expect(builtIn.status).toBe(0);
  const result = readResult(out, 'grad-missing-1-over-n');
  const expected = readResult(builtInOut, 'grad-missing-1-over-n');
  expect(result.assignment).toBe('my-losses');
  expect(result.score).toBeLessThan(100);
  expect(result.tests.map((t) => [t.id, t.status, t.score, t.message])).toEqual(expected.tests.map((t) => [t.id, t.status, t.score, t.message]));
  expect(runCli(['new', 'x', '--from', 'nope'], { cwd: dir }).stderr).toMatch(/no built-in assignment "nope" \(built in: .*losses/);
});

test('bundle encrypt/decrypt round-trips a folder; a wrong key is refused clearly', () => {
  const dir = tempDir('mlgrade-hidden-');
  fs.mkdirSync(path.join(dir, 'losses'));
  fs.writeFileSync(path.join(dir, 'losses', 'hidden.js'), 'module.exports = { secretSeed: 424242 };\n');
  const bundle = path.join(tempDir(), 'hidden.mlgb');
  expect(runCli(['bundle', 'encrypt', dir, '--out', bundle], { env: { MLGRADE_BUNDLE_KEY: 'course-secret' } }).status).toBe(0);
  expect(fs.readFileSync(bundle).includes(Buffer.from('424242'))).toBe(false);
  const back = tempDir();
  expect(runCli(['bundle', 'decrypt', bundle, '--out', back], { env: { MLGRADE_BUNDLE_KEY: 'course-secret' } }).status).toBe(0);
  expect(fs.readFileSync(path.join(back, 'losses', 'hidden.js'), 'utf8')).toContain('424242');
  const wrong = runCli(['bundle', 'decrypt', bundle, '--out', tempDir()], { env: { MLGRADE_BUNDLE_KEY: 'guess' } });
  expect(wrong.status).toBe(2);
  expect(wrong.stderr).toMatch(/wrong key or corrupted bundle/);
  expect(runCli(['bundle', 'decrypt', bundle, '--out', tempDir()], { env: { MLGRADE_BUNDLE_KEY: '' } }).stderr).toMatch(/MLGRADE_BUNDLE_KEY/);
});
