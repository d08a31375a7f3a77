/**
 * The sandbox process on its own (compiled from dist/, as the grader uses it): network,
 * environment, limits, restarts and value transport.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { ROOT, tempDir } from '../support/cli';
import type * as SandboxModule from '../../src/sandbox/sandboxProcess';
import type * as StageModule from '../../src/sandbox/stage';
import type * as IsolationModule from '../../src/sandbox/isolation';
import type * as LimitsModule from '../../src/sandbox/limits';

// The child entry is compiled JavaScript: use the build, exactly as grading does.
const { SubmissionSandbox } = require(path.join(ROOT, 'dist/src/sandbox/sandboxProcess.js')) as typeof SandboxModule;
const { stageSubmission } = require(path.join(ROOT, 'dist/src/sandbox/stage.js')) as typeof StageModule;
const { namespaceArgs, namespaceTool } = require(path.join(ROOT, 'dist/src/sandbox/isolation.js')) as typeof IsolationModule;
const { DEFAULT_LIMITS } = require(path.join(ROOT, 'dist/src/sandbox/limits.js')) as typeof LimitsModule;

const HOSTILE = path.join(ROOT, 'test', 'fixtures', 'hostile');

function sandboxFor(source: string | { dir: string }, limits: Partial<typeof DEFAULT_LIMITS> = {}, namespace?: { kind: 'bwrap' | 'unshare'; path: string } | null) {
  let dir: string;
  if (typeof source === 'string') {
    dir = tempDir('mlgrade-sub-');
    fs.writeFileSync(path.join(dir, 'losses.ts'), source);
  } else dir = source.dir;
  const staged = stageSubmission(dir, path.join(tempDir('mlgrade-stage-'), 's'), 'losses');
  if (staged.status !== 'staged') throw new Error(staged.message);
  const resolved = namespace === undefined ? undefined : { namespace, modules: { entries: {}, readDirs: [] } };
  return new SubmissionSandbox({ entry: staged.entry, stageDir: staged.dir, limits: { ...DEFAULT_LIMITS, ...limits }, ...(resolved ? { resolved } : {}) });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('network: no connection leaves the sandbox where a network namespace is available', async () => {
  const server = net.createServer();
  let connections = 0;
  server.on('connection', (socket) => {
    connections += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const box = sandboxFor({ dir: path.join(HOSTILE, 'network-access') });
  try {
    expect(await box.load()).toBeUndefined();
    await box.call('probeNetwork', [port]);
    await sleep(400);
    const status = await box.call('netStatus', []);
    expect(status.status).toBe('returned');
    if (namespaceTool()) {
      expect(box.isolation().network).toBe('namespace');
      expect(connections).toBe(0);
      expect(status.status === 'returned' && status.value).not.toBe('connected');
    } else {
      // Without a namespace the result must say so rather than pretend.
      expect(box.isolation().network).toBe('not-isolated');
    }
  } finally {
    await box.close();
    server.close();
  }
});

test('environment: none of the grader environment reaches the submission', async () => {
  process.env.MLGRADE_SECRET_PROBE = 'x';
  process.env.GITHUB_TOKEN = 'ghp_x';
  const box = sandboxFor({ dir: path.join(HOSTILE, 'reads-env') });
  try {
    const keys = await box.call('envKeys', []);
    expect(keys.status).toBe('returned');
    expect(keys.status === 'returned' && (keys.value as string[]).sort()).toEqual(['LANG', 'TZ']);
  } finally {
    delete process.env.MLGRADE_SECRET_PROBE;
    delete process.env.GITHUB_TOKEN;
    await box.close();
  }
});

test('a timeout kills the process, and the next call runs in a fresh one', async () => {
  const box = sandboxFor('let calls = 0;\nexport function spin(): number { while (true) {} }\nexport function count(): number { return ++calls; }\n', { callTimeoutMs: 300 });
  try {
    expect(await box.call('count', [])).toMatchObject({ status: 'returned', value: 1 });
    expect(await box.call('count', [])).toMatchObject({ status: 'returned', value: 2 });
    expect(await box.call('spin', [])).toEqual({ status: 'timeout', limitMs: 300 });
    // Module state starts over: the process was replaced.
    expect(await box.call('count', [])).toMatchObject({ status: 'returned', value: 1 });
  } finally {
    await box.close();
  }
});

test('a throw names the error and the student line (source maps of the TypeScript)', async () => {
  const box = sandboxFor('\n\nexport function bad(): number {\n  throw new RangeError("nope");\n}\n');
  try {
    const outcome = await box.call('bad', []);
    expect(outcome.status).toBe('threw');
    expect(outcome.status === 'threw' && outcome.error).toMatchObject({ name: 'RangeError', message: 'nope' });
    expect(outcome.status === 'threw' && outcome.error.stack).toMatch(/losses\.ts:4:/);
  } finally {
    await box.close();
  }
});

test("an error naming a file of the submission gives the student's path, never the stage's temporary folder", async () => {
  const box = sandboxFor(
    'import * as fs from "node:fs";\nimport * as path from "node:path";\n' +
      'export function readData(): string {\n  return fs.readFileSync(path.join(__dirname, "data", "nope.json"), "utf8");\n}\n' +
      'export function throwPath(): never {\n  throw `no ${__dirname}/x`;\n}\n',
  );
  try {
    const read = await box.call('readData', []);
    expect(read.status === 'threw' && read.error.message).toBe("ENOENT: no such file or directory, open 'data/nope.json'");
    expect(read.status === 'threw' && read.error.stack).not.toMatch(/mlgrade-stage-/);
    const thrown = await box.call('throwPath', []);
    expect(thrown.status === 'threw' && thrown.error.message).toBe('threw a non-Error value: no x');
  } finally {
    await box.close();
  }
});

test('loading too long is a load timeout, not a hang', async () => {
  const box = sandboxFor('while (true) {}\nexport const x = 1;\n', { loadTimeoutMs: 500 });
  try {
    expect(await box.load()).toMatchObject({ reason: 'timeout', message: expect.stringMatching(/longer than 500 ms/) });
    expect(await box.call('x', [])).toMatchObject({ status: 'not-loaded' });
  } finally {
    await box.close();
  }
});

test('values come back as plain data of the grader realm; inputs modified by the student are reported with echoArgs', async () => {
  const box = sandboxFor('export function grow(a: number[]): number[] { a.push(9); return a.map((x) => x * 2); }\n');
  try {
    const outcome = await box.call('grow', [[1, 2]], { echoArgs: true });
    expect(outcome).toMatchObject({ status: 'returned', value: [2, 4, 18], argsAfter: [[1, 2, 9]] });
  } finally {
    await box.close();
  }
});

test('patched built-ins in the child forge and break no reply (references taken before the submission loads)', async () => {
  const source = [
    "const forged = () => 'forged';",
    'const define = Object.defineProperty;',
    'const patch = (target: object, key: PropertyKey, descriptor: PropertyDescriptor) => { try { define(target, key, { configurable: true, ...descriptor }); } catch { /* frozen */ } };',
    'const g = globalThis as Record<string, unknown>;',
    "for (const [target, keys] of [[JSON, ['stringify', 'parse']], [Reflect, ['apply', 'getOwnPropertyDescriptor', 'ownKeys', 'defineProperty', 'getPrototypeOf']], [Object, ['keys', 'hasOwn', 'defineProperty']], [Math, ['min', 'max', 'abs']], [Array, ['isArray', 'from']], [Array.prototype, ['push', 'join', 'map', 'slice', 'forEach']], [String.prototype, ['slice', 'charCodeAt', 'startsWith']], [Buffer.prototype, ['write', 'utf8Write', 'toString']], [TextEncoder.prototype, ['encode']], [TextDecoder.prototype, ['decode']], [Number.prototype, ['toString']], [performance, ['now']]] as [object, string[]][]) for (const key of keys) patch(target, key, { value: forged, writable: true });",
    "patch(Object.prototype, 'toJSON', { value: forged, writable: true });",
    "patch(Array.prototype, 'toJSON', { value: forged, writable: true });",
    "for (const key of ['0', '1', '2', '3']) patch(Array.prototype, key, { get: forged, set() {} });",
    "for (const key of ['kind', 'path', 'what', 'hint', 'size', 'status', 'description', 'mlgradeSyntax']) patch(Object.prototype, key, { get: forged, set() {} });",
    "patch(Error, Symbol.hasInstance, { value: () => { throw new Error('forged'); } });",
    "patch(Array.prototype, Symbol.iterator, { value: function* () { yield 'forged'; }, writable: true });",
    "g.String = forged; g.RangeError = forged; g.Error = forged;",
    "export function values(): unknown { return [1.5, -0, NaN, Infinity, { a: [1, 2], $b: 'x' }, undefined, null, true, 'é']; }",
    'export function typed(): unknown { return new Float64Array(2); }',
    "export function boom(): number { const e = new TypeError('nope' + 'x'.repeat(5000)); throw e; }",
    'export function mutate(a: number[]): number { a[0] = 42; return a.length; }',
    "export function patched(): boolean[] { return [JSON.stringify === forged, Reflect.apply === forged, Array.prototype.join === forged, TextEncoder.prototype.encode === forged, g.String === forged, ({} as { kind?: string }).kind === 'forged']; }",
  ].join('\n');
  const box = sandboxFor(source);
  try {
    expect(await box.load()).toBeUndefined();
    // The patches took effect in the child's realm.
    expect(await box.call('patched', [])).toMatchObject({ status: 'returned', value: [true, true, true, true, true, true] });
    const values = await box.call('values', []);
    expect(values).toMatchObject({ status: 'returned', value: [1.5, -0, NaN, Infinity, { a: [1, 2], $b: 'x' }, undefined, null, true, 'é'] });
    expect(Object.is((values as { value: unknown[] }).value[1], -0)).toBe(true);
    expect(await box.call('typed', [])).toEqual({ status: 'unsendable', description: 'a Float64Array of length 2 (return a plain array, e.g. Array.from(…))' });
    const boom = await box.call('boom', []);
    expect(boom).toMatchObject({ status: 'threw', error: { name: 'TypeError', message: expect.stringMatching(/^nopex+… \(3004 more characters\)$/) } });
    expect(await box.call('mutate', [[1, 2, 3]], { echoArgs: true })).toMatchObject({ status: 'returned', value: 3, argsAfter: [[42, 2, 3]] });
    expect(box.stats().starts).toBe(1);
  } finally {
    await box.close();
  }
});

