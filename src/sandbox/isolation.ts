/**
 * Detects which OS-level isolation this machine offers, once per process.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The OS-level sandbox around the child's node: `bwrap` (bubblewrap) where it works, else
 * `unshare` from util-linux, else none (results say so, and {@link isolationStatus} says why).
 *
 * Both give new user, network and PID namespaces: no network, and the submission sees no other
 * process, so it cannot signal the grader, another submission or anything else on the machine
 * (`process.kill` is not covered by Node's permission model; a grader running as root would
 * otherwise let it kill every process). Both also give a private root file system holding only
 * what the child needs (system folders and the given folders read-only, a fresh /proc, a few
 * devices): no Unix socket of the machine is there to connect to, which the permission model and
 * a network namespace do not prevent. bwrap builds it itself; with `unshare` a small shell script
 * in a new mount namespace does (tmpfs, bind mounts, pivot_root) before it execs node.
 */
export interface NamespaceTool {
  kind: 'bwrap' | 'unshare';
  path: string;
  /**
   * unshare only: false when this machine does not let unshare build the private root (mount
   * namespaces refused), so node runs on the machine's file system. Unset means true.
   */
  privateRoot?: boolean;
}

let detected: NamespaceTool | null | undefined;
/** Why the probe settled for less than bwrap (for {@link isolationStatus}). */
const probeNotes: string[] = [];

/** `unshare`: `--fork` makes the first child the namespace's pid 1; `--kill-child` ends it with unshare. */
const UNSHARE_ARGS = ['-rnp', '--fork', '--kill-child'];

/** System folders node and its libraries live in, as they are on this machine. */
const SYSTEM_DIRS = ['/usr', '/lib', '/lib64', '/lib32', '/libx32', '/bin', '/sbin'];

/**
 * Builds the private root for `unshare -rmnp` and execs the command. Arguments:
 * `ROOT DIR (bind PATH | link TARGET PATH)… -- COMMAND…`: ROOT is a folder the tmpfs may cover
 * (in this mount namespace only), DIR where the command starts. Mounts stay in the namespace
 * (unshare makes its mounts private); the old root is detached after pivot_root.
 */
const PRIVATE_ROOT_SCRIPT = [
  'set -e',
  'PATH=/usr/sbin:/usr/bin:/sbin:/bin',
  'R=$1; DIR=$2; shift 2',
  'mount -t tmpfs -o mode=755,size=1m mlgrade "$R"',
  'while [ "$1" != -- ]; do',
  '  if [ "$1" = link ]; then mkdir -p "$R$(dirname "$3")"; ln -s "$2" "$R$3"; shift 3; continue; fi',
  '  if [ -d "$2" ]; then mkdir -p "$R$2"; else mkdir -p "$R$(dirname "$2")"; touch "$R$2"; fi',
  '  mount --rbind "$2" "$R$2"; mount -o remount,bind,ro "$R$2" 2>/dev/null || true; shift 2',
  'done',
  'shift',
  'mkdir -p "$R/proc" "$R/dev" "$R/.old"',
  'mount -t proc proc "$R/proc"',
  'for n in null zero full random urandom; do touch "$R/dev/$n"; mount --bind "/dev/$n" "$R/dev/$n"; done',
  'cd "$R"; pivot_root . .old; umount -l /.old; rmdir /.old',
  'mount -o remount,ro / 2>/dev/null || true',
  'cd "$DIR"',
  'exec "$@"',
].join('\n');

/** Folders the private root's tmpfs may be mounted on (covered only inside the namespace). */
const ROOT_CANDIDATES = ['/mnt', '/media', '/srv', '/opt', '/boot', '/home', '/root', '/var', '/tmp'];

/**
 * The arguments that go before `node …`: `tool.path` and its options. `readDirs` are bound
 * read-only at their own paths; `cwd` is where node starts.
 */
