/**
 * Argument checks shared by the reference implementations. Every message starts with the name
 * of the public function the caller used and names the offending argument and value, e.g.
 * `mse: yTrue has length 3 but yPred has length 4`.
 *
 * Internal: not part of the public API.
 */

/** Short, readable rendering of a bad value for an error message. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return String(value);
}

/**
 * Checks that `v` is a non-empty array of numbers.
 * @example assertVector('mse', 'yTrue', []) // throws "mse: yTrue is empty"
 */
export function assertVector(fn: string, name: string, v: unknown): asserts v is number[] {
  if (!Array.isArray(v)) throw new TypeError(`${fn}: ${name} must be an array of numbers, got ${describeValue(v)}`);
  if (v.length === 0) throw new RangeError(`${fn}: ${name} is empty`);
  for (let i = 0; i < v.length; i++) {
    if (typeof v[i] !== 'number') {
      throw new TypeError(`${fn}: ${name}[${i}] must be a number, got ${describeValue(v[i])}`);
    }
  }
}

/**
 * Checks that `m` is a non-empty rectangular array of non-empty number rows; returns its shape.
 * @example assertMatrix('softmax', 'z', [[1, 2], [3]]) // throws "softmax: z[1] has length 1 but z[0] has length 2"
 */
export function assertMatrix(fn: string, name: string, m: unknown): { rows: number; cols: number } {
  if (!Array.isArray(m)) throw new TypeError(`${fn}: ${name} must be an array of rows (number[][]), got ${describeValue(m)}`);
  if (m.length === 0) throw new RangeError(`${fn}: ${name} has no rows`);
  const rows: unknown[] = m;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (!Array.isArray(row)) {
      throw new TypeError(`${fn}: ${name}[${i}] must be an array of numbers, got ${describeValue(row)}`);
    }
    if (row.length === 0) throw new RangeError(`${fn}: ${name}[${i}] is empty`);
    const first = rows[0] as unknown[];
    if (row.length !== first.length) {
      throw new RangeError(`${fn}: ${name}[${i}] has length ${row.length} but ${name}[0] has length ${first.length}`);
    }
    for (let j = 0; j < row.length; j++) {
      if (typeof row[j] !== 'number') {
        throw new TypeError(`${fn}: ${name}[${i}][${j}] must be a number, got ${describeValue(row[j])}`);
      }
    }
  }
  return { rows: rows.length, cols: (rows[0] as unknown[]).length };
}

/** Checks two non-empty vectors of equal length; returns that length. */
export function assertSameLength(fn: string, nameA: string, a: unknown, nameB: string, b: unknown): number {
  assertVector(fn, nameA, a);
  assertVector(fn, nameB, b);
  if (a.length !== b.length) {
    throw new RangeError(`${fn}: ${nameA} has length ${a.length} but ${nameB} has length ${b.length}`);
  }
  return a.length;
}

/** Checks two rectangular matrices of the same shape; returns that shape. */
export function assertSameShape(
  fn: string,
  nameA: string,
  a: unknown,
  nameB: string,
  b: unknown,
): { rows: number; cols: number } {
  const sa = assertMatrix(fn, nameA, a);
  const sb = assertMatrix(fn, nameB, b);
  if (sa.rows !== sb.rows || sa.cols !== sb.cols) {
    throw new RangeError(
      `${fn}: ${nameA} has shape ${sa.rows}×${sa.cols} but ${nameB} has shape ${sb.rows}×${sb.cols}`,
    );
  }
  return sa;
}

/** Checks a finite number. */
export function assertFinite(fn: string, name: string, x: unknown): asserts x is number {
  if (typeof x !== 'number' || !Number.isFinite(x)) {
    throw new RangeError(`${fn}: ${name} must be a finite number, got ${describeValue(x)}`);
  }
}

/** Checks an integer ≥ `min`. */
export function assertInteger(fn: string, name: string, x: unknown, min: number): asserts x is number {
  if (typeof x !== 'number' || !Number.isInteger(x) || x < min) {
    throw new RangeError(`${fn}: ${name} must be an integer ≥ ${min}, got ${describeValue(x)}`);
  }
}

/** Checks that every entry of an (already shape-checked) matrix is finite, naming the first that is not. */
export function assertFiniteEntries(fn: string, name: string, m: readonly (readonly number[])[]): void {
  m.forEach((row, i) => row.forEach((v, j) => assertFinite(fn, `${name}[${i}][${j}]`, v)));
}