test('output is captured and capped per submission', async () => {
  const box = sandboxFor('export function shout(): number { process.stdout.write("x".repeat(5000)); return 1; }\n', { outputBytes: 1000 });
  try {
    for (let i = 0; i < 3; i++) await box.call('shout', []);
    await sleep(100);
    const output = box.output();
    expect(output.text.length).toBe(1000);
    expect(output.bytes).toBe(15000);
    expect(output.truncated).toBe(true);
  } finally {
    await box.close();
  }
});

test('staging skips symlinks and reports them', () => {
  const dir = tempDir('mlgrade-sub-');
  fs.writeFileSync(path.join(dir, 'losses.ts'), 'export const a = 1;\n');
  fs.symlinkSync('/etc/passwd', path.join(dir, 'passwd'));
  const staged = stageSubmission(dir, path.join(tempDir('mlgrade-stage-'), 's'), 'losses');
  expect(staged.status).toBe('staged');
  expect(staged.skipped).toEqual(['passwd (symbolic link: not copied)']);
  expect(fs.existsSync(path.join(staged.status === 'staged' ? staged.dir : '', 'passwd'))).toBe(false);
});

test("every folder and file of a stage is readable by the sandbox's own user, whatever the umask", () => {
  const dir = tempDir('mlgrade-sub-');
  fs.writeFileSync(path.join(dir, 'losses.ts'), 'export const a = 1;\n');
  fs.mkdirSync(path.join(dir, 'lib'));
  fs.writeFileSync(path.join(dir, 'lib', 'data.json'), '[]\n');
  const root = tempDir('mlgrade-stage-');
  const previous = process.umask(0o077);
  try {
    const staged = stageSubmission(dir, path.join(root, 'stage', 's00000'), 'losses');
    expect(staged.status).toBe('staged');
  } finally {
    process.umask(previous);
  }
  const mode = (...parts: string[]) => (fs.statSync(path.join(root, ...parts)).mode & 0o777).toString(8);
  expect([mode('stage'), mode('stage', 's00000'), mode('stage', 's00000', 'lib')]).toEqual(['755', '755', '755']);
  expect([mode('stage', 's00000', 'losses.ts'), mode('stage', 's00000', 'lib', 'data.json')]).toEqual(['644', '644']);
});

