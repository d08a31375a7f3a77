/**
 * Detects which OS-level isolation this machine offers, once per process.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The OS-level sandbox around the child's node: `bwrap` (bubblewrap) where it works, else
 * `unshare` from util-linux, else none (results say so).
 *
 * Both give new user, network and PID namespaces: no network, and the submission sees no other
 * process, so it cannot signal the grader, another submission or anything else on the machine
 * (`process.kill` is not covered by Node's permission model; a grader running as root would
 * otherwise let it kill every process). bwrap also gives a private root file system holding
 * only what node needs (system folders read-only, the child's entry, the stage, the allowed
 * packages, a fresh /proc and a minimal /dev): no Unix socket of the machine is there to
 * connect to, which the permission model and a network namespace do not prevent.
 */
export interface NamespaceTool {
  kind: 'bwrap' | 'unshare';
  path: string;
}

let detected: NamespaceTool | null | undefined;

/** `unshare`: `--fork` makes node the namespace's first process; `--kill-child` ends it with unshare. */
const UNSHARE_ARGS = ['-rnp', '--fork', '--kill-child'];

/** System folders node and its libraries live in, as they are on this machine. */
const SYSTEM_DIRS = ['/usr', '/lib', '/lib64', '/lib32', '/libx32', '/bin', '/sbin'];

/**
 * The arguments that go before `node …`: `tool.path` and its options. `readDirs` are bound
 * read-only at their own paths (bwrap); `cwd` is where node starts.
 */
export function namespaceArgs(tool: NamespaceTool, readDirs: readonly string[], cwd: string): string[] {
  const fixed = fixedArgs(tool);
  if (tool.kind === 'unshare') return [...fixed];
  const binds: string[] = [];
  for (const dir of [...new Set(readDirs.map((d) => path.resolve(d)))].sort()) {
    if (!underSystemDir(dir)) binds.push('--ro-bind', dir, dir);
  }
  // bwrap also sets PWD (to cwd, the stage); the child removes it (see child.ts).
  return [...fixed, ...binds, '--chdir', cwd];
}

/** True for a folder the system folders' binds already hold. */
function underSystemDir(dir: string): boolean {
  return SYSTEM_DIRS.some((system) => dir === system || dir.startsWith(`${system}/`));
}

const fixedArgsCache = new Map<string, readonly string[]>();

/** The part of a tool's arguments that is the same for every sandbox (looked up once per process). */
function fixedArgs(tool: NamespaceTool): readonly string[] {
  const key = `${tool.kind}:${tool.path}`;
  const cached = fixedArgsCache.get(key);
  if (cached) return cached;
  let args: string[];
  if (tool.kind === 'unshare') {
    // unshare outlives its parent (bwrap has --die-with-parent): setpriv makes it die with the
    // grader, and --kill-child takes node along, even in the middle of an endless loop.
    const setpriv = ['/usr/bin/setpriv', '/bin/setpriv'].find((candidate) => fs.existsSync(candidate));
    args = [...(setpriv ? [setpriv, '--pdeathsig', 'KILL'] : []), tool.path, ...UNSHARE_ARGS];
  } else {
    // --as-pid-1: node is the namespace's first process and bwrap's direct child, so bwrap waits
    // for it and its CPU time is counted in the grader's process tree (not so under bwrap's init).
    args = [tool.path, '--unshare-all', '--die-with-parent', '--new-session', '--cap-drop', 'ALL', '--as-pid-1'];
    for (const dir of SYSTEM_DIRS) {
      let stat: fs.Stats;
      try {
        stat = fs.lstatSync(dir);
      } catch {
        continue;
      }
      if (stat.isSymbolicLink()) args.push('--symlink', fs.readlinkSync(dir), dir);
      else if (stat.isDirectory()) args.push('--ro-bind', dir, dir);
    }
    args.push('--proc', '/proc', '--dev', '/dev');
    const nodeDir = path.dirname(fs.realpathSync(process.execPath));
    if (!underSystemDir(nodeDir)) args.push('--ro-bind', nodeDir, nodeDir);
  }
  fixedArgsCache.set(key, args);
  return args;
}

/**
 * The sandbox tool this machine offers, probed once per process by starting node inside it.
 * MLGRADE_NO_BWRAP=1 skips bwrap; MLGRADE_NO_NETNS=1 turns namespaces off altogether.
 */
export function namespaceTool(): NamespaceTool | null {
  if (detected !== undefined) return detected;
  detected = null;
  if (process.platform !== 'linux' || process.env.MLGRADE_NO_NETNS === '1') return detected;
  const candidates: NamespaceTool[] = [];
  if (process.env.MLGRADE_NO_BWRAP !== '1') candidates.push(...['/usr/bin/bwrap', '/bin/bwrap'].map((p): NamespaceTool => ({ kind: 'bwrap', path: p })));
  candidates.push(...['/usr/bin/unshare', '/bin/unshare'].map((p): NamespaceTool => ({ kind: 'unshare', path: p })));
  const tried = new Set<string>();
  for (const tool of candidates) {
    if (tried.has(tool.kind) || !fs.existsSync(tool.path)) continue;
    tried.add(tool.kind);
    const [command, ...args] = [...namespaceArgs(tool, [], '/'), process.execPath, '-e', '0'];
    const probe = spawnSync(command, args, { stdio: 'ignore', timeout: 5000, env: { LANG: 'C.UTF-8' } });
    if (probe.status === 0) {
      detected = tool;
      break;
    }
  }
  return detected;
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
