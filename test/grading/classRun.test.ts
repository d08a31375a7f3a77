/**
 * gradeClass holds no results: each result.json is on disk before anyone hears of the result, the
 * run returns summaries, and the class files (written from the result.json files read back) count
 * kept results as well as new ones when a run resumes.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EXAMPLES, ROOT, tempDir } from '../support/cli';
import type { RunSummary } from '../../reports/summary';

const DIST = path.join(ROOT, 'dist');

interface ClassRunOutput {
  /** For each onResult call: was that very result already in its result.json? */
  onDisk: boolean[];
  results: Record<string, unknown>[];
  graded: number;
  kept: number;
  failures: string[];
}

/**
 * A class of copies of the correct example, graded by a stand-in suite whose one check passes
 * when `mse([1], [3])` is 4 (fast), through gradeClass in a process of its own (it runs jest).
 */
function setUp(ids: string[]): { classDir: string; grade: (out: string) => ClassRunOutput } {
  const dir = tempDir('mlgrade-class-run-');
  // In a folder of its own: the grader version hashes the suite's folder, which must not hold the class.
  const suite = path.join(dir, 'suite', 'suite.js');
  fs.mkdirSync(path.dirname(suite));
  fs.writeFileSync(
    suite,
    `const { defineSuite } = require(${JSON.stringify(path.join(DIST, 'src/suite/runner.js'))});
const { check } = require(${JSON.stringify(path.join(DIST, 'src/suite/check.js'))});
const { callStudent } = require(${JSON.stringify(path.join(DIST, 'src/suite/submission.js'))});
module.exports = defineSuite(() => {
  describe('mse', () => {
    check({ id: 'mse.stand-in', name: 'stand-in check', function: 'mse', category: 'accuracy', points: 1, visibility: 'public' }, async () => {
      if ((await callStudent('mse', [[1], [3]])) !== 4) throw new Error('wrong');
    });
  });
});
`,
  );
  const classDir = path.join(dir, 'class');
  for (const id of ids) fs.cpSync(path.join(EXAMPLES, 'correct'), path.join(classDir, id), { recursive: true });
  const script = path.join(dir, 'run.js');
  fs.writeFileSync(
    script,
    `const fs = require('node:fs');
const { loadAssignment } = require(${JSON.stringify(path.join(DIST, 'src/assignments/spec.js'))});
const { gradeClass } = require(${JSON.stringify(path.join(DIST, 'src/grading/run.js'))});
const { resultPath } = require(${JSON.stringify(path.join(DIST, 'reports/json.js'))});
const assignment = { ...loadAssignment('losses'), graderEntry: ${JSON.stringify(suite)} };
const out = process.argv[2];
const onDisk = [];
const onResult = (r) => {
  const stored = JSON.parse(fs.readFileSync(resultPath(out, r.submission), 'utf8'));
  onDisk.push(JSON.stringify(stored) === JSON.stringify(r));
};
gradeClass({ assignment, submissions: ${JSON.stringify(classDir)}, outDir: out, jobs: 1, batchSize: 2, githubSummary: false, onResult }).then((run) => {
  console.log(JSON.stringify({ onDisk, results: run.results, graded: run.graded.length, kept: run.plan.kept.length, failures: run.reporterFailures }));
});
`,
  );
  return {
    classDir,
    grade: (out) => {
      const run = spawnSync(process.execPath, [script, out], { encoding: 'utf8', timeout: 180_000 });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      return JSON.parse(run.stdout.trim().split('\n').pop()!) as ClassRunOutput;
    },
  };
}

const csvRows = (out: string) => fs.readFileSync(path.join(out, 'grades.csv'), 'utf8').trim().split('\n').slice(1);
const summaryOf = (out: string) => JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8')) as RunSummary;

test('results are on disk before onResult, the run returns summaries, and a resumed run still writes the whole class', () => {
  const ids = ['ann', 'ben', 'cat'];
  const { classDir, grade } = setUp(ids);
  const out = tempDir('mlgrade-class-run-out-');

  const first = grade(out);
  expect(first.onDisk).toEqual([true, true, true]);
  expect(first).toMatchObject({ graded: 3, kept: 0, failures: [] });
  // Summaries, not results: nothing of the tests is held.
  expect(first.results).toEqual(ids.map((submission) => ({ submission, score: 1, maxScore: 1, load: { status: 'loaded' } })));
  expect(csvRows(out)).toEqual(ids.map((id) => `${id},1,1,100,1,1,graded`));
  const rows = csvRows(out);

  // Nothing changed: every result is kept, and the class files still list all of them.
  const resumed = grade(out);
  expect(resumed).toMatchObject({ onDisk: [], graded: 0, kept: 3, failures: [], results: first.results });
  expect(csvRows(out)).toEqual(rows);
  expect(summaryOf(out).counts).toMatchObject({ submissions: 3, loaded: 3 });

  // One changed submission is graded again; the two kept ones still count.
  fs.appendFileSync(path.join(classDir, 'ben', 'losses.ts'), '\n// edited\n');
  const partly = grade(out);
  expect(partly).toMatchObject({ onDisk: [true], graded: 1, kept: 2, results: first.results });
  expect(csvRows(out)).toEqual(rows);
  expect(summaryOf(out).counts.submissions).toBe(3);
  const dashboard = fs.readFileSync(path.join(out, 'index.html'), 'utf8');
  for (const id of ids) expect(dashboard).toContain(`>${id}<`);
});

test('an output folder inside the class folder is not graded as a submission by the next run', () => {
  const ids = ['ann', 'ben'];
  const { classDir, grade } = setUp(ids);
  const out = path.join(classDir, 'grades');
  expect(grade(out)).toMatchObject({ graded: 2, failures: [] });
  const again = grade(out);
  expect(again).toMatchObject({ graded: 0, kept: 2, failures: [] });
  expect(again.results.map((r) => r.submission)).toEqual(ids);
  expect(csvRows(out)).toHaveLength(2);
});
