/**
 * Zip input: hostile entries are skipped with a message and nothing lands outside the
 * destination; Canvas's flat layout and GitHub Classroom's folders become folders that
 * discoverSubmissions accepts.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { discoverSubmissions } from '../../src/grading/discover';
import { planLayout } from '../../src/grading/layoutPlan';
import { ZipInputError, checkEntryPath, extractSubmissionsZip } from '../../src/grading/unzip';
import { stageSubmission } from '../../src/sandbox/stage';
import { buildZip, forgeDeclaredSize, listTree, type ZipItem } from './zipBuilder';

const EXAMPLES = path.resolve(__dirname, '..', '..', 'assignments', 'losses', 'examples');
const example = (name: string) => fs.readFileSync(path.join(EXAMPLES, name));

let scratch: string;
beforeEach(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'mlgrade-unzip-'));
});
afterEach(() => {
  fs.rmSync(scratch, { recursive: true, force: true });
});

async function writeZip(items: ZipItem[], edit?: (zip: Buffer) => void): Promise<string> {
  const zip = await buildZip(items);
  edit?.(zip);
  const file = path.join(scratch, 'class.zip');
  fs.writeFileSync(file, zip);
  return file;
}

/** id and folder only (refs also carry notes, problems, Canvas data). */
const where = (refs: { id: string; dir: string }[]) => refs.map(({ id, dir }) => ({ id, dir }));

describe('checkEntryPath', () => {
  test.each([
    ['../evil.ts', 'path escapes the archive'],
    ['evil/../../x.ts', 'path escapes the archive'],
    ['a\\..\\..\\x.ts', 'path escapes the archive'],
    ['/etc/x', 'absolute path'],
    ['\\\\server\\share\\x.ts', 'absolute path'],
    ['C:\\Windows\\x.ts', 'absolute path'],
    ['C:x.ts', 'absolute path'],
    ['alice/losses.ts:stream', 'a ":" in the name'],
    ['alice/los\u0000ses.ts', 'control characters in the name'],
    ['./', 'empty name'],
  ])('refuses %j (%s)', (name, reason) => {
    expect(checkEntryPath(name)).toEqual({ status: 'rejected', reason });
  });

  test('normalises separators, `.` and empty segments', () => {
    expect(checkEntryPath('alice\\src/./losses.ts')).toEqual({ status: 'ok', segments: ['alice', 'src', 'losses.ts'], directory: false });
    expect(checkEntryPath('alice//src/')).toEqual({ status: 'ok', segments: ['alice', 'src'], directory: true });
  });
});

describe('planLayout', () => {
  const files = (...names: string[]) => names.map((name) => ({ name, segments: name.split('/') }));
  const targets = (plan: ReturnType<typeof planLayout>) => Object.fromEntries(plan.submissions.map((s) => [s.id, s.files.map((f) => f.target.join('/'))]));

  test('a zip of one submission (entry at the top) is one submission named after the zip', () => {
    const plan = planLayout(files('losses.ts', 'lib/util.ts'), 'losses', 'hw1');
    expect(plan.layout).toBe('single');
    expect(targets(plan)).toEqual({ hw1: ['losses.ts', 'lib/util.ts'] });
  });

  test('one folder holding the entry is one submission named after the folder', () => {
    const plan = planLayout(files('alice/losses.ts'), 'losses', 'hw1');
    expect(targets(plan)).toEqual({ alice: ['losses.ts'] });
  });

  test('wrapper folders are stripped, nested src/ is hoisted, a folder without entry is kept', () => {
    const plan = planLayout(files('export/hw/a/losses.ts', 'export/hw/b/src/losses.ts', 'export/hw/b/README.md', 'export/hw/c/notes.txt', 'export/hw/d/x/losses.ts', 'export/hw/d/y/losses.ts'), 'losses', 'zip');
    expect(plan.layout).toBe('folders');
    expect(targets(plan)).toEqual({ a: ['losses.ts'], b: ['losses.ts'], c: ['notes.txt'], d: ['x/losses.ts', 'y/losses.ts'] });
    // What concerns one student is planned onto that student (their row), not the archive's list;
    // c and d get their "no entry" reason once extracted (see assessSubmission).
    expect(plan.skipped).toEqual([]);
    const b = plan.submissions.find((s) => s.id === 'b')!;
    expect(b.notExtracted.map(({ label, reason }) => ({ label, reason }))).toEqual([{ label: 'README.md', reason: 'outside src/, the folder holding losses.ts|js' }]);
    expect(b.notes).toEqual(['graded from src/, the folder holding losses.ts|js']);
  });

  test('an entry file in another letter case still decides the layout', () => {
    const plan = planLayout(files('class/hw/src/Losses.ts', 'class/hw/README.md', 'class/other/losses.js'), 'losses', 'zip');
    expect(targets(plan)).toEqual({ hw: ['Losses.ts'], other: ['losses.js'] });
    expect(planLayout(files('Losses.ts', 'lib/util.ts'), 'losses', 'hw1').layout).toBe('single');
  });
});

