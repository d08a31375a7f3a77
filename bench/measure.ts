/**
 * Timing a command as a whole process tree: wall time, and CPU time (user + system) of every
 * process it started and waited for. CPU comes from this process's `cutime`/`cstime` in
 * /proc/self/stat, which the kernel adds each reaped child's own and reaped descendants' time to,
 * so it covers mlgrade's jest workers and every sandbox process, not just the top process.
 */
import { execFileSync, spawnSync, type SpawnSyncOptions } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';

let ticksPerSecond: number | undefined;

function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/**
 * CPU milliseconds of all reaped children of this process so far (Linux), else undefined.
 * Resolution: one clock tick (10 ms).
 */
export function childrenCpuMs(): number | undefined {
  let stat: string;
  try {
    stat = fs.readFileSync('/proc/self/stat', 'utf8');
  } catch {
    return undefined;
  }
  // Fields after "(comm)": state is field 3; cutime and cstime are fields 16 and 17.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cutime = Number(fields[16 - 3]);
  const cstime = Number(fields[17 - 3]);
  return ((cutime + cstime) * 1000) / clockTicks();
}

/** CPU milliseconds this process itself has used (user + system). */
export function ownCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/**
 * CPU milliseconds the whole machine has spent busy (all cores; user, nice, system, irq,
 * softirq, steal from /proc/stat) since boot; undefined without /proc. The difference over a
 * run cross-checks the process-tree figure: a tree that reaps every process it starts is close
 * to it on a quiet machine, so a tree figure well below it means work outside the tree (other
 * load, or processes that escaped being waited for).
 */
export function machineBusyMs(): number | undefined {
  try {
    const cpu = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const [user, nice, system, , , irq, softirq, steal] = cpu;
    return ((user + nice + system + irq + softirq + (steal ?? 0)) * 1000) / clockTicks();
  } catch {
    return undefined;
  }
}

export interface TimedRun {
  wallMs: number;
  /** CPU of the whole process tree; undefined where /proc is missing. */
  cpuMs: number | undefined;
  /** Busy CPU of the whole machine during the run (see {@link machineBusyMs}). */
  machineCpuMs: number | undefined;
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `command args` to completion and times it (see the file comment for what CPU covers). */
export function timeCommand(command: string, args: string[], options: SpawnSyncOptions = {}): TimedRun {
  const cpuBefore = childrenCpuMs();
  const machineBefore = machineBusyMs();
  const started = process.hrtime.bigint();
  const run = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, ...options });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const cpuAfter = childrenCpuMs();
  const machineAfter = machineBusyMs();
  if (run.error) throw new Error(`${command} ${args.join(' ')}: ${run.error.message}`);
  return {
    wallMs,
    cpuMs: cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore,
    machineCpuMs: machineBefore === undefined || machineAfter === undefined ? undefined : machineAfter - machineBefore,
    status: run.status,
    stdout: String(run.stdout ?? ''),
    stderr: String(run.stderr ?? ''),
  };
}

/** The median of a non-empty list. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** What the machine was doing: the benchmark shares it, and load changes wall times a lot. */
export interface MachineLoad {
  loadavg1: number;
  loadavg5: number;
  cpus: number;
}

export function machineLoad(): MachineLoad {
  const [loadavg1, loadavg5] = os.loadavg();
  return { loadavg1: round(loadavg1, 2), loadavg5: round(loadavg5, 2), cpus: os.availableParallelism() };
}

export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
