/**
 * runner.py's answers when things go wrong, in the student's terms: syntax errors and tracebacks
 * located as "losses.py, line 12" (never a temporary or sandbox path, never a runner frame),
 * capped texts, exit calls, missing exports, a forked child, protocol errors.
 */
import { callOnce, describeSandboxed, removeStages, startSubmission, type Answer, type RunnerProcess } from './driver';

const lines = (...rows: string[]) => `${rows.join('\n')}\n`;

/** No path of this machine or of the sandbox layout in anything a student reads. */
function expectNoPaths(text: string): void {
  expect(text).not.toMatch(/\/tmp\/|mlgrade-pytest|\/stage\/|runner\.py|\/mlgrade\//);
}

const CALLS = lines(
  'import os',
  'import numpy as np',
  '',
  'def mse_grad(y_true, y_pred):',
  '    return helper(y_pred - y_true)',
  '',
  'def helper(d):',
  '    raise ValueError("shapes %s do not match" % (d.shape,))',
  '',
  'def long_message():',
  '    raise ValueError("x" * 5000)',
  '',
  'def long_name():',
  '    raise type("E" * 300, (Exception,), {})("boom")',
  '',
  'def recurse(n):',
  '    return recurse(n + 1)',
  '',
  'class Unprintable(Exception):',
  '    def __str__(self):',
  '        raise RuntimeError("no")',
  '',
  'def unprintable():',
  '    raise Unprintable()',
  '',
  'def read_missing():',
  '    return open("/nonexistent/file.txt").read()',
  '',
  'def leave(code):',
  '    import sys',
  '    sys.exit(int(code))',
  '',
  'def builtin_exit():',
  '    exit(2)',
  '',
  'def hard_exit():',
  '    os._exit(5)',
  '',
  'def fork_and_return():',
  '    pid = os.fork()',
  '    return 1.0 if pid == 0 else 2.0',
  '',
  'def numpy_error(a):',
  '    return np.dot(a, np.ones(5))',
  '',
  'RATE = 0.5',
);

const NAMES = {
  mseGrad: 'mse_grad',
  longMessage: 'long_message',
  longName: 'long_name',
  recurse: 'recurse',
  unprintable: 'unprintable',
  readMissing: 'read_missing',
  leave: 'leave',
  builtinExit: 'builtin_exit',
  hardExit: 'hard_exit',
  forkAndReturn: 'fork_and_return',
  numpyError: 'numpy_error',
  rate: 'RATE',
  absent: 'absent',
};

type Thrown = { name: string; message: string; stack?: string; where?: string; code?: string };

describeSandboxed('runner.py errors', () => {
  afterAll(() => removeStages());

  describe('loading', () => {
    const load = async (files: Record<string, string>, entry = 'losses.py', init = {}) => {
      const { runner, loaded } = await startSubmission(files, entry, { mseGrad: 'mse_grad' }, { init });
      return { runner, loaded: loaded as Answer & { thrown: Thrown; syntax: boolean } };
    };

    test('a syntax error: loadFailed with syntax true, "losses.py, line 3", the line and a caret', async () => {
      const { runner, loaded } = await load({ 'losses.py': lines('import numpy as np', '', 'def mse_grad(y_true, y_pred)', '    return 0') });
      expect(loaded).toMatchObject({ type: 'loadFailed', syntax: true, thrown: { name: 'SyntaxError', where: 'losses.py, line 3', message: "expected ':'" } });
      expect(loaded.thrown.stack).toContain('File "losses.py", line 3');
      expect(loaded.thrown.stack).toContain('def mse_grad(y_true, y_pred)');
      expect(loaded.thrown.stack).toContain('^');
      expectNoPaths(JSON.stringify(loaded));
      // The process stays up and answers calls with "did not load".
      const reply = await callOnce(runner, 'mseGrad', [[1], [2]]);
      expect(reply).toMatchObject({ ok: false, thrown: { name: 'MissingExport', message: 'the submission did not load' } });
      await runner.close();
    });

    test('an indentation error and a syntax error in an imported helper module are syntax errors too', async () => {
      const indented = await load({ 'losses.py': lines('def mse_grad(a, b):', 'return a') });
      expect(indented.loaded).toMatchObject({ type: 'loadFailed', syntax: true, thrown: { name: 'IndentationError', where: 'losses.py, line 2' } });
      indented.runner.kill();
      const helper = await load({ 'losses.py': lines('from util.helpers import twice', 'mse_grad = twice'), 'util/helpers.py': lines('def twice(x):', '    return x +* 2') });
      expect(helper.loaded).toMatchObject({ type: 'loadFailed', syntax: true, thrown: { name: 'SyntaxError', where: 'util/helpers.py, line 2' } });
      expectNoPaths(JSON.stringify(helper.loaded));
      helper.runner.kill();
    });

    test('a NUL byte in the source is a syntax error at its line', async () => {
      const { runner, loaded } = await load({ 'losses.py': 'x = 1\ny = "\0"\n' });
      expect(loaded).toMatchObject({ type: 'loadFailed', syntax: true, thrown: { name: 'SyntaxError', message: 'source code cannot contain null bytes', where: 'losses.py, line 2' } });
      runner.kill();
    });

    test('an exception at import: loadFailed with the module-level line and the traceback through helpers', async () => {
      const { runner, loaded } = await load({
        'losses.py': lines('import numpy as np', 'from helpers import setup', '', 'WEIGHTS = setup(3)', 'def mse_grad(a, b):', '    return a'),
        'helpers.py': lines('def setup(n):', '    return [1.0] * n + undefined_name'),
      });
      expect(loaded).toMatchObject({ type: 'loadFailed', syntax: false, thrown: { name: 'NameError', message: "name 'undefined_name' is not defined", where: 'helpers.py, line 2, in setup' } });
      expect(loaded.thrown.stack).toMatch(/^Traceback \(most recent call last\):\n {2}File "losses.py", line 4, in <module>\n/);
      expect(loaded.thrown.stack).toContain('File "helpers.py", line 2, in setup');
      expectNoPaths(JSON.stringify(loaded));
      runner.kill();
    });

    test('importing a package that is not allowed names what can be imported (and other site packages are hidden)', async () => {
      for (const module of ['scipy', 'yaml']) {
        const { runner, loaded } = await load({ 'losses.py': lines('import numpy', `import ${module}`) }, 'losses.py', { allowedModules: ['numpy'] });
        expect(loaded).toMatchObject({
          type: 'loadFailed',
          thrown: { name: 'ModuleNotFoundError', message: `No module named '${module}' (submissions can import the Python standard library, numpy)`, where: 'losses.py, line 2' },
        });
        runner.kill();
      }
    });

    test('sys.exit() at import: exitCalled during load, then the process ends with that code', async () => {
      const { runner, loaded } = await load({ 'losses.py': lines('import sys', 'print("bye")', 'sys.exit(3)') });
      expect(loaded).toEqual({ type: 'exitCalled', code: 3, during: 'load' });
      expect(await runner.next()).toMatchObject({ type: 'died', code: 3 });
      expect(runner.stdout).toBe('bye\n');
    });

    test('a module that defines nothing asked for loads, with no exports and its own names listed', async () => {
      const { runner, loaded } = await load({ 'losses.py': lines('def mse_gradient(a, b):', '    return a', 'import numpy as np', '_private = 1', 'LIMIT = 3') });
      expect(loaded).toEqual({ type: 'loaded', exports: {}, resolved: {}, defined: { LIMIT: 'number', mse_gradient: 'function' } });
      await runner.close();
    });
  });

  describe('calls', () => {
    let runner: RunnerProcess;
    beforeAll(async () => {
      const started = await startSubmission({ 'losses.py': CALLS }, 'losses.py', NAMES);
      runner = started.runner;
      expect(started.loaded).toMatchObject({ type: 'loaded', exports: { mseGrad: 'function', rate: 'number' } });
      expect((started.loaded as { exports: object }).exports).not.toHaveProperty('absent');
    });
    afterAll(() => runner?.kill());

    const thrown = async (fn: string, ...args: unknown[]) => {
      const reply = await callOnce(runner, fn, args);
      expect(reply).toMatchObject({ ok: false, thrown: { name: expect.any(String) } });
      return reply.thrown as Thrown;
    };

    test('a traceback in a called function: where is the deepest student frame, runner frames are gone', async () => {
      const error = await thrown('mseGrad', [1, 2], [1, 2, 3]);
      expect(error.name).toBe('ValueError');
      expect(error.message).toBe('operands could not be broadcast together with shapes (3,) (2,) ');
      expect(error.where).toBe('losses.py, line 5, in mse_grad');
      expect(error.stack).toMatch(/^Traceback \(most recent call last\):\n {2}File "losses.py", line 5, in mse_grad\n/);
      expectNoPaths(error.stack!);
      const shaped = await thrown('mseGrad', [1, 2], [1, 3]);
      expect(shaped).toMatchObject({ message: 'shapes (2,) do not match', where: 'losses.py, line 8, in helper' });
    });

    test('an error inside NumPy is located at the student line that called it; library paths are shortened', async () => {
      const error = await thrown('numpyError', [1, 2]);
      expect(error.where).toBe('losses.py, line 44, in numpy_error');
      expect(error.stack).toContain('File "losses.py", line 44, in numpy_error');
      expect(error.stack).not.toMatch(/dist-packages|\/usr\/lib/);
    });

    test('caps: message 2,000, name 200, stack 4,000 characters (the end of a traceback is kept)', async () => {
      const long = await thrown('longMessage');
      expect(long.message).toHaveLength(2000);
      expect(long.message).toMatch(/… \(\d+ more characters\)$/);
      const named = await thrown('longName');
      expect(named.name.length).toBeLessThanOrEqual(200);
      expect(named.name).toMatch(/^E+… \(\d+ more characters\)$/);
      const deep = await thrown('recurse', 0);
      expect(deep.name).toBe('RecursionError');
      expect(deep.stack!.length).toBeLessThanOrEqual(4000);
      expect(deep.stack).toMatch(/RecursionError: maximum recursion depth exceeded\n$/);
      expect(deep.where).toBe('losses.py, line 17, in recurse');
    });

    test('an exception whose message cannot be read, and an OSError with its errno code', async () => {
      expect(await thrown('unprintable')).toMatchObject({ name: 'Unprintable', message: "(the error's message could not be read)" });
      expect(await thrown('readMissing')).toMatchObject({ name: 'FileNotFoundError', code: 'ENOENT', where: 'losses.py, line 27, in read_missing' });
    });

    test('missing and non-function exports', async () => {
      expect(await thrown('absent')).toEqual({ name: 'MissingExport', message: 'absent is not defined' });
      expect(await thrown('rate')).toEqual({ name: 'MissingExport', message: 'rate is not a function (it is number)' });
    });

    test('a forked child never writes a reply: one answer per call, and the runner goes on', async () => {
      const before = runner.messages.length;
      const answer = await runner.request({ type: 'callBatch', id: 4, calls: [{ fn: 'forkAndReturn', args: [] }, { fn: 'mseGrad', args: [[1], [3]] }] });
      expect(answer).toMatchObject({ type: 'results', id: 4, replies: [{ ok: true, value: 2 }, { ok: false, thrown: { message: 'shapes (1,) do not match' } }] });
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(runner.messages.length).toBe(before + 1);
    });
  });

  describe('exits during calls', () => {
    const exitWith = async (fn: string, args: unknown[]) => {
      const { runner } = await startSubmission({ 'losses.py': CALLS }, 'losses.py', NAMES);
      const first = await runner.request({ type: 'callBatch', id: 1, calls: [{ fn, args }, { fn: 'mseGrad', args: [[1], [2]] }] });
      const second = await runner.next();
      return { first, second, runner };
    };

    test('sys.exit(n), exit(n) and os._exit(n) in a call: exitCalled during call, then the process ends', async () => {
      const cases: [string, unknown[], number][] = [
        ['leave', [7], 7],
        ['builtinExit', [], 2],
        ['hardExit', [], 5],
      ];
      for (const [fn, args, code] of cases) {
        const { first, second } = await exitWith(fn, args);
        expect({ fn, first }).toEqual({ fn, first: { type: 'exitCalled', code, during: 'call' } });
        expect(second).toMatchObject({ type: 'died', code });
      }
    });
  });

  test('the runner applies the limits of init itself (below those of the command): file size and address space', async () => {
    const source = lines(
      'import numpy as np',
      'def write(n):',
      '    with open("/tmp/out.bin", "wb") as f:',
      '        f.write(b"x" * int(n))',
      '    return n',
      'def allocate(mb):',
      '    return float(np.ones(int(mb) * 131072).sum())',
    );
    const { runner, loaded } = await startSubmission({ 'losses.py': source }, 'losses.py', { write: 'write', allocate: 'allocate' }, {
      init: { limits: { fileBytes: 4096, addressSpaceBytes: 400 * 1024 * 1024, openFiles: 32 } },
    });
    expect(loaded).toMatchObject({ type: 'loaded' });
    expect(await callOnce(runner, 'write', [4096])).toMatchObject({ ok: true, value: 4096 });
    expect(await callOnce(runner, 'write', [4097])).toMatchObject({ ok: false, thrown: { name: 'OSError', code: 'EFBIG', message: '[Errno 27] File too large' } });
    expect(await callOnce(runner, 'allocate', [100])).toMatchObject({ ok: true, value: 100 * 131072 });
    expect(await callOnce(runner, 'allocate', [500])).toMatchObject({ ok: false, thrown: { name: expect.stringMatching(/MemoryError$/) } });
    await runner.close();
  });

  test('arguments the runner cannot decode fail that call only', async () => {
    const { runner } = await startSubmission({ 'losses.py': 'def f(x): return 1.0\n' }, 'losses.py', { f: 'f' });
    const answer = await runner.request({ type: 'callBatch', id: 1, calls: [{ fn: 'f', args: [{ $f: 'nope' }] }, { fn: 'f', args: [1] }] });
    expect(answer).toMatchObject({
      type: 'results',
      replies: [{ ok: false, thrown: { name: 'ArgumentError', message: "the runner could not decode the arguments (KeyError: 'nope')" } }, { ok: true, value: 1 }],
    });
    await runner.close();
  });

  test('a request out of protocol ends the runner with exit code 3', async () => {
    const { runner } = await startSubmission({ 'losses.py': 'x = 1\n' }, 'losses.py', {});
    expect(await runner.request({ type: 'dance' })).toMatchObject({ type: 'died', code: 3 });
    expect(runner.stderr).toContain("unexpected request 'dance'");
  });
});
