/**
 * The baseline the benchmark compares against: what an instructor would otherwise run — a small
 * ts-jest project whose test file imports the student's `losses.ts` and checks 13 values against
 * hard-coded expected numbers, run with one `npx jest` per submission (the student's files are
 * copied into its `src/` first); see {@link BaselineVariant}. No sandbox, no diagnosis: only the cost of the usual approach.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LOSSES_REFERENCE } from '../reference';
import { timeCommand, type TimedRun } from './measure';

/**
 * `typecheck`: ts-jest's default (type-checks every file); `isolated`: `isolatedModules: true`
 * (transpile only); both started with `npx jest`. `isolated-node`: `isolated` started with
 * `node node_modules/jest/bin/jest.js`, without npx's own start-up (the fastest setup).
 */
export type BaselineVariant = 'typecheck' | 'isolated' | 'isolated-node';
export const BASELINE_VARIANTS: readonly BaselineVariant[] = ['typecheck', 'isolated', 'isolated-node'];

type Value = number | number[] | number[][];

/** The hand-picked calls the baseline test checks (13 tests, one per export). */
const CASES: { fn: keyof typeof LOSSES_REFERENCE; args: Value[] }[] = [
  { fn: 'sigmoid', args: [[-1, 0, 2]] },
  { fn: 'softmax', args: [[[1, 2, 3], [0, 0, 0]]] },
  { fn: 'mse', args: [[1, 2, 3], [1.5, 2, 2]] },
  { fn: 'mseGrad', args: [[1, 2, 3], [1.5, 2, 2]] },
  { fn: 'binaryCrossEntropy', args: [[1, 0, 1], [0.9, 0.2, 0.6]] },
  { fn: 'binaryCrossEntropyGrad', args: [[1, 0, 1], [0.9, 0.2, 0.6]] },
  { fn: 'binaryCrossEntropyFromLogits', args: [[1, 0, 1], [2, -1, 0.5]] },
  { fn: 'binaryCrossEntropyFromLogitsGrad', args: [[1, 0, 1], [2, -1, 0.5]] },
  { fn: 'categoricalCrossEntropy', args: [[[1, 0, 0], [0, 1, 0]], [[0.7, 0.2, 0.1], [0.1, 0.8, 0.1]]] },
  { fn: 'categoricalCrossEntropyGrad', args: [[[1, 0, 0], [0, 1, 0]], [[0.7, 0.2, 0.1], [0.1, 0.8, 0.1]]] },
  { fn: 'categoricalCrossEntropyFromLogits', args: [[[1, 0, 0], [0, 1, 0]], [[2, 1, 0], [0.5, 1.5, -1]]] },
  { fn: 'categoricalCrossEntropyFromLogitsGrad', args: [[[1, 0, 0], [0, 1, 0]], [[2, 1, 0], [0.5, 1.5, -1]]] },
  { fn: 'classificationError', args: [[0, 1, 1], [[2, 1], [0, 3], [1, 0]]] },
];

/** The baseline's test file, with the expected numbers computed once from the reference and written as literals. */
export function baselineTestSource(): string {
  const call = LOSSES_REFERENCE as unknown as Record<string, (...a: Value[]) => Value>;
  const tests = CASES.map(({ fn, args }) => {
    const expected = call[fn](...args);
    return `test('${fn}', () => {\n  expectClose(s.${fn}(${args.map((a) => JSON.stringify(a)).join(', ')}), ${JSON.stringify(expected)});\n});`;
  });
  return [
    `import * as s from '../src/losses';`,
    ``,
    `type Value = number | Value[];`,
    `function expectClose(got: unknown, want: Value): void {`,
    `  if (Array.isArray(want)) {`,
    `    expect(Array.isArray(got)).toBe(true);`,
    `    expect(got).toHaveLength(want.length);`,
    `    want.forEach((w, i) => expectClose((got as unknown[])[i], w));`,
    `  } else {`,
    `    expect(got).toBeCloseTo(want, 6);`,
    `  }`,
    `}`,
    ``,
    ...tests,
    ``,
  ].join('\n');
}

/**
 * Writes the baseline project into `dir`: package.json, jest.config.js (ts-jest preset),
 * tsconfig.json, test/losses.test.ts, and `node_modules` as a link to mlgrade's own (so nothing
 * is installed).
 */
export function createBaselineProject(dir: string, variant: BaselineVariant, nodeModules: string): void {
  fs.mkdirSync(path.join(dir, 'test'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'src'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: `baseline-${variant}`, private: true, scripts: { test: 'jest' } }, null, 2));
  fs.writeFileSync(path.join(dir, 'jest.config.js'), `module.exports = { preset: 'ts-jest', testEnvironment: 'node', roots: ['<rootDir>/test'], cacheDirectory: '<rootDir>/.jest-cache' };\n`);
  const compilerOptions: Record<string, unknown> = { target: 'ES2020', module: 'commonjs', strict: true, esModuleInterop: true, skipLibCheck: true, types: ['jest', 'node'] };
  if (variant !== 'typecheck') compilerOptions.isolatedModules = true;
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: ['src', 'test'] }, null, 2));
  fs.writeFileSync(path.join(dir, 'test', 'losses.test.ts'), baselineTestSource());
  fs.symlinkSync(nodeModules, path.join(dir, 'node_modules'), 'dir');
}

export interface BaselineRun extends TimedRun {
  submission: string;
  passed: number;
  failed: number;
  /** jest could not run the test file (e.g. a type error with type-checking on). */
  suiteFailed: boolean;
}

/** Copies one submission into the project's `src/` (replacing the last one) and runs jest on it. */
export function runBaselineOnce(projectDir: string, submissionDir: string, variant: BaselineVariant): BaselineRun {
  const src = path.join(projectDir, 'src');
  fs.rmSync(src, { recursive: true, force: true });
  fs.cpSync(submissionDir, src, { recursive: true });
  const jestArgs = ['--ci', '--json'];
  const [command, args] = variant === 'isolated-node' ? [process.execPath, [path.join(projectDir, 'node_modules', 'jest', 'bin', 'jest.js'), ...jestArgs]] : ['npx', ['--no', '--', 'jest', ...jestArgs]];
  const run = timeCommand(command, args, { cwd: projectDir, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
  let passed = 0;
  let failed = 0;
  let suiteFailed = true;
  try {
    const report = JSON.parse(run.stdout) as { numPassedTests: number; numFailedTests: number; numRuntimeErrorTestSuites: number };
    passed = report.numPassedTests;
    failed = report.numFailedTests;
    suiteFailed = report.numRuntimeErrorTestSuites > 0;
  } catch {
    /* no JSON: jest itself failed; counted as a failed suite */
  }
  return { ...run, submission: path.basename(submissionDir), passed, failed, suiteFailed };
}
