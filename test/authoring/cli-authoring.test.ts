/**
 * The authoring commands through the CLI: new (a scaffolded loss is graded with every category),
 * bundle encrypt/decrypt, dist.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { scaffoldFiles } from '../../src/authoring/scaffold';
import { ROOT, packageCopy, readResult, runCli, tempDir } from '../support/cli';

test('mlgrade new scaffolds a loss whose few-line spec yields interface, accuracy, gradient and stability checks', () => {
  const name = 'huber-demo';
  const files = scaffoldFiles(name);
  const root = packageCopy();
  const run = runCli(['new', name], { root });
  expect(run.status).toBe(0);
  for (const file of Object.keys(files)) expect(fs.readFileSync(path.join(root, file), 'utf8')).toBe(files[file]);
  // Compile just the new suite and reference into the copy's dist/, as `npm run build` would.
  for (const file of Object.keys(files).filter((f) => /^(graders|reference)\/.*\.ts$/.test(f))) {
    const out = path.join(root, 'dist', file.replace(/\.ts$/, '.js'));
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, ts.transpileModule(files[file], { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText);
  }
  const out = tempDir();
  const assignment = path.join(root, 'assignments', name);
  const graded = runCli(['grade', name, path.join(assignment, 'examples', 'correct'), '--out', out, '--no-html'], { root });
  expect(graded.status).toBe(0);
  const result = readResult(out, 'correct');
  expect(result.score).toBe(result.maxScore);
  expect(new Set(result.tests.map((t) => t.category))).toEqual(new Set(['interface', 'accuracy', 'gradient', 'stability']));
  const starter = runCli(['grade', name, path.join(assignment, 'starter'), '--out', out, '--no-html'], { root });
  expect(starter.status).toBe(0);
  expect(readResult(out, 'starter').score).toBe(0);
  expect(readResult(out, 'starter').tests[0].message).toMatch(/TODO: implement huber/);
  expect(runCli(['new', name], { root }).stderr).toMatch(/already exist/);
  expect(runCli(['new', 'Bad Name'], { root }).status).toBe(2);
  // The real package was not touched.
  expect(fs.existsSync(path.join(ROOT, 'assignments', name))).toBe(false);
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

test('dist writes the kit without reference code or hidden tests', () => {
  const out = tempDir();
  const run = runCli(['dist', 'losses', '--out', out]);
  expect(run.status).toBe(0);
  const all = fs.readdirSync(out, { recursive: true }).map(String);
  expect(all).toEqual(expect.arrayContaining(['README.md', 'public-cases.json', path.join('starter', 'losses.ts')]));
  for (const file of all) {
    const full = path.join(out, file);
    if (fs.statSync(full).isFile()) expect(fs.readFileSync(full, 'utf8')).not.toMatch(/LOSSES_REFERENCE|gradient\.seeded|accuracy\.seeded/);
  }
});
