import { blobCentres, makeBinaryBlobs, makeMultiClassBlobs } from '../../src/suite';

const dist = (a: number[], b: number[]): number => Math.hypot(...a.map((v, i) => v - b[i]));

describe('makeBinaryBlobs', () => {
  it('is deterministic from the seed and changes with it', () => {
    const o = { n: 30, d: 3, seed: 5, separation: 3, noise: 0.1 };
    expect(makeBinaryBlobs(o)).toEqual(makeBinaryBlobs(o));
    expect(makeBinaryBlobs({ ...o, seed: 6 }).X).not.toEqual(makeBinaryBlobs(o).X);
  });

  it('has the requested shape and balanced alternating labels', () => {
    const { X, y } = makeBinaryBlobs({ n: 7, d: 4, seed: 1, separation: 2, noise: 0 });
    expect(X).toHaveLength(7);
    expect(X.every((r) => r.length === 4)).toBe(true);
    expect(y).toEqual([0, 1, 0, 1, 0, 1, 0]);
  });

  it('class means sit at ±(separation/2)·(1, …, 1)/√d (n = 4000, ±0.1)', () => {
    const d = 2;
    const sep = 3;
    const { X, y } = makeBinaryBlobs({ n: 4000, d, seed: 11, separation: sep, noise: 0 });
    for (const label of [0, 1]) {
      const rows = X.filter((_, i) => y[i] === label);
      const sign = label === 1 ? 1 : -1;
      for (let j = 0; j < d; j++) {
        const mean = rows.reduce((a, r) => a + r[j], 0) / rows.length;
        expect(Math.abs(mean - (sign * sep) / 2 / Math.sqrt(d))).toBeLessThanOrEqual(0.1);
      }
    }
  });

  it('noise flips exactly round(noise·n) labels and leaves X unchanged', () => {
    const clean = makeBinaryBlobs({ n: 50, d: 2, seed: 3, separation: 2, noise: 0 });
    const noisy = makeBinaryBlobs({ n: 50, d: 2, seed: 3, separation: 2, noise: 0.2 });
    expect(noisy.X).toEqual(clean.X);
    expect(noisy.y.filter((v, i) => v !== clean.y[i])).toHaveLength(10);
  });

  it('with separation 8 and no noise, these seeds are separated by the hyperplane Σx = 0', () => {
    for (const seed of [1, 2, 3]) {
      const { X, y } = makeBinaryBlobs({ n: 200, d: 4, seed, separation: 8, noise: 0 });
      X.forEach((x, i) => expect(x.reduce((a, b) => a + b, 0) > 0 ? 1 : 0).toBe(y[i]));
    }
  });

  it('validates options, naming the function and the value', () => {
    const o = { n: 10, d: 2, seed: 1, separation: 2, noise: 0 };
    expect(() => makeBinaryBlobs({ ...o, n: 1 })).toThrow('makeBinaryBlobs: n must be an integer ≥ 2, got 1');
    expect(() => makeBinaryBlobs({ ...o, noise: 1.5 })).toThrow('makeBinaryBlobs: noise must be in [0, 1], got 1.5');
    expect(() => makeBinaryBlobs({ ...o, separation: -1 })).toThrow('makeBinaryBlobs: separation must be ≥ 0, got -1');
  });
});

describe('makeMultiClassBlobs', () => {
  it('is deterministic; Y is labels one-hot; labels cycle 0..k−1', () => {
    const o = { n: 9, d: 2, k: 3, seed: 7, separation: 5, noise: 0 };
    const a = makeMultiClassBlobs(o);
    expect(a).toEqual(makeMultiClassBlobs(o));
    expect(a.labels).toEqual([0, 1, 2, 0, 1, 2, 0, 1, 2]);
    a.Y.forEach((row, i) => expect(row).toEqual([0, 1, 2].map((c) => (c === a.labels[i] ? 1 : 0))));
    expect(makeMultiClassBlobs({ ...o, seed: 8 }).X).not.toEqual(a.X);
  });

  it('noise replaces exactly round(noise·n) labels by a different class; X unchanged', () => {
    const o = { n: 40, d: 3, k: 4, seed: 2, separation: 3, noise: 0 };
    const clean = makeMultiClassBlobs(o);
    const noisy = makeMultiClassBlobs({ ...o, noise: 0.25 });
    expect(noisy.X).toEqual(clean.X);
    expect(noisy.labels.filter((l, i) => l !== clean.labels[i])).toHaveLength(10);
    expect(noisy.labels.every((l) => Number.isInteger(l) && l >= 0 && l < 4)).toBe(true);
  });

  it.each([
    [3, 5],
    [5, 2],
    [4, 1],
  ])('blobCentres(k = %i, d = %i): the minimum pairwise distance equals the separation', (k, d) => {
    const c = blobCentres(k, d, 2.5);
    let min = Infinity;
    for (let a = 0; a < k; a++) for (let b = a + 1; b < k; b++) min = Math.min(min, dist(c[a], c[b]));
    expect(min).toBeCloseTo(2.5, 12);
  });

  it('class means sit at the centres (n = 3000, ±0.1)', () => {
    const o = { n: 3000, d: 2, k: 3, seed: 4, separation: 4, noise: 0 };
    const { X, labels } = makeMultiClassBlobs(o);
    const centres = blobCentres(3, 2, 4);
    for (let c = 0; c < 3; c++) {
      const rows = X.filter((_, i) => labels[i] === c);
      const mean = [0, 1].map((j) => rows.reduce((a, r) => a + r[j], 0) / rows.length);
      expect(dist(mean, centres[c])).toBeLessThanOrEqual(0.1);
    }
  });

  it('validates k and n', () => {
    expect(() => makeMultiClassBlobs({ n: 10, d: 2, k: 1, seed: 1, separation: 1, noise: 0 })).toThrow(
      'makeMultiClassBlobs: k must be an integer ≥ 2, got 1',
    );
    expect(() => makeMultiClassBlobs({ n: 2, d: 2, k: 3, seed: 1, separation: 1, noise: 0 })).toThrow(
      'makeMultiClassBlobs: n must be an integer ≥ 3, got 2',
    );
  });
});