test('staging into a folder inside the submission does not copy the stage into itself', () => {
  const dir = tempDir('mlgrade-sub-');
  fs.writeFileSync(path.join(dir, 'losses.ts'), 'export const a = 1;\n');
  fs.mkdirSync(path.join(dir, 'lib'));
  fs.writeFileSync(path.join(dir, 'lib', 'util.ts'), 'export const b = 2;\n');
  const staged = stageSubmission(dir, path.join(dir, 'tmp', 'stage'), 'losses');
  expect(staged.status).toBe('staged');
  expect(fs.existsSync(path.join(dir, 'tmp', 'stage', 'lib', 'util.ts'))).toBe(true);
  expect(fs.existsSync(path.join(dir, 'tmp', 'stage', 'tmp'))).toBe(false);
});

describe('other processes', () => {
  // SIGURG is ignored by default by any process without a handler: if the isolation ever
  // regressed, these attempts would still harm nothing, and the handler here would count them.
  const source = [
    'function attempt(send: () => void): string { try { send(); return "sent"; } catch (e) { return (e as { code?: string }).code ?? "error"; } }',
    'export function signalOthers(graderPid: number): string[] {',
    '  return [String(process.ppid), attempt(() => process.kill(graderPid, "SIGURG")), attempt(() => process.kill(-1, "SIGURG")), attempt(() => process.kill(0, "SIGURG"))];',
    '}',
  ].join('\n');

  test('are out of reach: no signal from the submission gets to the grader (PID namespace, own process group)', async () => {
    // A stand-in for the grader and its siblings: a process in this test's process group that
    // counts the SIGURGs it receives (jest's own \`process\` object cannot listen for signals).
    const sentinel = spawn(process.execPath, ['-e', "process.on('SIGURG', () => process.stdout.write('x')); process.stdout.write('ready'); setInterval(() => {}, 1000);"], { stdio: ['ignore', 'pipe', 'inherit'] });
    let heard = '';
    await new Promise<void>((resolve) => sentinel.stdout!.on('data', (chunk: Buffer) => {
      heard += chunk.toString();
      if (heard.includes('ready')) resolve();
    }));
    const box = sandboxFor(source);
    try {
      const outcome = await box.call('signalOthers', [sentinel.pid]);
      expect(outcome.status).toBe('returned');
      await sleep(300);
      // By pid, to every process it may signal (-1), to its process group (0): none arrives.
      expect(heard.replace('ready', '')).toBe('');
      if (box.isolation().processes === 'namespace') {
        const [ppid, byPid, everyone] = outcome.status === 'returned' ? (outcome.value as string[]) : [];
        expect(ppid).toBe('0'); // its parent is outside its namespace
        expect(byPid).toBe('ESRCH'); // the grader's pid means nothing there
        expect(everyone).toBe('ESRCH'); // nothing else exists there
      }
    } finally {
      sentinel.kill();
      await box.close();
    }
  });
});

