import fc from 'fast-check';
import {
  logSigmoid,
  logSoftmax,
  logSumExp,
  sigmoid,
  sigmoidScalar,
  softmax,
} from '../../reference';
import { createRng } from '../../src/suite/random';
import { big, bigLogSumExp, bigRelError, bigSigmoid, bigSoftmaxRow, maxBigRelError, toBig } from './_support/big';

const FC = { seed: 42, numRuns: 100 } as const;

describe('sigmoid', () => {
  it('matches a 64-digit BigNumber σ on seeded inputs in [-30, 30] (rel ≤ 1e-14)', () => {
    const rng = createRng(101);
    for (let c = 0; c < 5; c++) {
      const z = rng.vector(8, -30, 30);
      expect(maxBigRelError(sigmoid(z), z.map((v) => bigSigmoid(toBig(v))))).toBeLessThanOrEqual(1e-14);
    }
  });

  it('keeps full relative precision in the far negative tail (σ(−700) ≈ 9.86e-305)', () => {
    expect(bigRelError(sigmoidScalar(-700), bigSigmoid(toBig(-700)))).toBeLessThanOrEqual(1e-13);
  });

  it('is finite at ±1000: σ(1000) = 1, σ(−1000) = 0, σ(0) = ½', () => {
    expect(sigmoid([1000, -1000, 0])).toEqual([1, 0, 0.5]);
  });

  it('documented examples hold', () => {
    expect(sigmoid([0, 2, -1000])).toEqual([0.5, 0.8807970779778823, 0]);
  });

  it('property: σ(z) ∈ [0, 1] and σ(−z) = 1 − σ(z) to within 2 ulp of 1', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e3, max: 1e3, noNaN: true }), (z) => {
        const s = sigmoidScalar(z);
        const sNeg = sigmoidScalar(-z);
        return s >= 0 && s <= 1 && Math.abs(sNeg - (1 - s)) <= 2 * Number.EPSILON;
      }),
      FC,
    );
  });

  it('property: σ is non-decreasing', () => {
    fc.assert(
      fc.property(fc.double({ min: -50, max: 50, noNaN: true }), fc.double({ min: 0, max: 10, noNaN: true }), (z, dz) =>
        sigmoidScalar(z + dz) >= sigmoidScalar(z),
      ),
      FC,
    );
  });

  it('rejects non-arrays and empty input with a message naming the function', () => {
    expect(() => sigmoid([])).toThrow('sigmoid: z is empty');
    expect(() => sigmoid(3 as unknown as number[])).toThrow(/^sigmoid: z must be an array/);
  });
});

describe('logSigmoid', () => {
  it('matches ln σ(z) in BigNumber on seeded inputs (rel ≤ 1e-14)', () => {
    const rng = createRng(102);
    for (const z of [...rng.vector(10, -40, 40), -1000, 1e-8, -1e-8, 36, 40]) {
      expect(bigRelError(logSigmoid(z), bigSigmoid(toBig(z)).ln())).toBeLessThanOrEqual(1e-14);
    }
  });

  it('is exact in the tails: ln σ(−1000) = −1000, ln σ(0) = −ln 2', () => {
    expect(logSigmoid(-1000)).toBe(-1000);
    expect(logSigmoid(0)).toBe(-Math.LN2);
  });
});

describe('logSumExp', () => {
  it('matches ln Σ e^z in BigNumber (rel ≤ 1e-14), including large shifted rows', () => {
    const rng = createRng(103);
    const rows = [rng.vector(5, -10, 10), rng.vector(3, -50, 50), rng.vector(4, 990, 1000), [0, 0], [-3]];
    for (const row of rows) expect(bigRelError(logSumExp(row), bigLogSumExp(row.map(toBig)))).toBeLessThanOrEqual(1e-14);
  });

  it('does not overflow: logSumExp([1000, 0, −1000]) = 1000', () => {
    expect(logSumExp([1000, 0, -1000])).toBe(1000);
    expect(logSumExp([0, 0])).toBe(Math.LN2);
  });

  it('rejects non-finite entries, naming the index', () => {
    expect(() => logSumExp([0, Infinity])).toThrow('logSumExp: row[1] must be a finite number, got Infinity');
  });
});

