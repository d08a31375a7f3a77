/**
 * What a student reads on their pull request or commit: the public failure in full with its
 * likely cause; a hidden test by name, points and pass/fail only — a canary planted in a hidden
 * test's message, inputs, expected and got values and call must never appear; the marker that
 * finds the comment again; the commit graded; GitHub's size limit; the status.
 */
import { COMMENT_MAX_CHARS, commentMarker, commitStatus, studentComment } from '../../src/classroom/comment';
import type { SubmissionResult, TestResult } from '../../src/types';
import { PUBLIC_DIAGNOSIS, SECRET, loadFailedResult, perfectResult, sampleResult } from '../reports/fixtures';

const ASSIGNMENT = { id: 'losses', title: 'Losses and gradients' };
const COMMIT = '47c7f32bc7fbb31cb6e92c4c2f34a070aa5031b6';
const CANARY = {
  message: 'CANARY-msg-91f3',
  call: 'CANARY-call-91f3',
  input: 271828.1828459,
  expected: 314159.2653589,
  got: 161803.3988749,
  inputKey: 'CANARY_key_91f3',
};

/** A hidden test that failed, with the canary in everything a student must not see. */
function canaryTest(): TestResult {
  return {
    id: 'bce.accuracy.seeded',
    name: 'matches the reference on seeded inputs',
    function: 'binaryCrossEntropy',
    category: 'accuracy',
    points: 2,
    visibility: 'hidden',
    status: 'failed',
    score: 0,
    maxScore: 2,
    message: `binaryCrossEntropy(yTrue, p) ${CANARY.message}: expected ${CANARY.expected}, got ${CANARY.got} at input ${CANARY.input}`,
    details: {
      comparison: {
        call: `binaryCrossEntropy(yTrue, p) ${CANARY.call}`,
        inputs: { [CANARY.inputKey]: [CANARY.input, 0.5] },
        expected: CANARY.expected,
        got: CANARY.got,
        worstExpected: CANARY.expected,
        worstGot: CANARY.got,
        absDiff: 152355.8664840,
      },
    },
  };
}

function withCanary(): SubmissionResult {
  const base = sampleResult();
  const tests = [...base.tests, canaryTest()];
  return { ...base, tests, score: tests.reduce((s, t) => s + t.score, 0), maxScore: tests.reduce((s, t) => s + t.maxScore, 0) };
}

const canaryStrings = () => [CANARY.message, CANARY.call, CANARY.inputKey, String(CANARY.input), String(CANARY.expected), String(CANARY.got), '271828', '314159', '161803'];

