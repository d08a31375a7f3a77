/**
 * Interface checks on values that came back from the sandbox: plain numbers and plain arrays of
 * plain numbers, of the expected shape. Values were deserialised in the grader's realm, so
 * `Array.isArray` and `typeof` here cannot be fooled by student patches.
 */
import { describeValue, formatNumber } from './describe';

/** The shape a result must have: a number, a vector of a length, or a matrix of rows × columns. */
export type Shape =
  | { kind: 'number' }
  | { kind: 'vector'; length: number }
  | { kind: 'matrix'; rows: number; cols: number };

/** A numeric value a function returns: a number, a vector or a matrix (rows = samples). */
export type Numeric = number | number[] | number[][];

/** "a number", "an array of 4 numbers", "a 3×2 array of arrays". */
export function describeShape(shape: Shape): string {
  switch (shape.kind) {
    case 'number':
      return 'a plain number';
    case 'vector':
      return `a plain array of ${shape.length} numbers`;
    case 'matrix':
      return `a ${shape.rows}×${shape.cols} array of arrays of numbers (one row per sample)`;
  }
}

/**
 * A real array whose prototype is an Array.prototype (of any realm: values deserialised from the
 * sandbox belong to Node's main realm, not to the jest test realm) — not a subclass.
 */
function isPlainArray(value: unknown): value is unknown[] {
  if (!Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return Array.isArray(proto) && Object.getPrototypeOf(Object.getPrototypeOf(proto)) === null;
}

function vectorProblem(value: unknown, length: number, where: string): string | undefined {
  if (!isPlainArray(value)) return `${where} is ${describeValue(value)}`;
  if (value.length !== length) return `${where} has length ${value.length} (expected ${length})`;
  for (let i = 0; i < value.length; i++) {
    if (!(i in value)) return `${where} has a hole at index ${i}`;
    if (typeof value[i] !== 'number') return `${where}[${i}] is ${describeValue(value[i])}`;
  }
  return undefined;
}

/** Undefined when `value` has `shape`, else what is wrong with it, in words. */
export function shapeProblem(value: unknown, shape: Shape): string | undefined {
  switch (shape.kind) {
    case 'number':
      return typeof value === 'number' ? undefined : `returned ${describeValue(value)}`;
    case 'vector': {
      // Not an array at all: what came back says it all (no second sentence repeating it).
      if (!isPlainArray(value)) return `returned ${describeValue(value)}`;
      const problem = vectorProblem(value, shape.length, 'the result');
      return problem && `returned ${describeValue(value)}: ${problem}`;
    }
    case 'matrix': {
      if (!isPlainArray(value)) return `returned ${describeValue(value)}`;
      if (value.length !== shape.rows) return `returned an array of ${value.length} rows (expected ${shape.rows})`;
      for (let r = 0; r < value.length; r++) {
        const problem = vectorProblem(value[r], shape.cols, `row ${r}`);
        if (problem) return `returned a badly shaped matrix: ${problem}`;
      }
      return undefined;
    }
  }
}

/** Flattens a numeric value, keeping each element's index for messages. */
export function flatten(value: Numeric): { values: number[]; index: (flat: number) => number | [number, number] } {
  if (typeof value === 'number') return { values: [value], index: () => 0 };
  if (value.length === 0 || typeof value[0] === 'number') return { values: value as number[], index: (i) => i };
  const rows = value as number[][];
  const cols = rows[0].length;
  return { values: rows.flat(), index: (i) => [Math.floor(i / cols), i % cols] };
}

/** The first non-finite element, described, or undefined. */
export function nonFiniteProblem(value: Numeric): string | undefined {
  const { values, index } = flatten(value);
  const at = values.findIndex((x) => !Number.isFinite(x));
  if (at < 0) return undefined;
  const where = typeof value === 'number' ? 'the result' : `element ${JSON.stringify(index(at))}`;
  return `${where} is ${formatNumber(values[at])}`;
}
