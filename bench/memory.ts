/**
 * Memory benchmark (`npm run bench:memory`, options after `--`): grades generated classes of
 * several sizes with `mlgrade grade` as a child process and records how much memory the grading
 * process tree held at its peak — the orchestrator (the CLI process that plans, collects results
 * and writes every output) apart from the jest workers and the sandboxes — so that a class ten
 * times larger can be seen to need (or not) ten times the memory. See bench/README.md.
 *
 *   npm run bench:memory                            # 200, 1,000 and 5,000 submissions
 *   npm run bench:memory -- --sizes 200,1000        # a quicker look
 *   npm run bench:memory -- --cli /other/checkout/bin/mlgrade.js --out before.json
 */
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { packageRoot } from '../src/paths';
import { generateClass, type GeneratedSubmission } from './generate';
import { childrenCpuMs, machineLoad, round, type MachineLoad } from './measure';
import { statusFieldMb, type ProbeRecord } from './memoryProbe';
import { gitDescription, runBenchmark, saveReport } from './report';

export interface MemoryBenchOptions {
  sizes: number[];
  jobs?: number;
  /** The CLI to measure (default: this checkout's bin/mlgrade.js). */
  cli: string;
  /** Sampling interval of the process tree, ms. */
  intervalMs: number;
  out: string;
  keep: boolean;
}

