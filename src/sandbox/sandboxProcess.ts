/**
 * The only code in mlgrade that starts student code. One `SubmissionSandbox` owns one staged
 * submission and (re)starts a locked-down child process for it (see launcher.ts for what runs:
 * the JavaScript child by default):
 *  - Node permission model: reads limited to the child's files, the stage and allowed packages;
 *    no writes, no child processes, no workers, no native addons;
 *  - new user, network, PID and mount namespaces with a private root (bwrap, or unshare) where
 *    the OS allows it;
 *  - a scrubbed environment; kernel limits (prlimit: private memory, CPU seconds) plus a V8 heap
 *    limit and a resident-memory watchdog;
 *  - per call a CPU-time limit and a wall-clock backstop; per submission a wall-clock budget;
 *  - captured, capped stdout/stderr, and a flood cap beyond which the process is stopped.
 * Messages travel as length-prefixed JSON frames on fd 3 (requests) and fd 4 (replies), parsed
 * here with a size cap (protocol v2, notes/PROTOCOL.md); values are decoded into plain data of
 * the grader's realm.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import type { Writable } from 'node:stream';
import type { CapturedOutput, IsolationReport } from '../types';
import { encodeValue } from './codec';
import { frameBytes, frameReader } from './framing';
import { cpuLimitToolPath, namespaceArgs, namespaceTool, type NamespaceTool } from './isolation';
import { nodeLauncher, runtimePid, type ChildLauncher, type LaunchContext, type LoadedSubmission } from './launcher';
import {
  OUTPUT_FLOOD_BYTES,
  RESTARTS_PER_FUNCTION,
  RSS_HEADROOM_MB,
  absoluteWallLimitMs,
  callWallLimitMs,
  dataLimitBytes,
  replyBytesOf,
  submissionBudgetMs,
  type SandboxLimits,
} from './limits';
import { resolveAllowedModules, type AllowedModules } from './modules';
import { verbatim } from '../verbatim';
import { validChildMessage, type CallReply, type ChildMessage, type ParentMessage, type PythonLoaded, type ThrownError } from './protocol';

/**
 * Why the submission could not be loaded (only ever its first load: see {@link CallOutcome}
 * `exhausted`). The student's own words in `message` (what their code raised, a syntax error) are
 * marked verbatim (src/verbatim.ts).
 */
export type LoadFailure =
  | { reason: 'syntax'; message: string }
  | { reason: 'threw'; message: string; error: ThrownError }
  | { reason: 'exited'; message: string }
  | { reason: 'timeout'; message: string }
  /** `memory`: the process hit the memory limit. */
  | { reason: 'crashed'; message: string; memory?: true };

/** What one call of a student function produced. */
export type CallOutcome =
  | { status: 'returned'; value: unknown; ms: number; /** With `echoArgs`: the arguments as the function left them. */ argsAfter?: unknown }
  | { status: 'threw'; error: ThrownError }
  /** Not plain data (a Promise, a typed array…), or too large to send: described in words. */
  | { status: 'unsendable'; description: string }
  /** `available`: the names the submission defines; `explanation`: why, in the submission's language (Python). */
  | { status: 'missing'; exportName: string; kind: string; available: string[]; explanation?: string }
  /**
   * The call used more than `limitMs` of CPU time (or stayed active past its backstop, see limits.ts).
   * With `budget`: the submission's wall-clock budget (`budgetMs`, all calls together) ran out —
   * during this call, or before it, in which case it was not started.
   */
  | { status: 'timeout'; limitMs: number; budget?: true; budgetMs?: number }
  | { status: 'crashed'; message: string; memory: boolean }
  /**
   * Not run: the submission (`scope: 'submission'`, after `limits.maxRestarts` restarts) or this
   * function (`scope: 'function'`, after {@link RESTARTS_PER_FUNCTION} crashes or time-outs of
   * its calls) crashed or timed out `crashes` times; `last` says how the last of those ended.
   * The submission still counts as loaded.
   */
  | { status: 'exhausted'; scope: 'submission' | 'function'; crashes: number; last: 'timeout' | 'crashed'; message: string }
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
   * the namespace tool or null, and the allowed modules' entries and folders.
   */
  resolved?: { namespace: NamespaceTool | null; modules: AllowedModules };
  /** What to start (default: the JavaScript child, {@link nodeLauncher}). */
  launcher?: ChildLauncher;
  /**
   * The submission's wall-clock budget, shared by every sandbox of the submission (its public and
   * its hidden checks run in two): each adds the active time it uses, and none starts a call once
   * it is spent. Default: a budget of this sandbox's own ({@link submissionBudgetMs}).
   */
  budget?: BudgetAccount;
}

/** A submission's wall-clock budget and what its sandboxes have used of it so far (ms of active time). */
export interface BudgetAccount {
  readonly budgetMs: number;
  usedMs: number;
}

/** A fresh budget for one submission with `limits`. */
export function budgetFor(limits: SandboxLimits): BudgetAccount {
  return { budgetMs: submissionBudgetMs(limits), usedMs: 0 };
}

