/**
 * A Canvas "Download Submissions" zip of a whole class, end to end: every student gets a row,
 * resubmitted files (helpers too) get their names back, a capitalised entry file is accepted, an
 * uploaded zip is unpacked, late flags are kept, and a student with 20,000 junk files or 200 × 1 MiB
 * files placed before three ordinary students costs those students nothing. The same download,
 * already unzipped into a folder, is accepted by discoverSubmissions and arranged the same way.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { SubmissionRef } from '../../src/grading/discover';
import { discoverSubmissions, readSubmissionsFolder } from '../../src/grading/discover';
import { extractSubmissionsZip, type Ingestion } from '../../src/grading/unzip';
import { stageSubmission } from '../../src/sandbox/stage';
import { buildZip, listTree, writeZipFile, type ZipItem } from './zipBuilder';

const EXAMPLES = path.resolve(__dirname, '..', '..', 'assignments', 'losses', 'examples');
const example = (name: string) => fs.readFileSync(path.join(EXAMPLES, name));
const LOSSES = example('correct/losses.ts');
const ACTIVATIONS = example('correct/activations.ts');
const MiB = 1024 * 1024;
/** Incompressible, so that its size counts as 1 MiB everywhere (and no ratio check fires). */
const BLOB = seededBytes(MiB);

function seededBytes(length: number): Buffer {
  const out = Buffer.alloc(length);
  let block = crypto.createHash('sha256').update('mlgrade').digest();
  for (let at = 0; at < length; at += block.length) {
    block.copy(out, at);
    block = crypto.createHash('sha256').update(block).digest();
  }
  return out;
}

interface Upload {
  display: string;
  data: Buffer | string;
  /** Stored (not deflated): keeps building 20,000 entries quick. */
  stored?: boolean;
}

interface Student {
  name: string;
  userId: number;
  late?: boolean;
  uploads?: Upload[];
  /** A Canvas text or URL entry instead of (or besides) files. */
  entry?: 'text' | 'link';
}

const correct = (losses = 'losses.ts', activations = 'activations.ts'): Upload[] => [
  { display: losses, data: LOSSES },
  { display: activations, data: ACTIVATIONS },
];

/** The Canvas entries of a class; attachment ids ascend in the order files are listed. */
function canvasItems(students: Student[]): ZipItem[] {
  let fileId = 9_000_100;
  return students.flatMap((s) => {
    const prefix = `${s.name}_${s.late ? 'LATE_' : ''}${s.userId}`;
    const items: ZipItem[] = (s.uploads ?? []).map((u) => ({ name: `${prefix}_${fileId++}_${u.display}`, data: u.data, compress: !u.stored }));
    if (s.entry) items.push({ name: `${prefix}_${s.entry}.html`, data: `<html><body>${s.entry === 'text' ? 'my answer is in the text box' : 'https://example.org'}</body></html>` });
    return items;
  });
}

const ORDINARY_FAULTS = ['correct', 'flipped-sign-gradients', 'grad-missing-1-over-n', 'mse-half-convention', 'numerically-naive', 'softmax-wrong-axis'];
const ORDINARY_NAMES = ['adamsamy', 'brownbo', 'chenli', 'davisdee', 'evanseve', 'garciagil', 'hallhana', 'ivanovivan', 'jonesjo', 'novaknina', 'okaforobi', 'patelpri', 'quinnquin', 'rossiruth', 'silvasam'];

