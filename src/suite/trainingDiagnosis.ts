/**
 * Diagnoses of the usual mistakes in a gradient-descent training loop, from what a trainer
 * returned compared with the reference trainer on the same data, initialisation and learning rate:
 * - where a loss history first departs from the reference (and whether it is one value short);
 * - what is wrong with the first update: gradient ascent, a frozen bias, the learning rate applied
 *   twice (or squared, or missing), a sum instead of a mean, MSE through a sigmoid without σ′(z);
 * - where the loss first rises;
 * - which input the trainer modified.
 * Pure functions. Hints (the strings returned by `diagnose…`) never quote input or expected values,
 * so they may be shown for hidden tests; `describe…` sentences do quote values and belong in
 * messages only.
 */
import type { Tolerance } from './closeness';
import { formatNumber } from './describe';
import { diagnoseLossRatio } from './diagnosis';

/** A parameter update (after − before), flattened: all weights, then all biases. */
export interface ParameterStep {
  weights: number[];
  biases: number[];
}

/** Known wrong updates that the grader can compute exactly, to recognise them by value. */
export type StepVariant = 'mse-without-sigmoid-slope' | 'bce-with-sigmoid-slope';

/** The step a known mistake would have taken from the same start. */
export interface StepAlternative {
  variant: StepVariant;
  step: ParameterStep;
}

export interface StepContext {
  /** Learning rate η of the run. */
  lr: number;
  /** Number of samples N (for "sum instead of mean"). */
  n: number;
  /** Steps of known mistakes, checked before the constant-factor analysis. */
  alternatives?: StepAlternative[];
}

const near = (a: number, b: number, rel = 1e-3) => Math.abs(a - b) <= rel * Math.abs(b);