test("Unix sockets of the machine are out of reach (a private root file system, where bwrap is available)", async () => {
  const dir = tempDir('mlgrade-socket-');
  const socketPath = path.join(dir, 'service.sock');
  let received = '';
  const server = net.createServer((socket) => socket.on('data', (chunk) => (received += chunk.toString())));
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  const box = sandboxFor(
    [
      'import * as net from "node:net";',
      'let state = "pending";',
      'export function connect(to: string): string { const s = net.connect(to); s.on("connect", () => { state = "connected"; s.write("hello"); }); s.on("error", (e) => { state = (e as { code?: string }).code ?? "error"; }); return "started"; }',
      'export function status(): string { return state; }',
    ].join('\n'),
  );
  try {
    expect(await box.call('connect', [socketPath])).toMatchObject({ status: 'returned' });
    await sleep(300);
    const status = await box.call('status', []);
    if (box.isolation().filesystem === 'private-root') {
      expect(status).toMatchObject({ status: 'returned', value: 'ENOENT' });
      expect(received).toBe('');
    } else {
      // Without bwrap the permission model does not cover Unix sockets: results must say so.
      expect(box.isolation().filesystem).toBe('host');
    }
  } finally {
    await box.close();
    server.close();
  }
});

describe('planned calls', () => {
  const source = [
    'let calls = 0;',
    'export function count(): number { return ++calls; }',
    'export function twice(a: number[]): number[] { const out = a.map((x) => 2 * x); a.length = 0; return out; }',
    'export function sum(a: number[]): number { return a.reduce((s, x) => s + x, 0); }',
    'export function spin(): number { while (true) {} }',
    'export function shout(): number { console.log("hello"); return 1; }',
  ].join('\n');

  test('go to the sandbox in one request and are answered by identity of the argument list', async () => {
    const box = sandboxFor(source);
    const shared = [1, 2, 3];
    // The same inner array in two argument lists: each call must still get its own copy.
    const twiceArgs = [shared];
    const sumArgs = [shared];
    const countArgs: unknown[] = [];
    box.planCalls([{ fn: 'twice', args: twiceArgs }, { fn: 'sum', args: sumArgs }, { fn: 'sum', argsList: [[[1]], [[2]]] }, { fn: 'count', args: countArgs }]);
    try {
      expect(await box.call('twice', twiceArgs)).toMatchObject({ status: 'returned', value: [2, 4, 6] });
      // twice emptied its copy of the array: sum got its own, unmodified one.
      expect(await box.call('sum', sumArgs)).toMatchObject({ status: 'returned', value: 6 });
      expect(box.stats()).toEqual({ starts: 1, requests: 2 }); // load, then the batch
      // An equal argument list that is another object was not planned: it runs on its own.
      expect(await box.call('sum', [shared])).toMatchObject({ status: 'returned', value: 6 });
      expect(box.stats().requests).toBe(3);
      // Planned calls ran in the order planned, before any other: count was 1 there, 2 now.
      expect(await box.call('count', countArgs)).toMatchObject({ status: 'returned', value: 1 });
      expect(await box.call('count', countArgs)).toMatchObject({ status: 'returned', value: 2 });
    } finally {
      await box.close();
    }
  });

  test('each answer is the value as it was returned, even if a later call of the batch changes it', async () => {
    // A common "optimisation": one output array reused by every call.
    const box = sandboxFor('const out: number[] = [];\nexport function double(a: number[]): number[] { out.length = 0; for (const x of a) out.push(2 * x); return out; }\nexport function grow(a: number[]): number { a.push(0); (globalThis as { kept?: number[] }).kept = a; return 0; }\nexport function touch(): number { (globalThis as { kept?: number[] }).kept!.push(1); return 0; }\n');
    const first = [[1, 2]];
    const second = [[5]];
    const grown = [[7]];
    const touched: unknown[] = [];
    box.planCalls([{ fn: 'double', args: first }, { fn: 'double', args: second }, { fn: 'grow', args: grown, echoArgs: true }, { fn: 'touch', args: touched }]);
    try {
      expect(await box.call('double', first)).toMatchObject({ status: 'returned', value: [2, 4] });
      expect(await box.call('double', second)).toMatchObject({ status: 'returned', value: [10] });
      // The arguments as grow left them, not as touch (a later call) changed them afterwards.
      expect(await box.call('grow', grown, { echoArgs: true })).toMatchObject({ status: 'returned', argsAfter: [[7, 0]] });
    } finally {
      await box.close();
    }
  });

  test('a batch that runs out of time falls back to one call at a time: same outcomes, no restart counted, output once', async () => {
    const box = sandboxFor(source, { callTimeoutMs: 300, maxRestarts: 1 });
    const countArgs: unknown[] = [];
    const spinArgs: unknown[] = [];
    const shoutArgs: unknown[] = [];
    const afterArgs: unknown[] = [];
    box.planCalls([{ fn: 'count', args: countArgs }, { fn: 'shout', args: shoutArgs }, { fn: 'spin', args: spinArgs }, { fn: 'count', args: afterArgs }]);
    try {
      expect(await box.call('count', countArgs)).toMatchObject({ status: 'returned', value: 1 });
      expect(await box.call('shout', shoutArgs)).toMatchObject({ status: 'returned', value: 1 });
      expect(await box.call('spin', spinArgs)).toEqual({ status: 'timeout', limitMs: 300 });
      // After the time-out the process was replaced (the one restart allowed): state starts over.
      expect(await box.call('count', afterArgs)).toMatchObject({ status: 'returned', value: 1 });
      await sleep(100);
      expect(box.output().text.match(/hello/g)).toHaveLength(1);
      // The batch's process, the fallback's and the one after the time-out.
      expect(box.stats().starts).toBe(3);
    } finally {
      await box.close();
    }
  });
});

