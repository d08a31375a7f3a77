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

/**
 * Prelude of every training mutant: `R` = reference trainers, `M` = the mutated copy, and `descend`,
 * full-batch gradient descent with a replaceable gradient (for mistakes inside the update).
 */
const TRAINING_PRELUDE = `'use strict';
const ref = require('./index.js');
const R = ref.TRAINING_REFERENCE;
const M = Object.assign({}, R);
const copy = (m) => m.map((row) => (Array.isArray(row) ? row.slice() : row));
/** trainBinary with the gradient given by grad(w, b) → { dw, db }. */
function descendBinary(X, y, o, grad) {
  let w = o.w0.slice();
  let b = o.b0;
  const history = [ref.binaryLoss(X, y, w, b, o.loss)];
  for (let t = 0; t < o.epochs; t++) {
    const g = grad(w, b);
    w = w.map((wj, j) => wj - o.lr * g.dw[j]);
    b = b - o.lr * g.db;
    history.push(ref.binaryLoss(X, y, w, b, o.loss));
  }
  return { w, b, history };
}
/** trainSoftmax with the gradient given by grad(W, b) → { dW, db }. */
function descendSoftmax(X, Y, o, grad) {
  let W = copy(o.W0);
  let b = o.b0.slice();
  const history = [ref.softmaxLoss(X, Y, W, b)];
  for (let t = 0; t < o.epochs; t++) {
    const g = grad(W, b);
    W = W.map((row, j) => row.map((v, k) => v - o.lr * g.dW[j][k]));
    b = b.map((v, k) => v - o.lr * g.db[k]);
    history.push(ref.softmaxLoss(X, Y, W, b));
  }
  return { W, b, history };
}
`;

export const TRAINING_MUTANTS: readonly MutantSpec[] = [
  { name: 'gradient-ascent', description: 'both trainers step up the gradient (w + lr·∇L)', body: `M.trainBinary = (X, y, o) => R.trainBinary(X, y, { ...o, lr: -o.lr });\nM.trainSoftmax = (X, Y, o) => R.trainSoftmax(X, Y, { ...o, lr: -o.lr });` },
  { name: 'lr-applied-twice', description: 'both trainers apply the learning rate twice (steps 2× too long)', body: `M.trainBinary = (X, y, o) => R.trainBinary(X, y, { ...o, lr: 2 * o.lr });\nM.trainSoftmax = (X, Y, o) => R.trainSoftmax(X, Y, { ...o, lr: 2 * o.lr });` },
  { name: 'history-off-by-one', description: 'history lacks the loss before the first update (length epochs)', body: `M.trainBinary = (X, y, o) => { const r = R.trainBinary(X, y, o); return { ...r, history: r.history.slice(1) }; };\nM.trainSoftmax = (X, Y, o) => { const r = R.trainSoftmax(X, Y, o); return { ...r, history: r.history.slice(1) }; };` },
  { name: 'mutates-input', description: 'the initial weights are overwritten with the trained ones', body: `M.trainBinary = (X, y, o) => { const r = R.trainBinary(X, y, o); r.w.forEach((v, j) => { o.w0[j] = v; }); return r; };\nM.trainSoftmax = (X, Y, o) => { const r = R.trainSoftmax(X, Y, o); r.W.forEach((row, j) => row.forEach((v, k) => { o.W0[j][k] = v; })); return r; };` },
  { name: 'no-bias', description: 'the bias is never updated (its gradient is dropped)', body: `M.trainBinary = (X, y, o) => descendBinary(X, y, o, (w, b) => ({ dw: ref.binaryGrad(X, y, w, b, o.loss).dw, db: 0 }));\nM.trainSoftmax = (X, Y, o) => descendSoftmax(X, Y, o, (W, b) => ({ dW: ref.softmaxGrad(X, Y, W, b).dW, db: b.map(() => 0) }));` },
  {
    name: 'mse-without-sigmoid-slope',
    description: "trainBinary's MSE gradient omits σ′(z): ∂L/∂z = 2(p − y)/N",
    body: `M.trainBinary = (X, y, o) => o.loss !== 'mse' ? R.trainBinary(X, y, o) : descendBinary(X, y, o, (w, b) => {
  const p = ref.predictBinary(X, w, b);
  const dz = p.map((pi, i) => (2 * (pi - y[i])) / y.length);
  return { dw: w.map((_, j) => X.reduce((s, row, i) => s + row[j] * dz[i], 0)), db: dz.reduce((s, v) => s + v, 0) };
});`,
  },
];

const PRELUDES: Record<string, { prelude: string; mutants: readonly MutantSpec[] }> = {
  losses: { prelude: LOSSES_PRELUDE, mutants: LOSSES_MUTANTS },
  training: { prelude: TRAINING_PRELUDE, mutants: TRAINING_MUTANTS },
};

/** Mutants known for an assignment id (empty when none are defined). */
export function mutantsFor(assignmentId: string): readonly MutantSpec[] {
  return PRELUDES[assignmentId]?.mutants ?? [];
}

/** The entry-file source of a mutant. */
export function mutantSource(assignmentId: string, mutant: MutantSpec): string {
  const known = PRELUDES[assignmentId];
  if (!known) throw new Error(`no mutants defined for ${assignmentId}`);
  return `// mlgrade mutant "${mutant.name}": ${mutant.description}\n${known.prelude}${mutant.body}${LOSSES_EPILOGUE}`;
}