export function namespaceArgs(tool: NamespaceTool, readDirs: readonly string[], cwd: string): string[] {
  const fixed = fixedArgs(tool);
  const dirs = [...new Set(readDirs.map((d) => path.resolve(d)))].sort().filter((dir) => !underSystemDir(dir));
  if (tool.kind === 'unshare') {
    if (tool.privateRoot === false) return [...fixed];
    const covered = (candidate: string) => [...dirs, path.resolve(cwd), process.execPath].some((dir) => dir === candidate || dir.startsWith(`${candidate}/`));
    const root = ROOT_CANDIDATES.find((candidate) => fs.existsSync(candidate) && !covered(candidate)) ?? '/mnt';
    const binds = [...dirs, ...nodeDirBind()].flatMap((dir) => ['bind', dir]);
    return [...fixed, root, cwd, ...systemEntries().flatMap((entry) => entry), ...binds, '--'];
  }
  const binds: string[] = [];
  for (const dir of dirs) binds.push('--ro-bind', dir, dir);
  // bwrap also sets PWD (to cwd, the stage); the child removes it (see child.ts).
  return [...fixed, ...binds, '--chdir', cwd];
}

/** True for a folder the system folders' binds already hold. */
function underSystemDir(dir: string): boolean {
  return SYSTEM_DIRS.some((system) => dir === system || dir.startsWith(`${system}/`));
}

let systemCache: string[][] | undefined;

/** The system folders as private-root script entries: `['bind', dir]` or `['link', target, dir]`. */
function systemEntries(): string[][] {
  if (systemCache) return systemCache;
  systemCache = [];
  for (const dir of SYSTEM_DIRS) {
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(dir);
    } catch {
      continue;
    }
    if (stat.isSymbolicLink()) systemCache.push(['link', fs.readlinkSync(dir), dir]);
    else if (stat.isDirectory()) systemCache.push(['bind', dir]);
  }
  return systemCache;
}

/** node's own folder when it is outside the system folders (e.g. a version manager's). */
function nodeDirBind(): string[] {
  const nodeDir = path.dirname(fs.realpathSync(process.execPath));
  return underSystemDir(nodeDir) ? [] : [nodeDir];
}

const fixedArgsCache = new Map<string, readonly string[]>();

/** The part of a tool's arguments that is the same for every sandbox (looked up once per process). */
function fixedArgs(tool: NamespaceTool): readonly string[] {
  const key = `${tool.kind}:${tool.path}:${tool.privateRoot !== false}`;
  const cached = fixedArgsCache.get(key);
  if (cached) return cached;
  let args: string[];
  if (tool.kind === 'unshare') {
    // unshare outlives its parent (bwrap has --die-with-parent): setpriv makes it die with the
    // grader, and --kill-child takes node along, even in the middle of an endless loop.
    const setpriv = ['/usr/bin/setpriv', '/bin/setpriv'].find((candidate) => fs.existsSync(candidate));
    args = [...(setpriv ? [setpriv, '--pdeathsig', 'KILL'] : []), tool.path, ...UNSHARE_ARGS];
    if (tool.privateRoot !== false) {
      const shell = ['/bin/sh', '/usr/bin/sh'].find((candidate) => fs.existsSync(candidate)) ?? '/bin/sh';
      args = [...args.slice(0, -3), '-rmnp', '--fork', '--kill-child', shell, '-c', PRIVATE_ROOT_SCRIPT, 'mlgrade-root'];
    }
  } else {
    // --as-pid-1: node is the namespace's first process and bwrap's direct child, so bwrap waits
    // for it and its CPU time is counted in the grader's process tree (not so under bwrap's init).
    args = [tool.path, '--unshare-all', '--die-with-parent', '--new-session', '--cap-drop', 'ALL', '--as-pid-1'];
    for (const entry of systemEntries()) {
      if (entry[0] === 'link') args.push('--symlink', entry[1], entry[2]);
      else args.push('--ro-bind', entry[1], entry[1]);
    }
    args.push('--proc', '/proc', '--dev', '/dev');
    for (const dir of nodeDirBind()) args.push('--ro-bind', dir, dir);
  }
  fixedArgsCache.set(key, args);
  return args;
}

/** Starts `node -e 0` inside `tool`; the first line of what went wrong, or undefined when it worked. */
function probe(tool: NamespaceTool): string | undefined {
  const [command, ...args] = [...namespaceArgs(tool, [], '/'), process.execPath, '-e', '0'];
  const run = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: 5000, env: { LANG: 'C.UTF-8' } });
  if (run.status === 0) return undefined;
  const said = (run.stderr?.toString() ?? '').split('\n').find((line) => line.trim())?.trim();
  return said || (run.error ? run.error.message : `exit code ${run.status ?? run.signal}`);
}

