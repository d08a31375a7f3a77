/**
 * Bulk runs never lose work: results are kept when nothing changed, regraded when the files
 * change or with --force, an interrupted run resumes, and shards split a class deterministically.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { discoverSubmissions } from '../../src/grading/discover';
import { parseShard, selectShard } from '../../src/grading/plan';
import { EXAMPLES, ROOT, gradedIds, readResult, runCli, tempDir } from '../support/cli';
import { resultPath } from '../../reports/json';

function classOf(names: string[]): string {
  const dir = tempDir('mlgrade-class-');
  for (const name of names) fs.cpSync(path.join(EXAMPLES, name), path.join(dir, name), { recursive: true });
  return dir;
}

const mtime = (out: string, id: string) => fs.statSync(resultPath(out, id)).mtimeMs;

test('an unchanged class is kept, a changed submission is regraded, --force regrades all', () => {
  const dir = classOf(['correct', 'mse-half-convention']);
  const out = tempDir();
  expect(runCli(['grade', 'losses', dir, '--out', out]).stdout).toMatch(/2 submissions graded/);
  const before = mtime(out, 'correct');

  const again = runCli(['grade', 'losses', dir, '--out', out]);
  expect(again.stdout).toMatch(/2 submissions unchanged since last graded with this grader: kept/);
  expect(again.stdout).toMatch(/0 submissions graded .*; 2 kept from earlier runs/);
  expect(mtime(out, 'correct')).toBe(before);

  fs.appendFileSync(path.join(dir, 'mse-half-convention', 'losses.ts'), '\n// edited\n');
  const edited = runCli(['grade', 'losses', dir, '--out', out]);
  expect(edited.stdout).toMatch(/1 submission unchanged/);
  expect(edited.stdout).toMatch(/1 submission graded/);
  expect(mtime(out, 'correct')).toBe(before);

  const forced = runCli(['grade', 'losses', dir, '--out', out, '--force']);
  expect(forced.stdout).toMatch(/2 submissions graded/);
  expect(mtime(out, 'correct')).toBeGreaterThan(before);
  expect(readResult(out, 'correct').score).toBe(100);
});

test('an interrupted run resumes without regrading what is done', async () => {
  // infinite-loop is slow (its softmax tests each hit the time limit), so the run is killed mid-way.
  const dir = classOf(['correct', 'flipped-sign-gradients', 'infinite-loop', 'mse-half-convention']);
  const out = tempDir();
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'mlgrade.js'), 'grade', 'losses', dir, '--out', out, '--jobs', '1'], { detached: true, stdio: 'ignore' });
  const finished = () => gradedIds(out);
  const deadline = Date.now() + 60_000;
  while (finished().length < 1 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  process.kill(-child.pid!, 'SIGKILL');
  await new Promise((resolve) => child.once('exit', resolve));
  const done = finished();
  expect(done.length).toBeGreaterThanOrEqual(1);
  expect(done.length).toBeLessThan(4);
  // Whatever was written is complete JSON (atomic writes), never a half file.
  for (const id of done) expect(readResult(out, id).submission).toBe(id);
  const resumed = runCli(['grade', 'losses', dir, '--out', out]);
  expect(resumed.stdout).toContain(`${done.length} submission${done.length === 1 ? '' : 's'} unchanged`);
  expect(resumed.stdout).toMatch(new RegExp(`${4 - done.length} submissions? graded`));
  expect(gradedIds(out)).toEqual(['correct', 'flipped-sign-gradients', 'infinite-loop', 'mse-half-convention']);
});

test('shards are disjoint, cover the class and do not depend on the machine', async () => {
  const all = await discoverSubmissions(EXAMPLES, 'losses');
  const shards = [1, 2, 3].map((index) => selectShard(all, { index, count: 3 }).map((r) => r.id));
  expect(shards.flat().sort()).toEqual(all.map((r) => r.id).sort());
  expect(new Set(shards.flat()).size).toBe(all.length);
  expect(selectShard(all, parseShard('2/3')).map((r) => r.id)).toEqual(shards[1]);
  // Adding a submission never moves the others.
  const more = [...all, { id: 'zz-new-student', dir: '/nowhere' }];
  expect(selectShard(more, { index: 2, count: 3 }).map((r) => r.id).filter((id) => id !== 'zz-new-student')).toEqual(shards[1]);
  expect(() => parseShard('3/2')).toThrow(/--shard must look like i\/n/);
});

test('grade --shard writes only its slice', () => {
  const out = tempDir();
  const run = runCli(['grade', 'losses', classOf(['correct', 'mse-half-convention', 'flipped-sign-gradients', 'grad-missing-1-over-n']), '--out', out, '--shard', '1/2']);
  expect(run.status).toBe(0);
  const expected = selectShard(['correct', 'mse-half-convention', 'flipped-sign-gradients', 'grad-missing-1-over-n'].map((id) => ({ id, dir: id })), { index: 1, count: 2 }).map((r) => r.id);
  expect(gradedIds(out)).toEqual(expected.sort());
  expect(runCli(['grade', 'losses', EXAMPLES, '--out', out, '--shard', '0/2']).status).toBe(2);
});

test('shards graded separately merge into one gradebook equal to an unsharded run', () => {
  const dir = classOf(['correct', 'mse-half-convention', 'flipped-sign-gradients', 'grad-missing-1-over-n']);
  const [a, b, merged, whole] = [tempDir(), tempDir(), tempDir(), tempDir()];
  expect(runCli(['grade', 'losses', dir, '--out', a, '--shard', '1/2', '--no-html']).status).toBe(0);
  expect(runCli(['grade', 'losses', dir, '--out', b, '--shard', '2/2', '--no-html']).status).toBe(0);
  const merge = runCli(['merge', a, b, '--out', merged, '--no-html']);
  expect(merge.status).toBe(0);
  expect(merge.stdout).toMatch(/Merged 4 submissions from 2 folders/);
  expect(runCli(['grade', 'losses', dir, '--out', whole, '--no-html']).status).toBe(0);
  const rows = (out: string) => fs.readFileSync(path.join(out, 'grades.csv'), 'utf8').trim().split('\n');
  expect(rows(merged)).toEqual(rows(whole));
  expect(runCli(['merge', tempDir(), '--out', merged]).status).toBe(2);
});
