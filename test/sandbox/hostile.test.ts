/**
 * Hostile submissions fail alone: graded as one batch together with a correct submission, each
 * attack is contained, and nobody else's grade changes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { resultPath } from '../../reports/json';
import type { SubmissionResult } from '../../src/types';
import { EXAMPLES, ROOT, readResult, runCli, tempDir, testsOf } from '../support/cli';

const HOSTILE = path.join(ROOT, 'test', 'fixtures', 'hostile');
const GRADIENTS = ['mseGrad', 'binaryCrossEntropyGrad', 'binaryCrossEntropyFromLogitsGrad', 'categoricalCrossEntropyGrad', 'categoricalCrossEntropyFromLogitsGrad'];
const PWNED = '/tmp/mlgrade-pwned.txt';

let out: string;
const result = (id: string): SubmissionResult => readResult(out, id);
const failingFunctions = (r: SubmissionResult) => [...new Set(r.tests.filter((t) => t.status !== 'passed').map((t) => t.function))].sort();
/**
 * mseGrad is right in these fixtures: its finite-difference check, which calls the student's own
 * mse, does not charge it for mse's fault (a fault is charged once).
 */
const expectMseGradSpared = (r: SubmissionResult) => {
  expect(testsOf(r, 'mseGrad').filter((t) => t.status !== 'passed').map((t) => t.id)).toEqual([]);
};

/** Attacks on time: graded in class.test.ts with tight limits (here each would hold the batch for a minute). */
const SLEEPING = ['sleeps-at-import', 'sleeps-at-import-and-every-call', 'sleeps-in-every-call'];

beforeAll(() => {
  const batch = tempDir('mlgrade-hostile-');
  for (const name of fs.readdirSync(HOSTILE).filter((name) => !SLEEPING.includes(name))) fs.cpSync(path.join(HOSTILE, name), path.join(batch, name), { recursive: true });
  for (const name of ['correct', 'infinite-loop', 'exit-at-import']) fs.cpSync(path.join(EXAMPLES, name), path.join(batch, name), { recursive: true });
  fs.rmSync(PWNED, { force: true });
  out = tempDir();
  // One jest test file for all of them: the attacks share a grader worker with the correct one.
  const run = runCli(['grade', 'losses', batch, '--out', out, '--batch-size', '50'], { env: { GITHUB_TOKEN: 'ghp_secret_token_for_test', MLGRADE_SECRET_PROBE: 'secret' } });
  expect(run.status).toBe(0);
});

test('a correct submission graded in the same batch as every attack still gets full marks', () => {
  expect(result('correct').score).toBe(100);
  expect(failingFunctions(result('correct'))).toEqual([]);
});

test('memory bomb: that function errors with the memory limit named, the rest is graded', () => {
  const r = result('memory-bomb');
  expect(failingFunctions(r)).toEqual(['mse']);
  expectMseGradSpared(r);
  for (const t of testsOf(r, 'mse')) {
    expect(t.status).toBe('error');
    expect(t.message).toMatch(/memory limit \(256 MB\) was hit/);
  }
});

test('reading outside the folder and writing anywhere are denied', () => {
  const r = result('reads-outside-folder');
  expect(failingFunctions(r)).toEqual(['mse', 'mseGrad']);
  for (const t of [...testsOf(r, 'mse'), ...testsOf(r, 'mseGrad')]) {
    expect(t.status).toBe('error');
    expect(t.message).toMatch(/Access to this API has been restricted/);
    expect(t.message).toMatch(/sandbox/);
  }
  expect(fs.existsSync(PWNED)).toBe(false);
});

test('child processes and workers are denied', () => {
  const r = result('spawns-child-process');
  expect(failingFunctions(r)).toEqual(['mse', 'sigmoid']);
  expectMseGradSpared(r);
  expect(testsOf(r, 'mse').every((t) => t.status === 'error' && /restricted/.test(t.message))).toBe(true);
  expect(testsOf(r, 'sigmoid').every((t) => t.status === 'error' && /restricted/.test(t.message))).toBe(true);
});

test('the submission sees a scrubbed environment (no GITHUB_TOKEN, no secrets)', () => {
  const r = result('reads-env');
  expect(r.score).toBe(100);
  expect(r.isolation?.scrubbedEnv).toBe(true);
});

test('tampering with Math, Object.is, Array.prototype, JSON, expect and test changes no grade', () => {
  const r = result('tampers-globals');
  expect(failingFunctions(r)).toEqual([...GRADIENTS].sort());
  for (const fn of GRADIENTS) {
    const t = r.tests.find((x) => x.id === `${fn}.gradient.reference`)!;
    expect(t.status).toBe('failed');
    expect(t.diagnosis).toMatch(/3\.000× the expected size/);
  }
});

test('fake output never affects a grade; it is captured, capped and noted as truncated', () => {
  const r = result('fake-output');
  expect(failingFunctions(r)).toEqual(['mseGrad']);
  expect(r.score).toBeLessThan(100);
  expect(r.output?.truncated).toBe(true);
  expect(Buffer.byteLength(r.output!.text)).toBeLessThanOrEqual(64 * 1024);
  expect(r.output!.bytes).toBeGreaterThan(64 * 1024);
  expect(r.output!.text).toMatch(/PASS all tests 100\/100/);
});

