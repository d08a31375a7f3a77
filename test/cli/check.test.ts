/**
 * `check` on a submission that does not load shows that one error, alone, with what to fix — not
 * the same failure once per test, in which the line that matters scrolls away.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EXAMPLES, runCli, tempDir } from '../support/cli';

test('a syntax error is shown once, alone, with the file, line and what to do', () => {
  const run = runCli(['check', 'losses', path.join(EXAMPLES, 'syntax-error')]);
  const line = fs.readFileSync(path.join(EXAMPLES, 'syntax-error', 'EXPECTED_ERROR_LINE'), 'utf8').trim();
  expect(run.status).toBe(1);
  expect(run.stderr).toBe('');
  expect(run.stdout.match(new RegExp(`losses\\.ts:${line}:\\d+`, 'g'))).toHaveLength(1);
  expect(run.stdout).toMatch(/Your submission could not be loaded: it has a syntax error\./);
  expect(run.stdout).toMatch(/To fix: fix the line named above, save, and check again\./);
  expect(run.stdout).toMatch(/Public tests: none of \d+ could run — score 0\/\d+ \(0%\)/);
  // No per-test lines (the first test of the suite would be "sigmoid … exists and returns …").
  expect(run.stdout).not.toMatch(/exists and returns|\[interface\]|\[accuracy\]/);
  expect(run.stdout.trim().split('\n').length).toBeLessThan(10);
});

test('a folder without the entry file says which file to add', () => {
  const run = runCli(['check', 'losses', tempDir()]);
  expect(run.status).toBe(1);
  expect(run.stdout).toMatch(/could not be loaded: there is no entry file/);
  expect(run.stdout).toMatch(/To fix: put your solution in losses\.ts, losses\.js or losses\.py \(or losses\.ipynb\) in this folder/);
  expect(run.stdout).not.toMatch(/\[interface\]/);
});

test('a submission that loads still gets the full per-test report', () => {
  const run = runCli(['check', 'losses', path.join(EXAMPLES, 'mse-half-convention')]);
  expect(run.status).toBe(1);
  expect(run.stdout).toMatch(/\[interface\]/);
  expect(run.stdout).toMatch(/Public tests: \d+ passed, [1-9]\d* failed/);
});

test('a submission that does not load still shows the notes on how it was read (an entry used under another name)', () => {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'Losses.ts'), 'export function mse(: number {\n');
  const run = runCli(['check', 'losses', dir]);
  expect(run.status).toBe(1);
  expect(run.stdout).toMatch(/Note: Losses\.ts used as losses\.ts[^\n]*\n\n✗ Your submission could not be loaded: it has a syntax error\./);
});
