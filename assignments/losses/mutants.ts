/**
 * Mutants of the losses reference: each is the reference with one classic mistake, which the
 * suite (graders/losses) must catch. The first group breaks one rule of the handout each (the
 * inputs of the suite are chosen to expose it); the second group are the usual mistakes of
 * scale, sign and numerical stability.
 *
 * A mutant runs inside the sandbox, bundled with the reference: it may use only the reference
 * functions it is given and plain JavaScript.
 */
import { defineMutants, type ReferenceExports } from 'mlgrade/suite';

type Vector = number[];
type Matrix = number[][];

/** The 13 reference functions, typed. */
interface Losses {
  sigmoid(z: Vector): Vector;
  softmax(z: Matrix): Matrix;
  mse(y: Vector, p: Vector): number;
  mseGrad(y: Vector, p: Vector): Vector;
  binaryCrossEntropy(y: Vector, p: Vector): number;
  binaryCrossEntropyGrad(y: Vector, p: Vector): Vector;
  binaryCrossEntropyFromLogits(y: Vector, z: Vector): number;
  binaryCrossEntropyFromLogitsGrad(y: Vector, z: Vector): Vector;
  categoricalCrossEntropy(y: Matrix, p: Matrix): number;
  categoricalCrossEntropyGrad(y: Matrix, p: Matrix): Matrix;
  categoricalCrossEntropyFromLogits(y: Matrix, z: Matrix): number;
  categoricalCrossEntropyFromLogitsGrad(y: Matrix, z: Matrix): Matrix;
  classificationError(y: Vector, scores: Vector | Matrix): number;
}

const losses = (reference: ReferenceExports): Losses => reference as unknown as Losses;

const GRADIENTS = ['mseGrad', 'binaryCrossEntropyGrad', 'binaryCrossEntropyFromLogitsGrad', 'categoricalCrossEntropyGrad', 'categoricalCrossEntropyFromLogitsGrad'] as const;
const LOSSES = ['mse', 'binaryCrossEntropy', 'binaryCrossEntropyFromLogits', 'categoricalCrossEntropy', 'categoricalCrossEntropyFromLogits'] as const;

/** A vector or a matrix multiplied by k. */
function scale<T extends Vector | Matrix>(g: T, k: number): T {
  return (Array.isArray(g[0]) ? (g as Matrix).map((row) => row.map((v) => v * k)) : (g as Vector).map((v) => v * k)) as T;
}

/** The reference with the gradients `names` multiplied by `factor(yTrue)`. */
function scaleGradients(reference: ReferenceExports, factor: (yTrue: unknown[]) => number, names: readonly string[] = GRADIENTS): Record<string, unknown> {
  const out: Record<string, unknown> = { ...reference };
  for (const name of names) {
    const f = reference[name] as unknown as (y: unknown[], x: Vector | Matrix) => Vector | Matrix;
    out[name] = (y: unknown[], x: Vector | Matrix) => scale(f(y, x), factor(y));
  }
  return out;
}

/** Probabilities clipped into [ε, 1 − ε], elementwise. */
function clip<T extends Vector | Matrix>(p: T, epsilon: number): T {
  const one = (v: number) => Math.min(Math.max(v, epsilon), 1 - epsilon);
  return (Array.isArray(p[0]) ? (p as Matrix).map((row) => row.map(one)) : (p as Vector).map(one)) as T;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** exp(z) / Σ exp(z) per row, shifted by `shift(row)` (0: no shift). */
const shiftedSoftmax = (shift: (row: Vector) => number) => (z: Matrix): Matrix =>
  z.map((row) => {
    const c = shift(row);
    const e = row.map((v) => Math.exp(v - c));
    const s = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / s);
  });
const naiveSoftmax = shiftedSoftmax(() => 0);

