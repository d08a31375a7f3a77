/**
 * A Canvas-shaped class graded through the CLI, as an instructor does: resubmissions (helpers
 * too), a capitalised entry file, an uploaded zip, late flags, a text-only entry and an empty
 * upload. Every student gets a row with a score and, when nothing could be graded, the reason;
 * the late column, the Canvas gradebook export and the notes shown to students follow.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EXAMPLES, readResult, runCli, tempDir } from '../support/cli';
import { buildZip, type ZipItem } from './zipBuilder';
import { parseCsv } from '../reports/csvParse';

const file = (example: string, name: string) => fs.readFileSync(path.join(EXAMPLES, example, name));

let out: string;
let grades: string[][];
let stdout: string;

beforeAll(async () => {
  const uploaded = await buildZip([
    { name: 'hw/losses.ts', data: file('correct', 'losses.ts') },
    { name: 'hw/activations.ts', data: file('correct', 'activations.ts') },
  ]);
  const items: ZipItem[] = [
    // Resubmitted: Canvas renamed both files.
    { name: 'adamsamy_1001_900001_losses-1.ts', data: file('correct', 'losses.ts') },
    { name: 'adamsamy_1001_900002_activations-1.ts', data: file('correct', 'activations.ts') },
    // Late, with a capitalised entry file.
    { name: 'brownbo_LATE_1002_900003_Losses.ts', data: file('correct', 'losses.ts') },
    { name: 'brownbo_LATE_1002_900004_activations.ts', data: file('correct', 'activations.ts') },
    // Uploaded a zip of a folder.
    { name: 'chenli_1003_900005_submission.zip', data: uploaded },
    // A faulty one, late.
    { name: 'davisdee_LATE_1004_900006_losses.ts', data: file('grad-missing-1-over-n', 'losses.ts') },
    // Typed the answer into Canvas's text box.
    { name: 'evanseve_1005_text.html', data: '<p>I could not upload my file</p>' },
    // An empty upload.
    { name: 'garciagil_1006_900007_losses.ts', data: '' },
  ];
  const dir = tempDir('mlgrade-canvas-');
  const zip = path.join(dir, 'submissions.zip');
  fs.writeFileSync(zip, await buildZip(items));
  out = path.join(dir, 'out');
  const run = runCli(['grade', 'losses', zip, '--out', out]);
  stdout = run.stdout;
  expect(run.stderr.replace(/A worker process has failed to exit gracefully[^\n]*\n?/g, '')).toBe('');
  expect(run.status).toBe(0);
  grades = parseCsv(fs.readFileSync(path.join(out, 'grades.csv'), 'utf8'));
});

const row = (id: string) => {
  const header = grades[0];
  const found = grades.find((r) => r[0] === id);
  if (!found) throw new Error(`no row for ${id} in grades.csv: ${grades.map((r) => r[0]).join(', ')}`);
  return Object.fromEntries(header.map((h, i) => [h, found[i]]));
};

test('every student of the download has a row in grades.csv', () => {
  expect(grades.slice(1).map((r) => r[0]).sort()).toEqual(['adamsamy_1001', 'brownbo_1002', 'chenli_1003', 'davisdee_1004', 'evanseve_1005', 'garciagil_1006']);
  expect(stdout).toMatch(/6 submissions graded/);
});

test('resubmitted, capitalised and zipped correct work scores 100, with a note saying what was changed', () => {
  for (const id of ['adamsamy_1001', 'brownbo_1002', 'chenli_1003']) expect([id, row(id).score]).toEqual([id, '100']);
  expect(readResult(out, 'adamsamy_1001').origin?.notes?.join('\n')).toMatch(/activations-1\.ts/);
  expect(readResult(out, 'brownbo_1002').origin?.notes?.join('\n')).toMatch(/Losses\.ts used as losses\.ts/);
});

test('students with nothing gradeable score 0 with their own reason, never a temporary path', () => {
  const text = readResult(out, 'evanseve_1005');
  expect(text).toMatchObject({ score: 0, load: { status: 'failed', message: expect.stringMatching(/text/i) } });
  const empty = readResult(out, 'garciagil_1006');
  expect(empty.score).toBe(0);
  expect(empty.tests[0].message).toMatch(/not exported by the submission \(it exports: nothing\)/);
  for (const id of ['evanseve_1005', 'garciagil_1006']) {
    const result = readResult(out, id);
    expect(JSON.stringify([result.load, result.tests.map((t) => t.message)])).not.toMatch(/\/tmp\/|mlgrade-/);
    expect(fs.readFileSync(studentReport(id), 'utf8')).not.toMatch(/\/tmp\//);
  }
});

/** The student report of `id`, next to its result.json. */
function studentReport(id: string): string {
  const folders = fs.readdirSync(path.join(out, 'submissions'));
  const folder = folders.find((d) => JSON.parse(fs.readFileSync(path.join(out, 'submissions', d, 'result.json'), 'utf8')).submission === id)!;
  return path.join(out, 'submissions', folder, 'report.html');
}

test('the late flag is a column, and the Canvas gradebook is keyed on the Canvas user ids', () => {
  expect(row('brownbo_1002').late).toBe('yes');
  expect(row('davisdee_1004').late).toBe('yes');
  expect(row('adamsamy_1001').late).toBe('no');
  const canvas = parseCsv(fs.readFileSync(path.join(out, 'canvas-gradebook.csv'), 'utf8'));
  expect(canvas[0].slice(0, 5)).toEqual(['Student', 'ID', 'SIS User ID', 'SIS Login ID', 'Section']);
  expect(canvas[1][0]).toMatch(/Points Possible/);
  const byId = Object.fromEntries(canvas.slice(2).map((r) => [r[1], r[5]]));
  expect(byId).toEqual({ '1001': '100', '1002': '100', '1003': '100', '1004': String(readResult(out, 'davisdee_1004').score), '1005': '0', '1006': '0' });
});

test('an unzipped Canvas folder: what was skipped is printed, and no temporary folder is left', async () => {
  const inner = await buildZip([{ name: 'old.zip', data: 'not read' }]);
  const uploaded = await buildZip([
    { name: 'hw/losses.ts', data: file('correct', 'losses.ts') },
    { name: 'hw/activations.ts', data: file('correct', 'activations.ts') },
    { name: 'hw/old.zip', data: inner },
  ]);
  const dir = tempDir('mlgrade-canvas-folder-');
  const download = path.join(dir, 'submissions');
  fs.mkdirSync(download);
  fs.writeFileSync(path.join(download, 'zhouzoe_2006_900010_submission.zip'), uploaded);
  fs.writeFileSync(path.join(download, 'adamsamy_1001_900001_losses.ts'), file('correct', 'losses.ts'));
  fs.writeFileSync(path.join(download, 'adamsamy_1001_900002_activations.ts'), file('correct', 'activations.ts'));
  const tmp = tempDir('mlgrade-tmpdir-');
  const run = runCli(['grade', 'losses', download, '--out', path.join(dir, 'out'), '--no-html'], { env: { TMPDIR: tmp } });
  expect(run.status).toBe(0);
  expect(run.stdout).toMatch(/ {2}skipped: zhouzoe_2006_900010_submission\.zip: hw\/old\.zip: an archive inside an uploaded archive/);
  expect(run.stdout).toMatch(/2 submissions graded/);
  expect(fs.readdirSync(tmp)).toEqual([]);
});
