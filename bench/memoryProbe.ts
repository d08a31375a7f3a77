/**
 * Preloaded into a measured grading run (`NODE_OPTIONS=--require …/memoryProbe.js`) to record
 * each node process's own memory: its peak resident set (VmHWM from /proc/self/status, which the
 * kernel keeps, so no peak between two samples is missed) and the peak of V8's used heap (sampled
 * every 200 ms). Each process writes `$MLGRADE_BENCH_MEMORY_DIR/<pid>.json` when it exits: the
 * grading CLI (the orchestrator) and each jest worker. Sandbox processes get a scrubbed
 * environment, so this never runs inside one. A worker jest kills (to recycle it) writes nothing;
 * bench/memory.ts samples the process tree from outside as well.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** What a probed process writes when it exits. */
export interface ProbeRecord {
  pid: number;
  /** `orchestrator` (bin/mlgrade.js), `jest-worker`, or `other` (with its script). */
  role: string;
  script: string;
  /** Peak resident set size, MB (VmHWM). */
  peakRssMb: number;
  /** Peak V8 heap in use, MB (sampled). */
  peakHeapUsedMb: number;
  /** Peak V8 heap reserved (heapTotal), MB (sampled). */
  peakHeapTotalMb: number;
  /** Lifetime in ms. */
  lifetimeMs: number;
}

/** The role of a node process from its main script. */
export function roleOf(script: string): string {
  if (/mlgrade(\.js)?$/.test(script) || /[\\/]bin[\\/]mlgrade\.js$/.test(script)) return 'orchestrator';
  if (/jest-worker/.test(script) || /processChild/.test(script)) return 'jest-worker';
  return 'other';
}

/** Parses a `VmHWM:   12345 kB` style line of /proc/<pid>/status into MB (undefined when absent). */
export function statusFieldMb(status: string, field: string): number | undefined {
  const match = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(status);
  return match ? Number(match[1]) / 1024 : undefined;
}

const dir = process.env.MLGRADE_BENCH_MEMORY_DIR;
if (dir) {
  const started = Date.now();
  const mb = (bytes: number) => Math.round((bytes / 1048576) * 10) / 10;
  let heapUsed = 0;
  let heapTotal = 0;
  const sample = () => {
    const usage = process.memoryUsage();
    heapUsed = Math.max(heapUsed, usage.heapUsed);
    heapTotal = Math.max(heapTotal, usage.heapTotal);
  };
  setInterval(sample, 200).unref();
  process.on('exit', () => {
    sample();
    let peakRssMb = 0;
    try {
      peakRssMb = statusFieldMb(fs.readFileSync('/proc/self/status', 'utf8'), 'VmHWM') ?? 0;
    } catch {
      peakRssMb = mb(process.memoryUsage().rss);
    }
    const script = process.argv[1] ?? '';
    const record: ProbeRecord = {
      pid: process.pid,
      role: roleOf(script),
      script: path.basename(script),
      peakRssMb: Math.round(peakRssMb * 10) / 10,
      peakHeapUsedMb: mb(heapUsed),
      peakHeapTotalMb: mb(heapTotal),
      lifetimeMs: Date.now() - started,
    };
    fs.writeFileSync(path.join(dir, `${process.pid}.json`), JSON.stringify(record));
  });
}
