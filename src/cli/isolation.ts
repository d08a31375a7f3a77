/**
 * How strongly submissions will be isolated on this machine, said out loud: one warning line when
 * the sandbox is weaker than it could be, and a refusal to grade under `--require-isolation`.
 */
import * as fs from 'node:fs';
import { isolationStatus as sandboxIsolationStatus, type IsolationStatus } from '../sandbox/isolation';
import { UsageError } from './usage';

export type { IsolationStatus };

/** True when a bubblewrap executable is where mlgrade looks for it. */
const bwrapInstalled = () => ['/usr/bin/bwrap', '/bin/bwrap'].some((file) => fs.existsSync(file));

/**
 * The isolation this machine offers (the sandbox's own probe), with the switches that weakened it
 * on purpose named first.
 */
export function isolationStatus(env: NodeJS.ProcessEnv = process.env): IsolationStatus {
  const status = sandboxIsolationStatus();
  if (status.level === 'full') return status;
  const switches = ['MLGRADE_NO_NETNS', 'MLGRADE_NO_BWRAP'].filter((name) => env[name] === '1').map((name) => `${name}=1 is set`);
  return { ...status, reasons: [...switches, ...status.reasons] };
}

const WEAKER: Record<Exclude<IsolationStatus['level'], 'full'>, string> = {
  'no-private-root':
    "submissions run without a private root file system (they can reach the machine's files and Unix sockets the permission model allows)",
  none: 'submissions run without namespaces (they share the network and can see and signal other processes)',
};

/**
 * What would give full isolation here: unset a switch, install bubblewrap, or allow user
 * namespaces. `machine` is this one unless given (tests).
 *
 * @example
 * howToFix({}, { platform: 'linux', bwrapInstalled: false }) // returns 'install bubblewrap (apt-get install bubblewrap)'
 */
export function howToFix(
  env: NodeJS.ProcessEnv = process.env,
  machine: { platform: NodeJS.Platform; bwrapInstalled: boolean } = { platform: process.platform, bwrapInstalled: bwrapInstalled() },
): string {
  const switches = ['MLGRADE_NO_NETNS', 'MLGRADE_NO_BWRAP'].filter((name) => env[name] === '1');
  if (switches.length) return `unset ${switches.join(' and ')}`;
  if (machine.platform !== 'linux') return 'grade on Linux with bubblewrap (apt-get install bubblewrap)';
  if (!machine.bwrapInstalled) return 'install bubblewrap (apt-get install bubblewrap)';
  return (
    'allow unprivileged user namespaces ' +
    '(sysctl kernel.unprivileged_userns_clone=1; on Ubuntu also kernel.apparmor_restrict_unprivileged_userns=0)'
  );
}

/** The one-line warning for a weaker sandbox, or undefined when isolation is full. */
export function isolationWarning(status: IsolationStatus, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (status.level === 'full') return undefined;
  const fix = `To fix: ${howToFix(env)} (--require-isolation refuses to run without it).`;
  return `mlgrade: warning: ${WEAKER[status.level]}: ${status.reasons.join('; ')}. ${fix}`;
}

/**
 * Applies the isolation policy of a run that executes submissions: refuses (UsageError) when
 * `required` and isolation is not full, else writes the warning (once per call) when it is weaker.
 */
export function applyIsolationPolicy(
  required: boolean,
  env: NodeJS.ProcessEnv = process.env,
  stderr: NodeJS.WritableStream = process.stderr,
): IsolationStatus {
  const status = isolationStatus(env);
  if (status.level === 'full') return status;
  if (required) {
    throw new UsageError(`--require-isolation: full isolation is not available: ${status.reasons.join('; ')}. To fix: ${howToFix(env)}.`);
  }
  stderr.write(isolationWarning(status, env) + '\n');
  return status;
}
