/**
 * The Python runner as a {@link ChildLauncher}: `SubmissionSandbox` starts runner.py the way it
 * starts the JavaScript child, and the rest — time limits, the budget, restarts, planned calls in
 * one round trip, output capture — is the same code.
 *
 * Two ways to run it:
 *  - `bwrap` (the default, and the only one mlgrade chooses by itself): the command of
 *    command.ts — prlimit (RLIMIT_AS, CPU, file size, open files; NPROC when the grader is root),
 *    setpriv to an unprivileged uid of its own when the grader is root, bubblewrap with new user,
 *    network, PID and mount namespaces and a private read-only root holding the standard library,
 *    NumPy, the allowed modules, the runner and the stage. Python is bwrap's only child
 *    (`--as-pid-1`), so its CPU time and memory are found and watched like node's.
 *  - `unsandboxed`: only where an explicit choice allows it (the instructor's
 *    `--allow-unsandboxed-python`, or a student kit on the student's own machine): the same runner
 *    under prlimit's kernel limits (and setpriv as root), with a scrubbed environment, but on the
 *    machine's file system and network. Results say so (`isolation.unsandboxed`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { IsolationReport } from '../../types';
import type { ChildLauncher, LaunchContext, LoadedSubmission } from '../launcher';
import { RSS_HEADROOM_MB, replyBytesOf, type SandboxLimits } from '../limits';
import type { PythonLoaded } from '../protocol';
import { pythonSandboxCommand, readableRunner, SANDBOX_STAGE, type PythonInstallation, type SandboxTools } from './command';
import { missingNameMessage, resolvePythonNames } from './names';

/**
 * Address space Python may use on top of the assignment's `memoryMb`: the interpreter, NumPy and
 * OpenBLAS take about 50 MB of address space at import (one BLAS thread; measured here), the rest
 * is the submission's. It equals the resident-memory watchdog's headroom, so the kernel's limit
 * (RLIMIT_AS, which resident memory never exceeds) always decides first, the same way every run.
 */
export const PYTHON_MEMORY_HEADROOM_MB = RSS_HEADROOM_MB;

/** How Python submissions run on this machine. */
export type PythonRuntime =
  | { kind: 'bwrap'; installation: PythonInstallation; tools: SandboxTools }
  /** `reason`: who chose to run without the sandbox, and why it was missing (recorded in results). */
  | { kind: 'unsandboxed'; python: string; reason: string; tools: Pick<SandboxTools, 'prlimit' | 'setpriv' | 'root'> };

/** What a Python launcher needs besides the submission. */
export interface PythonLaunchSettings {
  /** Export name → Python name (names.ts `pythonNames`, with the assignment's overrides). */
  names: Record<string, string>;
  /** Python modules allowed besides NumPy and the standard library. */
  allowedModules: readonly string[];
  runtime: PythonRuntime;
  /** The uid (and gid) the sandbox runs as when the grader is root: one per concurrent slot (RLIMIT_NPROC counts per uid). */
  uid?: number;
}

/** The kernel's address-space limit for a Python process of an assignment with `limits`, in MiB. */
export function pythonAddressSpaceMb(limits: SandboxLimits): number {
  return limits.memoryMb + PYTHON_MEMORY_HEADROOM_MB;
}

/** True for a Python interpreter's executable (`/usr/bin/python3.11`), as /proc/<pid>/exe shows it. */
function isPythonExecutable(executable: string): boolean {
  return /^python3?(\.\d+)?$/.test(path.basename(executable));
}

/** The runner's limits: what prlimit already set, applied again by the runner itself (and the only limits where prlimit is missing). */
function runnerLimits(limits: SandboxLimits): NonNullable<Extract<ReturnType<ChildLauncher['init']>, { type: 'init' }>['limits']> {
  return {
    replyBytes: replyBytesOf(limits),
    addressSpaceBytes: pythonAddressSpaceMb(limits) * 1024 * 1024,
    cpuSeconds: limits.processCpuSeconds,
  };
}

/** The environment of an unsandboxed runner (bwrap's is set by its own --setenv). */
function scrubbedEnvironment(stageDir: string): Record<string, string> {
  return {
    PATH: '/usr/bin:/bin',
    HOME: stageDir,
    LANG: 'C.UTF-8',
    TZ: 'UTC',
    PYTHONHASHSEED: '0',
    PYTHONDONTWRITEBYTECODE: '1',
    OPENBLAS_NUM_THREADS: '1',
    OMP_NUM_THREADS: '1',
    MKL_NUM_THREADS: '1',
    MPLBACKEND: 'Agg',
  };
}