function dot(a: number[], b: number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function flat(step: ParameterStep): number[] {
  return [...step.weights, ...step.biases];
}

/** True when every element of `got` is within `rel`·max|expected| (+1e-300) of `expected`. */
function vectorsClose(got: number[], expected: number[], rel: number): boolean {
  if (got.length !== expected.length) return false;
  const scale = Math.max(0, ...expected.map(Math.abs));
  const allowed = rel * scale + 1e-300;
  return got.every((g, i) => Math.abs(g - expected[i]) <= allowed);
}

/**
 * The update from `before` to `after` (after − before), element by element.
 *
 * @example
 * stepBetween({ weights: [1, 2], biases: [0] }, { weights: [0.5, 2], biases: [0.1] })
 * // returns { weights: [-0.5, 0], biases: [0.1] }
 */
export function stepBetween(before: ParameterStep, after: ParameterStep): ParameterStep {
  return {
    weights: after.weights.map((a, i) => a - before.weights[i]),
    biases: after.biases.map((a, i) => a - before.biases[i]),
  };
}

/**
 * Whether two steps agree to a relative precision `rel` of the larger of them (weights and biases
 * together, scaled by the largest element of `expected`).
 *
 * @example
 * stepsClose({ weights: [0.1], biases: [0.2] }, { weights: [0.1], biases: [0.2 + 1e-12] }) // returns true
 */
export function stepsClose(got: ParameterStep, expected: ParameterStep, rel = 1e-6): boolean {
  return vectorsClose(flat(got), flat(expected), rel);
}

const VARIANT_HINTS: Record<StepVariant, string> = {
  'mse-without-sigmoid-slope':
    "Your MSE updates are those of the gradient without σ′(z): you used ∂L/∂z_i = 2(σ(z_i) − y_i)/N — the derivative of the MSE with respect to the prediction p — and stopped the chain rule there. Through the sigmoid, ∂L/∂z_i = 2(σ(z_i) − y_i)·σ′(z_i)/N with σ′(z) = σ(z)(1 − σ(z)). Without σ′ your 'MSE' trains like cross-entropy; the real one barely moves from a saturated start, which is the point of the exercise.",
  'bce-with-sigmoid-slope':
    "Your cross-entropy updates carry an extra σ′(z): with a sigmoid output, ∂L/∂z_i = (σ(z_i) − y_i)/N — the sigmoid's slope cancels out of the cross-entropy gradient. Multiplying by σ(z)(1 − σ(z)) again makes cross-entropy as slow as MSE from a saturated start.",
};

/** The hint for a known wrong update (see {@link StepVariant}). */
export function variantHint(variant: StepVariant): string {
  return VARIANT_HINTS[variant];
}

export const NO_BIAS_HINT =
  "b never changes from b0 — your update leaves the bias exactly where it started, while the reference's bias moves: the bias gradient ∂L/∂b = Σ_i ∂L/∂z_i is missing from your update (b ← b − η·∂L/∂b). Without it the decision boundary can only rotate around the origin.";

export const ASCENT_HINT =
  'Your first update is exactly −1× the reference step: you moved up the gradient (gradient ascent), so the loss grows. Gradient descent subtracts the gradient: w ← w − η·∂L/∂w, b ← b − η·∂L/∂b (the gradient of the loss points uphill).';

export const LR_TWICE_HINT =
  'Your first update is exactly 2× the reference step: the learning rate step is applied twice — η·∂L/∂w is subtracted two times per epoch (for example a helper that updates the parameters in place and also returns w − η·g, which you then assign back).';

/** Explains a step that is a constant multiple of the reference step, or undefined. */
function diagnoseFactor(got: number[], expected: number[], context: StepContext): string | undefined {
  const rr = dot(expected, expected);
  const gg = dot(got, got);
  if (rr === 0 || gg === 0) return undefined;
  const s = dot(got, expected) / rr;
  const cos = dot(got, expected) / Math.sqrt(rr * gg);
  const { lr, n } = context;
  if (cos > 0.9999) {
    if (near(s, 1, 1e-4)) return undefined;
    if (near(s, 2)) return LR_TWICE_HINT;
    if (!near(lr, 1, 0.05) && near(s, lr)) return 'Your first update is η× the reference step (η = your learning rate): the gradient is multiplied by the learning rate twice — η² instead of η.';
    if (!near(lr, 1, 0.05) && near(s, 1 / lr)) return 'Your first update is 1/η× the reference step (η = your learning rate): the learning rate is missing — w ← w − η·∂L/∂w.';
    if (n > 2 && near(s, n)) return `Your first update is N× the reference step (N = ${n} samples): the gradient sums over the samples instead of taking the mean (divide by N).`;
    if (n > 2 && near(s, 1 / n)) return `Your first update is 1/N of the reference step (N = ${n} samples): the gradient is divided by N twice.`;
    if (near(s, 0.5)) return "Your first update is half the reference step: this assignment's MSE has no ½, so its gradient keeps the factor 2 — ∂L/∂z_i = 2(σ(z_i) − y_i)·σ′(z_i)/N.";
    return `Your first update points the right way but is ${s.toFixed(3)}× the reference step: a constant factor in your gradient or learning rate is off.`;
  }
  if (cos < -0.9999) {
    if (near(s, -1)) return ASCENT_HINT;
    return `Your first update points exactly the wrong way (uphill) and is ${Math.abs(s).toFixed(3)}× the size of the reference step: check the sign of the update (w ← w − η·∂L/∂w) and the scale of your gradient.`;
  }
  return undefined;
}

/**
 * Explains why the first update `got` (student: parameters after one epoch − initial ones) differs
 * from the reference update `expected`; undefined when they agree (to 1e-6 relative) or no known
 * mistake fits. Checks, in order: non-finite values, no change at all, the known wrong updates in
 * `context.alternatives`, a frozen bias, a constant factor (−1: ascent; 2: η twice; η: η²;
 * 1/η: no η; N: sum; 1/N; ½), then weights-only or bias-only mistakes.
 *
 * @example
 * diagnoseStep({ weights: [0.2], biases: [0.4] }, { weights: [-0.2], biases: [-0.4] }, { lr: 0.3, n: 10 })
 * // returns ASCENT_HINT ("… exactly −1× the reference step … gradient ascent …")
 */
export function diagnoseStep(got: ParameterStep, expected: ParameterStep, context: StepContext): string | undefined {
  const g = flat(got);
  const r = flat(expected);
  if (!g.every(Number.isFinite)) return 'Your first update already produces NaN or Infinity: look for log(0), an overflowing exp, or a division by zero in your gradient.';
  if (stepsClose(got, expected)) return undefined;
  if (g.every((x) => x === 0)) return 'Your parameters do not change at all during the first epoch: is the update w ← w − η·∂L/∂w computed, and stored back into the parameters you return?';
  for (const alternative of context.alternatives ?? []) {
    if (stepsClose(got, alternative.step, 1e-6)) return variantHint(alternative.variant);
  }
  const biasMoves = expected.biases.some((x) => x !== 0);
  if (biasMoves && got.biases.every((x) => x === 0)) {
    if (vectorsClose(got.weights, expected.weights, 1e-6)) return NO_BIAS_HINT;
    const weights = diagnoseFactor(got.weights, expected.weights, context);
    return weights ? `${NO_BIAS_HINT} Also, for the weights: ${weights}` : NO_BIAS_HINT;
  }
  const factor = diagnoseFactor(g, r, context);
  if (factor) return factor;
  const weightsRight = vectorsClose(got.weights, expected.weights, 1e-6);
  const biasesRight = vectorsClose(got.biases, expected.biases, 1e-6);
  if (weightsRight && !biasesRight) return 'Your weights move exactly like the reference, but the bias does not: ∂L/∂b = Σ_i ∂L/∂z_i — the same per-sample terms as the weight gradient, without the factor x_ij.';
  if (biasesRight && !weightsRight) return 'Your bias moves exactly like the reference, but the weights do not: ∂L/∂w_j = Σ_i x_ij·∂L/∂z_i (that is Xᵀ·dz) — check the indices and the factor x_ij.';
  return undefined;
}

/** Where two histories first differ beyond the tolerance. */
export interface Departure {
  index: number;
  got: number;
  expected: number;
}

/**
 * The first index at which `got` leaves `expected` by more than atol + rtol·|expected|
 * (non-finite values must match exactly), comparing the common prefix; undefined when none does.
 *
 * @example
 * firstDeparture([1, 0.5, 0.3], [1, 0.5, 0.2], { rtol: 1e-6, atol: 1e-9 }) // returns { index: 2, got: 0.3, expected: 0.2 }
 */
export function firstDeparture(got: number[], expected: number[], tolerance: Tolerance): Departure | undefined {
  const length = Math.min(got.length, expected.length);
  for (let i = 0; i < length; i++) {
    const g = got[i];
    const e = expected[i];
    const ok = Number.isFinite(g) && Number.isFinite(e) ? Math.abs(g - e) <= tolerance.atol + tolerance.rtol * Math.abs(e) : Object.is(g, e);
    if (!ok) return { index: i, got: g, expected: e };
  }
  return undefined;
}

/**
 * One sentence saying where a history departs and what that means (quotes values: for messages).
 *
 * @example
 * describeDeparture({ index: 1, got: 0.71, expected: 0.65 })
 * // returns "history[0] matches but history[1] = 0.71 vs expected 0.65: your first update is wrong"
 */
export function describeDeparture(departure: Departure): string {
  const { index, got, expected } = departure;
  const values = `history[${index}] = ${formatNumber(got)} vs expected ${formatNumber(expected)}`;
  if (index === 0) return `${values}: the loss at the initial parameters (w0, b0), before any update, already differs`;
  if (index === 1) return `history[0] matches but ${values}: your first update is wrong`;
  return `history[0…${index - 1}] match but ${values}: your trajectory leaves the reference's at update ${index}`;
}

/** Whether two equally long vectors agree within `tolerance` everywhere. */
function historiesClose(got: number[], expected: number[], tolerance: Tolerance): boolean {
  return got.length === expected.length && firstDeparture(got, expected, tolerance) === undefined;
}

export const RECORDED_BEFORE_UPDATE_HINT =
  'Your history is one value short (epochs values instead of epochs + 1) and equals the reference without its last value: you record the loss before each update, so the loss after the final update is missing. Record it once before the loop (history[0], at w0 and b0) and once after every update.';

export const MISSING_INITIAL_LOSS_HINT =
  'Your history is one value short (epochs values instead of epochs + 1) and equals the reference without its first value: history[0] must be the loss at the initial parameters (w0, b0), before any update. Record it once before the loop, then once after every update.';

/**
 * Explains a history of the wrong length (`expected` is the reference history, length epochs + 1),
 * or undefined when the lengths agree.
 *
 * @example
 * diagnoseHistoryLength([0.9, 0.8], [0.9, 0.8, 0.7], { rtol: 1e-6, atol: 1e-9 }) // returns RECORDED_BEFORE_UPDATE_HINT
 */
export function diagnoseHistoryLength(got: number[], expected: number[], tolerance: Tolerance): string | undefined {
  if (got.length === expected.length) return undefined;
  if (got.length === expected.length - 1) {
    if (historiesClose(got, expected.slice(0, -1), tolerance)) return RECORDED_BEFORE_UPDATE_HINT;
    if (historiesClose(got, expected.slice(1), tolerance)) return MISSING_INITIAL_LOSS_HINT;
    return 'Your history is one value short: it needs epochs + 1 values — history[0] is the loss at (w0, b0) before any update, history[t] the loss after t updates.';
  }
  if (got.length === expected.length + 1) return 'Your history has one value too many: it needs exactly epochs + 1 values — history[0] at (w0, b0), then one per update. Do not record the initial loss twice.';
  return 'Your history has the wrong length: it needs epochs + 1 values — history[0] is the loss at (w0, b0) before any update, history[t] the loss after t updates.';
}

/**
 * Explains a wrong history[0] (the loss at the initial parameters): a constant factor (½, 2, N,
 * sign) or the other loss than the one asked for. `otherLoss` is the value of the other loss
 * (e.g. BCE when MSE was asked) at the same parameters.
 *
 * @example
 * diagnoseInitialLoss(0.25, 0.5, { n: 10, loss: 'mse' }) // returns "Your value is exactly half the expected one: …"
 */
export function diagnoseInitialLoss(got: number, expected: number, context: { n: number; loss: string; otherLoss?: { name: string; value: number } }): string | undefined {
  if (!Number.isFinite(got)) return 'Your loss at the initial parameters is not finite: look for log(0) (clip or use the from-logits form) or an overflowing exp.';
  const other = context.otherLoss;
  if (other && Math.abs(got - other.value) <= 1e-9 + 1e-6 * Math.abs(other.value)) {
    return `Your history holds the ${other.name} loss, but opts.loss asked for '${context.loss}': compute the loss that opts.loss names (the same one whose gradient you follow).`;
  }
  const ratio = diagnoseLossRatio(got, expected, context.n);
  return ratio ? `${ratio} (This is history[0], the ${context.loss} loss at the initial parameters.)` : undefined;
}

/** A rise of the loss between two consecutive history entries. */
export interface Rise {
  /** history[index] > history[index − 1]. */
  index: number;
  before: number;
  after: number;
}

/**
 * The first t with history[t] > history[t − 1] (beyond a relative slack for rounding), or a
 * non-finite entry; undefined when the history never rises.
 *
 * @example
 * firstRise([1, 0.8, 0.81, 0.5]) // returns { index: 2, before: 0.8, after: 0.81 }
 */
export function firstRise(history: number[], rtol = 1e-12): Rise | undefined {
  for (let t = 1; t < history.length; t++) {
    const before = history[t - 1];
    const after = history[t];
    if (!Number.isFinite(after) || after > before + rtol * Math.abs(before) + 1e-15) return { index: t, before, after };
  }
  return undefined;
}

/** A value that differs between two copies of the inputs. */
export interface Mutation {
  /** Path of the first changed value, e.g. `opts.w0[1]` or `X[3][0]`. */
  path: string;
  before: unknown;
  after: unknown;
}

function sameNumber(a: unknown, b: unknown): boolean {
  return a === b || (typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b));
}