describe('studentComment', () => {
  test('starts with the marker, tells the score and names the commit and pull request', () => {
    const body = studentComment(withCanary(), ASSIGNMENT, { commit: COMMIT, pullRequest: { number: 3 } });
    expect(body.startsWith(`${commentMarker('losses')}\n`)).toBe(true);
    expect(commentMarker('losses')).toBe('<!-- mlgrade:losses -->');
    expect(body).toContain('## mlgrade — Losses and gradients (losses)');
    expect(body).toMatch(/### alice: 6\/16 points \(37.5%\)/);
    expect(body).toContain('commit `47c7f32`, the head of pull request #3');
    expect(studentComment(withCanary(), ASSIGNMENT, { commit: COMMIT, branch: 'main' })).toContain('commit `47c7f32`, the latest of `main`');
  });

  test('a public failure shows its full message and likely cause', () => {
    const body = studentComment(withCanary(), ASSIGNMENT, { commit: COMMIT, branch: 'main' });
    expect(body).toContain('##### `mseGrad` › equals (2/N)(yPred − yTrue) — ❌ 0/3 pt');
    expect(body).toContain(`**Likely cause:** ${PUBLIC_DIAGNOSIS}`);
    expect(body).toContain('Worst element 5: expected -0.598984, got -4.791872');
    expect(body).toContain('mseGrad(yTrue, yPred) — seeded, N = 8 (seed 22) is not close enough to the expected value.');
  });

  test('a hidden test shows its name, points and pass/fail, never its message, inputs, expected or got values', () => {
    const body = studentComment(withCanary(), ASSIGNMENT, { commit: COMMIT, pullRequest: { number: 1 } });
    expect(body).toContain('| matches the reference on seeded inputs _(hidden)_ | ❌ | 0/2 |');
    expect(body).toContain('- ❌ `binaryCrossEntropy` › matches the reference on seeded inputs (0/2 pt)');
    for (const secret of canaryStrings()) expect(body).not.toContain(secret);
    // The shared fixture's hidden failure and hidden pass, and captured output (instructor only), stay out too.
    for (const secret of [SECRET.message, SECRET.call, String(SECRET.input), String(SECRET.expected), String(SECRET.got), SECRET.output, SECRET.curveLabel, 'hidden-pass-message-marker']) {
      expect(body).not.toContain(secret);
    }
  });

  test('a submission that did not load says why; files not fetched are listed in the student\'s words', () => {
    const body = studentComment(loadFailedResult('bob'), ASSIGNMENT, { commit: COMMIT, branch: 'main', skipped: ['data/link.ts: symbolic link: not fetched'] });
    expect(body).toContain('**Your submission could not be loaded:** the code has a syntax error (`syntax`)');
    expect(body).toContain("losses.ts:30:39 - syntax error: ')' expected.");
    expect(body).toContain('#### Not graded from your repository');
    expect(body).toContain('- data/link.ts: symbolic link: not fetched');
  });

  test('the same result and commit give the same text (no timestamp), so an unchanged comment is left alone', () => {
    const target = { commit: COMMIT, pullRequest: { number: 1 } };
    expect(studentComment(withCanary(), ASSIGNMENT, target)).toBe(studentComment({ ...withCanary(), gradedAt: '2030-01-01T00:00:00.000Z', durationMs: 9 }, ASSIGNMENT, target));
  });

  test("fits GitHub's 65,536-character comment limit when the messages are long", () => {
    const long = sampleResult();
    const tests = Array.from({ length: 120 }, (_, i): TestResult => ({ ...long.tests[2], id: `t${i}`, name: `test ${i}`, message: `${'x'.repeat(7000)}\n${'y'.repeat(900)}` }));
    const body = studentComment({ ...long, tests, maxScore: 360, score: 0 }, ASSIGNMENT, { commit: COMMIT, branch: 'main' });
    expect(body.length).toBeLessThanOrEqual(COMMENT_MAX_CHARS);
    expect(body).toContain('### alice: 0/360 points');
    expect(body).toContain('Graded at commit');
    // Thousands of tests: even the table would not fit, so the comment gives the score and says where the report is.
    const many = Array.from({ length: 3000 }, (_, i): TestResult => ({ ...long.tests[0], id: `m${i}`, name: `test number ${i}` }));
    const short = studentComment({ ...long, tests: many, maxScore: 3000, score: 3000 }, ASSIGNMENT, { commit: COMMIT, branch: 'main' });
    expect(short.length).toBeLessThanOrEqual(COMMENT_MAX_CHARS);
    expect(short.startsWith(commentMarker('losses'))).toBe(true);
    expect(short).toContain('3000/3000 points (100%)');
    expect(short).toContain('The full report is too long for a comment');
  });
});

describe('commitStatus', () => {
  test('success from --min-score on (default: every test passed); the description gives the score', () => {
    expect(commitStatus(perfectResult(), 'losses')).toEqual({ state: 'success', context: 'mlgrade/losses', description: '14/14 points (100%)' });
    expect(commitStatus(withCanary(), 'losses')).toEqual({ state: 'failure', context: 'mlgrade/losses', description: '6/16 points (37.5%)' });
    expect(commitStatus(withCanary(), 'losses', 37.5).state).toBe('success');
    expect(commitStatus(withCanary(), 'losses', 100, 'https://github.com/o/r/pull/1#issuecomment-9')).toMatchObject({ target_url: 'https://github.com/o/r/pull/1#issuecomment-9' });
  });

  test('a submission that did not load fails with the reason, within 140 characters', () => {
    const status = commitStatus(loadFailedResult(), 'losses', 0);
    expect(status.state).toBe('failure');
    expect(status.description).toBe('0/14 points (0%): could not load, the code has a syntax error');
    expect(status.description.length).toBeLessThanOrEqual(140);
  });
});
