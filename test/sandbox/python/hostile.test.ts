/**
 * Python twins of the hostile fixtures (test/fixtures/python/hostile/<attack>/ATTACK.md): each
 * attack runs in the real sandbox and is contained, and the honest functions beside it still
 * answer correctly.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { callOnce, describeSandboxed, fromWire, removeStages, startSubmission, type Answer, type RunnerProcess } from './driver';

const ROOT = path.join(__dirname, '..', '..', '..');
const HOSTILE = path.join(ROOT, 'test', 'fixtures', 'python', 'hostile');
const PWNED = '/tmp/mlgrade-pwned.txt';

const SNAKE = {
  sigmoid: 'sigmoid',
  softmax: 'softmax',
  mse: 'mse',
  mseGrad: 'mse_grad',
  binaryCrossEntropy: 'binary_cross_entropy',
  binaryCrossEntropyGrad: 'binary_cross_entropy_grad',
  binaryCrossEntropyFromLogits: 'binary_cross_entropy_from_logits',
  binaryCrossEntropyFromLogitsGrad: 'binary_cross_entropy_from_logits_grad',
  categoricalCrossEntropy: 'categorical_cross_entropy',
  categoricalCrossEntropyGrad: 'categorical_cross_entropy_grad',
  categoricalCrossEntropyFromLogits: 'categorical_cross_entropy_from_logits',
  categoricalCrossEntropyFromLogitsGrad: 'categorical_cross_entropy_from_logits_grad',
  classificationError: 'classification_error',
};

/** The fixture's losses.py with extra names bound (export name = Python name for the attack helpers). */
async function start(attack: string, extra: string[] = [], options: Parameters<typeof startSubmission>[3] = {}) {
  const source = fs.readFileSync(path.join(HOSTILE, attack, 'losses.py'), 'utf8');
  const names: Record<string, string> = { ...SNAKE };
  for (const name of extra) names[name] = name;
  const started = await startSubmission({ 'losses.py': source }, 'losses.py', names, options);
  expect(started.loaded).toMatchObject({ type: 'loaded' });
  return started.runner;
}

const Y = [1, 0];
const P = [0.9, 0.2];
const call = async (runner: RunnerProcess, fn: string, ...args: unknown[]) => callOnce(runner, fn, args);
const value = async (runner: RunnerProcess, fn: string, ...args: unknown[]) => {
  const reply = await call(runner, fn, ...args);
  expect({ fn, ok: reply.ok }).toEqual({ fn, ok: true });
  return fromWire(reply.value);
};

