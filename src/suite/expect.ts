/**
 * Assertions of the grading suites. Each one fails with a message that lets a student
 * reproduce and understand the problem: the call, the worst element (expected vs got, absolute
 * and relative difference), the tolerance, and a hint when one of the usual mistakes fits.
 */
import type { Comparison } from '../types';
import { compareClose, relativeError, type Tolerance } from './closeness';
import { formatNumber } from './describe';
import { diagnoseGradient, diagnoseNonFinite, type GradientContext } from './diagnosis';
import { GradeFailure } from './failure';
import { flatten, nonFiniteProblem, type Numeric, type Shape } from './shapes';
import { callExpecting, callManyNumbers } from './submission';

export interface CloseSpec {
  /** What was called, e.g. `mse(yTrue, yPred)`. */
  call: string;
  inputs: Record<string, unknown>;
  expected: Numeric;
  got: Numeric;
  tolerance: Tolerance;
  /** A hypothesis for the mismatch; computed only when the values differ. */
  hint?: () => string | undefined | Promise<string | undefined>;
}

function indexText(index: number | [number, number], scalar: boolean): string {
  if (scalar) return 'value';
  return `element ${JSON.stringify(index)}`;
}

/** Fails unless `got` is close to `expected` (numpy assert_allclose semantics). */
export async function expectClose(spec: CloseSpec): Promise<void> {
  const result = compareClose(spec.expected, spec.got, spec.tolerance);
  if (result.ok) return;
  const scalar = typeof spec.expected === 'number';
  const { worst } = result;
  const hint = (await spec.hint?.()) ?? diagnoseNonFinite(spec.call, spec.got);
  const lines = [
    `${spec.call} is not close enough to the expected value.`,
    ...(scalar ? [] : [`Mismatched elements: ${result.mismatched} / ${result.total} (${Math.round((100 * result.mismatched) / result.total)}%)`]),
    `Worst ${indexText(worst.index, scalar)}: expected ${formatNumber(worst.expected)}, got ${formatNumber(worst.got)} (abs diff ${formatNumber(worst.absDiff)}, rel diff ${formatNumber(worst.relDiff)})`,
    `Tolerance: |got − expected| ≤ atol + rtol·|expected| with rtol = ${spec.tolerance.rtol}, atol = ${spec.tolerance.atol}`,
  ];
  if (hint) lines.push(`Hint: ${hint}`);
  const comparison: Comparison = {
    call: spec.call,
    inputs: spec.inputs,
    expected: spec.expected,
    got: spec.got,
    worstIndex: worst.index,
    worstExpected: worst.expected,
    worstGot: worst.got,
    absDiff: worst.absDiff,
    relDiff: worst.relDiff,
    mismatched: result.mismatched,
    total: result.total,
    tolerance: { ...spec.tolerance },
  };
  throw new GradeFailure('failed', lines.join('\n'), { comparison, diagnosis: hint });
}

/** Fails unless every element is finite; used by stability checks. */
export function expectFinite(call: string, got: Numeric, inputs: Record<string, unknown>): void {
  const problem = nonFiniteProblem(got);
  if (!problem) return;
  const hint = diagnoseNonFinite(call, got);
  throw new GradeFailure('failed', `${call}: ${problem}, but the exact answer is finite.${hint ? `\nHint: ${hint}` : ''}`, { comparison: { call, inputs, got }, diagnosis: hint });
}

/** Like {@link expectClose} for a gradient against the reference gradient, with a diagnosis. */
export async function expectGradientClose(spec: Omit<CloseSpec, 'hint'> & { context: GradientContext; extraHint?: () => Promise<string | undefined> }): Promise<void> {
  await expectClose({
    ...spec,
    hint: async () => diagnoseGradient(spec.call, spec.got, spec.expected, spec.context) ?? (await spec.extraHint?.()),
  });
}

