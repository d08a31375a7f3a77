/**
 * Check builders for numeric functions: from one {@link FunctionSpec} and a case, the interface,
 * value (accuracy or stability), reference-gradient and finite-difference checks. Each builder
 * computes everything that needs the reference when the suite is declared and records it in a
 * plain-data plan (./plans), so the same check runs in the grader and, for public checks, in a
 * student kit that holds no reference code.
 */
import type { Category, CheckMeta, Visibility } from '../types';
import { planCheck } from './check';
import { compareClose, type Tolerance } from './closeness';
import type { GradientContext, KnownMistake } from './diagnosis';
import { callText, classesOf, referenceValue, samplesOf, type Case, type FunctionSpec } from './functionSpec';
import type { FiniteDifferencePlan, GradientPlan, InterfacePlan, LossAt, ValuePlan } from './plans';
import type { Numeric } from './shapes';

/** Points and visibility of one check (visibility defaults to public), and optionally its own tolerance. */
export interface CheckOptions {
  points: number;
  visibility?: Visibility;
  /** Replaces the spec's tolerance for this check (e.g. a tighter one at an exact zero). */
  tolerance?: Tolerance;
}

/** Finite differences: the step, and the second step for losses too coarse for the first (see FiniteDifferencePlan). */
const FINITE_DIFFERENCES = { h: 1e-6, maxRelError: 1e-5, coarse: { h: 1e-3, maxRelError: 1e-3 } };

/** Clipping ε values recognised in a failure beyond the tolerated one. */
const CLIPPING_PROBES = [1e-6, 1e-5, 1e-4, 1e-3, 1e-2];

/** The default tolerance of a gradient's loss, for "your loss is wrong here too". */
const LOSS_TOLERANCE: Tolerance = { rtol: 1e-5, atol: 1e-5 };

function clipValue(value: unknown, epsilon: number): unknown {
  if (typeof value === 'number') return Math.min(Math.max(value, epsilon), 1 - epsilon);
  return Array.isArray(value) ? value.map((v) => clipValue(v, epsilon)) : value;
}

function changedByClipping(value: unknown, epsilon: number): boolean {
  if (typeof value === 'number') return value < epsilon || value > 1 - epsilon;
  return Array.isArray(value) && value.some((v) => changedByClipping(v, epsilon));
}

/** `args` with the spec's probability argument clipped into [ε, 1 − ε], or undefined when that changes nothing. */
function clippedArgs(spec: FunctionSpec, args: unknown[], epsilon: number): unknown[] | undefined {
  const clipping = spec.clipping;
  if (!clipping || !changedByClipping(args[clipping.arg], epsilon)) return undefined;
  return args.map((arg, i) => (i === clipping.arg ? clipValue(arg, epsilon) : arg));
}

/** The reference value with the tolerated clipping, where clipping changes the input. */
function clippedAt(spec: FunctionSpec, args: unknown[]): ValuePlan['clipped'] {
  if (!spec.clipping) return undefined;
  const clipped = clippedArgs(spec, args, spec.clipping.epsilon);
  return clipped ? { epsilon: spec.clipping.epsilon, expected: referenceValue(spec, clipped) } : undefined;
}

/**
 * The known wrong answers at `args` (the spec's mistakes, then clipping at each ε larger than the
 * tolerated one), keeping only those the right answer does not also give.
 */