/** Time a submission's processes used, in ms. */
export interface SandboxUsage {
  /** Wall-clock time of process starts, loads and calls (requests from sending to answer), restarts included. */
  wallMs: number;
  /** `wallMs` less the time the runtime waited for a CPU (the same where /proc is missing): what the budget counts. */
  activeMs: number;
  /** CPU time (user + system) of the runtime processes (read from /proc; 0 where it is not available). */
  cpuMs: number;
  /** The budget `activeMs` is measured against. */
  budgetMs: number;
}

/** How long close() waits for a child to exit on its own before killing it. */
const CLOSE_GRACE_MS = 500;

/** One call as sent. */
type Call = { fn: string; args: unknown[]; echoArgs?: boolean };

/** What a request resolves with when the child process ended instead of answering. */
type Died = { type: 'died'; code: number | null; signal: NodeJS.Signals | null };

type Answer = ChildMessage | Died;

/** Why the grader stopped a child. */
type KillReason = 'timeout' | 'budget' | 'memory' | 'flood' | 'oversize' | 'malformed';

interface Running {
  child: ChildProcess;
  /** The runtime's pid (node, python) once found, for /proc. */
  pid?: number;
  exitCalled?: number;
  killedFor?: KillReason;
  /** The size a refused frame announced. */
  oversizeBytes?: number;
  stderrTail: string;
  /** Largest resident size seen by the watchdog (MB). */
  peakRssMb: number;
  /** CPU time (ms) last read for the runtime process. */
  cpuMs: number;
  /** Resolves when the process has exited and its pipes are closed. */
  closed: Promise<void>;
  pending?: (answer: Answer) => void;
  exited: boolean;
  watchdog?: NodeJS.Timeout;
}

const MB = 1024 * 1024;

function megabytes(bytes: number): string {
  return `${Math.round((bytes / MB) * 10) / 10} MB`;
}

/** Resolves when `child` has exited and the pipes it writes to are closed. */
function endOf(child: ChildProcess): Promise<void> {
  const event = (emitter: NodeJS.EventEmitter | null | undefined, name: string) =>
    new Promise<void>((resolve) => (emitter ? emitter.once(name, () => resolve()) : resolve()));
  return Promise.all([event(child, 'exit'), event(child.stdout, 'close'), event(child.stderr, 'close'), event(child.stdio[4], 'close')]).then(() => undefined);
}

export class SubmissionSandbox {
  private running?: Running;
  /** The first load's outcome: later (re)loads never turn into a load failure. */
  private firstLoad?: { status: 'loaded' } | { status: 'failed'; failure: LoadFailure };
  private restarts = 0;
  /** Crashes and time-outs per function, and how the last one ended. */
  private crashes = new Map<string, { count: number; last: 'timeout' | 'crashed'; words: string }>();
  /** How the last crash or time-out of any call ended. */
  private lastCrash: 'timeout' | 'crashed' = 'crashed';
  private nextId = 1;
  private queue: Promise<unknown> = Promise.resolve();
  private captured: Buffer[] = [];
  private capturedBytes = 0;
  private totalBytes = 0;
  private readonly namespace: NamespaceTool | null;
  private readonly launcher: ChildLauncher;
  private readonly budget: BudgetAccount;
  private wallUsedMs = 0;
  /** Wall-clock time less the time spent waiting for a CPU: what the budget counts. */
  private activeUsedMs = 0;
  /** CPU time of processes that have ended. */
  private cpuEndedMs = 0;
  private budgetSpent = false;
  /** What the last load found (exports and their kinds); undefined before a load succeeds. */
  private lastLoaded?: LoadedSubmission;
  private plan: PlannedCall[] = [];
  /** The next start replaces a process stopped by a failed planned batch: not a restart. */
  private freeRestart = false;
  private starts = 0;
  private requests = 0;
  /** Outcomes of planned calls, by the identity of their argument list, not yet handed out. */
  private planned = new Map<unknown, { fn: string; echoArgs: boolean; outcome: CallOutcome | CallOutcome[] }[]>();

  constructor(private readonly options: SandboxOptions) {
    this.namespace = options.resolved ? options.resolved.namespace : namespaceTool();
    this.launcher = options.launcher ?? nodeLauncher(options.resolved ? options.resolved.modules : resolveAllowedModules(options.allowedModules));
    this.budget = options.budget ?? budgetFor(options.limits);
  }

  private get budgetMs(): number {
    return this.budget.budgetMs;
  }

  /** Which isolation layers this sandbox applies. */
  isolation(): IsolationReport {
    const own = this.launcher.isolation?.(this.options.limits);
    if (own) return own;
    return {
      process: 'child-process',
      runtime: 'node',
      permissionModel: true,
      network: this.namespace ? 'namespace' : 'not-isolated',
      processes: this.namespace ? 'namespace' : 'not-isolated',
      filesystem: this.namespace && this.namespace.privateRoot !== false ? 'private-root' : 'host',
      memoryLimitMb: this.options.limits.memoryMb,
      callTimeoutMs: this.options.limits.callTimeoutMs,
      scrubbedEnv: true,
    };
  }

