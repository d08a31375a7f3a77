/**
 * Issue 13: one submission can never hold up a class, see a hidden value, or wreck another's
 * grade. Each attack fixture (test/fixtures/hostile/, see its ATTACK.md) is graded by a stand-in
 * grader in a process of its own (graderProbe.ts), so each test can bound what the attack cost:
 * wall-clock time against the limits it must be stopped by, and the grader's own peak memory.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, tempDir } from '../support/cli';
import { probeGrader, type ProbeReport } from './graderProbe';
import type * as IsolationModule from '../../src/sandbox/isolation';

const { namespaceArgs, isolationStatus } = require(path.join(ROOT, 'dist/src/sandbox/isolation.js')) as typeof IsolationModule;

const HOSTILE = path.join(ROOT, 'test', 'fixtures', 'hostile');
/** The grader's peak resident memory must stay far below what the attacks cost it before (2–4 GB, or an abort). */
const GRADER_MEMORY_MB = 300;

const FUNCTIONS = [
  'sigmoid',
  'softmax',
  'mse',
  'mseGrad',
  'binaryCrossEntropy',
  'binaryCrossEntropyGrad',
  'binaryCrossEntropyFromLogits',
  'binaryCrossEntropyFromLogitsGrad',
  'categoricalCrossEntropy',
  'categoricalCrossEntropyGrad',
  'categoricalCrossEntropyFromLogits',
  'categoricalCrossEntropyFromLogitsGrad',
  'classificationError',
] as const;

/** Arguments each losses function accepts. */
function argsOf(fn: string): unknown[] {
  const y = [1, 0, 1];
  const p = [0.8, 0.3, 0.6];
  const Y = [[1, 0], [0, 1]];
  const P = [[0.7, 0.3], [0.4, 0.6]];
  if (fn === 'sigmoid') return [[0.5, -1, 2]];
  if (fn === 'softmax') return [P];
  if (fn.startsWith('categorical')) return [Y, P];
  return [y, p];
}

/** Every function called `times` times, in order. */
function everyFunction(times: number): { fn: string; args: unknown[] }[] {
  return FUNCTIONS.flatMap((fn) => Array.from({ length: times }, () => ({ fn, args: argsOf(fn) })));
}

const statuses = (report: ProbeReport) => report.outcomes.map((o) => o.outcome.status);

describe('time: sleeping without CPU', () => {
  test('in every call: each call ends at its wall-clock backstop, the submission at its budget; it stays loaded', () => {
    // Budget: loadTimeoutMs + 30 × callTimeoutMs = 1 s + 6 s; backstop per call: 3 × 200 ms + 1 s.
    const report = probeGrader({ dir: path.join(HOSTILE, 'sleeps-in-every-call'), calls: everyFunction(3), limits: { callTimeoutMs: 200, loadTimeoutMs: 1000 } });
    expect(report.load).toBeUndefined();
    expect(report.outcomes[0].outcome).toEqual({ status: 'timeout', limitMs: 200 });
    for (const { ms } of report.outcomes) expect(ms).toBeLessThan(1600 + 1000);
    const budget = report.outcomes.filter((o) => o.outcome.budget === true);
    expect(budget.length).toBeGreaterThan(30);
    expect(budget[budget.length - 1].outcome).toEqual({ status: 'timeout', limitMs: 200, budget: true, budgetMs: 7000 });
    // After the budget, nothing starts: calls return at once.
    expect(budget.slice(1).every((o) => o.ms < 50)).toBe(true);
    expect(report.usage.activeMs).toBeLessThanOrEqual(7000 + 200);
    expect(report.elapsedMs).toBeLessThan(7000 + 2000);
    expect(report.peakRssMb).toBeLessThan(GRADER_MEMORY_MB);
  });

  test('at import: the load limit is on the wall clock', () => {
    const report = probeGrader({ dir: path.join(HOSTILE, 'sleeps-at-import'), calls: [{ fn: 'mse', args: argsOf('mse') }], limits: { loadTimeoutMs: 1000 } });
    expect(report.load).toEqual({ reason: 'timeout', message: 'loading the submission took longer than 1000 ms (an endless loop, or a wait, at import?)' });
    expect(statuses(report)).toEqual(['not-loaded']);
    expect(report.elapsedMs).toBeLessThan(1000 + 1500);
    expect(report.stats.starts).toBe(1);
  });

  test('at import and in every call: restarts pay the import again, within the same budget', () => {
    // Budget: 5 s + 30 × 200 ms = 11 s; the import sleeps 2.5 s.
    const report = probeGrader({ dir: path.join(HOSTILE, 'sleeps-at-import-and-every-call'), calls: everyFunction(2), limits: { callTimeoutMs: 200, loadTimeoutMs: 5000 } });
    expect(report.load).toBeUndefined();
    expect(statuses(report).every((status) => status === 'timeout' || status === 'exhausted')).toBe(true);
    expect(report.outcomes[report.outcomes.length - 1].outcome).toMatchObject({ status: 'timeout', budget: true, budgetMs: 11_000 });
    expect(report.usage.activeMs).toBeLessThanOrEqual(11_000 + 200);
    expect(report.elapsedMs).toBeLessThan(11_000 + 2000);
  });
});

