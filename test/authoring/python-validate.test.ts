/**
 * `mlgrade validate` for an assignment that accepts Python: a scaffolded assignment (`mlgrade new`
 * writes a correct Python example beside the TypeScript one) is validated with its Python example
 * and the seven automatic mutants in Python too, each caught as its JavaScript twin is.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, runCli, tempDir } from '../support/cli';
import { describeSandboxed } from '../sandbox/python/driver';

describeSandboxed('validate with Python', () => {
  let stdout: string;
  let status: number | null;

  beforeAll(() => {
    const dir = path.join(tempDir('mlgrade-pycourse-'), 'ml-101');
    expect(runCli(['init', dir]).status).toBe(0);
    fs.mkdirSync(path.join(dir, 'node_modules'));
    fs.symlinkSync(ROOT, path.join(dir, 'node_modules', 'mlgrade'), 'dir');
    expect(runCli(['new', 'huber-demo'], { cwd: dir }).status).toBe(0);
    const run = runCli(['validate', 'huber-demo', '--jobs', '2'], { cwd: dir });
    stdout = run.stdout;
    status = run.status;
  }, 300_000);

  test('the Python example scores full marks and the Python mutants are caught like the JavaScript ones', () => {
    expect(status).toBe(0);
    expect(stdout).toMatch(/ok {6}correct-python — a correct example: must score full marks/);
    // 2 exports × 7 mutations, in JavaScript and in Python; the same one goes unexercised in both
    // (no check gives the gradient an extreme input).
    expect(stdout).toMatch(/automatic mutants: 26\/28 as expected \(2 not exercised by any check\)/);
    expect(stdout).toMatch(/unused {2}huberDemoGrad: nan-at-extremes/);
    expect(stdout).toMatch(/unused {2}huberDemoGrad \(Python\): nan-at-extremes/);
    expect(stdout).not.toMatch(/automatic mutants were graded in JavaScript only/);
    expect(stdout).toMatch(/^OK: /m);
  });
});