test('weird returns fail their interface tests naming what came back', () => {
  const r = result('weird-returns');
  const iface = (fn: string) => r.tests.find((t) => t.id === `${fn}.interface`)!;
  expect(iface('sigmoid').message).toMatch(/returned a Promise/);
  expect(iface('softmax').message).toMatch(/returned a Proxy/);
  expect(iface('mse').message).toMatch(/object with keys \{valueOf\}/);
  expect(iface('mseGrad').message).toMatch(/Float64Array.*plain array/);
  expect(iface('binaryCrossEntropy').message).toMatch(/NaN/);
  expect(iface('binaryCrossEntropyGrad').message).toMatch(/length 1 \(expected 2\)/);
  expect(iface('classificationError').message).toMatch(/a string "0"/);
  for (const fn of ['sigmoid', 'softmax', 'mse', 'mseGrad', 'binaryCrossEntropy', 'binaryCrossEntropyGrad', 'classificationError']) {
    expect(iface(fn).status).toBe('failed');
  }
  expect(failingFunctions(r)).toEqual(['binaryCrossEntropy', 'binaryCrossEntropyGrad', 'classificationError', 'mse', 'mseGrad', 'sigmoid', 'softmax']);
});

test('errors with 1–100 MB of text: short messages, small result files', () => {
  const r = result('huge-error-message');
  expect(failingFunctions(r)).toEqual(['binaryCrossEntropy', 'classificationError', 'mse', 'sigmoid', 'softmax']);
  for (const t of r.tests.filter((x) => x.status !== 'passed')) {
    expect(t.status).toBe('error');
    expect(t.message.length).toBeLessThan(2500);
  }
  expect(testsOf(r, 'mse')[0].message).toMatch(/threw Error: x+… \(104855600 more characters\)/);
  expect(fs.statSync(resultPath(out, 'huge-error-message')).size).toBeLessThan(200_000);
});

test('returns over the reply cap fail their checks as too large; the rest is graded', () => {
  const r = result('huge-return');
  expect(failingFunctions(r)).toEqual(['mse', 'sigmoid']);
  expectMseGradSpared(r);
  for (const t of [...testsOf(r, 'mse'), ...testsOf(r, 'sigmoid')]) expect(t.message).toMatch(/returned a value too large to send back \(.* MB or more once encoded; the limit is 16 MB\)/);
});

test('raw frames on the reply channel: only the functions that wrote them fail', () => {
  const r = result('raw-frame');
  expect(failingFunctions(r)).toEqual(['mse', 'sigmoid', 'softmax']);
  expectMseGradSpared(r);
  expect(testsOf(r, 'mse')[0].message).toMatch(/sent a message of 2048 MB, more than the limit of 16 MB/);
  expect(testsOf(r, 'softmax')[0].message).toMatch(/malformed message/);
});

test('output floods stop the process; the captured output stays at 64 KiB', () => {
  const r = result('floods-output');
  expect(failingFunctions(r)).toEqual(['mse', 'sigmoid']);
  expectMseGradSpared(r);
  expect(testsOf(r, 'sigmoid')[0].message).toMatch(/printed more than 8 MB \(stdout and stderr together\), so the process was stopped/);
  // Drained up to the flood cap in each of the submission's two sandboxes (public, hidden) at most.
  expect(r.output!.bytes).toBeGreaterThan(8 * 1024 * 1024);
  expect(r.output!.bytes).toBeLessThan(2 * 10 * 1024 * 1024);
  expect(Buffer.byteLength(r.output!.text)).toBeLessThanOrEqual(64 * 1024);
});

test('an honest submission out of memory in 7 functions stays loaded and keeps the points of the rest', () => {
  const r = result('honest-oom');
  expect(r.load.status).toBe('loaded');
  const oom = ['binaryCrossEntropy', 'binaryCrossEntropyFromLogits', 'categoricalCrossEntropy', 'classificationError', 'mse', 'sigmoid', 'softmax'];
  // The gradients are right: their finite-difference checks do not charge them for their losses' fault.
  expect(failingFunctions(r)).toEqual([...oom].sort());
  for (const fn of oom) for (const t of testsOf(r, fn)) expect(t.message).toMatch(/memory limit \(256 MB\) was hit/);
  expect(r.tests.filter((t) => t.status === 'passed').length).toBeGreaterThan(20);
  expect(r.score).toBeGreaterThan(30);
});

test('a Unix socket of the machine is out of reach and costs nothing', () => {
  expect(result('unix-socket').score).toBe(100);
});

test('an endless loop and an exit at import in the same batch only hurt themselves', () => {
  expect(result('infinite-loop').tests.filter((t) => t.status === 'timeout').every((t) => t.function === 'softmax')).toBe(true);
  expect(result('exit-at-import').score).toBe(0);
});

test('each result records the isolation in force', () => {
  const r = result('correct');
  expect(r.isolation).toMatchObject({ process: 'child-process', permissionModel: true, memoryLimitMb: 256, callTimeoutMs: 2000, scrubbedEnv: true });
  expect(['namespace', 'not-isolated']).toContain(r.isolation!.network);
});
