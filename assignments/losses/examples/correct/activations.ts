// Activation functions and small numeric helpers, kept apart from the losses so that
// losses.ts reads like the formulas in the handout.

/** Sigmoid of one number, written so that Math.exp never sees a large positive argument. */
export function sigmoidScalar(z: number): number {
  if (z >= 0) {
    return 1 / (1 + Math.exp(-z));
  }
  // for z < 0, e^z is small, so this form cannot overflow
  const e = Math.exp(z);
  return e / (1 + e);
}

/** Elementwise sigmoid. */
export function sigmoid(z: number[]): number[] {
  return z.map(sigmoidScalar);
}

/** log(sum(exp(row))) computed with the max trick. */
export function logSumExp(row: number[]): number {
  let max = -Infinity;
  for (const v of row) {
    if (v > max) max = v;
  }
  let total = 0;
  for (const v of row) {
    total += Math.exp(v - max);
  }
  return max + Math.log(total);
}

/** Softmax of one row (shift by the max first so exp never overflows). */
export function softmaxRow(row: number[]): number[] {
  const max = Math.max(...row);
  const exps = row.map((v) => Math.exp(v - max));
  const total = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / total);
}

/** Row-wise softmax: every row is one sample. */
export function softmax(z: number[][]): number[][] {
  return z.map(softmaxRow);
}
