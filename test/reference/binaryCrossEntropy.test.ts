import fc from 'fast-check';
import {
  binaryCrossEntropy,
  binaryCrossEntropyFromLogits,
  binaryCrossEntropyFromLogitsGrad,
  binaryCrossEntropyGrad,
  sigmoid,
} from '../../reference';
import { createRng } from '../../src/suite/random';
import { bigBce, bigBceFromLogits, bigGradient, bigRelError, maxBigRelError, toBig } from './_support/big';
import { centralDifference, maxRelError } from './_support/numeric';

const FC = { seed: 42, numRuns: 100 } as const;

/** Seeded 0/1 labels and probabilities in [0.01, 0.99]. */
function seededProbCase(seed: number, n: number): { y: number[]; p: number[] } {
  const rng = createRng(seed);
  return { y: Array.from({ length: n }, () => rng.int(0, 2)), p: rng.vector(n, 0.01, 0.99) };
}

describe('binaryCrossEntropy', () => {
  it('matches −(1/N) Σ [y ln p + (1 − y) ln(1 − p)] in 64-digit BigNumber (rel ≤ 1e-14)', () => {
    for (let seed = 301; seed < 306; seed++) {
      const { y, p } = seededProbCase(seed, 8);
      expect(bigRelError(binaryCrossEntropy(y, p), bigBce(y.map(toBig), p.map(toBig)))).toBeLessThanOrEqual(1e-14);
    }
  });

  it('matches BigNumber with soft labels and p near 0 and 1 (rel ≤ 1e-13)', () => {
    const rng = createRng(306);
    const y = rng.vector(6, 0, 1);
    const p = [1e-12, 1 - 1e-12, ...rng.vector(4, 0, 1)];
    expect(bigRelError(binaryCrossEntropy(y, p), bigBce(y.map(toBig), p.map(toBig)))).toBeLessThanOrEqual(1e-13);
  });

  it('is exactly 0 when p ∈ {0, 1} equals the label (0 · ln 0 = 0)', () => {
    expect(binaryCrossEntropy([1, 0, 1], [1, 0, 1])).toBe(0);
    expect(binaryCrossEntropy([1], [1])).toBe(0);
    expect(binaryCrossEntropy([0], [0])).toBe(0);
  });

  it('is +Infinity, not NaN, for a certain wrong prediction', () => {
    expect(binaryCrossEntropy([1], [0])).toBe(Infinity);
    expect(binaryCrossEntropy([0], [1])).toBe(Infinity);
  });

  it('documented example: −(ln 0.9 + ln 0.8)/2', () => {
    expect(binaryCrossEntropy([1, 0], [0.9, 0.2])).toBeCloseTo(-(Math.log(0.9) + Math.log(0.8)) / 2, 15);
  });

  it('rejects mismatched and empty inputs', () => {
    expect(() => binaryCrossEntropy([1, 0], [0.5])).toThrow('binaryCrossEntropy: yTrue has length 2 but p has length 1');
    expect(() => binaryCrossEntropy([], [])).toThrow('binaryCrossEntropy: yTrue is empty');
  });
});

describe('binaryCrossEntropyGrad', () => {
  it('equals the BigNumber derivative of the BigNumber loss, hard and soft labels (rel ≤ 1e-13)', () => {
    const hard = seededProbCase(311, 6);
    const rng = createRng(312);
    const soft = { y: rng.vector(6, 0, 1), p: rng.vector(6, 0.05, 0.95) };
    for (const { y, p } of [hard, soft]) {
      const expected = bigGradient((v) => bigBce(y.map(toBig), v), p);
      expect(maxBigRelError(binaryCrossEntropyGrad(y, p), expected.map(toBig))).toBeLessThanOrEqual(1e-13);
    }
  });

  it('matches central differences of the loss (h = 1e-6, rel ≤ 1e-6)', () => {
    const { y, p } = seededProbCase(313, 5);
    const numeric = centralDifference((v) => binaryCrossEntropy(y, v), p);
    expect(maxRelError(binaryCrossEntropyGrad(y, p), numeric)).toBeLessThanOrEqual(1e-6);
  });

  it('is finite where y = p ∈ {0, 1}: −1/N at y = p = 1, +1/N at y = p = 0', () => {
    expect(binaryCrossEntropyGrad([1, 0], [1, 0])).toEqual([-0.5, 0.5]);
    expect(binaryCrossEntropyGrad([1], [1])).toEqual([-1]);
  });
});

