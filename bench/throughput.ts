/**
 * Throughput benchmark (`npm run bench`, options after `--`): grades a generated class of N
 * ordinary `losses` submissions with `mlgrade grade` as a child process, runs the usual
 * alternative (one `npx jest` with ts-jest per submission) on a sample of K of them, and prints
 * a Markdown table; the same figures go to bench/results/latest.json. See bench/README.md.
 *
 *   npm run bench                      # N = 200, K = 10, with the profile
 *   npm run bench -- --n 1000 --k 5    # a bigger class, a smaller baseline sample
 *   npm run bench -- --no-profile --no-baseline
 *   npm run bench -- --language python --no-baseline --no-profile   # the examples' Python twins
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { packageRoot } from '../src/paths';
import { resultPath } from '../reports/json';
import { BASELINE_VARIANTS, createBaselineProject, runBaselineOnce, type BaselineRun, type BaselineVariant } from './baseline';
import { LANGUAGES, generateClass, isCorrectExample, type GeneratedSubmission, type Language } from './generate';
import { machineLoad, round, timeCommand, type MachineLoad } from './measure';
import { processCosts, profileRun, singleRunCost, stepCosts, type CostRow, type ProfileSummary } from './profile';
import { gitDescription, runBenchmark, saveReport } from './report';

/** Targets from issue #6. */
export const TARGETS = { submissionsPerSecond: 15, thousandWithinSeconds: 70, speedUpOverBaseline: 20 };

export interface BenchOptions {
  n: number;
  k: number;
  runs: number;
  jobs?: number;
  baseline: boolean;
  variants: BaselineVariant[];
  profile: boolean;
  profileN: number;
  out: string;
  keep: boolean;
  /** The language of the generated class (bench/generate.ts): the baseline and the profile need TypeScript. */
  language: Language;
}

