/**
 * The Python twin of every hostile fixture, graded through the CLI as an instructor grades a
 * class: all of them in one batch with a correct Python submission, then the attacks on time with
 * tight limits. Each attack is contained and costs only its author; the promises of the sandbox
 * (CPU and memory limits, no network, own PID namespace, private root, scrubbed environment,
 * capped output, hidden inputs never shown) hold for Python as for JavaScript (test/sandbox/hostile.test.ts).
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { resultPath } from '../../../reports/json';
import { loadAssignment } from '../../../src/assignments/spec';
import { declareSuite } from '../../../src/authoring/declareSuite';
import type { SubmissionResult } from '../../../src/types';
import { ROOT, readResult, runCli, tempDir, testsOf } from '../../support/cli';
import { describeSandboxed } from './driver';

const HOSTILE = path.join(ROOT, 'test', 'fixtures', 'python', 'hostile');
const CORRECT = path.join(ROOT, 'test', 'fixtures', 'python', 'class', 'correct');
const SLEEPING = ['sleeps-at-import', 'sleeps-at-import-and-every-call', 'sleeps-in-every-call'];
const GRADIENTS = ['mseGrad', 'binaryCrossEntropyGrad', 'binaryCrossEntropyFromLogitsGrad', 'categoricalCrossEntropyGrad', 'categoricalCrossEntropyFromLogitsGrad'];
const PWNED = '/tmp/mlgrade-pwned.txt';
const SOCKET = '/tmp/mlgrade-python-socket-attack.sock';

const failingFunctions = (r: SubmissionResult) => [...new Set(r.tests.filter((t) => t.status !== 'passed').map((t) => t.function))].sort();
/**
 * A fault is charged once: mse_grad is right (it matches the reference), so it keeps every point,
 * its finite-difference check included, however broken the student's own mse is (README, "A fault
 * is charged once"). Python raises its errors (MemoryError, a huge message) without losing the
 * process, so no crash spills over.
 */
const gradientKeepsItsPoints = (r: SubmissionResult) => {
  expect(testsOf(r, 'mseGrad').filter((t) => t.status !== 'passed').map((t) => t.id)).toEqual([]);
};

