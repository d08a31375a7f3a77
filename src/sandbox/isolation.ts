/**
 * Detects which OS-level isolation this machine offers, once per process.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';

let networkNamespace: string | null | undefined;

/**
 * What `unshare` is given: new user, network and PID namespaces. In its own PID namespace the
 * submission sees no other process, so it cannot signal the grader, another submission or
 * anything else on the machine (`process.kill` is not covered by Node's permission model, and
 * a grader running as root would otherwise let it kill every process). `--fork` makes node the
 * namespace's first process; `--kill-child` ends it when `unshare` is killed.
 */
export const NAMESPACE_ARGS = ['-rnp', '--fork', '--kill-child'] as const;

/**
 * The absolute path of `unshare` when `unshare -rnp --fork` (new user, network and PID
 * namespaces) works here, else null. Set MLGRADE_NO_NETNS=1 to turn it off.
 */
export function networkNamespaceTool(): string | null {
  if (networkNamespace !== undefined) return networkNamespace;
  networkNamespace = null;
  if (process.platform !== 'linux' || process.env.MLGRADE_NO_NETNS === '1') return networkNamespace;
  for (const candidate of ['/usr/bin/unshare', '/bin/unshare']) {
    if (!fs.existsSync(candidate)) continue;
    const probe = spawnSync(candidate, [...NAMESPACE_ARGS, process.execPath, '-e', '0'], { stdio: 'ignore', timeout: 5000 });
    if (probe.status === 0) networkNamespace = candidate;
    break;
  }
  return networkNamespace;
}

/** True when this Node has the permission model (Node ≥ 20). */
export function hasPermissionModel(): boolean {
  const major = Number(process.versions.node.split('.')[0]);
  return major >= 20;
}

/** The permission flag of this Node version (renamed in Node 22). */
export function permissionFlag(): string {
  const major = Number(process.versions.node.split('.')[0]);
  return major >= 22 ? '--permission' : '--experimental-permission';
}

let cpuLimitTool: string | null | undefined;

/** The absolute path of `prlimit` (util-linux) when present, else null. */
export function cpuLimitToolPath(): string | null {
  if (cpuLimitTool !== undefined) return cpuLimitTool;
  cpuLimitTool = null;
  if (process.platform !== 'linux') return cpuLimitTool;
  for (const candidate of ['/usr/bin/prlimit', '/bin/prlimit']) {
    if (fs.existsSync(candidate)) {
      cpuLimitTool = candidate;
      break;
    }
  }
  return cpuLimitTool;
}
