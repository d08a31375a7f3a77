/**
 * The only code in mlgrade that starts student code. One `SubmissionSandbox` owns one staged
 * submission and (re)starts a locked-down child process for it:
 *  - Node permission model: reads limited to the child entry, the stage and allowed packages;
 *    no writes, no child processes, no workers, no native addons;
 *  - a new network namespace (`unshare -rn`) where the OS allows it;
 *  - a scrubbed environment; V8 heap limit plus a resident-memory watchdog;
 *  - a wall-clock limit per call (the process is killed and replaced on the next call);
 *  - captured, capped stdout/stderr.
 * Values come back v8-serialised and are deserialised here, so the grader only ever compares
 * plain data created in its own realm.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CapturedOutput, IsolationReport } from '../types';
import { RSS_HEADROOM_MB, type SandboxLimits } from './limits';
import { resolveAllowedModules, type AllowedModules } from './modules';
import { cpuLimitToolPath, namespaceArgs, namespaceTool, permissionFlag, type NamespaceTool } from './isolation';
import type { CallReply, ChildMessage, ParentMessage, ThrownError } from './protocol';

/** Why the submission could not be loaded. */
export type LoadFailure =
  | { reason: 'syntax'; message: string }
  | { reason: 'threw'; message: string; error: ThrownError }
  | { reason: 'exited'; message: string }
  | { reason: 'timeout'; message: string }
  | { reason: 'crashed'; message: string };

/** What one call of a student function produced. */
export type CallOutcome =
  | { status: 'returned'; value: unknown; ms: number; /** With `echoArgs`: the arguments as the function left them. */ argsAfter?: unknown }
  | { status: 'threw'; error: ThrownError }
  | { status: 'unsendable'; description: string }
  | { status: 'missing'; exportName: string; kind: string; available: string[] }
  | { status: 'timeout'; limitMs: number }
  | { status: 'crashed'; message: string; memory: boolean }
  | { status: 'not-loaded'; failure: LoadFailure };

/**
 * A call a grading suite knows it will make. Planned calls go to the sandbox together, in one
 * round trip, before the first call is answered; later calls with the same function and the
 * same argument list object are answered from those results.
 */
export type PlannedCall = { fn: string; args: unknown[]; echoArgs?: boolean } | { fn: string; argsList: unknown[][] };

export interface SandboxOptions {
  /** Absolute path of the staged entry file. */
  entry: string;
  /** The staged folder (the only student folder the child may read). */
  stageDir: string;
  limits: SandboxLimits;
  /** Bare module names the submission may import. */
  allowedModules?: readonly string[];
  /**
   * Resolved once by the caller for a whole batch (each probe costs a process start):
   * the `unshare` path or null, and the allowed modules' entries and folders.
   */
  resolved?: { namespace: NamespaceTool | null; modules: AllowedModules };
}

const CHILD_ENTRY = path.join(__dirname, 'child.js');

/**
 * Resolves when `child` has exited and its stdout and stderr are closed. (Not its 'close' event:
 * that one never comes once the parent has disconnected the IPC channel itself.)
 */
function endOf(child: ChildProcess): Promise<void> {
  const event = (emitter: NodeJS.EventEmitter | null, name: string) => new Promise<void>((resolve) => (emitter ? emitter.once(name, () => resolve()) : resolve()));
  return Promise.all([event(child, 'exit'), event(child.stdout, 'close'), event(child.stderr, 'close')]).then(() => undefined);
}

/** How long close() waits for a child to exit on its own before killing it. */
const CLOSE_GRACE_MS = 500;

/** What a request resolves with when the child process ended instead of answering. */
type Died = { type: 'died'; code: number | null; signal: NodeJS.Signals | null };

type Pending = {
  resolve: (message: ChildMessage | Died) => void;
};

interface Running {
  child: ChildProcess;
  /**
   * The pid of node itself, for /proc: under bwrap or unshare the spawned process is the tool,
   * and node is the end of its chain of only children (found once it exists).
   */
  nodePid?: number;
  /** True when node runs under bwrap or unshare (so `child.pid` is the tool's). */
  forked: boolean;
  exports: Record<string, string>;
  exitCalled?: number;
  killedFor?: 'timeout' | 'memory';
  stderrTail: string;
  /** Largest resident size seen by the watchdog (MB). */
  peakRssMb: number;
  /** Resolves when the process has exited and its stdio streams are closed. */
  closed: Promise<void>;
  pending?: Pending;
  exited: boolean;
  watchdog?: NodeJS.Timeout;
}

