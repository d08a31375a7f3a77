/**
 * Zip input: hostile entries are skipped with a message and nothing lands outside the
 * destination; Canvas's flat layout and GitHub Classroom's folders become folders that
 * discoverSubmissions accepts.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as yazl from 'yazl';
import { discoverSubmissions } from '../../src/grading/discover';
import { ZipInputError, checkEntryPath, extractSubmissionsZip, parseCanvasName, planLayout, restoreCanvasFileName } from '../../src/grading/unzip';
import { stageSubmission } from '../../src/sandbox/stage';

const EXAMPLES = path.resolve(__dirname, '..', '..', 'assignments', 'losses', 'examples');
const example = (name: string) => fs.readFileSync(path.join(EXAMPLES, name));

interface ZipItem {
  name: string;
  data?: Buffer | string;
  mode?: number;
  compress?: boolean;
  directory?: boolean;
}

let scratch: string;
beforeEach(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'mlgrade-unzip-'));
});
afterEach(() => {
  fs.rmSync(scratch, { recursive: true, force: true });
});

/**
 * Builds a zip with yazl. yazl refuses `..` and absolute names, so such entries are added
 * under a placeholder of the same byte length and the name bytes are patched afterwards.
 */
async function buildZip(items: ZipItem[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  const patches: [Buffer, Buffer][] = [];
  items.forEach((item, index) => {
    let name = item.name;
    if (name.split(/[\\/]/).includes('..') || /^([\\/]|[A-Za-z]:)/.test(name)) {
      const length = Buffer.byteLength(name);
      const placeholder = `p${index}`.padEnd(length, 'q');
      if (placeholder.length !== length) throw new Error(`name too short to patch: ${name}`);
      patches.push([Buffer.from(placeholder), Buffer.from(name)]);
      name = placeholder;
    }
    if (item.directory) zip.addEmptyDirectory(name);
    else zip.addBuffer(Buffer.from(item.data ?? ''), name, { mode: item.mode, compress: item.compress ?? true });
  });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  const buffer = Buffer.concat(chunks);
  for (const [from, to] of patches) {
    for (let at = buffer.indexOf(from); at >= 0; at = buffer.indexOf(from, at + 1)) to.copy(buffer, at);
  }
  return buffer;
}

/** Rewrites the uncompressed size that the central directory declares for `name`. */
function forgeDeclaredSize(zip: Buffer, name: string, size: number): void {
  const signature = Buffer.from([0x50, 0x4b, 0x01, 0x02]); // central directory file header
  for (let at = zip.indexOf(signature); at >= 0; at = zip.indexOf(signature, at + 1)) {
    const nameLength = zip.readUInt16LE(at + 28);
    if (zip.subarray(at + 46, at + 46 + nameLength).toString() === name) {
      zip.writeUInt32LE(size, at + 24);
      return;
    }
  }
  throw new Error(`no central directory record for ${name}`);
}

async function writeZip(items: ZipItem[], edit?: (zip: Buffer) => void): Promise<string> {
  const zip = await buildZip(items);
  edit?.(zip);
  const file = path.join(scratch, 'class.zip');
  fs.writeFileSync(file, zip);
  return file;
}

/** Every path under `dir`, relative, with symlinks marked. */
function listTree(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const d of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${d.name}` : d.name;
      if (d.isSymbolicLink()) out.push(`${r} -> symlink`);
      else if (d.isDirectory()) walk(r);
      else out.push(r);
    }
  };
  walk('');
  return out.sort();
}

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

describe('Canvas names', () => {
  test('parses name, LATE, user id, submission id and the original name', () => {
    expect(parseCanvasName('doejane_12345_67890_losses.ts')).toEqual({ student: 'doejane', late: false, userId: '12345', submissionId: '67890', original: 'losses.ts' });
    expect(parseCanvasName('smithjohn_LATE_23456_67892_losses-1.js')).toEqual({ student: 'smithjohn', late: true, userId: '23456', submissionId: '67892', original: 'losses-1.js' });
    expect(parseCanvasName('doejane_12345_67890_my_helpers.ts')?.original).toBe('my_helpers.ts');
    expect(parseCanvasName('losses.ts')).toBeUndefined();
    expect(parseCanvasName('alice_losses.ts')).toBeUndefined();
  });

  test('drops the -N resubmission suffix only when that restores the entry file', () => {
    expect(restoreCanvasFileName('losses-1.js', 'losses')).toEqual({ name: 'losses.js', revision: 1 });
    expect(restoreCanvasFileName('losses-12.ts', 'losses')).toEqual({ name: 'losses.ts', revision: 12 });
    expect(restoreCanvasFileName('layer-2.ts', 'losses')).toEqual({ name: 'layer-2.ts', revision: 0 });
    expect(restoreCanvasFileName('losses.ts', 'losses')).toEqual({ name: 'losses.ts', revision: 0 });
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
    expect(plan.skipped).toEqual([
      'export/hw/b/README.md: outside export/hw/b/src/, the folder holding losses.ts|js: not extracted',
      'export/hw/c/: no losses.ts or losses.js anywhere: extracted as is, so it will be graded as having no entry file',
      'export/hw/d/: losses.ts|js is in 2 sub-folders (export/hw/d/x/, export/hw/d/y/) and not at the top: extracted as is, so it will be graded as having no entry file',
    ]);
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

    expect(submissions).toEqual(['alice', 'bob', 'carol'].map((id) => ({ id, dir: path.join(dest, id) })));
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
        'carol/submission.zip: a nested archive (not unpacked: extract it and pass the folder): skipped',
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

  test('the total-size and entry-count limits skip the rest, with one message', async () => {
    const items = ['a', 'b', 'c', 'd'].map((id) => ({ name: `${id}/losses.ts`, data: Buffer.alloc(1000, 'x') }));
    const zipPath = await writeZip([...items, { name: 'e/losses.ts', data: 'x' }]);
    const total = await extractSubmissionsZip(zipPath, path.join(scratch, 'total'), 'losses', { maxTotalBytes: 2500 });
    expect(listTree(path.join(scratch, 'total'))).toEqual(['a/losses.ts', 'b/losses.ts']);
    expect(total.skipped).toEqual(['c/losses.ts and 2 later files: over the limit of 2500 bytes for the whole archive: skipped']);

    const count = await extractSubmissionsZip(zipPath, path.join(scratch, 'count'), 'losses', { maxEntries: 3 });
    expect(count.submissions.map((s) => s.id)).toEqual(['a', 'b', 'c']);
    expect(count.skipped).toEqual([`${zipPath}: 5 entries, over the limit of 3: the last 2 skipped`]);
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
  test("Canvas's flat layout: grouped per student, original names restored, older copies skipped", async () => {
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
    expect(listTree(dest)).toEqual(['doejane_12345/activations.ts', 'doejane_12345/losses.ts', 'leeann_34567/losses.ts', 'smithjohn_23456/losses.js']);
    expect(fs.readFileSync(path.join(dest, 'smithjohn_23456', 'losses.js'))).toEqual(example('correct-commonjs/losses.js'));
    expect(skipped).toEqual([
      'leeann_34567_67893_submission.zip: a nested archive (not unpacked: extract it and pass the folder): skipped',
      'grades.csv: not named like a Canvas submission file (name_userid_submissionid_file): skipped',
      'smithjohn_LATE_23456_67880_losses.js: an older copy of smithjohn_23456/losses.js: skipped',
    ]);
    expect(discoverSubmissions(dest, 'losses')).toEqual(submissions);
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
      'hw1-submissions/losses-bob/README.md: outside hw1-submissions/losses-bob/src/, the folder holding losses.ts|js: not extracted',
      'hw1-submissions/losses-carol/: no losses.ts or losses.js anywhere: extracted as is, so it will be graded as having no entry file',
    ]);
    expect(discoverSubmissions(dest, 'losses')).toEqual(submissions);
    const staged = submissions.map((s) => stageSubmission(s.dir, path.join(scratch, 'stage', s.id), 'losses').status);
    expect(staged).toEqual(['staged', 'staged', 'no-entry', 'staged']);
  });
});