describe('size: errors, returns and frames the grader never holds whole', () => {
  test('error texts of 1–100 MB are cut in the child (and again in the grader)', () => {
    const calls = ['mse', 'sigmoid', 'softmax', 'binaryCrossEntropy', 'classificationError', 'mseGrad'].map((fn) => ({ fn, args: argsOf(fn) }));
    const report = probeGrader({ dir: path.join(HOSTILE, 'huge-error-message'), calls });
    expect(statuses(report)).toEqual(['threw', 'threw', 'threw', 'threw', 'threw', 'returned']);
    for (const { outcome } of report.outcomes.slice(0, 5)) {
      const error = outcome.error as { name: string; message: string | { length: number }; stack?: string | { length: number } };
      const length = (text: string | { length: number } | undefined) => (text === undefined ? 0 : text.length);
      expect(length(error.name)).toBeLessThanOrEqual(200);
      expect(length(error.message)).toBeLessThanOrEqual(2000);
      expect(length(error.stack)).toBeLessThanOrEqual(4000);
    }
    expect(report.outcomes[0].outcome.error).toMatchObject({ name: 'Error', message: { length: 2000 } });
    expect(report.outcomes[0].outcome.error).toMatchObject({ message: { cut: expect.stringMatching(/^x+$/) } });
    expect(report.outcomes[3].outcome.error).toMatchObject({ name: 'Thrown value', message: expect.stringMatching(/^threw a non-Error value: w+… \(10485560 more characters\)$/) });
    expect(report.peakRssMb).toBeLessThan(GRADER_MEMORY_MB);
  });

  test('returns over the reply cap are refused by the child, described as too large', () => {
    const calls = ['mse', 'sigmoid', 'mseGrad'].map((fn) => ({ fn, args: argsOf(fn) }));
    const report = probeGrader({ dir: path.join(HOSTILE, 'huge-return'), calls });
    expect(report.outcomes[0].outcome).toEqual({ status: 'unsendable', description: 'a value too large to send back (95.4 MB or more once encoded; the limit is 16 MB)' });
    expect(report.outcomes[1].outcome).toMatchObject({ status: 'unsendable', description: expect.stringMatching(/^a value too large to send back \(16 MB or more once encoded; the limit is 16 MB\)$/) });
    expect(report.outcomes[2].outcome.status).toBe('returned');
    expect(report.stats.starts).toBe(1);
    expect(report.peakRssMb).toBeLessThan(GRADER_MEMORY_MB);
  });

  test('raw frames on the reply channel: refused unread when too large, malformed or out of turn; only that call fails', () => {
    const calls = ['mse', 'softmax', 'sigmoid', 'mseGrad'].map((fn) => ({ fn, args: argsOf(fn) }));
    const report = probeGrader({ dir: path.join(HOSTILE, 'raw-frame'), calls });
    expect(report.outcomes.map((o) => o.outcome)).toEqual([
      { status: 'crashed', message: 'the sandbox sent a message of 2048 MB, more than the limit of 16 MB, so the process was stopped', memory: false },
      { status: 'crashed', message: 'the sandbox sent a malformed message (did the submission write to the grader channel?), so the process was stopped', memory: false },
      { status: 'crashed', message: 'the sandbox answered out of turn (did the submission write to the grader channel?)', memory: false },
      expect.objectContaining({ status: 'returned' }),
    ]);
    // mse announced 2 GB and hangs: it is stopped at once, not at a time limit.
    expect(report.outcomes[0].ms).toBeLessThan(1000);
    expect(report.peakRssMb).toBeLessThan(GRADER_MEMORY_MB);
  });

  test('output floods stop the process past 8 MiB; the grader reads little more and keeps 64 KiB', () => {
    const calls = ['mse', 'sigmoid', 'mseGrad'].map((fn) => ({ fn, args: argsOf(fn) }));
    const report = probeGrader({ dir: path.join(HOSTILE, 'floods-output'), calls });
    const flood = { status: 'crashed', message: 'the submission printed more than 8 MB (stdout and stderr together), so the process was stopped', memory: false };
    expect(report.outcomes.map((o) => o.outcome)).toEqual([flood, flood, expect.objectContaining({ status: 'returned' })]);
    // Each flood would last 20 s.
    for (const { ms } of report.outcomes.slice(0, 2)) expect(ms).toBeLessThan(3000);
    expect(report.output.bytes).toBeGreaterThan(8 * 1024 * 1024);
    expect(report.output.bytes).toBeLessThan(10 * 1024 * 1024);
    expect(report.output.textLength).toBe(64 * 1024);
    expect(report.peakRssMb).toBeLessThan(GRADER_MEMORY_MB);
  });
});

