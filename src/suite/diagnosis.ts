/**
 * Diagnoses of the usual mistakes, from the table in shared research numerics.md, each stated
 * only when the measured facts support it: a value off by a constant factor (checked against N,
 * K, N − 1, N + 1, 2 and ½ from the actual shapes — every factor that fits is named, so N = 2 or
 * N = K never hides an alternative), a flipped sign, a dropped or extra sigmoid slope, a known
 * wrong formula whose value the plan carries (computed at declaration, see ./plans), non-finite
 * values explained by what the input holds (huge logits, probabilities of exactly 0 or 1), and
 * softmax along the wrong axis. When nothing fits, no hint is given: the message already says
 * what differs and where.
 *
 * Diagnoses never quote input or expected values (only N and K), so they may be shown for hidden tests.
 */
import { compareClose, type Tolerance } from './closeness';
import { flatten, type Numeric } from './shapes';

/** A known wrong answer at a check's arguments (computed at declaration) and what it means. */
export interface KnownMistake {
  /** The explanation shown when the submission's value is this one. */
  hint: string;
  value: Numeric;
}

/** What the input of a function is, for explaining non-finite results. */
export type InputDomain = 'logits' | 'probabilities';

/** The facts a gradient diagnosis is checked against: N, K, σ′(z) per element, the input's domain and known wrong formulas. */
export interface GradientContext {
  /** Number of samples (rows), for the ×N diagnoses. */
  n: number;
  /** Number of classes (columns) when the input is a matrix. */
  k?: number;
  /**
   * σ′(z) per element when the gradient flows through a sigmoid (logit-space gradients and
   * MSE-through-sigmoid), so that a dropped or extra slope can be recognised.
   */
  sigmoidSlope?: number[];
  /** Known wrong formulas and their values at these arguments, tried before the generic ratios. */
  mistakes?: KnownMistake[];
  /** What the differentiated input is (logits or probabilities), for non-finite results. */
  domain?: InputDomain;
}

/** The shape facts a ratio is checked against. */
export interface RatioContext {
  n: number;
  k?: number;
}

const near = (a: number, b: number, rel = 0.02) => Math.abs(a - b) <= rel * Math.abs(b);

