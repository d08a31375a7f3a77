/**
 * Merging the output folders of sharded runs: every submission once (the newest when two shards
 * graded it), folders copied whole, and clear refusals for wrong inputs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EXAMPLES, gradedIds, readResult, runCli, tempDir } from '../support/cli';
import { MergeInputError, mergeOutputs } from '../../src/grading/merge';
import type { SubmissionResult } from '../../src/types';
import { writeResultJson } from '../../reports/json';
import { submissionDir, submissionFile } from '../../reports/layout';
import { csvReporter } from '../../reports/csv';
import { summaryReporter, type RunSummary } from '../../reports/summary';
import type { RunInfo } from '../../reports/reporter';

/** Graded for real (two examples keep the test fast); `resubmitted` is a copy of `correct` under another id. */
const GRADED = ['correct', 'syntax-error'];
const IDS = ['correct', 'resubmitted', 'syntax-error'];
let graded: string;

beforeAll(() => {
  const root = tempDir('mlgrade-merge-');
  const subs = path.join(root, 'subs');
  for (const id of GRADED) fs.cpSync(path.join(EXAMPLES, id), path.join(subs, id), { recursive: true });
  graded = path.join(root, 'graded');
  const run = runCli(['grade', 'losses', subs, '--out', graded, '--jobs', '2'], { env: { GITHUB_STEP_SUMMARY: '' } });
  if (run.status !== 0) throw new Error(`grade failed (${run.status}): ${run.stderr}`);
  fs.cpSync(submissionDir(graded, 'correct'), submissionDir(graded, 'resubmitted'), { recursive: true });
  rewrite(graded, 'resubmitted', (r) => (r.submission = 'resubmitted'));
});

/** A shard folder holding copies of graded submissions (as `grade --shard` would leave it). */
function shard(root: string, name: string, ids: string[]): string {
  const dir = path.join(root, name);
  for (const id of ids) fs.cpSync(submissionDir(graded, id), submissionDir(dir, id), { recursive: true });
  fs.writeFileSync(path.join(dir, 'grades.csv'), 'from the shard run\n');
  return dir;
}

function rewrite(dir: string, id: string, change: (r: SubmissionResult) => void): SubmissionResult {
  const result = readResult(dir, id);
  change(result);
  writeResultJson(dir, result);
  return result;
}

const later = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

test('merges shards: each submission once, the newest copy kept, folders copied whole', async () => {
  const root = tempDir('mlgrade-merge-');
  const a = shard(root, 'shard-a', ['correct', 'syntax-error']);
  const b = shard(root, 'shard-b', ['resubmitted', 'correct']);
  const newer = rewrite(b, 'correct', (r) => (r.gradedAt = later(r.gradedAt, 3_600_000)));
  fs.writeFileSync(submissionFile(b, 'correct', 'report.html'), '<p>from shard b</p>');
  const out = path.join(root, 'merged');
  fs.mkdirSync(submissionDir(out, 'correct'), { recursive: true });
  fs.writeFileSync(submissionFile(out, 'correct', 'stale.txt'), 'from an earlier merge');

  for (const inputs of [[a, b], [b, a]]) {
    const { results, ids, conflicts } = mergeOutputs(inputs, out);
    expect(ids).toEqual(IDS);
    // Read back from the merged folder, one at a time, as they are iterated.
    expect([...results].map((r) => r.submission)).toEqual(IDS);
    expect(conflicts).toEqual([`correct: graded in ${a} at ${readResult(a, 'correct').gradedAt} and in ${b} at ${newer.gradedAt}; kept ${b}`]);
    expect([...results][0].gradedAt).toBe(newer.gradedAt);
  }
  expect(readResult(out, 'correct')).toEqual(newer);
  expect(fs.readFileSync(submissionFile(out, 'correct', 'report.html'), 'utf8')).toBe('<p>from shard b</p>');
  expect(fs.existsSync(submissionFile(out, 'correct', 'stale.txt'))).toBe(false);
  const source: Record<string, string> = { correct: b, resubmitted: b, 'syntax-error': a };
  for (const id of IDS) {
    expect(readResult(out, id)).toEqual(readResult(source[id], id));
    expect(fs.existsSync(submissionFile(out, id, 'gradescope', 'results.json'))).toBe(true);
  }
  // A shard's own whole-run files are not copied: the caller regenerates them over the merge.
  expect(fs.existsSync(path.join(out, 'grades.csv'))).toBe(false);

  const { results } = mergeOutputs([a, b], out);
  const run: RunInfo = { assignment: { id: 'losses', title: 'Losses' }, outDir: out, scope: 'all', startedAt: new Date() };
  await csvReporter.onRunComplete!(results, run);
  await summaryReporter.onRunComplete!(results, run);
  const csv = fs.readFileSync(path.join(out, 'grades.csv'), 'utf8').trim().split('\n');
  expect(csv.slice(1).map((line) => line.split(',')[0])).toEqual(IDS);
  const summary = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8')) as RunSummary;
  expect(summary.counts).toMatchObject({ submissions: 3, loaded: 2, failedToLoad: 1 });
});

