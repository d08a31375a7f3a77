/**
 * Whether Python submissions may run on this machine, and how: in their bubblewrap sandbox when
 * the probe says it works; otherwise only by an explicit choice — the instructor's
 * `--allow-unsandboxed-python`, or a student kit on the student's own machine (their own code) —
 * and else not at all, with one line saying why and what to do.
 */
import { findTools, locatePythonModules, probePythonSandbox } from './command';
import { findPython, type PythonRuntime } from './launcher';

/** Who may run Python without its sandbox: nobody (the default), the instructor's flag, or a student kit. */
export type UnsandboxedPermission = 'no' | 'flag' | 'kit';

/** How Python submissions run here, or why they cannot. */
export type PythonAvailability = { status: 'ready'; runtime: PythonRuntime } | { status: 'refused'; message: string };

/** The flag that lets an instructor grade Python without the sandbox. */
export const ALLOW_UNSANDBOXED_FLAG = '--allow-unsandboxed-python';

/**
 * Decides how Python submissions run (probing the sandbox once per process).
 *
 * @example
 * pythonAvailability({ allowedModules: [], unsandboxed: 'no' })
 * // on a machine with bubblewrap: { status: 'ready', runtime: { kind: 'bwrap', … } }
 * // without: { status: 'refused', message: 'this grader cannot sandbox Python here: bubblewrap (bwrap) is not installed: …' }
 */
export function pythonAvailability(options: { allowedModules: readonly string[]; unsandboxed: UnsandboxedPermission }): PythonAvailability {
  const allowed = [...options.allowedModules];
  const probe = probePythonSandbox({ allowedModules: allowed });
  if (probe.status === 'available') return { status: 'ready', runtime: { kind: 'bwrap', installation: probe.installation, tools: probe.tools } };
  if (options.unsandboxed === 'no') {
    return {
      status: 'refused',
      message:
        `this grader cannot sandbox Python here: ${probe.reason}; fix that, or pass ${ALLOW_UNSANDBOXED_FLAG} to run Python ` +
        'submissions without the sandbox (they could then read this machine\'s files and use its network: only for code you trust)',
    };
  }
  // Without the sandbox Python still needs NumPy (and the allowed modules) where it is.
  const python = findPython();
  const install =
    options.unsandboxed === 'kit'
      ? 'install Python 3 and NumPy (e.g. apt-get install python3 python3-numpy, or pip install numpy)'
      : 'apt-get install python3 python3-numpy';
  if (!python) return { status: 'refused', message: `Python 3 is not installed here: ${install}` };
  const located = locatePythonModules(python, allowed);
  if ('problem' in located) return { status: 'refused', message: `${located.problem}: ${install}` };
  const missing = located.modules.filter((m) => m.status === 'missing').map((m) => m.name);
  if (missing.length) {
    return { status: 'refused', message: `${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not installed for ${python}: ${install}` };
  }
  const tools = process.platform === 'linux' ? findTools() : { root: false };
  const who = options.unsandboxed === 'flag' ? `the instructor passed ${ALLOW_UNSANDBOXED_FLAG}` : "a student kit runs the student's own code on their own machine";
  return {
    status: 'ready',
    runtime: {
      kind: 'unsandboxed',
      python,
      reason: `${who}; the sandbox is not available here (${probe.reason})`,
      tools: { prlimit: tools.prlimit, setpriv: tools.setpriv, root: tools.root },
    },
  };
}
