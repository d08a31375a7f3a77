import { mse, mseGrad } from '../../reference';
import { createRng } from '../../src/suite/random';
import { bigGradient, bigMse, bigRelError, maxBigRelError, toBig } from './_support/big';
import { centralDifference, maxRelError } from './_support/numeric';

describe('mse', () => {
  it('matches (1/N) Σ (ŷ − y)² in 64-digit BigNumber on seeded inputs (rel ≤ 1e-14)', () => {
    const rng = createRng(201);
    for (let c = 0; c < 5; c++) {
      const y = rng.vector(7, -3, 3);
      const yHat = rng.vector(7, -3, 3);
      expect(bigRelError(mse(y, yHat), bigMse(y.map(toBig), yHat.map(toBig)))).toBeLessThanOrEqual(1e-14);
    }
  });

  it('uses the mean without a ½ factor: mse([1, 2, 3], [1, 2, 5]) = 4/3', () => {
    expect(mse([1, 2, 3], [1, 2, 5])).toBe(4 / 3);
    expect(mse([5], [5])).toBe(0);
  });

  it('rejects mismatched and empty inputs naming the function and the lengths', () => {
    expect(() => mse([1, 2, 3], [1, 2, 3, 4])).toThrow('mse: yTrue has length 3 but yPred has length 4');
    expect(() => mse([], [])).toThrow('mse: yTrue is empty');
    expect(() => mse([1, 'a' as unknown as number], [1, 2])).toThrow('mse: yTrue[1] must be a number, got "a"');
  });
});

describe('mseGrad', () => {
  it('equals the BigNumber derivative of the BigNumber loss (rel ≤ 1e-14)', () => {
    const rng = createRng(202);
    for (let c = 0; c < 3; c++) {
      const y = rng.vector(6, -2, 2);
      const yHat = rng.vector(6, -2, 2);
      const expected = bigGradient((v) => bigMse(y.map(toBig), v), yHat);
      expect(maxBigRelError(mseGrad(y, yHat), expected.map(toBig))).toBeLessThanOrEqual(1e-14);
    }
  });

  it('matches central differences of mse (h = 1e-6, rel ≤ 1e-6)', () => {
    const rng = createRng(203);
    const y = rng.vector(5, -2, 2);
    const yHat = rng.vector(5, -2, 2);
    expect(maxRelError(mseGrad(y, yHat), centralDifference((v) => mse(y, v), yHat))).toBeLessThanOrEqual(1e-6);
  });

  it('is (2/N)(ŷ − y): documented example', () => {
    expect(mseGrad([1, 2, 3], [1, 2, 5])).toEqual([0, 0, 4 / 3]);
  });

  it('rejects mismatched lengths', () => {
    expect(() => mseGrad([1], [1, 2])).toThrow('mseGrad: yTrue has length 1 but yPred has length 2');
  });
});
