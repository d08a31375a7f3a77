/**
 * discoverSubmissions on plain folders: each sub-folder is a submission graded where it is; an
 * entry file in another letter case or in a single src/ is found; a folder whose work is in an
 * uploaded zip is arranged with the zip unpacked; a folder with nothing to grade still gets a row
 * with its reason. Also: an anonymous Canvas download.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SubmissionPathError, discoverSubmissions, readSubmissionsFolder } from '../../src/grading/discover';
import { extractSubmissionsZip } from '../../src/grading/unzip';
import { findEntry } from '../../src/sandbox/stage';
import { EXAMPLES, readResult, runCli, tempDir } from '../support/cli';
import { buildZip, listTree } from './zipBuilder';

let scratch: string;
beforeEach(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'mlgrade-discover-'));
});
afterEach(() => {
  fs.rmSync(scratch, { recursive: true, force: true });
});

function write(files: Record<string, string | Buffer>): string {
  const root = path.join(scratch, 'class');
  for (const [name, data] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), data);
  }
  return root;
}

test('a folder of submission folders: each graded in place, each with its own notes or problem', async () => {
  const root = write({
    'alice/losses.ts': 'export {};',
    'bob/Losses.ts': 'export {};',
    'carol/src/losses.ts': 'export {};',
    'carol/README.md': '# carol',
    'dave/notes.txt': 'forgot',
    'erin/hw.zip': await buildZip([
      { name: 'hw/losses.ts', data: 'export {};' },
      { name: 'hw/activations.ts', data: 'export {};' },
    ]),
    'frank/x/losses.ts': 'export {};',
    'frank/y/losses.ts': 'export {};',
    'node_modules/x/index.js': '',
  });
  fs.mkdirSync(path.join(root, 'grace'));
  const work = path.join(scratch, 'work');
  const found = await readSubmissionsFolder(root, 'losses', { workDir: work });

  expect(found.layout).toBe('folders');
  expect(found.submissions).toEqual([
    { id: 'alice', dir: path.join(root, 'alice') },
    { id: 'bob', dir: path.join(root, 'bob'), notes: ['Losses.ts used as losses.ts'] },
    { id: 'carol', dir: path.join(root, 'carol', 'src'), notes: ['graded from src/, the folder holding losses.ts|js'] },
    { id: 'dave', dir: path.join(root, 'dave'), problem: { reason: 'no-entry', message: 'No losses.ts (or losses.js) in the submission (found: notes.txt).' } },
    { id: 'erin', dir: path.join(work, 'erin'), notes: ['hw.zip unpacked (from its folder hw/)'] },
    {
      id: 'frank',
      dir: path.join(root, 'frank'),
      problem: { reason: 'no-entry', message: 'losses.ts (or losses.js) is not at the top of the submission but in x/, y/ (more than one: mlgrade does not guess which to grade).' },
    },
    { id: 'grace', dir: path.join(root, 'grace'), problem: { reason: 'no-files', message: 'Nothing was submitted (no files): submit losses.ts (or losses.js).' } },
  ]);
  expect(listTree(path.join(work, 'erin'))).toEqual(['activations.ts', 'losses.ts']);
  // Nothing was written into the instructor's folder.
  expect(listTree(root)).not.toContain('erin/losses.ts');
  // Staging finds the same entry files.
  expect(findEntry(path.join(root, 'bob'), 'losses')).toBe('Losses.ts');
  expect(findEntry(path.join(root, 'alice'), 'losses')).toBe('losses.ts');
});

test('one submission folder, including one whose entry file is capitalised', async () => {
  const root = write({ 'Losses.ts': 'export {};', 'activations.ts': 'export {};' });
  expect(await discoverSubmissions(root, 'losses')).toEqual([{ id: 'class', dir: root, notes: ['Losses.ts used as losses.ts'] }]);
});

test('a path that holds nothing that could be a submission is refused with one clear line', async () => {
  const root = write({ 'notes.txt': 'x' });
  await expect(discoverSubmissions(root, 'losses')).rejects.toThrow(SubmissionPathError);
  await expect(discoverSubmissions(root, 'losses')).rejects.toThrow(`${root} holds neither losses.ts (or losses.js), nor sub-folders of submissions, nor a Canvas download's files (name_userid_fileid_file)`);
  await expect(discoverSubmissions(path.join(root, 'notes.txt'), 'losses')).rejects.toThrow('is not a folder');
  await expect(discoverSubmissions(path.join(scratch, 'nope'), 'losses')).rejects.toThrow('No such folder');
});

test('an anonymously graded Canvas download: anon_<id> rows, LATE kept, no name', async () => {
  const zip = path.join(scratch, 'anon.zip');
  fs.writeFileSync(
    zip,
    await buildZip([
      { name: 'anon_ab3De_9001_losses-1.ts', data: 'export {};' },
      { name: 'anon_ab3De_9002_activations-1.ts', data: 'export {};' },
      { name: 'LATE_anon_x9Y2z_9003_losses.ts', data: 'export {};' },
      { name: 'anon_Qq7Rt_text.html', data: '<p>see attached</p>' },
    ]),
  );
  const { layout, submissions } = await extractSubmissionsZip(zip, path.join(scratch, 'out'), 'losses');
  expect(layout).toBe('canvas');
  expect(submissions.map(({ id, late, canvas, problem }) => ({ id, late, canvas, reason: problem?.reason }))).toEqual([
    { id: 'anon_Qq7Rt', late: false, canvas: { kind: 'anonymous', anonymousId: 'Qq7Rt', fileIds: [] }, reason: 'no-files' },
    { id: 'anon_ab3De', late: false, canvas: { kind: 'anonymous', anonymousId: 'ab3De', fileIds: ['9001', '9002'] }, reason: undefined },
    { id: 'anon_x9Y2z', late: true, canvas: { kind: 'anonymous', anonymousId: 'x9Y2z', fileIds: ['9003'] }, reason: undefined },
  ]);
  expect(listTree(submissions[1].dir)).toEqual(['activations.ts', 'losses.ts']);
});

test('an entry under another name in a sub-folder is noted once, as grading words it', async () => {
  const root = tempDir();
  fs.mkdirSync(path.join(root, 'dana', 'src'), { recursive: true });
  fs.copyFileSync(path.join(EXAMPLES, 'correct', 'losses.ts'), path.join(root, 'dana', 'src', 'Losses.ts'));
  fs.copyFileSync(path.join(EXAMPLES, 'correct', 'activations.ts'), path.join(root, 'dana', 'src', 'activations.ts'));
  const out = tempDir();
  expect(runCli(['grade', 'losses', root, '--out', out, '--no-html']).status).toBe(0);
  expect(readResult(out, 'dana').origin?.notes).toEqual(['graded from src/, the folder holding losses.ts|js|py|ipynb', 'Losses.ts used as losses.ts']);
});
