/**
 * The student kit (`mlgrade dist`): what it holds, what it must never hold, and that its checker
 * (`node check.mjs`, run in a folder holding only the kit) grades exactly as `mlgrade check`.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EXAMPLES, ROOT, runCli, tempDir } from '../support/cli';

/** Every file of a folder (recursively) as text. */
const readAll = (dir: string): { file: string; text: string }[] =>
  fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => ({ file: path.relative(dir, path.join(d.parentPath, d.name)), text: fs.readFileSync(path.join(d.parentPath, d.name), 'latin1') }));

/** Runs a kit's checker the way a student does: `node check.mjs …` in the kit folder, nothing else around. */
function runKit(kit: string, args: string[] = []): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [path.join(kit, 'check.mjs'), ...args], { cwd: kit, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' }, timeout: 60_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** A kit's folder holding a copy of one example's files (the student's work in place of the starter). */
function kitWith(kit: string, example: string): string {
  const copy = tempDir('mlgrade-kit-copy-');
  fs.cpSync(kit, copy, { recursive: true });
  for (const file of fs.readdirSync(path.join(EXAMPLES, example))) {
    if (/\.(ts|js)$/.test(file)) fs.copyFileSync(path.join(EXAMPLES, example, file), path.join(copy, file));
  }
  return copy;
}

describe('mlgrade dist losses', () => {
  let kit: string;
  beforeAll(() => {
    kit = path.join(tempDir('mlgrade-kit-'), 'kit');
    const run = runCli(['dist', 'losses', '--out', kit]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('holds the handout, the starter in place, the checker and its data', () => {
    const files = readAll(kit).map((f) => f.file.split(path.sep).join('/'));
    expect(files).toEqual(
      expect.arrayContaining(['README.md', 'losses.ts', 'check.mjs', 'CHECKING.md', 'package.json', '.github/workflows/mlgrade-check.yml', '.mlgrade/checks.json', '.mlgrade/child.js', '.mlgrade/modules/mathjs.js']),
    );
    expect(fs.readFileSync(path.join(kit, 'losses.ts'), 'utf8')).toBe(fs.readFileSync(path.join(ROOT, 'assignments/losses/starter/losses.ts'), 'utf8'));
    expect(JSON.parse(fs.readFileSync(path.join(kit, 'package.json'), 'utf8')).dependencies).toBeUndefined();
  });

  it('holds no reference code, no grader, no example solution and nothing hidden', () => {
    const checks = JSON.parse(fs.readFileSync(path.join(kit, '.mlgrade/checks.json'), 'utf8'));
    expect(checks.checks.length).toBeGreaterThanOrEqual(40);
    for (const { meta } of checks.checks) expect(meta.visibility).toBe('public');
    // Lines of the example solution that the starter does not have (bodies, not signatures).
    const starter = fs.readFileSync(path.join(ROOT, 'assignments/losses/starter/losses.ts'), 'utf8');
    const correct = fs.readFileSync(path.join(EXAMPLES, 'correct', 'losses.ts'), 'utf8');
    const distinctive = correct
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line.length > 40 && !starter.includes(line) && !/^(\/\/|\*|\/\*\*)/.test(line));
    expect(distinctive.length).toBeGreaterThan(5);
    for (const { file, text } of readAll(kit)) {
      // Identifiers of reference/, graders/ and the suite's builders; hidden check ids and seeds.
      for (const needle of ['LOSSES_REFERENCE', 'assertSameLength', 'sigmoidScalar', 'makeBinaryBlobs', 'gradient.seeded', 'accuracy.seeded', 'seeded-binary', 'seed 11)', 'seed 34)', 'seed 72)']) {
        expect([file, text.includes(needle)]).toEqual([file, false]);
      }
      for (const line of distinctive) expect([file, text.includes(line.trim())]).toEqual([file, false]);
    }
  });

  it('a usage slip exits 2 with one line', () => {
    const run = runKit(kit, ['--wach']);
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/--wach/);
  });

  it.each(['correct', 'grad-missing-1-over-n', 'softmax-wrong-axis', 'numerically-naive', 'syntax-error', 'missing-exports'])(
    '%s: node check.mjs reports exactly what mlgrade check reports',
    (example) => {
      const folder = kitWith(kit, example);
      const fromKit = runKit(folder, ['--report', 'report.html']);
      const fromCli = runCli(['check', 'losses', folder]);
      expect(fromKit.stderr).toBe('');
      expect(fromKit.status).toBe(fromCli.status);
      const strip = (text: string) => text.replace(/^Report: .*\n/m, '');
      expect(strip(fromKit.stdout)).toBe(fromCli.stdout);
      expect(fs.readFileSync(path.join(folder, 'report.html'), 'utf8')).toMatch(/<html/);
    },
  );

  it('a correct submission passes every public check and exits 0', () => {
    const run = runKit(kitWith(kit, 'correct'));
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/Public tests: 4\d passed, 0 failed/);
  });
});