describe('each namespace tool this machine has', () => {
  // mlgrade uses bwrap where it works and falls back to unshare: both paths must hold up.
  // The tools that start node here (user namespaces may be switched off, bwrap not installed).
  const available = [
    { kind: 'bwrap' as const, path: '/usr/bin/bwrap' },
    { kind: 'unshare' as const, path: '/usr/bin/unshare' },
  ].filter((tool) => {
    if (!fs.existsSync(tool.path)) return false;
    const [command, ...args] = [...namespaceArgs(tool, [], '/'), process.execPath, '-e', '0'];
    return spawnSync(command, args, { stdio: 'ignore', timeout: 10_000 }).status === 0;
  });
  const source = [
    'export function spin(): number { while (true) {} }',
    'export function who(): [number, number] { return [process.pid, process.ppid]; }',
  ].join('\n');

  if (!available.length) {
    test('none works here: results say nothing is isolated', () => {
      expect(sandboxFor('export const x = 1;\n', {}, null).isolation()).toMatchObject({ network: 'not-isolated', processes: 'not-isolated', filesystem: 'host' });
    });
    return;
  }

  test.each(available.map((tool) => [tool.kind, tool] as const))('%s: CPU time limit on node itself, alone in its PID namespace, isolation reported', async (kind, tool) => {
    const box = sandboxFor(source, { callTimeoutMs: 300 }, tool);
    try {
      expect(await box.call('who', [])).toMatchObject({ status: 'returned', value: [1, 0] });
      expect(await box.call('spin', [])).toEqual({ status: 'timeout', limitMs: 300 });
      // Stopped by the CPU-time limit (node's own pid was found under the tool), not by the
      // active-time backstop of 3 × 300 ms + 1 s (a spinning process is active only while it
      // has a CPU, so its active time stays near its CPU time however busy the machine is).
      expect(box.usage().cpuMs).toBeGreaterThanOrEqual(300);
      expect(box.usage().activeMs).toBeLessThan(1900);
      // unshare builds the private root itself (mount namespace, tmpfs, pivot_root).
      expect(box.isolation()).toMatchObject({ network: 'namespace', processes: 'namespace', filesystem: 'private-root' });
    } finally {
      await box.close();
    }
  });

  test.each(available.map((tool) => [tool.kind, tool] as const))('%s: the sandbox dies with the grader, even in the middle of an endless loop', async (_kind, tool) => {
    const dir = tempDir('mlgrade-orphan-');
    fs.writeFileSync(path.join(dir, 'losses.ts'), 'export function spin(): number { while (true) {} }\n');
    const stage = path.join(tempDir('mlgrade-orphan-stage-'), tool.kind);
    // A stand-in grader: starts a sandbox spinning without end, then is killed outright.
    const script = path.join(dir, 'grader.js');
    fs.writeFileSync(
      script,
      `const { SubmissionSandbox } = require(${JSON.stringify(path.join(ROOT, 'dist/src/sandbox/sandboxProcess.js'))});
const { stageSubmission } = require(${JSON.stringify(path.join(ROOT, 'dist/src/sandbox/stage.js'))});
const { DEFAULT_LIMITS } = require(${JSON.stringify(path.join(ROOT, 'dist/src/sandbox/limits.js'))});
const staged = stageSubmission(${JSON.stringify(dir)}, ${JSON.stringify(stage)}, 'losses');
const box = new SubmissionSandbox({ entry: staged.entry, stageDir: staged.dir, limits: { ...DEFAULT_LIMITS, callTimeoutMs: 60000 }, resolved: { namespace: ${JSON.stringify(tool)}, modules: { entries: {}, readDirs: [] } } });
box.call('spin', []);
setTimeout(() => process.kill(process.pid, 'SIGKILL'), 1500);
`,
    );
    const grader = spawnSync(process.execPath, [script], { timeout: 30_000 });
    expect(grader.stderr.toString()).toBe('');
    expect(grader.signal).toBe('SIGKILL');
    const survivors = () =>
      fs.readdirSync('/proc').filter((pid) => {
        try {
          return /^\d+$/.test(pid) && fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(stage);
        } catch {
          return false;
        }
      });
    for (let waited = 0; waited < 3000 && survivors().length; waited += 100) await sleep(100);
    expect(survivors()).toEqual([]);
  });
});