export default defineMutants([
  // ---- one mutant per rule of the handout ----
  {
    name: 'threshold-strict',
    description: 'classificationError predicts class 1 only when p > 0.5 (the rule is p ≥ 0.5)',
    mutate: (reference) => {
      const R = losses(reference);
      return {
        ...reference,
        classificationError: (y: Vector, scores: Vector | Matrix) =>
          Array.isArray(scores[0]) ? R.classificationError(y, scores) : mean((scores as Vector).map((p, i) => ((p > 0.5 ? 1 : 0) === y[i] ? 0 : 1))),
      };
    },
  },
  {
    name: 'ties-last-index',
    description: 'classificationError takes the LAST index of a tied maximum (the rule is the first)',
    mutate: (reference) => {
      const R = losses(reference);
      const lastArgmax = (row: Vector) => row.reduce((best, v, j) => (v >= row[best] ? j : best), 0);
      return {
        ...reference,
        classificationError: (y: Vector, scores: Vector | Matrix) =>
          Array.isArray(scores[0]) ? mean((scores as Matrix).map((row, i) => (lastArgmax(row) === y[i] ? 0 : 1))) : R.classificationError(y, scores),
      };
    },
  },
  {
    name: 'softmax-shift-first',
    description: "softmax subtracts each row's FIRST entry instead of its maximum (overflows when the maximum is elsewhere)",
    mutate: (reference) => ({ ...reference, softmax: shiftedSoftmax((row) => row[0]) }),
  },
  {
    name: 'bce-impossible-nan',
    description: 'binaryCrossEntropy returns NaN instead of Infinity for a certain, wrong prediction',
    mutate: (reference) => {
      const R = losses(reference);
      return { ...reference, binaryCrossEntropy: (y: Vector, p: Vector) => (R.binaryCrossEntropy(y, p) === Infinity ? NaN : R.binaryCrossEntropy(y, p)) };
    },
  },
  {
    name: 'cce-impossible-nan',
    description: 'categoricalCrossEntropy returns NaN instead of Infinity when the true class has probability 0',
    mutate: (reference) => {
      const R = losses(reference);
      return { ...reference, categoricalCrossEntropy: (y: Matrix, p: Matrix) => (R.categoricalCrossEntropy(y, p) === Infinity ? NaN : R.categoricalCrossEntropy(y, p)) };
    },
  },
  {
    name: 'bce-clip-1e-5',
    description: 'binaryCrossEntropy and its gradient clip p into [1e-5, 1 − 1e-5] (only ε ≤ 1e-7 is tolerated)',
    mutate: (reference) => {
      const R = losses(reference);
      return {
        ...reference,
        binaryCrossEntropy: (y: Vector, p: Vector) => R.binaryCrossEntropy(y, clip(p, 1e-5)),
        binaryCrossEntropyGrad: (y: Vector, p: Vector) => R.binaryCrossEntropyGrad(y, clip(p, 1e-5)),
      };
    },
  },
  {
    name: 'cce-clip-1e-5',
    description: 'categoricalCrossEntropy and its gradient clip p into [1e-5, 1 − 1e-5] (only ε ≤ 1e-7 is tolerated)',
    mutate: (reference) => {
      const R = losses(reference);
      return {
        ...reference,
        categoricalCrossEntropy: (y: Matrix, p: Matrix) => R.categoricalCrossEntropy(y, clip(p, 1e-5)),
        categoricalCrossEntropyGrad: (y: Matrix, p: Matrix) => R.categoricalCrossEntropyGrad(y, clip(p, 1e-5)),
      };
    },
  },

  // ---- the usual mistakes (formerly src/authoring/mutants.ts) ----
  { name: 'grad-times-n', description: 'every gradient multiplied by N (the 1/N of the mean forgotten)', mutate: (R) => scaleGradients(R, (y) => y.length) },
  { name: 'mseGrad-times-n', description: 'mseGrad alone multiplied by N', mutate: (R) => scaleGradients(R, (y) => y.length, ['mseGrad']) },
  { name: 'bceLogitsGrad-times-n', description: 'binaryCrossEntropyFromLogitsGrad alone multiplied by N', mutate: (R) => scaleGradients(R, (y) => y.length, ['binaryCrossEntropyFromLogitsGrad']) },
  { name: 'cceLogitsGrad-times-n', description: 'categoricalCrossEntropyFromLogitsGrad alone multiplied by N', mutate: (R) => scaleGradients(R, (y) => y.length, ['categoricalCrossEntropyFromLogitsGrad']) },
  { name: 'grad-times-2', description: 'every gradient multiplied by 2 (e.g. mse convention ½ mixed up)', mutate: (R) => scaleGradients(R, () => 2) },
  { name: 'grad-sign-flip', description: 'every gradient has the wrong sign (ascent instead of descent)', mutate: (R) => scaleGradients(R, () => -1) },
  {
    name: 'grad-mean-n-minus-1',
    description: 'every gradient divided by N−1 instead of N (N+1 when N = 1)',
    mutate: (R) => scaleGradients(R, (y) => (y.length > 1 ? y.length / (y.length - 1) : 1 / 2)),
  },
  {
    name: 'loss-mean-n-plus-1',
    description: 'every loss divided by N+1 instead of N',
    mutate: (reference) => {
      const out: Record<string, unknown> = { ...reference };
      for (const name of LOSSES) {
        const f = reference[name] as unknown as (y: unknown[], x: unknown) => number;
        out[name] = (y: unknown[], x: unknown) => (f(y, x) * y.length) / (y.length + 1);
      }
      return out;
    },
  },
  {
    name: 'bce-naive-log',
    description: 'binary cross-entropy (and gradient) on probabilities with the naive formula: 0·log 0 → NaN at p ∈ {0, 1}',
    mutate: (reference) => ({
      ...reference,
      binaryCrossEntropy: (y: Vector, p: Vector) => -mean(y.map((yi, i) => yi * Math.log(p[i]) + (1 - yi) * Math.log(1 - p[i]))),
      binaryCrossEntropyGrad: (y: Vector, p: Vector) => y.map((yi, i) => (-yi / p[i] + (1 - yi) / (1 - p[i])) / y.length),
    }),
  },
  {
    name: 'cce-naive-log',
    description: 'categorical cross-entropy (and gradient) on probabilities with the naive formula: 0·log 0 → NaN where p = 0',
    mutate: (reference) => ({
      ...reference,
      categoricalCrossEntropy: (Y: Matrix, P: Matrix) => -mean(Y.map((row, i) => row.reduce((s, y, k) => s + y * Math.log(P[i][k]), 0))),
      categoricalCrossEntropyGrad: (Y: Matrix, P: Matrix) => Y.map((row, i) => row.map((y, k) => -y / (Y.length * P[i][k]))),
    }),
  },
  {
    name: 'softmax-no-max-shift',
    description: 'softmax computed as exp(z) / Σ exp(z) without subtracting the row max (overflows)',
    mutate: (reference) => ({ ...reference, softmax: naiveSoftmax }),
  },
  {
    name: 'cce-logits-naive-softmax',
    description: 'categorical cross-entropy from logits (and gradient) through an unshifted softmax and log',
    mutate: (reference) => ({
      ...reference,
      categoricalCrossEntropyFromLogits: (Y: Matrix, Z: Matrix) => {
        const P = naiveSoftmax(Z);
        return -mean(Y.map((row, i) => row.reduce((s, y, k) => s + (y ? y * Math.log(P[i][k]) : 0), 0)));
      },
      categoricalCrossEntropyFromLogitsGrad: (Y: Matrix, Z: Matrix) => naiveSoftmax(Z).map((row, i) => row.map((p, k) => (p - Y[i][k]) / Y.length)),
    }),
  },
  {
    name: 'bce-logits-naive',
    description: 'binary cross-entropy from logits as −log σ(z) with a naive sigmoid (log 0 at |z| large)',
    mutate: (reference) => {
      const sig = (z: number) => 1 / (1 + Math.exp(-z));
      return {
        ...reference,
        binaryCrossEntropyFromLogits: (y: Vector, z: Vector) => -mean(y.map((yi, i) => yi * Math.log(sig(z[i])) + (1 - yi) * Math.log(1 - sig(z[i])))),
      };
    },
  },
  {
    name: 'bce-logits-extra-sigmoid-slope',
    description: "binaryCrossEntropyFromLogitsGrad multiplied by σ'(z) = σ(z)(1 − σ(z)) (chain rule applied twice)",
    mutate: (reference) => {
      const R = losses(reference);
      return {
        ...reference,
        binaryCrossEntropyFromLogitsGrad: (y: Vector, z: Vector) => {
          const s = R.sigmoid(z);
          return R.binaryCrossEntropyFromLogitsGrad(y, z).map((g, i) => g * s[i] * (1 - s[i]));
        },
      };
    },
  },
  {
    name: 'softmax-wrong-axis',
    description: 'softmax normalised over columns (samples) instead of rows (classes)',
    mutate: (reference) => ({
      ...reference,
      softmax: (z: Matrix) => {
        const out = z.map((row) => row.slice());
        for (let k = 0; k < z[0].length; k++) {
          const m = Math.max(...z.map((row) => row[k]));
          const s = z.reduce((acc, row) => acc + Math.exp(row[k] - m), 0);
          z.forEach((row, i) => {
            out[i][k] = Math.exp(row[k] - m) / s;
          });
        }
        return out;
      },
    }),
  },
]);
