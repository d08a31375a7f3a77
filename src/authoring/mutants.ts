/**
 * Automatic mutants of a reference solution, for `mlgrade validate`: each mutant is the compiled
 * reference plus an entry file that wraps one or more of its functions with a classic student
 * mistake. A good grading suite fails every mutant (score < max).
 *
 * Mutants are plain CommonJS source strings; they `require('./index.js')` (the compiled reference,
 * copied next to them) so the sandbox only reads the submission folder.
 */

export interface MutantSpec {
  /** Short, stable name (used as the submission id). */
  name: string;
  description: string;
  /** Body of the entry file after the prelude: mutate `M` (a copy of the reference exports). */
  body: string;
}

/** Prelude of every losses mutant: `R` = reference exports, `M` = the mutated copy, helpers. */
const LOSSES_PRELUDE = `'use strict';
const R = require('./index.js').LOSSES_REFERENCE;
const M = Object.assign({}, R);
const scale = (g, k) => Array.isArray(g[0]) ? g.map((row) => row.map((v) => v * k)) : g.map((v) => v * k);
const GRADS = ['mseGrad', 'binaryCrossEntropyGrad', 'binaryCrossEntropyFromLogitsGrad', 'categoricalCrossEntropyGrad', 'categoricalCrossEntropyFromLogitsGrad'];
const LOSSES = ['mse', 'binaryCrossEntropy', 'binaryCrossEntropyFromLogits', 'categoricalCrossEntropy', 'categoricalCrossEntropyFromLogits'];
const naiveSoftmax = (z) => z.map((row) => { const e = row.map(Math.exp); const s = e.reduce((a, b) => a + b, 0); return e.map((v) => v / s); });
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
`;

const LOSSES_EPILOGUE = `\nmodule.exports = M;\n`;

/** Wraps each gradient in `names` so its output is multiplied by `factor` (a JS expression in yTrue). */
const scaleGrads = (factor: string, names = 'GRADS') => `for (const name of ${names}) {
  const f = R[name];
  M[name] = (yTrue, x) => scale(f(yTrue, x), ${factor});
}`;