/** Where the child died, in words for the student. */
function deathMessage(running: Running, code: number | null, signal: NodeJS.Signals | null, limits: SandboxLimits): { message: string; memory: boolean } {
  if (running.killedFor === 'memory' || /heap limit|Allocation failed|out of memory|Invalid array length|Array buffer allocation failed/i.test(running.stderrTail) || signal === 'SIGABRT' || code === 134) {
    return { message: `the memory limit (${limits.memoryMb} MB) was hit, so the process was stopped`, memory: true };
  }
  if (running.exitCalled !== undefined) return { message: `the submission called process.exit(${running.exitCalled})`, memory: false };
  return { message: `the process ended unexpectedly (${signal ? `signal ${signal}` : `exit code ${code}`})`, memory: false };
}

export class SubmissionSandbox {
  private running?: Running;
  private loadFailure?: LoadFailure;
  private restarts = 0;
  private nextId = 1;
  private queue: Promise<unknown> = Promise.resolve();
  private captured: Buffer[] = [];
  private capturedBytes = 0;
  private totalBytes = 0;
  private readonly namespace: NamespaceTool | null;
  private readonly modules: AllowedModules;
  private lastExports: Record<string, string> = {};
  private plan: PlannedCall[] = [];
  /** The next start replaces a process stopped by a failed planned batch: not a restart. */
  private freeRestart = false;
  private starts = 0;
  private requests = 0;
  /** Outcomes of planned calls, by the identity of their argument list, not yet handed out. */
  private planned = new Map<unknown, { fn: string; echoArgs: boolean; outcome: CallOutcome | CallOutcome[] }[]>();

  constructor(private readonly options: SandboxOptions) {
    this.namespace = options.resolved ? options.resolved.namespace : namespaceTool();
    this.modules = options.resolved ? options.resolved.modules : resolveAllowedModules(options.allowedModules);
  }

  /** Which isolation layers this sandbox applies. */
  isolation(): IsolationReport {
    return {
      process: 'child-process',
      permissionModel: true,
      network: this.namespace ? 'namespace' : 'not-isolated',
      processes: this.namespace ? 'namespace' : 'not-isolated',
      filesystem: this.namespace?.kind === 'bwrap' ? 'private-root' : 'host',
      memoryLimitMb: this.options.limits.memoryMb,
      callTimeoutMs: this.options.limits.callTimeoutMs,
      scrubbedEnv: true,
    };
  }

  /** How many processes were started and how many requests (load, call, batch) were sent. */
  stats(): { starts: number; requests: number } {
    return { starts: this.starts, requests: this.requests };
  }

  /** stdout+stderr of every process of this submission so far, capped. */
  output(): CapturedOutput {
    const text = Buffer.concat(this.captured).toString('utf8');
    return { text, bytes: this.totalBytes, truncated: this.totalBytes > this.capturedBytes };
  }

  /** Export names and their `typeof`, once loaded. */
  exports(): Record<string, string> {
    return { ...this.lastExports };
  }

  /** Loads the submission (idempotent). Resolves to undefined, or the reason it cannot load. */
  load(): Promise<LoadFailure | undefined> {
    return this.serial(() => this.ensureLoaded());
  }

  /**
   * Announces calls that will be made (see {@link PlannedCall}); they run, in this order and in
   * one round trip, when the first call or callMany arrives. When that batch does not complete
   * (time limit, crash, process.exit), its partial results are dropped, the process is replaced
   * without counting as a restart, and every call runs on its own as if nothing was planned:
   * outcomes never depend on planning, only the number of round trips does.
   */
  planCalls(calls: readonly PlannedCall[]): void {
    this.plan.push(...calls);
  }

  /**
   * Calls `fn(...args)` in the sandbox. With `echoArgs`, the outcome also carries the arguments
   * as the function left them (to detect a function that modifies its inputs).
   */
  call(fn: string, args: unknown[], options: { echoArgs?: boolean } = {}): Promise<CallOutcome> {
    return this.serial(async () => {
      await this.runPlan();
      const planned = this.takePlanned(args, fn, options.echoArgs === true);
      if (planned) return planned as CallOutcome;
      const ready = await this.ready(fn);
      if (ready) return ready;
      const sent = await this.sendCalls([{ fn, args, echoArgs: options.echoArgs }], this.options.limits.callTimeoutMs);
      return 'replies' in sent ? this.fromReply(sent.replies[0]) : this.failureOutcome(sent.failed);
    });
  }

