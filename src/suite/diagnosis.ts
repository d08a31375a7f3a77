/**
 * Diagnoses of the usual mistakes, from the table in shared research numerics.md: a gradient
 * off by a constant factor (×N, ×2, ½), a flipped sign, a dropped or extra sigmoid slope,
 * non-finite values from log(0) or exp overflow, softmax along the wrong axis.
 * Diagnoses never quote input or expected values, so they may be shown for hidden tests.
 */
import { flatten, type Numeric } from './shapes';

export interface GradientContext {
  /** Number of samples (rows), for the ×N diagnosis. */
  n: number;
  /** Number of classes (columns) when the gradient is a matrix. */
  k?: number;
  /**
   * σ′(z) per element when the gradient flows through a sigmoid (logit-space gradients and
   * MSE-through-sigmoid), so that a dropped or extra slope can be recognised.
   */
  sigmoidSlope?: number[];
}

const near = (a: number, b: number, rel = 0.02) => Math.abs(a - b) <= rel * Math.abs(b);

function dot(a: number[], b: number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Explains a non-finite result, or undefined. `what` names the function. */
export function diagnoseNonFinite(what: string, got: Numeric): string | undefined {
  const values = flatten(got).values;
  const nan = values.some(Number.isNaN);
  const inf = values.some((x) => x === Infinity || x === -Infinity);
  if (!nan && !inf) return undefined;
  if (/softmax|categorical.*Logits/i.test(what)) {
    return `${nan ? 'NaN' : 'Infinity'} at large logits: exp(1000) overflows to Infinity. Subtract each row's maximum before exponentiating (softmax(z) = softmax(z − max z)), and compute log-probabilities as z − logsumexp(z).`;
  }
  if (/FromLogits/.test(what)) {
    return `${nan ? 'NaN' : 'Infinity'} at large |z|: log(σ(z)) underflows to log(0) = −Infinity, or exp(z) overflows. Use the stable form max(z, 0) − z·y + log(1 + exp(−|z|)).`;
  }
  if (/CrossEntropy/.test(what)) {
    return `${nan ? 'NaN' : 'Infinity'} at probabilities of exactly 0 or 1: log(0) = −Infinity, and 0·log(0) gives NaN. A term whose label weight is 0 contributes nothing: skip it (or clip p to [ε, 1 − ε]).`;
  }
  if (/sigmoid/i.test(what)) return `${nan ? 'NaN' : 'Infinity'} at large |z|: use exp(−|z|) so that exp never overflows.`;
  return `the result contains ${nan ? 'NaN' : 'Infinity'}`;
}

/** Explains a softmax whose rows do not sum to 1, or undefined. */
export function diagnoseSoftmaxAxis(got: number[][]): string | undefined {
  if (got.length < 2) return undefined;
  const rowSums = got.map((row) => row.reduce((a, b) => a + b, 0));
  const colSums = got[0].map((_, c) => got.reduce((a, row) => a + row[c], 0));
  const rowsOk = rowSums.every((s) => Math.abs(s - 1) < 1e-6);
  const colsOk = colSums.every((s) => Math.abs(s - 1) < 1e-6);
  if (!rowsOk && colsOk) return 'The columns of your result sum to 1, not the rows: softmax must normalise each row (one sample per row), i.e. along axis 1.';
  if (!rowsOk) return 'The rows of your result do not sum to 1: divide each exponentiated row by its own sum.';
  return undefined;
}

/**
 * One hypothesis for why gradient `g` differs from the reference `r`, or undefined.
 * Uses the projection scale s = ⟨g,r⟩/⟨r,r⟩ and the cosine of the angle between them.
 */
export function diagnoseGradient(what: string, gotValue: Numeric, expectedValue: Numeric, context: GradientContext): string | undefined {
  const g = flatten(gotValue).values;
  const r = flatten(expectedValue).values;
  const nonFinite = diagnoseNonFinite(what, gotValue);
  if (nonFinite) return nonFinite;
  const rr = dot(r, r);
  const gg = dot(g, g);
  if (rr === 0) return gg === 0 ? undefined : 'The expected gradient is zero here (the prediction is exact), but yours is not.';
  if (gg === 0) return 'Your gradient is zero everywhere: is the update term missing, or multiplied by 0?';
  const s = dot(g, r) / rr;
  const cos = dot(g, r) / Math.sqrt(rr * gg);
  const n = context.n;
  if (cos > 0.9999) {
    if (n > 2 && near(s, n)) return `Your gradient is ${s.toFixed(2)}× the expected value at every element, and N = ${n}: did you sum over the batch instead of taking the mean (divide by N)?`;
    if (n > 2 && near(s, 1 / n)) return `Your gradient is 1/${n} of the expected value at every element (N = ${n}): did you divide by N twice?`;
    if (near(s, 2)) return 'Your gradient is 2× the expected value at every element: check the factor 2 from the square (and the ½ convention).';
    if (near(s, 0.5)) return 'Your gradient is half the expected value at every element: d/dx (x²) = 2x — the ½ convention (loss = ½·mean of squares) drops this factor 2, but this assignment\'s MSE has no ½.';
    if (!near(s, 1, 1e-4)) return `Your gradient points the right way but is ${s.toFixed(3)}× the expected size at every element: a constant factor is off.`;
  }
  if (cos < -0.9999) {
    if (near(s, -1)) return 'Your gradient has the right size but the opposite sign at every element: the gradient of the loss points uphill — check the sign (e.g. y − p instead of p − y, or a missing minus in −log p).';
    return `Your gradient points exactly the opposite way (sign flipped) and is ${Math.abs(s).toFixed(3)}× the size.`;
  }
  if (context.sigmoidSlope) {
    const slope = context.sigmoidSlope;
    let extra = true;
    let dropped = true;
    let compared = 0;
    for (let i = 0; i < g.length; i++) {
      if (Math.abs(r[i]) < 1e-12 || slope[i] < 1e-8) continue;
      compared += 1;
      const ratio = g[i] / r[i];
      if (!near(ratio, slope[i], 1e-3)) extra = false;
      if (!near(ratio, 1 / slope[i], 1e-3)) dropped = false;
    }
    if (compared > 0 && extra) return "Your gradient equals the expected one multiplied by σ′(z) = σ(z)(1 − σ(z)) at each element: with cross-entropy on logits the sigmoid's slope cancels — the gradient is simply (σ(z) − y)/N.";
    if (compared > 0 && dropped) return "Your gradient equals the expected one divided by σ′(z) = σ(z)(1 − σ(z)) at each element: you dropped the sigmoid's slope — through a sigmoid, MSE's gradient with respect to z is 2(σ(z) − y)·σ′(z)/N.";
  }
  // Element-wise constant ratio that is none of the above.
  return undefined;
}

/**
 * For a scalar loss that is off by a constant factor: the ½ convention, a sum instead of a mean,
 * or a flipped sign. Undefined when the ratio is none of these.
 */
export function diagnoseLossRatio(got: number, expected: number, n: number): string | undefined {
  if (!Number.isFinite(got) || expected === 0) return undefined;
  const ratio = got / expected;
  if (near(ratio, 0.5, 1e-3)) return 'Your value is exactly half the expected one: this assignment\'s loss has no ½ factor (mean of squared errors, not ½·mean).';
  if (near(ratio, 2, 1e-3)) return 'Your value is exactly twice the expected one: check for a stray factor 2.';
  if (n > 2 && near(ratio, n, 1e-3)) return `Your value is ${n}× the expected one, and N = ${n}: take the mean over the samples, not the sum.`;
  if (n > 2 && near(ratio, 1 / n, 1e-3)) return `Your value is 1/${n} of the expected one (N = ${n}): did you divide by N twice?`;
  if (near(ratio, -1, 1e-3)) return 'Your value has the opposite sign: cross-entropy is −mean(y·ln p …), a positive number.';
  return undefined;
}
