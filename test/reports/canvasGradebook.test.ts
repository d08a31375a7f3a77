/**
 * The Canvas gradebook export, read back the way Canvas's importer reads it
 * (instructure/canvas-lms lib/gradebook_importer.rb): header row, Points Possible row, students
 * matched by Canvas user id, columns it drops; and what it leaves out is said.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CANVAS_DROPPED_HEADERS, CANVAS_GRADEBOOK_FILE, canvasAssignmentColumn, canvasGradebook, canvasGradebookReporter } from '../../reports/canvasGradebook';
import { createReporters } from '../../reports/index';
import { ReporterRunner, type RunInfo } from '../../reports/reporter';
import type { SubmissionResult } from '../../src/types';
import { tempDir } from '../support/cli';
import { parseCsv } from './csvParse';
import { loadFailedResult, perfectResult, sampleResult } from './fixtures';

const RUN: RunInfo = { assignment: { id: 'losses', title: 'Losses and gradients' }, outDir: '/nonexistent', scope: 'all', startedAt: new Date(0) };

const fromCanvas = (result: SubmissionResult, userId: string, student?: string, late?: boolean): SubmissionResult => ({
  ...result,
  origin: { lms: 'canvas', userId, student, late },
});

/** What Canvas's importer makes of a CSV: the rules of GradebookImporter, restated. */
function canvasReads(csv: string): { assignments: string[]; pointsPossible: string[]; grades: Record<string, string[]> } {
  const [header, ...rows] = parseCsv(csv);
  // row_has_student_headers? and update_column_count with SIS User ID + SIS Login ID: 5 student columns.
  if (!(header.length > 3 && header[0].includes('Student') && header[1].includes('ID'))) throw new Error('Invalid header row');
  if (!(/SIS\s+User\s+ID/.test(header[2]) && /SIS\s+Login\s+ID/.test(header[3]))) throw new Error('unexpected SIS columns');
  if (!header[4].includes('Section')) throw new Error('Invalid header row');
  const dropped = new RegExp(CANVAS_DROPPED_HEADERS.join('|'));
  const kept = header.slice(5).map((name, i) => ({ name, index: i + 5 })).filter((c) => !dropped.test(c.name));
  let pointsPossible: string[] = [];
  const grades: Record<string, string[]> = {};
  for (const row of rows) {
    if (row[0]?.includes('Points Possible')) pointsPossible = kept.map((c) => row[c.index]);
    else grades[row[1]] = kept.map((c) => (row[c.index] ?? '').trim());
  }
  return { assignments: kept.map((c) => c.name), pointsPossible, grades };
}

describe('canvasAssignmentColumn', () => {
  test.each([
    [undefined, 'Losses and gradients'],
    ['4521', 'Losses and gradients (4521)'],
    ['HW 1 (77)', 'HW 1 (77)'],
    ['HW 1', 'HW 1'],
    ['  HW 1  ', 'HW 1'],
  ])('%j → %j', (option, header) => {
    expect(canvasAssignmentColumn(option, 'Losses and gradients')).toMatchObject({ status: 'ok', header });
  });

  test('a column Canvas would drop: reworded with an id, refused without one', () => {
    for (const dropped of CANVAS_DROPPED_HEADERS) {
      const title = `${dropped} project`;
      const refused = canvasAssignmentColumn(undefined, title);
      expect(refused).toMatchObject({ status: 'refused', reason: expect.stringContaining(`contains "${dropped}"`) });
      const byId = canvasAssignmentColumn('88', title);
      if (byId.status !== 'ok') throw new Error('expected ok');
      expect(byId.header).toMatch(/ \(88\)$/);
      for (const text of CANVAS_DROPPED_HEADERS) expect(byId.header).not.toContain(text);
      expect(byId.note).toContain('its id 88');
    }
  });

  test('a title the formula guard would alter needs an id', () => {
    expect(canvasAssignmentColumn('=HW', 'x')).toMatchObject({ status: 'refused', reason: expect.stringContaining('spreadsheet formula') });
    expect(canvasAssignmentColumn('=HW (12)', 'x')).toMatchObject({ status: 'ok', header: '=HW (12)' });
  });
});