/** Parses `--n 1000 --k 5 --runs 3 --jobs 2 --no-baseline --no-profile --profile-n 40 --out f.json --keep`. */
export function parseBenchArgs(argv: string[], root = packageRoot()): BenchOptions {
  const options: BenchOptions = {
    n: 200,
    k: 10,
    runs: 1,
    baseline: true,
    variants: [...BASELINE_VARIANTS],
    profile: true,
    profileN: 40,
    out: path.join(root, 'bench', 'results', 'latest.json'),
    keep: false,
    language: 'typescript',
  };
  const positive = (flag: string, value: string | undefined): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new Error(`bench: ${flag} needs a positive integer, got ${JSON.stringify(value)}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => argv[++i];
    if (flag === '--n') options.n = positive(flag, value());
    else if (flag === '--k') options.k = positive(flag, value());
    else if (flag === '--runs') options.runs = positive(flag, value());
    else if (flag === '--jobs') options.jobs = positive(flag, value());
    else if (flag === '--profile-n') options.profileN = positive(flag, value());
    else if (flag === '--no-baseline') options.baseline = false;
    else if (flag === '--no-profile') options.profile = false;
    else if (flag === '--variants') options.variants = String(value()).split(',').map((v) => {
      if (!BASELINE_VARIANTS.includes(v as BaselineVariant)) throw new Error(`bench: --variants takes ${BASELINE_VARIANTS.join(',')}; got ${JSON.stringify(v)}`);
      return v as BaselineVariant;
    });
    else if (flag === '--out') options.out = path.resolve(String(value()));
    else if (flag === '--keep') options.keep = true;
    else if (flag === '--language') {
      const language = String(value());
      if (!LANGUAGES.includes(language as Language)) throw new Error(`bench: --language takes ${LANGUAGES.join(', ')}; got ${JSON.stringify(language)}`);
      options.language = language as Language;
    } else throw new Error(`bench: unknown option ${JSON.stringify(flag)} (options: --n --k --runs --jobs --variants --no-baseline --no-profile --profile-n --out --keep --language)`);
  }
  return options;
}

export interface StrategyResult {
  strategy: string;
  /** Submissions actually run (the baseline runs a sample and is extrapolated). */
  measured: number;
  wallMs: number;
  cpuMs: number | null;
  submissionsPerSecond: number;
  cpuMsPerSubmission: number | null;
  /** mlgrade runs: busy CPU of the whole machine meanwhile (cross-check of cpuMs). */
  machineCpuMs?: number | null;
  /** Seconds for 1,000 submissions, extrapolated linearly from this measurement. */
  thousandSeconds: number;
  /** How many times faster mlgrade is than this strategy (wall time, and CPU time). */
  mlgradeSpeedUp?: { wall: number; cpu: number | null };
  load: { before: MachineLoad; after: MachineLoad };
  checks: string[];
  /** With `--runs` > 1: every run (the row shows the median by wall time). */
  allRuns?: { wallMs: number; cpuMs: number | null; machineCpuMs: number | null; load: { before: MachineLoad; after: MachineLoad } }[];
}

function log(line: string): void {
  process.stderr.write(`[bench] ${line}\n`);
}

/** Grades the whole class with the CLI, `runs` times; returns the median run. */
export function benchMlgrade(
  root: string,
  classDir: string,
  generated: GeneratedSubmission[],
  options: Pick<BenchOptions, 'runs' | 'jobs' | 'language'>,
  scratch: string,
): StrategyResult {
  const runs: StrategyResult[] = [];
  for (let r = 0; r < options.runs; r++) {
    const out = path.join(scratch, `out-${r}`);
    const args = [path.join(root, 'bin', 'mlgrade.js'), 'grade', 'losses', classDir, '--out', out, ...(options.jobs ? ['--jobs', String(options.jobs)] : [])];
    const before = machineLoad();
    log(`mlgrade run ${r + 1}/${options.runs}: grading ${generated.length} submissions (load average ${before.loadavg1} on ${before.cpus} cores)…`);
    const run = timeCommand(process.execPath, args, { cwd: root, env: { ...process.env, NO_COLOR: '1' } });
    const after = machineLoad();
    if (run.status !== 0) throw new Error(`mlgrade exited with ${run.status}:\n${run.stderr.slice(-2000)}`);
    const checks: string[] = [];
    const scores = generated.map((s) => {
      try {
        return { ...s, score: (JSON.parse(fs.readFileSync(resultPath(out, s.id), 'utf8')) as { score: number }).score };
      } catch {
        return { ...s, score: undefined };
      }
    });
    const missing = scores.filter((s) => s.score === undefined).length;
    const correct = scores.filter((s) => isCorrectExample(s.example));
    const faulty = scores.filter((s) => !isCorrectExample(s.example));
    checks.push(`${generated.length - missing}/${generated.length} result.json written`);
    checks.push(`${correct.filter((s) => s.score === 100).length}/${correct.length} correct copies scored 100`);
    checks.push(`${faulty.filter((s) => s.score !== undefined && s.score < 100).length}/${faulty.length} faulty copies scored below 100`);
    const n = generated.length;
    runs.push({
      strategy: `mlgrade grade (${options.jobs ?? 'default'} jobs${options.language === 'typescript' ? '' : `, ${options.language} class`})`,
      measured: n,
      wallMs: round(run.wallMs),
      cpuMs: run.cpuMs === undefined ? null : round(run.cpuMs),
      submissionsPerSecond: round(n / (run.wallMs / 1000), 2),
      cpuMsPerSubmission: run.cpuMs === undefined ? null : round(run.cpuMs / n),
      machineCpuMs: run.machineCpuMs === undefined ? null : round(run.machineCpuMs),
      thousandSeconds: round((run.wallMs / 1000 / n) * 1000),
      load: { before, after },
      checks,
    });
    log(`  ${round(run.wallMs / 1000)} s wall, ${run.cpuMs === undefined ? '?' : round(run.cpuMs / 1000)} s CPU (machine busy ${run.machineCpuMs === undefined ? '?' : round(run.machineCpuMs / 1000)} s); ${checks.join('; ')}`);
    fs.rmSync(out, { recursive: true, force: true });
  }
  const chosen = [...runs].sort((a, b) => a.wallMs - b.wallMs)[runs.length >> 1];
  if (runs.length > 1) chosen.allRuns = runs.map((r) => ({ wallMs: r.wallMs, cpuMs: r.cpuMs, machineCpuMs: r.machineCpuMs ?? null, load: r.load }));
  return chosen;
}

/** One warm-up run (not counted), then one `npx jest` per sampled submission, sequentially. */
function benchBaseline(root: string, variant: BaselineVariant, sample: GeneratedSubmission[], scratch: string): StrategyResult {
  const project = path.join(scratch, `baseline-${variant}`);
  createBaselineProject(project, variant, path.join(root, 'node_modules'));
  const labels: Record<BaselineVariant, string> = {
    typecheck: 'npx jest per submission (ts-jest, type-checking: its default)',
    isolated: 'npx jest per submission (ts-jest, isolatedModules)',
    'isolated-node': 'node jest.js per submission (ts-jest, isolatedModules, no npx)',
  };
  const label = labels[variant];
  log(`baseline ${variant}: warm-up run, then ${sample.length} submissions one after another…`);
  runBaselineOnce(project, sample[0].dir, variant);
  const before = machineLoad();
  const runs: (BaselineRun & { example: string })[] = sample.map((s) => ({ ...runBaselineOnce(project, s.dir, variant), example: s.example }));
  const after = machineLoad();
  const wallMs = runs.reduce((t, r) => t + r.wallMs, 0);
  const cpuKnown = runs.every((r) => r.cpuMs !== undefined);
  const cpuMs = cpuKnown ? runs.reduce((t, r) => t + (r.cpuMs ?? 0), 0) : null;
  const correct = runs.filter((r) => r.example === 'correct');
  const checks = [
    `${correct.filter((r) => r.passed === 13 && r.failed === 0).length}/${correct.length} correct copies passed all 13 tests`,
    `${runs.filter((r) => r.suiteFailed).length}/${runs.length} test files failed to run (e.g. type errors)`,
  ];
  const perSubmission = wallMs / runs.length;
  log(`  ${round(perSubmission)} ms wall and ${cpuMs === null ? '?' : round(cpuMs / runs.length)} ms CPU per submission; ${checks.join('; ')}`);
  return {
    strategy: label,
    measured: runs.length,
    wallMs: round(wallMs),
    cpuMs: cpuMs === null ? null : round(cpuMs),
    submissionsPerSecond: round(1000 / perSubmission, 2),
    cpuMsPerSubmission: cpuMs === null ? null : round(cpuMs / runs.length),
    thousandSeconds: round(perSubmission),
    load: { before, after },
    checks,
  };
}

function formatDuration(seconds: number): string {
  if (seconds < 120) return `${round(seconds)} s`;
  if (seconds < 7200) return `${round(seconds / 60)} min`;
  return `${round(seconds / 3600, 2)} h`;
}

/** The Markdown table of the results. */
export function formatTable(results: StrategyResult[]): string {
  const lines = [
    '| strategy | measured | submissions/s | CPU ms/submission | time for 1,000 (extrapolated) | mlgrade speed-up (wall / CPU) |',
    '|---|---:|---:|---:|---:|---:|',
  ];
  for (const r of results) {
    const speedUp = r.mlgradeSpeedUp ? `${r.mlgradeSpeedUp.wall}× / ${r.mlgradeSpeedUp.cpu ?? '?'}×` : '—';
    lines.push(`| ${r.strategy} | ${r.measured} | ${r.submissionsPerSecond} | ${r.cpuMsPerSubmission ?? '?'} | ${formatDuration(r.thousandSeconds)} | ${speedUp} |`);
  }
  return lines.join('\n');
}

function formatCosts(rows: CostRow[]): string {
  return ['| step | wall ms | CPU ms | note |', '|---|---:|---:|---|', ...rows.map((r) => `| ${r.what} | ${r.wallMs} | ${r.cpuMs ?? '?'} | ${r.note ?? ''} |`)].join('\n');
}

function formatProfile(p: ProfileSummary): string {
  const lines = [
    `Profiled run of ${p.submissions} submissions in band (--jobs 1, --cpu-prof; sandboxes not profiled; sample time, so for shares more than totals):`,
    '',
    '| process | where (self time) | ms per submission | share of profiled |',
    '|---|---|---:|---:|',
    ...p.perSubmissionMs.filter((c) => c.share >= 1).map((c) => `| ${c.process} | ${c.category} | ${c.ms} | ${c.share}% |`),
  ];
  lines.push('', `Counted: ${p.sandboxStartsPerSubmission ?? '?'} sandbox process starts and ${p.ipcMessagesPerSubmission ?? '?'} IPC messages (load + calls) per submission.`);
  return lines.join('\n');
}

export interface BreakdownRow {
  what: string;
  cpuMsPerSubmission: number;
  note: string;
}

/**
 * Splits the marginal CPU cost of one submission: sandbox starts and calls (measured steps ×
 * counted starts and messages), hashing + staging, and the rest (jest worker and CLI: jest's
 * runtime and module registry, the suites, reporters), which the CPU profile details.
 */
export function breakdown(total: StrategyResult, single: CostRow, steps: CostRow[], counts: ProfileSummary): BreakdownRow[] | undefined {
  const life = steps.find((r) => r.what.startsWith('sandbox life'))?.cpuMs;
  const call = steps.find((r) => r.what.startsWith('one call'))?.cpuMs;
  const stage = steps.find((r) => r.what.startsWith('hash + stage'))?.cpuMs;
  const { sandboxStartsPerSubmission: starts, ipcMessagesPerSubmission: messages } = counts;
  if (total.cpuMs === null || single.cpuMs === null || life == null || call == null || stage == null || starts === null || messages === null || total.measured < 2) return undefined;
  const marginal = (total.cpuMs - single.cpuMs) / (total.measured - 1);
  const sandboxStarts = starts * life;
  const calls = Math.max(0, messages - starts) * call;
  const rest = marginal - sandboxStarts - calls - stage;
  return [
    { what: 'marginal CPU per submission', cpuMsPerSubmission: round(marginal), note: `(${total.cpuMs} ms for ${total.measured} − ${single.cpuMs} ms for a 1-submission run) / ${total.measured - 1}` },
    { what: 'sandbox process start + load + close', cpuMsPerSubmission: round(sandboxStarts), note: `${starts} starts × ${life} ms` },
    { what: 'calls over IPC', cpuMsPerSubmission: round(calls), note: `${round(messages - starts, 1)} messages × ${call} ms` },
    { what: 'hash + stage (transpile)', cpuMsPerSubmission: round(stage), note: 'measured in-process' },
    { what: 'the rest: jest worker + CLI (jest runtime and module registry, suites, reporters)', cpuMsPerSubmission: round(rest), note: 'by difference; see the profile below' },
  ];
}

export async function main(argv: string[]): Promise<void> {
  const root = packageRoot();
  const options = parseBenchArgs(argv, root);
  if (!fs.existsSync(path.join(root, 'dist', 'src', 'cli', 'main.js'))) throw new Error('bench: mlgrade is not built (dist/src/cli/main.js is missing): run `npm run build` first');
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'mlgrade-bench-'));
  const started = new Date();
  try {
    const classDir = path.join(scratch, 'class');
    const generated = generateClass({ n: options.n, dir: classDir, language: options.language });
    log(`generated ${generated.length} ${options.language} submissions in ${classDir}`);
    if (options.language !== 'typescript' && (options.baseline || options.profile)) {
      log('baseline and profile skipped: both measure TypeScript submissions (ts-jest, the Node sandbox)');
      options.baseline = false;
      options.profile = false;
    }

    const mlgrade = benchMlgrade(root, classDir, generated, options, scratch);
    const results: StrategyResult[] = [mlgrade];
    if (options.baseline) {
      const step = generated.length / Math.min(options.k, generated.length);
      const sample = Array.from({ length: Math.min(options.k, generated.length) }, (_, i) => generated[Math.floor(i * step)]);
      for (const variant of options.variants) {
        const baseline = benchBaseline(root, variant, sample, scratch);
        baseline.mlgradeSpeedUp = {
          wall: round(mlgrade.submissionsPerSecond / baseline.submissionsPerSecond, 1),
          cpu: mlgrade.cpuMsPerSubmission && baseline.cpuMsPerSubmission ? round(baseline.cpuMsPerSubmission / mlgrade.cpuMsPerSubmission, 1) : null,
        };
        results.push(baseline);
      }
    }

    let profile: { processCosts: CostRow[]; singleRun: CostRow; steps: CostRow[]; cpuProfile: ProfileSummary; breakdown?: BreakdownRow[] } | undefined;
    if (options.profile) {
      log('profile: process starts and module loads…');
      const processRows = processCosts();
      log('profile: one-submission run…');
      const single = singleRunCost(generated[0].dir);
      log('profile: staging, sandbox life, calls…');
      const steps = await stepCosts(generated.slice(0, Math.min(30, generated.length)).map((s) => s.dir));
      log(`profile: --cpu-prof grading run of ${options.profileN} submissions…`);
      const profileDir = path.join(scratch, 'profile-class');
      generateClass({ n: options.profileN, dir: profileDir, seed: 7 });
      const cpuProfile = profileRun(profileDir, options.profileN);
      profile = { processCosts: processRows, singleRun: single, steps, cpuProfile, breakdown: breakdown(mlgrade, single, steps, cpuProfile) };
    }

    const cores = os.availableParallelism();
    const ceiling = mlgrade.cpuMsPerSubmission ? round((cores * 1000) / mlgrade.cpuMsPerSubmission, 2) : null;
    const targets = {
      submissionsPerSecond: { target: TARGETS.submissionsPerSecond, measured: mlgrade.submissionsPerSecond, met: mlgrade.submissionsPerSecond >= TARGETS.submissionsPerSecond, shortBy: round(TARGETS.submissionsPerSecond / mlgrade.submissionsPerSecond, 1) },
      thousandWithinSeconds: { target: TARGETS.thousandWithinSeconds, measured: mlgrade.thousandSeconds, met: mlgrade.thousandSeconds <= TARGETS.thousandWithinSeconds },
      speedUpOverBaseline: results.slice(1).map((r) => ({ target: TARGETS.speedUpOverBaseline, against: r.strategy, measured: r.mlgradeSpeedUp!.wall, met: r.mlgradeSpeedUp!.wall >= TARGETS.speedUpOverBaseline })),
      cpuBoundCeilingPerSecond: ceiling,
    };
    const report = {
      benchmark: 'throughput',
      startedAt: started.toISOString(),
      finishedAt: new Date().toISOString(),
      git: gitDescription(root),
      machine: { cpus: cores, cpuModel: os.cpus()[0]?.model ?? 'unknown', node: process.version, platform: `${process.platform} ${os.release()}` },
      options: {
        n: options.n,
        k: options.k,
        runs: options.runs,
        jobs: options.jobs ?? null,
        variants: options.baseline ? options.variants : [],
        profileN: options.profile ? options.profileN : null,
        language: options.language,
      },
      mix: Object.fromEntries([...new Set(generated.map((g) => g.example))].map((e) => [e, generated.filter((g) => g.example === e).length])),
      results,
      targets,
      profile,
    };

    const out: string[] = [];
    out.push(`## mlgrade throughput — ${options.n} ${options.language === 'typescript' ? '' : `${options.language} `}submissions of \`losses\`, ${cores} cores, Node ${process.version}, ${report.git.commit}${report.git.dirty ? ' (uncommitted changes)' : ''}`);
    out.push('');
    out.push(formatTable(results));
    out.push('');
    out.push(`Load average during the mlgrade run: ${mlgrade.load.before.loadavg1} → ${mlgrade.load.after.loadavg1} on ${cores} cores${Math.max(mlgrade.load.before.loadavg1, mlgrade.load.after.loadavg1) > cores ? ' — the machine was busy with other work: wall times are inflated; CPU times much less so' : ''}.`);
    if (mlgrade.allRuns) {
      out.push(`All ${mlgrade.allRuns.length} mlgrade runs (the table shows the median): ${mlgrade.allRuns.map((r) => `${round(r.wallMs / 1000)} s wall / ${r.cpuMs === null ? '?' : round(r.cpuMs / 1000)} s CPU at load ${r.load.before.loadavg1}→${r.load.after.loadavg1}`).join('; ')}.`);
    }
    out.push(`Checks: ${results.map((r) => `${r.strategy}: ${r.checks.join(', ')}`).join('; ')}.`);
    if (mlgrade.cpuMs !== null && mlgrade.machineCpuMs) {
      const share = mlgrade.cpuMs / mlgrade.machineCpuMs;
      out.push(`The machine was busy for ${round(mlgrade.machineCpuMs / 1000)} s of CPU during the mlgrade run, ${Math.round(share * 100)} % of it in mlgrade's process tree${share < 0.85 ? ' — other work, or processes outside the tree: treat the CPU column as a lower bound' : ''}.`);
    }
    if (ceiling !== null) out.push(`CPU-bound ceiling at ${mlgrade.cpuMsPerSubmission} CPU ms per submission on ${cores} idle cores: ${ceiling} submissions/s.`);
    out.push('');
    out.push(`Targets (issue #6): ≥ ${TARGETS.submissionsPerSecond} submissions/s — ${targets.submissionsPerSecond.met ? 'met' : `missed (${targets.submissionsPerSecond.shortBy}× short)`}; 1,000 in ≤ ${TARGETS.thousandWithinSeconds} s — ${targets.thousandWithinSeconds.met ? 'met' : `missed (${formatDuration(mlgrade.thousandSeconds)})`}` +
      targets.speedUpOverBaseline.map((t) => `; ≥ ${t.target}× ${t.against} — ${t.met ? 'met' : 'missed'} (${t.measured}×)`).join('') + '.');
    if (profile) {
      out.push('', '### Where the time goes', '', formatCosts([...profile.processCosts, profile.singleRun, ...profile.steps]));
      const split = profile.breakdown;
      if (split) out.push('', '| per submission (estimated) | CPU ms | how |', '|---|---:|---|', ...split.map((r) => `| ${r.what} | ${r.cpuMsPerSubmission} | ${r.note} |`));
      out.push('', formatProfile(profile.cpuProfile));
    }
    process.stdout.write(out.join('\n') + '\n');
    saveReport(options.out, report);
  } finally {
    if (options.keep) log(`kept ${scratch}`);
    else fs.rmSync(scratch, { recursive: true, force: true });
  }
}

runBenchmark(module, main);
