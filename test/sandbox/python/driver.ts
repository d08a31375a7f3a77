/**
 * A minimal driver for runner.py, for these tests only (the engine's SubmissionSandbox will own
 * the real one): spawns the sandbox command with the protocol on fd 3/4, frames requests,
 * unframes replies, and translates values between JavaScript and the wire.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { probePythonSandbox, pythonSandboxCommand, type PythonSandboxOptions, type PythonSandboxProbe } from '../../../src/sandbox/python/command';
import type { PythonInit, PythonRunnerMessage } from '../../../src/sandbox/python/messages';

/** What a request got: a message, or the process ended first. */
export type Answer = PythonRunnerMessage | { type: 'died'; code: number | null; signal: NodeJS.Signals | null };

/** 4-byte big-endian length + UTF-8 JSON. */
export function frame(message: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(message), 'utf8');
  const header = Buffer.alloc(4);
  header.writeUInt32BE(body.length, 0);
  return Buffer.concat([header, body]);
}

/** Splits a byte stream into frames; rejects a frame longer than `cap` before reading its body. */
export class FrameReader {
  private buffer = Buffer.alloc(0);
  constructor(private readonly cap = 64 * 1024 * 1024) {}

  push(chunk: Buffer): { message: unknown; bytes: number }[] {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    const messages: { message: unknown; bytes: number }[] = [];
    while (this.buffer.length >= 4) {
      const length = this.buffer.readUInt32BE(0);
      if (length > this.cap) throw new Error(`frame of ${length} bytes is over the cap`);
      if (this.buffer.length < 4 + length) break;
      messages.push({ message: JSON.parse(this.buffer.subarray(4, 4 + length).toString('utf8')), bytes: length });
      this.buffer = this.buffer.subarray(4 + length);
    }
    return messages;
  }
}

/** Every runner started and not yet ended: {@link removeStages} kills them, so a failed test leaves no process behind. */
const live = new Set<RunnerProcess>();

