/**
 * How a sandboxed child is started: the pluggable part of `SubmissionSandbox`. A launcher says
 * which program to run (with which arguments, environment and folder), which first message
 * loads the submission, and which process to watch for CPU time and memory. The JavaScript child
 * is {@link nodeLauncher}; the Python runner (src/sandbox/python/) plugs in the same way and
 * speaks the same protocol (notes/PROTOCOL.md).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SandboxLimits } from './limits';
import { replyBytesOf } from './limits';
import type { AllowedModules } from './modules';
import { permissionFlag } from './isolation';
import type { IsolationReport } from '../types';
import type { ParentMessage, PythonLoaded, ThrownError } from './protocol';

/** What a launcher is told about the submission it starts. */
export interface LaunchContext {
  /** Absolute path of the staged entry file. */
  entry: string;
  /** The staged folder. */
  stageDir: string;
  limits: SandboxLimits;
}

/** The command that starts a child. Spawned with stdio `['ignore', 'pipe', 'pipe', 'pipe', 'pipe']` (fd 3 requests, fd 4 replies). */
export interface LaunchCommand {
  /** argv[0] is an absolute path. */
  argv: string[];
  /** The child's whole environment. */
  env: Record<string, string>;
  cwd: string;
  /**
   * `runtime`: argv starts the runtime itself; the sandbox puts prlimit (CPU and memory limits)
   * and its namespace tool (bwrap or unshare, with `readPaths` bound read-only) in front.
   * `sandboxed`: argv already holds the OS sandbox around the runtime (e.g. the Python
   * runner's own bwrap command); it is spawned as is.
   */
  wrap: 'runtime' | 'sandboxed';
  /** Folders (or files) the child must be able to read besides the system folders (`runtime` only). */
  readPaths: string[];
}

/** Starts one kind of child. */
export interface ChildLauncher {
  /** The runtime, for messages ("node", "python"). */
  readonly runtime: string;
  /** The command for one (re)start of the child of `context`. */
  command(context: LaunchContext): LaunchCommand;
  /** The first message: load the submission. */
  init(context: LaunchContext): Extract<ParentMessage, { type: 'init' }>;
  /**
   * True for the runtime's process, the one whose CPU time and resident memory are watched,
   * told by its executable (`/proc/<pid>/exe`, which the submission cannot change, unlike its
   * comm) — found at or below the spawned process, through a chain of only children: prlimit,
   * setpriv and the namespace tools exec or fork it.
   */
  isRuntime(executable: string): boolean;
  /** True when a child that ended this way ran out of memory (stderr's last 2,000 characters, exit code, signal). */
  diedOfMemory(stderrTail: string, code: number | null, signal: NodeJS.Signals | null): boolean;
  /**
   * True for an error a call raised that leaves the process unfit for the calls after it (Python's
   * MemoryError: the process survives at its memory limit): the sandbox then treats the call as a
   * crash — the process is replaced, and a planned batch runs again one call at a time — so later
   * calls never depend on it. Default: none.
   */
  fatal?(thrown: ThrownError): boolean;
  /**
   * The isolation a child of this launcher gets, for result.json (default: the sandbox's own
   * account of its namespace tool around Node's permission model).
   */
  isolation?(limits: SandboxLimits): IsolationReport;
  /**
   * Words for a call of `exportName`, which the loaded submission does not define as a function:
   * the names it does define, and an explanation in the submission's language (default: its
   * exports, no explanation).
   */
  missing?(exportName: string, loaded: LoadedSubmission): { available: string[]; explanation?: string };
}

/** What the child said about a submission it loaded. */
export interface LoadedSubmission {
  /** Export name → kind, for the exports found. */
  exports: Record<string, string>;
  /** The Python runner's extras (names resolved and defined, notebook cells that failed). */
  python?: PythonLoaded;
}

const CHILD_ENTRY = path.join(__dirname, 'child.js');
/** Every file the child loads (it may read nothing else of mlgrade). */
const CHILD_FILES = ['child.js', 'codec.js', 'framing.js', 'protocol.js'].map((file) => path.join(__dirname, file));

/** The JavaScript child (child.ts) under Node's permission model, for `modules` (allowed packages). */
export function nodeLauncher(modules: AllowedModules): ChildLauncher {
  return {
    runtime: 'node',
    command(context) {
      const { limits, stageDir } = context;
      const argv = [
        process.execPath,
        permissionFlag(),
        ...CHILD_FILES.map((file) => `--allow-fs-read=${file}`),
        `--allow-fs-read=${stageDir}${path.sep}`,
        ...modules.readDirs.map((dir) => `--allow-fs-read=${dir}${path.sep}`),
        `--max-old-space-size=${limits.memoryMb}`,
        '--stack-size=984',
        '--enable-source-maps',
        '--disable-warning=ExperimentalWarning',
        CHILD_ENTRY,
      ];
      return { argv, env: { LANG: 'C.UTF-8', TZ: 'UTC' }, cwd: stageDir, wrap: 'runtime', readPaths: [path.dirname(CHILD_ENTRY), stageDir, ...modules.readDirs] };
    },
    init(context) {
      return { type: 'init', entry: context.entry, modules: modules.entries, limits: { replyBytes: replyBytesOf(context.limits) } };
    },
    isRuntime: (executable) => executable === nodeExecutable(),
    diedOfMemory: (tail, code, signal) =>
      /heap limit|Allocation failed|out of memory|Invalid array length|Array buffer allocation failed/i.test(tail) || signal === 'SIGABRT' || code === 134,
  };
}

let nodePath: string | undefined;

/** This node's executable, links resolved (what /proc/<pid>/exe shows for the child's node). */
function nodeExecutable(): string {
  nodePath ??= fs.realpathSync(process.execPath);
  return nodePath;
}

/**
 * The runtime's pid at or below `spawnedPid`: `spawnedPid` itself when it is the runtime
 * (prlimit and setpriv exec it), else the first process down its chain of only children that is
 * (bwrap → node, unshare → sh → node). Undefined until that process exists.
 */
export function runtimePid(spawnedPid: number, isRuntime: (executable: string) => boolean): number | undefined {
  let pid = spawnedPid;
  for (let depth = 0; depth < 5; depth++) {
    if (isRuntime(readExecutable(pid))) return pid;
    let children: string[];
    try {
      children = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(' ').filter(Boolean);
    } catch {
      return undefined;
    }
    if (children.length !== 1) return undefined;
    pid = Number(children[0]);
  }
  return undefined;
}

function readExecutable(pid: number): string {
  try {
    return fs.readlinkSync(`/proc/${pid}/exe`);
  } catch {
    return '';
  }
}
