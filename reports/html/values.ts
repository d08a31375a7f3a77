/**
 * Formatting of numbers and arrays for the HTML reports, and the element table of a numeric
 * comparison: the worst element and a few neighbours, never a whole 1000-element array.
 * Pure functions over plain data.
 */
import type { Comparison } from '../../src/types';

/** How many elements either side of the worst one the element table shows. */
export const NEIGHBOURS = 2;
/** Arrays up to this length are shown in full in the element table. */
export const SHOW_ALL_UP_TO = 8;

/**
 * A number as people read it in a report: integers as they are, others to 7 significant digits
 * (trailing zeros dropped), very small or large magnitudes in exponent form. `null` is what
 * NaN and ±Infinity become in JSON, so it is shown as "non-finite".
 *
 * @example formatNumber(-0.59898400073) // returns "-0.598984"
 * @example formatNumber(1e-8)           // returns "1e-8"
 */
export function formatNumber(value: unknown): string {
  if (value === null) return 'non-finite';
  if (typeof value !== 'number') return value === undefined ? '' : String(value);
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '∞';
  if (value === -Infinity) return '−∞';
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude !== 0 && (magnitude < 1e-4 || magnitude >= 1e7)) {
    const [mantissa, exponent] = value.toExponential(3).split('e');
    return `${trimZeros(mantissa)}e${exponent.replace('+', '')}`;
  }
  return trimZeros(value.toPrecision(7));
}

function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}

const isNumberLike = (value: unknown): value is number | null => typeof value === 'number' || value === null;
const isVector = (value: unknown): value is (number | null)[] => Array.isArray(value) && value.every(isNumberLike);
const isMatrix = (value: unknown): value is (number | null)[][] => Array.isArray(value) && value.length > 0 && value.every(isVector);

/** Shape of a value: [] for a number, [n] for a vector, [rows, cols] for a rectangular matrix; undefined otherwise. */
export function shapeOf(value: unknown): number[] | undefined {
  if (isNumberLike(value)) return [];
  if (isVector(value)) return [value.length];
  if (isMatrix(value)) {
    const cols = value[0].length;
    return value.every((row) => row.length === cols) ? [value.length, cols] : undefined;
  }
  return undefined;
}

function formatVector(values: readonly unknown[], head: number, tail: number): string {
  if (values.length <= head + tail + 1) return `[${values.map(formatNumber).join(', ')}]`;
  return `[${values.slice(0, head).map(formatNumber).join(', ')}, …, ${values.slice(values.length - tail).map(formatNumber).join(', ')}]`;
}

/**
 * A short one-line rendering of any input or output value: numbers formatted, long vectors cut to
 * their first and last few elements with the length, matrices to a few rows with their shape,
 * plain objects field by field; anything longer than `maxChars` is cut.
 *
 * @example formatValue([1, 2, 3]) // returns "[1, 2, 3]"
 * @example formatValue(Array.from({ length: 41 }, (_, i) => i)) // returns "[0, 1, 2, 3, 4, …, 38, 39, 40] (41 numbers)"
 */
export function formatValue(value: unknown, maxChars = 240): string {
  if (isNumberLike(value)) return formatNumber(value);
  if (isVector(value)) {
    const text = formatVector(value, 5, 3);
    return value.length > 9 ? `${text} (${value.length} numbers)` : text;
  }
  if (isMatrix(value)) {
    const shape = shapeOf(value);
    const rows = value.length > 4 ? [...value.slice(0, 2).map((r) => formatVector(r, 3, 1)), '…', formatVector(value[value.length - 1], 3, 1)] : value.map((r) => formatVector(r, 3, 1));
    const text = `[${rows.join(', ')}]`;
    return shape ? `${text} (${shape[0]}×${shape[1]})` : text;
  }
  let text: string;
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype) {
    // Options objects ({ lr: 0.3, w0: [...] }): each field formatted like a value of its own.
    text = `{ ${Object.entries(value as Record<string, unknown>)
      .map(([key, field]) => `${key}: ${formatValue(field, maxChars)}`)
      .join(', ')} }`;
  } else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return text.length > maxChars ? `${text.slice(0, maxChars - 1)}…` : text;
}

