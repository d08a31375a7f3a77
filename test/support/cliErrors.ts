/**
 * The contract of a refused command line: one line on stderr naming the mistake, the exit code,
 * no stack trace, nothing graded (no output on stdout) and nothing written (a fresh TMPDIR stays
 * empty; the --out folder given is not created).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli, tempDir, type CliRun } from './cli';

export interface RefusedRun extends CliRun {
  /** The single stderr line. */
  line: string;
}

/** A path for `--out` that does not exist yet (its parent does). */
export function freshOut(): string {
  return path.join(tempDir(), 'out');
}

/**
 * Runs the CLI with a private TMPDIR and asserts the refusal contract (see the file comment);
 * `untouched` lists paths that must still not exist afterwards.
 */
export function expectRefused(args: string[], pattern: RegExp, options: { exitCode?: number; env?: NodeJS.ProcessEnv; untouched?: string[]; cwd?: string } = {}): RefusedRun {
  const tmp = tempDir('mlgrade-tmpdir-');
  const run = runCli(args, { env: { ...options.env, TMPDIR: tmp }, cwd: options.cwd });
  const lines = run.stderr.split('\n').filter((line) => line.trim() !== '');
  expect({ status: run.status, stderr: run.stderr }).toEqual({ status: options.exitCode ?? 2, stderr: expect.stringMatching(pattern) });
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^mlgrade: /);
  expect(run.stderr).not.toMatch(/\n\s+at .*:\d+:\d+|Error: |node:internal/);
  expect(run.stdout).toBe('');
  expect(fs.readdirSync(tmp)).toEqual([]);
  for (const file of options.untouched ?? []) expect(fs.existsSync(file)).toBe(false);
  return { ...run, line: lines[0] };
}