/** A class of 36: fifteen ordinary students and every awkward case Canvas produces. */
async function awkwardClass(size: { junk: number; blobs: number }): Promise<Student[]> {
  const ordinary: Student[] = ORDINARY_NAMES.map((name, i) => {
    const fault = ORDINARY_FAULTS[i % ORDINARY_FAULTS.length];
    return { name, userId: 1000 + i, late: i % 4 === 3, uploads: fault === 'correct' ? correct() : [{ display: 'losses.ts', data: example(`${fault}/losses.ts`) }] };
  });
  const nestedHw = await buildZip([
    { name: 'hw1/losses.ts', data: LOSSES },
    { name: 'hw1/activations.ts', data: ACTIVATIONS },
    { name: 'hw1/old.zip', data: await buildZip([{ name: 'deeper.zip', data: await buildZip([{ name: 'losses.ts', data: 'x' }]) }]) },
    { name: '__MACOSX/hw1/._losses.ts', data: 'meta' },
  ]);
  const nestedSrc = await buildZip([
    { name: 'project/src/losses.ts', data: LOSSES },
    { name: 'project/src/activations.ts', data: ACTIVATIONS },
    { name: 'project/README.md', data: '# my project' },
    { name: 'project/package.json', data: '{}' },
  ]);
  const special: Student[] = [
    // Issue 13: a resubmission renames the helper too; import './activations' must still work.
    { name: 'resubjane', userId: 2001, late: true, uploads: correct('losses-1.ts', 'activations-1.ts') },
    { name: 'resubuuid', userId: 2002, uploads: correct('losses-2f1e8a90-0d3c-4b5a-9e8f-7a6b5c4d3e2f.ts', 'activations-2.ts') },
    { name: 'realsuffix', userId: 2003, uploads: [...correct(), { display: 'notes.md', data: 'a' }, { display: 'notes-1.md', data: 'b' }] },
    { name: 'capitalcarl', userId: 2004, uploads: correct('Losses.ts') },
    { name: 'capitalresub', userId: 2005, uploads: correct('Losses-1.ts', 'activations-1.ts') },
    { name: 'zipzoe', userId: 2006, late: true, uploads: [{ display: 'submission.zip', data: nestedHw }] },
    { name: 'zipsrc', userId: 2007, uploads: [{ display: 'project.zip', data: nestedSrc }] },
    { name: 'zipbroken', userId: 2008, uploads: [{ display: 'submission.zip', data: 'this is not a zip' }] },
    { name: 'zipempty', userId: 2009, uploads: [{ display: 'submission.zip', data: await buildZip([]) }] },
    { name: 'textonly', userId: 2010, entry: 'text' },
    { name: 'linkonly', userId: 2011, late: true, entry: 'link' },
    { name: 'pdfonly', userId: 2012, uploads: [{ display: 'report.pdf', data: '%PDF-1.4' }] },
    { name: 'group7', userId: 2013, uploads: correct() },
    { name: 'dupzip', userId: 2014, uploads: [...correct(), { display: 'backup.zip', data: await buildZip([{ name: 'losses.ts', data: '// older' }]) }] },
    { name: 'rarrick', userId: 2015, uploads: [{ display: 'hw.rar', data: 'Rar!' }] },
    { name: 'emptyfile', userId: 2016, uploads: [{ display: 'losses.ts', data: '' }] },
  ];
  // Placed first in the archive and alphabetically before the last three students.
  const hostile: Student[] = [
    { name: 'junkjoe', userId: 3001, uploads: [...Array.from({ length: size.junk }, (_, i) => ({ display: `j${String(i).padStart(5, '0')}.txt`, data: 'x', stored: true })), ...correct()] },
    { name: 'bigbob', userId: 3002, uploads: [...Array.from({ length: size.blobs }, (_, i) => ({ display: `blob${String(i).padStart(3, '0')}.bin`, data: BLOB, stored: true })), ...correct()] },
  ];
  const last: Student[] = ['kimkate', 'leeliam', 'zhouzoe'].map((name, i) => ({ name, userId: 4001 + i, uploads: correct() }));
  return [...hostile, ...ordinary, ...special, ...last];
}

const idOf = (s: Student) => `${s.name}_${s.userId}`;
const byId = (ingestion: Ingestion) => new Map(ingestion.submissions.map((s) => [s.id, s] as const));

let scratch: string;
let students: Student[];
let ingestion: Ingestion;
let dest: string;