function mistakesAt(spec: FunctionSpec, args: unknown[], expected: Numeric, tolerance: Tolerance): KnownMistake[] | undefined {
  const list: KnownMistake[] = (spec.mistakes ?? []).filter((m) => !m.when || m.when(args)).map((m) => ({ hint: m.hint, value: m.value(args) }));
  const probes = spec.clipping?.probes ?? CLIPPING_PROBES;
  // Probes only where a probability lies within the smallest probe of 0 or 1 (boundary inputs):
  // ordinary inputs keep their declaration cheap.
  if (spec.clipping && changedByClipping(args[spec.clipping.arg], Math.min(...probes))) {
    for (const epsilon of probes) {
      if (epsilon <= spec.clipping.epsilon) continue;
      const clipped = clippedArgs(spec, args, epsilon);
      if (!clipped) continue;
      list.push({
        hint: `This is the value clipping p into [ε, 1 − ε] with ε = ${epsilon.toExponential()} gives. Clipping is tolerated only up to ε = ${spec.clipping.epsilon.toExponential()}: use a smaller ε, or skip the terms whose label weight is 0 (exact).`,
        value: referenceValue(spec, clipped),
      });
    }
  }
  const distinct = list.filter((m) => !compareClose(expected, m.value, tolerance).ok);
  return distinct.length ? distinct : undefined;
}

function meta(spec: FunctionSpec, id: string, name: string, category: Category, options: CheckOptions): CheckMeta {
  return { id: `${spec.name}.${id}`, name, function: spec.name, category, points: options.points, visibility: options.visibility ?? 'public' };
}

function gradientContext(spec: FunctionSpec, args: unknown[], expected: Numeric, tolerance: Tolerance): GradientContext {
  const k = classesOf(args);
  const mistakes = mistakesAt(spec, args, expected, tolerance);
  return {
    n: samplesOf(args),
    ...(k !== undefined ? { k } : {}),
    ...(spec.sigmoidSlope ? { sigmoidSlope: spec.sigmoidSlope(args) } : {}),
    ...(mistakes ? { mistakes } : {}),
    ...(spec.domain ? { domain: spec.domain } : {}),
  };
}

/** The reference loss at the gradient's arguments, so a gradient failure can say whether the loss is right there. */
function lossAt(spec: FunctionSpec, args: unknown[]): LossAt | undefined {
  if (!spec.gradientOf || !spec.lossReference) return undefined;
  return { fn: spec.gradientOf, expected: (spec.lossReference as (...a: unknown[]) => number)(...args), tolerance: { ...(spec.lossTolerance ?? LOSS_TOLERANCE) } };
}

/**
 * The interface check: the export exists and returns plain numbers of the right shape, finite on
 * an ordinary input.
 *
 * @example
 * interfaceCheck(specs.mse, { label: 'yTrue = [1, 2], yPred = [1.5, 1]', args: [[1, 2], [1.5, 1]] }, { points: 1 });
 */
export function interfaceCheck(spec: FunctionSpec, sample: Case, options: CheckOptions): void {
  planCheck(meta(spec, 'interface', 'exists and returns the right type and shape', 'interface', options), (): InterfacePlan => ({
    kind: 'interface',
    fn: spec.name,
    call: callText(spec),
    label: sample.label,
    argNames: spec.argNames,
    args: sample.args,
    shape: spec.shape(sample.args),
  }));
}

/**
 * A value check against the reference: category `accuracy` on ordinary inputs, `stability` on
 * extreme ones (then the result must also be finite where the exact answer is).
 *
 * @example
 * valueCheck(specs.mse, 'accuracy.hand', 'is the mean of squared errors', 'accuracy', hand('…', [1, 2], [1.5, 1]), { points: 2 });
 */
export function valueCheck(spec: FunctionSpec, id: string, name: string, category: Category, testCase: Case, options: CheckOptions): void {
  planCheck(meta(spec, id, name, category, options), (): ValuePlan => {
    const expected = referenceValue(spec, testCase.args);
    const tolerance = { ...(options.tolerance ?? spec.tolerance) };
    const classes = classesOf(testCase.args);
    const clipped = clippedAt(spec, testCase.args);
    const gradient = spec.gradientOf ? gradientContext(spec, testCase.args, expected, tolerance) : undefined;
    const mistakes = gradient ? undefined : mistakesAt(spec, testCase.args, expected, tolerance);
    return {
      kind: 'value',
      fn: spec.name,
      call: `${callText(spec)} — ${testCase.label}`,
      argNames: spec.argNames,
      args: testCase.args,
      shape: spec.shape(testCase.args),
      expected,
      tolerance,
      finite: category === 'stability',
      samples: samplesOf(testCase.args),
      ...(classes !== undefined ? { classes } : {}),
      ...(spec.rowsSumToOne ? { rowsSumToOne: true } : {}),
      ...(spec.domain ? { domain: spec.domain } : {}),
      ...(clipped ? { clipped } : {}),
      ...(mistakes ? { mistakes } : {}),
      ...(gradient ? { gradient } : {}),
    };
  });
}

