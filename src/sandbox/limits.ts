/** Resource limits for one submission's sandbox (configurable per assignment). */
export interface SandboxLimits {
  /** Wall-clock limit for one call of a student function. */
  callTimeoutMs: number;
  /** Wall-clock limit for loading (importing) the submission. */
  loadTimeoutMs: number;
  /** V8 heap limit; resident memory above this plus {@link RSS_HEADROOM_MB} also kills the process. */
  memoryMb: number;
  /** Captured stdout+stderr per submission; the rest is counted and dropped. */
  outputBytes: number;
  /** Give up restarting a submission that keeps crashing after this many restarts. */
  maxRestarts: number;
  /**
   * Hard cap on the CPU seconds one sandbox process may ever use (RLIMIT_CPU via prlimit, where
   * available): even an orphaned child whose grader died cannot spin forever.
   */
  processCpuSeconds: number;
}

/** Node's own footprint (code, buffers) that is allowed on top of the heap limit. */
export const RSS_HEADROOM_MB = 192;

export const DEFAULT_LIMITS: SandboxLimits = {
  callTimeoutMs: 2000,
  loadTimeoutMs: 5000,
  memoryMb: 256,
  outputBytes: 64 * 1024,
  maxRestarts: 25,
  processCpuSeconds: 120,
};