  /**
   * Calls `fn` once per argument list in one round trip (finite differences need many calls).
   * The time limit scales with the number of calls. All-or-nothing: a failure ends the batch.
   */
  callMany(fn: string, argsList: unknown[][]): Promise<CallOutcome[]> {
    return this.serial(async () => {
      await this.runPlan();
      const planned = this.takePlanned(argsList, fn, false);
      if (planned) return planned as CallOutcome[];
      const ready = await this.ready(fn);
      if (ready) return [ready];
      const limit = this.options.limits.callTimeoutMs * Math.max(1, Math.ceil(argsList.length / 10));
      const sent = await this.sendCalls(argsList.map((args) => ({ fn, args })), limit);
      return 'replies' in sent ? sent.replies.map((reply) => this.fromReply(reply)) : [this.failureOutcome(sent.failed, limit)];
    });
  }

  /**
   * Ends the child process and waits until it has exited and its pipes are closed. The child
   * is asked first (closing the IPC channel makes it exit, and `unshare` with it, so each
   * process is reaped by its own parent and its CPU time is accounted to the grader's process
   * tree); one that has not ended within half a second is killed.
   */
  async close(): Promise<void> {
    await this.queue.catch(() => undefined);
    const running = this.running;
    if (running && !running.exited && running.child.connected) {
      running.child.disconnect();
      let timer: NodeJS.Timeout | undefined;
      const ended = await Promise.race([running.closed.then(() => true), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), CLOSE_GRACE_MS)))]);
      clearTimeout(timer);
      if (!ended) this.kill();
    }
    this.kill();
    if (running) await running.closed;
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Sends `calls` in one request (the child copies each call's arguments, so calls never share
   * an object) and resolves with one reply per call, or with whatever came instead.
   */
  private async sendCalls(calls: readonly { fn: string; args: unknown[]; echoArgs?: boolean }[], limitMs: number): Promise<{ replies: CallReply[] } | { failed: ChildMessage | Died }> {
    const id = this.nextId++;
    const answer = await this.request({ type: 'callBatch', id, calls: calls.map((call) => ({ fn: call.fn, args: call.args, ...(call.echoArgs ? { echoArgs: true } : {}) })) }, limitMs);
    if (answer.type === 'results' && answer.id === id && Array.isArray(answer.replies) && answer.replies.length === calls.length) return { replies: answer.replies };
    return { failed: answer };
  }

  private takePlanned(key: unknown, fn: string, echoArgs: boolean): CallOutcome | CallOutcome[] | undefined {
    const entries = this.planned.get(key);
    const index = entries?.findIndex((entry) => entry.fn === fn && entry.echoArgs === echoArgs) ?? -1;
    if (!entries || index < 0) return undefined;
    const [entry] = entries.splice(index, 1);
    if (!entries.length) this.planned.delete(key);
    return entry.outcome;
  }

  /** Sends the planned calls (once); see {@link planCalls}. */
  private async runPlan(): Promise<void> {
    if (!this.plan.length) return;
    const plan = this.plan;
    this.plan = [];
    if (await this.ensureLoaded()) return;
    // Calls of missing exports are answered by call() itself, with the available names.
    const runnable = plan.filter((call) => this.lastExports[call.fn] === 'function');
    const flat = runnable.flatMap((call): { fn: string; args: unknown[]; echoArgs?: boolean }[] => ('argsList' in call ? call.argsList.map((args) => ({ fn: call.fn, args })) : [{ fn: call.fn, args: call.args, echoArgs: call.echoArgs }]));
    if (!flat.length) return;
    const capturedBefore = { chunks: this.captured.length, bytes: this.capturedBytes, total: this.totalBytes };
    const sent = await this.sendCalls(flat, this.options.limits.callTimeoutMs);
    if (!('replies' in sent)) {
      // Run everything again one call at a time, from a fresh process and without this batch's output.
      const old = this.running;
      this.kill();
      if (old) await old.closed;
      this.freeRestart = true;
      this.captured.length = capturedBefore.chunks;
      this.capturedBytes = capturedBefore.bytes;
      this.totalBytes = capturedBefore.total;
      return;
    }
    let next = 0;
    for (const call of runnable) {
      const outcome = 'argsList' in call ? call.argsList.map(() => this.fromReply(sent.replies[next++])) : this.fromReply(sent.replies[next++]);
      const key = 'argsList' in call ? call.argsList : call.args;
      const entries = this.planned.get(key) ?? [];
      entries.push({ fn: call.fn, echoArgs: 'argsList' in call ? false : call.echoArgs === true, outcome });
      this.planned.set(key, entries);
    }
  }

  private async ready(fn: string): Promise<CallOutcome | undefined> {
    const failure = await this.ensureLoaded();
    if (failure) return { status: 'not-loaded', failure };
    const kind = this.lastExports[fn];
    if (kind !== 'function') {
      return { status: 'missing', exportName: fn, kind: kind ?? 'undefined', available: Object.keys(this.lastExports).sort() };
    }
    return undefined;
  }

  private fromReply(reply: CallReply): CallOutcome {
    if (!reply || typeof reply !== 'object') return { status: 'crashed', message: 'the sandbox sent a malformed reply', memory: false };
    if (reply.ok === true) {
      // Deserialised with the IPC message, in this realm.
      return { status: 'returned', value: reply.value, ms: Number(reply.ms) || 0, ...('argsAfter' in reply ? { argsAfter: reply.argsAfter } : {}) };
    }
    if ('unsendable' in reply) return { status: 'unsendable', description: String(reply.unsendable?.description ?? 'an unknown value') };
    const thrown = reply.thrown ?? { name: 'Error', message: 'unknown error' };
    return { status: 'threw', error: { name: String(thrown.name), message: String(thrown.message), stack: thrown.stack ? String(thrown.stack) : undefined, code: thrown.code ? String(thrown.code) : undefined } };
  }

  private failureOutcome(answer: ChildMessage | Died, limitMs = this.options.limits.callTimeoutMs): CallOutcome {
    const running = this.running;
    if (answer.type === 'died' && running) {
      this.running = undefined;
      // A process stopped for time while its memory sat at the heap limit was thrashing the
      // garbage collector on its way to an out-of-memory abort: report the cause, not the symptom.
      if (running.killedFor === 'timeout' && running.peakRssMb < this.options.limits.memoryMb) return { status: 'timeout', limitMs };
      if (running.killedFor === 'timeout') running.killedFor = 'memory';
      const death = deathMessage(running, answer.code, answer.signal, this.options.limits);
      return { status: 'crashed', message: death.message, memory: death.memory };
    }
    this.kill();
    return { status: 'crashed', message: 'the sandbox answered out of turn (the submission wrote to the grader channel)', memory: false };
  }

  private async ensureLoaded(): Promise<LoadFailure | undefined> {
    if (this.loadFailure) return this.loadFailure;
    if (this.running && !this.running.exited) return undefined;
    if (this.restarts > this.options.limits.maxRestarts) {
      return { reason: 'crashed', message: `the submission was restarted ${this.options.limits.maxRestarts} times after crashes or time-outs; grading of the remaining tests stopped` };
    }
    if (this.freeRestart) this.freeRestart = false;
    else if (this.running || this.nextId > 1) this.restarts += 1;
    const running = this.start();
    const answer = await this.request({ type: 'init', entry: this.options.entry, modules: this.modules.entries }, this.options.limits.loadTimeoutMs);
    if (answer.type === 'loaded') {
      running.exports = answer.exports && typeof answer.exports === 'object' ? { ...answer.exports } : {};
      this.lastExports = running.exports;
      return undefined;
    }
    let failure: LoadFailure;
    if (answer.type === 'loadFailed') {
      const error = answer.thrown ?? { name: 'Error', message: 'unknown' };
      const syntax = /mlgradeSyntax|syntax error:/.test(String(error.message));
      failure = syntax
        ? { reason: 'syntax', message: String(error.message) }
        : { reason: 'threw', message: `importing the submission threw ${error.name}: ${error.message}${firstStudentFrame(error.stack)}`, error };
      this.kill();
    } else if (answer.type === 'died') {
      this.running = undefined;
      if (running.killedFor === 'timeout') failure = { reason: 'timeout', message: `loading the submission took longer than ${this.options.limits.loadTimeoutMs} ms (an endless loop at import?)` };
      else if (running.exitCalled !== undefined) failure = { reason: 'exited', message: `the submission called process.exit(${running.exitCalled}) while it was being imported, so nothing could be graded` };
      else {
        const death = deathMessage(running, answer.code, answer.signal, this.options.limits);
        failure = { reason: death.memory ? 'crashed' : 'exited', message: `while importing the submission, ${death.message}` };
      }
    } else {
      this.kill();
      failure = { reason: 'crashed', message: 'the sandbox answered out of turn while loading' };
    }
    this.loadFailure = failure;
    return failure;
  }

  private start(): Running {
    this.starts += 1;
    const { limits, stageDir } = this.options;
    const allowed = this.modules;
    const nodeArgs = [
      permissionFlag(),
      `--allow-fs-read=${CHILD_ENTRY}`,
      `--allow-fs-read=${path.join(__dirname, 'protocol.js')}`,
      `--allow-fs-read=${stageDir}${path.sep}`,
      ...allowed.readDirs.map((dir) => `--allow-fs-read=${dir}${path.sep}`),
      `--max-old-space-size=${limits.memoryMb}`,
      '--stack-size=984',
      '--enable-source-maps',
      '--disable-warning=ExperimentalWarning',
      CHILD_ENTRY,
    ];
    // [prlimit --cpu=N --] [bwrap … | unshare …] node …: prlimit execs the next; bwrap and
    // unshare fork node into the new PID namespace and stay as its ancestors.
    let argv = [process.execPath, ...nodeArgs];
    if (this.namespace) argv = [...namespaceArgs(this.namespace, [path.dirname(CHILD_ENTRY), stageDir, ...allowed.readDirs], stageDir), ...argv];
    const prlimit = cpuLimitToolPath();
    if (prlimit) argv = [prlimit, `--cpu=${limits.processCpuSeconds}`, '--', ...argv];
    const [command, ...args] = argv;
    const child = spawn(command, args, {
      cwd: stageDir,
      env: { LANG: 'C.UTF-8', TZ: 'UTC' },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'advanced',
      // Its own session and process group: `process.kill(0, …)` (the caller's process group)
      // would otherwise reach the grader and every sibling, PID namespace or not.
      detached: true,
    });
    const running: Running = { child, forked: this.namespace !== null, exports: {}, stderrTail: '', peakRssMb: 0, exited: false, closed: endOf(child) };
    this.running = running;
    const capture = (chunk: Buffer, isStderr: boolean) => {
      this.totalBytes += chunk.length;
      if (isStderr) running.stderrTail = (running.stderrTail + chunk.toString('utf8')).slice(-2000);
      const room = this.options.limits.outputBytes - this.capturedBytes;
      if (room > 0) {
        const kept = chunk.subarray(0, room);
        this.captured.push(kept);
        this.capturedBytes += kept.length;
      }
    };
    child.stdout!.on('data', (chunk: Buffer) => capture(chunk, false));
    child.stderr!.on('data', (chunk: Buffer) => capture(chunk, true));
    child.on('message', (raw: unknown) => {
      const message = raw as ChildMessage;
      if (!message || typeof message !== 'object') return;
      if (message.type === 'exitCalled') {
        running.exitCalled = Number(message.code) || 0;
        return;
      }
      const pending = running.pending;
      running.pending = undefined;
      pending?.resolve(message);
    });
    child.on('error', () => {
      /* reported through 'exit' */
    });
    child.on('exit', (code, signal) => {
      running.exited = true;
      if (running.watchdog) clearInterval(running.watchdog);
      // Let the last output chunks arrive before the death is interpreted.
      setImmediate(() => {
        const pending = running.pending;
        running.pending = undefined;
        pending?.resolve({ type: 'died', code, signal });
      });
    });
    running.watchdog = setInterval(() => {
      const rss = residentMb(nodePid(running));
      if (rss !== undefined) running.peakRssMb = Math.max(running.peakRssMb, rss);
      if (rss !== undefined && rss > limits.memoryMb + RSS_HEADROOM_MB) {
        running.killedFor = 'memory';
        child.kill('SIGKILL');
      }
    }, 50);
    running.watchdog.unref();
    return running;
  }

  /**
   * Sends one request and waits for its answer. The limit is on the child's CPU time where
   * /proc tells it (so a loaded machine does not turn a slow-but-fine call into a timeout and
   * grades stay deterministic), with a wall-clock backstop of 3× the limit for code that blocks
   * without burning CPU; elsewhere it is wall-clock time.
   */
  private request(message: ParentMessage, limitMs: number): Promise<ChildMessage | Died> {
    const running = this.running!;
    this.requests += 1;
    return new Promise((resolve) => {
      if (running.exited) {
        resolve({ type: 'died', code: running.child.exitCode, signal: running.child.signalCode });
        return;
      }
      const expire = () => {
        running.killedFor = running.killedFor ?? 'timeout';
        running.child.kill('SIGKILL');
      };
      // A process that has not forked node yet has used no CPU for the submission.
      const cpuAtStart = PROC_AVAILABLE ? (cpuMs(nodePid(running)) ?? 0) : undefined;
      // The backstop is generous: on a machine loaded by many parallel graders a child may get a
      // small share of a core, and only code that blocks without computing should meet it.
      const wallLimit = cpuAtStart === undefined ? limitMs : limitMs * 10 + 5000;
      const timer = setTimeout(expire, wallLimit);
      const cpuTimer =
        cpuAtStart === undefined
          ? undefined
          : setInterval(() => {
              const used = cpuMs(nodePid(running));
              if (used !== undefined && used - cpuAtStart > limitMs) expire();
            }, 25);
      running.pending = {
        resolve: (answer) => {
          clearTimeout(timer);
          if (cpuTimer) clearInterval(cpuTimer);
          resolve(answer);
        },
      };
      try {
        running.child.send(message);
      } catch {
        running.pending.resolve({ type: 'died', code: null, signal: 'SIGKILL' });
        running.pending = undefined;
        running.child.kill('SIGKILL');
      }
    });
  }

  private kill(): void {
    const running = this.running;
    this.running = undefined;
    if (running && !running.exited) {
      if (running.watchdog) clearInterval(running.watchdog);
      running.child.kill('SIGKILL');
    }
  }
}