test('on equal gradedAt the later input wins; the output folder may be one of the inputs', () => {
  const root = tempDir('mlgrade-merge-');
  const a = shard(root, 'a', ['correct', 'syntax-error']);
  const b = shard(root, 'b', ['correct', 'resubmitted']);
  fs.writeFileSync(submissionFile(b, 'correct', 'marker'), 'b');
  const { results, conflicts } = mergeOutputs([a, b], a);
  expect([...results].map((r) => r.submission)).toEqual(IDS);
  expect(conflicts).toHaveLength(1);
  expect(conflicts[0]).toMatch(/kept .*[/\\]b$/);
  expect(fs.readFileSync(submissionFile(a, 'correct', 'marker'), 'utf8')).toBe('b');
  expect(readResult(a, 'resubmitted').score).toBe(readResult(graded, 'resubmitted').score);
  // Merging into an input that already holds everything changes nothing.
  expect(mergeOutputs([b, a], a).ids).toEqual(IDS);
  expect(fs.readdirSync(b).sort()).toEqual(['grades.csv', 'submissions']);
  expect(gradedIds(b)).toEqual(['correct', 'resubmitted']);
});

describe('refusals name the folder or file', () => {
  test('an input folder without results, or that does not exist', () => {
    const root = tempDir('mlgrade-merge-');
    const a = shard(root, 'a', ['correct']);
    const empty = path.join(root, 'empty-shard');
    fs.mkdirSync(path.join(empty, 'submissions', 'not-a-submission'), { recursive: true });
    expect(() => mergeOutputs([a, empty], path.join(root, 'out'))).toThrow(MergeInputError);
    expect(() => mergeOutputs([a, empty], path.join(root, 'out'))).toThrow(`input folder ${empty} holds no submissions/<folder>/result.json`);
    expect(() => mergeOutputs([a, path.join(root, 'missing')], path.join(root, 'out'))).toThrow(`input folder ${path.join(root, 'missing')} does not exist`);
    expect(() => mergeOutputs([], path.join(root, 'out'))).toThrow(/at least one input/);
    expect(fs.existsSync(path.join(root, 'out'))).toBe(false);
  });

  test('results of different assignments', () => {
    const root = tempDir('mlgrade-merge-');
    const a = shard(root, 'losses-shard', ['correct']);
    const b = shard(root, 'training-shard', ['syntax-error']);
    rewrite(b, 'syntax-error', (r) => (r.assignment = 'training'));
    expect(() => mergeOutputs([a, b], path.join(root, 'out'))).toThrow(`different assignments: losses (${a}); training (${b})`);
    expect(fs.existsSync(path.join(root, 'out'))).toBe(false);
  });

  test('a result.json that is not JSON, or not a result', () => {
    const root = tempDir('mlgrade-merge-');
    const a = shard(root, 'a', ['correct', 'syntax-error']);
    const file = submissionFile(a, 'correct', 'result.json');
    fs.writeFileSync(file, '{"submission": "corr');
    expect(() => mergeOutputs([a], path.join(root, 'out'))).toThrow(`${file} is not readable JSON`);
    fs.writeFileSync(file, '{"hello": 1}');
    expect(() => mergeOutputs([a], path.join(root, 'out'))).toThrow(`${file} is not an mlgrade result.json`);
  });

  test('an output folder where a submission folder would replace an input', () => {
    const root = tempDir('mlgrade-merge-');
    // An input folder that is itself the folder submission x would be copied to.
    const input = submissionDir(root, 'x');
    const result = readResult(graded, 'correct');
    writeResultJson(input, { ...result, submission: 'x' });
    expect(() => mergeOutputs([input], root)).toThrow(`writing ${input} would overwrite the input folder ${input}`);
    expect(readResult(input, 'x').submission).toBe('x');
  });
});
