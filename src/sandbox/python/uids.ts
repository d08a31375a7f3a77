/**
 * The unprivileged users a Python sandbox runs as when mlgrade grades as root: a block of uids per
 * grading process (so two runs on one machine never share one), and within it one uid per sandbox
 * that can be alive at once (two per jest worker, one per visibility), so that no sandbox can
 * signal or read another's processes.
 */
import type { Visibility } from '../../types';

/** Sandbox uids per run: two per jest worker, one per visibility. */
const UIDS_PER_RUN = 64;
/** The uids of a run's Python sandboxes start here. */
const UID_FLOOR = 100_000;

/** The first uid of this grading process's Python sandboxes (PythonRunSettings.uidBase). */
export function runUidBase(): number {
  return UID_FLOOR + (process.pid % 10_000) * UIDS_PER_RUN;
}

/** The uid of this worker's sandbox for `visibility` (distinct for every sandbox that can be alive at once in a run). */
export function sandboxUid(uidBase: number, visibility: Visibility): number {
  const worker = Number(process.env.JEST_WORKER_ID) || 0;
  return uidBase + ((worker * 2 + (visibility === 'hidden' ? 1 : 0)) % UIDS_PER_RUN);
}
