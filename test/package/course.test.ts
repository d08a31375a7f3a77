/**
 * From `npm pack` to a graded class, the way a course adopts mlgrade, without touching mlgrade's own
 * folder: install the tarball into a fresh course folder, `init`, `new hinge`, write the reference
 * and the suite of docs/authoring.md (its files are copied out of the guide, so the guide is what
 * is tested), type-check them against the published types, `validate hinge`, grade its examples,
 * `dist` a kit; then, in another folder holding only the kit, `node check.mjs` checks a student's
 * solution. The kit must not hold the reference or anything hidden (canaries are planted in both).
 * The built-in assignments still grade from the installed package as they do from the repository.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SubmissionResult } from '../../src/types';
import { ROOT, readResult, runCli, tempDir } from '../support/cli';

const GUIDE = path.join(ROOT, 'docs', 'authoring.md');
const CANARY_REFERENCE = 'mlgrade-canary-reference-51d2';
const CANARY_HIDDEN = 'canary-hidden-8e41';
const CANARY_INPUT = 4242.4242;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Run {
  const result: SpawnSyncReturns<string> = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', GITHUB_STEP_SUMMARY: '', npm_config_update_notifier: 'false', ...env },
    timeout: 600_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function ok(result: Run, what: string): Run {
  if (result.status !== 0) throw new Error(`${what} failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  return result;
}

/** npm install, from the local cache when it holds everything (CI's `npm ci` fills it), else the registry. */
function npmInstall(cwd: string, args: string[]): void {
  const offline = run('npm', ['install', '--offline', '--no-audit', '--no-fund', ...args], cwd);
  if (offline.status !== 0) ok(run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', ...args], cwd), `npm install ${args.join(' ')}`);
}

/** The files the guide shows, in order: ```<lang> file=<path> blocks. */
function guideFiles(): { file: string; text: string }[] {
  const markdown = fs.readFileSync(GUIDE, 'utf8');
  return [...markdown.matchAll(/^```\w+ file=(\S+)\n([\s\S]*?)^```$/gm)].map((m) => ({ file: m[1], text: m[2] }));
}

const filesUnder = (dir: string): string[] => (fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true }).map(String).sort() : []);

let course: string;
let ownFolderBefore: string[];

beforeAll(() => {
  ownFolderBefore = [...filesUnder(path.join(ROOT, 'assignments')), ...filesUnder(path.join(ROOT, 'graders')), ...filesUnder(path.join(ROOT, 'reference'))];
  const work = tempDir('mlgrade-course-e2e-');
  const pack = JSON.parse(ok(run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], ROOT), 'npm pack').stdout);
  const tarball = path.join(work, pack[0].filename);
  course = path.join(work, 'ml-101');
  fs.mkdirSync(course);
  npmInstall(course, ['--save-dev', tarball]);
  ok(run('npx', ['mlgrade', 'init'], course), 'mlgrade init');
  npmInstall(course, []);
  ok(run('npx', ['mlgrade', 'new', 'hinge'], course), 'mlgrade new hinge');
  for (const { file, text } of guideFiles()) fs.writeFileSync(path.join(course, file), text);
}, 600_000);

test('the tarball holds what a user needs and none of the built-in correct solutions', () => {
  const installed = path.join(course, 'node_modules', 'mlgrade');
  for (const file of ['bin/mlgrade.js', 'dist/src/index.d.ts', 'dist/src/suite/index.d.ts', 'dist/reference/index.d.ts', 'dist/kit/check.mjs', 'assignments/losses/starter/losses.ts']) {
    expect([file, fs.existsSync(path.join(installed, file))]).toEqual([file, true]);
  }
  expect(filesUnder(path.join(installed, 'assignments/losses/examples')).some((f) => f.startsWith('correct'))).toBe(false);
  expect(filesUnder(installed).some((f) => /^(src|test|bench)\//.test(f) || (f.startsWith('reference/') && f.endsWith('.ts')))).toBe(false);
});

test('init made a course; new wrote into it, not into node_modules or mlgrade\'s own folder', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(course, 'package.json'), 'utf8'));
  expect(manifest.devDependencies.mlgrade).toMatch(/mlgrade-0\.\d+\.\d+\.tgz$/);
  expect(manifest.scripts.test).toBeDefined();
  expect(fs.existsSync(path.join(course, 'graders', 'hinge', 'index.ts'))).toBe(true);
  expect(filesUnder(path.join(course, 'node_modules', 'mlgrade', 'assignments'))).not.toContain('hinge');
  expect([...filesUnder(path.join(ROOT, 'assignments')), ...filesUnder(path.join(ROOT, 'graders')), ...filesUnder(path.join(ROOT, 'reference'))]).toEqual(ownFolderBefore);
});

test("the guide's suite and reference type-check against mlgrade's published types", () => {
  ok(run('npx', ['tsc', '--noEmit', '-p', '.'], course), 'tsc --noEmit');
});

test('validate hinge: the reference scores 100 % and every mutant and fault example is caught', () => {
  const result = ok(run('npx', ['mlgrade', 'validate', 'hinge'], course), 'mlgrade validate hinge');
  expect(result.stdout).toMatch(/reference solution: 100\/100 PASS/);
  expect(result.stdout).toMatch(/mutants from mutants\.ts: 3\/3 as expected/);
  expect(result.stdout).toMatch(/^OK: /m);
  expect(result.stdout).not.toMatch(/MISSED|FAILED/);
});

