/**
 * Where the time of a grading run goes. Three kinds of measurement:
 *  - process and module costs: `node -e 0`, the sandbox's wrappers and permission flags,
 *    `require` of jest / typescript / sucrase / mathjs, the CLI's own start, a run of 1 submission;
 *  - mlgrade's per-submission steps in this process: staging + hashing, and a sandbox's life
 *    (start, load, one call, close), and one call on a running sandbox;
 *  - a CPU profile (`--cpu-prof`) of a small grading run in band (`--jobs 1`: the suites run in
 *    the CLI process), self time grouped by package or mlgrade folder, plus the sandbox processes
 *    started and IPC messages sent per submission (counted by bench/ipcCounter.ts). Sandbox processes are started with
 *    their own argv, so they are not profiled: their cost comes from the step measurements.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadAssignment } from '../src/assignments/spec';
import { hashSubmission } from '../src/grading/grade';
import { packageRoot } from '../src/paths';
import { namespaceArgs, namespaceTool, cpuLimitToolPath, permissionFlag } from '../src/sandbox/isolation';
import { resolveAllowedModules } from '../src/sandbox/modules';
import { SubmissionSandbox } from '../src/sandbox/sandboxProcess';
import { stageSubmission } from '../src/sandbox/stage';
import { childrenCpuMs, median, ownCpuMs, round, timeCommand } from './measure';

export interface CostRow {
  what: string;
  wallMs: number;
  /** CPU of the process tree (or of this process plus its children for in-process steps). */
  cpuMs: number | null;
  note?: string;
}

function repeatCommand(what: string, command: string, args: string[], reps: number, note?: string): CostRow {
  const runs = Array.from({ length: reps }, () => timeCommand(command, args, { cwd: os.tmpdir() }));
  const failed = runs.find((r) => r.status !== 0);
  const cpu = runs.map((r) => r.cpuMs).filter((c): c is number => c !== undefined);
  return { what, wallMs: round(median(runs.map((r) => r.wallMs))), cpuMs: cpu.length ? round(median(cpu)) : null, note: failed ? `exit ${failed.status}: ${failed.stderr.trim().split('\n').pop()}` : note };
}

/** Process starts and module loads, medians of `reps` runs. */
export function processCosts(reps = 5): CostRow[] {
  const node = process.execPath;
  const root = packageRoot();
  const rows: CostRow[] = [repeatCommand('node -e 0', node, ['-e', '0'], reps)];
  const permission = [permissionFlag(), `--allow-fs-read=${os.tmpdir()}${path.sep}`, '--disable-warning=ExperimentalWarning', '-e', '0'];
  rows.push(repeatCommand('node + permission model', node, permission, reps));
  const tool = namespaceTool();
  if (tool) {
    const [command, ...args] = namespaceArgs(tool, [os.tmpdir()], os.tmpdir());
    rows.push(repeatCommand(`${tool.kind} node + permission model`, command, [...args, node, ...permission], reps));
    const prlimit = cpuLimitToolPath();
    if (prlimit) rows.push(repeatCommand(`prlimit ${tool.kind} node + permission model (a sandbox start)`, prlimit, ['--cpu=120', '--', command, ...args, node, ...permission], reps));
  }
  for (const name of ['mathjs', 'sucrase', 'typescript', 'jest', 'yargs']) {
    const resolved = (() => {
      try {
        return require.resolve(name, { paths: [root] });
      } catch {
        return undefined;
      }
    })();
    if (resolved) rows.push(repeatCommand(`node -e "require('${name}')"`, node, ['-e', `require(${JSON.stringify(resolved)})`], Math.min(reps, 3), 'includes the node start above'));
  }
  rows.push(repeatCommand('mlgrade --help (CLI start: yargs, reporters)', node, [path.join(root, 'bin', 'mlgrade.js'), '--help'], Math.min(reps, 3)));
  return rows;
}

/** A grading run of one submission: the fixed cost of a run (CLI, jest start, isolation probes). */
export function singleRunCost(submissionDir: string, reps = 3): CostRow {
  const root = packageRoot();
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let i = 0; i < reps; i++) {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'mlgrade-bench-one-'));
    const run = timeCommand(process.execPath, [path.join(root, 'bin', 'mlgrade.js'), 'grade', 'losses', submissionDir, '--out', out], { cwd: root, env: { ...process.env, NO_COLOR: '1' } });
    fs.rmSync(out, { recursive: true, force: true });
    walls.push(run.wallMs);
    if (run.cpuMs !== undefined) cpus.push(run.cpuMs);
  }
  return { what: 'mlgrade grade of 1 submission (fixed cost of a run + 1 submission)', wallMs: round(median(walls)), cpuMs: cpus.length ? round(median(cpus)) : null };
}

/** CPU of this process plus reaped children, around an async step. */
async function measureInProcess(step: () => Promise<void> | void): Promise<{ wallMs: number; cpuMs: number | null }> {
  const own = ownCpuMs();
  const children = childrenCpuMs();
  const started = process.hrtime.bigint();
  await step();
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const childrenAfter = childrenCpuMs();
  const cpu = children === undefined || childrenAfter === undefined ? null : ownCpuMs() - own + (childrenAfter - children);
  return { wallMs, cpuMs: cpu };
}