function dot(a: number[], b: number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** e^x overflows to Infinity above this (ln of the largest double). */
const EXP_OVERFLOW = Math.log(Number.MAX_VALUE);
/** e^x underflows to 0 below this. */
const EXP_UNDERFLOW = -745.1332191019412;
/** σ(z) rounds to exactly 1 from here on (and 1 − σ(z) to 0). */
const SIGMOID_SATURATES = 36.8;

/**
 * Every usual mistake that multiplies a value by `s`, given the shapes: the 1/N of a mean missing
 * or applied twice, a mean over N − 1 or N + 1, a division by K (a mean over all N·K entries of a
 * matrix) or by K instead of N, a stray 2 or ½. Empty when none fits within `rel`.
 *
 * @example
 * factorExplanations(2, { n: 2 }) // three explanations: sum instead of mean, N − 1, a stray 2
 */
export function factorExplanations(s: number, shape: RatioContext, rel = 2e-3): string[] {
  const { n, k } = shape;
  const fits: string[] = [];
  if (n >= 2 && near(s, n, rel)) fits.push(`a sum over the batch instead of taking the mean (divide by N = ${n})`);
  if (n >= 2 && near(s, 1 / n, rel)) fits.push(`a division by N = ${n} applied twice`);
  if (k !== undefined && k >= 2 && near(s, 1 / k, rel)) fits.push(`a division by K = ${k}, the number of classes (a mean over all N·K entries instead of a sum over the classes and a mean over the N rows)`);
  if (n >= 2 && near(s, n / (n - 1), rel)) fits.push(`a division by N − 1 = ${n - 1} instead of N = ${n}`);
  if (k !== undefined && k >= 2 && k !== n && near(s, n / k, rel)) fits.push(`a division by K = ${k}, the number of classes (the columns), instead of N = ${n}, the number of samples (the rows)`);
  if (near(s, n / (n + 1), rel)) fits.push(`a division by N + 1 = ${n + 1} instead of N = ${n}`);
  if (near(s, 2, rel)) fits.push('a stray factor 2 (e.g. the 2 of d/dx x² applied twice, or to a loss)');
  if (near(s, 0.5, rel)) fits.push('a factor ½ too many (for a squared error: the ½·mean convention, which this assignment does not use)');
  return fits;
}

/** "twice", "half", "3×" or "1/3 of" — a scale in words. */
function scaleText(s: number): string {
  if (near(s, 2, 1e-3)) return 'twice';
  if (near(s, 0.5, 1e-3)) return 'half';
  if (s > 0 && s < 1) {
    const inverse = 1 / s;
    if (Math.abs(inverse - Math.round(inverse)) < 1e-3 * inverse) return `1/${Math.round(inverse)} of`;
  }
  const rounded = Math.abs(s - Math.round(s)) < 1e-3 ? String(Math.round(s)) : s.toFixed(3);
  return `${rounded}×`;
}

/**
 * One sentence naming every fitting explanation of a constant factor, or undefined.
 * `head` is the measured fact, e.g. "Your gradient is twice the expected value at every element".
 */
function explainFactor(head: string, s: number, shape: RatioContext, rel: number): string | undefined {
  const fits = factorExplanations(s, shape, rel);
  if (fits.length === 0) return undefined;
  if (fits.length === 1) return `${head}: that is ${fits[0]}.`;
  return `${head}. With these shapes that fits ${fits.length} different mistakes — ${fits.map((f, i) => `(${i + 1}) ${f}`).join('; ')}. Check each.`;
}

/** The hint of the first known mistake `got` reproduces (and the exact answer does not), or undefined. */
export function matchKnownMistake(got: Numeric, expected: Numeric, mistakes: readonly KnownMistake[] | undefined, tolerance: Tolerance): string | undefined {
  for (const mistake of mistakes ?? []) {
    if (compareClose(mistake.value, got, tolerance).ok && !compareClose(expected, mistake.value, tolerance).ok) return mistake.hint;
  }
  return undefined;
}

function numbersIn(value: unknown): number[] {
  if (typeof value === 'number') return [value];
  if (Array.isArray(value)) return value.flatMap((v) => numbersIn(v));
  return [];
}


const sameSet = (a: number[], b: number[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Explains non-finite rows of a row-wise exponential (softmax, its gradient) from the logits `z`:
 * which rows overflow without any shift, which when shifting by the row's first entry.
 */
function diagnoseOverflowRows(z: number[][], got: number[][]): string | undefined {
  const bad = got.map((row, i) => (row.some((v) => !Number.isFinite(v)) ? i : -1)).filter((i) => i >= 0);
  if (bad.length === 0) return undefined;
  const unshifted = z.map((row, i) => (Math.max(...row) > EXP_OVERFLOW || Math.max(...row) < EXP_UNDERFLOW ? i : -1)).filter((i) => i >= 0);
  const byFirst = z.map((row, i) => (Math.max(...row) - row[0] > EXP_OVERFLOW ? i : -1)).filter((i) => i >= 0);
  // Which rows is not said: a hidden input's layout stays hidden (the public message shows the worst element).
  const where = `The rows of your result with non-finite values are`;
  if (sameSet(bad, byFirst) && !sameSet(bad, unshifted)) {
    return `${where} exactly those whose maximum is more than 709 above their FIRST entry (e^710 overflows): you seem to subtract the first entry of each row. Subtract the row's maximum, so that the largest exponent is e^0 = 1.`;
  }
  if (sameSet(bad, unshifted) && !sameSet(bad, byFirst)) {
    return `${where} exactly those with an entry above 709 (e^710 overflows to Infinity) or with every entry below −745 (each e^z underflows to 0, and 0/0 is NaN): subtract each row's maximum before exponentiating (softmax(z) = softmax(z − max z)).`;
  }
  if (sameSet(bad, unshifted) && sameSet(bad, byFirst)) {
    return `${where} rows with logits so large that e^z overflows (e^710 = Infinity): subtract each row's maximum (not another entry) before exponentiating.`;
  }
  return undefined;
}

/** True when some probability in the arguments is exactly 0 or 1. */
function hasBoundaryProbability(args: readonly unknown[]): boolean {
  return args.slice(1).some((arg) => numbersIn(arg).some((v) => v === 0 || v === 1));
}

/**
 * Explains a non-finite result from what the input holds, or undefined when nothing does.
 * `what` names the call; `args` are the check's arguments; `domain` says whether the differentiated
 * input holds logits or probabilities; `expected` (when known) tells an infinite exact answer apart.
 */
export function diagnoseNonFinite(what: string, got: Numeric, args: readonly unknown[] = [], domain?: InputDomain, expected?: Numeric): string | undefined {
  const values = flatten(got).values;
  const nan = values.some(Number.isNaN);
  const inf = values.some((x) => x === Infinity || x === -Infinity);
  if (!nan && !inf) return undefined;
  const bad = nan ? 'NaN' : 'Infinity';
  const exactInfinite = expected !== undefined && flatten(expected).values.some((x) => !Number.isFinite(x));
  if (exactInfinite && nan) {
    return 'NaN where the exact answer is +Infinity: a prediction that is certain and wrong (y = 1 with p = 0, or y = 0 with p = 1) has loss −ln 0 = +Infinity. Return Infinity there (do not turn it into NaN through 0·Infinity, Infinity − Infinity or an explicit NaN); clipping p to [ε, 1 − ε] with ε ≤ 1e-7 is accepted too.';
  }
  const inputs = numbersIn(args);
  const largest = inputs.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const fn = what.split('(')[0];
  if (domain === 'logits') {
    const z = args[args.length - 1];
    if (Array.isArray(got) && Array.isArray(got[0]) && Array.isArray(z) && Array.isArray(z[0]) && largest > EXP_OVERFLOW) {
      const rows = diagnoseOverflowRows(z as number[][], got as number[][]);
      if (rows) return rows;
    }
    if (/softmax|categorical/i.test(fn) && largest > EXP_OVERFLOW) {
      return `${bad} with logits beyond ±709 in this input: e^z overflows to Infinity above z = 709 (and underflows to 0 below −745). Subtract each row's maximum before exponentiating, and compute log-probabilities as z − logsumexp(z) with logsumexp(z) = m + ln Σ e^(z − m), m the row maximum.`;
    }
    if (/FromLogits$/.test(fn) && largest >= SIGMOID_SATURATES) {
      return `${bad} with logits of magnitude 37 or more in this input: σ(z) rounds to exactly 1 for z ≥ 37 (and 1 − σ(z) to 0), so ln σ(z) or ln(1 − σ(z)) becomes ln 0. Use the stable form max(z, 0) − z·y + ln(1 + e^(−|z|)) (Math.log1p).`;
    }
    if (largest > EXP_OVERFLOW) {
      return `${bad} with logits beyond ±709 in this input: there e^|z| overflows to Infinity (e^710 = Infinity, Infinity/Infinity = NaN) and σ(z) rounds to exactly 0 or 1. Evaluate σ(z) with exp(−|z|) only (1/(1 + e^(−z)) for z ≥ 0, e^z/(1 + e^z) for z < 0), and never divide by σ(z) or 1 − σ(z).`;
    }
    return undefined;
  }
  if (domain === 'probabilities') {
    if (hasBoundaryProbability(args)) {
      return `${bad} with probabilities of exactly 0 or 1 in this input: log(0) = −Infinity, and 0·log(0) gives NaN. A term whose label weight is 0 contributes nothing: skip it (or clip p to [ε, 1 − ε] with ε ≤ 1e-7).`;
    }
    return undefined;
  }
  return undefined;
}

/** Explains a softmax whose rows do not sum to 1, or undefined. */
export function diagnoseSoftmaxAxis(got: number[][]): string | undefined {
  if (got.length < 2) return undefined;
  const rowSums = got.map((row) => row.reduce((a, b) => a + b, 0));
  const colSums = got[0].map((_, c) => got.reduce((a, row) => a + row[c], 0));
  const rowsOk = rowSums.every((s) => Math.abs(s - 1) < 1e-6);
  const colsOk = colSums.every((s) => Math.abs(s - 1) < 1e-6);
  if (!rowsOk && colsOk) return 'The columns of your result sum to 1, not the rows: softmax must normalise each row (one sample per row), i.e. along axis 1.';
  if (!rowsOk && rowSums.every(Number.isFinite)) return 'The rows of your result do not sum to 1: divide each exponentiated row by its own sum.';
  return undefined;
}

/**
 * One hypothesis for why gradient `g` differs from the reference `r`, or undefined.
 * Order: a known wrong formula of the plan (an exact match, non-finite values included), non-finite
 * values (explained by the input), then the
 * projection scale s = ⟨g,r⟩/⟨r,r⟩ and cosine (constant factors, sign), then σ′ element ratios.
 */
export function diagnoseGradient(what: string, gotValue: Numeric, expectedValue: Numeric, context: GradientContext, args: readonly unknown[] = [], tolerance: Tolerance = { rtol: 1e-5, atol: 1e-8 }): string | undefined {
  const g = flatten(gotValue).values;
  const r = flatten(expectedValue).values;
  const known = matchKnownMistake(gotValue, expectedValue, context.mistakes, tolerance);
  if (known) return known;
  if (g.some((v) => !Number.isFinite(v))) return diagnoseNonFinite(what, gotValue, args, context.domain, expectedValue);
  const rr = dot(r, r);
  const gg = dot(g, g);
  if (rr === 0) return gg === 0 ? undefined : 'The expected gradient is zero here (the prediction is exact), but yours is not.';
  if (gg === 0) {
    const slope = context.sigmoidSlope;
    const vanishingSlope = slope !== undefined && r.every((v, i) => v === 0 || slope[i] < 1e-12);
    if (vanishingSlope) {
      return "Your gradient is 0 at every element where the expected one is not, and at exactly these logits σ′(z) = σ(z)(1 − σ(z)) is 0 (|z| is large): a gradient multiplied by σ′(z) vanishes there. With cross-entropy on logits the sigmoid's slope cancels — the gradient is simply (σ(z) − y)/N.";
    }
    return 'Your gradient is 0 at every element, but the expected one is not.';
  }
  const s = dot(g, r) / rr;
  const cos = dot(g, r) / Math.sqrt(rr * gg);
  if (cos > 0.9999) {
    const factor = explainFactor(`Your gradient is ${scaleText(s)} the expected value at every element`, s, context, 1e-3);
    if (factor) return factor;
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
    if (compared > 0 && dropped) return "Your gradient equals the expected one divided by σ′(z) = σ(z)(1 − σ(z)) at each element: that is the gradient with respect to p = σ(z), not z — the sigmoid's slope is missing from the chain rule (∂L/∂z = ∂L/∂p · σ′(z)).";
  }
  return undefined;
}

/**
 * For a scalar loss that is off by a constant factor: every fitting explanation of the factor
 * (N, K, N − 1, N + 1, 2, ½), or a flipped sign. Undefined when the ratio is none of these.
 *
 * @example
 * diagnoseLossRatio(0.125, 0.25, 10) // "Your value is exactly half the expected one: …"
 * diagnoseLossRatio(1, 3, 3, 3)      // names both a division by N twice and by K
 */
export function diagnoseLossRatio(got: number, expected: number, n: number, k?: number): string | undefined {
  if (!Number.isFinite(got) || expected === 0 || !Number.isFinite(expected)) return undefined;
  const ratio = got / expected;
  if (near(ratio, -1, 1e-3)) return 'Your value has the opposite sign: cross-entropy is −mean(y·ln p …), a positive number.';
  const exactly = near(ratio, 0.5, 1e-3) || near(ratio, 2, 1e-3) ? 'exactly ' : '';
  return explainFactor(`Your value is ${exactly}${scaleText(ratio)} the expected one`, ratio, { n, ...(k !== undefined ? { k } : {}) }, 1e-3);
}