test('grade the examples as a class: the correct one 100, the fault charged to hingeGrad with the ×N diagnosis', () => {
  ok(run('npx', ['mlgrade', 'grade', 'hinge', 'assignments/hinge/examples', '--out', 'out/hinge'], course), 'mlgrade grade hinge');
  const out = path.join(course, 'out', 'hinge');
  expect(readResult(out, 'correct').score).toBe(100);
  const fault = readResult(out, 'grad-missing-1-over-n');
  expect(fault.tests.filter((t) => t.status !== 'passed').map((t) => t.function)).toEqual(expect.arrayContaining(['hingeGrad']));
  expect(fault.tests.filter((t) => t.status !== 'passed').every((t) => t.function === 'hingeGrad')).toBe(true);
  expect(fault.tests.find((t) => t.id === 'hingeGrad.gradient.reference')!.diagnosis).toMatch(/N = 8/);
  expect(fs.existsSync(path.join(out, 'grades.csv'))).toBe(true);
  expect(fs.existsSync(path.join(out, 'index.html'))).toBe(true);
});

describe('the student kit', () => {
  let kit: string;
  beforeAll(() => {
    // Canaries: in the reference, and in a hidden check's id, name and input.
    fs.appendFileSync(path.join(course, 'reference', 'hinge.ts'), `\nexport const CANARY = '${CANARY_REFERENCE}';\n`);
    const suite = path.join(course, 'graders', 'hinge', 'index.ts');
    fs.writeFileSync(
      suite,
      fs.readFileSync(suite, 'utf8').replace(
        "  describe('hingeGrad', () => {",
        `  describe('canary', () => {\n    valueCheck(specs.hinge, 'accuracy.${CANARY_HIDDEN}', 'the ${CANARY_HIDDEN} check', 'accuracy', hand('${CANARY_HIDDEN}', [1], [${CANARY_INPUT}]), { points: 1, visibility: 'hidden' });\n  });\n\n  describe('hingeGrad', () => {`,
      ),
    );
    ok(run('npx', ['mlgrade', 'dist', 'hinge', '--out', 'kits/hinge'], course), 'mlgrade dist hinge');
    // The student's machine: only the kit, far from the course and its node_modules.
    kit = path.join(tempDir('mlgrade-student-'), 'hinge');
    fs.cpSync(path.join(course, 'kits', 'hinge'), kit, { recursive: true });
  });

  it('holds no reference code, no example solution and nothing hidden', () => {
    const reference = fs.readFileSync(path.join(course, 'reference', 'hinge.ts'), 'utf8');
    const bodies = ['return scores.map((s, i) => (yTrue[i] * s < 1 ? -yTrue[i] / yTrue.length : 0));', 'for (let i = 0; i < yTrue.length; i++) sum += Math.max(0, 1 - yTrue[i] * scores[i]);'];
    for (const body of bodies) expect(reference).toContain(body);
    const example = 'return yTrue.reduce((sum, y, i) => sum + Math.max(0, 1 - y * scores[i]), 0) / yTrue.length;';
    for (const file of filesUnder(kit).filter((f) => fs.statSync(path.join(kit, f)).isFile())) {
      const text = fs.readFileSync(path.join(kit, file), 'latin1');
      for (const needle of [CANARY_REFERENCE, CANARY_HIDDEN, String(CANARY_INPUT), 'gradient.seeded', 'accuracy.seeded', 'seed 201', 'seed 204', ...bodies, example]) {
        expect([file, needle, text.includes(needle)]).toEqual([file, needle, false]);
      }
    }
  });

  it('node check.mjs passes a correct solution and explains a wrong one, with Node alone', () => {
    const env = { PATH: path.dirname(process.execPath) + path.delimiter + '/usr/bin:/bin', HOME: kit };
    fs.writeFileSync(path.join(kit, 'hinge.ts'), fs.readFileSync(path.join(course, 'assignments/hinge/examples/correct/hinge.ts')));
    const pass = run(process.execPath, ['check.mjs'], kit, env);
    expect(pass.stderr).toBe('');
    expect(pass.status).toBe(0);
    expect(pass.stdout).toMatch(/Public tests: \d+ passed, 0 failed/);
    fs.writeFileSync(path.join(kit, 'hinge.ts'), fs.readFileSync(path.join(course, 'assignments/hinge/examples/grad-missing-1-over-n/hinge.ts')));
    const fail = run(process.execPath, ['check.mjs', '--report', 'report.html'], kit, env);
    expect(fail.status).toBe(1);
    expect(fail.stdout).toMatch(/hingeGrad/);
    expect(fail.stdout).toMatch(/N = 8/);
    expect(fs.readFileSync(path.join(kit, 'report.html'), 'utf8')).toMatch(/Self-check on the public tests/);
  });
});

test('the built-in losses assignment grades from the installed package as from the repository', () => {
  const examples = path.join(course, 'node_modules', 'mlgrade', 'assignments', 'losses', 'examples');
  ok(run('npx', ['mlgrade', 'grade', 'losses', examples, '--out', 'out/losses', '--no-html'], course), 'grade losses from the package');
  const fromRepo = tempDir();
  const ids = fs.readdirSync(examples);
  const repoRun = runCli(['grade', 'losses', path.join(ROOT, 'assignments', 'losses', 'examples'), '--out', fromRepo, '--no-html']);
  expect(repoRun.status).toBe(0);
  const summary = (r: SubmissionResult) => r.tests.map((t) => [t.id, t.status, t.score]);
  for (const id of ids) expect([id, summary(readResult(path.join(course, 'out', 'losses'), id))]).toEqual([id, summary(readResult(fromRepo, id))]);
});
