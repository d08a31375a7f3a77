/**
 * Assignment specs: validation errors name file and key; limits are per assignment.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AssignmentSpecError, loadAssignment } from '../../src/assignments/spec';
import { DEFAULT_LIMITS } from '../../src/sandbox/limits';
import { tempDir } from '../support/cli';

function specDir(spec: unknown): string {
  const dir = tempDir('mlgrade-spec-');
  fs.writeFileSync(path.join(dir, 'assignment.json'), typeof spec === 'string' ? spec : JSON.stringify(spec));
  return dir;
}

const valid = { id: 'hinge', title: 'Hinge loss', entry: 'hinge', exports: ['hinge'], grader: 'losses' };

test('the built-in losses assignment resolves with its limits', () => {
  const losses = loadAssignment('losses');
  expect(losses.entry).toBe('losses');
  expect(losses.exports).toHaveLength(13);
  expect(losses.limits).toEqual({ ...DEFAULT_LIMITS, callTimeoutMs: 2000, loadTimeoutMs: 5000, memoryMb: 256, outputBytes: 65536 });
});

test('limits are configurable per assignment and default the rest', () => {
  const resolved = loadAssignment(specDir({ ...valid, limits: { callTimeoutMs: 500, memoryMb: 128 } }));
  expect(resolved.limits).toEqual({ ...DEFAULT_LIMITS, callTimeoutMs: 500, memoryMb: 128 });
  expect(resolved.allowedModules).toEqual(['mathjs']);
});

test('an invalid spec names the file and every bad key', () => {
  const dir = specDir({ ...valid, limits: { callTimeoutMs: -1 }, extra: true });
  expect(() => loadAssignment(dir)).toThrow(AssignmentSpecError);
  try {
    loadAssignment(dir);
  } catch (error) {
    const message = (error as Error).message;
    expect(message).toContain(path.join(dir, 'assignment.json'));
    expect(message).toMatch(/key "limits\.callTimeoutMs"/);
    expect(message).toMatch(/Unrecognized key: "extra"/);
  }
});

test('broken JSON and unknown names are reported clearly', () => {
  expect(() => loadAssignment(specDir('{ "id": '))).toThrow(/not valid JSON/);
  expect(() => loadAssignment('no-such-assignment')).toThrow(/Unknown assignment "no-such-assignment".*Known assignments: .*losses/s);
});
