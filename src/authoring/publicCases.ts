/**
 * Public cases shipped in a student kit (`public-cases.json`): hand-picked inputs of the PUBLIC
 * tests with the reference's outputs precomputed, so a submission can be checked without the
 * reference being present.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface PublicCase {
  function: string;
  label: string;
  args: unknown[];
  expected: unknown;
}

export interface PublicCasesFile {
  assignment: string;
  tolerance: { rtol: number; atol: number };
  cases: PublicCase[];
}

export interface PublicCaseOutcome {
  function: string;
  label: string;
  ok: boolean;
  message: string;
}

export const PUBLIC_CASE_TOLERANCE = { rtol: 1e-5, atol: 1e-8 };

function close(got: unknown, expected: unknown, rtol: number, atol: number, where: string): string | null {
  if (typeof expected === 'number') {
    if (typeof got !== 'number') return `${where}: expected a number, got ${Array.isArray(got) ? 'an array' : typeof got}`;
    if (!Number.isFinite(got)) return `${where}: expected ${expected}, got ${got}`;
    return Math.abs(got - expected) <= atol + rtol * Math.abs(expected) ? null : `${where}: expected ${expected}, got ${got}`;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(got)) return `${where}: expected an array of length ${expected.length}, got ${typeof got}`;
    if (got.length !== expected.length) return `${where}: expected length ${expected.length}, got ${got.length}`;
    for (let i = 0; i < expected.length; i++) {
      const problem = close(got[i], expected[i], rtol, atol, `${where}[${i}]`);
      if (problem) return problem;
    }
    return null;
  }
  return `${where}: unsupported expected value`;
}

/** Checks `submissionExports` against `<kitDir>/public-cases.json` (rtol 1e-5 unless the file says otherwise). */
export function checkAgainstPublicCases(kitDir: string, submissionExports: Record<string, unknown>): { passed: number; failed: number; outcomes: PublicCaseOutcome[] } {
  const file = JSON.parse(fs.readFileSync(path.join(kitDir, 'public-cases.json'), 'utf8')) as PublicCasesFile;
  const { rtol, atol } = file.tolerance ?? PUBLIC_CASE_TOLERANCE;
  const outcomes = file.cases.map((c): PublicCaseOutcome => {
    const fn = submissionExports[c.function];
    if (typeof fn !== 'function') return { function: c.function, label: c.label, ok: false, message: `${c.function} is not exported as a function` };
    let got: unknown;
    try {
      got = fn(...(JSON.parse(JSON.stringify(c.args)) as unknown[]));
    } catch (error) {
      return { function: c.function, label: c.label, ok: false, message: `threw: ${(error as Error)?.message ?? String(error)}` };
    }
    const problem = close(got, c.expected, rtol, atol, c.function);
    return { function: c.function, label: c.label, ok: !problem, message: problem ?? 'ok' };
  });
  const passed = outcomes.filter((o) => o.ok).length;
  return { passed, failed: outcomes.length - passed, outcomes };
}