/** Parses `--sizes 200,1000,5000 --jobs 2 --cli path --interval 250 --out f.json --keep`. */
export function parseMemoryArgs(argv: string[], root = packageRoot()): MemoryBenchOptions {
  const options: MemoryBenchOptions = {
    sizes: [200, 1000, 5000],
    cli: path.join(root, 'bin', 'mlgrade.js'),
    intervalMs: 250,
    out: path.join(root, 'bench', 'results', 'memory.json'),
    keep: false,
  };
  const positive = (flag: string, value: string | undefined): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new Error(`bench:memory: ${flag} needs a positive integer, got ${JSON.stringify(value)}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => argv[++i];
    if (flag === '--sizes') options.sizes = String(value()).split(',').map((s) => positive('--sizes', s));
    else if (flag === '--jobs') options.jobs = positive(flag, value());
    else if (flag === '--interval') options.intervalMs = positive(flag, value());
    else if (flag === '--cli') options.cli = path.resolve(String(value()));
    else if (flag === '--out') options.out = path.resolve(String(value()));
    else if (flag === '--keep') options.keep = true;
    else throw new Error(`bench:memory: unknown option ${JSON.stringify(flag)} (options: --sizes --jobs --cli --interval --out --keep)`);
  }
  return options;
}

/** One process of the measured tree at one moment. */
export interface TreeProcess {
  pid: number;
  ppid: number;
  rssMb: number;
  /** `orchestrator`, `jest-worker` or `sandbox` (everything else: what workers start — wrappers, the sandboxed node — and probes). */
  role: 'orchestrator' | 'jest-worker' | 'sandbox';
}

/** RSS of the tree by role at one moment. */
export interface TreeSample {
  ms: number;
  orchestratorMb: number;
  workersMb: number;
  largestWorkerMb: number;
  workers: number;
  sandboxesMb: number;
  totalMb: number;
}

/** Parent pid from /proc/<pid>/stat (the field after the parenthesised command, which may hold spaces). */
export function parentPid(stat: string): number {
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

/** The descendants of `root` (root included) in a pid → ppid table, each with its role. */
export function treeOf(
  root: number,
  parents: ReadonlyMap<number, number>,
  isJestWorker: (pid: number) => boolean,
): Map<number, TreeProcess['role']> {
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of parents) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  const roles = new Map<number, TreeProcess['role']>([[root, 'orchestrator']]);
  const queue = [root];
  while (queue.length) {
    const pid = queue.shift()!;
    for (const child of children.get(pid) ?? []) {
      const parentRole = roles.get(pid);
      // The orchestrator's other children (an isolation probe) count with the sandboxes.
      roles.set(child, parentRole === 'orchestrator' && isJestWorker(child) ? 'jest-worker' : 'sandbox');
      queue.push(child);
    }
  }
  return roles;
}

/** Sums a tree's RSS by role. */
export function summariseTree(ms: number, processes: readonly TreeProcess[]): TreeSample {
  const sum = (role: TreeProcess['role']) => processes.filter((p) => p.role === role).reduce((s, p) => s + p.rssMb, 0);
  const workers = processes.filter((p) => p.role === 'jest-worker');
  return {
    ms,
    orchestratorMb: round(sum('orchestrator')),
    workersMb: round(sum('jest-worker')),
    largestWorkerMb: round(Math.max(0, ...workers.map((p) => p.rssMb))),
    workers: workers.length,
    sandboxesMb: round(sum('sandbox')),
    totalMb: round(processes.reduce((s, p) => s + p.rssMb, 0)),
  };
}

const readText = (file: string): string | undefined => {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
};

/** The process tree under `root` right now, from /proc (Linux). */
function sampleTree(root: number, ms: number, workerCache: Map<number, boolean>): TreeSample | undefined {
  const parents = new Map<number, number>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readText(`/proc/${name}/stat`);
    if (stat) parents.set(Number(name), parentPid(stat));
  }
  if (!parents.has(root)) return undefined;
  const isJestWorker = (pid: number) => {
    if (!workerCache.has(pid)) workerCache.set(pid, /jest-worker|processChild/.test(readText(`/proc/${pid}/cmdline`) ?? ''));
    return workerCache.get(pid)!;
  };
  const processes: TreeProcess[] = [];
  for (const [pid, role] of treeOf(root, parents, isJestWorker)) {
    const rssMb = statusFieldMb(readText(`/proc/${pid}/status`) ?? '', 'VmRSS');
    if (rssMb !== undefined) processes.push({ pid, ppid: parents.get(pid)!, rssMb, role });
  }
  return summariseTree(ms, processes);
}

/** What else the machine was running: the busiest processes outside the measured tree (command names only). */
function otherWork(exclude: ReadonlySet<number>): string[] {
  try {
    const lines = execFileSync('ps', ['-eo', 'pid=,pcpu=,comm='], { encoding: 'utf8' }).trim().split('\n');
    const busy = new Map<string, number>();
    for (const line of lines) {
      const [pid, cpu, ...comm] = line.trim().split(/\s+/);
      if (exclude.has(Number(pid)) || Number(pid) === process.pid) continue;
      const name = comm.join(' ');
      busy.set(name, (busy.get(name) ?? 0) + Number(cpu));
    }
    return [...busy]
      .filter(([, cpu]) => cpu >= 5)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 6)
      .map(([name, cpu]) => `${name} ${Math.round(cpu)}%`);
  } catch {
    return [];
  }
}

export interface SizeResult {
  submissions: number;
  wallMs: number;
  cpuMs: number | null;
  submissionsPerSecond: number;
  cpuMsPerSubmission: number | null;
  orchestrator: {
    /** Peak RSS of the orchestrator (its VmHWM, recorded when it exits). */
    peakRssMb: number | null;
    /** Largest RSS seen by sampling (a check of the above). */
    sampledPeakRssMb: number;
    peakHeapUsedMb: number | null;
    peakHeapTotalMb: number | null;
  };
  workers: {
    /** Largest peak RSS of any one jest worker (VmHWM of the workers that exited normally, and sampling). */
    largestPeakRssMb: number;
    /** Largest sum of all workers' RSS at one moment. */
    peakSumMb: number;
    /** Worker processes seen over the run (jest recycles a worker whose memory passes its limit). */
    seen: number;
  };
  /** Largest RSS of the whole tree (orchestrator, workers, sandboxes) at one moment. */
  treePeakMb: number;
  load: { before: MachineLoad; after: MachineLoad };
  /** The busiest other processes when the run started and ended (name and CPU %). */
  otherWork: { before: string[]; after: string[] };
  checks: string[];
  /** RSS by role every ~5 s. */
  series: TreeSample[];
}

function log(line: string): void {
  process.stderr.write(`[bench:memory] ${line}\n`);
}

/** Grades one generated class and measures it. */
async function measureSize(
  options: MemoryBenchOptions,
  generated: GeneratedSubmission[],
  classDir: string,
  scratch: string,
): Promise<SizeResult> {
  const n = generated.length;
  const out = path.join(scratch, `out-${n}`);
  const probeDir = path.join(scratch, `probe-${n}`);
  fs.mkdirSync(probeDir, { recursive: true });
  const probe = path.join(__dirname, 'memoryProbe.js');
  const logFile = path.join(scratch, `log-${n}.txt`);
  const logFd = fs.openSync(logFile, 'w');
  const args = [options.cli, 'grade', 'losses', classDir, '--out', out, ...(options.jobs ? ['--jobs', String(options.jobs)] : [])];
  const env = {
    ...process.env,
    NO_COLOR: '1',
    MLGRADE_BENCH_MEMORY_DIR: probeDir,
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${probe}`.trim(),
  };
  const before = machineLoad();
  const cpuBefore = childrenCpuMs();
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, args, { cwd: path.dirname(path.dirname(options.cli)), env, stdio: ['ignore', logFd, logFd] });
  const otherBefore = otherWork(new Set([child.pid!]));
  const samples: TreeSample[] = [];
  const workerCache = new Map<number, boolean>();
  const seenWorkers = new Set<number>();
  const timer = setInterval(() => {
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const sample = sampleTree(child.pid!, ms, workerCache);
    if (sample) samples.push(sample);
    for (const [pid, worker] of workerCache) if (worker) seenWorkers.add(pid);
  }, options.intervalMs);
  let otherAfter: string[] = [];
  const status = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    // The other work is read just before the end, while the tree still runs (to exclude it).
    const late = setInterval(() => (otherAfter = otherWork(new Set([child.pid!]))), 30_000);
    child.once('exit', (code) => {
      clearInterval(late);
      resolve(code);
    });
  });
  clearInterval(timer);
  fs.closeSync(logFd);
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const cpuAfter = childrenCpuMs();
  const after = machineLoad();
  if (status !== 0) {
    throw new Error(`mlgrade exited with ${status}; its output is in ${logFile}:\n${(readText(logFile) ?? '').slice(-2000)}`);
  }

  const records = fs.readdirSync(probeDir).map((f) => JSON.parse(fs.readFileSync(path.join(probeDir, f), 'utf8')) as ProbeRecord);
  const orchestrator = records.find((r) => r.pid === child.pid);
  const workers = records.filter((r) => r.role === 'jest-worker');
  for (const w of workers) seenWorkers.add(w.pid);
  const max = (values: number[]) => round(Math.max(0, ...values));

  const checks: string[] = [];
  const submissionsDir = path.join(out, 'submissions');
  const written = fs.existsSync(submissionsDir) ? fs.readdirSync(submissionsDir).length : 0;
  checks.push(`${written}/${n} submission folders written`);
  const csvRows = (readText(path.join(out, 'grades.csv')) ?? '').trim().split('\n').length - 1;
  checks.push(`grades.csv has ${csvRows}/${n} rows`);
  const summary = JSON.parse(readText(path.join(out, 'summary.json')) ?? '{}') as { counts?: { submissions?: number } };
  checks.push(`summary.json counts ${summary.counts?.submissions ?? '?'}/${n} submissions`);
  const closing = (readText(logFile) ?? '').match(/^\d+ submissions? graded.*$/m)?.[0];
  if (closing) checks.push(`closing line: "${closing}"`);

  const every = Math.max(1, Math.round(5000 / options.intervalMs));
  const result: SizeResult = {
    submissions: n,
    wallMs: round(wallMs),
    cpuMs: cpuBefore === undefined || cpuAfter === undefined ? null : round(cpuAfter - cpuBefore),
    submissionsPerSecond: round(n / (wallMs / 1000), 2),
    cpuMsPerSubmission: cpuBefore === undefined || cpuAfter === undefined ? null : round((cpuAfter - cpuBefore) / n),
    orchestrator: {
      peakRssMb: orchestrator?.peakRssMb ?? null,
      sampledPeakRssMb: max(samples.map((s) => s.orchestratorMb)),
      peakHeapUsedMb: orchestrator?.peakHeapUsedMb ?? null,
      peakHeapTotalMb: orchestrator?.peakHeapTotalMb ?? null,
    },
    workers: {
      largestPeakRssMb: max([...workers.map((w) => w.peakRssMb), ...samples.map((s) => s.largestWorkerMb)]),
      peakSumMb: max(samples.map((s) => s.workersMb)),
      seen: seenWorkers.size,
    },
    treePeakMb: max(samples.map((s) => s.totalMb)),
    load: { before, after },
    otherWork: { before: otherBefore, after: otherAfter },
    checks,
    series: samples.filter((_, i) => i % every === 0),
  };
  if (!options.keep) fs.rmSync(out, { recursive: true, force: true });
  return result;
}

