/**
 * Diagnoses of a wrong gradient-descent update, from measured steps: the student's update from
 * some parameters compared with the reference's update from the same parameters, parameter by
 * parameter, and — for a later update — with the step a fresh run takes from the same place.
 *
 * - {@link diagnoseStep}: what is wrong with an update rule at one point: non-finite, no change,
 *   a known wrong update recognised by value (MSE without σ′, cross-entropy with σ′, the other
 *   loss's gradient), a constant factor on every parameter (−1 ascent, 2 η twice, η², no η, N sum,
 *   1/N, ½), then per group (weights / biases): a frozen bias, a sign or factor on one group only,
 *   weight decay (the difference points along −w), a sign flipped on some parameters only; else
 *   a plain statement of which parameters differ.
 * - {@link diagnoseStateful}: an update that differs from the reference's although a fresh run from
 *   the same parameters takes the reference's step — the update depends on the epoch or on earlier
 *   updates: a learning-rate schedule, momentum, a gradient not recomputed.
 *
 * Pure functions. Hints quote no input or expected value (they are shown for hidden tests too);
 * they may quote factors measured on the student's own steps (β, λ, s×).
 */

/** A parameter update (after − before) or a point, flattened: all weights, then all biases. */
export interface ParameterStep {
  weights: number[];
  biases: number[];
}

/** Known wrong updates that the grader can compute exactly, to recognise them by value. */
export type StepVariant =
  | 'mse-without-sigmoid-slope'
  | 'bce-with-sigmoid-slope'
  | 'bce-gradient-for-mse'
  | 'mse-gradient-for-bce'
  | 'bias-at-updated-weights'
  | 'weights-at-updated-bias';

/** The step a known mistake would have taken from the same start. */
export interface StepAlternative {
  variant: StepVariant;
  step: ParameterStep;
}