/** The command of an unsandboxed runner: prlimit's limits, setpriv as root, Python without user site-packages. */
function unsandboxedArgv(runtime: Extract<PythonRuntime, { kind: 'unsandboxed' }>, limits: SandboxLimits, uid: number, runner: string): string[] {
  const argv: string[] = [];
  const { prlimit, setpriv, root } = runtime.tools;
  if (prlimit) {
    argv.push(
      prlimit,
      `--as=${pythonAddressSpaceMb(limits) * 1024 * 1024}`,
      `--cpu=${limits.processCpuSeconds}:${limits.processCpuSeconds}`,
      '--core=0',
      ...(root ? ['--nproc=64'] : []),
      '--',
    );
  }
  if (root && setpriv) argv.push(setpriv, `--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', '--');
  argv.push(runtime.python, '-s', '-B', runner);
  return argv;
}

/**
 * Words for an export the loaded Python submission lacks: what it defines, close names, and the
 * notebook cell whose failure left it undefined.
 */
export function missingPythonExport(
  exportName: string,
  pythonName: string,
  loaded: PythonLoaded | undefined,
  kind: string | undefined,
): { available: string[]; explanation: string } {
  const defined = loaded?.defined ?? {};
  const available = Object.keys(defined).sort();
  if (kind !== undefined && kind !== 'undefined') {
    const bound = loaded?.resolved[exportName] ?? pythonName;
    return { available, explanation: `${bound} is a ${kind === 'object' ? 'value' : kind}, not a function: define it with \`def ${bound}(…)\`` };
  }
  const names = Object.keys(defined);
  const resolution = resolvePythonNames({ [exportName]: pythonName }, { all: names, defined: names })[exportName];
  const failed = loaded?.cellErrors.find((cell) => cell.undefined.includes(pythonName) || cell.undefined.includes(exportName));
  if (failed) {
    // The cell that defines it failed: that, not a misspelling, is why it is missing.
    const where = failed.thrown.where ? ` at ${failed.thrown.where}` : '';
    const name = failed.undefined.includes(pythonName) ? pythonName : exportName;
    const why = `${failed.thrown.name}${where}: ${failed.thrown.message}`;
    return { available, explanation: `${name} is not defined: cell ${failed.cell}, which defines it, did not run to the end (${why})` };
  }
  return { available, explanation: missingNameMessage(exportName, pythonName, resolution) };
}

/**
 * Starts runner.py for one staged Python submission (see the file comment).
 *
 * @example
 * new SubmissionSandbox({ entry, stageDir, limits, launcher: pythonLauncher({ names: { mseGrad: 'mse_grad' }, allowedModules: [], runtime }) })
 */
export function pythonLauncher(settings: PythonLaunchSettings): ChildLauncher {
  const { runtime } = settings;
  const uid = settings.uid ?? 65534;
  const sandboxed = runtime.kind === 'bwrap';
  const inside = (context: LaunchContext, file: string) =>
    sandboxed ? path.posix.join(SANDBOX_STAGE, path.relative(context.stageDir, file).split(path.sep).join('/')) : file;
  return {
    runtime: 'python',
    command(context) {
      // Beside the stage: its parent is traversable by the sandbox's user (see readableRunner).
      const runner = readableRunner(path.dirname(context.stageDir), runtime.tools.root);
      if (runtime.kind === 'bwrap') {
        const command = pythonSandboxCommand(
          {
            stageDir: context.stageDir,
            allowedModules: settings.allowedModules,
            limits: { addressSpaceMb: pythonAddressSpaceMb(context.limits), cpuSeconds: context.limits.processCpuSeconds },
            uid,
            runner,
          },
          runtime.installation,
          runtime.tools,
        );
        return { argv: command.argv, env: {}, cwd: context.stageDir, wrap: 'sandboxed', readPaths: [] };
      }
      const argv = unsandboxedArgv(runtime, context.limits, uid, runner);
      return { argv, env: scrubbedEnvironment(context.stageDir), cwd: context.stageDir, wrap: 'sandboxed', readPaths: [] };
    },
    init(context) {
      return {
        type: 'init',
        entry: inside(context, context.entry),
        names: settings.names,
        stageDir: sandboxed ? SANDBOX_STAGE : context.stageDir,
        limits: runnerLimits(context.limits),
        allowedModules: ['numpy', ...settings.allowedModules],
        // Inputs arrive as Python lists of floats (what the handouts promise); results may be lists, tuples or arrays.
        arrayArgs: 'list',
        notebook: { onCellError: 'continue' },
      };
    },
    isRuntime: isPythonExecutable,
    // MemoryError (and NumPy's _ArrayMemoryError): the kernel refused an allocation; the process lives on at its limit.
    fatal: (thrown) => /MemoryError$/.test(thrown.name),
    diedOfMemory: (tail) => /MemoryError|Cannot allocate memory|std::bad_alloc|out of memory/i.test(tail),
    isolation(limits): IsolationReport {
      return {
        process: 'child-process',
        runtime: 'python',
        permissionModel: false,
        network: sandboxed ? 'namespace' : 'not-isolated',
        processes: sandboxed ? 'namespace' : 'not-isolated',
        filesystem: sandboxed ? 'private-root' : 'host',
        memoryLimitMb: limits.memoryMb,
        callTimeoutMs: limits.callTimeoutMs,
        scrubbedEnv: true,
        ...(runtime.kind === 'unsandboxed' ? { unsandboxed: runtime.reason } : {}),
      };
    },
    missing(exportName, loaded: LoadedSubmission) {
      return missingPythonExport(exportName, settings.names[exportName] ?? exportName, loaded.python, loaded.exports[exportName]);
    },
  };
}

/**
 * The Python interpreter to run unsandboxed: on Linux the system's /usr/bin/python3 (where the
 * distribution's NumPy is), else the first python3 on PATH (macOS's /usr/bin/python3 is often a
 * stub without NumPy; Homebrew's or a virtual environment's comes first on PATH).
 */
export function findPython(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (process.platform === 'linux' && fs.existsSync('/usr/bin/python3')) return '/usr/bin/python3';
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, process.platform === 'win32' ? 'python.exe' : 'python3');
    if (fs.existsSync(candidate)) return candidate;
  }
  return fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : undefined;
}