function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return s < 120 ? `${round(s)} s` : `${round(s / 60)} min`;
}

/** The Markdown table of a memory benchmark. */
export function formatMemoryTable(results: readonly SizeResult[]): string {
  const lines = [
    '| submissions | orchestrator peak RSS | orchestrator peak V8 heap used | largest jest worker peak RSS ' +
      '| all workers at once | whole tree at once | wall | submissions/s | CPU ms / submission |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of results) {
    const mb = (value: number | null) => (value === null ? '?' : `${Math.round(value)} MB`);
    lines.push(
      `| ${r.submissions.toLocaleString('en-US')} | ${mb(r.orchestrator.peakRssMb ?? r.orchestrator.sampledPeakRssMb)} ` +
        `| ${mb(r.orchestrator.peakHeapUsedMb)} | ${mb(r.workers.largestPeakRssMb)} | ${mb(r.workers.peakSumMb)} ` +
        `| ${mb(r.treePeakMb)} | ${formatSeconds(r.wallMs)} | ${r.submissionsPerSecond} | ${r.cpuMsPerSubmission ?? '?'} |`,
    );
  }
  return lines.join('\n');
}

/**
 * How much the orchestrator's peak grows per 1,000 more submissions between two measured sizes
 * (MB); undefined with fewer than two sizes.
 */
