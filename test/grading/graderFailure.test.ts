/**
 * A grade cut short by the grader (a worker died, jest did not run the submission) is marked as
 * such in result.json and never kept by a resumed run: the student's work is graded again, not
 * left at the 0 the grader's failure produced.
 */
import { resultPath, writeResultJson } from '../../reports/json';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildResult } from '../../src/grading/results';
import { planGrading } from '../../src/grading/plan';
import type { CheckMeta, SubmissionResult } from '../../src/types';
import { EXAMPLES, readResult, runCli, tempDir } from '../support/cli';

const check: CheckMeta = { id: 'f.accuracy.hand', name: 'f', function: 'f', category: 'accuracy', points: 2, visibility: 'public' };
const base = { submission: 'alice', assignment: 'demo', scope: 'all' as const, graderVersion: 'v1', contentHash: 'h1', startedAt: new Date(0), durationMs: 5 };

test('a result without a suite record carries graderFailure; one with a record does not', () => {
  const lost = buildResult({ ...base, runFailure: 'jest did not run this submission', fallbackChecks: [check] });
  expect(lost.graderFailure).toBe('jest did not run this submission');
  expect(lost.score).toBe(0);
  expect(lost.tests[0].message).toMatch(/^Not graded: jest did not run this submission/);
  expect(buildResult({ ...base }).graderFailure).toBe('grading did not complete');

  const record = {
    declared: [check],
    tests: [{ ...check, status: 'failed' as const, score: 0, maxScore: 2, message: 'wrong' }],
    load: { status: 'loaded' as const, entry: 'f.ts', exports: ['f'] },
    startedAt: 0,
    durationMs: 5,
  };
  const graded = buildResult({ ...base, record });
  expect(graded.graderFailure).toBeUndefined();
  expect('graderFailure' in graded).toBe(false);
});

test('planGrading keeps a current complete result and regrades one the grader cut short', () => {
  const out = tempDir();
  const write = (result: SubmissionResult) => writeResultJson(out, result);
  const complete = buildResult({ ...base, submission: 'alice', record: { declared: [], tests: [], load: { status: 'loaded', entry: 'f.ts', exports: [] }, startedAt: 0, durationMs: 1 } });
  write(complete);
  write(buildResult({ ...base, submission: 'bob', runFailure: "the grader's own process stopped" }));
  const refs = [{ id: 'alice', dir: '/a' }, { id: 'bob', dir: '/b' }];
  const plan = planGrading(refs, out, { graderVersion: 'v1', force: false, hash: () => 'h1' });
  expect(plan.kept.map((r) => r.submission)).toEqual(['alice']);
  expect(plan.toGrade.map((r) => r.id)).toEqual(['bob']);
});

test('planGrading regrades a result.json that is not a whole result, however current its hash', () => {
  const out = tempDir();
  const complete = buildResult({ ...base, submission: 'carol', record: { declared: [], tests: [], load: { status: 'loaded', entry: 'f.ts', exports: [] }, startedAt: 0, durationMs: 1 } });
  writeResultJson(out, complete);
  // A hand-edited or half-written file: the right id, hash and grader, but no load or tests.
  const { load: _load, tests: _tests, ...partial } = complete;
  fs.writeFileSync(resultPath(out, 'carol'), JSON.stringify(partial));
  writeResultJson(out, { ...complete, submission: 'dan' });
  fs.writeFileSync(resultPath(out, 'dan'), 'null');
  const plan = planGrading([{ id: 'carol', dir: '/c' }, { id: 'dan', dir: '/d' }], out, { graderVersion: 'v1', force: false, hash: () => 'h1' });
  expect(plan.kept).toEqual([]);
  expect(plan.toGrade.map((r) => r.id)).toEqual(['carol', 'dan']);
});

test('grade regrades a result marked as cut short by the grader, and keeps the others', () => {
  const dir = tempDir('mlgrade-class-');
  for (const name of ['correct', 'mse-half-convention']) fs.cpSync(path.join(EXAMPLES, name), path.join(dir, name), { recursive: true });
  const out = tempDir();
  expect(runCli(['grade', 'losses', dir, '--out', out, '--no-html']).status).toBe(0);
  // What a crashed worker leaves behind: the same files and grader, a 0, and the mark.
  const first = readResult(out, 'correct');
  const lost: SubmissionResult = { ...first, score: 0, graderFailure: 'jest did not run this submission' };
  writeResultJson(out, lost);

  const resumed = runCli(['grade', 'losses', dir, '--out', out, '--no-html']);
  expect(resumed.status).toBe(0);
  expect(resumed.stdout).toMatch(/1 submission unchanged since last graded with this grader: kept/);
  expect(resumed.stdout).toMatch(/1 submission graded .*; 1 kept from earlier runs/);
  const regraded = readResult(out, 'correct');
  expect(regraded.score).toBe(100);
  expect(regraded.graderFailure).toBeUndefined();
});
