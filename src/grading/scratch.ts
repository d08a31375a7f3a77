/**
 * The temporary folders of this process (a grading run's stage, an unpacked zip), known in one
 * place so that an interrupted run (Ctrl-C, a cancelled CI job) can remove them all before it
 * exits, not only the run that ends normally.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const live = new Set<string>();

/**
 * Creates a fresh folder `<tmp>/<prefix>XXXXXX` and remembers it until {@link removeScratchDir}.
 *
 * @example
 * const dir = makeScratchDir('mlgrade-'); // e.g. /tmp/mlgrade-a1B2c3
 */
export function makeScratchDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  live.add(dir);
  return dir;
}

/** Removes a folder made by {@link makeScratchDir} (and everything in it). */
export function removeScratchDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
  live.delete(dir);
}

/**
 * Removes every folder made by {@link makeScratchDir} that is still there (synchronously: safe in
 * a signal handler just before the process exits). Returns the folders it could not remove.
 */
export function removeAllScratchDirs(): string[] {
  const left: string[] = [];
  for (const dir of [...live]) {
    try {
      removeScratchDir(dir);
    } catch {
      left.push(dir);
    }
  }
  return left;
}
