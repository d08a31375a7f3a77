/**
 * Check plans: everything a built-in check needs to grade a submission, as plain data computed
 * when the suite is declared — the arguments, the expected values the reference gave, tolerances
 * and the facts diagnoses rely on. A plan holds no function, so the public checks' plans can be
 * written to a student kit (JSON) and evaluated there by the same code, without the reference.
 */
import type { PlannedCall } from '../sandbox/sandboxProcess';
import type { Tolerance } from './closeness';
import type { GradientContext } from './diagnosis';
import type { Numeric, Shape } from './shapes';
import { trainingPlannedCalls, type TrainingPlan } from './trainingPlans';

/** The export exists and returns plain numbers of `shape`, finite, on an ordinary input. */
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
  /** Rows are distributions (softmax): diagnose a wrong axis. */
  rowsSumToOne?: boolean;
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
  /** The loss this gradient belongs to and its reference value at `args`. */
  loss?: { fn: string; expected: number };
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
  /** The reference gradient at `args`. */
  reference: Numeric;
  context: GradientContext;
  /** The reference loss at `args`. */
  loss?: { fn: string; expected: number };
}

/** Every kind of plan the built-in builders make (the trainers' kinds: ./trainingPlans). */
export type CheckPlan = InterfacePlan | ValuePlan | GradientPlan | FiniteDifferencePlan | TrainingPlan;

const lossCalls = new WeakMap<FiniteDifferencePlan, unknown[][]>();

/**
 * The argument lists of a finite-difference check's loss calls, [fixed, x ± h·eᵢ] for every
 * element i, in that order: made once per plan object, so the calls the suite plans are the very
 * objects the check passes.
 */
export function finiteDifferenceArgs(plan: FiniteDifferencePlan): unknown[][] {
  const cached = lossCalls.get(plan);
  if (cached) return cached;
  const [fixed, point] = plan.args as [unknown, Numeric];
  const count = typeof point === 'number' ? 1 : (point as unknown[]).length === 0 ? 0 : Array.isArray((point as unknown[])[0]) ? (point as number[][]).length * (point as number[][])[0].length : (point as number[]).length;
  const list: unknown[][] = [];
  for (let i = 0; i < count; i++) list.push([fixed, withElement(point, i, plan.h)], [fixed, withElement(point, i, -plan.h)]);
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
