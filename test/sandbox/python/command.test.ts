/**
 * The sandbox command line and the probe: the argv in each situation (root or not, NumPy-only or
 * system packages, old bwrap), what the probe says when something is missing, and on this
 * machine: the process tree, the uid, the protocol fds passing through prlimit → setpriv → bwrap.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  locatePythonModules,
  probePythonSandbox,
  pythonSandboxCommand,
  runnerPath,
  type PythonInstallation,
  type SandboxTools,
} from '../../../src/sandbox/python/command';
import { callOnce, describeSandboxed, fromWire, removeStages, stageFiles, startSubmission } from './driver';

const INSTALLATION: PythonInstallation = {
  python: '/usr/bin/python3',
  version: '3.11.2',
  sitePackages: ['/usr/local/lib/python3.11/dist-packages', '/usr/lib/python3/dist-packages'],
  modules: [
    { name: 'numpy', status: 'found', paths: ['/usr/lib/python3/dist-packages/numpy'] },
    { name: 'scipy', status: 'found', paths: ['/usr/lib/python3/dist-packages/scipy', '/usr/lib/python3/dist-packages/scipy.libs'] },
    { name: 'math', status: 'stdlib' },
  ],
};
const ROOT: SandboxTools = { bwrap: '/usr/bin/bwrap', bwrapVersion: '0.8.0', prlimit: '/usr/bin/prlimit', setpriv: '/usr/bin/setpriv', root: true };

/** The values following each occurrence of `flag`. */
function after(argv: string[], flag: string, count = 1): string[][] {
  const out: string[][] = [];
  argv.forEach((arg, i) => {
    if (arg === flag) out.push(argv.slice(i + 1, i + 1 + count));
  });
  return out;
}

afterAll(() => removeStages());

describe('pythonSandboxCommand', () => {
  test('as root: prlimit (with nproc) → setpriv to the slot uid → bwrap → python -S -s -P -B runner --lib', () => {
    const { argv, entryPath } = pythonSandboxCommand({ stageDir: '/grading/stage-1', uid: 64001, limits: { cpuSeconds: 30 } }, INSTALLATION, ROOT);
    const setpriv = argv.indexOf('/usr/bin/setpriv');
    const bwrap = argv.indexOf('/usr/bin/bwrap');
    expect(argv.slice(0, setpriv)).toEqual(['/usr/bin/prlimit', '--as=1073741824', '--cpu=30:30', '--fsize=1048576', '--nofile=64', '--core=0', '--nproc=32', '--']);
    expect(argv.slice(setpriv, bwrap)).toEqual(['/usr/bin/setpriv', '--reuid=64001', '--regid=64001', '--clear-groups', '--']);
    expect(argv.slice(bwrap, bwrap + 12)).toEqual([
      '/usr/bin/bwrap', '--unshare-all', '--unshare-user', '--disable-userns', '--die-with-parent', '--new-session', '--as-pid-1', '--clearenv', '--cap-drop', 'ALL', '--ro-bind', '/usr',
    ]);
    expect(after(argv, '--tmpfs')).toEqual([['/usr/local'], ['/usr/lib/python3/dist-packages'], ['/tmp']]);
    expect(after(argv, '--ro-bind', 2)).toEqual(
      expect.arrayContaining([
        ['/grading/stage-1', '/stage'],
        [runnerPath(), '/mlgrade/runner.py'],
        ['/usr/lib/python3/dist-packages/numpy', '/mlgrade/lib/numpy'],
        ['/usr/lib/python3/dist-packages/scipy', '/mlgrade/lib/scipy'],
        ['/usr/lib/python3/dist-packages/scipy.libs', '/mlgrade/lib/scipy.libs'],
      ]),
    );
    expect(after(argv, '--size')).toEqual([['16777216']]);
    expect(Object.fromEntries(after(argv, '--setenv', 2))).toEqual({
      PATH: '/usr/bin:/bin',
      HOME: '/tmp',
      TMPDIR: '/tmp',
      LANG: 'C.UTF-8',
      TZ: 'UTC',
      PYTHONHASHSEED: '0',
      OPENBLAS_NUM_THREADS: '1',
      OMP_NUM_THREADS: '1',
      MKL_NUM_THREADS: '1',
      MPLBACKEND: 'Agg',
    });
    expect(argv.slice(-10)).toEqual(['--remount-ro', '/', '/usr/bin/python3', '-S', '-s', '-P', '-B', '/mlgrade/runner.py', '--lib', '/mlgrade/lib']);
    expect(after(argv, '--chdir')).toEqual([['/stage']]);
    expect(entryPath('sub/losses.py')).toBe('/stage/sub/losses.py');
  });

  test('not root: no setpriv and no process limit (RLIMIT_NPROC would count all the user\'s processes)', () => {
    const { argv } = pythonSandboxCommand({ stageDir: '/s' }, INSTALLATION, { ...ROOT, root: false });
    expect(argv).not.toContain('/usr/bin/setpriv');
    expect(argv.some((arg) => arg.startsWith('--nproc'))).toBe(false);
  });

  test('system packages: no -S, no masked site-packages, no --lib; /usr/local stays masked', () => {
    const { argv } = pythonSandboxCommand({ stageDir: '/s', libraries: 'system' }, INSTALLATION, ROOT);
    expect(after(argv, '--tmpfs')).toEqual([['/usr/local'], ['/tmp']]);
    expect(argv).not.toContain('-S');
    expect(argv).not.toContain('--lib');
    expect(argv.some((arg) => arg.startsWith('/mlgrade/lib'))).toBe(false);
  });

  test('an old bwrap gets no --disable-userns / --size; an old Python no -P', () => {
    const { argv } = pythonSandboxCommand({ stageDir: '/s' }, { ...INSTALLATION, version: '3.9.2' }, { ...ROOT, bwrapVersion: '0.4.1' });
    expect(argv).not.toContain('--disable-userns');
    expect(argv).not.toContain('--size');
    expect(argv).not.toContain('-P');
  });
});