/** One flattened element: its label ("5" or "[1,2]") and value. */
interface Flat {
  label: string;
  value: number | null | undefined;
}

function flatten(value: unknown): Flat[] | undefined {
  if (isNumberLike(value)) return [{ label: '', value }];
  if (isVector(value)) return value.map((v, i) => ({ label: String(i), value: v }));
  if (Array.isArray(value) && value.every(isVector)) return (value as (number | null)[][]).flatMap((row, r) => row.map((v, c) => ({ label: `[${r},${c}]`, value: v })));
  return undefined;
}

function sameShape(a: unknown, b: unknown): boolean {
  const sa = shapeOf(a);
  const sb = shapeOf(b);
  return sa !== undefined && sb !== undefined && sa.length === sb.length && sa.every((n, i) => n === sb[i]);
}

/** Whether |got − expected| is within the comparison's tolerance; undefined when it has none. */
export function withinTolerance(expected: number | null | undefined, got: number | null | undefined, tolerance: Comparison['tolerance']): boolean | undefined {
  if (!tolerance || expected === undefined || got === undefined) return undefined;
  if (expected === null || got === null || !Number.isFinite(expected) || !Number.isFinite(got)) return expected === got && expected !== null;
  const diff = Math.abs(got - expected);
  if (tolerance.rtol !== undefined || tolerance.atol !== undefined) return diff <= (tolerance.atol ?? 0) + (tolerance.rtol ?? 0) * Math.abs(expected);
  if (tolerance.maxRelError !== undefined) {
    const scale = Math.max(Math.abs(got), Math.abs(expected));
    return scale === 0 || diff / scale <= tolerance.maxRelError;
  }
  return undefined;
}

/** One row of the element table. */
export interface ElementRow {
  index: string;
  inputs: string[];
  expected: string;
  got: string;
  /** got − expected, signed. */
  difference: string;
  /** ✓/✗ against the tolerance; undefined when there is no tolerance or nothing to compare. */
  ok?: boolean;
  worst: boolean;
}

/** The worst element and its neighbours, aligned with the inputs that have the same shape. */
export interface ElementTable {
  /** Names of the inputs shown as columns (same shape as the result). */
  inputNames: string[];
  hasExpected: boolean;
  hasTolerance: boolean;
  rows: ElementRow[];
  /** e.g. "elements 3 to 7 of 41, around the worst one (5)". */
  note: string;
  /** What the marked row is: "worst" (largest difference) or "first non-finite" (no expected values). */
  focusLabel: string;
  scalar: boolean;
}

function flatWorstIndex(worst: Comparison['worstIndex'], reference: unknown): number | undefined {
  if (typeof worst === 'number') return worst;
  if (Array.isArray(worst) && Array.isArray(reference)) {
    let offset = 0;
    for (let r = 0; r < worst[0] && r < reference.length; r++) offset += Array.isArray(reference[r]) ? (reference[r] as unknown[]).length : 1;
    return offset + worst[1];
  }
  return undefined;
}

/**
 * The element table of a comparison: for a scalar result one row; for arrays the worst element
 * and `NEIGHBOURS` either side (all of them when there are at most `SHOW_ALL_UP_TO`). When the
 * comparison has no worst element (e.g. a NaN check), the first non-finite element is the focus.
 * Returns undefined when the values are not numbers or arrays of numbers.
 */