describe('softmax', () => {
  it('matches a 64-digit BigNumber softmax on seeded 4×5 logits in [-10, 10] (rel ≤ 1e-13)', () => {
    const rng = createRng(104);
    for (let c = 0; c < 3; c++) {
      const z = rng.matrix(4, 5, -10, 10);
      const got = softmax(z);
      z.forEach((row, i) => {
        expect(maxBigRelError(got[i], bigSoftmaxRow(row.map(toBig)))).toBeLessThanOrEqual(1e-13);
      });
    }
  });

  it('is stable: softmax([[1000, 0, −1000]]) = [[1, 0, 0]] and shift-invariant', () => {
    expect(softmax([[1000, 0, -1000]])).toEqual([[1, 0, 0]]);
    expect(softmax([[1000, 1000]])).toEqual([[0.5, 0.5]]);
    expect(softmax([[-1000, -1000]])).toEqual([[0.5, 0.5]]);
  });

  it('property: every row is in [0, 1] and sums to 1 (within K·ε)', () => {
    const row = fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 4 }), (rows) => {
        const k = rows[0].length;
        const z = rows.map((r) => Array.from({ length: k }, (_, j) => r[j % r.length]));
        return softmax(z).every(
          (p) => p.every((v) => v >= 0 && v <= 1) && Math.abs(p.reduce((a, b) => a + b, 0) - 1) <= k * Number.EPSILON,
        );
      }),
      FC,
    );
  });

  it('rejects ragged and empty input with messages naming the function and the row', () => {
    expect(() => softmax([[1, 2], [3]])).toThrow('softmax: z[1] has length 1 but z[0] has length 2');
    expect(() => softmax([])).toThrow('softmax: z has no rows');
    expect(() => softmax([[]])).toThrow('softmax: z[0] is empty');
    expect(() => softmax([[NaN]])).toThrow('softmax: z[0][0] must be a finite number, got NaN');
  });
});

describe('logSoftmax', () => {
  it('matches z − ln Σ e^z in BigNumber (abs ≤ 1e-14·max(1, |value|))', () => {
    const rng = createRng(105);
    const z = [...rng.matrix(3, 4, -20, 20), rng.vector(4, 995, 1000)];
    const got = logSoftmax(z);
    z.forEach((row, i) => {
      const lse = bigLogSumExp(row.map(toBig));
      row.forEach((v, k) => {
        const expected = toBig(v).minus(lse);
        const err = toBig(got[i][k]).minus(expected).abs();
        expect(err.toNumber()).toBeLessThanOrEqual(1e-14 * Math.max(1, Math.abs(expected.toNumber())));
      });
    });
  });

  it('keeps precision when one logit dominates (log p ≈ −e^(−40))', () => {
    const got = logSoftmax([[40, 0]])[0][0];
    const expected = toBig(40).minus(bigLogSumExp([toBig(40), toBig(0)]));
    expect(bigRelError(got, expected)).toBeLessThanOrEqual(1e-14);
    expect(got).toBeLessThan(0);
  });

  it('is exact on [1000, −1000, 0]', () => {
    expect(logSoftmax([[1000, -1000, 0]])).toEqual([[0, -2000, -1000]]);
  });

  it('equals ln(softmax) on moderate inputs', () => {
    const z = createRng(106).matrix(2, 3, -5, 5);
    const p = softmax(z);
    logSoftmax(z).forEach((row, i) => row.forEach((v, k) => expect(v).toBeCloseTo(Math.log(p[i][k]), 13)));
  });
});

// Keep mathjs referenced so a broken BigNumber config fails loudly here rather than silently.
test('the BigNumber oracle really computes with 64 digits', () => {
  expect(big.bignumber(1).div(3).toString()).toBe('0.' + '3'.repeat(64));
  expect(toBig(0.1).toString()).toBe('0.1000000000000000055511151231257827021181583404541015625');
});
