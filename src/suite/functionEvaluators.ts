/**
 * Evaluates the plans of ./functionChecks against the submission under test: calls it in the
 * sandbox and fails the check with a teaching message (expected vs got, worst element, tolerance,
 * a hint when a usual mistake fits). Nothing here uses a reference implementation: expected values
 * come from the plan.
 */
import { compareClose } from './closeness';
import { diagnoseGradient, diagnoseLossRatio, diagnoseNonFinite, diagnoseSoftmaxAxis, matchKnownMistake } from './diagnosis';
import { expectClose, expectFinite, expectGradientClose, expectMatchesOwnLoss, withinClipping } from './expect';
import { GradeFailure } from './failure';
import { formatNumber } from './describe';
import { namedInputs } from './functionSpec';
import { finiteDifferenceArgs, type FiniteDifferencePlan, type GradientPlan, type InterfacePlan, type ValuePlan } from './plans';
import { describeShape, nonFiniteProblem, shapeProblem, type Numeric } from './shapes';
import { callExpecting, callStudent, callStudentEchoing } from './submission';
import { describeMutation, firstMutation } from './trainingDiagnosis';

export async function evaluateInterface(plan: InterfacePlan): Promise<void> {
  const { value, argsAfter } = await callStudentEchoing(plan.fn, plan.args, plan.call);
  const shape = shapeProblem(value, plan.shape);
  if (shape) throw new GradeFailure('failed', `${plan.call} ${shape}; expected ${describeShape(plan.shape)}.`, { diagnosis: `${plan.fn} ${shape}; it must return ${describeShape(plan.shape)}.` });
  const got = value as Numeric;
  const problem = nonFiniteProblem(got);
  if (problem) {
    throw new GradeFailure('failed', `${plan.call} on an ordinary input (${plan.label}): ${problem}; expected finite numbers.`, {
      comparison: { call: plan.call, inputs: namedInputs(plan.argNames, plan.args), got },
    });
  }
  expectInputsUnchanged(plan, argsAfter);
}

/** Fails when the call changed its arguments (the handout: "do not modify the input arrays"). */
function expectInputsUnchanged(plan: InterfacePlan, argsAfter: unknown): void {
  const inputs = namedInputs(plan.argNames, plan.args);
  if (!Array.isArray(argsAfter) || argsAfter.length !== plan.args.length) {
    throw new GradeFailure('failed', `${plan.call} replaced its arguments with values that cannot be read back. Do not modify the input arrays.`, { comparison: { call: plan.call, inputs } });
  }
  for (let i = 0; i < plan.args.length; i++) {
    const mutation = firstMutation(plan.args[i], argsAfter[i], plan.argNames[i]);
    if (!mutation) continue;
    const hint = `${plan.fn} writes into its argument ${plan.argNames[i]}: the caller's array changes. Compute into a new array (e.g. ${plan.argNames[i]}.map(…) or a copy made with .slice()) and leave the inputs as they were.`;
    throw new GradeFailure('failed', `${plan.call} modified its input: ${describeMutation(mutation)}.\nHint: ${hint}`, {
      comparison: { call: plan.call, inputs, expected: mutation.before, got: mutation.after },
      diagnosis: hint,
    });
  }
}

/**
 * The hint for a wrong value, from measured facts only: for a gradient function, the gradient
 * diagnoses; otherwise a known wrong formula it reproduces, a non-finite value explained by the
 * input, a softmax normalised along the wrong axis, or a scalar off by a factor that fits the shapes.
 */
function valueHint(plan: ValuePlan, got: Numeric): string | undefined {
  if (plan.gradient) return diagnoseGradient(plan.call, got, plan.expected, plan.gradient, plan.args, plan.tolerance);
  const known = matchKnownMistake(got, plan.expected, plan.mistakes, plan.tolerance);
  if (known) return known;
  const nonFinite = diagnoseNonFinite(plan.call, got, plan.args, plan.domain, plan.expected);
  if (nonFinite) return nonFinite;
  if (plan.rowsSumToOne && Array.isArray(got) && Array.isArray(got[0])) return diagnoseSoftmaxAxis(got as number[][]);
  if (typeof got === 'number' && typeof plan.expected === 'number') return diagnoseLossRatio(got, plan.expected, plan.samples, plan.classes);
  return undefined;
}

/** The message line that says which clipped values are accepted too. */
function clippingNote(clipped: { epsilon: number; expected: Numeric } | undefined): string[] {
  if (!clipped) return [];
  const what = typeof clipped.expected === 'number' ? `the value ${formatNumber(clipped.expected)} it gives` : 'the values it gives';
  return [`Accepted too: clipping p into [ε, 1 − ε] with ε ≤ ${clipped.epsilon.toExponential()} — anything between the exact answer and ${what} at ε = ${clipped.epsilon.toExponential()}.`];
}

export async function evaluateValue(plan: ValuePlan): Promise<void> {
  const got = await callExpecting<Numeric>(plan.fn, plan.args, plan.shape, plan.call);
  const inputs = namedInputs(plan.argNames, plan.args);
  if (plan.finite) expectFinite(plan.call, got, inputs, plan.expected, () => valueHint(plan, got));
  if (plan.clipped && withinClipping(plan.expected, plan.clipped.expected, got, plan.tolerance)) return;
  await expectClose({ call: plan.call, inputs, expected: plan.expected, got, tolerance: plan.tolerance, notes: clippingNote(plan.clipped), hint: () => valueHint(plan, got) });
}

/** "Your loss differs too" — when the loss this gradient belongs to is itself off at the same input (measured). */
async function lossAlsoWrongHint(plan: GradientPlan): Promise<string | undefined> {
  if (!plan.loss) return undefined;
  try {
    const got = await callStudent(plan.loss.fn, plan.args);
    if (typeof got === 'number' && !compareClose(plan.loss.expected, got, plan.loss.tolerance).ok) {
      return `Your ${plan.loss.fn} also differs from the expected loss at this input: fix the loss first, then derive its gradient again (the finite-difference check tells whether the two agree).`;
    }
  } catch {
    /* the loss's own checks report this */
  }
  return undefined;
}

export async function evaluateGradient(plan: GradientPlan): Promise<void> {
  const got = await callExpecting<Numeric>(plan.fn, plan.args, plan.shape, plan.call);
  if (plan.clipped && withinClipping(plan.expected, plan.clipped.expected, got, plan.tolerance)) return;
  await expectGradientClose({
    call: plan.call,
    inputs: namedInputs(plan.argNames, plan.args),
    expected: plan.expected,
    got,
    tolerance: plan.tolerance,
    context: plan.context,
    args: plan.args,
    notes: clippingNote(plan.clipped),
    extraHint: () => lossAlsoWrongHint(plan),
  });
}

export async function evaluateFiniteDifferences(plan: FiniteDifferencePlan): Promise<void> {
  await expectMatchesOwnLoss({
    lossFn: plan.lossFn,
    gradFn: plan.fn,
    args: plan.args,
    shape: plan.shape,
    argNames: plan.argNames,
    h: plan.h,
    lossArgsList: finiteDifferenceArgs(plan),
    maxRelError: plan.maxRelError,
    coarse: plan.coarse,
    reference: plan.reference,
    tolerance: plan.tolerance,
    context: plan.context,
    ...(plan.loss ? { loss: { expected: plan.loss.expected, tolerance: plan.loss.tolerance } } : {}),
  });
}