describeSandboxed('hostile Python submissions', () => {
  afterAll(() => removeStages());

  test('memory bomb: MemoryError at the limit, located at the student line; the process keeps answering', async () => {
    const runner = await start('memory-bomb', ['hoard_size', 'release', 'one_huge_block'], { sandbox: { limits: { addressSpaceMb: 512 } } });
    const bomb = await call(runner, 'mse', Y, P);
    const line = fs.readFileSync(path.join(HOSTILE, 'memory-bomb', 'losses.py'), 'utf8').split('\n').findIndex((text) => text.includes('_hoard.append')) + 1;
    expect(bomb).toMatchObject({ ok: false, thrown: { name: expect.stringMatching(/MemoryError$/), where: `losses.py, line ${line}, in mse` } });
    const hoarded = (await value(runner, 'hoard_size')) as number;
    expect(hoarded).toBeGreaterThan(20); // it really grew: > 160 MB
    expect(hoarded).toBeLessThan(64); // and stopped below 512 MB
    expect(await value(runner, 'mseGrad', [1, 2], [1, 4])).toEqual([0, 2]);
    await value(runner, 'release');
    const huge = await call(runner, 'one_huge_block');
    expect(huge).toMatchObject({ ok: false, thrown: { name: expect.stringMatching(/MemoryError$/), message: expect.stringMatching(/^Unable to allocate 11\.9 GiB/) } });
    expect(await value(runner, 'mse', [1, 2], [1, 4]).catch(() => 'bomb again')).toBe('bomb again');
    runner.kill();
  });

  // The CPU limit counts CPU seconds: on a loaded machine the wall time is longer (up to 100 s allowed here).
  test.each([
    ['a Python loop', 'softmax', [[[1, 2]]]],
    ['a NumPy loop', 'spin_numpy', []],
  ])('endless loop in %s: the CPU limit kills the process (SIGKILL at the hard limit)', async (_what, fn, args) => {
    const runner = await start('endless-loop', ['spin_numpy'], { sandbox: { limits: { cpuSeconds: 2 } } });
    const started = Date.now();
    const answer = await runner.request({ type: 'callBatch', id: 1, calls: [{ fn, args }] }, 100_000);
    // bwrap reports the death of its child as exit code 128 + 9.
    expect(answer).toEqual({ type: 'died', code: 137, signal: null });
    expect((Date.now() - started) / 1000).toBeGreaterThan(1.2);
  });

  test('reads outside its folder: the host is not there, system folders are read-only, /tmp is private and small', async () => {
    fs.rmSync(PWNED, { force: true });
    const runner = await start('reads-outside-folder', ['read', 'list_dir', 'write']);
    const reference = path.join(ROOT, 'reference', 'index.ts');
    expect(fs.existsSync(reference)).toBe(true);
    for (const target of ['/etc/passwd', reference, path.join(os.homedir(), '.bashrc'), '/work', '/root/.ssh/id_rsa']) {
      const reply = await call(runner, 'read', target);
      expect({ target, thrown: reply.thrown }).toMatchObject({ target, thrown: { name: 'FileNotFoundError', code: 'ENOENT' } });
    }
    const root = (await value(runner, 'list_dir', '/')) as string[];
    expect(root.filter((name) => !['bin', 'dev', 'etc', 'lib', 'lib32', 'lib64', 'libx32', 'mlgrade', 'proc', 'sbin', 'stage', 'tmp', 'usr'].includes(name))).toEqual([]);
    expect(await value(runner, 'list_dir', '/etc')).toEqual(['alternatives', 'ld.so.cache']);
    expect(await value(runner, 'list_dir', '/stage')).toEqual(['losses.py']);
    expect(await value(runner, 'list_dir', '/usr/local')).toEqual([]);
    for (const target of ['/stage/x.txt', '/usr/x.txt', '/x.txt', '/etc/x.txt']) {
      expect({ target, thrown: (await call(runner, 'write', target)).thrown }).toMatchObject({ target, thrown: { name: 'OSError', code: 'EROFS' } });
    }
    expect(await value(runner, 'write', '/tmp/ok.txt')).toBe(10);
    expect((await call(runner, 'write', '/tmp/big.txt', 2_000_000)).thrown).toMatchObject({ name: 'OSError', code: 'EFBIG' });
    expect(await value(runner, 'mseGrad', [1, 2], [1, 4])).toEqual([0, 2]);
    await runner.close();
    expect(fs.existsSync(PWNED)).toBe(false);
  });

  test('network: no connection reaches a host listener, on loopback or the host address (the sandbox has its own loopback only)', async () => {
    let connections = 0;
    const server = net.createServer((socket) => {
      connections += 1;
      socket.destroy();
    });
    // All addresses of the host: 127.0.0.1 and the external interfaces.
    await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const runner = await start('network-access', ['net_status', 'dns_status', 'probe_network']);
      // 127.0.0.1 is the sandbox's own loopback (bwrap brings it up): nothing listens there.
      expect(await value(runner, 'net_status')).toBe('ECONNREFUSED');
      expect(await value(runner, 'probe_network', port)).toBe('ECONNREFUSED');
      const external = Object.values(os.networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal);
      if (external) expect(await value(runner, 'probe_network', port, external.address)).toBe('ENETUNREACH');
      expect(await value(runner, 'probe_network', 53, '8.8.8.8')).toBe('ENETUNREACH');
      expect(await value(runner, 'dns_status')).toMatch(/^failed: gaierror$|^127\.0\.0\.1$|^::1$/);
      expect(await value(runner, 'mse', [1, 2], [1, 4])).toBe(2);
      await runner.close();
      expect(connections).toBe(0);
    } finally {
      server.close();
    }
  });

  test('environment: only the scrubbed variables, even when the grader has secrets in its own', async () => {
    const runner = await start('reads-env', ['env_keys'], { env: { ...process.env, GITHUB_TOKEN: 'ghp_secret', MLGRADE_SECRET_PROBE: 'secret' } });
    expect(await value(runner, 'env_keys')).toEqual([
      'HOME',
      'LANG',
      'MKL_NUM_THREADS',
      'MPLBACKEND',
      'NUMEXPR_NUM_THREADS',
      'OMP_NUM_THREADS',
      'OPENBLAS_NUM_THREADS',
      'PATH',
      'PYTHONHASHSEED',
      'TMPDIR',
      'TZ',
    ]);
    expect(await value(runner, 'mse', [1, 2], [1, 4])).toBe(2);
    await runner.close();
  });

  test('child processes start but are contained: same namespaces, uid and limits, and they die with the sandbox', async () => {
    const uid = 64999;
    const runner = await start('spawns-child-process', ['os_system', 'spawn_sleepers', 'child_view'], { sandbox: { uid } });
    // Not prevented (no seccomp exec filter): the child ran, and the value shows it.
    expect(await value(runner, 'mse', [1, 2], [1, 4])).toBe(2 + 6);
    expect(await value(runner, 'os_system')).toBe(0);
    const [childPid, childUid, visible] = (await value(runner, 'child_view')) as [number, number, number[]];
    expect(childPid).toBeLessThan(50); // a pid of the sandbox's own namespace
    expect(visible).toContain(1);
    expect(visible).toContain(childPid);
    expect(Math.max(...visible)).toBeLessThan(50); // no host process is visible
    const root = process.getuid?.() === 0;
    if (root) expect(childUid).toBe(uid);
    const [started, error] = (await value(runner, 'spawn_sleepers', 100)) as [number, string];
    if (root) {
      // RLIMIT_NPROC (32) counts Python, its helper threads and the sleepers of the sandbox's uid.
      expect(started).toBeLessThan(32);
      expect(error).toBe('BlockingIOError');
    }
    expect(started).toBeGreaterThan(0);
    expect(runner.stdout).toContain('pwned\n');
    process.kill(runner.pid, 'SIGKILL');
    await runner.exited;
    if (root) {
      let left = -1;
      for (let i = 0; i < 100 && left !== 0; i++) {
        left = processesOf(uid);
        if (left) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(left).toBe(0);
    }
  });

  test('tampering with json, builtins, numpy or __main__ cannot forge a reply: gradients still come back 3×', async () => {
    const runner = await start('tampers-globals', ['tamper_report', 'nan_value']);
    const report = (await value(runner, 'tamper_report')) as Record<string, string>;
    expect(report).toMatchObject({
      'json.dumps': 'patched',
      'json.encoder.c_make_encoder': 'patched',
      'builtins.float': 'patched',
      'builtins.isinstance': 'patched',
      'os.write': 'patched',
      'numpy.asarray': 'patched',
      'float.__repr__': 'refused (TypeError)',
      'numpy.ndarray.tolist': 'refused (TypeError)',
      '__main__ globals': 'refused (AttributeError)',
    });
    expect(await value(runner, 'mseGrad', [1, 2], [1, 4])).toEqual([0, 6]);
    expect(await value(runner, 'binaryCrossEntropyFromLogitsGrad', [1], [0])).toEqual([-1.5]);
    expect(await value(runner, 'mse', [1, 2], [1, 4])).toBe(2);
    expect(await value(runner, 'softmax', [[0, 0]])).toEqual([[0.5, 0.5]]);
    const specials = (await value(runner, 'nan_value')) as number[];
    expect(Number.isNaN(specials[0])).toBe(true);
    expect(Object.is(specials[1], -0)).toBe(true);
    expect(specials[2]).toBe(Math.fround(0.1));
    await runner.close();
  });

  test('fake output: printed frames and grading lines stay output; fd 3/4 are closed for the submission', async () => {
    const runner = await start('fake-output', ['fd_attempts']);
    expect(await value(runner, 'fd_attempts')).toEqual({ '3': 'OSError', '4': 'OSError' });
    expect(await value(runner, 'mse', [1, 2], [1, 4])).toBe(2);
    expect(await value(runner, 'mseGrad', [1, 2], [1, 4])).toEqual([0, 4]);
    const answer = await runner.request({ type: 'callBatch', id: 5, calls: Object.keys(SNAKE).slice(2, 4).map((fn) => ({ fn, args: [[1, 2], [1, 4]] })) });
    expect(answer).toMatchObject({ type: 'results', id: 5, replies: [{ ok: true, value: 2 }, { ok: true, value: [0, 4] }] });
    await runner.close();
    // One frame per request (init + 4 batches), however much was printed.
    expect(runner.frameBytes).toHaveLength(5);
    expect(runner.stdout.length).toBeGreaterThan(64 * 1024);
    expect(runner.stdout).toContain('PASS all tests 100/100');
    expect(runner.stdout).toContain('{"type":"results","id":1,"replies":[{"ok":true,"value":100,"ms":0}]}');
    expect(runner.stderr).toContain('::set-output name=score::100');
  });

  test('weird returns are described, never crash or hang the runner', async () => {
    const runner = await start('weird-returns');
    const Y2 = [[1, 0], [0, 1]];
    const P2 = [[0.8, 0.2], [0.4, 0.6]];
    const replies: Record<string, Answer | Record<string, unknown>> = {};
    for (const [fn, args] of [
      ['sigmoid', [[0, 1]]],
      ['softmax', [[[0, 0]]]],
      ['mse', [Y, P]],
      ['mseGrad', [Y, P]],
      ['binaryCrossEntropy', [Y, P]],
      ['binaryCrossEntropyGrad', [Y, P]],
      ['classificationError', [[0, 1], P2]],
      ['categoricalCrossEntropy', [Y2, P2]],
      ['categoricalCrossEntropyGrad', [Y2, P2]],
      ['categoricalCrossEntropyFromLogits', [Y2, P2]],
      ['binaryCrossEntropyFromLogits', [Y, [2, -1]]],
    ] as [string, unknown[]][]) {
      replies[fn] = await callOnce(runner, fn, args);
    }
    const description = (fn: string) => (replies[fn] as { unsendable?: { description: string } }).unsendable?.description;
    expect(description('sigmoid')).toBe('a generator (wrap it in list(…), or use return instead of yield)');
    expect(description('softmax')).toMatch(/^a value that could not be read \(RuntimeError: no attribute for you\)$/);
    expect(description('mse')).toBe('an object of type Floaty');
    expect(description('mseGrad')).toBe('a map iterator (wrap it in list(…))');
    expect(Number.isNaN(fromWire((replies.binaryCrossEntropy as { value: unknown }).value))).toBe(true);
    expect(fromWire((replies.binaryCrossEntropyGrad as { value: unknown }).value)).toEqual([-0.5555555555555556]);
    expect((replies.classificationError as { value: unknown }).value).toBe('0.0');
    expect(replies.categoricalCrossEntropy).toMatchObject({ ok: true, value: null });
    expect(description('categoricalCrossEntropyGrad')).toBe('a NumPy masked array (return a plain array, e.g. .filled(np.nan))');
    expect(description('categoricalCrossEntropyFromLogits')).toBe('a coroutine (the function must be a plain def, not async def)');
    expect((replies.binaryCrossEntropyFromLogits as { value: number }).value).toBeCloseTo(0.2200948492805977, 15);
    await runner.close();
  });
});

/** Processes (not threads) whose real uid is `uid`. */
function processesOf(uid: number): number {
  let count = 0;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = fs.readFileSync(`/proc/${entry}/status`, 'utf8');
      const match = /^Uid:\s+(\d+)/m.exec(status);
      const state = /^State:\s+(\S)/m.exec(status)?.[1];
      if (match && Number(match[1]) === uid && state !== 'Z') count += 1;
    } catch {
      /* gone meanwhile */
    }
  }
  return count;
}