  /** How many processes were started and how many requests (load, call, batch) were sent. */
  stats(): { starts: number; requests: number } {
    return { starts: this.starts, requests: this.requests };
  }

  /** Wall-clock and CPU time this submission has used so far (for result.json). */
  usage(): SandboxUsage {
    return {
      wallMs: Math.round(this.wallUsedMs),
      activeMs: Math.round(this.activeUsedMs),
      cpuMs: Math.round(this.cpuEndedMs + (this.running?.cpuMs ?? 0)),
      budgetMs: this.budgetMs,
    };
  }

  /** stdout+stderr of every process of this submission so far, capped. */
  output(): CapturedOutput {
    const text = Buffer.concat(this.captured).toString('utf8');
    return { text, bytes: this.totalBytes, truncated: this.totalBytes > this.capturedBytes };
  }

  /** Export names and their `typeof`, once loaded. */
  exports(): Record<string, string> {
    return { ...this.exportKinds() };
  }

  private exportKinds(): Record<string, string> {
    return this.lastLoaded?.exports ?? {};
  }

  /** What the Python runner said when the submission loaded (names resolved, notebook cells that failed); undefined for JavaScript. */
  pythonLoaded(): PythonLoaded | undefined {
    return this.lastLoaded?.python;
  }

  /**
   * Loads the submission the first time; afterwards resolves to that first load's outcome and
   * starts nothing (a submission that loaded stays loaded, whatever happens to later processes).
   */
  load(): Promise<LoadFailure | undefined> {
    return this.serial(() => this.loadFirst());
  }