/** Staging + hashing, one sandbox's whole life, and one call — per submission / per call. */
export async function stepCosts(submissionDirs: string[], sandboxReps = 10, calls = 300): Promise<CostRow[]> {
  const rows: CostRow[] = [];
  const assignment = loadAssignment('losses');
  const stageRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'mlgrade-bench-stage-'));
  try {
    const staged: { entry: string; dir: string }[] = [];
    const stage = await measureInProcess(() => {
      submissionDirs.forEach((dir, i) => {
        hashSubmission(dir);
        const outcome = stageSubmission(dir, path.join(stageRoot, `s${i}`), assignment.entry);
        if (outcome.status === 'staged') staged.push({ entry: outcome.entry, dir: outcome.dir });
      });
    });
    const n = submissionDirs.length;
    rows.push({ what: `hash + stage (transpile) one submission (mean of ${n})`, wallMs: round(stage.wallMs / n), cpuMs: stage.cpuMs === null ? null : round(stage.cpuMs / n), note: 'the first includes loading the transpiler' });

    const limits = assignment.limits;
    // As a grading run does: isolation and allowed modules resolved once per batch.
    const resolved = { namespace: namespaceTool(), modules: resolveAllowedModules(assignment.allowedModules) };
    const life = await measureInProcess(async () => {
      for (let i = 0; i < sandboxReps; i++) {
        const s = staged[i % staged.length];
        const box = new SubmissionSandbox({ entry: s.entry, stageDir: s.dir, limits, allowedModules: assignment.allowedModules, resolved });
        const failure = await box.load();
        if (failure) throw new Error(`the benchmark's sandbox did not load ${s.entry}: ${failure.message}`);
        await box.call('mse', [[1, 2, 3], [1.5, 2, 2]]);
        await box.close();
      }
    });
    rows.push({ what: `sandbox life: start, load, 1 call, close (mean of ${sandboxReps})`, wallMs: round(life.wallMs / sandboxReps), cpuMs: life.cpuMs === null ? null : round(life.cpuMs / sandboxReps), note: 'parent + child CPU' });

    const box = new SubmissionSandbox({ entry: staged[0].entry, stageDir: staged[0].dir, limits, allowedModules: assignment.allowedModules, resolved });
    await box.load();
    const yTrue = Array.from({ length: 64 }, (_, i) => i % 2);
    const yPred = Array.from({ length: 64 }, (_, i) => (i % 7) / 7);
    const perCall = await measureInProcess(async () => {
      for (let i = 0; i < calls; i++) await box.call('mseGrad', [yTrue, yPred]);
      await box.close();
    });
    rows.push({ what: `one call on a running sandbox, 64 floats each way (mean of ${calls})`, wallMs: round(perCall.wallMs / calls, 2), cpuMs: perCall.cpuMs === null ? null : round(perCall.cpuMs / calls, 2), note: 'parent + child CPU, IPC with v8 serialisation' });
  } finally {
    fs.rmSync(stageRoot, { recursive: true, force: true });
  }
  return rows;
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string } }[];
  samples: number[];
  timeDeltas: number[];
}

const FS_BINDINGS = new Set(['open', 'close', 'read', 'write', 'writeBuffer', 'writeString', 'writeUtf8String', 'readFileUtf8', 'writeFileUtf8', 'stat', 'lstat', 'fstat', 'mkdir', 'rmdir', 'unlink', 'rename', 'readdir', 'existsSync', 'internalModuleStat', 'internalModuleReadJSON', 'realpath', 'copyFile', 'FSReqCallback']);

/** What a profiled frame belongs to: an npm package, an mlgrade folder, Node itself, or V8. */
export function categoriseFrame(url: string, functionName: string): string {
  if (!url) {
    if (functionName === '(idle)') return '(idle)';
    if (functionName === '(garbage collector)') return 'V8: garbage collection';
    if (functionName === '(program)') return 'V8: compiling and native code (program)';
    if (/^compileFunction/.test(functionName)) return 'V8: compiling modules';
    if (FS_BINDINGS.has(functionName)) return 'native: file system calls';
    return 'native: other';
  }
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + '/node_modules/'.length).split('/');
    const name = rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
    if (name === 'jest' || name.startsWith('jest-') || name.startsWith('@jest/') || name === 'expect' || name === 'pretty-format' || name === 'babel-jest' || name.startsWith('@babel/')) return 'jest (runtime, module registry, workers, expect)';
    return `package: ${name}`;
  }
  if (url.startsWith('node:')) {
    const part = url.replace(/^node:(internal\/)?/, '').split('/')[0];
    if (part === 'modules') return 'node: module loading';
    return `node: ${part.replace(/\.js$/, '')}`;
  }
  const m = /\/dist\/(graders|reference|reports|src\/sandbox|src\/grading|src\/cli|src)\//.exec(url);
  if (m) {
    const labels: Record<string, string> = {
      graders: 'mlgrade graders/ (suites, checks, diagnosis)',
      reference: 'mlgrade reference/',
      reports: 'mlgrade reports/',
      'src/sandbox': 'mlgrade src/sandbox (parent side)',
      'src/grading': 'mlgrade src/grading',
      'src/cli': 'mlgrade src/cli',
      src: 'mlgrade src/ (other)',
    };
    return labels[m[1]];
  }
  if (/\.grade\.js$/.test(url)) return 'mlgrade graders/ (suites, checks, diagnosis)';
  return 'other';
}

