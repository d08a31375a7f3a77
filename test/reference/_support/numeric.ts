/** Double-precision helpers for the reference tests: finite differences and error measures. */

/** CS231n relative error |a − n| / max(|a|, |n|), 0 when both are 0. */
export function relError(a: number, n: number): number {
  const scale = Math.max(Math.abs(a), Math.abs(n));
  return scale === 0 ? 0 : Math.abs(a - n) / scale;
}

/** Largest elementwise {@link relError}. */
export function maxRelError(a: number[], n: number[]): number {
  if (a.length !== n.length) throw new Error(`maxRelError: lengths ${a.length} and ${n.length} differ`);
  return Math.max(...a.map((ai, i) => relError(ai, n[i])));
}

/** Central-difference gradient of f at x: (f(x + h e_j) − f(x − h e_j)) / 2h for each j. */
export function centralDifference(f: (x: number[]) => number, x: number[], h = 1e-6): number[] {
  return x.map((_, j) => {
    const plus = x.slice();
    const minus = x.slice();
    plus[j] += h;
    minus[j] -= h;
    return (f(plus) - f(minus)) / (2 * h);
  });
}

/** Reshape a flat array into rows of length `cols`. */
export function reshape(flat: number[], cols: number): number[][] {
  const rows: number[][] = [];
  for (let i = 0; i < flat.length; i += cols) rows.push(flat.slice(i, i + cols));
  return rows;
}

/** Recursively freezes arrays and plain objects so any mutation throws in strict mode. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value as object)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
