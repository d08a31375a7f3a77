/**
 * One submission can never hold up a class: the attacks on time (sleeping without CPU at import
 * and in every call) graded together with correct submissions, through the CLI, with an
 * assignment whose limits are tight enough for a test (call 300 ms, load 3 s: a budget of
 * 3 s + 30 × 300 ms = 12 s per submission).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SubmissionResult } from '../../src/types';
import { EXAMPLES, ROOT, readResult, runCli, tempDir } from '../support/cli';

const HOSTILE = path.join(ROOT, 'test', 'fixtures', 'hostile');
const SLEEPING = ['sleeps-at-import', 'sleeps-at-import-and-every-call', 'sleeps-in-every-call'];

let out: string;
let elapsedMs: number;
const result = (id: string): SubmissionResult => readResult(out, id);

beforeAll(() => {
  const assignment = tempDir('mlgrade-tight-');
  const spec = JSON.parse(fs.readFileSync(path.join(ROOT, 'assignments', 'losses', 'assignment.json'), 'utf8'));
  fs.writeFileSync(
    path.join(assignment, 'assignment.json'),
    JSON.stringify({ ...spec, reference: path.join(ROOT, 'dist', 'reference', 'index.js'), limits: { ...spec.limits, callTimeoutMs: 300, loadTimeoutMs: 3000 } }),
  );
  const batch = tempDir('mlgrade-class-');
  for (const name of SLEEPING) fs.cpSync(path.join(HOSTILE, name), path.join(batch, name), { recursive: true });
  for (const name of ['correct', 'correct-commonjs']) fs.cpSync(path.join(EXAMPLES, name), path.join(batch, name), { recursive: true });
  out = tempDir();
  const started = Date.now();
  const run = runCli(['grade', assignment, batch, '--out', out, '--jobs', '2', '--no-html']);
  elapsedMs = Date.now() - started;
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
}, 300_000);

test('the class is graded within the sleepers\' budgets, and the correct submissions get full marks', () => {
  expect(result('correct').score).toBe(100);
  expect(result('correct-commonjs').score).toBe(100);
  // Before: 1,637 s and 2,015 s for the two that sleep in every call. Now each stops at its
  // 12 s budget; two jobs share them, plus process starts and jest.
  expect(elapsedMs).toBeLessThan(60_000);
});

test('sleeping at import is a load time-out at the load limit', () => {
  const r = result('sleeps-at-import');
  expect(r.load).toEqual({ status: 'failed', reason: 'timeout', message: 'loading the submission took longer than 3000 ms (an endless loop, or a wait, at import?)' });
  expect(r.score).toBe(0);
});

test.each([['sleeps-in-every-call'], ['sleeps-at-import-and-every-call']])('%s: loaded, every check a time-out, the last ones not run for the budget', (id) => {
  const r = result(id);
  expect(r.load.status).toBe('loaded');
  expect(r.score).toBe(0);
  expect(r.tests.every((t) => t.status === 'timeout' || t.status === 'error')).toBe(true);
  expect(r.tests.some((t) => /did not return within the time limit of 300 ms/.test(t.message))).toBe(true);
  const last = r.tests[r.tests.length - 1];
  expect(last.message).toMatch(/was not run to the end: the submission used up its time budget \(12 s for all its calls together\), so its remaining checks were not run\.$/);
  expect(r.durationMs).toBeLessThan(12_000 + 5_000);
});