describe('memory', () => {
  test('an honest submission out of memory in 7 of 13 functions stays loaded; each function stops after 2 crashes; the others are graded', () => {
    const report = probeGrader({ dir: path.join(HOSTILE, 'honest-oom'), calls: everyFunction(3) });
    expect(report.load).toBeUndefined();
    const byFunction = new Map<string, string[]>();
    report.outcomes.forEach((o, i) => byFunction.set(FUNCTIONS[Math.floor(i / 3)], [...(byFunction.get(FUNCTIONS[Math.floor(i / 3)]) ?? []), o.outcome.status as string]));
    for (const fn of ['sigmoid', 'softmax', 'mse', 'binaryCrossEntropy', 'binaryCrossEntropyFromLogits', 'categoricalCrossEntropy', 'classificationError']) {
      expect([fn, byFunction.get(fn)]).toEqual([fn, ['crashed', 'crashed', 'exhausted']]);
    }
    for (const fn of ['mseGrad', 'binaryCrossEntropyGrad', 'binaryCrossEntropyFromLogitsGrad', 'categoricalCrossEntropyGrad', 'categoricalCrossEntropyFromLogits', 'categoricalCrossEntropyFromLogitsGrad']) {
      expect([fn, byFunction.get(fn)]).toEqual([fn, ['returned', 'returned', 'returned']]);
    }
    expect(report.outcomes[0].outcome).toEqual({ status: 'crashed', message: 'the memory limit (256 MB) was hit, so the process was stopped', memory: true });
    expect(report.outcomes[2].outcome).toEqual({
      status: 'exhausted',
      scope: 'function',
      crashes: 2,
      last: 'crashed',
      message: 'sigmoid crashed or timed out 2 times already (the last time: the memory limit (256 MB) was hit, so the process was stopped), so its remaining calls were not run',
    });
    // The first process, and one after each of the 7 × 2 crashes but the last (nothing follows it).
    expect(report.stats.starts).toBe(14);
  });

  test('a memory bomb is a memory failure every time, also on a busy machine (CPU time counts system time)', async () => {
    const burners: ChildProcess[] = [0, 1].map(() => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
    try {
      for (let run = 0; run < 4; run++) {
        const report = probeGrader({ dir: path.join(HOSTILE, 'memory-bomb'), calls: [{ fn: 'mse', args: argsOf('mse') }, { fn: 'mseGrad', args: argsOf('mseGrad') }] });
        expect(report.outcomes[0].outcome).toEqual({ status: 'crashed', message: 'the memory limit (256 MB) was hit, so the process was stopped', memory: true });
        expect(report.outcomes[1].outcome.status).toBe('returned');
      }
    } finally {
      for (const burner of burners) burner.kill('SIGKILL');
    }
  });

  test('the kernel limits the private memory (RLIMIT_DATA): off-heap buffers fail inside the call', () => {
    const dir = tempDir('mlgrade-sub-');
    fs.writeFileSync(path.join(dir, 'losses.js'), 'exports.grab = () => { const kept = []; for (let i = 0; i < 64; i++) kept.push(new Float64Array(16 * 1024 * 1024).fill(1)); return kept.length; };\n');
    const report = probeGrader({ dir, calls: [{ fn: 'grab', args: [] }] });
    // 64 × 128 MB would take 8 GB; the limit is 256 + 192 MB.
    expect(report.outcomes[0].outcome).toMatchObject({ status: 'threw', error: { name: 'RangeError', message: 'Array buffer allocation failed' } });
  });
});

describe('restarts', () => {
  const crashing = [
    'let calls = 0;',
    'export function crash(): number { process.exit(3); }',
    'export function crash2(): number { process.exit(4); }',
    'export function crash3(): number { process.exit(5); }',
    'export function ok(): number { return ++calls; }',
  ].join('\n');

  test('the restart limit never turns into a load failure: later calls are exhausted, the load stays loaded', () => {
    const dir = tempDir('mlgrade-sub-');
    fs.writeFileSync(path.join(dir, 'losses.ts'), crashing);
    const calls = ['ok', 'crash', 'crash2', 'crash3', 'ok', 'crash', 'ok'].map((fn) => ({ fn, args: [] }));
    const report = probeGrader({ dir, calls, limits: { maxRestarts: 2 } });
    expect(report.load).toBeUndefined();
    expect(report.outcomes.map((o) => o.outcome)).toEqual([
      expect.objectContaining({ status: 'returned', value: 1 }),
      { status: 'crashed', message: 'the submission called process.exit(3)', memory: false },
      { status: 'crashed', message: 'the submission called process.exit(4)', memory: false },
      { status: 'crashed', message: 'the submission called process.exit(5)', memory: false },
      {
        status: 'exhausted',
        scope: 'submission',
        crashes: 3,
        last: 'crashed',
        message: 'the submission crashed or timed out 3 times (it is restarted at most 2 times), so its remaining checks were not run',
      },
      expect.objectContaining({ status: 'exhausted', scope: 'submission' }),
      expect.objectContaining({ status: 'exhausted', scope: 'submission' }),
    ]);
    expect(report.stats.starts).toBe(3);
  });
});

describe('Unix sockets of the machine, with each namespace tool this machine has', () => {
  const tools = [
    { kind: 'bwrap' as const, path: '/usr/bin/bwrap' },
    { kind: 'unshare' as const, path: '/usr/bin/unshare' },
  ].filter((tool) => {
    if (!fs.existsSync(tool.path)) return false;
    const [command, ...args] = [...namespaceArgs(tool, [], '/'), process.execPath, '-e', '0'];
    return spawnSync(command, args, { stdio: 'ignore', timeout: 10_000 }).status === 0;
  });

  /** Connects from the sandbox to a Unix socket served by another process (the stand-in grader blocks this one). */
  async function attempt(namespace: { kind: 'bwrap' | 'unshare'; path: string; privateRoot?: boolean }): Promise<{ status: unknown; received: string }> {
    const socketPath = path.join(tempDir('mlgrade-socket-'), 'service.sock');
    const listener = spawn(process.execPath, ['-e', `require('net').createServer((s) => s.on('data', (d) => process.stdout.write(d))).listen(${JSON.stringify(socketPath)}, () => process.stdout.write('ready;'))`], { stdio: ['ignore', 'pipe', 'inherit'] });
    let heard = '';
    listener.stdout!.on('data', (chunk: Buffer) => (heard += chunk.toString()));
    try {
      while (!heard.includes('ready;')) await new Promise((resolve) => setTimeout(resolve, 20));
      const report = probeGrader({
        dir: path.join(HOSTILE, 'unix-socket'),
        namespace,
        calls: [{ fn: 'connectSocket', args: [socketPath] }, { fn: 'mse', args: argsOf('mse') }, { fn: 'socketStatus', args: [] }],
      });
      await new Promise((resolve) => setTimeout(resolve, 200));
      return { status: (report.outcomes[2].outcome as { value?: unknown }).value, received: heard.replace('ready;', '') };
    } finally {
      listener.kill();
    }
  }

  test.each(tools.map((tool) => [tool.kind, tool] as const))('%s: a private root, so the socket path does not exist there', async (_kind, tool) => {
    expect(await attempt(tool)).toEqual({ status: 'ENOENT', received: '' });
  });

  if (tools.some((tool) => tool.kind === 'unshare')) {
    test('unshare without a private root reaches the socket: isolationStatus says so', async () => {
      const weak = { kind: 'unshare' as const, path: '/usr/bin/unshare', privateRoot: false };
      expect(await attempt(weak)).toEqual({ status: 'connected', received: 'hello' });
      expect(isolationStatus(weak)).toMatchObject({ level: 'no-private-root', tool: 'unshare', reasons: [expect.stringMatching(/^no private root file system: submissions can connect to Unix sockets/)] });
    });
  }
});

describe('isolationStatus', () => {
  const statusWith = (env: Record<string, string>) => {
    const run = spawnSync(process.execPath, ['-e', `console.log(JSON.stringify(require(${JSON.stringify(path.join(ROOT, 'dist/src/sandbox/isolation.js'))}).isolationStatus()))`], { env: { ...process.env, ...env }, encoding: 'utf8' });
    return JSON.parse(run.stdout) as ReturnType<typeof isolationStatus>;
  };

  test('without namespaces: none, with the reasons', () => {
    expect(statusWith({ MLGRADE_NO_NETNS: '1' })).toEqual({
      level: 'none',
      tool: null,
      reasons: ['no namespaces: submissions can use the network, signal other processes and connect to Unix sockets of this machine', 'MLGRADE_NO_NETNS=1 turned namespaces off'],
    });
    expect(isolationStatus(null).level).toBe('none');
  });

  test('without bubblewrap (MLGRADE_NO_BWRAP=1): unshare builds the private root, where the machine lets it', () => {
    const status = statusWith({ MLGRADE_NO_BWRAP: '1' });
    if (!fs.existsSync('/usr/bin/unshare')) return;
    expect(status.tool).toBe('unshare');
    expect(['full', 'no-private-root']).toContain(status.level);
    if (status.level === 'no-private-root') expect(status.reasons.join('\n')).toMatch(/unshare could not build a private root/);
  });
});