describe('canvasGradebook', () => {
  test('Canvas reads one assignment, its points and each student by user id', () => {
    const results = [
      fromCanvas(perfectResult('doejane_3143'), '3143', 'doejane'),
      fromCanvas(sampleResult({ submission: 'roe_LATE_77' }), '77', 'roerichard', true),
      fromCanvas(loadFailedResult('syntax_9'), '9'),
    ];
    const out = canvasGradebook(results, RUN, { assignment: '4521' });
    if (out.status !== 'written') throw new Error(out.status);
    expect(out.warnings).toEqual([]);
    const rows = parseCsv(out.csv);
    expect(rows[0]).toEqual(['Student', 'ID', 'SIS User ID', 'SIS Login ID', 'Section', 'Losses and gradients (4521)']);
    expect(rows[1][0]).toBe('    Points Possible');
    const read = canvasReads(out.csv);
    expect(read.assignments).toEqual(['Losses and gradients (4521)']);
    expect(read.pointsPossible).toEqual([String(perfectResult().maxScore)]);
    expect(read.grades).toEqual({
      '3143': [String(perfectResult().score)],
      '77': [String(sampleResult().score)],
      '9': ['0'],
    });
    expect(rows.find((r) => r[1] === '9')![0]).toBe('syntax_9'); // no name token: the submission id
  });

  test('skipped when no result came from Canvas', () => {
    expect(canvasGradebook([perfectResult('a'), { ...perfectResult('b'), origin: { lms: 'folder' } }], RUN)).toEqual({ status: 'skipped' });
  });

  test('results without a user id or sharing one are left out and named', () => {
    const results = [
      fromCanvas(perfectResult('a'), '1'),
      fromCanvas(perfectResult('group-x'), '2'),
      fromCanvas(sampleResult({ submission: 'group-y' }), '2'),
      perfectResult('emailed-in'),
      { ...perfectResult('from-github'), origin: { lms: 'github-classroom' as const } },
    ];
    const out = canvasGradebook(results, RUN);
    if (out.status !== 'written') throw new Error(out.status);
    expect(Object.keys(canvasReads(out.csv).grades)).toEqual(['1']);
    expect(out.warnings).toEqual([
      expect.stringMatching(/^Canvas user 2 has 2 submissions \(group-x, group-y\): none of them has a row/),
      expect.stringMatching(/^2 submissions without a Canvas user id \(emailed-in, from-github\) have no row in canvas-gradebook\.csv; enter their grades in Canvas by hand/),
    ]);
  });

  test('student-chosen text is neutralised; Canvas still matches on the id', () => {
    const out = canvasGradebook([fromCanvas(perfectResult('=HYPERLINK("x")'), '5'), fromCanvas(perfectResult('b'), '6', '-cmd|x')], RUN);
    if (out.status !== 'written') throw new Error(out.status);
    const rows = parseCsv(out.csv);
    expect(rows.slice(2).map((r) => r[0])).toEqual(['\'=HYPERLINK("x")', "'-cmd|x"]);
    expect(Object.keys(canvasReads(out.csv).grades).sort()).toEqual(['5', '6']);
  });

  test('refused for a title Canvas would drop, with the fix', () => {
    const out = canvasGradebook([fromCanvas(perfectResult('a'), '1')], { assignment: { id: 'x', title: 'Final Score booster' } });
    expect(out).toMatchObject({ status: 'refused', reason: expect.stringMatching(/^canvas-gradebook\.csv was not written: .*"Final Score".*give the Canvas assignment id/) });
  });
});

describe('canvasGradebookReporter', () => {
  test('writes the file and reports what it left out as failures of the run', async () => {
    const out = tempDir('mlgrade-canvas-');
    const run = { ...RUN, outDir: out };
    const runner = new ReporterRunner([canvasGradebookReporter({ assignment: '12' })]);
    await runner.complete([fromCanvas(perfectResult('a'), '1'), perfectResult('b')], run);
    const file = path.join(out, CANVAS_GRADEBOOK_FILE);
    expect(canvasReads(fs.readFileSync(file, 'utf8')).grades).toEqual({ '1': [String(perfectResult().score)] });
    expect(runner.failures).toEqual([
      'the Canvas gradebook reporter: 1 submission without a Canvas user id (b) has no row in canvas-gradebook.csv; enter its grade in Canvas by hand, or grade the Canvas download zip itself',
    ]);
  });

  test('writes nothing for a run without Canvas results; a refused column is a failure', async () => {
    const out = tempDir('mlgrade-canvas-');
    const quiet = new ReporterRunner([canvasGradebookReporter()]);
    await quiet.complete([perfectResult('a')], { ...RUN, outDir: out });
    expect(fs.existsSync(path.join(out, CANVAS_GRADEBOOK_FILE))).toBe(false);
    expect(quiet.failures).toEqual([]);
    const refused = new ReporterRunner([canvasGradebookReporter({ assignment: 'Final Grade' })]);
    await refused.complete([fromCanvas(perfectResult('a'), '1')], { ...RUN, outDir: out });
    expect(fs.existsSync(path.join(out, CANVAS_GRADEBOOK_FILE))).toBe(false);
    expect(refused.failures).toEqual([expect.stringMatching(/^the Canvas gradebook reporter failed at the end of the run: canvas-gradebook\.csv was not written/)]);
  });

  test('on by default for grading, off for a self-check or when switched off', () => {
    const names = (options: Parameters<typeof createReporters>[0]) => createReporters({ env: {}, ...options }).map((r) => r.name);
    expect(names({})).toContain('Canvas gradebook');
    expect(names({ scope: 'public' })).not.toContain('Canvas gradebook');
    expect(names({ canvas: false })).not.toContain('Canvas gradebook');
  });
});