describe('probePythonSandbox when something is missing', () => {
  test('no Python at that path', () => {
    expect(probePythonSandbox({ python: '/nonexistent/python3' })).toEqual({
      status: 'unavailable',
      step: 'python',
      reason: '/nonexistent/python3 is not installed: install the system Python and NumPy (apt-get install python3 python3-numpy)',
    });
  });

  test('no bwrap at that path', () => {
    expect(probePythonSandbox({ bwrap: '/nonexistent/bwrap' })).toEqual({ status: 'unavailable', step: 'tools', reason: 'bubblewrap (bwrap) is not installed: apt-get install bubblewrap' });
  });

  test('an allowed module that is not installed', () => {
    expect(probePythonSandbox({ allowedModules: ['no_such_module_mlgrade'] })).toEqual({
      status: 'unavailable',
      step: 'modules',
      reason: 'the allowed module no_such_module_mlgrade is not installed for /usr/bin/python3',
    });
  });

  test('bwrap that cannot create namespaces (as in Docker\'s default seccomp profile)', () => {
    const dir = stageFiles({ bwrap: '#!/bin/sh\necho "bwrap: setting up uid map: Permission denied" >&2\nexit 1\n' });
    fs.chmodSync(path.join(dir, 'bwrap'), 0o755);
    const probe = probePythonSandbox({ bwrap: path.join(dir, 'bwrap') });
    expect(probe).toMatchObject({ status: 'unavailable', step: 'namespaces' });
    if (probe.status === 'unavailable') {
      expect(probe.reason).toMatch(/^bubblewrap cannot create its namespaces here \(bwrap: setting up uid map: Permission denied\): allow unprivileged user namespaces/);
    }
  });

  test('a sandbox that starts but fails for another reason', () => {
    expect(probePythonSandbox({ bwrap: '/bin/false' })).toEqual({ status: 'unavailable', step: 'start', reason: 'the Python sandbox did not start (exit code 1)' });
  });
});