export interface FiniteDifferenceSpec {
  lossFn: string;
  gradFn: string;
  /** Arguments of both functions, e.g. [yTrue, yPred]; differences are taken in the second. */
  args: unknown[];
  shape: Shape;
  argNames: string[];
  /** Step for central differences. */
  h: number;
  /** The loss's arguments at x ± h·eᵢ, from {@link finiteDifferenceArgs} (planned by the suite). */
  lossArgsList: unknown[][];
  /** Largest allowed CS231n relative error per element. */
  maxRelError?: number;
  /** The reference gradient, to tell "your loss is wrong" from "your gradient is wrong". */
  reference?: Numeric;
  context: GradientContext;
}

/**
 * Gradient check against central finite differences of the student's OWN loss:
 * (L(x + h·eᵢ) − L(x − h·eᵢ)) / 2h for every element i, compared with the student's gradient.
 */
export async function expectMatchesOwnLoss(spec: FiniteDifferenceSpec): Promise<void> {
  const h = spec.h;
  const maxRelError = spec.maxRelError ?? 1e-5;
  const [fixed, point] = spec.args as [unknown, Numeric];
  const call = `${spec.gradFn}(${spec.argNames.join(', ')})`;
  const got = await callExpecting<Numeric>(spec.gradFn, spec.args, spec.shape, call);
  expectFinite(call, got, { [spec.argNames[0]]: fixed, [spec.argNames[1]]: point });
  const count = flatten(point).values.length;
  const losses = await callManyNumbers(spec.lossFn, spec.lossArgsList, `${spec.lossFn}(${spec.argNames.join(', ')} ± h)`);
  const numericFlat = Array.from({ length: count }, (_, i) => (losses[2 * i] - losses[2 * i + 1]) / (2 * h));
  const gotFlat = flatten(got);
  let worst = 0;
  let worstError = -1;
  for (let i = 0; i < count; i++) {
    const error = Number.isFinite(numericFlat[i]) ? relativeError(gotFlat.values[i], numericFlat[i], 1e-7) : Infinity;
    if (error > worstError) {
      worstError = error;
      worst = i;
    }
  }
  if (worstError <= maxRelError) return;
  const numeric: Numeric = typeof point === 'number' ? numericFlat[0] : typeof (point as unknown[])[0] === 'number' ? numericFlat : reshape(numericFlat, (point as number[][])[0].length);
  let hint = diagnoseGradient(call, got, numeric, spec.context)?.replace(/the expected (value|one|size)/g, 'the slope of your own loss');
  if (spec.reference && compareClose(spec.reference, got, { rtol: 1e-5, atol: 1e-8 }).ok) {
    hint = `Your gradient matches the reference, so it is your ${spec.lossFn} that is wrong: it is not the function this gradient belongs to. Fix ${spec.lossFn} first.`;
  }
  const lines = [
    `${call} does not match central finite differences of your own ${spec.lossFn}: (L(x + h·eᵢ) − L(x − h·eᵢ)) / 2h with h = ${h}.`,
    `Worst element ${JSON.stringify(gotFlat.index(worst))}: finite differences give ${formatNumber(numericFlat[worst])}, your gradient gives ${formatNumber(gotFlat.values[worst])} (relative error ${formatNumber(worstError)})`,
    `Tolerance: relative error |a − n| / max(|a|, |n|) ≤ ${maxRelError}`,
  ];
  if (hint) lines.push(`Hint: ${hint}`);
  throw new GradeFailure('failed', lines.join('\n'), {
    comparison: {
      call,
      inputs: { [spec.argNames[0]]: fixed, [spec.argNames[1]]: point },
      expected: numeric,
      got,
      worstIndex: gotFlat.index(worst),
      worstExpected: numericFlat[worst],
      worstGot: gotFlat.values[worst],
      relDiff: worstError,
      tolerance: { maxRelError },
    },
    diagnosis: hint,
  });
}

function reshape(values: number[], cols: number): number[][] {
  const rows: number[][] = [];
  for (let i = 0; i < values.length; i += cols) rows.push(values.slice(i, i + cols));
  return rows;
}
