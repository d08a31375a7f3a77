/**
 * Check builders for numeric functions: from one {@link FunctionSpec} and a case, the interface,
 * value (accuracy or stability), reference-gradient and finite-difference checks. Each builder
 * computes everything that needs the reference when the suite is declared and records it in a
 * plain-data plan (./plans), so the same check runs in the grader and, for public checks, in a
 * student kit that holds no reference code.
 */
import type { Category, CheckMeta, Visibility } from '../types';
import { planCheck } from './check';
import type { GradientContext } from './diagnosis';
import { callText, classesOf, referenceValue, samplesOf, type Case, type FunctionSpec } from './functionSpec';
import type { FiniteDifferencePlan, GradientPlan, InterfacePlan, ValuePlan } from './plans';

/** Points and visibility of one check (visibility defaults to public). */
export interface CheckOptions {
  points: number;
  visibility?: Visibility;
}

function meta(spec: FunctionSpec, id: string, name: string, category: Category, options: CheckOptions): CheckMeta {
  return { id: `${spec.name}.${id}`, name, function: spec.name, category, points: options.points, visibility: options.visibility ?? 'public' };
}

function gradientContext(spec: FunctionSpec, args: unknown[]): GradientContext {
  const k = classesOf(args);
  return { n: samplesOf(args), ...(k !== undefined ? { k } : {}), ...(spec.sigmoidSlope ? { sigmoidSlope: spec.sigmoidSlope(args) } : {}) };
}

/** The reference loss at the gradient's arguments, so a gradient failure can say when the loss is wrong too. */
function lossAt(spec: FunctionSpec, args: unknown[]): GradientPlan['loss'] {
  if (!spec.gradientOf || !spec.lossReference) return undefined;
  return { fn: spec.gradientOf, expected: (spec.lossReference as (...a: unknown[]) => number)(...args) };
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
  planCheck(meta(spec, id, name, category, options), (): ValuePlan => ({
    kind: 'value',
    fn: spec.name,
    call: `${callText(spec)} — ${testCase.label}`,
    argNames: spec.argNames,
    args: testCase.args,
    shape: spec.shape(testCase.args),
    expected: referenceValue(spec, testCase.args),
    tolerance: { ...spec.tolerance },
    finite: category === 'stability',
    samples: samplesOf(testCase.args),
    ...(spec.rowsSumToOne ? { rowsSumToOne: true } : {}),
  }));
}

/** A value check at extreme inputs (category `stability`): finite where the exact answer is, and close to it. */
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
    return {
      kind: 'gradient',
      fn: spec.name,
      call: `${callText(spec)} — ${testCase.label}`,
      argNames: spec.argNames,
      args: testCase.args,
      shape: spec.shape(testCase.args),
      expected: referenceValue(spec, testCase.args),
      tolerance: { ...spec.tolerance },
      context: gradientContext(spec, testCase.args),
      ...(loss ? { loss } : {}),
    };
  });
}

/**
 * A gradient check against central finite differences of the student's OWN loss
 * (`spec.gradientOf`): (L(x + h·eᵢ) − L(x − h·eᵢ)) / 2h for every element i of the second argument.
 */
export function finiteDifferenceCheck(spec: FunctionSpec, testCase: Case, options: CheckOptions): void {
  if (!spec.gradientOf) throw new Error(`finiteDifferenceCheck(${spec.name}): the spec names no loss (gradientOf)`);
  const lossFn = spec.gradientOf;
  planCheck(meta(spec, 'finite-differences', `agrees with finite differences of your own ${lossFn}`, 'gradient', options), (): FiniteDifferencePlan => {
    const loss = lossAt(spec, testCase.args);
    return {
      kind: 'finite-differences',
      fn: spec.name,
      lossFn,
      argNames: spec.argNames,
      args: testCase.args,
      shape: spec.shape(testCase.args),
      h: 1e-6,
      maxRelError: 1e-5,
      reference: referenceValue(spec, testCase.args),
      context: gradientContext(spec, testCase.args),
      ...(loss ? { loss } : {}),
    };
  });
}

