/**
 * The diagnoses of src/suite/diagnosis.ts state a cause only when the measured facts support it:
 * every factor that fits the actual shapes is named (N = K and N = 2 are ambiguous and say so),
 * non-finite results are explained by what the input holds, and a known wrong formula is named
 * only when the value matches it exactly.
 */
import {
  diagnoseGradient,
  diagnoseLossRatio,
  diagnoseNonFinite,
  factorExplanations,
  matchKnownMistake,
} from '../../src/suite/diagnosis';
import { withinClipping } from '../../src/suite/expect';

const scaled = (m: number[][], k: number) => m.map((row) => row.map((v) => v * k));

describe('factors are checked against N, K, N − 1, N + 1, 2 and ½ of the actual shapes', () => {
  test('a division by K on a 3×3 input names both K and "N twice", since N = K', () => {
    const fits = factorExplanations(1 / 3, { n: 3, k: 3 });
    expect(fits).toHaveLength(2);
    expect(fits.join(' ')).toMatch(/division by N = 3 applied twice/);
    expect(fits.join(' ')).toMatch(/division by K = 3, the number of classes/);
  });

  test('a division by K on a 6×3 input is a division by K only', () => {
    expect(factorExplanations(1 / 3, { n: 6, k: 3 })).toEqual([expect.stringMatching(/division by K = 3/)]);
  });

  test('a factor 2 at N = 2 fits three mistakes and the message says so', () => {
    const text = diagnoseLossRatio(2, 1, 2)!;
    expect(text).toMatch(/exactly twice the expected one/);
    expect(text).toMatch(/fits 3 different mistakes/);
    expect(text).toMatch(/sum over the batch instead of taking the mean/);
    expect(text).toMatch(/N − 1 = 1 instead of N = 2/);
    expect(text).toMatch(/stray factor 2/);
  });

  test('a factor 2 at N = 8 is a stray factor 2 only', () => {
    expect(diagnoseLossRatio(2, 1, 8)).toBe('Your value is exactly twice the expected one: that is a stray factor 2 (e.g. the 2 of d/dx x² applied twice, or to a loss).');
  });

  test('N, N − 1 and N + 1 are told apart at N = 8', () => {
    expect(diagnoseLossRatio(8, 1, 8)).toMatch(/^Your value is 8× the expected one: that is a sum over the batch/);
    expect(diagnoseLossRatio(8 / 7, 1, 8)).toMatch(/division by N − 1 = 7 instead of N = 8\.$/);
    expect(diagnoseLossRatio(8 / 9, 1, 8)).toMatch(/division by N \+ 1 = 9 instead of N = 8\.$/);
  });

  test('the phrases the training diagnoses build on stay', () => {
    expect(diagnoseLossRatio(0.125, 0.25, 10)).toMatch(/^Your value is exactly half the expected one/);
    expect(diagnoseLossRatio(2.5, 0.25, 10)).toMatch(/10× the expected one/);
  });

  test('a factor that fits nothing gives no hint', () => {
    expect(diagnoseLossRatio(1.37, 1, 8)).toBeUndefined();
    expect(factorExplanations(1.37, { n: 8, k: 4 })).toEqual([]);
  });

  test('a gradient divided by K on a 3×3 input is not called "divided by N twice" alone', () => {
    const r = [[0.1, -0.3, 0.2], [0.05, 0.05, -0.1], [-0.4, 0.3, 0.1]];
    const text = diagnoseGradient('categoricalCrossEntropyFromLogitsGrad(yTrue, z)', scaled(r, 1 / 3), r, { n: 3, k: 3 })!;
    expect(text).toMatch(/^Your gradient is 1\/3 of the expected value at every element\. With these shapes that fits 2 different mistakes/);
    expect(text).toMatch(/K = 3/);
  });
});

describe('known mistakes are named only on an exact match', () => {
  const mistakes = [{ hint: 'logit gradient', value: [0.1, -0.2] }];
  test('a value equal to the mistake gets its hint', () => {
    expect(matchKnownMistake([0.1, -0.2], [0.5, -1], mistakes, { rtol: 1e-5, atol: 1e-8 })).toBe('logit gradient');
  });
  test('a value near but not equal to it does not', () => {
    expect(matchKnownMistake([0.1, -0.21], [0.5, -1], mistakes, { rtol: 1e-5, atol: 1e-8 })).toBeUndefined();
  });
  test('a mistake the right answer also gives is no evidence', () => {
    expect(matchKnownMistake([0.1, -0.2], [0.1, -0.2], mistakes, { rtol: 1e-5, atol: 1e-8 })).toBeUndefined();
  });
  test('diagnoseGradient tries the known mistakes before the generic ratios', () => {
    const r = [1, -2];
    expect(diagnoseGradient('g(y, p)', [2, -4], r, { n: 2, mistakes: [{ hint: 'known', value: [2, -4] }] })).toBe('known');
  });
});

