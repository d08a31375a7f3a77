/**
 * Ctrl-C (SIGINT) and SIGTERM (a cancelled CI job) during a command that runs submissions: end the
 * worker and sandbox processes, remove the temporary folders, say what was kept and how to go on,
 * and exit 130 (SIGINT) or 143 (SIGTERM), as shells expect of a process ended by a signal.
 */
import { removeAllScratchDirs } from '../grading/scratch';
import { killDescendants } from './processTree';

/** The exit code of a process ended by `signal` (128 + its number). */
export function signalExitCode(signal: 'SIGINT' | 'SIGTERM'): number {
  return signal === 'SIGINT' ? 130 : 143;
}

/**
 * Until the returned function is called, the first SIGINT or SIGTERM: kills this process's
 * descendants, removes every scratch folder, writes what `farewell` returns (if anything) to
 * stderr and exits. Everything happens synchronously inside the handler: no more results are
 * taken in after the signal.
 */
export function exitCleanlyOnSignal(farewell: (signal: 'SIGINT' | 'SIGTERM') => string | undefined): () => void {
  const handler = (signal: 'SIGINT' | 'SIGTERM') => {
    killDescendants();
    const left = removeAllScratchDirs();
    const text = farewell(signal);
    if (text) process.stderr.write(`${text}\n`);
    if (left.length) process.stderr.write(`mlgrade: could not remove the temporary folder${left.length === 1 ? '' : 's'} ${left.join(', ')}\n`);
    process.exit(signalExitCode(signal));
  };
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}

/** `args` as a command a POSIX shell reads back the same (words quoted only when they need it). */
export function shellCommand(args: readonly string[]): string {
  return args.map((arg) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`)).join(' ');
}
