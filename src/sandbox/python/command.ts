/**
 * The command line that starts runner.py in its sandbox, and the probe that says whether this
 * machine can run it:
 *
 *     prlimit --as --cpu --fsize --nofile --core [--nproc] --
 *       [setpriv --reuid=U --regid=U --clear-groups --   (when the grader runs as root)]
 *       bwrap --unshare-all --unshare-user --disable-userns --die-with-parent --new-session --as-pid-1
 *             --clearenv --cap-drop ALL  (read-only /usr with /usr/local and site-packages masked,
 *             /lib… links, /etc/alternatives, /proc, /dev, a sized tmpfs /tmp, the stage read-only
 *             at /stage, the runner and the allowed packages read-only under /mlgrade)
 *             --remount-ro /
 *         /usr/bin/python3 -S -s -P -B /mlgrade/runner.py --lib /mlgrade/lib
 *
 * prlimit and setpriv exec the next program, so the spawned pid is bwrap's; with --as-pid-1
 * Python is bwrap's only child (pid 1 of its namespace). The protocol pipes (fd 3 and 4) pass
 * through all three unchanged.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { packageRoot } from '../../paths';

/** Where things are inside the sandbox. */
export const SANDBOX_STAGE = '/stage';
export const SANDBOX_RUNNER = '/mlgrade/runner.py';
export const SANDBOX_LIBRARY = '/mlgrade/lib';

/** Resource limits of one Python sandbox process. */
export interface PythonSandboxLimits {
  /** RLIMIT_AS in MiB (NumPy with one BLAS thread needs about 256; keep headroom). */
  addressSpaceMb: number;
  /** RLIMIT_CPU for the whole process: the kernel kills it (SIGKILL) after this many CPU seconds. */
  cpuSeconds: number;
  /** RLIMIT_NPROC (processes and threads of the sandbox's uid); applied only when the sandbox has a uid of its own (grader running as root). */
  processes: number;
  /** RLIMIT_FSIZE: the largest file the submission may write (in /tmp). */
  fileBytes: number;
  /** RLIMIT_NOFILE. */
  openFiles: number;
  /** Size of the writable /tmp (tmpfs) in MiB. */
  scratchMb: number;
}

export const DEFAULT_PYTHON_LIMITS: PythonSandboxLimits = {
  addressSpaceMb: 1024,
  cpuSeconds: 120,
  processes: 32,
  fileBytes: 1024 * 1024,
  openFiles: 64,
  scratchMb: 16,
};

export interface PythonSandboxOptions {
  /** The staged submission folder on this machine; bound read-only at {@link SANDBOX_STAGE}. */
  stageDir: string;
  /** Packages a submission may import besides NumPy (always) and the standard library, e.g. `['scipy']`. */
  allowedModules?: readonly string[];
  /**
   * `allowed` (default): Python starts without site (-S) and sees only the standard library and
   * the allowed packages (the system's site-packages folders are masked); `system`: the
   * system's dist-packages as installed (/usr/local stays masked).
   */
  libraries?: 'allowed' | 'system';
  limits?: Partial<PythonSandboxLimits>;
  /** The uid (and gid) the sandbox runs as when the grader runs as root: one per parallel worker slot, so RLIMIT_NPROC is per slot. Default 65534 (nobody). */
  uid?: number;
  /** Default /usr/bin/python3 (never a pyenv/virtualenv interpreter: its files live outside /usr). */
  python?: string;
  /** Default /usr/bin/bwrap. */
  bwrap?: string;
  /** runner.py to bind into the sandbox (default: {@link runnerPath}; see {@link readableRunner}). */
  runner?: string;
}

/** What {@link pythonSandboxCommand} returns. */
export interface PythonCommand {
  /** argv[0] is the program to spawn; spawn it with `stdio: ['ignore', 'pipe', 'pipe', 'pipe', 'pipe']` and `env: {}`. */
  argv: string[];
  /** The path of a staged file inside the sandbox (`entryPath('losses.py')` → `/stage/losses.py`). */
  entryPath(relative: string): string;
}

/** Where an importable module lives on this machine. */
export type ModuleLocation =
  | { name: string; status: 'stdlib' }
  | { name: string; status: 'found'; /** Host paths to bind under /mlgrade/lib (the package, and a `<name>.libs` folder of a wheel). */ paths: string[] }
  | { name: string; status: 'missing' };

