/**
 * Grades every example submission of the losses assignment once, through the real CLI, and
 * checks that each is graded as its folder name says.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SubmissionResult } from '../../src/types';
import { EXAMPLES, readResult, runCli, tempDir, testsOf } from '../support/cli';

const GRADIENTS = ['mseGrad', 'binaryCrossEntropyGrad', 'binaryCrossEntropyFromLogitsGrad', 'categoricalCrossEntropyGrad', 'categoricalCrossEntropyFromLogitsGrad'];
const LOSSES = ['mse', 'binaryCrossEntropy', 'binaryCrossEntropyFromLogits', 'categoricalCrossEntropy', 'categoricalCrossEntropyFromLogits'];

let out: string;
let stdout: string;
const result = (id: string): SubmissionResult => readResult(out, id);
const failedIds = (r: SubmissionResult) => r.tests.filter((t) => t.status !== 'passed').map((t) => t.id);

beforeAll(() => {
  out = tempDir();
  const run = runCli(['grade', 'losses', EXAMPLES, '--out', out]);
  stdout = run.stdout;
  // jest may warn that a worker was slow to exit on an overloaded machine; nothing else may appear.
  expect(run.stderr.replace(/A worker process has failed to exit gracefully[^\n]*\n?/g, '').trim()).toBe('');
  expect(run.status).toBe(0);
});

test('every example folder gets a result.json with the documented fields', () => {
  const ids = fs.readdirSync(EXAMPLES).filter((d) => fs.statSync(path.join(EXAMPLES, d)).isDirectory());
  expect(ids.length).toBeGreaterThanOrEqual(10);
  for (const id of ids) {
    const r = result(id);
    expect(Object.keys(r)).toEqual(expect.arrayContaining(['submission', 'assignment', 'score', 'maxScore', 'tests']));
    expect(r.submission).toBe(id);
    expect(r.assignment).toBe('losses');
    expect(r.maxScore).toBe(100);
    expect(r.score).toBe(r.tests.reduce((s, t) => s + t.score, 0));
    for (const t of r.tests) {
      expect(Object.keys(t)).toEqual(expect.arrayContaining(['id', 'name', 'function', 'category', 'status', 'score', 'maxScore', 'visibility', 'message']));
      expect(['interface', 'accuracy', 'gradient', 'stability', 'convergence']).toContain(t.category);
      expect(['passed', 'failed', 'error', 'timeout']).toContain(t.status);
      expect(['public', 'hidden']).toContain(t.visibility);
    }
  }
  expect(stdout).toMatch(/graded in/);
});

test.each(['correct', 'correct-commonjs', 'correct-esm-mathjs'])('%s scores full marks', (id) => {
  const r = result(id);
  expect(failedIds(r)).toEqual([]);
  expect(r.score).toBe(100);
  expect(r.load.status).toBe('loaded');
});

test('grad-missing-1-over-n: every gradient fails with the ×N diagnosis, every loss passes', () => {
  const r = result('grad-missing-1-over-n');
  for (const fn of GRADIENTS) {
    const reference = r.tests.find((t) => t.id === `${fn}.gradient.reference`)!;
    expect(reference.status).toBe('failed');
    expect(reference.diagnosis).toMatch(/sum(med)? over the batch instead of taking the mean/);
  }
  for (const fn of LOSSES) expect(testsOf(r, fn).every((t) => t.status === 'passed')).toBe(true);
});

test('flipped-sign-gradients: every gradient fails with the sign diagnosis', () => {
  const r = result('flipped-sign-gradients');
  for (const fn of GRADIENTS) {
    expect(r.tests.find((t) => t.id === `${fn}.gradient.reference`)!.diagnosis).toMatch(/opposite sign/);
    expect(r.tests.find((t) => t.id === `${fn}.finite-differences`)!.status).toBe('failed');
  }
  for (const fn of LOSSES) expect(testsOf(r, fn).every((t) => t.status === 'passed')).toBe(true);
});

test('mse-half-convention: mse and mseGrad fail with the ½ diagnosis, nothing else does', () => {
  const r = result('mse-half-convention');
  expect(new Set(r.tests.filter((t) => t.status !== 'passed').map((t) => t.function))).toEqual(new Set(['mse', 'mseGrad']));
  expect(r.tests.find((t) => t.id === 'mse.accuracy.hand')!.diagnosis).toMatch(/half/);
  expect(r.tests.find((t) => t.id === 'mseGrad.gradient.reference')!.diagnosis).toMatch(/half/);
  // Half loss and half gradient agree with each other: the self-consistency check passes.
  expect(r.tests.find((t) => t.id === 'mseGrad.finite-differences')!.status).toBe('passed');
});

test('bce-logits-extra-sigmoid-slope: only the logit gradient fails, diagnosed as an extra σ′', () => {
  const r = result('bce-logits-extra-sigmoid-slope');
  expect(new Set(r.tests.filter((t) => t.status !== 'passed').map((t) => t.function))).toEqual(new Set(['binaryCrossEntropyFromLogitsGrad']));
  expect(r.tests.find((t) => t.id === 'binaryCrossEntropyFromLogitsGrad.gradient.reference')!.diagnosis).toMatch(/multiplied by σ′\(z\)/);
});

test('softmax-wrong-axis: softmax fails with the axis diagnosis', () => {
  const r = result('softmax-wrong-axis');
  const t = r.tests.find((x) => x.id === 'softmax.accuracy.hand')!;
  expect(t.status).toBe('failed');
  expect(t.diagnosis).toMatch(/columns .* sum to 1, not the rows/);
  expect(t.details?.comparison?.worstIndex).toEqual(expect.any(Array));
});

test('numerically-naive: ordinary inputs pass, extreme inputs fail with NaN/overflow hints', () => {
  const r = result('numerically-naive');
  // Keras's golden CCE case holds p = 0 where y = 0: 0·log(0) = NaN is a real failure there.
  expect(r.tests.filter((t) => t.category === 'accuracy' && t.status !== 'passed').map((t) => t.id)).toEqual(['categoricalCrossEntropy.accuracy.hand']);
  expect(r.tests.filter((t) => t.category === 'gradient').every((t) => t.status === 'passed')).toBe(true);
  const stability = r.tests.filter((t) => t.category === 'stability' && t.status === 'failed');
  expect(stability.map((t) => t.function)).toEqual(expect.arrayContaining(['softmax', 'binaryCrossEntropy', 'binaryCrossEntropyFromLogits', 'categoricalCrossEntropyFromLogits']));
  expect(r.tests.find((t) => t.id === 'softmax.stability.huge-rows')!.diagnosis).toMatch(/max/);
  expect(r.tests.find((t) => t.id === 'binaryCrossEntropy.stability.certain')!.diagnosis).toMatch(/log\(0\)/);
});

test('missing-exports: only the missing functions fail, with messages naming them', () => {
  const r = result('missing-exports');
  const failing = r.tests.filter((t) => t.status !== 'passed');
  expect(new Set(failing.map((t) => t.function))).toEqual(new Set(['categoricalCrossEntropyGrad', 'classificationError']));
  for (const t of failing) {
    expect(t.status).toBe('error');
    expect(t.message).toContain(`${t.function} is not exported`);
  }
});

test('syntax-error: score 0 and the message names file and line', () => {
  const r = result('syntax-error');
  const line = fs.readFileSync(path.join(EXAMPLES, 'syntax-error', 'EXPECTED_ERROR_LINE'), 'utf8').trim();
  expect(r.score).toBe(0);
  expect(r.load).toMatchObject({ status: 'failed', reason: 'syntax' });
  expect(r.load.status === 'failed' && r.load.message).toMatch(new RegExp(`losses\\.ts:${line}:\\d+`));
  expect(r.tests.every((t) => t.status === 'error' && t.message.includes(`losses.ts:${line}`))).toBe(true);
});

test('infinite-loop: softmax times out, the process is replaced and everything else is graded', () => {
  const r = result('infinite-loop');
  const softmax = testsOf(r, 'softmax');
  expect(softmax.every((t) => t.status === 'timeout' && /time limit of 2000 ms/.test(t.message))).toBe(true);
  expect(r.tests.filter((t) => t.function !== 'softmax').every((t) => t.status === 'passed')).toBe(true);
});

test.each([
  ['exit-at-import', 'exited', /process\.exit\(0\)/],
  ['throws-at-import', 'threw', /importing the submission threw/],
])('%s: score 0 with a message that says why', (id, reason, pattern) => {
  const r = result(id);
  expect(r.score).toBe(0);
  expect(r.load).toMatchObject({ status: 'failed', reason });
  expect(r.load.status === 'failed' && r.load.message).toMatch(pattern);
});

/**
 * A fault is charged once (README): each example loses points on the functions at fault and only
 * there — a gradient is never charged for its loss's fault, nor a loss for its gradient's.
 */