beforeAll(async () => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'mlgrade-canvas-'));
  students = await awkwardClass({ junk: 20_000, blobs: 200 });
  const zipPath = await writeZipFile(path.join(scratch, 'hw1 submissions.zip'), canvasItems(students));
  dest = path.join(scratch, 'out');
  ingestion = await extractSubmissionsZip(zipPath, dest, 'losses');
});
afterAll(() => {
  fs.rmSync(scratch, { recursive: true, force: true });
});

describe('a Canvas download of 36 students', () => {
  test('every student in the download gets exactly one row, sorted by id', () => {
    expect(ingestion.layout).toBe('canvas');
    expect(students.length).toBeGreaterThanOrEqual(30);
    expect(ingestion.submissions.map((s) => s.id)).toEqual(students.map(idOf).sort());
  });

  test('late flags, user ids and name tokens are kept; the 4th field is the attachment id', () => {
    const refs = byId(ingestion);
    for (const s of students) {
      const ref = refs.get(idOf(s))!;
      expect(ref.late).toBe(Boolean(s.late));
      expect(ref.canvas).toMatchObject({ kind: 'user', name: s.name, userId: String(s.userId) });
      expect(ref.canvas!.fileIds).toHaveLength(s.uploads?.length ?? 0);
    }
  });

  test('three students after the 20,000-file and the 200 × 1 MiB students are extracted intact', () => {
    for (const name of ['kimkate_4001', 'leeliam_4002', 'zhouzoe_4003']) {
      const ref = byId(ingestion).get(name)!;
      expect(ref).toEqual({ id: name, dir: path.join(dest, name), late: false, canvas: expect.any(Object) });
      expect(listTree(ref.dir)).toEqual(['activations.ts', 'losses.ts']);
      expect(fs.readFileSync(path.join(ref.dir, 'losses.ts'))).toEqual(LOSSES);
      expect(fs.readFileSync(path.join(ref.dir, 'activations.ts'))).toEqual(ACTIVATIONS);
    }
  });

  test('the junk and the big student are limited on their own, keep their code, and are told why', () => {
    const junk = byId(ingestion).get('junkjoe_3001')!;
    const junkFiles = listTree(junk.dir);
    expect(junkFiles).toHaveLength(200);
    expect(junkFiles).toEqual(expect.arrayContaining(['losses.ts', 'activations.ts']));
    expect(junk.problem).toBeUndefined();
    expect(junk.notes).toEqual(['j00198.txt, j00199.txt, j00200.txt and 19799 more: over the limit of 200 files per submission: not extracted']);

    const big = byId(ingestion).get('bigbob_3002')!;
    const bigFiles = listTree(big.dir);
    expect(bigFiles).toEqual(['activations.ts', 'blob000.bin', 'blob001.bin', 'blob002.bin', 'blob003.bin', 'blob004.bin', 'blob005.bin', 'blob006.bin', 'losses.ts']);
    expect(big.problem).toBeUndefined();
    expect(big.notes).toEqual([`blob007.bin, blob008.bin, blob009.bin and 190 more: over the limit of ${8 * MiB} bytes per submission: not extracted`]);
    // The instructor's list names files as in the download; nothing about anyone else.
    const blob = (i: number) => `bigbob_3002_${9_000_100 + 20_002 + i}_blob00${i}.bin`;
    const junkName = (i: number) => `junkjoe_3001_${9_000_100 + i}_j00${i}.txt`;
    expect(ingestion.skipped).toEqual([
      `${blob(7)}, ${blob(8)}, ${blob(9)} and 190 more: over the limit of ${8 * MiB} bytes per submission: skipped`,
      expect.stringMatching(/^dupzip_2014_\d+_backup\.zip: losses\.ts: a second file named losses\.ts \(the first one is kept\): skipped$/),
      `${junkName(198)}, ${junkName(199)}, ${junkName(200)} and 19799 more: over the limit of 200 files per submission: skipped`,
      expect.stringMatching(/^rarrick_2015_\d+_hw\.rar: not unpacked: mlgrade unpacks only \.zip archives/),
      expect.stringMatching(/^zipbroken_2008_\d+_submission\.zip: not unpacked: not a readable zip archive: /),
      expect.stringMatching(/^zipempty_2009_\d+_submission\.zip: not unpacked: it holds no files$/),
      expect.stringMatching(/^zipsrc_2007_\d+_project\.zip: project\/README\.md, .*: outside project\/src\/, the folder holding losses\.ts\|js: skipped$/),
      expect.stringMatching(/^zipzoe_LATE_2006_\d+_submission\.zip: hw1\/old\.zip: an archive inside an uploaded archive \(mlgrade unpacks one level\): skipped$/),
    ]);
    expect(ingestion.skipped.filter((l) => /kimkate|leeliam|zhouzoe/.test(l))).toEqual([]);
  });

  test('a resubmission gets every file its name back (issue 13), each rename recorded with both names', () => {
    const jane = byId(ingestion).get('resubjane_2001')!;
    expect(listTree(jane.dir)).toEqual(['activations.ts', 'losses.ts']);
    expect(jane.renames).toEqual([
      { from: 'losses-1.ts', to: 'losses.ts', why: 'lms-suffix' },
      { from: 'activations-1.ts', to: 'activations.ts', why: 'lms-suffix' },
    ]);
    expect(jane.notes).toEqual(["Canvas's resubmission suffix removed (Canvas adds -1, -2, … to a re-uploaded file's name): losses-1.ts → losses.ts, activations-1.ts → activations.ts"]);
    expect(listTree(byId(ingestion).get('resubuuid_2002')!.dir)).toEqual(['activations.ts', 'losses.ts']);
    // A real notes-1.md next to notes.md stays as it is.
    const real = byId(ingestion).get('realsuffix_2003')!;
    expect(listTree(real.dir)).toEqual(['activations.ts', 'losses.ts', 'notes-1.md', 'notes.md']);
    expect(real.renames).toBeUndefined();
  });

  test('a capitalised entry file is accepted with a note, and staged as the entry', () => {
    const carl = byId(ingestion).get('capitalcarl_2004')!;
    expect(carl.notes).toEqual(['Losses.ts used as losses.ts']);
    expect(carl.problem).toBeUndefined();
    const staged = stageSubmission(carl.dir, path.join(scratch, 'stage-carl'), 'losses');
    expect(staged).toMatchObject({ status: 'staged', entryName: 'Losses.ts' });
    const resub = byId(ingestion).get('capitalresub_2005')!;
    expect(listTree(resub.dir)).toEqual(['Losses.ts', 'activations.ts']);
    expect(resub.notes).toEqual([expect.stringContaining('Losses-1.ts → Losses.ts, activations-1.ts → activations.ts'), 'Losses.ts used as losses.ts']);
  });

  test('an uploaded zip is unpacked one level, its wrapper folder stripped; a zip in it is not', () => {
    const zoe = byId(ingestion).get('zipzoe_2006')!;
    expect(listTree(zoe.dir)).toEqual(['activations.ts', 'losses.ts']);
    expect(zoe.problem).toBeUndefined();
    expect(zoe.notes).toEqual(['submission.zip unpacked (from its folder hw1/)', 'submission.zip: hw1/old.zip: an archive inside an uploaded archive (mlgrade unpacks one level): not extracted']);
    const src = byId(ingestion).get('zipsrc_2007')!;
    expect(listTree(src.dir)).toEqual(['activations.ts', 'losses.ts']);
    expect(src.notes).toEqual([
      'project.zip unpacked (from its folder project/src/, which holds losses.ts|js)',
      'project.zip: project/README.md, project.zip: project/package.json: outside project/src/, the folder holding losses.ts|js: not extracted',
    ]);
    // The student's own loose file wins over the copy inside their zip.
    const dup = byId(ingestion).get('dupzip_2014')!;
    expect(fs.readFileSync(path.join(dup.dir, 'losses.ts'))).toEqual(LOSSES);
    expect(dup.notes).toContain('backup.zip: losses.ts: a second file named losses.ts (the first one is kept): not extracted');
  });

  test('students with nothing gradeable still get a row, with their own reason and no temporary path', () => {
    const problems = Object.fromEntries(ingestion.submissions.filter((s) => s.problem).map((s) => [s.id, s.problem]));
    expect(problems).toEqual({
      linkonly_2011: { reason: 'no-files', message: 'Only a link (URL) was submitted, no file: upload losses.ts (or losses.js) as a file.' },
      pdfonly_2012: { reason: 'no-entry', message: 'No losses.ts (or losses.js) in the submission (found: report.pdf).' },
      rarrick_2015: {
        reason: 'unreadable-archive',
        message: 'hw.rar could not be unpacked (mlgrade unpacks only .zip archives: submit the files themselves, or a .zip), and nothing else was submitted: submit losses.ts (or losses.js).',
      },
      textonly_2010: { reason: 'no-files', message: 'Only text typed into Canvas was submitted, no file: upload losses.ts (or losses.js) as a file.' },
      zipbroken_2008: { reason: 'unreadable-archive', message: expect.stringMatching(/^submission\.zip could not be unpacked \(not a readable zip archive: .*\), and nothing else was submitted: submit losses\.ts \(or losses\.js\)\.$/) },
      zipempty_2009: { reason: 'unreadable-archive', message: 'submission.zip could not be unpacked (it holds no files), and nothing else was submitted: submit losses.ts (or losses.js).' },
    });
    for (const ref of ingestion.submissions) {
      for (const line of [ref.problem?.message ?? '', ...(ref.notes ?? [])]) {
        expect(line).not.toContain(os.tmpdir());
        expect(line).not.toContain(scratch);
      }
    }
    // An empty losses.ts is something to grade (it will fail to provide the exports, visibly).
    expect(byId(ingestion).get('emptyfile_2016')!.problem).toBeUndefined();
    expect(listTree(byId(ingestion).get('textonly_2010')!.dir)).toEqual(['canvas-text.html']);
  });

  test('every student without a problem stages, entry and helpers side by side', () => {
    for (const ref of ingestion.submissions.filter((s) => !s.problem)) {
      const staged = stageSubmission(ref.dir, path.join(scratch, 'stage', ref.id), 'losses');
      expect({ id: ref.id, status: staged.status }).toEqual({ id: ref.id, status: 'staged' });
    }
  });
});

