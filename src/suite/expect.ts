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

/** What {@link expectClose} compares: the call (for the message), its inputs, expected and actual values, tolerance and an optional hint. */
export interface CloseSpec {
  /** What was called, e.g. `mse(yTrue, yPred)`. */
  call: string;
  inputs: Record<string, unknown>;
  expected: Numeric;
  got: Numeric;
  tolerance: Tolerance;
  /** A hypothesis for the mismatch; computed only when the values differ. */
  hint?: () => string | undefined | Promise<string | undefined>;
  /** Lines after the tolerance (e.g. what else is accepted), before the hint. */
  notes?: string[];
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
    ...(spec.notes ?? []),
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

/**
 * Fails unless every element is finite where the exact answer is (every element when `expected`
 * is not given); used by stability checks. An infinite exact answer is left to the closeness check.
 */
export function expectFinite(call: string, got: Numeric, inputs: Record<string, unknown>, expected?: Numeric, hint?: () => string | undefined): void {
  const values = flatten(got);
  const exact = expected === undefined ? undefined : flatten(expected).values;
  const at = values.values.findIndex((x, i) => !Number.isFinite(x) && (exact === undefined || Number.isFinite(exact[i])));
  if (at < 0) return;
  const where = typeof got === 'number' ? 'the result' : `element ${JSON.stringify(values.index(at))}`;
  const problem = `${where} is ${formatNumber(values.values[at])}`;
  const diagnosis = hint ? hint() : diagnoseNonFinite(call, got);
  throw new GradeFailure('failed', `${call}: ${problem}, but the exact answer is finite.${diagnosis ? `\nHint: ${diagnosis}` : ''}`, {
    comparison: { call, inputs, got, ...(expected !== undefined ? { expected } : {}) },
    diagnosis,
  });
}

/**
 * True when every element of `got` lies between the exact answer and the answer of a tolerated
 * clipping (inclusive, each end widened by the tolerance): clipping at a smaller ε lands in between.
 */
export function withinClipping(expected: Numeric, clipped: Numeric, got: Numeric, tolerance: Tolerance): boolean {
  const e = flatten(expected).values;
  const c = flatten(clipped).values;
  const g = flatten(got).values;
  const slack = (x: number) => tolerance.atol + tolerance.rtol * Math.abs(x);
  return g.every((x, i) => {
    const lo = Math.min(e[i], c[i]);
    const hi = Math.max(e[i], c[i]);
    return x >= lo - slack(lo) && x <= hi + slack(hi);
  });
}

/** Like {@link expectClose} for a gradient against the reference gradient, with a diagnosis. */
export async function expectGradientClose(
  spec: Omit<CloseSpec, 'hint'> & { context: GradientContext; args?: unknown[]; extraHint?: () => Promise<string | undefined> },
): Promise<void> {
  await expectClose({
    ...spec,
    hint: async () => diagnoseGradient(spec.call, spec.got, spec.expected, spec.context, spec.args, spec.tolerance) ?? (await spec.extraHint?.()),
  });
}

/** What {@link expectMatchesOwnLoss} checks: a gradient against central finite differences of the student's own loss. */
export interface FiniteDifferenceSpec {
  lossFn: string;
  gradFn: string;
  /** Arguments of both functions, e.g. [yTrue, yPred]; differences are taken in the second. */
  args: unknown[];
  shape: Shape;
  argNames: string[];
  /** Step for central differences. */
  h: number;
  /**
   * The loss's arguments from {@link finiteDifferenceArgs} (planned by the suite): x ± h·eᵢ for
   * every element, then x ± coarse.h·eᵢ, then x itself.
   */
  lossArgsList: unknown[][];
  /** Largest allowed CS231n relative error per element at step h. */
  maxRelError?: number;
  /** The second step and its error bound, relative to the largest gradient element. */
  coarse: { h: number; maxRelError: number };
  /** The reference gradient: a gradient that matches it within `tolerance` passes. */
  reference: Numeric;
  tolerance: Tolerance;
  context: GradientContext;
  /** The reference loss at x, to say whether the student's loss is right there. */
  loss?: { expected: number; tolerance: Tolerance };
}

/** Central differences (L(x + h·eᵢ) − L(x − h·eᵢ)) / 2h from `count` pairs of losses starting at `from`. */
function centralDifferences(losses: number[], from: number, count: number, h: number): number[] {
  return Array.from({ length: count }, (_, i) => (losses[from + 2 * i] - losses[from + 2 * i + 1]) / (2 * h));
}

/** The element with the largest CS231n relative error, and that error (Infinity where a difference is not finite). */
function worstRelative(got: number[], numeric: number[]): { at: number; error: number } {
  let at = 0;
  let error = -1;
  for (let i = 0; i < numeric.length; i++) {
    const e = Number.isFinite(numeric[i]) ? relativeError(got[i], numeric[i], 1e-7) : Infinity;
    if (e > error) {
      error = e;
      at = i;
    }
  }
  return { at, error };
}

/** max |a − n| / max(max |a|, max |n|): the error relative to the gradient's scale, robust for small elements. */
function scaledError(got: number[], numeric: number[]): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < numeric.length; i++) {
    if (!Number.isFinite(numeric[i])) return Infinity;
    diff = Math.max(diff, Math.abs(got[i] - numeric[i]));
    scale = Math.max(scale, Math.abs(got[i]), Math.abs(numeric[i]));
  }
  return scale === 0 ? 0 : diff / scale;
}