test.each([
  ['grad-missing-1-over-n', GRADIENTS],
  ['flipped-sign-gradients', GRADIENTS],
  ['mse-half-convention', ['mse', 'mseGrad']],
  ['bce-logits-extra-sigmoid-slope', ['binaryCrossEntropyFromLogitsGrad']],
  // The column-wise log-softmax helper is used by three functions, and each returns wrong values.
  ['softmax-wrong-axis', ['softmax', 'categoricalCrossEntropyFromLogits', 'categoricalCrossEntropyFromLogitsGrad']],
  ['missing-exports', ['categoricalCrossEntropyGrad', 'classificationError']],
  ['infinite-loop', ['softmax']],
  [
    'numerically-naive',
    ['softmax', 'binaryCrossEntropy', 'binaryCrossEntropyGrad', 'binaryCrossEntropyFromLogits', 'categoricalCrossEntropy', 'categoricalCrossEntropyGrad', 'categoricalCrossEntropyFromLogits', 'categoricalCrossEntropyFromLogitsGrad'],
  ],
])('%s loses points on exactly the functions at fault', (id, functions) => {
  const r = result(id);
  const losing = new Set(r.tests.filter((t) => t.score < t.maxScore).map((t) => t.function));
  expect([...losing].sort()).toEqual([...functions].sort());
});

test('hidden and public tests are both present, with points adding up to 100', () => {
  const r = result('correct');
  expect(r.tests.some((t) => t.visibility === 'hidden')).toBe(true);
  expect(r.tests.some((t) => t.visibility === 'public')).toBe(true);
  expect(r.tests.reduce((s, t) => s + t.maxScore, 0)).toBe(100);
  expect(new Set(r.tests.map((t) => t.id)).size).toBe(r.tests.length);
});