export function elementTable(comparison: Comparison): ElementTable | undefined {
  const hasExpected = comparison.expected !== undefined;
  const reference = hasExpected ? comparison.expected : comparison.got;
  if (reference === undefined) return undefined;
  const expected = hasExpected ? flatten(comparison.expected) : undefined;
  const got = comparison.got !== undefined ? flatten(comparison.got) : undefined;
  const base = expected ?? got;
  if (!base || (hasExpected && !expected) || (comparison.got !== undefined && !got)) return undefined;
  const scalar = shapeOf(reference)?.length === 0;
  // A lone value without an expected one is said as well in one line ("Got: non-finite").
  if (scalar && !hasExpected) return undefined;
  const inputEntries = Object.entries(comparison.inputs ?? {}).filter(([, value]) => !scalar && sameShape(value, reference));
  const inputs = inputEntries.map(([, value]) => flatten(value)!);
  const length = Math.max(expected?.length ?? 0, got?.length ?? 0);
  let focus = flatWorstIndex(comparison.worstIndex, reference);
  if (focus === undefined || focus < 0 || focus >= length) {
    const firstBad = (got ?? []).findIndex((element) => element.value === null || (typeof element.value === 'number' && !Number.isFinite(element.value)));
    focus = firstBad >= 0 ? firstBad : 0;
  }
  const showAll = length <= SHOW_ALL_UP_TO;
  const from = showAll ? 0 : Math.max(0, Math.min(focus - NEIGHBOURS, length - (2 * NEIGHBOURS + 1)));
  const to = showAll ? length : Math.min(length, from + 2 * NEIGHBOURS + 1);
  const hasWorst = comparison.worstIndex !== undefined || (got ?? []).some((e) => e.value === null);
  const rows: ElementRow[] = [];
  for (let i = from; i < to; i++) {
    const e = expected?.[i]?.value;
    const g = got?.[i]?.value;
    const difference = typeof e === 'number' && typeof g === 'number' && Number.isFinite(e) && Number.isFinite(g) ? formatNumber(g - e) : '';
    rows.push({
      index: scalar ? 'value' : (expected?.[i] ?? got?.[i])?.label ?? String(i),
      inputs: inputs.map((flat) => formatNumber(flat[i]?.value)),
      expected: formatNumber(e),
      got: formatNumber(g),
      difference,
      ok: hasExpected ? withinTolerance(e, g, comparison.tolerance) : g === null ? false : undefined,
      worst: hasWorst && i === focus,
    });
  }
  const worstLabel = rows.find((r) => r.worst)?.index;
  const focusLabel = hasExpected ? 'worst' : 'first non-finite';
  const note = scalar
    ? ''
    : showAll
      ? `all ${length} elements${worstLabel !== undefined ? `; the ${focusLabel} (${worstLabel}) is marked` : ''}.`
      : `elements ${rows[0].index} to ${rows[rows.length - 1].index} of ${length}${worstLabel !== undefined ? `, around the ${focusLabel} one (${worstLabel})` : ''}.`;
  return { inputNames: inputEntries.map(([name]) => name), hasExpected, hasTolerance: comparison.tolerance !== undefined, rows, note, focusLabel, scalar };
}

/** "rtol = 1e-5, atol = 1e-8" / "relative error ≤ 1e-5". */
export function formatTolerance(tolerance: Comparison['tolerance']): string | undefined {
  if (!tolerance) return undefined;
  const parts: string[] = [];
  if (tolerance.rtol !== undefined || tolerance.atol !== undefined) {
    parts.push(`|got − expected| ≤ atol + rtol·|expected| with rtol = ${formatNumber(tolerance.rtol ?? 0)}, atol = ${formatNumber(tolerance.atol ?? 0)}`);
  }
  if (tolerance.maxRelError !== undefined) parts.push(`relative error ≤ ${formatNumber(tolerance.maxRelError)}`);
  return parts.join('; ') || undefined;
}

/**
 * An ISO timestamp as "2026-11-25 14:00 UTC"; other strings unchanged.
 *
 * @example formatTimestamp('2026-11-25T14:00:31.123Z') // returns "2026-11-25 14:00 UTC"
 */
export function formatTimestamp(iso: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::[\d.]+)?Z$/.exec(iso);
  return match ? `${match[1]} ${match[2]} UTC` : iso;
}
