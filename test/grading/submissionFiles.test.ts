/**
 * The pure per-submission planners: which file is the entry, where a submission's files start,
 * which files fit its own limits, and whether it holds something to grade (with a reason that
 * names only the student's own files).
 */
import { entryCaseNote, entryChoiceNote, entryExtensions, entryFileWords, isEntryFileName, pickEntryFile } from '../../src/grading/entryFile';
import { assessSubmission, findSubmissionRoot, selectWithinLimits, type SubmissionContents } from '../../src/grading/submissionFiles';

describe('pickEntryFile', () => {
  const python = { base: 'losses', languages: ['typescript', 'javascript', 'python'] as const };

  test('exact names first, TypeScript first', () => {
    expect(pickEntryFile(['losses.js', 'losses.ts'], 'losses')).toMatchObject({ name: 'losses.ts', expected: 'losses.ts', exact: true, language: 'typescript', passedOver: [] });
    expect(pickEntryFile(['Losses.ts', 'losses.js'], 'losses')).toMatchObject({ name: 'losses.js', expected: 'losses.js', exact: true, language: 'javascript' });
  });

  test('another letter case is accepted, with a note', () => {
    const match = pickEntryFile(['LOSSES.ts', 'Losses.ts', 'notes.md'], 'losses');
    expect(match).toEqual({ name: 'LOSSES.ts', expected: 'losses.ts', exact: false, language: 'typescript', passedOver: [] });
    expect(entryCaseNote(pickEntryFile(['Losses.ts'], 'losses')!)).toBe('Losses.ts used as losses.ts');
    expect(entryCaseNote(pickEntryFile(['losses.ts'], 'losses')!)).toBeUndefined();
  });

  test('the extension must match exactly (it decides how the file is compiled)', () => {
    expect(pickEntryFile(['losses.TS', 'losses.py', 'losses.ts.bak'], 'losses')).toBeUndefined();
  });

  test('Python entries count only where the assignment accepts Python: a module before a notebook', () => {
    const moduleAndNotebook = pickEntryFile(['losses.py', 'losses.ipynb'], python)!;
    expect(moduleAndNotebook).toMatchObject({ name: 'losses.py', language: 'python', passedOver: ['losses.ipynb'] });
    // A student who worked in the notebook must learn that the module was graded.
    expect(entryChoiceNote(moduleAndNotebook, python.languages)).toBe(
      'losses.py and losses.ipynb were both submitted: losses.py was graded (a Python module before a notebook); remove the file you did not mean',
    );
    expect(pickEntryFile(['Losses.ipynb'], python)).toMatchObject({ name: 'Losses.ipynb', expected: 'losses.ipynb', exact: false, language: 'python' });
    expect(isEntryFileName('losses.py', python)).toBe(true);
    expect(isEntryFileName('losses.py', 'losses')).toBe(false);
  });

  test('a notebook named after the homework is the entry when it is the folder\'s only one (never by its name alone)', () => {
    expect(pickEntryFile(['hw1.ipynb', 'data.csv'], python)).toMatchObject({ name: 'hw1.ipynb', expected: 'losses.ipynb', exact: false, language: 'python' });
    expect(pickEntryFile(['hw1.ipynb', 'scratch.ipynb'], python)).toBeUndefined();
    expect(pickEntryFile(['hw1.ipynb'], python, { loneNotebook: false })).toBeUndefined();
    expect(isEntryFileName('hw1.ipynb', python)).toBe(false);
    expect(pickEntryFile(['hw1.ipynb'], 'losses')).toBeUndefined();
  });

  test('entry files of two languages: the first language of the assignment is graded, and a note says so', () => {
    const both = pickEntryFile(['losses.py', 'losses.ts'], python)!;
    expect(both).toMatchObject({ name: 'losses.ts', language: 'typescript', passedOver: ['losses.py'] });
    expect(entryChoiceNote(both, python.languages)).toBe(
      'losses.ts and losses.py were both submitted: losses.ts was graded (the assignment takes typescript, javascript, python in that order); remove the file you did not mean',
    );
    const pythonFirst = { base: 'losses', languages: ['python', 'typescript'] as const };
    expect(pickEntryFile(['losses.py', 'losses.ts'], pythonFirst)).toMatchObject({ name: 'losses.py', passedOver: ['losses.ts'] });
    // TypeScript next to JavaScript is not a choice between languages (the same runtime): no note.
    expect(pickEntryFile(['losses.js', 'losses.ts'], python)!.passedOver).toEqual([]);
  });

  test('messages name the entry files an assignment accepts', () => {
    expect(entryFileWords('losses')).toBe('losses.ts (or losses.js)');
    expect(entryFileWords(python)).toBe('losses.ts, losses.js or losses.py (or losses.ipynb)');
    expect(entryFileWords({ base: 'train', languages: ['python'] })).toBe('train.py (or train.ipynb)');
    expect(entryExtensions(['python', 'javascript'])).toEqual(['.py', '.ipynb', '.js', '.mjs', '.cjs']);
  });
});

describe('findSubmissionRoot', () => {
  const paths = (...names: string[]) => names.map((n) => n.split('/'));

  test('files at the top: nothing to strip', () => {
    expect(findSubmissionRoot(paths('losses.ts', 'lib/a.ts'), 'losses')).toEqual({ root: [], wrappers: [], outside: [] });
  });

  test('wrapper folders are stripped, then a single src/ holding the entry is hoisted', () => {
    expect(findSubmissionRoot(paths('hw1/src/losses.ts', 'hw1/src/lib/a.ts', 'hw1/README.md'), 'losses')).toEqual({
      root: ['hw1', 'src'],
      wrappers: ['hw1'],
      outside: [['hw1', 'README.md']],
    });
    expect(findSubmissionRoot(paths('a/b/notes.txt'), 'losses')).toEqual({ root: ['a', 'b'], wrappers: ['a', 'b'], outside: [] });
  });

  test('the entry in two sub-folders: nothing is guessed', () => {
    expect(findSubmissionRoot(paths('x/losses.ts', 'y/losses.ts'), 'losses').root).toEqual([]);
  });
});

