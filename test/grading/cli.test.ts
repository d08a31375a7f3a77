/**
 * The CLI's contract: grade one folder, check (public tests only, exit codes), determinism,
 * clear errors for bad arguments.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EXAMPLES, readResult, runCli, tempDir } from '../support/cli';

test('grade on a single submission folder writes <out>/<id>/result.json', () => {
  const out = tempDir();
  const run = runCli(['grade', 'losses', path.join(EXAMPLES, 'correct'), '--out', out]);
  expect(run.status).toBe(0);
  expect(fs.readdirSync(out)).toEqual(['correct']);
  expect(readResult(out, 'correct').score).toBe(100);
  expect(run.stdout).toMatch(/correct\s+100\/100/);
});

test('the same submission always gets the same grade (seeded inputs)', () => {
  const first = tempDir();
  const second = tempDir();
  runCli(['grade', 'losses', path.join(EXAMPLES, 'numerically-naive'), '--out', first]);
  runCli(['grade', 'losses', path.join(EXAMPLES, 'numerically-naive'), '--out', second]);
  const a = readResult(first, 'numerically-naive');
  const b = readResult(second, 'numerically-naive');
  expect(a.score).toBeLessThan(100);
  expect(b.score).toBe(a.score);
  expect(b.tests.map((t) => [t.id, t.status, t.message])).toEqual(a.tests.map((t) => [t.id, t.status, t.message]));
});

test('check passes a correct submission with exit code 0 and runs no hidden test', () => {
  const run = runCli(['check', 'losses', path.join(EXAMPLES, 'correct')]);
  expect(run.status).toBe(0);
  expect(run.stdout).toMatch(/Public tests: \d+ passed, 0 failed/);
  expect(run.stdout).not.toMatch(/seeded batch|hidden\]/);
});

test('check fails a buggy submission with exit code 1 and shows the diagnosis', () => {
  const run = runCli(['check', 'losses'], { cwd: path.join(EXAMPLES, 'grad-missing-1-over-n') });
  expect(run.status).toBe(1);
  expect(run.stdout).toMatch(/mseGrad/);
  expect(run.stdout).toMatch(/sum over the batch instead of taking the mean/);
  expect(run.stdout).not.toMatch(/hidden\]/);
});

test('check on a syntax error names file and line', () => {
  const run = runCli(['check', 'losses', path.join(EXAMPLES, 'syntax-error')]);
  const line = fs.readFileSync(path.join(EXAMPLES, 'syntax-error', 'EXPECTED_ERROR_LINE'), 'utf8').trim();
  expect(run.status).toBe(1);
  expect(run.stdout).toContain(`losses.ts:${line}:`);
});

test('unknown assignments and missing folders are usage errors (exit 2) with a clear message', () => {
  const unknown = runCli(['grade', 'nope', EXAMPLES, '--out', tempDir()]);
  expect(unknown.status).toBe(2);
  expect(unknown.stderr).toMatch(/Unknown assignment "nope".*Known assignments: .*losses/s);
  const missing = runCli(['grade', 'losses', path.join(EXAMPLES, 'does-not-exist'), '--out', tempDir()]);
  expect(missing.status).toBe(2);
  expect(missing.stderr).toMatch(/No such folder/);
  const noCommand = runCli([]);
  expect(noCommand.status).toBe(2);
});