export function growthPerThousand(results: readonly SizeResult[], from: number, to: number): number | undefined {
  const a = results.find((r) => r.submissions === from);
  const b = results.find((r) => r.submissions === to);
  const peak = (r: SizeResult) => r.orchestrator.peakRssMb ?? r.orchestrator.sampledPeakRssMb;
  if (!a || !b || a === b) return undefined;
  return round(((peak(b) - peak(a)) / (b.submissions - a.submissions)) * 1000);
}

export async function main(argv: string[]): Promise<void> {
  const root = packageRoot();
  const options = parseMemoryArgs(argv, root);
  if (!fs.existsSync(options.cli)) {
    throw new Error(`bench:memory: ${options.cli} does not exist (run \`npm run build\` first, or give --cli)`);
  }
  if (!fs.existsSync('/proc/self/status')) throw new Error('bench:memory: needs Linux (/proc) to read resident memory');
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'mlgrade-bench-memory-'));
  const startedAt = new Date();
  const results: SizeResult[] = [];
  try {
    for (const n of options.sizes) {
      const classDir = path.join(scratch, `class-${n}`);
      const generated = generateClass({ n, dir: classDir });
      log(`grading ${n} generated submissions (load average ${machineLoad().loadavg1} on ${os.availableParallelism()} cores)…`);
      const result = await measureSize(options, generated, classDir, scratch);
      log(
        `  ${formatSeconds(result.wallMs)}; orchestrator peak ${result.orchestrator.peakRssMb ?? '?'} MB RSS ` +
          `(heap used ${result.orchestrator.peakHeapUsedMb ?? '?'} MB); largest worker ${result.workers.largestPeakRssMb} MB; ${result.checks.join('; ')}`,
      );
      results.push(result);
      if (!options.keep) fs.rmSync(classDir, { recursive: true, force: true });
    }
    const sizes = [...options.sizes].sort((a, b) => a - b);
    const report = {
      benchmark: 'memory',
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      git: gitDescription(path.dirname(path.dirname(options.cli))),
      cli: path.relative(root, options.cli) || options.cli,
      machine: {
        cpus: os.availableParallelism(),
        totalMemoryMb: Math.round(os.totalmem() / 1048576),
        cpuModel: os.cpus()[0]?.model ?? 'unknown',
        node: process.version,
      },
      options: { sizes: options.sizes, jobs: options.jobs ?? null, intervalMs: options.intervalMs },
      growthPerThousandMb: {
        orchestrator: sizes.length > 1 ? growthPerThousand(results, sizes[sizes.length - 2], sizes[sizes.length - 1]) ?? null : null,
        from: sizes.length > 1 ? sizes[sizes.length - 2] : null,
        to: sizes[sizes.length - 1],
      },
      results,
    };
    const build = `${report.git.commit}${report.git.dirty ? ' (uncommitted changes)' : ''}`;
    const lines = [`## mlgrade memory — generated \`losses\` classes, ${report.machine.cpus} cores, Node ${process.version}, ${build}`, ''];
    lines.push(formatMemoryTable(results), '');
    const growth = report.growthPerThousandMb.orchestrator;
    if (growth !== null) {
      const { from, to } = report.growthPerThousandMb;
      lines.push(`Orchestrator peak RSS from ${from} to ${to} submissions: ${growth >= 0 ? '+' : ''}${growth} MB per 1,000 submissions.`);
    }
    for (const r of results) {
      const other = r.otherWork.before.join(', ') || 'none seen';
      lines.push(`${r.submissions}: load average ${r.load.before.loadavg1} → ${r.load.after.loadavg1}; other work: ${other}; ${r.checks.join('; ')}.`);
    }
    process.stdout.write(lines.join('\n') + '\n');
    saveReport(options.out, report, 'bench:memory');
  } finally {
    if (options.keep) log(`kept ${scratch}`);
    else fs.rmSync(scratch, { recursive: true, force: true });
  }
}

runBenchmark(module, main);