/**
 * The first difference between `before` and `after` (plain data: numbers, strings, arrays,
 * objects), depth first, with its path; undefined when they are equal.
 *
 * @example
 * firstMutation({ w0: [1, 2] }, { w0: [1, 5] }, 'opts') // returns { path: 'opts.w0[1]', before: 2, after: 5 }
 */
export function firstMutation(before: unknown, after: unknown, path: string): Mutation | undefined {
  if (Array.isArray(before)) {
    if (!Array.isArray(after) || after.length !== before.length) return { path, before, after };
    for (let i = 0; i < before.length; i++) {
      const inner = firstMutation(before[i], after[i], `${path}[${i}]`);
      if (inner) return inner;
    }
    return undefined;
  }
  if (before !== null && typeof before === 'object') {
    if (after === null || typeof after !== 'object' || Array.isArray(after)) return { path, before, after };
    const keys = new Set([...Object.keys(before), ...Object.keys(after as object)]);
    for (const key of keys) {
      const inner = firstMutation((before as Record<string, unknown>)[key], (after as Record<string, unknown>)[key], `${path}.${key}`);
      if (inner) return inner;
    }
    return undefined;
  }
  return sameNumber(before, after) ? undefined : { path, before, after };
}

function show(value: unknown): string {
  if (typeof value === 'number') return formatNumber(value);
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  return value === undefined ? 'missing' : JSON.stringify(value) ?? String(value);
}

