import fc from 'fast-check';
import {
  categoricalCrossEntropy,
  categoricalCrossEntropyFromLogits,
  categoricalCrossEntropyFromLogitsGrad,
  categoricalCrossEntropyGrad,
  softmax,
} from '../../reference';
import { createRng } from '../../src/suite/random';
import { type Big, bigCce, bigCceFromLogits, bigGradient, bigRelError, maxBigRelError, toBig } from './_support/big';
import { centralDifference, maxRelError, reshape } from './_support/numeric';

const FC = { seed: 42, numRuns: 100 } as const;

const toBigMatrix = (m: number[][]): Big[][] => m.map((r) => r.map(toBig));

/** Seeded one-hot targets (N×K) and logits in [lo, hi). */
function seededLogitCase(seed: number, n: number, k: number, lo = -6, hi = 6): { Y: number[][]; Z: number[][] } {
  const rng = createRng(seed);
  const labels = Array.from({ length: n }, () => rng.int(0, k));
  return { Y: rng.oneHot(labels, k), Z: rng.matrix(n, k, lo, hi) };
}

describe('categoricalCrossEntropy', () => {
  it('matches −(1/N) ΣΣ y ln p in 64-digit BigNumber on seeded probabilities (rel ≤ 1e-14)', () => {
    for (let seed = 401; seed < 405; seed++) {
      const { Y, Z } = seededLogitCase(seed, 5, 4);
      const P = softmax(Z);
      expect(bigRelError(categoricalCrossEntropy(Y, P), bigCce(toBigMatrix(Y), toBigMatrix(P)))).toBeLessThanOrEqual(1e-14);
    }
  });

  it('reproduces the Keras golden value 1.1769392 (to 1e-6)', () => {
    const loss = categoricalCrossEntropy(
      [
        [0, 1, 0],
        [0, 0, 1],
      ],
      [
        [0.05, 0.95, 0],
        [0.1, 0.8, 0.1],
      ],
    );
    expect(Math.abs(loss - 1.1769392)).toBeLessThanOrEqual(1e-6);
    expect(loss).toBe(-(Math.log(0.95) + Math.log(0.1)) / 2);
  });

  it('skips y = 0 terms, so p = 0 there is fine; a one-hot exact prediction costs exactly 0', () => {
    expect(categoricalCrossEntropy([[0, 1, 0]], [[0, 1, 0]])).toBe(0);
    expect(categoricalCrossEntropy([[1, 0]], [[0, 0]])).toBe(Infinity);
  });

  it('rejects shape mismatches naming both shapes', () => {
    expect(() => categoricalCrossEntropy([[1, 0]], [[1, 0, 0]])).toThrow(
      'categoricalCrossEntropy: yTrue has shape 1×2 but p has shape 1×3',
    );
    expect(() => categoricalCrossEntropy([], [])).toThrow('categoricalCrossEntropy: yTrue has no rows');
  });
});

describe('categoricalCrossEntropyGrad', () => {
  it('equals the BigNumber derivative of the BigNumber loss (rel ≤ 1e-14; exactly 0 where y = 0)', () => {
    const rng = createRng(411);
    const Y = [rng.vector(3, 0, 1), [0, 1, 0], [1, 0, 0]];
    const P = rng.matrix(3, 3, 0.05, 0.95);
    const k = 3;
    const expected = bigGradient((flat) => {
      const Pb: Big[][] = [];
      for (let i = 0; i < flat.length; i += k) Pb.push(flat.slice(i, i + k));
      return bigCce(toBigMatrix(Y), Pb);
    }, P.flat());
    expect(maxBigRelError(categoricalCrossEntropyGrad(Y, P).flat(), expected.map(toBig))).toBeLessThanOrEqual(1e-14);
    expect(categoricalCrossEntropyGrad([[0, 1]], [[0, 0.5]])).toEqual([[0, -2]]);
  });

  it('matches central differences of the loss (h = 1e-6, rel ≤ 1e-6)', () => {
    const rng = createRng(412);
    const Y = rng.oneHot([0, 2, 1], 3);
    const P = rng.matrix(3, 3, 0.1, 0.9);
    const numeric = centralDifference((flat) => categoricalCrossEntropy(Y, reshape(flat, 3)), P.flat());
    expect(maxRelError(categoricalCrossEntropyGrad(Y, P).flat(), numeric)).toBeLessThanOrEqual(1e-6);
  });
});

