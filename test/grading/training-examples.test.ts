/**
 * Grades every example submission of the training assignment once, through the real CLI, and
 * checks that each is graded as its folder name says: the right tests fail, with the right
 * diagnosis, and every convergence test carries the loss curves (passes included). Each example
 * is held to the grading policy (README.md): its mistake costs the checks about it and nothing
 * else — the checks of the other facets pass.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SubmissionResult, TestResult } from '../../src/types';
import { ROOT, readResult, runCli, tempDir } from '../support/cli';

const EXAMPLES = path.join(ROOT, 'assignments', 'training', 'examples');
/** The TypeScript/JavaScript examples (their Python and notebook twins are checked in test/assignments/python-twins.test.ts). */
const TS_EXAMPLES = fs.readdirSync(EXAMPLES).filter((d) => ['train.ts', 'train.js'].some((f) => fs.existsSync(path.join(EXAMPLES, d, f))));

const TRAJECTORIES = ['trainBinary.trajectory.bce', 'trainBinary.trajectory.mse', 'trainBinary.trajectory.seeded', 'trainSoftmax.trajectory', 'trainSoftmax.trajectory.seeded'];
const SATURATED = ['trainBinary.saturated.mse', 'trainBinary.saturated.bce'];
const HELD_OUT = ['trainBinary.held-out.separable', 'trainBinary.held-out.noisy', 'trainSoftmax.held-out.separable', 'trainSoftmax.held-out.noisy'];
const MONOTONE = ['trainBinary.monotone', 'trainSoftmax.monotone'];
/** The checks of the result's shape and bookkeeping: no update-rule mistake may fail them. */
const BOOKKEEPING = ['interface', 'inputs-unchanged', 'history', 'loss', 'epochs'].flatMap((id) => [`trainBinary.${id}`, `trainSoftmax.${id}`]);

let out: string;
const result = (id: string): SubmissionResult => readResult(out, id);
const failedIds = (r: SubmissionResult) => r.tests.filter((t) => t.status !== 'passed').map((t) => t.id);
const byId = (r: SubmissionResult, id: string): TestResult => {
  const t = r.tests.find((x) => x.id === id);
  if (!t) throw new Error(`${r.submission}: no test ${id}`);
  return t;
};

beforeAll(() => {
  out = tempDir();
  const run = runCli(['grade', 'training', EXAMPLES, '--out', out]);
  // Jest may warn about a slow worker exit when the machine is overloaded; nothing else may appear.
  expect(run.stderr.replace(/A worker process has failed to exit gracefully[^\n]*\n?/g, '')).toBe('');
  expect(run.status).toBe(0);
});

test('every example folder gets a result.json: 100 points, unique ids, public and hidden tests', () => {
  const ids = TS_EXAMPLES;
  expect(ids.sort()).toEqual(['correct', 'correct-commonjs', 'gradient-ascent', 'history-off-by-one', 'lr-applied-twice', 'mse-without-sigmoid-slope', 'mutates-input', 'no-bias']);
  for (const id of ids) {
    const r = result(id);
    expect(r.assignment).toBe('training');
    expect(r.submission).toBe(id);
    expect(r.load.status).toBe('loaded');
    expect(r.maxScore).toBe(100);
    expect(r.tests.reduce((s, t) => s + t.maxScore, 0)).toBe(100);
    expect(r.score).toBe(r.tests.reduce((s, t) => s + t.score, 0));
    expect(new Set(r.tests.map((t) => t.id)).size).toBe(r.tests.length);
    expect(new Set(r.tests.map((t) => t.category))).toEqual(new Set(['interface', 'accuracy', 'convergence']));
    expect(r.tests.some((t) => t.visibility === 'hidden')).toBe(true);
  }
});

test('every convergence test records your history and the reference curve, on passes and failures', () => {
  for (const id of TS_EXAMPLES) {
    for (const t of result(id).tests.filter((x) => x.category === 'convergence')) {
      const labels = (t.details?.curves ?? []).map((c) => c.label);
      expect({ test: `${id} ${t.id}`, labels }).toEqual({ test: `${id} ${t.id}`, labels: expect.arrayContaining([expect.stringMatching(/^your history/), expect.stringMatching(/^reference/)]) });
      for (const curve of t.details!.curves!) expect(curve.values.every((v) => typeof v === 'number')).toBe(true);
    }
  }
});

test.each(['correct', 'correct-commonjs'])('%s scores full marks', (id) => {
  const r = result(id);
  expect(failedIds(r)).toEqual([]);
  expect(r.score).toBe(100);
});

test("correct reproduces the seed's lesson: from a saturated start MSE barely moves, cross-entropy escapes", () => {
  const r = result('correct');
  const curve = (id: string, label: string) => byId(r, id).details!.curves!.find((c) => c.label === label)!.values;
  const mse = curve('trainBinary.saturated.mse', 'your history');
  const bce = curve('trainBinary.saturated.bce', 'your history');
  expect(mse).toHaveLength(151);
  expect(mse[150] / mse[0]).toBeGreaterThan(0.99); // MSE falls by less than 1 %
  expect(bce[150]).toBeLessThan(0.05); // cross-entropy: output σ(z) from 0.9975 to below 0.05
  // The contrast is plotted in both tests: the other loss from the same start.
  expect(curve('trainBinary.saturated.mse', "reference with loss 'bce' (same start)")).toHaveLength(151);
  expect(curve('trainBinary.saturated.bce', "reference with loss 'mse' (same start)")).toHaveLength(151);
});