/** What the host's Python says about itself and the allowed modules (one process start). */
export interface PythonInstallation {
  python: string;
  /** "3.11.2" */
  version: string;
  /** Site-packages folders of this Python that exist (masked in `allowed` mode). */
  sitePackages: string[];
  modules: ModuleLocation[];
}

const LOCATE_SCRIPT = `
import importlib.util, json, os, site, sys, sysconfig
paths = sysconfig.get_paths()
stdlib = [os.path.realpath(paths[k]) for k in ("stdlib", "platstdlib")]
def under(p, roots):
    p = os.path.realpath(p)
    return any(p == r or p.startswith(r + os.sep) for r in roots)
site_dirs = [d for d in site.getsitepackages() if os.path.isdir(d)]
out = {"version": "%d.%d.%d" % sys.version_info[:3], "sitePackages": site_dirs, "modules": []}
for name in sys.argv[1:]:
    try:
        spec = importlib.util.find_spec(name)
    except Exception:
        spec = None
    if spec is None:
        out["modules"].append({"name": name, "status": "missing"}); continue
    if spec.origin in ("built-in", "frozen") or (spec.origin and under(spec.origin, stdlib) and not under(spec.origin, site_dirs)):
        out["modules"].append({"name": name, "status": "stdlib"}); continue
    if spec.submodule_search_locations:
        found = [os.path.realpath(list(spec.submodule_search_locations)[0])]
    else:
        found = [os.path.realpath(spec.origin)]
    libs = os.path.join(os.path.dirname(found[0]), name + ".libs")
    if os.path.isdir(libs):
        found.append(os.path.realpath(libs))
    out["modules"].append({"name": name, "status": "found", "paths": found})
print(json.dumps(out))
`;

const installations = new Map<string, PythonInstallation | { problem: string }>();

/**
 * Asks the host's Python where NumPy and the allowed modules are (without importing them), once
 * per process and list.
 */
export function locatePythonModules(python: string, modules: readonly string[]): PythonInstallation | { problem: string } {
  const names = [...new Set(['numpy', ...modules])];
  const key = `${python}\0${names.join(',')}`;
  const cached = installations.get(key);
  if (cached) return cached;
  const run = spawnSync(python, ['-s', '-c', LOCATE_SCRIPT, ...names], { encoding: 'utf8', timeout: 15_000, env: { LANG: 'C.UTF-8' } });
  let result: PythonInstallation | { problem: string };
  if (run.error || run.status !== 0) {
    const why = run.error ? run.error.message : firstLine(run.stderr) || `exit code ${run.status}`;
    result = { problem: `${python} does not run here (${why})` };
  } else {
    try {
      const parsed = JSON.parse(run.stdout) as Omit<PythonInstallation, 'python'>;
      result = { python, ...parsed };
    } catch {
      result = { problem: `${python} gave an unreadable answer about its modules` };
    }
  }
  installations.set(key, result);
  return result;
}

/**
 * runner.py: beside this module (the build copies it into dist/src/sandbox/python/, a student kit
 * holds it in .mlgrade/), else in the package's src/ (under ts-jest).
 */
export function runnerPath(): string {
  const beside = path.join(__dirname, 'runner.py');
  if (fs.existsSync(beside)) return beside;
  return path.join(packageRoot(), 'src', 'sandbox', 'python', 'runner.py');
}

/**
 * runner.py where the sandbox's user can read it. Grading as root, the sandbox runs as an
 * unprivileged uid, which may not traverse the folders holding mlgrade (a student kit in a private
 * folder, a package in root's home): the runner is then copied, world-readable, into `dir` (a
 * folder the caller made traversable, beside the stage). Otherwise it is used where it is.
 */
export function readableRunner(dir: string, root: boolean = findTools().root): string {
  if (!root) return runnerPath();
  const copy = path.join(dir, 'mlgrade-runner.py');
  if (copiedRunners.has(copy)) return copy;
  const text = fs.readFileSync(runnerPath());
  let current: Buffer | undefined;
  try {
    current = fs.readFileSync(copy);
  } catch {
    current = undefined;
  }
  if (!current || !current.equals(text)) {
    // Written aside and renamed: a sandbox starting meanwhile reads the old file or the new one, never half of one.
    const partial = `${copy}.${process.pid}.partial`;
    fs.writeFileSync(partial, text, { mode: 0o644 });
    fs.chmodSync(partial, 0o644);
    fs.renameSync(partial, copy);
  }
  copiedRunners.add(copy);
  return copy;
}

