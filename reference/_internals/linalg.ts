/**
 * Small dense linear-algebra kernels for the reference trainers. No validation here: callers
 * (the public functions) validate shapes first. Internal: not re-exported.
 */

/** z = X w + b, i.e. z_i = Σ_j X_ij w_j + b. */
export function affineVector(X: readonly (readonly number[])[], w: readonly number[], b: number): number[] {
  return X.map((row) => {
    let s = 0;
    for (let j = 0; j < w.length; j++) s += row[j] * w[j];
    return s + b;
  });
}

/** Z = X W + b (b added to every row), X is N×d, W is d×K. */
export function affineMatrix(
  X: readonly (readonly number[])[],
  W: readonly (readonly number[])[],
  b: readonly number[],
): number[][] {
  const k = b.length;
  return X.map((row) => {
    const out = b.slice();
    for (let j = 0; j < row.length; j++) {
      const x = row[j];
      const wj = W[j];
      for (let c = 0; c < k; c++) out[c] += x * wj[c];
    }
    return out;
  });
}

/** Deep copy of a matrix. */
export function copyMatrix(m: readonly (readonly number[])[]): number[][] {
  return m.map((row) => row.slice());
}
