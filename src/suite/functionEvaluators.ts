/**
 * Evaluates the plans of ./functionChecks against the submission under test: calls it in the
 * sandbox and fails the check with a teaching message (expected vs got, worst element, tolerance,
 * a hint when a usual mistake fits). Nothing here uses a reference implementation: expected values
 * come from the plan.
 */
import { compareClose } from './closeness';
import { diagnoseLossRatio, diagnoseSoftmaxAxis } from './diagnosis';
import { expectClose, expectFinite, expectGradientClose, expectMatchesOwnLoss } from './expect';
import { GradeFailure } from './failure';
import { namedInputs } from './functionSpec';
import { finiteDifferenceArgs, type FiniteDifferencePlan, type GradientPlan, type InterfacePlan, type ValuePlan } from './plans';
import { nonFiniteProblem, type Numeric } from './shapes';
import { callExpecting, callStudent } from './submission';

/** Same tolerance as the losses' own accuracy checks, for the "your loss is wrong too" hint. */
const LOSS_HINT_TOLERANCE = { rtol: 1e-5, atol: 1e-5 };

export async function evaluateInterface(plan: InterfacePlan): Promise<void> {
  const got = await callExpecting<Numeric>(plan.fn, plan.args, plan.shape, plan.call);
  const problem = nonFiniteProblem(got);
  if (problem) {
    throw new GradeFailure('failed', `${plan.call} on an ordinary input (${plan.label}): ${problem}; expected finite numbers.`, {
      comparison: { call: plan.call, inputs: namedInputs(plan.argNames, plan.args), got },
    });
  }
}

export async function evaluateValue(plan: ValuePlan): Promise<void> {
  const got = await callExpecting<Numeric>(plan.fn, plan.args, plan.shape, plan.call);
  const inputs = namedInputs(plan.argNames, plan.args);
  if (plan.finite) expectFinite(plan.call, got, inputs);
  await expectClose({
    call: plan.call,
    inputs,
    expected: plan.expected,
    got,
    tolerance: plan.tolerance,
    hint: () => {
      if (plan.rowsSumToOne && Array.isArray(got)) return diagnoseSoftmaxAxis(got as number[][]);
      if (typeof got === 'number' && typeof plan.expected === 'number') return diagnoseLossRatio(got, plan.expected, plan.samples);
      return undefined;
    },
  });
}

/** "Your loss differs too" — when the loss this gradient belongs to is itself off at the same input. */
async function lossAlsoWrongHint(plan: GradientPlan): Promise<string | undefined> {
  if (!plan.loss) return undefined;
  try {
    const got = await callStudent(plan.loss.fn, plan.args);
    if (typeof got === 'number' && !compareClose(plan.loss.expected, got, LOSS_HINT_TOLERANCE).ok) {
      return `Your ${plan.loss.fn} also differs from the expected loss at this input: fix the loss first, then derive its gradient again (the finite-difference check tells whether the two agree).`;
    }
  } catch {
    /* the loss's own checks report this */
  }
  return undefined;
}

export async function evaluateGradient(plan: GradientPlan): Promise<void> {
  const got = await callExpecting<Numeric>(plan.fn, plan.args, plan.shape, plan.call);
  await expectGradientClose({
    call: plan.call,
    inputs: namedInputs(plan.argNames, plan.args),
    expected: plan.expected,
    got,
    tolerance: plan.tolerance,
    context: plan.context,
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
    reference: plan.reference,
    context: plan.context,
  });
}
