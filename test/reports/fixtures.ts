/**
 * Hand-made results for the HTML report tests: a submission with a public numeric failure, a
 * hidden failure whose input, expected and got values are distinctive (so a leak is easy to
 * find in the HTML), a convergence test with loss curves, captured output; and one that did not
 * load.
 */
import type { SubmissionResult, TestResult } from '../../src/types';

/** Values that must never reach a student's page. */
export const SECRET = {
  input: 123.456789,
  expected: 98.7654321,
  got: 55.5551234,
  message: 'hidden-message-marker: seeded, N = 41 (seed 24)',
  call: 'mseGrad(yTrue, yPred) — seeded, N = 41 (seed 24) hidden-call-marker',
  output: 'captured-output-marker: printing my answers 100/100',
  curveLabel: 'hidden-curve-marker',
};

export const HIDDEN_DIAGNOSIS = 'Your gradient is 41.00× the expected value at every element, and N = 41: did you sum over the batch instead of taking the mean (divide by N)?';
export const PUBLIC_DIAGNOSIS = 'Your gradient is 8.00× the expected value at every element, and N = 8: did you sum over the batch instead of taking the mean (divide by N)?';

const base = { durationMs: 3 } as const;

/** Reference loss: exponential decay; the student's diverges after step 30 and ends in NaN. */
export function sampleCurves(steps = 60): { label: string; values: number[] }[] {
  const reference = Array.from({ length: steps }, (_, i) => 0.05 + 0.65 * Math.exp(-i / 12));
  const student = Array.from({ length: steps }, (_, i) => (i < 30 ? 0.05 + 0.65 * Math.exp(-i / 20) : i < steps - 3 ? 0.3 * Math.exp((i - 30) / 4) : Number.NaN));
  return [
    { label: 'your loss', values: student },
    { label: 'reference loss', values: reference },
  ];
}

export function sampleTests(): TestResult[] {
  return [
    { ...base, id: 'mse.interface', name: 'exists and returns the right type and shape', function: 'mse', category: 'interface', points: 1, visibility: 'public', status: 'passed', score: 1, maxScore: 1, message: '' },
    { ...base, id: 'mse.accuracy.hand', name: 'is the mean of squared errors', function: 'mse', category: 'accuracy', points: 2, visibility: 'public', status: 'passed', score: 2, maxScore: 2, message: '' },
    {
      ...base,
      id: 'mseGrad.gradient.reference',
      name: 'equals (2/N)(yPred − yTrue)',
      function: 'mseGrad',
      category: 'gradient',
      points: 3,
      visibility: 'public',
      status: 'failed',
      score: 0,
      maxScore: 3,
      message: `mseGrad(yTrue, yPred) — seeded, N = 8 (seed 22) is not close enough to the expected value.\nWorst element 5: expected -0.598984, got -4.791872\nHint: ${PUBLIC_DIAGNOSIS}`,
      diagnosis: PUBLIC_DIAGNOSIS,
      details: {
        comparison: {
          call: 'mseGrad(yTrue, yPred) — seeded, N = 8 (seed 22)',
          inputs: { yTrue: [0.73, -1.58, -1.65, -1.77, -0.81, 2.38, -0.33, 1.04], yPred: [1.47, -2.9, -2.36, -2.19, -1.9, -0.01, -2.07, 0.31] },
          expected: [0.184, -0.33, -0.177, -0.106, -0.273, -0.598984, -0.437, -0.182],
          got: [1.47, -2.64, -1.41, -0.85, -2.18, -4.791872, -3.49, -1.45],
          worstIndex: 5,
          worstExpected: -0.598984,
          worstGot: -4.791872,
          absDiff: 4.192888,
          relDiff: 7,
          mismatched: 8,
          total: 8,
          tolerance: { rtol: 1e-5, atol: 1e-8 },
        },
      },
    },
    {
      ...base,
      id: 'mseGrad.gradient.seeded',
      name: 'matches the reference on a larger seeded batch',
      function: 'mseGrad',
      category: 'gradient',
      points: 2,
      visibility: 'hidden',
      status: 'error',
      score: 0,
      maxScore: 2,
      message: `${SECRET.message}\nWorst element 0: expected ${SECRET.expected}, got ${SECRET.got}\nHint: ${HIDDEN_DIAGNOSIS}`,
      diagnosis: HIDDEN_DIAGNOSIS,
      details: {
        comparison: {
          call: SECRET.call,
          inputs: { yTrue: [SECRET.input, 1, 2], yPred: [0, 0, 0] },
          expected: [SECRET.expected, 1, 2],
          got: [SECRET.got, 1, 2],
          worstIndex: 0,
          worstExpected: SECRET.expected,
          worstGot: SECRET.got,
          absDiff: 43.2103087,
          relDiff: 0.4375,
          mismatched: 1,
          total: 3,
          tolerance: { rtol: 1e-5, atol: 1e-8 },
        },
        curves: [{ label: SECRET.curveLabel, values: [1, 0.5, 0.25] }],
      },
    },
    { ...base, id: 'mse.accuracy.seeded', name: 'matches the reference on seeded inputs', function: 'mse', category: 'accuracy', points: 2, visibility: 'hidden', status: 'passed', score: 2, maxScore: 2, message: 'hidden-pass-message-marker' },
    {
      ...base,
      id: 'train.convergence.loss',
      name: 'training reduces the loss like the reference',
      function: 'train',
      category: 'convergence',
      points: 4,
      visibility: 'public',
      status: 'failed',
      score: 1,
      maxScore: 4,
      message: 'train(data, { lr: 0.5, epochs: 60 }): the loss rose after step 30 and became NaN at step 57.',
      diagnosis: 'Your loss diverges: the learning rate is too large for this step rule, or the update has the wrong sign.',
      details: { curves: sampleCurves() },
    },
  ];
}