export const LOSSES_MUTANTS: readonly MutantSpec[] = [
  { name: 'grad-times-n', description: 'every gradient multiplied by N (the 1/N of the mean forgotten)', body: scaleGrads('yTrue.length') },
  { name: 'mseGrad-times-n', description: 'mseGrad alone multiplied by N', body: scaleGrads('yTrue.length', "['mseGrad']") },
  { name: 'bceLogitsGrad-times-n', description: 'binaryCrossEntropyFromLogitsGrad alone multiplied by N', body: scaleGrads('yTrue.length', "['binaryCrossEntropyFromLogitsGrad']") },
  { name: 'cceLogitsGrad-times-n', description: 'categoricalCrossEntropyFromLogitsGrad alone multiplied by N', body: scaleGrads('yTrue.length', "['categoricalCrossEntropyFromLogitsGrad']") },
  { name: 'grad-times-2', description: 'every gradient multiplied by 2 (e.g. mse convention ½ mixed up)', body: scaleGrads('2') },
  { name: 'grad-sign-flip', description: 'every gradient has the wrong sign (ascent instead of descent)', body: scaleGrads('-1') },
  { name: 'grad-mean-n-minus-1', description: 'every gradient divided by N−1 instead of N (N+1 when N = 1)', body: scaleGrads('yTrue.length > 1 ? yTrue.length / (yTrue.length - 1) : 1 / 2') },
  {
    name: 'loss-mean-n-plus-1',
    description: 'every loss divided by N+1 instead of N',
    body: `for (const name of LOSSES) {
  const f = R[name];
  M[name] = (yTrue, x) => f(yTrue, x) * yTrue.length / (yTrue.length + 1);
}`,
  },
  {
    name: 'bce-naive-log',
    description: 'binary cross-entropy (and gradient) on probabilities with the naive formula: 0·log 0 → NaN at p ∈ {0, 1}',
    body: `M.binaryCrossEntropy = (y, p) => -mean(y.map((yi, i) => yi * Math.log(p[i]) + (1 - yi) * Math.log(1 - p[i])));
M.binaryCrossEntropyGrad = (y, p) => y.map((yi, i) => (-yi / p[i] + (1 - yi) / (1 - p[i])) / y.length);`,
  },
  {
    name: 'cce-naive-log',
    description: 'categorical cross-entropy (and gradient) on probabilities with the naive formula: 0·log 0 → NaN where p = 0',
    body: `M.categoricalCrossEntropy = (Y, P) => -mean(Y.map((row, i) => row.reduce((s, y, k) => s + y * Math.log(P[i][k]), 0)));
M.categoricalCrossEntropyGrad = (Y, P) => Y.map((row, i) => row.map((y, k) => -y / (Y.length * P[i][k])));`,
  },
  {
    name: 'softmax-no-max-shift',
    description: 'softmax computed as exp(z) / Σ exp(z) without subtracting the row max (overflows)',
    body: `M.softmax = naiveSoftmax;`,
  },
  {
    name: 'cce-logits-naive-softmax',
    description: 'categorical cross-entropy from logits (and gradient) through an unshifted softmax and log',
    body: `M.categoricalCrossEntropyFromLogits = (Y, Z) => { const P = naiveSoftmax(Z); return -mean(Y.map((row, i) => row.reduce((s, y, k) => s + (y ? y * Math.log(P[i][k]) : 0), 0))); };
M.categoricalCrossEntropyFromLogitsGrad = (Y, Z) => { const P = naiveSoftmax(Z); return P.map((row, i) => row.map((p, k) => (p - Y[i][k]) / Y.length)); };`,
  },
  {
    name: 'bce-logits-naive',
    description: 'binary cross-entropy from logits as −log σ(z) with a naive sigmoid (log 0 at |z| large)',
    body: `const sig = (z) => 1 / (1 + Math.exp(-z));
M.binaryCrossEntropyFromLogits = (y, z) => -mean(y.map((yi, i) => yi * Math.log(sig(z[i])) + (1 - yi) * Math.log(1 - sig(z[i]))));`,
  },
  {
    name: 'bce-logits-extra-sigmoid-slope',
    description: "binaryCrossEntropyFromLogitsGrad multiplied by σ'(z) = σ(z)(1 − σ(z)) (chain rule applied twice)",
    body: `{
  const f = R.binaryCrossEntropyFromLogitsGrad;
  M.binaryCrossEntropyFromLogitsGrad = (y, z) => { const s = R.sigmoid(z); return f(y, z).map((g, i) => g * s[i] * (1 - s[i])); };
}`,
  },
  {
    name: 'softmax-wrong-axis',
    description: 'softmax normalised over columns (samples) instead of rows (classes)',
    body: `M.softmax = (z) => {
  const cols = z[0].length;
  const out = z.map((row) => row.slice());
  for (let k = 0; k < cols; k++) {
    let m = -Infinity;
    for (const row of z) m = Math.max(m, row[k]);
    let s = 0;
    for (const row of z) s += Math.exp(row[k] - m);
    z.forEach((row, i) => { out[i][k] = Math.exp(row[k] - m) / s; });
  }
  return out;
};`,
  },
];

/** Mutants known for an assignment id (empty when none are defined). */
export function mutantsFor(assignmentId: string): readonly MutantSpec[] {
  return assignmentId === 'losses' ? LOSSES_MUTANTS : [];
}

/** The entry-file source of a mutant. */
export function mutantSource(assignmentId: string, mutant: MutantSpec): string {
  if (assignmentId !== 'losses') throw new Error(`no mutants defined for ${assignmentId}`);
  return `// mlgrade mutant "${mutant.name}": ${mutant.description}\n${LOSSES_PRELUDE}${mutant.body}${LOSSES_EPILOGUE}`;
}