describe('extractSubmissionsZip: hostile archives', () => {
  test('skips escaping, absolute, symlink, oversized, bomb and forged entries, writes nothing outside destDir', async () => {
    const outside = path.join(scratch, 'outside');
    fs.mkdirSync(outside);
    const absolute = path.join(outside, 'abs.ts'); // an absolute name that would land in a folder we can check
    const forgedName = 'carol/data.bin';
    const zipPath = await writeZip(
      [
        { name: 'alice/losses.ts', data: example('correct/losses.ts') },
        { name: 'alice/activations.ts', data: example('correct/activations.ts') },
        { name: '../evil.ts', data: 'evil' },
        { name: 'evil/../../x.ts', data: 'evil' },
        { name: '..\\..\\win.ts', data: 'evil' },
        { name: absolute, data: 'evil' },
        { name: 'bob/link.ts', data: '/etc/passwd', mode: 0o120777 },
        { name: 'bob/losses.ts', data: example('grad-missing-1-over-n/losses.ts') },
        { name: 'bob/fifo', data: '', mode: 0o010644 },
        { name: 'bob/big.json', data: Buffer.alloc(2 * 1024 * 1024, 'x'), compress: false },
        { name: 'carol/losses.ts', data: example('flipped-sign-gradients/losses.ts') },
        { name: 'carol/bomb.txt', data: Buffer.alloc(900 * 1024, 0) },
        { name: forgedName, data: Buffer.alloc(4 * 1024 * 1024, 0) },
        { name: 'carol/submission.zip', data: 'PK' },
        { name: 'carol/.git/config', data: '[core]' },
        { name: '__MACOSX/alice/._losses.ts', data: 'meta' },
      ],
      (zip) => forgeDeclaredSize(zip, forgedName, 1000),
    );
    const dest = path.join(scratch, 'out', 'dest');
    const { submissions, skipped } = await extractSubmissionsZip(zipPath, dest, 'losses');

    expect(where(submissions)).toEqual(['alice', 'bob', 'carol'].map((id) => ({ id, dir: path.join(dest, id) })));
    // Each student reads what was left out of their own submission, named inside it.
    expect(submissions.map((s) => s.notes)).toEqual([
      undefined,
      ['link.ts: symbolic link: not extracted', 'fifo: special file (mode 0o10000): not extracted', `big.json: ${2 * 1024 * 1024} bytes, over the limit of 1048576 bytes per file: not extracted`],
      [
        expect.stringMatching(/^submission\.zip: not unpacked: not a readable zip archive: /),
        'bomb.txt: compression ratio over 200:1 (a zip bomb?): not extracted',
        'data.bin: more data than its header declares (1000 bytes): a forged size: not extracted',
      ],
    ]);
    expect(submissions.map((s) => s.problem)).toEqual([undefined, undefined, undefined]);
    expect(listTree(dest)).toEqual(['alice/activations.ts', 'alice/losses.ts', 'bob/losses.ts', 'carol/losses.ts']);
    expect(skipped).toEqual(
      expect.arrayContaining([
        '../evil.ts: path escapes the archive: skipped',
        'evil/../../x.ts: path escapes the archive: skipped',
        '..\\..\\win.ts: path escapes the archive: skipped',
        `${absolute}: absolute path: skipped`,
        'bob/link.ts: symbolic link: skipped',
        'bob/fifo: special file (mode 0o10000): skipped',
        `bob/big.json: ${2 * 1024 * 1024} bytes, over the limit of 1048576 bytes per file: skipped`,
        'carol/bomb.txt: compression ratio over 200:1 (a zip bomb?): skipped',
        'carol/data.bin: more data than its header declares (1000 bytes): a forged size: skipped',
        // Uploaded zips are unpacked now; this one is not a zip at all.
        expect.stringMatching(/^carol\/submission\.zip: not unpacked: not a readable zip archive: /),
        'carol/.git/: version control (1 entry): skipped',
        '__MACOSX/ and .DS_Store: macOS metadata (1 entry): skipped',
      ]),
    );
    expect(skipped).toHaveLength(12);
    // Nothing escaped: the scratch folder holds only the zip, the untouched `outside`, and out/dest.
    expect(fs.readdirSync(scratch).sort()).toEqual(['class.zip', 'out', 'outside']);
    expect(fs.readdirSync(outside)).toEqual([]);
    expect(fs.readdirSync(path.join(scratch, 'out'))).toEqual(['dest']);
    expect(fs.readFileSync(path.join(dest, 'alice', 'losses.ts'))).toEqual(example('correct/losses.ts'));
    expect(fs.statSync(path.join(dest, 'alice', 'losses.ts')).mode & 0o111).toBe(0);
  });

  test('a forged size is caught while inflating even when the header claims a tiny file', async () => {
    // 5 MiB of data claiming 10 bytes (far over the 1 MiB limit, but the header says otherwise),
    // and a file shorter than it claims.
    const short = Buffer.from(Array.from({ length: 3000 }, (_, i) => String((i * 7919) % 10007)).join(','));
    const zipPath = await writeZip(
      [
        { name: 'a/losses.ts', data: 'export {};' },
        { name: 'a/x.txt', data: Buffer.alloc(5 * 1024 * 1024, 7) },
        { name: 'a/y.txt', data: short },
      ],
      (zip) => {
        forgeDeclaredSize(zip, 'a/x.txt', 10);
        forgeDeclaredSize(zip, 'a/y.txt', short.length + 5);
      },
    );
    const dest = path.join(scratch, 'dest');
    const { skipped } = await extractSubmissionsZip(zipPath, dest, 'losses');
    expect(skipped).toEqual([
      'a/x.txt: more data than its header declares (10 bytes): a forged size: skipped',
      `a/y.txt: ${short.length} bytes where its header declares ${short.length + 5}: a damaged or forged entry: skipped`,
    ]);
    expect(listTree(dest)).toEqual(['a/losses.ts']);
  });

  test('the archive-wide total-size and entry-count limits stop the rest, say who lost what, and each loser gets a row', async () => {
    const items = ['a', 'b', 'c', 'd'].map((id) => ({ name: `${id}/losses.ts`, data: Buffer.alloc(1000, 'x') }));
    const zipPath = await writeZip([...items, { name: 'e/losses.ts', data: 'x' }]);
    const total = await extractSubmissionsZip(zipPath, path.join(scratch, 'total'), 'losses', { maxTotalBytes: 2500 });
    expect(listTree(path.join(scratch, 'total'))).toEqual(['a/losses.ts', 'b/losses.ts']);
    expect(total.skipped).toEqual([`${zipPath}: over the limit of 2500 bytes for the whole download: 3 files of 3 submissions not extracted (c, d, e); each has the reason on its row`]);
    expect(total.submissions.map((s) => s.id)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(total.submissions.map((s) => s.problem?.reason)).toEqual([undefined, undefined, 'skipped-files', 'skipped-files', 'skipped-files']);
    expect(total.submissions[2].problem?.message).toBe(
      "losses.ts was not extracted: the whole download is over mlgrade's limit of 2500 bytes (a grader limit, not the student's doing; the instructor can raise it).",
    );

    const count = await extractSubmissionsZip(zipPath, path.join(scratch, 'count'), 'losses', { maxEntries: 3 });
    expect(count.submissions.map((s) => s.id)).toEqual(['a', 'b', 'c']);
    expect(count.skipped).toEqual([`${zipPath}: 5 entries, over the limit of 3: the last 2 were not read, so the submissions they belong to may be incomplete`]);
  });

  test('the number of submissions per archive is capped by id, with a message naming those left out', async () => {
    const zipPath = await writeZip(['a', 'b', 'c', 'd'].map((id) => ({ name: `${id}/losses.ts`, data: 'export {};' })));
    const capped = await extractSubmissionsZip(zipPath, path.join(scratch, 'capped'), 'losses', { maxSubmissions: 2 });
    expect(capped.submissions.map((s) => s.id)).toEqual(['a', 'b']);
    expect(capped.skipped).toEqual([`${zipPath}: 4 submissions, over the limit of 2 per download (raise maxSubmissions to grade them all): the last 2 by id (c, d) were not extracted`]);
  });

  test('a file that is not a zip throws a ZipInputError naming it; a missing one too', async () => {
    const notZip = path.join(scratch, 'homework.zip');
    fs.writeFileSync(notZip, 'export function mse() {}\n'.repeat(10));
    await expect(extractSubmissionsZip(notZip, path.join(scratch, 'd1'), 'losses')).rejects.toThrow(ZipInputError);
    await expect(extractSubmissionsZip(notZip, path.join(scratch, 'd1'), 'losses')).rejects.toThrow(`${notZip} is not a zip archive`);
    await expect(extractSubmissionsZip(path.join(scratch, 'nope.zip'), path.join(scratch, 'd2'), 'losses')).rejects.toThrow(`No such file: ${path.join(scratch, 'nope.zip')}`);
  });

  test('refuses a destination that already holds files', async () => {
    const zipPath = await writeZip([{ name: 'a/losses.ts', data: 'x' }]);
    const dest = path.join(scratch, 'busy');
    fs.mkdirSync(dest);
    fs.writeFileSync(path.join(dest, 'keep.txt'), 'mine');
    await expect(extractSubmissionsZip(zipPath, dest, 'losses')).rejects.toThrow(/destination .* is not empty/);
  });
});

describe('extractSubmissionsZip: layouts end to end', () => {
  test("Canvas's flat layout: grouped per student, original names restored, a real -1 file kept", async () => {
    const zipPath = await writeZip([
      { name: 'doejane_12345_67890_losses.ts', data: example('correct/losses.ts') },
      { name: 'doejane_12345_67891_activations.ts', data: example('correct/activations.ts') },
      { name: 'smithjohn_LATE_23456_67880_losses.js', data: '// first try' },
      { name: 'smithjohn_LATE_23456_67892_losses-1.js', data: example('correct-commonjs/losses.js') },
      { name: 'leeann_34567_67893_submission.zip', data: 'PK' },
      { name: 'leeann_34567_67894_losses.ts', data: example('numerically-naive/losses.ts') },
      { name: 'grades.csv', data: 'name,grade' },
    ]);
    const dest = path.join(scratch, 'canvas');
    const { submissions, skipped } = await extractSubmissionsZip(zipPath, dest, 'losses');

    expect(submissions.map((s) => s.id)).toEqual(['doejane_12345', 'leeann_34567', 'smithjohn_23456']);
    // Changed on purpose: a download holds the current attempt only, so losses.js and losses-1.js
    // are two files of it; with losses.js present, losses-1.js is the student's own name and stays.
    expect(listTree(dest)).toEqual(['doejane_12345/activations.ts', 'doejane_12345/losses.ts', 'leeann_34567/losses.ts', 'smithjohn_23456/losses-1.js', 'smithjohn_23456/losses.js']);
    expect(fs.readFileSync(path.join(dest, 'smithjohn_23456', 'losses-1.js'))).toEqual(example('correct-commonjs/losses.js'));
    expect(skipped).toEqual([
      'grades.csv: not named like a Canvas submission file (name_userid_fileid_file): skipped',
      expect.stringMatching(/^leeann_34567_67893_submission\.zip: not unpacked: not a readable zip archive: /),
    ]);
    expect(submissions.map((s) => s.late)).toEqual([false, false, true]);
    expect(submissions[0].canvas).toEqual({ kind: 'user', name: 'doejane', userId: '12345', fileIds: ['67890', '67891'] });
    expect(where(await discoverSubmissions(dest, 'losses'))).toEqual(where(submissions));
    for (const s of submissions) expect(stageSubmission(s.dir, path.join(scratch, 'stage', s.id), 'losses').status).toBe('staged');
  });

  test('GitHub Classroom folders under a common top folder, with nested src/ and noise', async () => {
    const zipPath = await writeZip([
      { name: 'hw1-submissions/', directory: true },
      { name: 'hw1-submissions/losses-alice/losses.ts', data: example('correct/losses.ts') },
      { name: 'hw1-submissions/losses-alice/activations.ts', data: example('correct/activations.ts') },
      { name: 'hw1-submissions/losses-bob/src/losses.ts', data: example('mse-half-convention/losses.ts') },
      { name: 'hw1-submissions/losses-bob/README.md', data: '# bob' },
      { name: 'hw1-submissions/losses-carol/notes.txt', data: 'forgot to push' },
      { name: 'hw1-submissions/losses-dave/losses.ts', data: example('softmax-wrong-axis/losses.ts') },
      { name: 'hw1-submissions/losses-dave/node_modules/mathjs/index.js', data: 'module.exports = {}' },
      { name: 'hw1-submissions/losses-dave/node_modules/mathjs/package.json', data: '{}' },
      { name: '__MACOSX/hw1-submissions/._losses-alice', data: 'meta' },
      { name: 'hw1-submissions/.DS_Store', data: 'meta' },
    ]);
    const dest = path.join(scratch, 'classroom');
    const { submissions, skipped } = await extractSubmissionsZip(zipPath, dest, 'losses');

    expect(submissions.map((s) => s.id)).toEqual(['losses-alice', 'losses-bob', 'losses-carol', 'losses-dave']);
    expect(listTree(dest)).toEqual(['losses-alice/activations.ts', 'losses-alice/losses.ts', 'losses-bob/losses.ts', 'losses-carol/notes.txt', 'losses-dave/losses.ts']);
    expect(skipped).toEqual([
      'hw1-submissions/losses-dave/node_modules/: installed dependencies (2 entries): skipped',
      '__MACOSX/ and .DS_Store: macOS metadata (2 entries): skipped',
      'hw1-submissions/losses-bob/README.md: outside src/, the folder holding losses.ts|js: skipped',
    ]);
    // Carol's reason is on her own row now, for her grade.
    expect(submissions[2].problem).toEqual({ reason: 'no-entry', message: 'No losses.ts (or losses.js) in the submission (found: notes.txt).' });
    expect(where(await discoverSubmissions(dest, 'losses'))).toEqual(where(submissions));
    expect((await discoverSubmissions(dest, 'losses'))[2].problem).toEqual(submissions[2].problem);
    const staged = submissions.map((s) => stageSubmission(s.dir, path.join(scratch, 'stage', s.id), 'losses').status);
    expect(staged).toEqual(['staged', 'staged', 'no-entry', 'staged']);
  });
});
