/**
 * Grades the training assignment's mutants (assignments/training/mutants.ts) as ordinary
 * submissions through the real CLI, in one run: the unmutated reference must score 100, every
 * mutant must be caught, and each mistake must cost exactly the checks about it (the grading
 * policy, README.md) — no more, no fewer — with a diagnosis that names it.
 */
import { ROOT, readResult, runCli, tempDir } from '../support/cli';
import { mutantNames, writeMutantSubmissions } from '../support/mutantSubmissions';
import type { SubmissionResult } from '../../src/types';

const B = (ids: string[]) => ids.map((id) => `trainBinary.${id}`);
const S = (ids: string[]) => ids.map((id) => `trainSoftmax.${id}`);
const UPDATE_RULE = [...B(['trajectory.bce', 'trajectory.mse', 'trajectory.seeded', 'saturated.mse', 'saturated.bce']), ...S(['trajectory', 'trajectory.seeded'])];

/** Every mutant: the checks it must fail (all others must pass) and what the diagnosis of its first failure says. */
const EXPECTED: Record<string, { fails: string[]; diagnosis: RegExp }> = {
  'gradient-ascent': { fails: [...UPDATE_RULE, ...B(['monotone', 'held-out.separable', 'held-out.noisy']), ...S(['monotone', 'held-out.separable', 'held-out.noisy'])], diagnosis: /exactly −1× the reference step: .*gradient ascent/ },
  'lr-applied-twice': { fails: UPDATE_RULE, diagnosis: /exactly 2× the reference step: the learning rate step is applied twice/ },
  'sum-instead-of-mean': { fails: [...B(['trajectory.bce', 'trajectory.mse', 'trajectory.seeded', 'held-out.noisy']), ...S(['trajectory', 'trajectory.seeded', 'held-out.noisy'])], diagnosis: /N× the reference step \(N = 40 samples\): the gradient sums over the samples/ },
  'no-bias': { fails: [...UPDATE_RULE, ...S(['held-out.noisy'])], diagnosis: /^b never changes from b0/ },
  'bias-sign': { fails: [...UPDATE_RULE, ...B(['monotone', 'held-out.noisy']), ...S(['monotone', 'held-out.noisy'])], diagnosis: /your bias moves by exactly −1× the reference's step: the bias update has the wrong sign/ },
  'mse-without-sigmoid-slope': { fails: B(['trajectory.mse', 'saturated.mse']), diagnosis: /^Your MSE updates are those of the gradient without σ′\(z\)/ },
  'bce-gradient-for-mse': { fails: B(['trajectory.mse', 'saturated.mse']), diagnosis: /your update ignores opts\.loss/ },
  'lr-decay': { fails: UPDATE_RULE, diagnosis: /^Your second update is 0\.952× the step your trainer takes from the same parameters in a fresh run .*learning-rate decay/ },
  'weight-decay': { fails: UPDATE_RULE, diagnosis: /^Your first update is the reference's plus a pull of every weight toward 0 \(−η·λ·w with λ ≈ 0\.01\): weight decay/ },
  momentum: { fails: [...UPDATE_RULE, ...B(['monotone']), ...S(['monotone'])], diagnosis: /^Your second update is the gradient step plus 0\.9× your previous update .*momentum/ },
  'stale-gradient': { fails: [...UPDATE_RULE, ...B(['monotone', 'held-out.noisy']), ...S(['monotone', 'held-out.noisy'])], diagnosis: /^Your second update repeats your previous update exactly.*not recomputed/ },
  'early-stopping': { fails: [...B(['epochs']), ...S(['epochs'])], diagnosis: /stops before epochs updates when the loss .* stops changing.*no early stopping/ },
  'one-update-short': { fails: [...B(['history']), ...S(['history'])], diagnosis: /your parameters are those after epochs − 1 updates: your loop does one update too few/ },
  'history-off-by-one': { fails: [...B(['history']), ...S(['history'])], diagnosis: /equals the reference without its first value: history\[0\] must be the loss at the initial parameters/ },
  'history-recorded-before-update': { fails: [...B(['history']), ...S(['history'])], diagnosis: /you record the loss before each update/ },
  'returns-before-last-update': { fails: [...B(['history']), ...S(['history'])], diagnosis: /^You return the parameters from before the last update/ },
  'history-wrong-loss': { fails: B(['loss']), diagnosis: /holds the 'bce' loss, but opts\.loss asked for 'mse'/ },
  'loss-from-probabilities': { fails: [...B(['loss']), ...S(['loss'])], diagnosis: /log\(0\) .*Compute the loss from the logits/ },
  'mutates-input': { fails: [...B(['inputs-unchanged']), ...S(['inputs-unchanged'])], diagnosis: /You updated opts\.w0 in place/ },
  'shares-W0-rows': { fails: S(['inputs-unchanged']), diagnosis: /opts\.W0\.slice\(\)`, which copies the outer array but shares its rows/ },
};

let out: string;
const result = (id: string): SubmissionResult => readResult(out, id);
const failed = (r: SubmissionResult) => r.tests.filter((t) => t.status !== 'passed');

beforeAll(() => {
  const dir = tempDir('mlgrade-training-mutants-');
  writeMutantSubmissions('training', dir, 'train.js', ['trainBinary', 'trainSoftmax']);
  out = tempDir();
  const run = runCli(['grade', 'training', dir, '--out', out], { cwd: ROOT });
  expect(run.status).toBe(0);
});

test('every mutant of mutants.ts has an expectation here', () => {
  expect(mutantNames('training').sort()).toEqual(Object.keys(EXPECTED).sort());
});

test('the unmutated reference scores 100', () => {
  expect(failed(result('reference-solution')).map((t) => t.id)).toEqual([]);
  expect(result('reference-solution').score).toBe(100);
});

test.each(Object.keys(EXPECTED))('%s is caught by exactly the checks about its mistake, with its diagnosis', (name) => {
  const r = result(name);
  const expected = EXPECTED[name];
  expect(r.score).toBeLessThan(100);
  expect(failed(r).map((t) => t.id).sort()).toEqual([...expected.fails].sort());
  expect(failed(r).every((t) => t.status === 'failed')).toBe(true);
  expect(failed(r)[0].diagnosis).toMatch(expected.diagnosis);
});
