/**
 * What every benchmark does at its ends: say which build it measured, save its JSON report where
 * `--out` says, and run its main function as a script with a one-line error and exit code 1 when
 * it fails.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Writes `report` as indented JSON to `file` (its folder created), and says so on stderr. */
export function saveReport(file: string, report: unknown, tag = 'bench'): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  process.stderr.write(`[${tag}] wrote ${file}\n`);
}

/** Runs `main` with the command line's arguments when `module` is the script node was started with. */
export function runBenchmark(module: NodeModule, main: (argv: string[]) => unknown): void {
  if (require.main !== module) return;
  Promise.resolve()
    .then(() => main(process.argv.slice(2)))
    .catch((error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    });
}

/** The commit the benchmark ran on, and whether tracked files had uncommitted changes. */
export function gitDescription(root: string): { commit: string; dirty: boolean } {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: root, encoding: 'utf8' }).trim().length > 0;
    return { commit, dirty };
  } catch {
    return { commit: 'unknown', dirty: false };
  }
}