const copiedRunners = new Set<string>();

/** The resolved limits (defaults filled in). */
export function pythonLimits(limits: Partial<PythonSandboxLimits> = {}): PythonSandboxLimits {
  return { ...DEFAULT_PYTHON_LIMITS, ...limits };
}

/** Folders at the root that are links into /usr on merged-/usr systems, or folders elsewhere. */
const ROOT_DIRS = ['/bin', '/sbin', '/lib', '/lib64', '/lib32', '/libx32'];

/**
 * The argv that starts runner.py for one staged submission (see the file comment). `installation`
 * comes from {@link locatePythonModules} (or the probe); a missing allowed module is left out (the
 * submission's import then fails with the runner's "No module named …" hint).
 */
export function pythonSandboxCommand(options: PythonSandboxOptions, installation: PythonInstallation, tools: SandboxTools = findTools()): PythonCommand {
  const limits = pythonLimits(options.limits);
  const python = options.python ?? '/usr/bin/python3';
  const bwrap = options.bwrap ?? tools.bwrap ?? '/usr/bin/bwrap';
  const allowedOnly = (options.libraries ?? 'allowed') === 'allowed';
  const root = tools.root;

  const argv: string[] = [];
  if (tools.prlimit) {
    argv.push(
      tools.prlimit,
      `--as=${limits.addressSpaceMb * 1024 * 1024}`,
      `--cpu=${limits.cpuSeconds}:${limits.cpuSeconds}`,
      `--fsize=${limits.fileBytes}`,
      `--nofile=${limits.openFiles}`,
      '--core=0',
      ...(root ? [`--nproc=${limits.processes}`] : []),
      '--',
    );
  }
  if (root && tools.setpriv) {
    const uid = options.uid ?? 65534;
    argv.push(tools.setpriv, `--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', '--');
  }
  argv.push(bwrap, '--unshare-all');
  if (tools.bwrapVersion && versionAtLeast(tools.bwrapVersion, [0, 8, 0])) argv.push('--unshare-user', '--disable-userns');
  argv.push('--die-with-parent', '--new-session', '--as-pid-1', '--clearenv', '--cap-drop', 'ALL');
  argv.push('--ro-bind', '/usr', '/usr', '--tmpfs', '/usr/local');
  if (allowedOnly) {
    for (const dir of installation.sitePackages) {
      if (dir.startsWith('/usr/') && !dir.startsWith('/usr/local/')) argv.push('--tmpfs', dir);
    }
  }
  for (const dir of ROOT_DIRS) {
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(dir);
    } catch {
      continue;
    }
    if (stat.isSymbolicLink()) argv.push('--symlink', fs.readlinkSync(dir), dir);
    else if (stat.isDirectory()) argv.push('--ro-bind', dir, dir);
  }
  // Debian's libblas.so.3 is a link through /etc/alternatives: without it NumPy does not import.
  for (const file of ['/etc/alternatives', '/etc/ld.so.cache']) if (fs.existsSync(file)) argv.push('--ro-bind', file, file);
  argv.push('--proc', '/proc', '--dev', '/dev');
  if (tools.bwrapVersion && versionAtLeast(tools.bwrapVersion, [0, 5, 0])) argv.push('--size', String(limits.scratchMb * 1024 * 1024));
  argv.push('--tmpfs', '/tmp');
  argv.push('--ro-bind', path.resolve(options.stageDir), SANDBOX_STAGE);
  argv.push('--ro-bind', options.runner ?? runnerPath(), SANDBOX_RUNNER);
  if (allowedOnly) {
    for (const module of installation.modules) {
      if (module.status !== 'found') continue;
      for (const hostPath of module.paths) argv.push('--ro-bind', hostPath, `${SANDBOX_LIBRARY}/${path.basename(hostPath)}`);
    }
  }
  argv.push('--chdir', SANDBOX_STAGE);
  const env: [string, string][] = [
    ['PATH', '/usr/bin:/bin'],
    ['HOME', '/tmp'],
    ['TMPDIR', '/tmp'],
    ['LANG', 'C.UTF-8'],
    ['TZ', 'UTC'],
    ['PYTHONHASHSEED', '0'],
    ['OPENBLAS_NUM_THREADS', '1'],
    ['OMP_NUM_THREADS', '1'],
    ['MKL_NUM_THREADS', '1'],
    ['MPLBACKEND', 'Agg'],
  ];
  for (const [name, value] of env) argv.push('--setenv', name, value);
  argv.push('--remount-ro', '/');
  argv.push(python, ...(allowedOnly ? ['-S'] : []), '-s');
  if (versionAtLeast(installation.version, [3, 11, 0])) argv.push('-P');
  argv.push('-B', SANDBOX_RUNNER);
  if (allowedOnly) argv.push('--lib', SANDBOX_LIBRARY);
  return { argv, entryPath: (relative: string) => path.posix.join(SANDBOX_STAGE, relative.split(path.sep).join('/')) };
}

/** The helper programs found on this machine. */
export interface SandboxTools {
  bwrap?: string;
  bwrapVersion?: string;
  prlimit?: string;
  setpriv?: string;
  /** True when the grader runs as root (then setpriv gives the sandbox a uid of its own). */
  root: boolean;
}

let tools: SandboxTools | undefined;

/** Looks for bwrap, prlimit and setpriv (once per process). */
export function findTools(bwrapPath?: string): SandboxTools {
  if (tools && !bwrapPath) return tools;
  const find = (...candidates: string[]) => candidates.find((candidate) => fs.existsSync(candidate));
  const bwrap = bwrapPath ?? find('/usr/bin/bwrap', '/bin/bwrap');
  let bwrapVersion: string | undefined;
  if (bwrap && fs.existsSync(bwrap)) {
    const run = spawnSync(bwrap, ['--version'], { encoding: 'utf8', timeout: 5000, env: {} });
    bwrapVersion = /(\d+\.\d+\.\d+)/.exec(run.stdout ?? '')?.[1];
  }
  const found: SandboxTools = {
    bwrap: bwrap && fs.existsSync(bwrap) ? bwrap : undefined,
    bwrapVersion,
    prlimit: find('/usr/bin/prlimit', '/bin/prlimit'),
    setpriv: find('/usr/bin/setpriv', '/bin/setpriv'),
    root: typeof process.getuid === 'function' && process.getuid() === 0,
  };
  if (!bwrapPath) tools = found;
  return found;
}

function versionAtLeast(version: string, minimum: readonly number[]): boolean {
  const parts = version.split('.').map((part) => Number(part) || 0);
  for (let i = 0; i < minimum.length; i++) {
    if ((parts[i] ?? 0) !== minimum[i]) return (parts[i] ?? 0) > minimum[i];
  }
  return true;
}

function firstLine(text: string | undefined): string {
  return (text ?? '').split('\n').find((line) => line.trim() !== '')?.trim() ?? '';
}

/** Whether Python submissions can be graded here, and if not, why (one line with the fix). */
export type PythonSandboxProbe =
  | {
      status: 'available';
      /** Python's version inside the sandbox. */
      python: string;
      numpy: string;
      bwrap: string;
      /** The installation the probe used; pass it to {@link pythonSandboxCommand}. */
      installation: PythonInstallation;
      tools: SandboxTools;
      /** Time to start the sandbox and import NumPy in it. */
      ms: number;
      /** Things that work but are weaker than intended (e.g. running as root without setpriv). */
      warnings: string[];
    }
  | { status: 'unavailable'; step: 'platform' | 'python' | 'tools' | 'numpy' | 'modules' | 'namespaces' | 'start'; reason: string };

const probes = new Map<string, PythonSandboxProbe>();

/**
 * Starts the sandbox once with `runner.py --probe` (no submission) and checks that NumPy and the
 * allowed modules import inside it. Cached per process and option set. MLGRADE_NO_BWRAP=1 and
 * MLGRADE_NO_NETNS=1 make it unavailable (Python has no weaker sandbox to fall back to).
 *
 * @example
 * const probe = probePythonSandbox({ allowedModules: [] });
 * if (probe.status === 'unavailable') console.error(`Python grading is off: ${probe.reason}`);
 */
export function probePythonSandbox(options: Omit<PythonSandboxOptions, 'stageDir'> = {}): PythonSandboxProbe {
  const key = JSON.stringify([options, process.env.MLGRADE_NO_BWRAP === '1', process.env.MLGRADE_NO_NETNS === '1']);
  const cached = probes.get(key);
  if (cached) return cached;
  const probe = runProbe(options);
  probes.set(key, probe);
  return probe;
}

type ProbeStep = Extract<PythonSandboxProbe, { status: 'unavailable' }>['step'];

function unavailable(step: ProbeStep, reason: string): PythonSandboxProbe {
  return { status: 'unavailable', step, reason };
}

function runProbe(options: Omit<PythonSandboxOptions, 'stageDir'>): PythonSandboxProbe {
  if (process.platform !== 'linux') {
    return unavailable('platform', `Python grading needs Linux (bubblewrap and user namespaces); this machine runs ${process.platform}`);
  }
  // The switches that weaken the JavaScript sandbox on purpose turn the Python sandbox off (it has no weaker form).
  if (process.env.MLGRADE_NO_NETNS === '1') return unavailable('namespaces', 'MLGRADE_NO_NETNS=1 turned namespaces off, and Python runs only inside them: unset MLGRADE_NO_NETNS');
  if (process.env.MLGRADE_NO_BWRAP === '1') return unavailable('tools', 'MLGRADE_NO_BWRAP=1 turned bubblewrap off, and Python runs only inside it: unset MLGRADE_NO_BWRAP');
  const python = options.python ?? '/usr/bin/python3';
  if (!fs.existsSync(python)) {
    return unavailable('python', `${python} is not installed: install the system Python and NumPy (apt-get install python3 python3-numpy)`);
  }
  const found = findTools(options.bwrap);
  if (!found.bwrap) return unavailable('tools', 'bubblewrap (bwrap) is not installed: apt-get install bubblewrap');
  if (!found.prlimit) {
    return unavailable('tools', 'prlimit (util-linux) is not installed, so the sandbox could not limit memory and CPU: apt-get install util-linux');
  }
  const warnings: string[] = [];
  if (found.root && !found.setpriv) {
    warnings.push('the grader runs as root and setpriv is missing: the sandbox runs as root inside its namespace, without a process limit');
  }
  const allowed = (options.allowedModules ?? []).filter((name) => name !== 'numpy');
  const installation = locatePythonModules(python, allowed);
  if ('problem' in installation) return unavailable('python', installation.problem);
  for (const module of installation.modules) {
    if (module.status !== 'missing') continue;
    if (module.name === 'numpy') return unavailable('numpy', `NumPy is not installed for ${python}: apt-get install python3-numpy`);
    return unavailable('modules', `the allowed module ${module.name} is not installed for ${python}`);
  }

  const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'mlgrade-pyprobe-'));
  try {
    fs.chmodSync(stage, 0o755);
    const command = pythonSandboxCommand({ ...options, stageDir: stage, runner: readableRunner(stage, found.root) }, installation, found);
    const [program, ...args] = command.argv;
    const started = performance.now();
    const run = spawnSync(program, [...args, '--probe', '--probe-modules', allowed.join(',')], { encoding: 'utf8', timeout: 20_000, env: {} });
    const ms = performance.now() - started;
    if (run.error || run.status !== 0) {
      const said = firstLine(run.stderr) || (run.error ? run.error.message : `exit code ${run.status ?? run.signal}`);
      if (/bwrap:|namespace|uid map|Operation not permitted|Permission denied/i.test(said)) {
        return unavailable(
          'namespaces',
          `bubblewrap cannot create its namespaces here (${said}): allow unprivileged user namespaces ` +
            '(Ubuntu 23.10+, GitHub ubuntu-24.04 runners: sysctl kernel.apparmor_restrict_unprivileged_userns=0 or an AppArmor ' +
            'profile for bwrap; older Debian: sysctl kernel.unprivileged_userns_clone=1; Docker: a seccomp profile that allows them)',
        );
      }
      return unavailable('start', `the Python sandbox did not start (${said})`);
    }
    let report: { python?: string; numpy?: string | null; numpyError?: string; modules?: Record<string, string> };
    try {
      report = JSON.parse(run.stdout.trim().split('\n').pop() ?? '');
    } catch {
      return unavailable('start', `the Python sandbox started but its probe answer was unreadable (${firstLine(run.stdout) || 'no output'})`);
    }
    if (!report.numpy) return unavailable('numpy', `NumPy does not import inside the sandbox (${report.numpyError ?? 'unknown error'})`);
    for (const [name, outcome] of Object.entries(report.modules ?? {})) {
      if (outcome !== 'ok') return unavailable('modules', `the allowed module ${name} does not import inside the sandbox (${outcome})`);
    }
    return {
      status: 'available',
      python: report.python ?? installation.version,
      numpy: report.numpy,
      bwrap: found.bwrapVersion ?? 'unknown',
      installation,
      tools: found,
      ms,
      warnings,
    };
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
}