describe('selectWithinLimits', () => {
  const file = (target: string, size = 10) => ({ target: target.split('/'), size });

  test('the entry, then code, then the rest; shallow first; each left-out file says why', () => {
    const files = [file('z.txt'), file('deep/a/b/c/d/e/f/g/h/i/x.ts'), file('lib/util.ts'), file('losses.ts'), file('a.txt'), file('big.bin', 100)];
    const { kept, refused } = selectWithinLimits(files, 'losses', { maxFiles: 3, maxBytes: 1000, maxDepth: 8 });
    expect(kept.map((f) => f.target.join('/'))).toEqual(['losses.ts', 'lib/util.ts', 'a.txt']);
    expect(refused.map((r) => [r.item.target.join('/'), r.reason])).toEqual([
      ['deep/a/b/c/d/e/f/g/h/i/x.ts', 'more than 8 folders deep in the submission'],
      ['big.bin', 'over the limit of 3 files per submission'],
      ['z.txt', 'over the limit of 3 files per submission'],
    ]);
  });

  test('bytes: a file that does not fit is left out, smaller ones after it still fit', () => {
    const { kept, refused } = selectWithinLimits([file('losses.ts', 400), file('b.bin', 700), file('c.bin', 500)], 'losses', { maxFiles: 10, maxBytes: 1000, maxDepth: 8 });
    expect(kept.map((f) => f.target[0])).toEqual(['losses.ts', 'c.bin']);
    expect(refused).toEqual([{ item: file('b.bin', 700), reason: 'over the limit of 1000 bytes per submission' }]);
  });

  test('20,000 junk files: the entry is still kept', () => {
    const junk = Array.from({ length: 20_000 }, (_, i) => file(`junk/${String(i).padStart(5, '0')}.txt`, 1));
    const { kept, refused } = selectWithinLimits([...junk, file('losses.ts')], 'losses', { maxFiles: 200, maxBytes: 8 << 20, maxDepth: 8 });
    expect(kept[0].target).toEqual(['losses.ts']);
    expect(kept).toHaveLength(200);
    expect(refused).toHaveLength(19_801);
  });
});

describe('assessSubmission', () => {
  const contents = (over: Partial<SubmissionContents>): SubmissionContents => ({ files: [], notExtracted: [], unopened: [], textEntries: [], ...over });

  test('an entry at the top: gradeable; another case gets a note', () => {
    expect(assessSubmission(contents({ files: ['losses.ts', 'activations.ts'] }), 'losses')).toEqual({ notes: [] });
    expect(assessSubmission(contents({ files: ['Losses.ts'] }), 'losses')).toEqual({ notes: ['Losses.ts used as losses.ts'] });
  });

  test.each<[string, Partial<SubmissionContents>, string, string]>([
    ['empty', {}, 'no-files', 'Nothing was submitted (no files): submit losses.ts (or losses.js).'],
    ['text entry only', { files: ['canvas-text.html'], textEntries: ['text'] }, 'no-files', 'Only text typed into Canvas was submitted, no file: upload losses.ts (or losses.js) as a file.'],
    ['URL only', { files: ['canvas-link.html'], textEntries: ['link'] }, 'no-files', 'Only a link (URL) was submitted, no file: upload losses.ts (or losses.js) as a file.'],
    ['a non-code file', { files: ['report.pdf'] }, 'no-entry', 'No losses.ts (or losses.js) in the submission (found: report.pdf).'],
    ['a Python file', { files: ['losses.py', 'notes.md'] }, 'no-entry', 'No losses.ts (or losses.js) in the submission (found: losses.py, notes.md).'],
    [
      'an archive that failed',
      { unopened: [{ label: 'hw.zip', reason: 'not a readable zip archive' }] },
      'unreadable-archive',
      'hw.zip could not be unpacked (not a readable zip archive), and nothing else was submitted: submit losses.ts (or losses.js).',
    ],
    [
      'a .rar next to a README',
      { files: ['README.md'], unopened: [{ label: 'hw.rar', reason: 'mlgrade unpacks only .zip archives' }] },
      'unreadable-archive',
      'hw.rar could not be unpacked (mlgrade unpacks only .zip archives), and no losses.ts (or losses.js) was submitted outside it (found: README.md).',
    ],
    ['the entry over a limit', { files: ['a.ts'], notExtracted: [{ label: 'losses.ts', target: 'losses.ts', reason: '2000000 bytes, over the limit of 1048576 bytes per file' }] }, 'skipped-files', 'losses.ts was not extracted: 2000000 bytes, over the limit of 1048576 bytes per file.'],
    ['every file refused', { notExtracted: [{ label: 'x.ts', reason: 'symbolic link' }] }, 'skipped-files', 'None of the submitted files could be extracted (x.ts: symbolic link).'],
    ['the entry only in sub-folders', { files: ['a/losses.ts', 'b/losses.ts'] }, 'no-entry', 'losses.ts (or losses.js) is not at the top of the submission but in a/, b/ (more than one: mlgrade does not guess which to grade).'],
  ])('%s', (_name, over, reason, message) => {
    expect(assessSubmission(contents(over), 'losses')).toEqual({ notes: [], problem: { reason, message } });
  });
});