/** What {@link diagnoseStep} needs to explain a wrong update: the learning rate, N, and the steps of known mistakes. */
export interface StepContext {
  /** Learning rate η of the run. */
  lr: number;
  /** Number of samples N (for "sum instead of mean"). */
  n: number;
  /** Steps of known mistakes from the same parameters, checked before any factor analysis. */
  alternatives?: StepAlternative[];
  /** The parameters the update starts from (for weight decay: a difference along −w). */
  before?: ParameterStep;
  /** Which update this is (1 = the first; default 1), for the wording. */
  index?: number;
  /** Names of the parameters, flattened like the steps (default `weight j`, `bias k`). */
  names?: string[];
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
  'bce-gradient-for-mse':
    "With opts.loss = 'mse' your updates are exactly those of cross-entropy (∂L/∂z_i = (σ(z_i) − y_i)/N): your update ignores opts.loss. For 'mse', ∂L/∂z_i = 2(σ(z_i) − y_i)·σ′(z_i)/N.",
  'bias-at-updated-weights':
    'Your weights move exactly like the reference\'s, and your bias step is the gradient taken at the ALREADY-UPDATED weights: you update w, then compute ∂L/∂b from the new predictions. Gradient descent takes every gradient at the current parameters first, then updates them all (§3.1: "both from the gradient at the current parameters").',
  'weights-at-updated-bias':
    'Your bias moves exactly like the reference\'s, and your weight step is the gradient taken at the ALREADY-UPDATED bias: you update b, then compute ∂L/∂w from the new predictions. Gradient descent takes every gradient at the current parameters first, then updates them all.',
  'mse-gradient-for-bce':
    "With opts.loss = 'bce' your updates are exactly those of the MSE (∂L/∂z_i = 2(σ(z_i) − y_i)·σ′(z_i)/N): your update ignores opts.loss. For 'bce', ∂L/∂z_i = (σ(z_i) − y_i)/N.",
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

export const BIAS_SIGN_HINT =
  "Your weights move exactly like the reference's, but your bias moves by exactly −1× the reference's step: the bias update has the wrong sign. Gradient descent subtracts for every parameter: b ← b − η·∂L/∂b with ∂L/∂b = Σ_i ∂L/∂z_i.";

export const WEIGHT_SIGN_HINT =
  "Your bias moves exactly like the reference's, but your weights move by exactly −1× the reference's step: the weight update has the wrong sign. Gradient descent subtracts for every parameter: w ← w − η·∂L/∂w with ∂L/∂w = Xᵀ·∂L/∂z.";

/** "Your first update", "Your second update", "Your update 7". */
export function updateName(index: number): string {
  if (index === 1) return 'Your first update';
  if (index === 2) return 'Your second update';
  return `Your update ${index}`;
}

/** The sentence of a hint with "Your first update" replaced by the update's name. */
function forUpdate(hint: string, index: number): string {
  return index === 1 ? hint : hint.replace(/^Your first update/, updateName(index));
}

/** Words for a step that is exactly `s`× the reference step (every parameter), or undefined for 1×. */
function explainScale(s: number, context: StepContext, subject: string): string | undefined {
  const { lr, n } = context;
  if (near(s, 1, 1e-4)) return undefined;
  if (near(s, -1)) return `${subject} is exactly −1× the reference step: you moved up the gradient (gradient ascent), so the loss grows. Gradient descent subtracts the gradient: w ← w − η·∂L/∂w, b ← b − η·∂L/∂b (the gradient of the loss points uphill).`;
  if (near(s, 2)) return `${subject} is exactly 2× the reference step: the learning rate step is applied twice — η·∂L/∂w is subtracted two times per epoch (for example a helper that updates the parameters in place and also returns w − η·g, which you then assign back).`;
  if (!near(lr, 1, 0.05) && near(s, lr)) return `${subject} is η× the reference step (η = your learning rate): the gradient is multiplied by the learning rate twice — η² instead of η.`;
  if (!near(lr, 1, 0.05) && near(s, 1 / lr)) return `${subject} is 1/η× the reference step (η = your learning rate): the learning rate is missing — w ← w − η·∂L/∂w.`;
  if (n > 2 && near(s, n)) return `${subject} is N× the reference step (N = ${n} samples): the gradient sums over the samples instead of taking the mean (divide by N).`;
  if (n > 2 && near(s, 1 / n)) return `${subject} is 1/N of the reference step (N = ${n} samples): the gradient is divided by N twice.`;
  if (near(s, 0.5)) return `${subject} is half the reference step: this assignment's MSE has no ½, so its gradient keeps the factor 2 — ∂L/∂z_i = 2(σ(z_i) − y_i)·σ′(z_i)/N.`;
  if (s < 0) return `${subject} is exactly ${s.toFixed(3)}× the reference step: it points uphill — check the sign of the update (w ← w − η·∂L/∂w) and the scale of your gradient.`;
  return `${subject} is exactly ${s.toFixed(3)}× the reference step: a constant factor in your gradient or learning rate is off.`;
}

/** How well one vector is a multiple of another. */
interface Fit {
  /** The least-squares factor ⟨got, basis⟩/⟨basis, basis⟩. */
  s: number;
  /** |got − s·basis| / |got|: 0 for an exact multiple. */
  residual: number;
}

function fitMultiple(got: number[], basis: number[]): Fit | undefined {
  const bb = dot(basis, basis);
  const gg = dot(got, got);
  if (bb === 0 || gg === 0) return undefined;
  const s = dot(got, basis) / bb;
  let r = 0;
  for (let i = 0; i < got.length; i++) r += (got[i] - s * basis[i]) ** 2;
  return { s, residual: Math.sqrt(r / gg) };
}

/** A fit this good is a measured fact (a correct trainer agrees with the reference to ~1e-13). */
const EXACT = 1e-6;

const exactMultiple = (got: number[], basis: number[]): number | undefined => {
  const fit = fitMultiple(got, basis);
  return fit && fit.residual <= EXACT ? fit.s : undefined;
};

/**
 * The decay rate λ when got − expected = −η·λ·w exactly on the weights, with λ > 0 and the biases
 * untouched (`biases: 'same'`) or decayed with the same λ (`biases: 'decayed'`); undefined otherwise.
 *
 * @example
 * decayRate({ weights: [-0.1 - 0.3 * 0.01 * 2], biases: [0.05] }, { weights: [-0.1], biases: [0.05] }, { weights: [2], biases: [1] }, 0.3)
 * // returns { lambda: 0.01 (to rounding), biases: 'same' }
 */
export function decayRate(got: ParameterStep, expected: ParameterStep, before: ParameterStep, lr: number): { lambda: number; biases: 'same' | 'decayed' } | undefined {
  if (before.weights.every((w) => w === 0)) return undefined;
  const dw = got.weights.map((g, i) => g - expected.weights[i]);
  const db = got.biases.map((g, i) => g - expected.biases[i]);
  const scale = Math.sqrt(dot(flat(got), flat(got)));
  const s = exactMultiple(dw, before.weights.map((w) => -w));
  if (s === undefined || s <= 0) return undefined;
  if (db.every((x) => Math.abs(x) <= EXACT * scale)) return { lambda: s / lr, biases: 'same' };
  if (before.biases.some((b) => b !== 0) && db.every((x, k) => Math.abs(x + s * before.biases[k]) <= EXACT * scale)) return { lambda: s / lr, biases: 'decayed' };
  return undefined;
}

/** The weight-decay hint for update `index` with the measured λ. */
export function weightDecayHint(index: number, lambda: number, biasesToo: boolean): string {
  return `${updateName(index)} is the reference's plus a pull of every weight toward 0 (−η·λ·w with λ ≈ ${Number(lambda.toPrecision(3))}${biasesToo ? ', the biases too' : ''}): weight decay, the gradient of an L2 penalty λ/2·‖w‖². This assignment's update is the gradient of the loss alone — no penalty term.`;
}

/**
 * Weight decay from one step: only with at least two non-zero weights (with one weight, any
 * difference fits; the probes then compare λ at a second point, see ./updateProbe).
 */
function diagnoseWeightDecay(got: ParameterStep, expected: ParameterStep, context: StepContext, index: number): string | undefined {
  const before = context.before;
  if (!before || before.weights.filter((w) => w !== 0).length < 2) return undefined;
  const decay = decayRate(got, expected, before, context.lr);
  return decay && weightDecayHint(index, decay.lambda, decay.biases === 'decayed');
}

/** Parameters (by name) whose step is exactly −1× the reference's while every other parameter's is exactly 1×; undefined otherwise. */
function signFlips(got: number[], expected: number[], names: string[]): string[] | undefined {
  const scale = Math.max(...expected.map(Math.abs));
  const flipped: string[] = [];
  for (let i = 0; i < got.length; i++) {
    const e = expected[i];
    if (Math.abs(e) <= 1e-9 * scale) {
      if (Math.abs(got[i]) > EXACT * scale) return undefined;
      continue;
    }
    if (near(got[i], e, EXACT)) continue;
    if (near(got[i], -e, EXACT)) flipped.push(names[i]);
    else return undefined;
  }
  return flipped.length ? flipped : undefined;
}

function defaultNames(step: ParameterStep): string[] {
  return [...step.weights.map((_, j) => `weight ${j}`), ...step.biases.map((_, k) => `bias ${k}`)];
}

/** Explains the step of one group (weights or biases) that is exactly `s`× the reference's, the other group being right. */
function explainGroup(s: number, group: 'weights' | 'bias', context: StepContext, index: number): string {
  if (near(s, -1)) return forUpdate(group === 'bias' ? BIAS_SIGN_HINT : WEIGHT_SIGN_HINT, index);
  const subject = group === 'bias' ? "Your weights move exactly like the reference's, but the step of your bias" : "Your bias moves exactly like the reference's, but the step of your weights";
  const known = explainScale(s, context, subject);
  // Only the usual factors name a cause; any other factor is said as measured.
  return known && !/a constant factor in your gradient/.test(known) ? known : `${subject} is ${s.toFixed(3)}× the reference's.`;
}

/**
 * Explains why an update `got` (the student's: parameters after − before) differs from the
 * reference's update `expected` from the same parameters; undefined when they agree (to 1e-6
 * relative). Every cause it names is an exact fit (to 1e-6): non-finite values, no change at all,
 * a known wrong update (`context.alternatives`), a frozen bias, a constant factor on every
 * parameter (−1 ascent, 2 η twice, η², no η, N sum, 1/N, ½), a sign or factor on one group (weights
 * or biases), weight decay (the difference is −η·λ·w), signs flipped on some parameters; else it
 * says which parameters differ, without a cause.
 *
 * @example
 * diagnoseStep({ weights: [0.2], biases: [0.4] }, { weights: [-0.2], biases: [-0.4] }, { lr: 0.3, n: 10 })
 * // returns ASCENT_HINT ("… exactly −1× the reference step … gradient ascent …")
 */
export function diagnoseStep(got: ParameterStep, expected: ParameterStep, context: StepContext): string | undefined {
  const index = context.index ?? 1;
  const g = flat(got);
  const r = flat(expected);
  if (!g.every(Number.isFinite)) return `${updateName(index)} already produces NaN or Infinity: look for log(0), an overflowing exp, or a division by zero in your gradient.`;
  if (stepsClose(got, expected)) return undefined;
  if (g.every((x) => x === 0)) {
    return index === 1
      ? 'Your parameters do not change at all during the first epoch: is the update w ← w − η·∂L/∂w computed, and stored back into the parameters you return?'
      : `${updateName(index)} does not change the parameters at all, while the reference's does: is the update computed and stored back in every epoch?`;
  }
  for (const alternative of context.alternatives ?? []) {
    if (stepsClose(got, alternative.step, EXACT)) return variantHint(alternative.variant);
  }
  const weightsSame = vectorsClose(got.weights, expected.weights, EXACT);
  const biasesSame = vectorsClose(got.biases, expected.biases, EXACT);
  if (expected.biases.some((x) => x !== 0) && got.biases.every((x) => x === 0)) {
    if (weightsSame) return NO_BIAS_HINT;
    const s = exactMultiple(got.weights, expected.weights);
    const weights = s !== undefined ? explainScale(s, context, updateName(index)) : undefined;
    return weights ? `${NO_BIAS_HINT} Also, for the weights: ${weights}` : NO_BIAS_HINT;
  }
  const whole = exactMultiple(g, r);
  if (whole !== undefined) return explainScale(whole, context, updateName(index));
  const decay = diagnoseWeightDecay(got, expected, context, index);
  if (decay) return decay;
  if (weightsSame) {
    const s = exactMultiple(got.biases, expected.biases);
    if (s !== undefined) return explainGroup(s, 'bias', context, index);
  }
  if (biasesSame) {
    const s = exactMultiple(got.weights, expected.weights);
    if (s !== undefined) return explainGroup(s, 'weights', context, index);
  }
  const names = context.names ?? defaultNames(got);
  const flipped = signFlips(g, r, names);
  if (flipped) {
    return `${updateName(index)} moves ${flipped.join(', ')} by exactly −1× the reference's step and every other parameter exactly like the reference: ${flipped.length === 1 ? 'that parameter is' : 'those parameters are'} updated with the wrong sign (θ ← θ − η·∂L/∂θ for every parameter).`;
  }
  return describeDifference(got, expected, names, index);
}

/** A plain statement of which parameters differ (no values, no cause). */
function describeDifference(got: ParameterStep, expected: ParameterStep, names: string[], index: number): string {
  const g = flat(got);
  const r = flat(expected);
  const scale = Math.max(...r.map(Math.abs));
  const differing = names.filter((_, i) => Math.abs(g[i] - r[i]) > EXACT * scale);
  const weightsDiffer = got.weights.some((x, i) => Math.abs(x - expected.weights[i]) > EXACT * scale);
  const biasesDiffer = got.biases.some((x, i) => Math.abs(x - expected.biases[i]) > EXACT * scale);
  let worst = 0;
  for (let i = 1; i < g.length; i++) if (Math.abs(g[i] - r[i]) > Math.abs(g[worst] - r[worst])) worst = i;
  const which = weightsDiffer && biasesDiffer ? 'both the weights and the biases' : weightsDiffer ? 'the weights (the biases match)' : 'the biases (the weights match)';
  const fit = fitMultiple(g, r);
  const direction = fit && fit.s > 0 && fit.residual < 0.05 ? ` It points almost the same way, about ${fit.s.toFixed(3)}× as long, but is not an exact multiple.` : '';
  return `${updateName(index)} differs from the reference's in ${which}: ${differing.length} of ${g.length} parameters move differently, most of all ${names[worst]}, and no usual mistake (sign, factor, missing bias, weight decay) fits exactly.${direction} ∂L/∂w_j = Σ_i x_ij·∂L/∂z_i and ∂L/∂b = Σ_i ∂L/∂z_i, both at the current parameters.`;
}

/** What a later update looked like, for {@link diagnoseStateful}. */
export interface StatefulEvidence {
  /** Which update (≥ 2). */
  index: number;
  /** The student's update `index` in its run (updates before it matched the reference). */
  continued: ParameterStep;
  /** The student's first update of a fresh run started from the same parameters. */
  fresh: ParameterStep;
  /** The student's previous update in its run. */
  previous: ParameterStep;
}

/**
 * Explains an update that differs from the reference's although a fresh run started at the same
 * parameters takes the reference's step — so the update depends on more than the current
 * parameters: the same as the previous update (a gradient not recomputed), a multiple of the fresh
 * step (a learning-rate schedule), the fresh step plus β× the previous update (momentum).
 *
 * @example
 * diagnoseStateful({ index: 2, continued: { weights: [0.09], biases: [0.045] }, fresh: { weights: [0.1], biases: [0.05] }, previous: { weights: [0.2], biases: [0.1] } })
 * // returns "Your second update is 0.900× the step … a learning-rate decay …"
 */
export function diagnoseStateful(evidence: StatefulEvidence): string {
  const { index, continued, fresh, previous } = evidence;
  const name = updateName(index);
  const c = flat(continued);
  const f = flat(fresh);
  const p = flat(previous);
  const memoryless = 'Plain gradient descent keeps no state but the parameters: every update is −η·∇L at the current parameters, with the same η in every epoch.';
  if (vectorsClose(c, p, EXACT)) {
    return `${name} repeats your previous update exactly, while a fresh run from the same parameters steps differently: your gradient is not recomputed at the current parameters (computed once before the loop, or from predictions of an earlier epoch). ${memoryless}`;
  }
  // Two one-parameter models of the continued step; consecutive gradients are often nearly
  // parallel, so the one that fits exactly wins, not the first that fits roughly.
  const schedule = fitMultiple(c, f);
  const momentum = fitMultiple(c.map((x, i) => x - f[i]), p);
  const momentumResidual = momentum && Math.sqrt(c.reduce((sum, x, i) => sum + (x - f[i] - momentum.s * p[i]) ** 2, 0) / dot(c, c));
  if (momentum && momentumResidual !== undefined && momentumResidual <= EXACT && momentum.s > 0 && (!schedule || momentumResidual <= schedule.residual)) {
    return `${name} is the gradient step plus ${Number(momentum.s.toPrecision(3))}× your previous update (the updates before it match the reference): momentum. ${memoryless}`;
  }
  if (schedule && schedule.residual <= EXACT && schedule.s > 0) {
    const kind = schedule.s < 1 ? 'your learning rate shrinks as training goes on — a learning-rate decay or schedule' : 'your learning rate grows as training goes on — a warm-up or schedule';
    return `${name} is ${schedule.s.toFixed(3)}× the step your trainer takes from the same parameters in a fresh run (the updates before it match the reference): ${kind}. ${memoryless}`;
  }
  return `${name} differs from the step your trainer takes from the same parameters in a fresh run (the updates before it match the reference): your update depends on the epoch or on earlier updates, not only on the current parameters. ${memoryless}`;
}