export interface ProfileSummary {
  submissions: number;
  /** Process-tree CPU of the profiled run (profiling adds overhead; use for shares, not totals). */
  treeCpuMs: number | null;
  wallMs: number;
  processes: { kind: 'cli' | 'jest worker'; cpuMs: number }[];
  /** Self time by process kind and category, ms per submission, largest first. */
  perSubmissionMs: { process: 'cli' | 'jest worker'; category: string; ms: number; share: number }[];
  /** Counted in the jest workers (bench/ipcCounter.ts): sandbox processes started, IPC messages sent to them. */
  sandboxStartsPerSubmission: number | null;
  ipcMessagesPerSubmission: number | null;
}

function countsPerSubmission(dir: string, submissions: number): { sandboxStartsPerSubmission: number | null; ipcMessagesPerSubmission: number | null } {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));
  if (files.length === 0) return { sandboxStartsPerSubmission: null, ipcMessagesPerSubmission: null };
  let spawns = 0;
  let sends = 0;
  for (const file of files) {
    const counts = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as { spawns: number; sends: number };
    spawns += counts.spawns;
    sends += counts.sends;
  }
  return { sandboxStartsPerSubmission: round(spawns / submissions, 2), ipcMessagesPerSubmission: round(sends / submissions, 1) };
}

/** Grades `classDir` in band with `--cpu-prof` and groups the samples. */
export function profileRun(classDir: string, submissions: number): ProfileSummary {
  const root = packageRoot();
  const profDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlgrade-bench-prof-'));
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'mlgrade-bench-prof-out-'));
  const countDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlgrade-bench-count-'));
  try {
    const counter = path.join(__dirname, 'ipcCounter.js');
    const env = { ...process.env, NO_COLOR: '1', MLGRADE_BENCH_COUNT_DIR: countDir, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${counter}`.trim() };
    // In band (--jobs 1): a profile is written when its process exits, and jest may kill a worker
    // that is slow to exit, losing its profile; in band every test file runs in the CLI process,
    // with the same per-file costs (a fresh module registry and context per file) but no worker IPC.
    // Node refuses --cpu-prof in NODE_OPTIONS, so it goes on the command line.
    const run = timeCommand(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${profDir}`, path.join(root, 'bin', 'mlgrade.js'), 'grade', 'losses', classDir, '--out', out, '--jobs', '1'], { cwd: root, env });
    if (run.status !== 0) throw new Error(`the profiled grading run exited with ${run.status}: ${run.stderr.slice(-500)}`);
    const totals = new Map<string, number>();
    const processes: ProfileSummary['processes'] = [];
    for (const file of fs.readdirSync(profDir).filter((f) => f.endsWith('.cpuprofile'))) {
      const profile = JSON.parse(fs.readFileSync(path.join(profDir, file), 'utf8')) as CpuProfile;
      const categoryOf = new Map(profile.nodes.map((n) => [n.id, categoriseFrame(n.callFrame.url, n.callFrame.functionName)]));
      const kind = profile.nodes.some((n) => /jest-worker\/build\/(workers\/)?processChild/.test(n.callFrame.url)) ? 'jest worker' : 'cli';
      let busyUs = 0;
      profile.samples.forEach((id, i) => {
        const category = categoryOf.get(id) ?? 'other';
        const us = profile.timeDeltas[i] ?? 0;
        if (category === '(idle)') return;
        busyUs += us;
        const key = `${kind}\t${category}`;
        totals.set(key, (totals.get(key) ?? 0) + us);
      });
      processes.push({ kind, cpuMs: round(busyUs / 1000) });
    }
    // Sample time is wall time while a thread was busy (or runnable but preempted on a loaded
    // machine): use it for shares, and the tree's CPU time for totals.
    const profiledMs = [...totals.values()].reduce((s, v) => s + v, 0) / 1000;
    const perSubmissionMs = [...totals.entries()]
      .map(([key, us]) => {
        const [kind, category] = key.split('\t') as ['cli' | 'jest worker', string];
        return { process: kind, category, ms: round(us / 1000 / submissions), share: round((us / 1000 / profiledMs) * 100) };
      })
      .sort((a, b) => b.ms - a.ms);
    return {
      submissions,
      treeCpuMs: run.cpuMs === undefined ? null : round(run.cpuMs),
      wallMs: round(run.wallMs),
      processes,
      perSubmissionMs,
      ...countsPerSubmission(countDir, submissions),
    };
  } finally {
    fs.rmSync(countDir, { recursive: true, force: true });
    fs.rmSync(profDir, { recursive: true, force: true });
    fs.rmSync(out, { recursive: true, force: true });
  }
}
