/**
 * Check plans: everything a built-in check needs to grade a submission, as plain data computed
 * when the suite is declared — the arguments, the expected values the reference gave, tolerances
 * and the facts diagnoses rely on. A plan holds no function, so the public checks' plans can be
 * written to a student kit (JSON) and evaluated there by the same code, without the reference.
 */
import type { PlannedCall } from '../sandbox/sandboxProcess';
import type { Tolerance } from './closeness';
import type { GradientContext, InputDomain, KnownMistake } from './diagnosis';
import type { Numeric, Shape } from './shapes';
import { trainingPlannedCalls, type TrainingPlan } from './trainingPlans';

/** The export exists, returns plain numbers of `shape`, finite, on an ordinary input, and leaves its arguments as they were. */
export interface InterfacePlan {
  kind: 'interface';
  fn: string;
  /** `mse(yTrue, yPred)`. */
  call: string;
  label: string;
  argNames: string[];
  args: unknown[];
  shape: Shape;
}

/** The value at `args` is close to `expected` (and finite, for stability checks). */
export interface ValuePlan {
  kind: 'value';
  fn: string;
  /** `mse(yTrue, yPred) — <case label>`. */
  call: string;
  argNames: string[];
  args: unknown[];
  shape: Shape;
  expected: Numeric;
  tolerance: Tolerance;
  /** A stability check: every element must be finite where the exact answer is. */
  finite: boolean;
  /** N, for the ratio diagnoses of scalar losses. */
  samples: number;
  /** K, when an argument is a matrix, for the same. */
  classes?: number;
  /** Rows are distributions (softmax): diagnose a wrong axis. */
  rowsSumToOne?: boolean;
  /** What the input holds, to explain a non-finite result. */
  domain?: InputDomain;
  /**
   * Tolerated clipping: the value the function gives when it clips its probabilities into
   * [ε, 1 − ε] at the largest tolerated ε. A result between `expected` and this one (elementwise,
   * each end widened by the tolerance) passes. Present only where clipping changes the answer.
   */
  clipped?: { epsilon: number; expected: Numeric };
  /** Known wrong formulas and their values here (computed at declaration), for the hint. */
  mistakes?: KnownMistake[];
  /** For a gradient function's value check: the facts its gradient diagnoses use (mistakes included). */
  gradient?: GradientContext;
}

/** The gradient at `args` is close to the reference gradient `expected`. */
export interface GradientPlan {
  kind: 'gradient';
  fn: string;
  call: string;
  argNames: string[];
  args: unknown[];
  shape: Shape;
  expected: Numeric;
  tolerance: Tolerance;
  context: GradientContext;
  /** Tolerated clipping, as in {@link ValuePlan}. */
  clipped?: { epsilon: number; expected: Numeric };
  /** The loss this gradient belongs to, its reference value at `args` and the loss's tolerance. */
  loss?: LossAt;
}

/** A loss at a gradient check's arguments: its reference value, to tell whether the student's loss is right there. */
export interface LossAt {
  fn: string;
  expected: number;
  tolerance: Tolerance;
}

/** The gradient at `args` agrees with central finite differences of the student's own loss. */
export interface FiniteDifferencePlan {
  kind: 'finite-differences';
  /** The gradient function. */
  fn: string;
  lossFn: string;
  argNames: string[];
  /** [fixed argument, point]: differences are taken in the elements of the point. */
  args: unknown[];
  shape: Shape;
  h: number;
  /** Largest allowed CS231n relative error per element. */
  maxRelError: number;
  /**
   * A second, larger step for losses too coarse for `h` (float32 arithmetic: rounding noise
   * ≈ 3e-8·|L|/h), judged by the largest difference relative to the largest gradient element.
   */
  coarse: { h: number; maxRelError: number };
  /** The reference gradient at `args`: a gradient that matches it passes (it is right). */
  reference: Numeric;
  /** Tolerance of "matches the reference" (the gradient checks' own). */
  tolerance: Tolerance;
  context: GradientContext;
  /** The reference loss at `args`, to say whether the student's loss is right at this point. */
  loss?: LossAt;
}

/** Every kind of plan the built-in builders make (the trainers' kinds: ./trainingPlans). */
export type CheckPlan = InterfacePlan | ValuePlan | GradientPlan | FiniteDifferencePlan | TrainingPlan;

const lossCalls = new WeakMap<FiniteDifferencePlan, unknown[][]>();

/** Number of elements of a numeric value. */
export function elementCount(value: Numeric): number {
  if (typeof value === 'number') return 1;
  if (value.length === 0) return 0;
  return Array.isArray(value[0]) ? (value as number[][]).length * (value as number[][])[0].length : value.length;
}

/**
 * The argument lists of a finite-difference check's loss calls: [fixed, x ± h·eᵢ] for every
 * element i (plus, then minus), then the same with the coarse step, then [fixed, x] itself. Made
 * once per plan object, so the calls the suite plans are the very objects the check passes.
 */
export function finiteDifferenceArgs(plan: FiniteDifferencePlan): unknown[][] {
  const cached = lossCalls.get(plan);
  if (cached) return cached;
  const [fixed, point] = plan.args as [unknown, Numeric];
  const count = elementCount(point);
  const list: unknown[][] = [];
  for (const h of [plan.h, plan.coarse.h]) {
    for (let i = 0; i < count; i++) list.push([fixed, withElement(point, i, h)], [fixed, withElement(point, i, -h)]);
  }
  list.push(plan.args);
  lossCalls.set(plan, list);
  return list;
}

function withElement(value: Numeric, flatIndex: number, delta: number): Numeric {
  if (typeof value === 'number') return value + delta;
  if (value.length === 0 || typeof value[0] === 'number') {
    const copy = (value as number[]).slice();
    copy[flatIndex] += delta;
    return copy;
  }
  const rows = (value as number[][]).map((row) => row.slice());
  const cols = rows[0].length;
  rows[Math.floor(flatIndex / cols)][flatIndex % cols] += delta;
  return rows;
}

/** The student calls a plan's evaluation makes, for the sandbox to run in one round trip. */
export function plannedCalls(plan: CheckPlan): PlannedCall[] {
  switch (plan.kind) {
    case 'interface':
      return [{ fn: plan.fn, args: plan.args, echoArgs: true }];
    case 'value':
      return [{ fn: plan.fn, args: plan.args }];
    case 'gradient':
      return plan.loss ? [{ fn: plan.fn, args: plan.args }, { fn: plan.loss.fn, args: plan.args }] : [{ fn: plan.fn, args: plan.args }];
    case 'finite-differences':
      return [{ fn: plan.fn, args: plan.args }, { fn: plan.lossFn, argsList: finiteDifferenceArgs(plan) }];
    default:
      return trainingPlannedCalls(plan);
  }
}
