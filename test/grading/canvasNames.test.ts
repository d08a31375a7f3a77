/**
 * Canvas download names: who a file belongs to (user, anonymous, group), its LATE flag and
 * attachment id, and the name the student uploaded it as (Canvas's resubmission suffix undone).
 */
import { parseCanvasName, restoreUploadNames, splitCompoundExtension, stripLmsSuffix } from '../../src/grading/canvasNames';

describe('parseCanvasName', () => {
  test('a named upload: name token, user id, attachment id and display name', () => {
    expect(parseCanvasName('doejane_12345_67890_losses.ts')).toEqual({
      id: 'doejane_12345',
      identity: { kind: 'user', name: 'doejane', userId: '12345' },
      late: false,
      content: { kind: 'upload', fileId: '67890', displayName: 'losses.ts' },
    });
  });

  test('LATE, underscores and digits in the display name', () => {
    const late = parseCanvasName('smithjohn_LATE_23456_67892_losses-1.js');
    expect(late?.late).toBe(true);
    expect(late?.id).toBe('smithjohn_23456');
    expect(late?.content).toEqual({ kind: 'upload', fileId: '67892', displayName: 'losses-1.js' });
    expect(parseCanvasName('doejane_12345_67890_my_helpers_2_3.ts')?.content).toEqual({ kind: 'upload', fileId: '67890', displayName: 'my_helpers_2_3.ts' });
  });

  test('anonymous grading: anon_<id>, with or without LATE (Canvas writes LATE first then)', () => {
    expect(parseCanvasName('anon_ab3De_67890_losses.ts')).toEqual({
      id: 'anon_ab3De',
      identity: { kind: 'anonymous', anonymousId: 'ab3De' },
      late: false,
      content: { kind: 'upload', fileId: '67890', displayName: 'losses.ts' },
    });
    expect(parseCanvasName('LATE_anon_x9Y2z_67891_activations.ts')).toMatchObject({ id: 'anon_x9Y2z', late: true });
  });

  test('text and URL entries have no attachment id', () => {
    expect(parseCanvasName('doejane_12345_text.html')).toMatchObject({ id: 'doejane_12345', content: { kind: 'text' } });
    expect(parseCanvasName('doejane_LATE_12345_link.html')).toMatchObject({ id: 'doejane_12345', late: true, content: { kind: 'link' } });
    expect(parseCanvasName('anon_ab3De_text.html')).toMatchObject({ id: 'anon_ab3De', content: { kind: 'text' } });
  });

  test('group and non-ASCII name tokens (Canvas keeps word characters only)', () => {
    expect(parseCanvasName('group7_12345_67890_losses.ts')?.identity).toEqual({ kind: 'user', name: 'group7', userId: '12345' });
    expect(parseCanvasName('team_red_12345_67890_losses.ts')?.identity).toEqual({ kind: 'user', name: 'team_red', userId: '12345' });
    expect(parseCanvasName('müllerjürgen_12345_67890_losses.ts')?.id).toBe('müllerjürgen_12345');
  });

  test('names that are not Canvas names', () => {
    for (const name of ['losses.ts', 'alice_losses.ts', 'grades.csv', 'doe jane_12345_67890_losses.ts', 'doejane_12345_losses.ts', 'doejane_late_x_1_2.ts']) {
      expect(parseCanvasName(name)).toBeUndefined();
    }
  });
});

describe('resubmission suffixes', () => {
  test('the compound extension as Canvas computes it', () => {
    expect(splitCompoundExtension('model.tar.gz')).toEqual(['model', '.tar.gz']);
    expect(splitCompoundExtension('a.b.c.pdf')).toEqual(['a', '.b.c.pdf']);
    expect(splitCompoundExtension('v1.2.ts')).toEqual(['v1.2', '.ts']);
    expect(splitCompoundExtension('Makefile')).toEqual(['Makefile', '']);
    expect(splitCompoundExtension('.eslintrc')).toEqual(['.eslintrc', '']);
  });

  test.each([
    ['losses-1.ts', 'losses.ts'],
    ['activations-7.ts', 'activations.ts'],
    ['model-1.tar.gz', 'model.tar.gz'],
    ['a-2.b.c.pdf', 'a.b.c.pdf'],
    ['x.tar-1.gz', 'x.tar.gz'],
    ['losses.test-3.ts', 'losses.test.ts'],
    ['losses-3f2a1b4c-1234-4def-9abc-0123456789ab.ts', 'losses.ts'],
    ['v1.2-1.ts', 'v1.2.ts'],
  ])('%s was uploaded as %s', (name, original) => {
    expect(stripLmsSuffix(name)).toBe(original);
  });

  test.each(['losses.ts', 'layer-8.ts', 'data-2024.csv', '-1.ts', 'losses-01.ts', 'Makefile-1x'])('%s has no Canvas suffix', (name) => {
    expect(stripLmsSuffix(name)).toBeUndefined();
  });

  test('every file of a submission gets its name back: the entry and its helpers', () => {
    const restored = restoreUploadNames([
      { name: 'losses-1.ts', fileId: '501' },
      { name: 'activations-1.ts', fileId: '502' },
      { name: 'utils-2f1e8a90-0d3c-4b5a-9e8f-7a6b5c4d3e2f.ts', fileId: '503' },
      { name: 'README.md', fileId: '504' },
    ]);
    expect(restored).toEqual(['losses.ts', 'activations.ts', 'utils.ts', 'README.md']);
  });

  test('a real layer-1.ts next to layer.ts stays; the latest of two copies gets the name', () => {
    expect(
      restoreUploadNames([
        { name: 'layer.ts', fileId: '10' },
        { name: 'layer-1.ts', fileId: '11' },
      ]),
    ).toEqual(['layer.ts', 'layer-1.ts']);
    // losses-1 and losses-2 both stand for losses.ts: the higher attachment id (later upload) wins.
    expect(
      restoreUploadNames([
        { name: 'losses-2.ts', fileId: '9000000000000002' },
        { name: 'losses-1.ts', fileId: '9000000000000010' },
      ]),
    ).toEqual(['losses-2.ts', 'losses.ts']);
  });
});
