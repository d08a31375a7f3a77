/**
 * Seeded and hand-picked inputs of the losses suite. Every seeded case names its seed, so the
 * same submission always sees the same numbers (and an instructor can reproduce a case).
 */
import { softmax } from 'mlgrade/reference';
import { createRng, oneHot, type Case } from 'mlgrade/suite';

/** Labels 0/1 and probabilities in [0.02, 0.98] (no 0.5 exactly: threshold convention). */
export function binaryProbabilities(seed: number, n: number): Case {
  const rng = createRng(seed);
  const yTrue = Array.from({ length: n }, () => rng.int(0, 2));
  const p = Array.from({ length: n }, () => rng.uniform(0.02, 0.98));
  return { label: `seeded, N = ${n} (seed ${seed})`, args: [yTrue, p] };
}

/** Labels 0/1 and logits in [-6, 6]. */
export function binaryLogits(seed: number, n: number): Case {
  const rng = createRng(seed);
  const yTrue = Array.from({ length: n }, () => rng.int(0, 2));
  return { label: `seeded, N = ${n} (seed ${seed})`, args: [yTrue, rng.vector(n, -6, 6)] };
}

/** Real targets and predictions in [-3, 3]. */
export function regression(seed: number, n: number): Case {
  const rng = createRng(seed);
  return { label: `seeded, N = ${n} (seed ${seed})`, args: [rng.vector(n, -3, 3), rng.vector(n, -3, 3)] };
}

/** One-hot labels and softmax probabilities of random logits (rows sum to 1, no zeros). */
export function categoricalProbabilities(seed: number, n: number, k: number): Case {
  const rng = createRng(seed);
  const labels = Array.from({ length: n }, () => rng.int(0, k));
  return { label: `seeded, N = ${n}, K = ${k} (seed ${seed})`, args: [oneHot(labels, k), softmax(rng.matrix(n, k, -3, 3))] };
}

/** One-hot labels and logits in [-5, 5]. */
export function categoricalLogits(seed: number, n: number, k: number): Case {
  const rng = createRng(seed);
  const labels = Array.from({ length: n }, () => rng.int(0, k));
  return { label: `seeded, N = ${n}, K = ${k} (seed ${seed})`, args: [oneHot(labels, k), rng.matrix(n, k, -5, 5)] };
}

/** Logits in [-8, 8], N×K. */
export function logitRows(seed: number, n: number, k: number): Case {
  const rng = createRng(seed);
  return { label: `seeded, ${n}×${k} (seed ${seed})`, args: [rng.matrix(n, k, -8, 8)] };
}

/** Binary labels with probabilities kept away from the 0.5 threshold. */
export function binaryScores(seed: number, n: number): Case {
  const rng = createRng(seed);
  const yTrue = Array.from({ length: n }, () => rng.int(0, 2));
  const scores = Array.from({ length: n }, () => (rng.next() < 0.5 ? rng.uniform(0.01, 0.45) : rng.uniform(0.55, 0.99)));
  return { label: `seeded, N = ${n} (seed ${seed})`, args: [yTrue, scores] };
}

/** Labels 0/1 and scores of which about a third are exactly 0.5, the threshold (p ≥ 0.5 → class 1). */
export function binaryScoresAtThreshold(seed: number, n: number): Case {
  const rng = createRng(seed);
  const yTrue = Array.from({ length: n }, () => rng.int(0, 2));
  const scores = Array.from({ length: n }, () => (rng.next() < 0.35 ? 0.5 : rng.next() < 0.5 ? rng.uniform(0.01, 0.45) : rng.uniform(0.55, 0.99)));
  return { label: `seeded, N = ${n}, with scores of exactly 0.5 (seed ${seed})`, args: [yTrue, scores] };
}

/** Class labels and integer scores in {0, 1, 2}: most rows have a tied maximum. */
export function tiedScores(seed: number, n: number, k: number): Case {
  const rng = createRng(seed);
  const yTrue = Array.from({ length: n }, () => rng.int(0, k));
  const scores = Array.from({ length: n }, () => Array.from({ length: k }, () => rng.int(0, 3)));
  return { label: `seeded, N = ${n}, K = ${k}, with tied scores (seed ${seed})`, args: [yTrue, scores] };
}

/** Logits in [−1000, 1000], N×K: each row's maximum is far above the others, in any column. */
export function hugeLogitRows(seed: number, n: number, k: number): Case {
  const rng = createRng(seed);
  return { label: `seeded, ${n}×${k}, logits in [−1000, 1000] (seed ${seed})`, args: [rng.matrix(n, k, -1000, 1000)] };
}

/** Class labels and score rows without ties. */
export function multiclassScores(seed: number, n: number, k: number): Case {
  const rng = createRng(seed);
  const yTrue = Array.from({ length: n }, () => rng.int(0, k));
  return { label: `seeded, N = ${n}, K = ${k} (seed ${seed})`, args: [yTrue, rng.matrix(n, k, -4, 4)] };
}