/**
 * The sandbox tool this machine offers, probed once per process by starting node inside it.
 * MLGRADE_NO_BWRAP=1 skips bwrap; MLGRADE_NO_NETNS=1 turns namespaces off altogether.
 */
export function namespaceTool(): NamespaceTool | null {
  if (detected !== undefined) return detected;
  detected = null;
  probeNotes.length = 0;
  if (process.platform !== 'linux') {
    probeNotes.push(`${process.platform} has no Linux namespaces`);
    return detected;
  }
  if (process.env.MLGRADE_NO_NETNS === '1') {
    probeNotes.push('MLGRADE_NO_NETNS=1 turned namespaces off');
    return detected;
  }
  const bwrap = ['/usr/bin/bwrap', '/bin/bwrap'].find((candidate) => fs.existsSync(candidate));
  if (process.env.MLGRADE_NO_BWRAP === '1') probeNotes.push('MLGRADE_NO_BWRAP=1 skipped bubblewrap');
  else if (!bwrap) probeNotes.push('bubblewrap (bwrap) is not installed (Debian/Ubuntu: apt-get install bubblewrap)');
  else {
    const failed = probe({ kind: 'bwrap', path: bwrap });
    if (!failed) return (detected = { kind: 'bwrap', path: bwrap });
    probeNotes.push(`bubblewrap does not start here (${failed})`);
  }
  const unshare = ['/usr/bin/unshare', '/bin/unshare'].find((candidate) => fs.existsSync(candidate));
  if (!unshare) {
    probeNotes.push('unshare (util-linux) is not installed');
    return detected;
  }
  const withRoot = probe({ kind: 'unshare', path: unshare });
  if (!withRoot) return (detected = { kind: 'unshare', path: unshare });
  probeNotes.push(`unshare could not build a private root file system here (${withRoot})`);
  const plain = probe({ kind: 'unshare', path: unshare, privateRoot: false });
  if (!plain) return (detected = { kind: 'unshare', path: unshare, privateRoot: false });
  probeNotes.push(
    `unshare cannot create user namespaces here (${plain}): allow unprivileged user namespaces ` +
      '(sysctl kernel.unprivileged_userns_clone=1; in Docker, a seccomp profile that permits them)',
  );
  return detected;
}

/** How isolated submissions are on this machine, and what is missing (see {@link isolationStatus}). */
export interface IsolationStatus {
  /**
   * `full`: own network, PID and mount namespaces with a private root file system;
   * `no-private-root`: namespaces, but the machine's file system (its Unix sockets can be
   * reached by path); `none`: no namespaces (network, other processes and sockets reachable;
   * only Node's permission model and the limits apply).
   */
  level: 'full' | 'no-private-root' | 'none';
  /** The tool in use. */
  tool: 'bwrap' | 'unshare' | null;
  /** What is weaker than intended and why, one line each with the fix (empty when nothing is). */
  reasons: string[];
}

/**
 * The isolation this machine gives submissions (probed once per process, like
 * {@link namespaceTool}): for a warning printed once per run, and to refuse grading under
 * `--require-isolation` when the level is not `full`.
 */
export function isolationStatus(tool: NamespaceTool | null = namespaceTool()): IsolationStatus {
  const reasons: string[] = [];
  let level: IsolationStatus['level'];
  if (!tool) {
    level = 'none';
    reasons.push('no namespaces: submissions can use the network, signal other processes and connect to Unix sockets of this machine', ...probeNotes);
  } else if (tool.kind === 'unshare' && tool.privateRoot === false) {
    level = 'no-private-root';
    reasons.push('no private root file system: submissions can connect to Unix sockets of this machine by path (install bubblewrap)', ...probeNotes);
  } else level = 'full';
  if (!cpuLimitToolPath()) reasons.push('prlimit (util-linux) is not installed: no kernel limits on memory and CPU time, only the watchdog');
  return { level, tool: tool ? tool.kind : null, reasons };
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