export class RunnerProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly messages: PythonRunnerMessage[] = [];
  /** Byte lengths of the frames received, in order. */
  readonly frameBytes: number[] = [];
  stdout = '';
  stderr = '';
  private waiting: ((answer: Answer) => void)[] = [];
  private queue: PythonRunnerMessage[] = [];
  private ended?: { code: number | null; signal: NodeJS.Signals | null };

  /** `env`: what the grader passes to spawn (the sandbox clears it anyway; tests pass secrets to show that). */
  constructor(argv: readonly string[], env: NodeJS.ProcessEnv = {}) {
    const [program, ...args] = argv;
    this.child = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe', 'pipe', 'pipe'], env, detached: true });
    live.add(this);
    this.child.stdout!.on('data', (chunk: Buffer) => (this.stdout += chunk.toString('utf8')));
    this.child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString('utf8')));
    const reader = new FrameReader();
    const replies = this.child.stdio[4] as Readable;
    replies.on('data', (chunk: Buffer) => {
      for (const { message, bytes } of reader.push(chunk)) {
        this.frameBytes.push(bytes);
        this.deliver(message as PythonRunnerMessage);
      }
    });
    replies.on('error', () => undefined);
    (this.child.stdio[3] as Writable).on('error', () => undefined);
    this.exited = new Promise((resolve) => {
      let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
      let closed = 0;
      const done = () => {
        if (exit && closed === 3) {
          this.ended = exit;
          live.delete(this);
          for (const waiter of this.waiting.splice(0)) waiter({ type: 'died', ...exit });
          resolve(exit);
        }
      };
      this.child.on('exit', (code, signal) => {
        exit = { code, signal };
        done();
      });
      for (const stream of [this.child.stdout!, this.child.stderr!, replies]) {
        stream.on('close', () => {
          closed += 1;
          done();
        });
      }
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  send(message: unknown): void {
    (this.child.stdio[3] as Writable).write(frame(message));
  }

  /** The next message, or 'died' once the process has ended and its pipes are drained. */
  next(timeoutMs = 30_000): Promise<Answer> {
    const queued = this.queue.shift();
    if (queued) return Promise.resolve(queued);
    if (this.ended) return Promise.resolve({ type: 'died', ...this.ended });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms; stderr: ${this.stderr.slice(-500)}`)), timeoutMs);
      this.waiting.push((answer) => {
        clearTimeout(timer);
        resolve(answer);
      });
    });
  }

  request(message: unknown, timeoutMs?: number): Promise<Answer> {
    this.send(message);
    return this.next(timeoutMs);
  }

  /** Closes the request pipe (the runner exits 0 on end of input) and waits for the end. */
  async close(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    (this.child.stdio[3] as Writable).end();
    const timer = setTimeout(() => this.kill(), 5000);
    const result = await this.exited;
    clearTimeout(timer);
    return result;
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  private deliver(message: PythonRunnerMessage): void {
    this.messages.push(message);
    const waiter = this.waiting.shift();
    if (waiter) waiter(message);
    else this.queue.push(message);
  }
}

// ---------------------------------------------------------------------------------------------
// Values: JavaScript ↔ wire (PROTOCOL.md), for the tests.
// ---------------------------------------------------------------------------------------------

/** A value the runner described instead of sending. */
export class Foreign {
  constructor(readonly description: string) {}
}

/** An empty NumPy array whose shape nested lists cannot carry (`{"$nd": [0, 3]}`). */
export class EmptyArray {
  constructor(readonly shape: number[]) {}
}

/** An argument for the wire: special doubles tagged, `$` keys escaped, undefined tagged. */
export function toWire(value: unknown): unknown {
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return { $f: 'NaN' };
    if (value === Infinity) return { $f: 'Infinity' };
    if (value === -Infinity) return { $f: '-Infinity' };
    if (Object.is(value, -0)) return { $f: '-0' };
    return value;
  }
  if (value === undefined) return { $u: 1 };
  if (value instanceof EmptyArray) return { $nd: value.shape };
  if (Array.isArray(value)) return value.map(toWire);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.startsWith('$') ? `$${k}` : k, toWire(v)]));
  }
  return value;
}

const SPECIALS: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity, '-0': -0 };

/** A value from the wire. */
export function fromWire(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(fromWire);
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    if (keys.length === 1 && keys[0] === '$f') return SPECIALS[String(record.$f)];
    if (keys.length === 1 && keys[0] === '$nd') return new EmptyArray(record.$nd as number[]);
    if (keys.length === 1 && keys[0] === '$desc') return new Foreign(String(record.$desc));
    if (keys.length === 1 && keys[0] === '$u') return undefined;
    return Object.fromEntries(keys.map((k) => [k.startsWith('$$') ? k.slice(1) : k, fromWire(record[k])]));
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// Staging and starting.
// ---------------------------------------------------------------------------------------------

const made: string[] = [];

/** A world-readable temporary folder holding `files` (the sandbox runs as another uid when the tests run as root). */
export function stageFiles(files: Record<string, string | Buffer>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlgrade-pytest-'));
  fs.chmodSync(dir, 0o755);
  made.push(dir);
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o755 });
    fs.writeFileSync(file, content, { mode: 0o644 });
  }
  return dir;
}

/** Kills every runner still running and removes every folder {@link stageFiles} made. */
export function removeStages(): void {
  for (const runner of live) runner.kill();
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

let probe: PythonSandboxProbe | undefined;

/** The probe, once; logs why sandbox tests are skipped. */
export function sandboxProbe(): PythonSandboxProbe {
  if (!probe) {
    probe = probePythonSandbox({});
    if (probe.status !== 'available') {
      // Shown once per test file: the Python sandbox tests are skipped, not passed.
      console.warn(`Python sandbox tests skipped: ${probe.reason}`);
    }
  }
  return probe;
}

/** `describe` when the Python sandbox works here, else `describe.skip`. */
export function describeSandboxed(name: string, body: () => void): void {
  (sandboxProbe().status === 'available' ? describe : describe.skip)(name, body);
}

export interface Started {
  runner: RunnerProcess;
  /** The answer to init. */
  loaded: Answer;
}

/** Stages `files`, starts the sandboxed runner and sends init for `entry`. */
export async function startSubmission(
  files: Record<string, string | Buffer>,
  entry: string,
  names: Record<string, string>,
  options: { init?: Partial<PythonInit>; sandbox?: Partial<PythonSandboxOptions>; stageDir?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<Started> {
  const allowedModules = options.sandbox?.allowedModules;
  const found = allowedModules?.length ? probePythonSandbox({ allowedModules }) : sandboxProbe();
  if (found.status !== 'available') throw new Error(`Python sandbox unavailable: ${found.reason}`);
  const stageDir = options.stageDir ?? stageFiles(files);
  const command = pythonSandboxCommand({ stageDir, ...options.sandbox }, found.installation, found.tools);
  const runner = new RunnerProcess(command.argv, options.env);
  const loaded = await runner.request({ type: 'init', entry: command.entryPath(entry), names, stageDir: '/stage', ...options.init });
  return { runner, loaded };
}

/** One call, answered: the decoded reply of a one-call batch. */
export async function callOnce(runner: RunnerProcess, fn: string, args: unknown[], echoArgs = false): Promise<Record<string, unknown>> {
  const answer = await runner.request({ type: 'callBatch', id: 1, calls: [{ fn, args: args.map(toWire), echoArgs }] });
  if (answer.type !== 'results') throw new Error(`expected results, got ${JSON.stringify(answer)}`);
  return answer.replies[0] as unknown as Record<string, unknown>;
}