/** A loaded submission with a public failure, a hidden failure, a failing convergence test and output. */
export function sampleResult(overrides: Partial<SubmissionResult> = {}): SubmissionResult {
  const tests = sampleTests();
  return {
    submission: 'alice',
    assignment: 'losses',
    score: tests.reduce((s, t) => s + t.score, 0),
    maxScore: tests.reduce((s, t) => s + t.maxScore, 0),
    tests,
    load: { status: 'loaded', entry: 'losses.ts', exports: ['mse', 'mseGrad', 'train'] },
    isolation: { process: 'child-process', permissionModel: true, network: 'namespace', memoryLimitMb: 256, callTimeoutMs: 2000, scrubbedEnv: true },
    output: { text: `${SECRET.output}\n<script>alert("x")</script>`, bytes: 80, truncated: true },
    scope: 'all',
    graderVersion: '0.1.0+test',
    contentHash: 'abc123',
    gradedAt: '2026-11-25T14:00:00.000Z',
    durationMs: 1234,
    ...overrides,
  };
}

/** A submission that did not load: every test is an error scoring 0. */
export function loadFailedResult(submission = 'bob'): SubmissionResult {
  const message = "losses.ts:30:39 - syntax error: ')' expected.";
  const tests = sampleTests().map((t): TestResult => ({ ...t, status: 'error', score: 0, diagnosis: undefined, details: {}, message: `The submission could not be loaded, so nothing in it could be graded: ${message}` }));
  return sampleResult({ submission, tests, score: 0, load: { status: 'failed', reason: 'syntax', message }, output: undefined });
}

/** A submission whose tests all passed. */
export function perfectResult(submission = 'carol'): SubmissionResult {
  const tests = sampleTests().map((t): TestResult => ({ ...t, status: 'passed', score: t.maxScore, diagnosis: undefined, details: t.details?.curves ? { curves: t.details.curves } : undefined, message: '' }));
  return sampleResult({ submission, tests, score: tests.reduce((s, t) => s + t.score, 0), output: { text: '', bytes: 0, truncated: false } });
}