describe('categoricalCrossEntropyFromLogits', () => {
  it('matches −(1/N) ΣΣ y (z − ln Σ e^z) in 64-digit BigNumber (rel ≤ 1e-13)', () => {
    for (let seed = 421; seed < 425; seed++) {
      const { Y, Z } = seededLogitCase(seed, 5, 4, -10, 10);
      expect(bigRelError(categoricalCrossEntropyFromLogits(Y, Z), bigCceFromLogits(toBigMatrix(Y), toBigMatrix(Z)))).toBeLessThanOrEqual(
        1e-13,
      );
    }
  });

  it('is finite and exact on rows like [1000, −1000, 0]', () => {
    const Z = [
      [1000, -1000, 0],
      [1000, -1000, 0],
      [1000, -1000, 0],
    ];
    const Y = [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ];
    expect(categoricalCrossEntropyFromLogits([Y[0]], [Z[0]])).toBe(0);
    expect(categoricalCrossEntropyFromLogits([Y[1]], [Z[1]])).toBe(2000);
    expect(categoricalCrossEntropyFromLogits([Y[2]], [Z[2]])).toBe(1000);
    expect(categoricalCrossEntropyFromLogits(Y, Z)).toBe(1000);
    expect(bigRelError(categoricalCrossEntropyFromLogits(Y, Z), bigCceFromLogits(toBigMatrix(Y), toBigMatrix(Z)))).toBeLessThanOrEqual(
      1e-15,
    );
  });

  it('keeps relative precision for a confident correct row (loss ≈ 2e^(−40))', () => {
    const Y = [[1, 0, 0]];
    const Z = [[40, 0, 0]];
    expect(bigRelError(categoricalCrossEntropyFromLogits(Y, Z), bigCceFromLogits(toBigMatrix(Y), toBigMatrix(Z)))).toBeLessThanOrEqual(
      1e-14,
    );
  });

  it('rejects non-finite logits, naming this function and the entry', () => {
    expect(() => categoricalCrossEntropyFromLogits([[1, 0]], [[0, Infinity]])).toThrow(
      'categoricalCrossEntropyFromLogits: z[0][1] must be a finite number, got Infinity',
    );
  });

  it('equals categoricalCrossEntropy(y, softmax(z)) on moderate logits', () => {
    const { Y, Z } = seededLogitCase(426, 6, 3);
    expect(categoricalCrossEntropyFromLogits(Y, Z)).toBeCloseTo(categoricalCrossEntropy(Y, softmax(Z)), 13);
  });
});

describe('categoricalCrossEntropyFromLogitsGrad', () => {
  it('equals the BigNumber derivative of the BigNumber loss (rel ≤ 1e-12)', () => {
    const { Y, Z } = seededLogitCase(431, 3, 4, -4, 4);
    const expected = bigGradient((flat) => {
      const Zb: Big[][] = [];
      for (let i = 0; i < flat.length; i += 4) Zb.push(flat.slice(i, i + 4));
      return bigCceFromLogits(toBigMatrix(Y), Zb);
    }, Z.flat());
    expect(maxBigRelError(categoricalCrossEntropyFromLogitsGrad(Y, Z).flat(), expected.map(toBig))).toBeLessThanOrEqual(1e-12);
  });

  it('matches central differences of the loss (h = 1e-6, rel ≤ 1e-6)', () => {
    const { Y, Z } = seededLogitCase(432, 4, 3, -3, 3);
    const numeric = centralDifference((flat) => categoricalCrossEntropyFromLogits(Y, reshape(flat, 3)), Z.flat());
    expect(maxRelError(categoricalCrossEntropyFromLogitsGrad(Y, Z).flat(), numeric)).toBeLessThanOrEqual(1e-6);
  });

  it('is (softmax − Y)/N and finite at [1000, −1000, 0]', () => {
    expect(categoricalCrossEntropyFromLogitsGrad([[1, 0]], [[0, 0]])).toEqual([[-0.5, 0.5]]);
    expect(categoricalCrossEntropyFromLogitsGrad([[0, 0, 1]], [[1000, -1000, 0]])).toEqual([[1, 0, -1]]);
  });

  it('property: with one-hot targets every gradient row sums to 0 (within K·ε/N)', () => {
    const caseArb = fc
      .record({ n: fc.integer({ min: 1, max: 4 }), k: fc.integer({ min: 2, max: 5 }) })
      .chain(({ n, k }) =>
        fc.record({
          labels: fc.array(fc.integer({ min: 0, max: k - 1 }), { minLength: n, maxLength: n }),
          z: fc.array(fc.array(fc.double({ min: -50, max: 50, noNaN: true }), { minLength: k, maxLength: k }), {
            minLength: n,
            maxLength: n,
          }),
          k: fc.constant(k),
        }),
      );
    fc.assert(
      fc.property(caseArb, ({ labels, z, k }) => {
        const Y = labels.map((l) => Array.from({ length: k }, (_, j) => (j === l ? 1 : 0)));
        const g = categoricalCrossEntropyFromLogitsGrad(Y, z);
        return g.every((row) => Math.abs(row.reduce((a, b) => a + b, 0)) <= (2 * k * Number.EPSILON) / z.length);
      }),
      FC,
    );
  });
});
