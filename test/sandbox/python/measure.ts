/**
 * Timings of the Python sandbox (not a test: `npx ts-node -P tsconfig.json test/sandbox/python/measure.ts`).
 * Spawn → `loaded` for a small losses.py that imports NumPy, sandboxed and (for comparison) not, and one
 * callBatch of 150 small calls. Medians of RUNS runs.
 */
import { performance } from 'node:perf_hooks';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { probePythonSandbox, pythonSandboxCommand, runnerPath } from '../../../src/sandbox/python/command';
import { RunnerProcess, removeStages, stageFiles, toWire } from './driver';

const RUNS = Number(process.env.RUNS ?? 15);
const SOURCE = fs.readFileSync(path.join(__dirname, '..', '..', 'fixtures', 'python', 'hostile', 'reads-env', 'losses.py'), 'utf8');
const NAMES = { mse: 'mse', mseGrad: 'mse_grad', sigmoid: 'sigmoid', softmax: 'softmax', binaryCrossEntropyGrad: 'binary_cross_entropy_grad' };

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function batch(): { fn: string; args: unknown[] }[] {
  const calls: { fn: string; args: unknown[] }[] = [];
  for (let i = 0; i < 30; i++) {
    const y = Array.from({ length: 8 }, (_, k) => ((k + i) % 2));
    const p = Array.from({ length: 8 }, (_, k) => 0.1 + 0.8 * (((k * 7 + i) % 10) / 10));
    calls.push({ fn: 'mse', args: [y, p] }, { fn: 'mseGrad', args: [y, p] }, { fn: 'sigmoid', args: [p] });
    calls.push({ fn: 'softmax', args: [[p.slice(0, 4), p.slice(4)]] }, { fn: 'binaryCrossEntropyGrad', args: [y, p] });
  }
  return calls.map((c) => ({ fn: c.fn, args: c.args.map(toWire) }));
}

/** CPU ms (user + system) of Python: the runner's pid itself, or bwrap's only child. */
function pythonCpuMs(pid: number, sandboxed: boolean): number {
  const target = sandboxed ? Number(fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim()) : pid;
  const fields = fs.readFileSync(`/proc/${target}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

type Run = { loadMs: number; loadCpuMs: number; batchMs: number; batchCpuMs: number; childMs: number };

async function once(argv: string[], entry: string, sandboxed: boolean): Promise<Run> {
  const started = performance.now();
  const runner = new RunnerProcess(argv);
  const loaded = await runner.request({ type: 'init', entry, names: NAMES, stageDir: path.dirname(entry) });
  const loadMs = performance.now() - started;
  if (loaded.type !== 'loaded') throw new Error(JSON.stringify(loaded));
  const loadCpuMs = pythonCpuMs(runner.pid, sandboxed);
  const calls = batch();
  const sent = performance.now();
  const answer = await runner.request({ type: 'callBatch', id: 1, calls });
  const batchMs = performance.now() - sent;
  if (answer.type !== 'results' || answer.replies.length !== 150 || !answer.replies.every((r) => r.ok)) throw new Error(JSON.stringify(answer).slice(0, 500));
  const childMs = answer.replies.reduce((sum, r) => sum + r.ms, 0);
  const batchCpuMs = pythonCpuMs(runner.pid, sandboxed) - loadCpuMs;
  await runner.close();
  return { loadMs, loadCpuMs, batchMs, batchCpuMs, childMs };
}

async function main(): Promise<void> {
  const probe = probePythonSandbox({});
  if (probe.status !== 'available') throw new Error(probe.reason);
  console.log(`probe: ${probe.ms.toFixed(0)} ms (python ${probe.python}, numpy ${probe.numpy}, bwrap ${probe.bwrap})`);
  const stage = stageFiles({ 'losses.py': SOURCE });
  const sandboxed = pythonSandboxCommand({ stageDir: stage }, probe.installation, probe.tools).argv;
  const plain = ['/usr/bin/python3', '-s', '-P', '-B', runnerPath()];
  for (const [label, argv, entry] of [
    ['sandboxed (prlimit → setpriv → bwrap)', sandboxed, '/stage/losses.py'],
    ['not sandboxed (python3 runner.py)', plain, path.join(stage, 'losses.py')],
  ] as [string, string[], string][]) {
    const results: Run[] = [];
    for (let i = 0; i < RUNS; i++) results.push(await once(argv, entry, argv !== plain));
    const show = (key: keyof Run) => `${median(results.map((r) => r[key])).toFixed(1)} ms (min ${Math.min(...results.map((r) => r[key])).toFixed(1)}, max ${Math.max(...results.map((r) => r[key])).toFixed(1)})`;
    console.log(`${label}, median of ${RUNS}:`);
    console.log(`  spawn → loaded:                 ${show('loadMs')}`);
    console.log(`  Python CPU until loaded (10 ms ticks): ${show('loadCpuMs')}`);
    console.log(`  Python CPU for the batch (10 ms ticks): ${show('batchCpuMs')}`);
    console.log(`  callBatch of 150 calls (round trip): ${show('batchMs')}`);
    console.log(`  sum of the 150 calls' own ms:   ${show('childMs')}`);
  }
  removeStages();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