describe('binaryCrossEntropyFromLogits', () => {
  it('matches BigNumber BCE(y, σ(z)) on seeded logits in [-20, 20] (rel ≤ 1e-13)', () => {
    for (let seed = 321; seed < 326; seed++) {
      const rng = createRng(seed);
      const y = Array.from({ length: 8 }, () => rng.int(0, 2));
      const z = rng.vector(8, -20, 20);
      expect(bigRelError(binaryCrossEntropyFromLogits(y, z), bigBceFromLogits(y.map(toBig), z.map(toBig)))).toBeLessThanOrEqual(
        1e-13,
      );
    }
  });

  it('is exact at large logits: z = 100, y = 0 gives 100; |z| = 1000 finite', () => {
    expect(binaryCrossEntropyFromLogits([0], [100])).toBe(100);
    expect(binaryCrossEntropyFromLogits([1], [-1000])).toBe(1000);
    expect(binaryCrossEntropyFromLogits([0], [1000])).toBe(1000);
    expect(binaryCrossEntropyFromLogits([1], [1000])).toBe(0);
    expect(binaryCrossEntropyFromLogits([0, 1], [1000, -1000])).toBe(1000);
  });

  it('keeps relative precision for confident correct predictions (loss ≈ e^(−30))', () => {
    const expected = bigBceFromLogits([toBig(1)], [toBig(30)]);
    expect(bigRelError(binaryCrossEntropyFromLogits([1], [30]), expected)).toBeLessThanOrEqual(1e-14);
  });

  it('property: equals binaryCrossEntropy(y, σ(z)) for moderate z ∈ [−15, 15] (rel ≤ 1e-7)', () => {
    const sample = fc.tuple(fc.constantFrom(0, 1), fc.double({ min: -15, max: 15, noNaN: true }));
    fc.assert(
      fc.property(fc.array(sample, { minLength: 1, maxLength: 10 }), (pairs) => {
        const y = pairs.map(([yi]) => yi);
        const z = pairs.map(([, zi]) => zi);
        const a = binaryCrossEntropyFromLogits(y, z);
        const b = binaryCrossEntropy(y, sigmoid(z));
        return Math.abs(a - b) <= 1e-7 * Math.max(a, b) + 1e-300;
      }),
      FC,
    );
  });
});

describe('binaryCrossEntropyFromLogitsGrad', () => {
  it('equals the BigNumber derivative of the BigNumber loss (rel ≤ 1e-13)', () => {
    const rng = createRng(331);
    const y = Array.from({ length: 6 }, () => rng.int(0, 2));
    const z = rng.vector(6, -8, 8);
    const expected = bigGradient((v) => bigBceFromLogits(y.map(toBig), v), z);
    expect(maxBigRelError(binaryCrossEntropyFromLogitsGrad(y, z), expected.map(toBig))).toBeLessThanOrEqual(1e-13);
  });

  it('matches central differences of the loss (h = 1e-6, rel ≤ 1e-6)', () => {
    const rng = createRng(332);
    const y = Array.from({ length: 5 }, () => rng.int(0, 2));
    const z = rng.vector(5, -4, 4);
    const numeric = centralDifference((v) => binaryCrossEntropyFromLogits(y, v), z);
    expect(maxRelError(binaryCrossEntropyFromLogitsGrad(y, z), numeric)).toBeLessThanOrEqual(1e-6);
  });

  it('is (σ(z) − y)/N, finite at |z| = 1000', () => {
    expect(binaryCrossEntropyFromLogitsGrad([1, 0], [0, 0])).toEqual([-0.25, 0.25]);
    expect(binaryCrossEntropyFromLogitsGrad([0, 1], [1000, -1000])).toEqual([0.5, -0.5]);
  });
});