/**
 * Gradient check against central finite differences of the student's OWN loss, charging the
 * gradient only for its own fault:
 * - a gradient that matches the reference passes (it is right; the loss's own checks charge a
 *   wrong or coarse loss);
 * - otherwise it passes when it is the slope of the student's loss — per element within
 *   `maxRelError` at step h, or, for losses too coarse for h (float32), within `coarse.maxRelError`
 *   of the largest element at `coarse.h` — since then the mistake is in the loss it differentiates;
 * - it fails when it is neither.
 */
export async function expectMatchesOwnLoss(spec: FiniteDifferenceSpec): Promise<void> {
  const maxRelError = spec.maxRelError ?? 1e-5;
  const [fixed, point] = spec.args as [unknown, Numeric];
  const inputs = { [spec.argNames[0]]: fixed, [spec.argNames[1]]: point };
  const call = `${spec.gradFn}(${spec.argNames.join(', ')})`;
  const got = await callExpecting<Numeric>(spec.gradFn, spec.args, spec.shape, call);
  expectFinite(call, got, inputs, spec.reference, () => diagnoseNonFinite(call, got, spec.args, spec.context.domain, spec.reference));
  if (compareClose(spec.reference, got, spec.tolerance).ok) return;
  const gotFlat = flatten(got);
  const count = gotFlat.values.length;
  let losses: number[];
  try {
    losses = await callManyNumbers(spec.lossFn, spec.lossArgsList, `${spec.lossFn}(${spec.argNames.join(', ')} ± h)`);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new GradeFailure('failed', `${call} is not the expected gradient, and it cannot be compared with the slope of your own ${spec.lossFn}: ${why}`, { comparison: { call, inputs, expected: spec.reference, got } });
  }
  const fine = centralDifferences(losses, 0, count, spec.h);
  const worst = worstRelative(gotFlat.values, fine);
  if (worst.error <= maxRelError) return;
  const coarse = centralDifferences(losses, 2 * count, count, spec.coarse.h);
  const coarseError = scaledError(gotFlat.values, coarse);
  if (coarseError <= spec.coarse.maxRelError) return;
  const center = losses[4 * count];
  const lossFact = spec.loss
    ? Number.isFinite(center) && compareClose(spec.loss.expected, center, spec.loss.tolerance).ok
      ? `Your ${spec.lossFn} has the expected value at this point, so it is the gradient that needs fixing.`
      : `Your ${spec.lossFn} differs from the expected value at this point too (its own checks say how): fix both, then compare again.`
    : undefined;
  const hint = diagnoseGradient(call, got, spec.reference, spec.context, spec.args, spec.tolerance);
  const numeric: Numeric = typeof point === 'number' ? fine[0] : typeof (point as unknown[])[0] === 'number' ? fine : reshape(fine, (point as number[][])[0].length);
  const lines = [
    `${call} is neither the expected gradient nor the slope of your own ${spec.lossFn}: central finite differences (L(x + h·eᵢ) − L(x − h·eᵢ)) / 2h disagree with it at h = ${spec.h} and at h = ${spec.coarse.h}.`,
    `Worst element ${JSON.stringify(gotFlat.index(worst.at))} at h = ${spec.h}: finite differences give ${formatNumber(fine[worst.at])}, your gradient gives ${formatNumber(gotFlat.values[worst.at])} (relative error ${formatNumber(worst.error)})`,
    `Tolerance: relative error |a − n| / max(|a|, |n|) ≤ ${maxRelError} per element at h = ${spec.h}, or largest difference ≤ ${spec.coarse.maxRelError} of the largest element at h = ${spec.coarse.h} (measured: ${formatNumber(coarseError)})`,
    ...(lossFact ? [lossFact] : []),
  ];
  if (hint) lines.push(`Hint: ${hint}`);
  throw new GradeFailure('failed', lines.join('\n'), {
    comparison: {
      call,
      inputs,
      expected: numeric,
      got,
      worstIndex: gotFlat.index(worst.at),
      worstExpected: fine[worst.at],
      worstGot: gotFlat.values[worst.at],
      relDiff: worst.error,
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