describeSandboxed('the sandbox on this machine', () => {
  test('the probe finds Python and NumPy inside the sandbox', () => {
    const probe = probePythonSandbox({});
    expect(probe).toMatchObject({ status: 'available', python: expect.stringMatching(/^3\.\d+\.\d+$/), numpy: expect.stringMatching(/^\d+\.\d+/), warnings: [] });
  });

  test('process tree: the spawned pid is bwrap, Python its only child (pid 1 inside), with the sandbox uid; fds 3/4 carry the protocol', async () => {
    const { runner, loaded } = await startSubmission({
        'losses.py': [
          'import os',
          'def ids():',
          '    fds = {}',
          '    for fd in os.listdir("/proc/self/fd"):',
          '        try:',
          '            fds[fd] = os.readlink("/proc/self/fd/" + fd)',
          '        except OSError:  # the listing\'s own descriptor, closed by now',
          '            pass',
          '    return [os.getpid(), os.getuid(), fds]',
          '',
        ].join('\n'),
      }, 'losses.py', { ids: 'ids' });
    expect(loaded).toMatchObject({ type: 'loaded' });
    expect(fs.readFileSync(`/proc/${runner.pid}/comm`, 'utf8').trim()).toBe('bwrap');
    const children = fs.readFileSync(`/proc/${runner.pid}/task/${runner.pid}/children`, 'utf8').trim().split(' ');
    expect(children).toHaveLength(1);
    expect(fs.readFileSync(`/proc/${children[0]}/comm`, 'utf8').trim()).toMatch(/^python3/);
    // NumPy is imported, with one BLAS thread: Python has no other thread.
    expect(fs.readFileSync(`/proc/${children[0]}/status`, 'utf8')).toMatch(/^Threads:\s+1$/m);
    const [pid, uid, fds] = fromWire((await callOnce(runner, 'ids', [])).value) as [number, number, Record<string, string>];
    expect(pid).toBe(1);
    if (process.getuid?.() === 0) expect(uid).toBe(65534);
    // stdin is /dev/null, 1 and 2 the captured output; 3 and 4 are closed for the submission (the runner
    // keeps its own copies), nothing else is inherited.
    expect(fds['0']).toBe('/dev/null');
    expect(Object.keys(fds)).toHaveLength(5);
    expect(fds).not.toHaveProperty('3');
    expect(fds).not.toHaveProperty('4');
    expect(Object.values(fds).every((target) => target === '/dev/null' || /^socket:|^pipe:/.test(target))).toBe(true);
    // Killing bwrap takes Python with it.
    process.kill(runner.pid, 'SIGKILL');
    await runner.exited;
    const gone = async () => {
      for (let i = 0; i < 100; i++) {
        let state: string | undefined;
        try {
          state = fs.readFileSync(`/proc/${children[0]}/stat`, 'utf8').split(') ')[1]?.[0];
        } catch {
          state = undefined;
        }
        if (state === undefined || state === 'Z') return true;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return false;
    };
    expect(await gone()).toBe(true);
  });

  test('an allowed package is importable in NumPy-only mode, others are not', async () => {
    const found = locatePythonModules('/usr/bin/python3', ['yaml']);
    if ('problem' in found || found.modules.find((m) => m.name === 'yaml')?.status !== 'found') {
      console.warn('PyYAML is not installed for /usr/bin/python3: the allowed-package test has nothing to import');
      return;
    }
    const files = { 'losses.py': 'import yaml\ndef version(): return yaml.__version__\n' };
    const allowed = await startSubmission(files, 'losses.py', { version: 'version' }, { sandbox: { allowedModules: ['yaml'] } });
    expect(allowed.loaded).toMatchObject({ type: 'loaded', exports: { version: 'function' } });
    expect(typeof fromWire((await callOnce(allowed.runner, 'version', [])).value)).toBe('string');
    await allowed.runner.close();
    const hidden = await startSubmission(files, 'losses.py', { version: 'version' });
    expect(hidden.loaded).toMatchObject({ type: 'loadFailed', thrown: { name: 'ModuleNotFoundError' } });
    const runner = hidden.runner;
    await runner.close();
  });
});
