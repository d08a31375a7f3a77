/**
 * Runs the built CLI (`bin/mlgrade.js`) in a child process, as users do. `npm test` builds
 * first (pretest), so dist/ is current.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { SubmissionResult } from '../../src/types';
import { resultPath } from '../../reports/json';
import { submissionFolders } from '../../reports/layout';

export const ROOT = path.resolve(__dirname, '..', '..');
export const EXAMPLES = path.join(ROOT, 'assignments', 'losses', 'examples');

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; root?: string } = {}): CliRun {
  const run = spawnSync(process.execPath, [path.join(options.root ?? ROOT, 'bin', 'mlgrade.js'), ...args], {
    cwd: options.cwd ?? ROOT,
    // No job summary from mlgrade's own test runs, even on GitHub Actions (tests that want one set it).
    env: { ...process.env, NO_COLOR: '1', GITHUB_STEP_SUMMARY: '', ...options.env },
    encoding: 'utf8',
    timeout: 600_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

export function tempDir(prefix = 'mlgrade-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function readResult(outDir: string, id: string): SubmissionResult {
  return JSON.parse(fs.readFileSync(resultPath(outDir, id), 'utf8')) as SubmissionResult;
}

/** The ids of every complete result.json in an output folder, sorted. */
export function gradedIds(outDir: string): string[] {
  return submissionFolders(outDir)
    .filter((dir) => fs.existsSync(path.join(dir, 'result.json')))
    .map((dir) => (JSON.parse(fs.readFileSync(path.join(dir, 'result.json'), 'utf8')) as SubmissionResult).submission)
    .sort();
}

/** Tests of one function, keyed by check id. */
export function testsOf(result: SubmissionResult, fn: string) {
  return result.tests.filter((t) => t.function === fn);
}

/**
 * A private copy of the built package (package.json, bin, dist, report templates; node_modules
 * linked) for tests that add files to the package itself, such as `mlgrade new`: writing into the
 * real dist/ would change the grader version other tests running in parallel rely on.
 */
export function packageCopy(): string {
  const root = tempDir('mlgrade-package-');
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(root, 'package.json'));
  for (const dir of ['bin', 'dist', path.join('reports', 'html')]) fs.cpSync(path.join(ROOT, dir), path.join(root, dir), { recursive: true });
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  return root;
}