describeSandboxed('every Python attack in one batch with a correct submission', () => {
  let out: string;
  let connections = 0;
  let server: net.Server;
  const result = (id: string): SubmissionResult => readResult(out, id);

  beforeAll(async () => {
    const batch = tempDir('mlgrade-pyhostile-');
    for (const name of fs.readdirSync(HOSTILE).filter((name) => !SLEEPING.includes(name))) fs.cpSync(path.join(HOSTILE, name), path.join(batch, name), { recursive: true });
    fs.cpSync(CORRECT, path.join(batch, 'correct'), { recursive: true });
    fs.rmSync(PWNED, { force: true });
    // A Unix socket of "the machine" (a Docker or D-Bus socket): the unix-socket twin tries its path.
    fs.rmSync(SOCKET, { force: true });
    server = net.createServer((socket) => {
      connections += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(SOCKET, resolve));
    out = tempDir();
    const run = runCli(['grade', 'losses', batch, '--out', out, '--batch-size', '50'], { env: { GITHUB_TOKEN: 'ghp_secret_token_for_test', MLGRADE_SECRET_PROBE: 'secret' } });
    expect(run.status).toBe(0);
    // Connections the kernel queued while the CLI ran are accepted now.
    await new Promise((resolve) => setTimeout(resolve, 200));
  }, 600_000);

  afterAll(() => {
    server?.close();
    fs.rmSync(SOCKET, { force: true });
  });

  test('the correct submission graded in the same batch as every attack gets full marks, in its own sandbox', () => {
    expect(result('correct').score).toBe(100);
    expect(result('correct').isolation).toMatchObject({ runtime: 'python', network: 'namespace', processes: 'namespace', filesystem: 'private-root', memoryLimitMb: 256, callTimeoutMs: 2000, scrubbedEnv: true });
  });

  test('endless loop: only that function times out (the CPU limit), the rest is graded', () => {
    const r = result('endless-loop');
    expect(failingFunctions(r)).toEqual(['softmax']);
    expect(testsOf(r, 'softmax').every((t) => t.status === 'timeout')).toBe(true);
    expect(testsOf(r, 'softmax')[0].message).toMatch(/did not return within the time limit of 2000 ms/);
  });

  test('memory bomb: that function errors with the memory limit named (RLIMIT_AS), the rest is graded', () => {
    const r = result('memory-bomb');
    expect(failingFunctions(r)).toEqual(['mse']);
    gradientKeepsItsPoints(r);
    for (const t of testsOf(r, 'mse')) {
      expect(t.status).toBe('error');
      expect(t.message).toMatch(/memory limit \(256 MB\) was hit/);
    }
    expect(testsOf(r, 'mse')[0].message).toMatch(/^mse\(y_true, y_pred\) crashed the sandbox: the memory limit \(256 MB\) was hit \(MemoryError at losses\.py, line \d+, in mse\), so the process was stopped/);
  });

  test('an honest out-of-memory bug in 7 functions stays loaded and keeps the points of the rest', () => {
    const r = result('honest-oom');
    expect(r.load.status).toBe('loaded');
    const oom = ['binaryCrossEntropy', 'binaryCrossEntropyFromLogits', 'categoricalCrossEntropy', 'classificationError', 'mse', 'sigmoid', 'softmax'];
    expect(failingFunctions(r)).toEqual([...oom].sort());
    for (const fn of oom) for (const t of testsOf(r, fn)) expect(t.message).toMatch(/memory limit \(256 MB\) was hit/);
    for (const fn of GRADIENTS) expect(testsOf(r, fn).every((t) => t.status === 'passed')).toBe(true);
    expect(r.score).toBeGreaterThan(30);
  });

  test('files: the host is not there, nothing is written on it', () => {
    expect(result('reads-outside-folder').score).toBe(100);
    expect(fs.existsSync(PWNED)).toBe(false);
  });

  test('a child process runs inside the sandbox only: it changes only its parent\'s own result', () => {
    const r = result('spawns-child-process');
    expect(failingFunctions(r)).toEqual(['mse']);
    gradientKeepsItsPoints(r);
  });

  test('the environment is scrubbed (no GITHUB_TOKEN, no secrets)', () => {
    expect(result('reads-env').score).toBe(100);
    expect(result('reads-env').isolation?.scrubbedEnv).toBe(true);
  });

  test('no network, and no Unix socket of the machine', () => {
    expect(result('network-access').score).toBe(100);
    expect(result('unix-socket').score).toBe(100);
    expect(connections).toBe(0);
  });

  test('patching json, float, numpy and the runner\'s globals changes no grade', () => {
    const r = result('tampers-globals');
    expect(failingFunctions(r)).toEqual([...GRADIENTS].sort());
    for (const fn of GRADIENTS) {
      const t = r.tests.find((x) => x.id === `${fn}.gradient.reference`)!;
      expect(t.status).toBe('failed');
      expect(t.diagnosis).toMatch(/3\.000× the expected size/);
    }
  });

  test('fake output never affects a grade; it is captured, capped and noted as truncated', () => {
    const r = result('fake-output');
    expect(failingFunctions(r)).toEqual(['mseGrad']);
    expect(r.output?.truncated).toBe(true);
    expect(Buffer.byteLength(r.output!.text)).toBeLessThanOrEqual(64 * 1024);
    expect(r.output!.bytes).toBeGreaterThan(64 * 1024);
    expect(r.output!.text).toMatch(/PASS all tests 100\/100/);
  });

  test('output floods stop the process; the captured output stays at 64 KiB', () => {
    const r = result('floods-output');
    expect(failingFunctions(r)).toEqual(['mse', 'sigmoid']);
    gradientKeepsItsPoints(r);
    expect(testsOf(r, 'sigmoid')[0].message).toMatch(/printed more than 8 MB \(stdout and stderr together\), so the process was stopped/);
    // Public and hidden checks run in two sandboxes, each stopped once it has printed 8 MiB.
    expect(r.output!.bytes).toBeGreaterThan(8 * 1024 * 1024);
    expect(r.output!.bytes).toBeLessThan(2 * 10 * 1024 * 1024);
    expect(Buffer.byteLength(r.output!.text)).toBeLessThanOrEqual(64 * 1024);
  });

  test('weird returns fail their interface checks naming what came back, in Python words', () => {
    const r = result('weird-returns');
    const iface = (fn: string) => r.tests.find((t) => t.id === `${fn}.interface`)!;
    expect(iface('sigmoid').message).toMatch(/returned a generator \(wrap it in list\(…\), or use return instead of yield\)/);
    expect(iface('softmax').message).toMatch(/returned a value that could not be read \(RuntimeError: no attribute for you\)/);
    expect(iface('mse').message).toMatch(/returned an object of type Floaty/);
    expect(iface('mseGrad').message).toMatch(/returned a map iterator \(wrap it in list\(…\)\)/);
    expect(iface('binaryCrossEntropy').message).toMatch(/the result is NaN/);
    expect(iface('binaryCrossEntropyGrad').message).toMatch(/has length 1 \(expected 2\)/);
    expect(iface('classificationError').message).toMatch(/returned a string "0\.\d+" \(return a float, not text\)/);
    expect(iface('categoricalCrossEntropy').message).toMatch(/returned None \(did the function forget to return\?\)/);
    expect(iface('categoricalCrossEntropyGrad').message).toMatch(/returned a NumPy masked array/);
    expect(iface('categoricalCrossEntropyFromLogits').message).toMatch(/returned a coroutine \(the function must be a plain def, not async def\)/);
    for (const fn of ['sigmoid', 'softmax', 'mse', 'mseGrad', 'binaryCrossEntropy', 'binaryCrossEntropyGrad', 'classificationError', 'categoricalCrossEntropy', 'categoricalCrossEntropyGrad', 'categoricalCrossEntropyFromLogits']) {
      expect(iface(fn).status).toBe('failed');
    }
  });

  test('errors with 1–100 MB of text: short messages, small result files', () => {
    const r = result('huge-error-message');
    expect(failingFunctions(r)).toEqual(['binaryCrossEntropy', 'classificationError', 'mse', 'sigmoid', 'softmax']);
    for (const t of r.tests.filter((x) => x.status !== 'passed')) {
      expect(t.status).toBe('error');
      expect(t.message.length).toBeLessThan(2500);
    }
    expect(testsOf(r, 'mse')[0].message).toMatch(/raised Exception: x+… \(104855600 more characters\)/);
    expect(fs.statSync(resultPath(out, 'huge-error-message')).size).toBeLessThan(200_000);
  });

  test('returns over the reply cap fail their checks as too large; the rest is graded', () => {
    const r = result('huge-return');
    expect(failingFunctions(r)).toEqual(['mse', 'sigmoid']);
    gradientKeepsItsPoints(r);
    for (const t of [...testsOf(r, 'mse'), ...testsOf(r, 'sigmoid')]) {
      expect(t.message).toMatch(/returned a value too large to send back \(.* MB or more once encoded; the limit is 16 MB\)/);
    }
  });

  test('raw frames on the reply channel (found through /proc/self/fd): only the functions that wrote them fail', () => {
    const r = result('raw-frame');
    expect(failingFunctions(r)).toEqual(['mse', 'sigmoid', 'softmax']);
    gradientKeepsItsPoints(r);
    expect(testsOf(r, 'mse')[0].message).toMatch(/sent a message of 2048 MB, more than the limit of 16 MB/);
    expect(testsOf(r, 'softmax')[0].message).toMatch(/malformed message/);
    expect(testsOf(r, 'sigmoid')[0].message).toMatch(/answered out of turn/);
  });

  test('no hidden input reaches anything a student reads, though the attack fired', () => {
    const r = result('leaks-hidden-inputs');
    const { plans } = declareSuite(loadAssignment('losses'), 'all');
    const hidden = new Set<string>();
    const walk = (value: unknown): void => {
      if (typeof value === 'number' && !Number.isInteger(value)) hidden.add(JSON.stringify(value));
      else if (Array.isArray(value)) value.forEach(walk);
    };
    for (const { meta, plan } of plans) if (meta.visibility === 'hidden' && 'args' in plan) walk(plan.args);
    const distinctive = [...hidden].filter((n) => n.length >= 12);
    expect(distinctive.length).toBeGreaterThan(100);
    expect(r.tests.filter((t) => t.visibility === 'public' && /LEAK/.test(t.message)).length).toBeGreaterThan(0);
    const folder = path.dirname(resultPath(out, r.submission));
    const studentVisible = [
      ...r.tests.filter((t) => t.visibility === 'public').map((t) => t.message),
      fs.readFileSync(path.join(folder, 'report.html'), 'utf8'),
      fs.readFileSync(path.join(folder, 'gradescope', 'results.json'), 'utf8'),
    ].join('\n');
    expect(distinctive.filter((n) => studentVisible.includes(n))).toEqual([]);
  });
});

describeSandboxed('Python attacks on time, with tight limits (call 300 ms, load 3 s: a budget of 12 s)', () => {
  let out: string;
  let elapsedMs: number;
  const result = (id: string): SubmissionResult => readResult(out, id);

  beforeAll(() => {
    const assignment = tempDir('mlgrade-pytight-');
    const spec = JSON.parse(fs.readFileSync(path.join(ROOT, 'assignments', 'losses', 'assignment.json'), 'utf8'));
    fs.writeFileSync(
      path.join(assignment, 'assignment.json'),
      JSON.stringify({ ...spec, reference: path.join(ROOT, 'dist', 'reference', 'index.js'), limits: { ...spec.limits, callTimeoutMs: 300, loadTimeoutMs: 3000 } }),
    );
    const batch = tempDir('mlgrade-pysleep-');
    for (const name of SLEEPING) fs.cpSync(path.join(HOSTILE, name), path.join(batch, name), { recursive: true });
    fs.cpSync(CORRECT, path.join(batch, 'correct'), { recursive: true });
    out = tempDir();
    const started = Date.now();
    const run = runCli(['grade', assignment, batch, '--out', out, '--jobs', '2', '--no-html']);
    elapsedMs = Date.now() - started;
    expect(run.status).toBe(0);
  }, 300_000);

  test('the class is graded within the sleepers\' budgets, and the correct submission gets full marks', () => {
    expect(result('correct').score).toBe(100);
    expect(elapsedMs).toBeLessThan(60_000);
  });

  test('sleeping at import is a load time-out at the load limit', () => {
    const r = result('sleeps-at-import');
    expect(r.load).toEqual({ status: 'failed', reason: 'timeout', message: 'loading the submission took longer than 3000 ms (an endless loop, or a wait, at import?)' });
    expect(r.score).toBe(0);
  });

  test.each([['sleeps-in-every-call'], ['sleeps-at-import-and-every-call']])('%s: loaded, every check a time-out, the last ones not run for the budget', (id) => {
    const r = result(id);
    expect(r.load.status).toBe('loaded');
    expect(r.score).toBe(0);
    expect(r.tests.every((t) => t.status === 'timeout' || t.status === 'error')).toBe(true);
    expect(r.tests.some((t) => /did not return within the time limit of 300 ms/.test(t.message))).toBe(true);
    const last = r.tests[r.tests.length - 1];
    expect(last.message).toMatch(/was not run to the end: the submission used up its time budget \(12 s for all its calls together\), so its remaining checks were not run\.$/);
    expect(r.durationMs).toBeLessThan(12_000 + 5_000);
  });
});
