/**
 * Every submission gets its own folder: ids that would slug alike, differ only in case, look like
 * formulas or are named after a class file never share or clobber a folder or file; the resume
 * lookup, the reporters and merge all use the one layout function.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SubmissionResult } from '../../src/types';
import { SUBMISSIONS_DIR, submissionDir, submissionFolder, submissionFolders, submissionHref } from '../../reports/layout';
import { resultPath, writeResultJson } from '../../reports/json';
import { gradescopePath, gradescopeReporter } from '../../reports/gradescope';
import { htmlReporter, reportPath } from '../../reports/html';
import { csvReporter } from '../../reports/csv';
import { summaryReporter } from '../../reports/summary';
import type { RunInfo } from '../../reports/reporter';
import { planGrading } from '../../src/grading/plan';
import { mergeOutputs } from '../../src/grading/merge';
import { tempDir } from '../support/cli';
import { perfectResult, sampleResult } from './fixtures';

/** Ids that the old folder naming (runs of unsafe characters → `_`) mapped onto each other or onto class files. */
const NASTY_IDS = [
  'a b',
  'a_b',
  'a/b',
  'a\\b',
  '=1+1',
  '+1+1',
  '-1+1',
  '@1+1',
  ' =1+1',
  '=1+1 ',
  'index.html',
  'grades.csv',
  'summary.json',
  'submissions',
  'Alice',
  'alice',
  '..',
  '.',
  '.hidden',
  '',
  'ünïcödé',
  'ユーザー',
  'CON',
  'x'.repeat(300),
  'x'.repeat(299) + 'y',
];

describe('submissionFolder', () => {
  const folders = NASTY_IDS.map(submissionFolder);

  test.each(NASTY_IDS.map((id, i) => [JSON.stringify(id).slice(0, 40), folders[i]]))('%s → a portable name: %s', (_id, folder) => {
    expect(folder).toMatch(/^[A-Za-z0-9_][A-Za-z0-9._-]*-[0-9a-f]{12}$/);
    expect(folder.length).toBeLessThanOrEqual(61);
  });

  test('no two ids share a folder, even on a case-insensitive disk', () => {
    expect(new Set(folders).size).toBe(NASTY_IDS.length);
    expect(new Set(folders.map((f) => f.toLowerCase())).size).toBe(NASTY_IDS.length);
  });

  test('is deterministic and keeps a readable slug', () => {
    expect(submissionFolder('a b')).toBe(submissionFolder('a b'));
    expect(submissionFolder('Smith, Jo (late)')).toMatch(/^Smith_Jo_late_-[0-9a-f]{12}$/);
    expect(submissionFolder('grad-missing-1-over-n')).toMatch(/^grad-missing-1-over-n-[0-9a-f]{12}$/);
  });

  test('lives under <out>/submissions; links from the dashboard are relative', () => {
    expect(submissionDir('/out', 'index.html')).toBe(path.join('/out', SUBMISSIONS_DIR, submissionFolder('index.html')));
    expect(submissionHref('a b', 'report.html')).toBe(`submissions/${submissionFolder('a b')}/report.html`);
  });
});

describe('every writer and reader uses the layout', () => {
  const run = (outDir: string): RunInfo => ({ assignment: { id: 'losses', title: 'Losses' }, outDir, scope: 'all', startedAt: new Date('2026-01-01T00:00:00Z') });
  const results = (): SubmissionResult[] => NASTY_IDS.map((id, i) => (i % 2 ? sampleResult({ submission: id }) : perfectResult(id)));

  test('a class of nasty ids: one folder each, class files intact, each result readable by its id', async () => {
    const out = tempDir('mlgrade-layout-');
    const all = results();
    for (const result of all) {
      writeResultJson(out, result);
      await htmlReporter.onResult!(result, run(out));
      await gradescopeReporter.onResult!(result, run(out));
    }
    await csvReporter.onRunComplete!(all, run(out));
    await summaryReporter.onRunComplete!(all, run(out));
    await htmlReporter.onRunComplete!(all, run(out));

    expect(fs.readdirSync(out).sort()).toEqual(['grades.csv', 'index.html', 'submissions', 'summary.json']);
    expect(submissionFolders(out)).toHaveLength(NASTY_IDS.length);
    for (const result of all) {
      expect((JSON.parse(fs.readFileSync(resultPath(out, result.submission), 'utf8')) as SubmissionResult).submission).toBe(result.submission);
      expect(fs.existsSync(gradescopePath(out, result.submission))).toBe(true);
      expect(fs.readFileSync(reportPath(out, result.submission, 'student'), 'utf8')).toContain('<!doctype html>');
    }
    expect(fs.readFileSync(path.join(out, 'grades.csv'), 'utf8').startsWith('id,score,max,percent,')).toBe(true);
    expect(JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8')).counts.submissions).toBe(NASTY_IDS.length);
    const index = fs.readFileSync(path.join(out, 'index.html'), 'utf8');
    for (const result of all) expect(index).toContain(`href="${submissionHref(result.submission, 'report.instructor.html')}"`);
  });

  test('resume keeps a result only for its own id', () => {
    const out = tempDir('mlgrade-layout-');
    writeResultJson(out, { ...perfectResult('a b'), contentHash: 'h', graderVersion: 'v' });
    const refs = ['a b', 'a_b', 'a/b'].map((id) => ({ id, dir: `/nowhere/${id}` }));
    const plan = planGrading(refs, out, { graderVersion: 'v', force: false, hash: () => 'h' });
    expect(plan.kept.map((r) => r.submission)).toEqual(['a b']);
    expect(plan.toGrade.map((r) => r.id)).toEqual(['a_b', 'a/b']);
  });

  test('merge keeps ids that slug alike apart', () => {
    const root = tempDir('mlgrade-layout-');
    const [a, b] = [path.join(root, 'a'), path.join(root, 'b')];
    writeResultJson(a, perfectResult('a b'));
    writeResultJson(b, sampleResult({ submission: 'a_b' }));
    const merged = path.join(root, 'merged');
    const { results: got, conflicts } = mergeOutputs([a, b], merged);
    expect(conflicts).toEqual([]);
    expect([...got].map((r) => r.submission)).toEqual(['a b', 'a_b']);
    expect((JSON.parse(fs.readFileSync(resultPath(merged, 'a_b'), 'utf8')) as SubmissionResult).score).toBe(sampleResult().score);
  });
});