describe('non-finite results are explained by what the input holds', () => {
  test('softmax rows that overflow only when shifted by their first entry', () => {
    const z = [[1000, 0, -1000], [0, 1000, -1000], [3, 1, 2]];
    const got = [[1, 0, 0], [NaN, NaN, 0], [0.66, 0.09, 0.24]];
    expect(diagnoseNonFinite('softmax(z)', got, [z], 'logits')).toMatch(/^The rows of your result with non-finite values are exactly those whose maximum is more than 709 above their FIRST entry/);
  });

  test('softmax rows that overflow without any shift', () => {
    const z = [[1000, 0, -1000], [0, 1, 2], [-1000, -1000, -1000]];
    const got = [[NaN, 0, 0], [0.09, 0.24, 0.67], [NaN, NaN, NaN]];
    expect(diagnoseNonFinite('softmax(z)', got, [z], 'logits')).toMatch(/^The rows of your result with non-finite values are exactly those with an entry above 709/);
  });

  test('non-finite rows that fit neither shift get the general advice, without row numbers or input values', () => {
    const z = [[1000, 0, -1000], [0, 1000, -1000], [3, 1, 2]];
    const text = diagnoseNonFinite('softmax(z)', [[NaN, 0, 0], [0, 1, 0], [0.66, 0.09, 0.24]], [z], 'logits')!;
    expect(text).toMatch(/beyond ±709 in this input.*Subtract each row's maximum/);
    expect(text).not.toMatch(/1000|row 0/);
  });

  test('NaN on small logits is not blamed on overflow', () => {
    expect(diagnoseNonFinite('softmax(z)', [[NaN, 0.5, 0.5]], [[[1, 2, 3]]], 'logits')).toBeUndefined();
    expect(diagnoseNonFinite('binaryCrossEntropyFromLogits(yTrue, z)', NaN, [[1], [2]], 'logits')).toBeUndefined();
  });

  test('binary cross-entropy from logits at |z| ≥ 37: ln σ(z) becomes ln 0', () => {
    const text = diagnoseNonFinite('binaryCrossEntropyFromLogits(yTrue, z)', Infinity, [[0], [40]], 'logits');
    expect(text).toMatch(/logits of magnitude 37 or more in this input: σ\(z\) rounds to exactly 1 for z ≥ 37/);
    // z = 40 is far from e^z's overflow: the hint does not claim logits beyond ±709.
    expect(text).not.toMatch(/709/);
  });

  test('probabilities: log(0) only when a probability is exactly 0 or 1', () => {
    expect(diagnoseNonFinite('binaryCrossEntropy(yTrue, p)', NaN, [[1, 0], [1, 0]], 'probabilities')).toMatch(/log\(0\) = −Infinity/);
    expect(diagnoseNonFinite('binaryCrossEntropy(yTrue, p)', NaN, [[1, 0], [0.5, 0.3]], 'probabilities')).toBeUndefined();
  });

  test('NaN where the exact answer is +Infinity says so', () => {
    expect(diagnoseNonFinite('binaryCrossEntropy(yTrue, p)', NaN, [[1], [0]], 'probabilities', Infinity)).toMatch(/^NaN where the exact answer is \+Infinity/);
  });
});

describe('tolerated clipping: between the exact answer and the clipped one', () => {
  const tolerance = { rtol: 1e-5, atol: 1e-9 };
  test('at an exact zero, clipping at 1e-7 passes and at 1e-5 does not', () => {
    const clipped = -Math.log1p(-1e-7);
    expect(withinClipping(0, clipped, -Math.log1p(-1e-7), tolerance)).toBe(true);
    expect(withinClipping(0, clipped, -Math.log1p(-1e-10), tolerance)).toBe(true);
    expect(withinClipping(0, clipped, -Math.log1p(-1e-5), tolerance)).toBe(false);
    expect(withinClipping(0, clipped, -1e-6, tolerance)).toBe(false);
  });
  test('at an infinite exact answer, any value from the clipped one up passes, NaN never', () => {
    const clipped = -Math.log(1e-7);
    expect(withinClipping(Infinity, clipped, Infinity, tolerance)).toBe(true);
    expect(withinClipping(Infinity, clipped, 100, tolerance)).toBe(true);
    expect(withinClipping(Infinity, clipped, -Math.log(1e-5), tolerance)).toBe(false);
    expect(withinClipping(Infinity, clipped, NaN, tolerance)).toBe(false);
  });
});