/**
 * One sentence naming the changed input and its values (for messages).
 *
 * @example
 * describeMutation({ path: 'opts.w0[1]', before: 2, after: 5 }) // returns "opts.w0[1] was 2 before the call and 5 after it"
 */
export function describeMutation(mutation: Mutation): string {
  return `${mutation.path} was ${show(mutation.before)} before the call and ${show(mutation.after)} after it`;
}

/**
 * Explains how an input came to be modified, from the path of the change (no values).
 *
 * @example
 * diagnoseMutation({ path: 'opts.w0[0]', before: 0.1, after: 0.4 }) // returns "You updated opts.w0 in place: …"
 */
export function diagnoseMutation(mutation: Mutation): string {
  const root = /^opts\.(\w+)/.exec(mutation.path)?.[1];
  if (root && /^opts\.\w+$/.test(mutation.path) && !Array.isArray(mutation.before)) return `You assigned a new value to opts.${root}: treat the options as read-only and keep your own variables.`;
  if (root === 'w0' || root === 'b0' || root === 'W0') {
    const alias = root === 'W0' ? '`const W = opts.W0`, or `opts.W0.slice()`, which copies the outer array but shares its rows' : root === 'b0' ? '`const b = opts.b0`' : '`const w = opts.w0`';
    const copy = root === 'W0' ? 'const W = opts.W0.map((row) => row.slice())' : root === 'b0' ? 'const b = opts.b0.slice()' : 'const w = opts.w0.slice()';
    return `You updated opts.${root} in place: assigning an array (${alias}) does not copy it — it gives the caller's array a second name, so every update also changes the caller's initial parameters. Copy first: \`${copy}\`.`;
  }
  if (root) return `You changed opts.${root}: treat the options as read-only.`;
  if (/^X\b/.test(mutation.path)) return 'You modified X: do not normalise, shuffle or extend the caller\'s data in place — build a new array (e.g. X.map((row) => …)) and leave X as it was.';
  if (/^[yY]\b/.test(mutation.path)) return 'You modified the labels: leave the caller\'s y / Y as they were and build new arrays if you need to transform them.';
  return 'Your trainer modified one of its inputs: copy what you need to change.';
}
