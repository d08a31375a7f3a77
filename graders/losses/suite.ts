/**
 * Building blocks of the losses suite: for one export, declare its interface, accuracy,
 * gradient and stability checks from a small description. Adding a loss takes a reference
 * function and a description; the checks and their messages come from here.
 */
import { sigmoid as referenceSigmoid } from '../../reference';
import type { Category, Visibility } from '../../src/types';
import { check } from '../lib/check';
import type { Tolerance } from '../lib/closeness';
import { tolerancesFor } from '../lib/context';
import { diagnoseLossRatio, diagnoseSoftmaxAxis, type GradientContext } from '../lib/diagnosis';
import { expectClose, expectFinite, expectGradientClose, expectMatchesOwnLoss, finiteDifferenceCalls } from '../lib/expect';
import { GradeFailure } from '../lib/failure';
import { nonFiniteProblem, type Numeric, type Shape } from '../lib/shapes';
import { callExpecting, callStudent } from '../lib/submission';
import type { Case } from './inputs';

export const TOLERANCE = tolerancesFor({
  activation: { rtol: 1e-6, atol: 1e-10 },
  loss: { rtol: 1e-5, atol: 1e-5 },
  gradient: { rtol: 1e-5, atol: 1e-8 },
  exact: { rtol: 0, atol: 1e-12 },
} satisfies Record<string, Tolerance>);

type Reference = (...args: never[]) => Numeric;

export interface FunctionSpec {
  name: string;
  argNames: string[];
  reference: Reference;
  /** Shape of the result for given arguments. */
  shape: (args: unknown[]) => Shape;
  tolerance: Tolerance;
  /** For gradients: the loss they differentiate, and how many samples (for ×N). */
  gradientOf?: string;
  /** For logit-space gradients: σ′(z) per element, for the slope diagnosis. */
  sigmoidSlope?: (args: unknown[]) => number[];
}

export function callText(spec: FunctionSpec): string {
  return `${spec.name}(${spec.argNames.join(', ')})`;
}

function inputsOf(spec: FunctionSpec, args: unknown[]): Record<string, unknown> {
  return Object.fromEntries(spec.argNames.map((name, i) => [name, args[i]]));
}

function expectedOf(spec: FunctionSpec, args: unknown[]): Numeric {
  return (spec.reference as (...a: unknown[]) => Numeric)(...args);
}

/** Number of samples (rows) of a case: the length of its first argument. */
export function samplesOf(args: unknown[]): number {
  return (args[0] as unknown[]).length;
}

/** σ′(z) for each element of a vector of logits (argument index 1). */
export function slopeOfLogits(args: unknown[]): number[] {
  return referenceSigmoid(args[1] as number[]).map((p) => p * (1 - p));
}

interface CheckOptions {
  points: number;
  visibility?: Visibility;
}

/** The interface check: the export exists, returns plain numbers of the right shape, finite. */
export function interfaceCheck(spec: FunctionSpec, sample: Case, options: CheckOptions): void {
  check({ id: `${spec.name}.interface`, name: 'exists and returns the right type and shape', function: spec.name, category: 'interface', points: options.points, visibility: options.visibility ?? 'public' }, async () => {
    const call = callText(spec);
    const got = await callExpecting<Numeric>(spec.name, sample.args, spec.shape(sample.args), call);
    const problem = nonFiniteProblem(got);
    if (problem) throw new GradeFailure('failed', `${call} on an ordinary input (${sample.label}): ${problem}; expected finite numbers.`, { comparison: { call, inputs: inputsOf(spec, sample.args), got } });
  }, [{ fn: spec.name, args: sample.args }]);
}