describe('the same download, already unzipped into a folder', () => {
  /** A smaller hostile pair (same limits crossed) keeps this part quick. */
  test('discoverSubmissions accepts it and arranges it exactly like the zip', async () => {
    const small = await awkwardClass({ junk: 300, blobs: 12 });
    const items = canvasItems(small);
    const folder = path.join(scratch, 'unzipped');
    fs.mkdirSync(folder);
    for (const item of items) fs.writeFileSync(path.join(folder, item.name), item.data ?? '');
    const fromZip = await extractSubmissionsZip(await writeZipFile(path.join(scratch, 'small.zip'), items), path.join(scratch, 'small-zip'), 'losses');
    const fromFolder = await readSubmissionsFolder(folder, 'losses', { workDir: path.join(scratch, 'small-folder') });

    expect(fromFolder.layout).toBe('canvas');
    const strip = (refs: SubmissionRef[], root: string) => refs.map((r) => ({ ...r, dir: path.relative(root, r.dir), tree: listTree(r.dir) }));
    expect(strip(fromFolder.submissions, path.join(scratch, 'small-folder'))).toEqual(strip(fromZip.submissions, path.join(scratch, 'small-zip')));
    expect(fromFolder.skipped).toEqual(fromZip.skipped);
    // The plain list, for callers that only want the refs.
    const refs = await discoverSubmissions(folder, 'losses', { workDir: path.join(scratch, 'small-folder-2') });
    expect(refs.map((r) => r.id)).toEqual(small.map(idOf).sort());
  });
});
