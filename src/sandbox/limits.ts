/** Resource limits for one submission's sandbox (configurable per assignment). */
export interface SandboxLimits {
  /**
   * CPU time (user + system) one call of a student function may use; its active time (wall clock
   * less time waiting for a CPU) may run to {@link callWallLimitMs} (code that sleeps or blocks
   * uses no CPU).
   */
  callTimeoutMs: number;
  /** Loading (importing) the submission, process start included: active time (see callTimeoutMs) and CPU time. */
  loadTimeoutMs: number;
  /**
   * V8 heap limit. The kernel limits the process's private writable memory (RLIMIT_DATA) to this
   * plus {@link RSS_HEADROOM_MB}, and a watchdog kills it when its resident size goes above that.
   */
  memoryMb: number;
  /** Captured stdout+stderr per submission (shown to instructors); the rest is counted and dropped. */
  outputBytes: number;
  /**
   * Restarts after crashes or time-outs, per submission; besides, one function's calls stop after
   * it has crashed or timed out {@link RESTARTS_PER_FUNCTION} times. Calls after either limit are
   * `exhausted`: reported, not run.
   */
  maxRestarts: number;
  /**
   * Hard cap on the CPU seconds one sandbox process may ever use (RLIMIT_CPU via prlimit, where
   * available): even an orphaned child whose grader died cannot spin forever.
   */
  processCpuSeconds: number;
  /** The largest message the sandbox may send (one call's reply, or a batch's): larger ones are refused unread. */
  replyBytes: number;
  /**
   * Active time one submission may use in all (process starts, loads, calls, restarts together;
   * wall-clock time less the time spent waiting for a CPU). Unset: {@link submissionBudgetMs}
   * derives it from the other limits.
   */
  submissionBudgetMs?: number;
}

/** Node's own footprint (code, buffers) that is allowed on top of the heap limit. */
export const RSS_HEADROOM_MB = 192;

/** Output beyond this (per submission) stops the process: the call that was running fails, "printed too much". */
export const OUTPUT_FLOOD_BYTES = 8 * 1024 * 1024;

/** After this many crashes or time-outs of one function, its remaining calls are not run. */
export const RESTARTS_PER_FUNCTION = 2;

export const DEFAULT_LIMITS: SandboxLimits = {
  callTimeoutMs: 2000,
  loadTimeoutMs: 5000,
  memoryMb: 256,
  outputBytes: 64 * 1024,
  maxRestarts: 25,
  processCpuSeconds: 120,
  replyBytes: 16 * 1024 * 1024,
};

/**
 * The time budget of one submission (active time: wall-clock time less waiting for a CPU, so a
 * busy machine does not spend it): `submissionBudgetMs` when set, else
 * `loadTimeoutMs + 30 × callTimeoutMs` (65 s with the defaults). Honest submissions use a small
 * fraction of it (a correct `losses` submission: about 0.3 s); one that runs out of memory in 7
 * of its 13 functions used 17–35 s here (14 crashes, each stopping that function's calls after
 * its second); it bounds what one that sleeps or times out in every function costs the class.
 */
export function submissionBudgetMs(limits: SandboxLimits): number {
  return limits.submissionBudgetMs ?? limits.loadTimeoutMs + 30 * limits.callTimeoutMs;
}

/**
 * How long one call may be active when its CPU limit is `cpuLimitMs`: three times that plus a
 * second. Active time is wall-clock time less the time spent waiting for a CPU (code that sleeps
 * uses no CPU but is active), so a busy machine does not turn a slow-but-fine call into a time-out.
 */
export function callWallLimitMs(cpuLimitMs: number): number {
  return 3 * cpuLimitMs + 1000;
}

/**
 * The wall clock's own backstop for a request whose active-time limit is `activeLimitMs`, for
 * when the time waiting for a CPU is unknown or the machine is badly overloaded: 10× + 5 s.
 */
export function absoluteWallLimitMs(activeLimitMs: number): number {
  return 10 * activeLimitMs + 5000;
}

/** The kernel's limit on the child's private writable memory (RLIMIT_DATA), in bytes. */
export function dataLimitBytes(limits: SandboxLimits): number {
  return (limits.memoryMb + RSS_HEADROOM_MB) * 1024 * 1024;
}

/** `limits.replyBytes`, or its default for limits written before it existed. */
export function replyBytesOf(limits: SandboxLimits): number {
  return limits.replyBytes ?? DEFAULT_LIMITS.replyBytes;
}