const PROC_AVAILABLE = process.platform === 'linux' && fs.existsSync('/proc/self/stat');

/** The pid of the node process of `running` (undefined until bwrap or unshare has forked it). */
function nodePid(running: Running): number | undefined {
  if (!running.forked) return running.child.pid;
  if (running.nodePid === undefined && running.child.pid) {
    // bwrap → node, unshare → node (and, should a tool add an init, its only child). Node starts no processes.
    let pid = running.child.pid;
    for (let depth = 0; depth < 4; depth++) {
      let children: string[];
      try {
        children = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(' ').filter(Boolean);
      } catch {
        return undefined;
      }
      if (children.length !== 1) break;
      pid = Number(children[0]);
    }
    if (pid === running.child.pid || !/^node/.test(readComm(pid))) return undefined;
    running.nodePid = pid;
  }
  return running.nodePid;
}

function readComm(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

/**
 * User-mode CPU time a process has used, in ms, from /proc (Linux); undefined elsewhere. System
 * time is left out on purpose: it is mostly the kernel paging in memory, which made a memory
 * bomb's outcome (time limit or memory limit first) depend on the machine; an endless loop is
 * pure user time.
 */
function cpuMs(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at state; utime is field 14.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) * 1000) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

/** USER_HZ: 100 on every mainstream Linux. */
const CLOCK_TICKS = 100;

/** Resident set size of a process in MB, from /proc (Linux); undefined elsewhere. */
function residentMb(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /VmRSS:\s+(\d+)\s+kB/.exec(status);
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** " (at losses.ts:12:5)" for the first stack frame inside the student's stage, if any. */
export function firstStudentFrame(stack: string | undefined): string {
  if (!stack) return '';
  for (const line of stack.split('\n').slice(1)) {
    const match = /\(?((?:[^()\s]*[\\/])?([^\\/()\s]+\.(?:ts|js|mts|cts|mjs|cjs)):(\d+):(\d+))\)?\s*$/.exec(line.trim());
    if (match && !line.includes('node:') && !/[\\/]sandbox[\\/]child\.js/.test(line)) return ` (at ${match[2]}:${match[3]}:${match[4]})`;
  }
  return '';
}
