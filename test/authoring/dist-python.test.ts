/**
 * The student kit of an assignment that accepts Python: it ships the Python runner, `node
 * check.mjs` checks a Python module or notebook with the student's python3 and NumPy — in the
 * sandbox where bubblewrap works, else without it, saying so — and reports exactly what
 * `mlgrade check` reports. `--language python` gives a kit whose starter is Python.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, runCli, tempDir } from '../support/cli';
import { describeSandboxed } from '../sandbox/python/driver';

const PYTHON = path.join(ROOT, 'test', 'fixtures', 'python', 'class');

/** Runs a kit's checker as a student does: `node check.mjs …` in the kit folder, with only PATH (and what `env` adds). */
function runKit(kit: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [path.join(kit, 'check.mjs'), ...args], {
    cwd: kit,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env },
    timeout: 120_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** A copy of the kit whose starter is replaced by one Python fixture's files. */
function kitWith(kit: string, fixture: string): string {
  const copy = tempDir('mlgrade-pykit-copy-');
  fs.cpSync(kit, copy, { recursive: true });
  for (const file of fs.readdirSync(path.join(PYTHON, fixture))) fs.copyFileSync(path.join(PYTHON, fixture, file), path.join(copy, file));
  return copy;
}

describe('mlgrade dist losses --language python', () => {
  let kit: string;

  beforeAll(() => {
    kit = path.join(tempDir('mlgrade-pykit-'), 'kit');
    const run = runCli(['dist', 'losses', '--out', kit, '--language', 'python']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  test('holds the Python runner, the Python names, and no TypeScript starter', () => {
    expect(fs.readFileSync(path.join(kit, '.mlgrade', 'runner.py'), 'utf8')).toBe(fs.readFileSync(path.join(ROOT, 'src', 'sandbox', 'python', 'runner.py'), 'utf8'));
    expect(fs.existsSync(path.join(kit, 'losses.ts'))).toBe(false);
    const checks = JSON.parse(fs.readFileSync(path.join(kit, '.mlgrade', 'checks.json'), 'utf8'));
    expect(checks.assignment.languages).toEqual(['typescript', 'javascript', 'python']);
    expect(checks.assignment.python.names.mseGrad).toBe('mse_grad');
    const guide = fs.readFileSync(path.join(kit, 'CHECKING.md'), 'utf8');
    expect(guide).toMatch(/`mse_grad`/);
    expect(guide).toMatch(/python3 python3-numpy/);
    expect(guide).toMatch(/runs without that\s+sandbox — it is your own code on your own machine/);
    expect(fs.readFileSync(path.join(kit, '.github', 'workflows', 'mlgrade-check.yml'), 'utf8')).toMatch(/apt-get install -y -qq bubblewrap python3 python3-numpy/);
  });

  test('the default kit keeps the TypeScript starter and still checks Python', () => {
    const tsKit = path.join(tempDir('mlgrade-tskit-'), 'kit');
    expect(runCli(['dist', 'losses', '--out', tsKit]).status).toBe(0);
    expect(fs.existsSync(path.join(tsKit, 'losses.ts'))).toBe(true);
    expect(fs.existsSync(path.join(tsKit, '.mlgrade', 'runner.py'))).toBe(true);
    expect(fs.readFileSync(path.join(tsKit, 'CHECKING.md'), 'utf8')).toMatch(/may also be written in Python/);
  });

  test('a language the assignment does not accept is refused with one line', () => {
    const run = runCli(['dist', 'losses', '--out', tempDir(), '--language', 'rust']);
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toBe('mlgrade: --language must be one of typescript, javascript, python, got "rust"');
  });

  describeSandboxed('node check.mjs on Python work', () => {
    test.each(['correct', 'grad-missing-1-over-n', 'notebook-correct', 'notebook-syntax-error'])('%s: reports exactly what mlgrade check reports', (fixture) => {
      const folder = kitWith(kit, fixture);
      const fromKit = runKit(folder);
      const fromCli = runCli(['check', 'losses', folder]);
      expect(fromKit.stderr).toBe('');
      expect(fromKit.status).toBe(fromCli.status);
      expect(fromKit.stdout).toBe(fromCli.stdout);
      expect(fromKit.stdout).not.toMatch(/without mlgrade's sandbox/);
    });

    test('the Python names head the report', () => {
      const run = runKit(kitWith(kit, 'grad-missing-1-over-n'));
      expect(run.status).toBe(1);
      expect(run.stdout).toMatch(/^mse_grad$/m);
      expect(run.stdout).toMatch(/Hint: Your gradient is 8× the expected value/);
    });
  });

  test('without bubblewrap (a student\'s Mac) the kit checks Python without the sandbox, and says so', () => {
    const run = runKit(kitWith(kit, 'correct'), [], { MLGRADE_NO_BWRAP: '1' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/Public tests: \d+ passed, 0 failed/);
    expect(run.stdout).toMatch(/Note: your Python code ran without mlgrade's sandbox \(this machine has no bubblewrap\): it is your own code on your own machine/);
  });
});