  /**
   * Announces calls that will be made (see {@link PlannedCall}); they run, in this order and in
   * one round trip, when the first call or callMany arrives. When that batch does not complete
   * (time limit, crash, process.exit, replies too large together), its partial results are
   * dropped, the process is replaced without counting as a restart, and every call runs on its
   * own as if nothing was planned: outcomes never depend on planning, only the number of round
   * trips does.
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
      const blocked = await this.ready(fn);
      if (blocked) return blocked;
      const limit = this.options.limits.callTimeoutMs;
      const sent = await this.sendCalls([{ fn, args, echoArgs: options.echoArgs }], limit);
      if ('replies' in sent) return this.fatalOutcome(sent.replies, fn) ?? this.fromReply(sent.replies[0]);
      return this.failureOutcome(sent.failed, limit, fn);
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
      const blocked = await this.ready(fn);
      if (blocked) return [blocked];
      const limit = this.options.limits.callTimeoutMs * Math.max(1, Math.ceil(argsList.length / 10));
      const sent = await this.sendCalls(
        argsList.map((args) => ({ fn, args })),
        limit,
      );
      if (!('replies' in sent)) return [this.failureOutcome(sent.failed, limit, fn)];
      const fatal = this.fatalOutcome(sent.replies, fn);
      return fatal ? [fatal] : sent.replies.map((reply) => this.fromReply(reply));
    });
  }

  /**
   * Ends the child process and waits until it has exited and its pipes are closed. The child
   * is asked first (closing its request pipe makes it exit, and the namespace tool with it, so
   * each process is reaped by its own parent and its CPU time is accounted to the grader's
   * process tree); one that has not ended within half a second is killed.
   */
  async close(): Promise<void> {
    await this.queue.catch(() => undefined);
    const running = this.running;
    if (running && !running.exited) {
      (running.child.stdio[3] as Writable | null)?.end();
      let timer: NodeJS.Timeout | undefined;
      const ended = await Promise.race([
        running.closed.then(() => true),
        new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), CLOSE_GRACE_MS))),
      ]);
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
   * Sends `calls` in one request and resolves with one reply per call, or with whatever came
   * instead. The arguments are encoded here (each call's separately: calls never share an object).
   */
  private async sendCalls(calls: readonly Call[], limitMs: number): Promise<{ replies: CallReply[] } | { failed: Answer }> {
    const id = this.nextId++;
    let json = `{"type":"callBatch","id":${id},"calls":[`;
    calls.forEach((call, index) => {
      const args = encodeValue(call.args, Infinity);
      if (args.status !== 'encoded') {
        const why = args.status === 'unsendable' ? args.description : 'too large';
        throw new Error(`the grader cannot send the arguments of ${call.fn} to the sandbox: ${why}`);
      }
      json += `${index ? ',' : ''}{"fn":${JSON.stringify(call.fn)},"args":${args.json}${call.echoArgs ? ',"echoArgs":true' : ''}}`;
    });
    const answer = await this.request(`${json}]}`, 'call', limitMs);
    if (answer.type === 'results' && answer.id === id && answer.replies.length === calls.length) return { replies: answer.replies };
    if (answer.type === 'results' || answer.type === 'loaded' || answer.type === 'loadFailed') this.stop('malformed');
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
    if (await this.loadFirst()) return;
    // Calls of missing exports are answered by call() itself, with the available names.
    const exports = this.exportKinds();
    const runnable = plan.filter((call) => exports[call.fn] === 'function');
    const flat = runnable.flatMap((call): Call[] =>
      'argsList' in call ? call.argsList.map((args) => ({ fn: call.fn, args })) : [{ fn: call.fn, args: call.args, echoArgs: call.echoArgs }],
    );
    if (!flat.length) return;
    if (this.blockedFor() || (await this.ensureRunning())) return;
    const capturedBefore = { chunks: this.captured.length, bytes: this.capturedBytes, total: this.totalBytes };
    const sent = await this.sendCalls(flat, this.options.limits.callTimeoutMs);
    // Replies too large together come back as tooLarge with their own (acceptable) size; a fatal
    // error (Python's MemoryError) leaves the process unfit for the calls after it.
    const overflow = 'replies' in sent && sent.replies.some((reply) => !reply.ok && 'tooLarge' in reply && reply.tooLarge.bytes <= replyBytesOf(this.options.limits));
    const fatal = 'replies' in sent && sent.replies.some((reply) => this.isFatal(reply));
    if (!('replies' in sent) || overflow || fatal) {
      if ('failed' in sent && this.running?.killedFor === 'budget') {
        this.budgetSpent = true;
      }
      // Run everything again one call at a time, from a fresh process and without this batch's output.
      const old = this.running;
      this.kill();
      if (old) await old.closed;
      this.running = undefined;
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

  /** The budget outcome once the submission's budget is spent (remembered), else undefined. */
  private budgetExhausted(): CallOutcome | undefined {
    if (!this.budgetSpent && this.remainingBudgetMs() > 0) return undefined;
    this.budgetSpent = true;
    return this.budgetOutcome();
  }

  /** The outcome of a call of `fn` that cannot be run, or undefined once a process is ready for it. */
  private async ready(fn: string): Promise<CallOutcome | undefined> {
    // No process is started for a submission whose budget is spent (by its other sandbox, too).
    if (!this.firstLoad) {
      const spent = this.budgetExhausted();
      if (spent) return spent;
    }
    const failure = await this.loadFirst();
    if (failure) return { status: 'not-loaded', failure };
    if (!this.firstLoad) return this.budgetOutcome();
    const exports = this.exportKinds();
    const kind = exports[fn];
    if (kind !== 'function') {
      const words = this.launcher.missing?.(fn, this.lastLoaded ?? { exports }) ?? { available: Object.keys(exports).sort() };
      return { status: 'missing', exportName: fn, kind: kind ?? 'undefined', ...words };
    }
    return this.blockedFor(fn) ?? (await this.ensureRunning());
  }

  /** Why no call (of `fn`) may start any more: the budget is spent or a restart limit reached. */
  private blockedFor(fn?: string): CallOutcome | undefined {
    const spent = this.budgetExhausted();
    if (spent) return spent;
    const crashed = fn === undefined ? undefined : this.crashes.get(fn);
    if (crashed && crashed.count >= RESTARTS_PER_FUNCTION) {
      return {
        status: 'exhausted',
        scope: 'function',
        crashes: crashed.count,
        last: crashed.last,
        message: `${fn} crashed or timed out ${crashed.count} times already (the last time: ${crashed.words}), so its remaining calls were not run`,
      };
    }
    const { maxRestarts } = this.options.limits;
    if ((!this.running || this.running.exited || this.running.killedFor) && !this.freeRestart && this.restarts >= maxRestarts) {
      const total = this.restarts + 1;
      return {
        status: 'exhausted',
        scope: 'submission',
        crashes: total,
        last: this.lastCrash,
        message: `the submission crashed or timed out ${total} times (it is restarted at most ${maxRestarts} times), so its remaining checks were not run`,
      };
    }
    return undefined;
  }

  private budgetOutcome(): CallOutcome {
    return { status: 'timeout', limitMs: this.options.limits.callTimeoutMs, budget: true, budgetMs: this.budgetMs };
  }

  private remainingBudgetMs(): number {
    return this.budget.budgetMs - this.budget.usedMs;
  }

  /**
   * The first load, once; later calls resolve to its outcome. A first load cut short by the
   * submission's budget (spent by its other sandbox: the hidden checks' process starts after the
   * public one has run) is no load failure: it leaves no first load, and every call is then a
   * budget time-out ({@link ready}).
   */
  private async loadFirst(): Promise<LoadFailure | undefined> {
    if (this.firstLoad) return this.firstLoad.status === 'failed' ? this.firstLoad.failure : undefined;
    if (this.budgetSpent) return undefined;
    const { answer, running } = await this.startAndLoad();
    if (answer.type === 'loaded') {
      this.firstLoad = { status: 'loaded' };
      return undefined;
    }
    if (running.killedFor === 'budget') {
      this.kill();
      this.budgetSpent = true;
      return undefined;
    }
    const failure = this.loadFailure(answer, running);
    this.firstLoad = { status: 'failed', failure };
    return failure;
  }

  /** A process ready for calls: the current one, or a restarted one (a restart, unless free). */
  private async ensureRunning(): Promise<CallOutcome | undefined> {
    if (this.running && !this.running.exited && !this.running.killedFor) return undefined;
    if (this.freeRestart) this.freeRestart = false;
    else this.restarts += 1;
    const { answer, running } = await this.startAndLoad();
    if (answer.type === 'loaded') return undefined;
    const budget = running.killedFor === 'budget';
    const failure = this.loadFailure(answer, running);
    if (budget) {
      this.budgetSpent = true;
      return this.budgetOutcome();
    }
    return {
      status: 'crashed',
      message: `the process was restarted after an earlier crash or time-out, and loading the submission again failed: ${failure.message}`,
      memory: failure.reason === 'crashed' && failure.memory === true,
    };
  }

  /** Starts a process and sends init (a process that did not load is ended by {@link loadFailure}). */
  private async startAndLoad(): Promise<{ answer: Answer; running: Running }> {
    const running = this.start();
    const answer = await this.request(JSON.stringify(this.launcher.init(this.context())), 'load', this.options.limits.loadTimeoutMs);
    if (answer.type === 'loaded') {
      this.lastLoaded = { exports: { ...answer.exports }, ...(answer.python ? { python: answer.python } : {}) };
    }
    return { answer, running };
  }

  /** Words for a load that did not succeed; ends its process. */
  private loadFailure(answer: Answer, running: Running): LoadFailure {
    this.kill();
    if (answer.type === 'loadFailed') {
      const error = answer.thrown;
      if (answer.syntax) {
        // Python says where in `where` ("losses.py, line 12", "cell 7, line 3"): compilers' form, as for TypeScript.
        const text = error.where ? `${syntaxLocation(error.where)} - syntax error: ${error.message}` : error.message;
        return { reason: 'syntax', message: verbatim(text) };
      }
      const message = `importing the submission threw ${verbatim(error.name)}: ${verbatim(error.message)}${verbatim(studentFrame(error))}`;
      return { reason: 'threw', message, error };
    }
    if (answer.type !== 'died') return { reason: 'crashed', message: 'the sandbox answered out of turn while loading' };
    const limits = this.options.limits;
    switch (running.killedFor) {
      case 'timeout':
      case 'budget':
        return { reason: 'timeout', message: `loading the submission took longer than ${limits.loadTimeoutMs} ms (an endless loop, or a wait, at import?)` };
      case 'flood':
        return { reason: 'crashed', message: `the submission printed more than ${megabytes(OUTPUT_FLOOD_BYTES)} while it was being imported, so it was stopped` };
      case 'oversize':
      case 'malformed':
        return { reason: 'crashed', message: `while importing the submission, ${this.deathMessage(running, answer).message}` };
      default:
        break;
    }
    if (running.exitCalled !== undefined) {
      return { reason: 'exited', message: `the submission called process.exit(${running.exitCalled}) while it was being imported, so nothing could be graded` };
    }
    const death = this.deathMessage(running, answer);
    const message = `while importing the submission, ${death.message}`;
    return death.memory ? { reason: 'crashed', message, memory: true } : { reason: 'exited', message };
  }

  private context(): LaunchContext {
    return { entry: this.options.entry, stageDir: this.options.stageDir, limits: this.options.limits };
  }

  private fromReply(reply: CallReply): CallOutcome {
    if (reply.ok) return { status: 'returned', value: reply.value, ms: reply.ms, ...('argsAfter' in reply ? { argsAfter: reply.argsAfter } : {}) };
    if ('unsendable' in reply) return { status: 'unsendable', description: reply.unsendable.description };
    if ('tooLarge' in reply) {
      const limit = replyBytesOf(this.options.limits);
      return {
        status: 'unsendable',
        description:
          reply.tooLarge.bytes > limit
            ? `a value too large to send back (${megabytes(reply.tooLarge.bytes)} or more once encoded; the limit is ${megabytes(limit)})`
            : `a value too large to send back together with the other results of its batch (the limit is ${megabytes(limit)})`,
      };
    }
    return { status: 'threw', error: reply.thrown };
  }

  /** True for a reply the launcher says leaves the process unfit for more calls (Python's MemoryError). */
  private isFatal(reply: CallReply): boolean {
    return !reply.ok && 'thrown' in reply && this.launcher.fatal?.(reply.thrown) === true;
  }

  /**
   * When a call of `fn` ended in a fatal error (see {@link ChildLauncher.fatal}): the process is
   * stopped and replaced, as for a crash, and the outcome says why (where, in the student's terms).
   */
  private fatalOutcome(replies: readonly CallReply[], fn: string): CallOutcome | undefined {
    const reply = replies.find((r) => this.isFatal(r));
    if (!reply || reply.ok || !('thrown' in reply)) return undefined;
    this.kill();
    const { thrown } = reply;
    // The student's own words (their function's name): marked, so that no rewording touches them.
    const at = verbatim(thrown.where ? ` (${thrown.name} at ${thrown.where})` : ` (${thrown.name})`);
    const message = `the memory limit (${this.options.limits.memoryMb} MB) was hit${at}, so the process was stopped`;
    const count = (this.crashes.get(fn)?.count ?? 0) + 1;
    this.crashes.set(fn, { count, last: 'crashed', words: message });
    this.lastCrash = 'crashed';
    return { status: 'crashed', message, memory: true };
  }

  /** The outcome of a call whose request did not get its results; counts a crash of `fn`. */
  private failureOutcome(answer: Answer, limitMs: number, fn: string): CallOutcome {
    const running = this.running;
    this.kill();
    if (running?.killedFor === 'budget') {
      this.budgetSpent = true;
      return this.budgetOutcome();
    }
    const outcome = this.deathOutcome(answer, limitMs, running);
    const count = (this.crashes.get(fn)?.count ?? 0) + 1;
    const last = outcome.status === 'timeout' ? 'timeout' : 'crashed';
    const words = outcome.status === 'timeout' ? `it did not return within the time limit of ${limitMs} ms` : outcome.status === 'crashed' ? outcome.message : 'it failed';
    this.crashes.set(fn, { count, last, words });
    this.lastCrash = last;
    return outcome;
  }

  private deathOutcome(answer: Answer, limitMs: number, running: Running | undefined): CallOutcome {
    if (answer.type !== 'died' || !running) {
      return { status: 'crashed', message: 'the sandbox answered out of turn (did the submission write to the grader channel?)', memory: false };
    }
    // A process stopped for time while its memory sat at the heap limit was thrashing the
    // garbage collector on its way to an out-of-memory abort: report the cause, not the symptom.
    if (running.killedFor === 'timeout' && running.peakRssMb < this.options.limits.memoryMb) return { status: 'timeout', limitMs };
    if (running.killedFor === 'timeout') running.killedFor = 'memory';
    const death = this.deathMessage(running, answer);
    return { status: 'crashed', message: death.message, memory: death.memory };
  }

  /** Where the child died, in words for the student. */
  private deathMessage(running: Running, died: Died): { message: string; memory: boolean } {
    const limits = this.options.limits;
    switch (running.killedFor) {
      case 'flood':
        return {
          message: `the submission printed more than ${megabytes(OUTPUT_FLOOD_BYTES)} (stdout and stderr together), so the process was stopped`,
          memory: false,
        };
      case 'oversize':
        return {
          message: `the sandbox sent a message of ${megabytes(running.oversizeBytes ?? 0)}, more than the limit of ${megabytes(replyBytesOf(limits))}, so the process was stopped`,
          memory: false,
        };
      case 'malformed':
        return { message: 'the sandbox sent a malformed message (did the submission write to the grader channel?), so the process was stopped', memory: false };
      default:
        break;
    }
    // A process that died while at its memory limit (a native allocation refused by the kernel
    // limit may end it with any signal) ran out of memory.
    if (running.killedFor === 'memory' || this.launcher.diedOfMemory(running.stderrTail, died.code, died.signal) || running.peakRssMb >= limits.memoryMb) {
      return { message: `the memory limit (${limits.memoryMb} MB) was hit, so the process was stopped`, memory: true };
    }
    if (running.exitCalled !== undefined) return { message: `the submission called process.exit(${running.exitCalled})`, memory: false };
    return { message: `the process ended unexpectedly (${died.signal ? `signal ${died.signal}` : `exit code ${died.code}`})`, memory: false };
  }

  private start(): Running {
    this.kill();
    this.starts += 1;
    const { limits } = this.options;
    const launch = this.launcher.command(this.context());
    let argv = launch.argv;
    if (launch.wrap === 'runtime') {
      // [prlimit … --] [bwrap … | unshare …] runtime …: prlimit execs the next; bwrap and
      // unshare fork the runtime into the new PID namespace and stay as its ancestors.
      if (this.namespace) argv = [...namespaceArgs(this.namespace, launch.readPaths, launch.cwd), ...argv];
      const prlimit = cpuLimitToolPath();
      if (prlimit) argv = [prlimit, `--cpu=${limits.processCpuSeconds}`, `--data=${dataLimitBytes(limits)}`, '--core=0', '--', ...argv];
    }
    const [command, ...args] = argv;
    const child = spawn(command, args, {
      cwd: launch.cwd,
      env: launch.env,
      stdio: ['ignore', 'pipe', 'pipe', 'pipe', 'pipe'],
      // Its own session and process group: `process.kill(0, …)` (the caller's process group)
      // would otherwise reach the grader and every sibling, PID namespace or not.
      detached: true,
    });
    const running: Running = { child, stderrTail: '', peakRssMb: 0, cpuMs: 0, exited: false, closed: endOf(child) };
    this.running = running;
    for (const stream of child.stdio) stream?.on('error', () => undefined);
    const flood = OUTPUT_FLOOD_BYTES;
    const capture = (chunk: Buffer, isStderr: boolean) => {
      this.totalBytes += chunk.length;
      if (isStderr) running.stderrTail = (running.stderrTail + chunk.subarray(-2000).toString('utf8')).slice(-2000);
      const room = limits.outputBytes - this.capturedBytes;
      if (room > 0) {
        const kept = Buffer.from(chunk.subarray(0, room));
        this.captured.push(kept);
        this.capturedBytes += kept.length;
      }
      if (this.totalBytes > flood) {
        // Read nothing more: the kernel's pipe fills up and the child blocks until it is killed.
        this.stop('flood', running);
        child.stdout!.destroy();
        child.stderr!.destroy();
      }
    };
    child.stdout!.on('data', (chunk: Buffer) => capture(chunk, false));
    child.stderr!.on('data', (chunk: Buffer) => capture(chunk, true));
    const feed = frameReader(replyBytesOf(limits), {
      frame: (json) => this.received(running, json),
      oversize: (bytes) => {
        running.oversizeBytes = bytes;
        this.stop('oversize', running);
      },
    });
    child.stdio[4]!.on('data', (chunk: Buffer) => {
      // A refused frame: nothing more is read (destroyed, not paused, so that its 'close' comes).
      if (!feed(chunk)) child.stdio[4]!.destroy();
    });
    child.on('exit', (code, signal) => {
      running.exited = true;
      child.stdio[3]?.destroy();
      if (running.watchdog) clearInterval(running.watchdog);
      // Let the last output chunks and frames arrive before the death is interpreted.
      setImmediate(() => {
        const pending = running.pending;
        running.pending = undefined;
        pending?.({ type: 'died', code, signal });
      });
    });
    running.watchdog = setInterval(() => {
      const pid = this.runtimePidOf(running);
      const rss = residentMb(pid);
      if (rss !== undefined) running.peakRssMb = Math.max(running.peakRssMb, rss);
      if (rss !== undefined && rss > limits.memoryMb + RSS_HEADROOM_MB) this.stop('memory', running);
    }, 50);
    running.watchdog.unref();
    return running;
  }

  /** A frame from `running`'s child: validated, then the answer to the pending request. */
  private received(running: Running, json: string): void {
    // A process being stopped answers nothing more: its request ends with its death.
    if (running.killedFor) return;
    let message: ChildMessage | { malformed: string };
    try {
      message = validChildMessage(JSON.parse(json));
    } catch {
      message = { malformed: 'not JSON' };
    }
    if ('malformed' in message) {
      this.stop('malformed', running);
      return;
    }
    if (message.type === 'exitCalled') {
      running.exitCalled = message.code;
      return;
    }
    const pending = running.pending;
    if (!pending) {
      // Nothing was asked: the submission wrote to the channel itself.
      this.stop('malformed', running);
      return;
    }
    running.pending = undefined;
    pending(message);
  }

  /** The runtime's pid of `running` (undefined until it exists; then remembered). */
  private runtimePidOf(running: Running): number | undefined {
    if (running.pid === undefined && running.child.pid && PROC_AVAILABLE) running.pid = runtimePid(running.child.pid, (exe) => this.launcher.isRuntime(exe));
    return running.pid;
  }

  /**
   * Sends one request and waits for its answer, within these limits:
   *  - CPU time (user + system of the runtime process, from /proc): `cpuLimitMs`;
   *  - active time — wall-clock time minus the time the runtime's main thread waited for a CPU
   *    (/proc/<pid>/schedstat): loadTimeoutMs for a load, {@link callWallLimitMs} for a call.
   *    Code that sleeps or blocks is active without using CPU; code starved by a busy machine is
   *    neither, so neither limit turns a slow-but-fine load or call into a time-out there;
   *  - whatever is left of the submission's budget (of active time);
   *  - on the wall clock itself, {@link absoluteWallLimitMs} (where /proc is missing: the active limit).
   */
  private request(json: string, kind: 'load' | 'call', cpuLimitMs: number): Promise<Answer> {
    const running = this.running!;
    this.requests += 1;
    const started = performance.now();
    return new Promise<Answer>((resolve) => {
      if (running.exited) {
        resolve({ type: 'died', code: running.child.exitCode, signal: running.child.signalCode });
        return;
      }
      const activeLimit = kind === 'load' ? this.options.limits.loadTimeoutMs : callWallLimitMs(cpuLimitMs);
      const remaining = Math.max(0, this.remainingBudgetMs());
      const wallLimit = PROC_AVAILABLE ? absoluteWallLimitMs(activeLimit) : Math.min(activeLimit, remaining);
      const timer = setTimeout(() => this.stop(!PROC_AVAILABLE && remaining < activeLimit ? 'budget' : 'timeout', running), wallLimit);
      // Active time: wall time since `started`, less the run-queue wait since the runtime was first seen.
      let queueAtSeen = PROC_AVAILABLE ? runQueueMs(this.runtimePidOf(running)) : undefined;
      let lastActive = 0;
      let lastPoll = started;
      const active = (): number => {
        const now = performance.now();
        const queued = runQueueMs(running.pid);
        if (queueAtSeen === undefined) queueAtSeen = queued;
        lastActive = queued === undefined || queueAtSeen === undefined ? lastActive + (now - lastPoll) : now - started - (queued - queueAtSeen);
        lastPoll = now;
        return lastActive;
      };
      // The process has used CPU before this request (start, earlier calls): count from now.
      let cpuAtStart = PROC_AVAILABLE ? cpuMs(running.pid) : undefined;
      const poll = PROC_AVAILABLE
        ? setInterval(() => {
            const pid = this.runtimePidOf(running);
            if (active() > Math.min(activeLimit, remaining)) this.stop(remaining < activeLimit && lastActive > remaining ? 'budget' : 'timeout', running);
            const used = cpuMs(pid);
            if (used === undefined) return;
            running.cpuMs = used;
            // A runtime found only now has used its CPU for this request (a start): count it all.
            cpuAtStart ??= kind === 'load' ? 0 : used;
            if (used - cpuAtStart > cpuLimitMs) this.stop('timeout', running);
          }, 25)
        : undefined;
      running.pending = (answer) => {
        clearTimeout(timer);
        if (poll) clearInterval(poll);
        const used = cpuMs(running.pid);
        if (used !== undefined) running.cpuMs = used;
        const wall = performance.now() - started;
        const activeNow = PROC_AVAILABLE ? active() : wall;
        this.wallUsedMs += wall;
        this.activeUsedMs += activeNow;
        this.budget.usedMs += activeNow;
        resolve(answer);
      };
      const frame = frameBytes(json);
      (running.child.stdio[3] as Writable).write(frame);
    });
  }

  /** Kills `running` (default: the current process) for `reason`; the first reason is kept. */
  private stop(reason: KillReason, running = this.running): void {
    if (!running || running.exited) return;
    running.killedFor ??= reason;
    if (running.watchdog) clearInterval(running.watchdog);
    running.child.kill('SIGKILL');
  }

  private kill(): void {
    const running = this.running;
    this.running = undefined;
    if (!running) return;
    this.cpuEndedMs += running.cpuMs;
    if (!running.exited) {
      if (running.watchdog) clearInterval(running.watchdog);
      running.child.kill('SIGKILL');
    }
  }
}

const PROC_AVAILABLE = process.platform === 'linux' && fs.existsSync('/proc/self/stat');

/**
 * CPU time (user + system) a process has used, in ms, from /proc (Linux); undefined elsewhere.
 * System time counts: with the kernel's memory limit (RLIMIT_DATA) a memory bomb ends at the
 * same point whatever the machine's paging costs, and time spent in the kernel on the
 * submission's behalf is its time.
 */
function cpuMs(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at state; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

/**
 * Time a process's main thread has spent waiting on a run queue (runnable, no CPU free), in ms,
 * from /proc/<pid>/schedstat; undefined where it is not available.
 */
function runQueueMs(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const waited = Number(fs.readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[1]);
    return Number.isFinite(waited) ? waited / 1e6 : undefined;
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

/**
 * " (at losses.py, line 12, in helper)" from a Python error's `where`, else " (at losses.ts:12:5)"
 * for the first stack frame inside the student's stage, if any.
 */
export function studentFrame(error: Pick<ThrownError, 'where' | 'stack'>): string {
  return error.where ? ` (at ${error.where})` : firstStudentFrame(error.stack);
}

/**
 * A syntax error's place in a compiler's words: `losses.py:12` for a file, `cell 7, line 3` for a
 * notebook cell (from the Python runner's "losses.py, line 12" / "cell 7, line 3").
 *
 * @example syntaxLocation('losses.py, line 12') // returns 'losses.py:12'
 */
export function syntaxLocation(where: string): string {
  const match = /^(.*), line (\d+)$/.exec(where);
  if (!match || /^cell \d+$/.test(match[1])) return where;
  return `${match[1]}:${match[2]}`;
}

/** " (at losses.ts:12:5)" for the first stack frame inside the student's stage, if any. */
export function firstStudentFrame(stack: string | undefined): string {
  if (!stack) return '';
  for (const line of stack.split('\n').slice(1)) {
    const match = /\(?((?:[^()\s]*[\\/])?([^\\/()\s]+\.(?:ts|js|mts|cts|mjs|cjs)):(\d+):(\d+))\)?\s*$/.exec(line.trim());
    if (match && !line.includes('node:') && !/[\\/]sandbox[\\/](child|codec|framing)\.js/.test(line)) return ` (at ${match[2]}:${match[3]}:${match[4]})`;
  }
  return '';
}

export type { ParentMessage };