/**
 * A value check at extreme inputs (category `stability`): finite where the exact answer is, and
 * close to it (an infinite exact answer must come back as that infinity, not NaN).
 */
export function stabilityCheck(spec: FunctionSpec, id: string, name: string, testCase: Case, options: CheckOptions): void {
  valueCheck(spec, id, name, 'stability', testCase, options);
}

/**
 * A gradient check against the reference gradient, with a diagnosis of the usual mistakes (×N,
 * ×2, ½, flipped sign, a dropped or extra σ′).
 */
export function gradientCheck(spec: FunctionSpec, id: string, name: string, testCase: Case, options: CheckOptions): void {
  planCheck(meta(spec, id, name, 'gradient', options), (): GradientPlan => {
    const loss = lossAt(spec, testCase.args);
    const expected = referenceValue(spec, testCase.args);
    const tolerance = { ...(options.tolerance ?? spec.tolerance) };
    const clipped = clippedAt(spec, testCase.args);
    return {
      kind: 'gradient',
      fn: spec.name,
      call: `${callText(spec)} — ${testCase.label}`,
      argNames: spec.argNames,
      args: testCase.args,
      shape: spec.shape(testCase.args),
      expected,
      tolerance,
      context: gradientContext(spec, testCase.args, expected, tolerance),
      ...(clipped ? { clipped } : {}),
      ...(loss ? { loss } : {}),
    };
  });
}

/**
 * A gradient check against central finite differences of the student's OWN loss
 * (`spec.gradientOf`): (L(x + h·eᵢ) − L(x − h·eᵢ)) / 2h for every element i of the second argument.
 *
 * It charges the gradient only for the gradient's own fault: a gradient equal to the reference
 * passes (it is right; a wrong loss is charged by the loss's checks), and so does a gradient that
 * is the slope of the student's loss at h = 1e-6 or, for losses too coarse for that step (float32
 * arithmetic), at h = 1e-3. It fails a gradient that is neither the reference nor the slope of
 * the student's own loss.
 */
export function finiteDifferenceCheck(spec: FunctionSpec, testCase: Case, options: CheckOptions): void {
  if (!spec.gradientOf) throw new Error(`finiteDifferenceCheck(${spec.name}): the spec names no loss (gradientOf)`);
  const lossFn = spec.gradientOf;
  planCheck(meta(spec, 'finite-differences', `is the slope of your own ${lossFn} (central finite differences), or the exact gradient`, 'gradient', options), (): FiniteDifferencePlan => {
    const loss = lossAt(spec, testCase.args);
    const reference = referenceValue(spec, testCase.args);
    const tolerance = { ...(options.tolerance ?? spec.tolerance) };
    return {
      kind: 'finite-differences',
      fn: spec.name,
      lossFn,
      argNames: spec.argNames,
      args: testCase.args,
      shape: spec.shape(testCase.args),
      h: FINITE_DIFFERENCES.h,
      maxRelError: FINITE_DIFFERENCES.maxRelError,
      coarse: { ...FINITE_DIFFERENCES.coarse },
      reference,
      tolerance,
      context: gradientContext(spec, testCase.args, reference, tolerance),
      ...(loss ? { loss } : {}),
    };
  });
}