test('gradient-ascent: every convergence test fails, diagnosed as gradient ascent', () => {
  const r = result('gradient-ascent');
  expect(new Set(failedIds(r))).toEqual(new Set([...TRAJECTORIES, ...SATURATED, ...HELD_OUT, ...MONOTONE]));
  for (const id of [...TRAJECTORIES, ...SATURATED, ...HELD_OUT, ...MONOTONE]) expect(byId(r, id).diagnosis).toMatch(/exactly −1× the reference step: .*gradient ascent/);
  const trajectory = byId(r, 'trainBinary.trajectory.bce');
  expect(trajectory.message).toMatch(/history\[0\] matches but history\[1\] = [\d.]+ vs expected [\d.]+: your first update is wrong/);
  expect(trajectory.details?.comparison?.worstIndex).toBe(1);
  expect(byId(r, 'trainBinary.monotone').message).toMatch(/the loss rises at update 1/);
  // Held-out numbers are computed by the grader from the returned parameters.
  const heldOut = byId(r, 'trainBinary.held-out.separable');
  expect(heldOut.message).toMatch(/classification error on a held-out set .* 100 % — must be ≤ 1 %/);
  expect(heldOut.details?.comparison?.got).toEqual(expect.objectContaining({ heldOutError: 1 }));
  // The update is wrong, not the bookkeeping: every check of the other facets passes.
  for (const id of BOOKKEEPING) expect(byId(r, id).status).toBe('passed');
  expect(r.score).toBe(30);
});

test('no-bias: trajectories and the saturated pair fail with "b never changes from b0"', () => {
  const r = result('no-bias');
  expect(new Set(failedIds(r))).toEqual(new Set([...TRAJECTORIES, ...SATURATED, 'trainSoftmax.held-out.noisy']));
  for (const id of failedIds(r)) expect(byId(r, id).diagnosis).toMatch(/^b never changes from b0 .*the bias gradient ∂L\/∂b = Σ_i ∂L\/∂z_i is missing/);
  for (const id of [...BOOKKEEPING, ...MONOTONE]) expect(byId(r, id).status).toBe('passed');
  expect(r.score).toBe(52);
});

test('lr-applied-twice: trajectories fail with the 2× step diagnosis; held-out and monotone pass', () => {
  const r = result('lr-applied-twice');
  expect(new Set(failedIds(r))).toEqual(new Set([...TRAJECTORIES, ...SATURATED]));
  for (const id of failedIds(r)) expect(byId(r, id).diagnosis).toMatch(/exactly 2× the reference step: the learning rate step is applied twice/);
  expect(r.score).toBe(57);
});

test('mse-without-sigmoid-slope: only the MSE runs fail, told that σ′(z) is missing', () => {
  const r = result('mse-without-sigmoid-slope');
  expect(failedIds(r).sort()).toEqual(['trainBinary.saturated.mse', 'trainBinary.trajectory.mse']);
  for (const id of failedIds(r)) expect(byId(r, id).diagnosis).toMatch(/^Your MSE updates are those of the gradient without σ′\(z\)/);
  // The saturated test contrasts the reference's stuck MSE with the student's escaping one.
  expect(byId(r, 'trainBinary.saturated.mse').message).toMatch(/the reference's MSE falls by only [\d.]+ % in 150 epochs .* while yours falls by 99\.\d+ %: your MSE escapes the plateau/);
  expect(r.score).toBe(88);
});

test('mutates-input: only inputs-unchanged fails, naming the changed entry and how to copy', () => {
  const r = result('mutates-input');
  expect(failedIds(r).sort()).toEqual(['trainBinary.inputs-unchanged', 'trainSoftmax.inputs-unchanged']);
  const binary = byId(r, 'trainBinary.inputs-unchanged');
  expect(binary.message).toMatch(/modified its inputs: opts\.w0\[0\] was -?[\d.]+ before the call and -?[\d.]+ after it/);
  expect(binary.diagnosis).toMatch(/You updated opts\.w0 in place.*const w = opts\.w0\.slice\(\)/);
  const softmax = byId(r, 'trainSoftmax.inputs-unchanged');
  expect(softmax.message).toMatch(/opts\.W0\[0\]\[0\] was/);
  expect(softmax.diagnosis).toMatch(/copies the outer array but shares its rows/);
  expect(r.score).toBe(94);
});

test('history-off-by-one: only the history checks fail; its correct parameters and convergence keep their points', () => {
  const r = result('history-off-by-one');
  const failing = ['trainBinary.history', 'trainSoftmax.history'];
  expect(new Set(failedIds(r))).toEqual(new Set(failing));
  expect(byId(r, 'trainBinary.history').message).toMatch(/your history has 3 values; with epochs = 3 it must have epochs \+ 1 = 4/);
  for (const id of failing) expect(byId(r, id).diagnosis).toMatch(/one value short .* while your parameters are those after every update: you record the loss before each update/);
  for (const id of [...TRAJECTORIES, ...SATURATED, ...HELD_OUT, ...MONOTONE, 'trainBinary.interface', 'trainBinary.epochs', 'trainBinary.loss']) expect(byId(r, id).status).toBe('passed');
  expect(r.score).toBe(94);
});
