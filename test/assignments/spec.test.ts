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

test('points, visibility and tolerances can be overridden in assignment.json; a typo stops the run', () => {
  const { runCli, readResult, EXAMPLES } = require('../support/cli') as typeof import('../support/cli');
  const losses = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'assignments', 'losses', 'assignment.json'), 'utf8'));
  const dir = specDir({
    ...losses,
    dueDate: '2026-12-01T23:59:00Z',
    tests: { 'mse.accuracy.hand': { points: 10, visibility: 'hidden' } },
    tolerances: { loss: { rtol: 0.6, atol: 0 } },
    reference: path.join(__dirname, '..', '..', 'reference', 'index.ts'),
  });
  const typo = specDir({ ...JSON.parse(fs.readFileSync(path.join(dir, 'assignment.json'), 'utf8')), tests: { 'mse.acuracy.typo': { points: 1 } } });
  const refused = runCli(['grade', typo, path.join(EXAMPLES, 'mse-half-convention'), '--out', tempDir(), '--no-html']);
  expect(refused.status).toBe(2);
  expect(refused.stderr).toMatch(/key "tests\.mse\.acuracy\.typo": the suite has no test with this id/);
  const out = tempDir();
  const run = runCli(['grade', dir, path.join(EXAMPLES, 'mse-half-convention'), '--out', out, '--no-html']);
  expect(run.status).toBe(0);
  expect(run.stderr).toBe('');
  const result = readResult(out, 'mse-half-convention');
  const hand = result.tests.find((t) => t.id === 'mse.accuracy.hand')!;
  expect(hand).toMatchObject({ maxScore: 10, visibility: 'hidden', status: 'passed' });
  expect(result.maxScore).toBe(108);
  expect(() => loadAssignment(specDir({ ...valid, dueDate: 'next friday' }))).toThrow(/key "dueDate": not a date/);
  expect(() => loadAssignment(specDir({ ...valid, tests: { x: { points: -1 } } }))).toThrow(/key "tests\.x\.points"/);
});
