/**
 * How long a student waits for `node check.mjs` in a losses kit: builds the kit with the built
 * CLI, puts the correct example in it, and times one cold and R warm runs (wall clock, and CPU of
 * the whole process tree, bench/measure.ts). Not part of `npm test`.
 *
 *   npm run build && node dist/bench/kitCheck.js [--runs 10] [--out bench/results/kit-check.json]
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { median, timeCommand, type TimedRun } from './measure';
import { runBenchmark, saveReport } from './report';

const ROOT = path.resolve(__dirname, '..', '..');

/** One run of the kit's checker, timed with its whole process tree. */
function timed(kit: string): TimedRun {
  return timeCommand(process.execPath, ['check.mjs'], { cwd: kit, env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' } });
}

function main(argv: string[]): void {
  const { values } = parseArgs({ args: argv, options: { runs: { type: 'string', default: '10' }, out: { type: 'string', default: path.join(ROOT, 'bench', 'results', 'kit-check.json') } } });
  const runs = Number(values.runs);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mlgrade-bench-kit-'));
  try {
    const kit = path.join(work, 'kit');
    const built = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'mlgrade.js'), 'dist', 'losses', '--out', kit], { encoding: 'utf8' });
    if (built.status !== 0) throw new Error(`mlgrade dist failed: ${built.stderr}`);
    for (const file of fs.readdirSync(path.join(ROOT, 'assignments', 'losses', 'examples', 'correct'))) {
      if (file.endsWith('.ts')) fs.copyFileSync(path.join(ROOT, 'assignments', 'losses', 'examples', 'correct', file), path.join(kit, file));
    }
    const cold = timed(kit);
    if (cold.status !== 0) throw new Error('the correct example did not pass the kit check');
    const warm = Array.from({ length: runs }, () => timed(kit));
    const report = {
      measuredAt: new Date().toISOString(),
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, loadAverage: os.loadavg() },
      node: process.version,
      cold: { wallMs: Math.round(cold.wallMs), cpuMs: cold.cpuMs },
      warm: { runs, medianWallMs: Math.round(median(warm.map((w) => w.wallMs))), maxWallMs: Math.round(Math.max(...warm.map((w) => w.wallMs))), medianCpuMs: warm.every((w) => w.cpuMs !== undefined) ? median(warm.map((w) => w.cpuMs!)) : undefined },
    };
    saveReport(values.out!, report);
    process.stdout.write(`node check.mjs (losses kit, correct submission): cold ${report.cold.wallMs} ms; warm median ${report.warm.medianWallMs} ms (max ${report.warm.maxWallMs} ms, CPU ${report.warm.medianCpuMs} ms) over ${runs} runs\n`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

runBenchmark(module, main);
