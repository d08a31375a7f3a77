/**
 * Runs a stand-in grader in a process of its own: it stages a fixture, loads it in a
 * `SubmissionSandbox` (compiled, from dist/) and makes the given calls in order, then reports the
 * outcomes with how long everything took and what the grader process itself used — its peak
 * resident memory (VmHWM) and CPU time — so tests can bound the cost of an attack to the grader.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, tempDir } from '../support/cli';

export interface ProbeRequest {
  /** The submission folder. */
  dir: string;
  /** Calls in order; `many` uses callMany with `args` as the argument lists. */
  calls: { fn: string; args: unknown[]; many?: boolean }[];
  limits?: Record<string, number>;
  /** A namespace tool, or null for none (default: the probed one). */
  namespace?: { kind: 'bwrap' | 'unshare'; path: string; privateRoot?: boolean } | null;
  /** Planned calls (as the suites announce them) before the first call. */
  plan?: boolean;
}

export interface ProbeReport {
  load: unknown;
  /** Each outcome, with every string longer than 300 characters cut and its length noted. */
  outcomes: { outcome: Record<string, unknown>; ms: number }[];
  /** Time for all calls, load included (ms). */
  elapsedMs: number;
  /** The grader process's peak resident memory (MB). */
  peakRssMb: number;
  /** The grader process's own CPU time, user + system (ms). */
  graderCpuMs: number;
  usage: { wallMs: number; activeMs: number; cpuMs: number; budgetMs: number };
  output: { bytes: number; textLength: number; truncated: boolean };
  stats: { starts: number; requests: number };
}

const SCRIPT = `
const fs = require('fs');
const path = require('path');
const request = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const { SubmissionSandbox } = require(path.join(request.root, 'dist/src/sandbox/sandboxProcess.js'));
const { stageSubmission } = require(path.join(request.root, 'dist/src/sandbox/stage.js'));
const { DEFAULT_LIMITS } = require(path.join(request.root, 'dist/src/sandbox/limits.js'));
const shorten = (value) => {
  if (typeof value === 'string') return value.length > 300 ? { cut: value.slice(0, 300), length: value.length } : value;
  if (Array.isArray(value)) return value.length > 20 ? { cutArray: value.length } : value.map(shorten);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shorten(v)]));
  return value;
};
(async () => {
  const staged = stageSubmission(request.dir, path.join(request.stage, 's'), 'losses');
  const options = { entry: staged.entry, stageDir: staged.dir, limits: { ...DEFAULT_LIMITS, ...request.limits } };
  if ('namespace' in request) options.resolved = { namespace: request.namespace, modules: { entries: {}, readDirs: [] } };
  const box = new SubmissionSandbox(options);
  const started = performance.now();
  if (request.plan) box.planCalls(request.calls.map((c) => (c.many ? { fn: c.fn, argsList: c.args } : { fn: c.fn, args: c.args })));
  const load = await box.load();
  const outcomes = [];
  for (const c of request.calls) {
    const t = performance.now();
    const outcome = c.many ? await box.callMany(c.fn, c.args) : await box.call(c.fn, c.args);
    outcomes.push({ outcome: shorten(outcome), ms: Math.round(performance.now() - t) });
  }
  const elapsedMs = Math.round(performance.now() - started);
  await box.close();
  const output = box.output();
  const hwm = /VmHWM:\\s+(\\d+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
  const cpu = process.cpuUsage();
  const report = { load: shorten(load), outcomes, elapsedMs, peakRssMb: hwm ? Number(hwm[1]) / 1024 : -1, graderCpuMs: (cpu.user + cpu.system) / 1000, usage: box.usage(), output: { bytes: output.bytes, textLength: output.text.length, truncated: output.truncated }, stats: box.stats() };
  fs.writeFileSync(process.argv[3], JSON.stringify(report));
})();
`;

/** Runs `request` in a fresh grader process and returns its report. */
export function probeGrader(request: ProbeRequest): ProbeReport {
  const work = tempDir('mlgrade-probe-');
  const script = path.join(work, 'grader.js');
  const input = path.join(work, 'request.json');
  const output = path.join(work, 'report.json');
  fs.writeFileSync(script, SCRIPT);
  fs.writeFileSync(input, JSON.stringify({ ...request, root: ROOT, stage: tempDir('mlgrade-probe-stage-') }));
  const run = spawnSync(process.execPath, [script, input, output], { encoding: 'utf8', timeout: 300_000 });
  if (!fs.existsSync(output)) throw new Error(`the stand-in grader failed (${run.status ?? run.signal}): ${run.stderr}`);
  return JSON.parse(fs.readFileSync(output, 'utf8')) as ProbeReport;
}