/** A value check against the reference (category accuracy, or stability for extreme inputs). */
export function valueCheck(spec: FunctionSpec, id: string, name: string, category: Category, testCase: Case, options: CheckOptions): void {
  check({ id: `${spec.name}.${id}`, name, function: spec.name, category, points: options.points, visibility: options.visibility ?? 'public' }, async () => {
    const call = `${callText(spec)} — ${testCase.label}`;
    const got = await callExpecting<Numeric>(spec.name, testCase.args, spec.shape(testCase.args), call);
    const inputs = inputsOf(spec, testCase.args);
    const expected = expectedOf(spec, testCase.args);
    if (category === 'stability') expectFinite(call, got, inputs);
    await expectClose({
      call,
      inputs,
      expected,
      got,
      tolerance: spec.tolerance,
      hint: () => {
        if (spec.name === 'softmax' && Array.isArray(got)) return diagnoseSoftmaxAxis(got as number[][]);
        if (typeof got === 'number' && typeof expected === 'number') return diagnoseLossRatio(got, expected, samplesOf(testCase.args));
        return undefined;
      },
    });
  }, [{ fn: spec.name, args: testCase.args }]);
}

/** A gradient check against the reference gradient, with a diagnosis of the usual mistakes. */
export function gradientReferenceCheck(spec: FunctionSpec, id: string, name: string, testCase: Case, options: CheckOptions): void {
  check({ id: `${spec.name}.${id}`, name, function: spec.name, category: 'gradient', points: options.points, visibility: options.visibility ?? 'public' }, async () => {
    const call = `${callText(spec)} — ${testCase.label}`;
    const got = await callExpecting<Numeric>(spec.name, testCase.args, spec.shape(testCase.args), call);
    const context: GradientContext = { n: samplesOf(testCase.args), sigmoidSlope: spec.sigmoidSlope?.(testCase.args) };
    await expectGradientClose({
      call,
      inputs: inputsOf(spec, testCase.args),
      expected: expectedOf(spec, testCase.args),
      got,
      tolerance: spec.tolerance,
      context,
      extraHint: async () => lossAlsoWrongHint(spec, testCase),
    });
  }, [{ fn: spec.name, args: testCase.args }]);
}

/** "Your loss differs too" — when the loss this gradient belongs to is itself off. */
async function lossAlsoWrongHint(spec: FunctionSpec, testCase: Case): Promise<string | undefined> {
  if (!spec.gradientOf) return undefined;
  const loss = LOSS_REFERENCES.get(spec.gradientOf);
  if (!loss) return undefined;
  try {
    const got = await callStudent(spec.gradientOf, testCase.args);
    const expected = loss(...testCase.args) as number;
    if (typeof got === 'number' && Math.abs(got - expected) > TOLERANCE.loss.atol + TOLERANCE.loss.rtol * Math.abs(expected)) {
      return `Your ${spec.gradientOf} also differs from the expected loss at this input: fix the loss first, then derive its gradient again (the finite-difference check tells whether the two agree).`;
    }
  } catch {
    /* the loss's own checks report this */
  }
  return undefined;
}

/** References of losses, for the "your loss is wrong too" hint. */
export const LOSS_REFERENCES = new Map<string, (...args: unknown[]) => Numeric>();

/** A gradient check against central differences of the student's own loss. */
export function gradientSelfCheck(spec: FunctionSpec, testCase: Case, options: CheckOptions): void {
  const args = testCase.args as [unknown, Numeric];
  const calls = finiteDifferenceCalls(args);
  check({ id: `${spec.name}.finite-differences`, name: `agrees with finite differences of your own ${spec.gradientOf}`, function: spec.name, category: 'gradient', points: options.points, visibility: options.visibility ?? 'public' }, async () => {
    await expectMatchesOwnLoss({
      calls,
      lossFn: spec.gradientOf!,
      gradFn: spec.name,
      args,
      shape: spec.shape(testCase.args),
      argNames: spec.argNames as [string, string],
      reference: expectedOf(spec, testCase.args),
      context: { n: samplesOf(testCase.args), sigmoidSlope: spec.sigmoidSlope?.(testCase.args) },
    });
  }, [{ fn: spec.name, args: calls.gradArgs }, { fn: spec.gradientOf!, argsList: calls.lossArgsList }]);
}
