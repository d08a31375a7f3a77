/**
 * Several submissions share one jest test file (a batch): batch sizes, and what happens when a
 * batch's grader worker dies — only the submission that was running is lost, and it is told so.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EXAMPLES, ROOT, tempDir } from '../support/cli';
import { batchSize, MAX_BATCH } from '../../src/grading/grade';

const DIST = path.join(ROOT, 'dist');

interface StandInRun {
  /** Submission ids in the order onResult saw them. */
  seen: string[];
  results: { id: string; score: number; load: { status: string; message?: string }; message?: string }[];
}

/**
 * Grades copies of the correct example named `ids` with a stand-in suite whose one check runs
 * `checkBody` (JavaScript; `runContext`, `callStudent` and `fs` in scope), through
 * gradeSubmissions in a process of its own (the suite may kill its worker; jest must not run in
 * this test's process). `onResult` is JavaScript run with each result `r` as it is delivered.
 */
function gradeWithStandInSuite(ids: string[], checkBody: string, options: { jobs: number; batchSize: number; onResult?: string }): StandInRun {
  const dir = tempDir('mlgrade-batch-');
  const suite = path.join(dir, 'suite.js');
  fs.writeFileSync(
    suite,
    `const fs = require('node:fs');
const { defineSuite } = require(${JSON.stringify(path.join(DIST, 'src/suite/runner.js'))});
const { check } = require(${JSON.stringify(path.join(DIST, 'src/suite/check.js'))});
const { runContext } = require(${JSON.stringify(path.join(DIST, 'src/suite/context.js'))});
const { callStudent } = require(${JSON.stringify(path.join(DIST, 'src/suite/submission.js'))});
module.exports = defineSuite(() => {
  describe('mse', () => {
    check({ id: 'mse.stand-in', name: 'stand-in check', function: 'mse', category: 'accuracy', points: 1, visibility: 'public' }, async () => {
${checkBody}
    });
  });
});
`,
  );
  for (const id of ids) fs.cpSync(path.join(EXAMPLES, 'correct'), path.join(dir, 'class', id), { recursive: true });
  const script = path.join(dir, 'run.js');
  fs.writeFileSync(
    script,
    `const fs = require('node:fs');
const { loadAssignment } = require(${JSON.stringify(path.join(DIST, 'src/assignments/spec.js'))});
const { gradeSubmissions } = require(${JSON.stringify(path.join(DIST, 'src/grading/grade.js'))});
const assignment = { ...loadAssignment('losses'), graderEntry: ${JSON.stringify(suite)} };
const refs = ${JSON.stringify(ids)}.map((id) => ({ id, dir: ${JSON.stringify(path.join(dir, 'class'))} + '/' + id }));
const seen = [];
const onResult = (r) => { seen.push(r.submission); ${options.onResult ?? ''} };
gradeSubmissions(assignment, refs, { scope: 'all', jobs: ${options.jobs}, batchSize: ${options.batchSize}, onResult }).then((results) => {
  console.log(JSON.stringify({ seen, results: results.map((r) => ({ id: r.submission, score: r.score, load: r.load, message: r.tests[0]?.message })) }));
});
`,
  );
  const run = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 120_000 });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return JSON.parse(run.stdout.trim().split('\n').pop()!) as StandInRun;
}

test('batch sizes give every worker several files, and never exceed the cap', () => {
  expect(batchSize(1000, 2)).toBe(25);
  expect(batchSize(40, 2)).toBe(5);
  expect(batchSize(3, 2)).toBe(1);
  expect(batchSize(1, 8)).toBe(1);
  for (const n of [1, 7, 99, 250, 5000]) {
    for (const workers of [1, 2, 16]) {
      const size = batchSize(n, workers);
      expect(size).toBeGreaterThanOrEqual(1);
      expect(size).toBeLessThanOrEqual(MAX_BATCH);
      // Enough files for the workers (when there are enough submissions).
      expect(Math.ceil(n / size)).toBeGreaterThanOrEqual(Math.min(n, workers));
    }
  }
});

test('a grader worker that dies mid-batch costs only the submission it was grading', () => {
  // The suite kills its own jest worker while grading "crasher", standing in for a grader bug
  // (student code cannot reach the worker: see the sandbox tests).
  const ids = ['a', 'crasher', 'b', 'c'];
  const { seen, results } = gradeWithStandInSuite(
    ids,
    `      if (runContext().submission === 'crasher') process.kill(process.pid, 'SIGKILL');
      if ((await callStudent('mse', [[1], [3]])) !== 4) throw new Error('wrong');`,
    { jobs: 2, batchSize: 2 },
  );
  // Batches [a, crasher] and [b, c]: a finished before its worker died, so it is not graded again.
  expect([...seen].sort()).toEqual([...ids].sort());
  expect(seen.filter((id) => id === 'a')).toHaveLength(1);
  const byId = Object.fromEntries(results.map((r) => [r.id, r]));
  for (const id of ['a', 'b', 'c']) expect(byId[id]).toMatchObject({ score: 1, load: { status: 'loaded' } });
  expect(byId.crasher.score).toBe(0);
  expect(byId.crasher.load.status).toBe('failed');
  expect(byId.crasher.load.message).toMatch(/worker|crash|terminated|jest/i);
});

test('results are delivered one by one as each submission of a batch finishes, not when the batch ends', () => {
  // "b" passes only if the orchestrator has handed over a's result (onResult creates the file)
  // while b, in the same test file, is still being graded.
  const signal = path.join(tempDir('mlgrade-signal-'), 'a-was-delivered');
  const { results } = gradeWithStandInSuite(
    ['a', 'b'],
    `      if (runContext().submission !== 'b') return;
      for (let waited = 0; waited < 30000 && !fs.existsSync(${JSON.stringify(signal)}); waited += 50) await new Promise((r) => setTimeout(r, 50));
      if (!fs.existsSync(${JSON.stringify(signal)})) throw new Error('the result of a was not delivered while b was graded');`,
    { jobs: 1, batchSize: 2, onResult: `if (r.submission === 'a') fs.writeFileSync(${JSON.stringify(signal)}, '');` },
  );
  expect(results.map((r) => [r.id, r.score, r.message])).toEqual([
    ['a', 1, ''],
    ['b', 1, ''],
  ]);
});

test('a finished submission leaves nothing behind: its staged copy and sidecar go while the next one is graded', () => {
  // "b" (the second block of the same file) passes only once a's stage folder and sidecar are gone:
  // the scratch folder of a run does not grow with the class.
  const { results } = gradeWithStandInSuite(
    ['a', 'b'],
    `      const context = runContext();
      if (context.submission !== 'b') return;
      const root = require('node:path').dirname(require('node:path').dirname(context.stageDir));
      const left = () => [...fs.readdirSync(root + '/stage').filter((name) => name !== 's00001'), ...fs.readdirSync(root + '/sidecars')];
      for (let waited = 0; waited < 30000 && left().length; waited += 50) await new Promise((r) => setTimeout(r, 50));
      if (left().length) throw new Error('left behind: ' + left().join(', '));`,
    { jobs: 1, batchSize: 2 },
  );
  expect(results.map((r) => [r.id, r.score, r.message])).toEqual([
    ['a', 1, ''],
    ['b', 1, ''],
  ]);
});
