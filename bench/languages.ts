/**
 * Python vs TypeScript throughput (`npm run build && node dist/bench/languages.js`, options after
 * it): grades a class of N `losses` submissions in each language — the TypeScript examples, their
 * Python twins (`<name>-python`, the same mistakes), and optionally both mixed — with
 * `mlgrade grade` as a child process, and prints one row per language. The JSON goes to
 * bench/results/languages.json. See bench/README.md.
 *
 *   node dist/bench/languages.js                        # N = 100, typescript and python
 *   node dist/bench/languages.js --n 200 --languages typescript,python,mixed --runs 3
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { packageRoot } from '../src/paths';
import { LANGUAGES, generateClass, type Language } from './generate';
import { round } from './measure';
import { benchMlgrade, type StrategyResult } from './throughput';
import { gitDescription, runBenchmark, saveReport } from './report';

export interface LanguagesOptions {
  n: number;
  runs: number;
  jobs?: number;
  languages: Language[];
  out: string;
  keep: boolean;
}

/** Parses `--n 100 --runs 1 --jobs 2 --languages typescript,python --out f.json --keep`. */
export function parseLanguagesArgs(argv: string[], root = packageRoot()): LanguagesOptions {
  const options: LanguagesOptions = {
    n: 100,
    runs: 1,
    languages: ['typescript', 'python'],
    out: path.join(root, 'bench', 'results', 'languages.json'),
    keep: false,
  };
  const positive = (flag: string, value: string | undefined): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new Error(`bench languages: ${flag} needs a positive integer, got ${JSON.stringify(value)}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => argv[++i];
    if (flag === '--n') options.n = positive(flag, value());
    else if (flag === '--runs') options.runs = positive(flag, value());
    else if (flag === '--jobs') options.jobs = positive(flag, value());
    else if (flag === '--languages') {
      options.languages = String(value())
        .split(',')
        .map((language) => {
          if (!LANGUAGES.includes(language as Language)) {
            throw new Error(`bench languages: --languages takes ${LANGUAGES.join(',')}; got ${JSON.stringify(language)}`);
          }
          return language as Language;
        });
    } else if (flag === '--out') options.out = path.resolve(String(value()));
    else if (flag === '--keep') options.keep = true;
    else throw new Error(`bench languages: unknown option ${JSON.stringify(flag)} (options: --n --runs --jobs --languages --out --keep)`);
  }
  return options;
}

/** One row per language, and each row's cost relative to the first (TypeScript when it is measured). */
export function formatLanguages(rows: { language: Language; result: StrategyResult }[]): string {
  const base = rows[0];
  const lines = [
    `| class | submissions | wall s | submissions/s | CPU ms/submission | × ${base.language} (CPU) | checks |`,
    '|---|---:|---:|---:|---:|---:|---|',
  ];
  for (const { language, result } of rows) {
    const cpu = result.cpuMsPerSubmission;
    const relative = cpu !== null && base.result.cpuMsPerSubmission ? `${round(cpu / base.result.cpuMsPerSubmission, 2)}×` : '?';
    const cells = [language, result.measured, round(result.wallMs / 1000, 1), result.submissionsPerSecond, cpu ?? '?', relative, result.checks.join('; ')];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

export function main(argv: string[]): void {
  const root = packageRoot();
  const options = parseLanguagesArgs(argv, root);
  if (!fs.existsSync(path.join(root, 'dist', 'src', 'cli', 'main.js'))) {
    throw new Error('bench languages: mlgrade is not built: run `npm run build` first');
  }
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'mlgrade-bench-languages-'));
  const started = new Date();
  try {
    const rows: { language: Language; result: StrategyResult; mix: Record<string, number> }[] = [];
    for (const language of options.languages) {
      const classDir = path.join(scratch, `class-${language}`);
      const generated = generateClass({ n: options.n, dir: classDir, language });
      process.stderr.write(`[bench] ${language}: ${generated.length} submissions in ${classDir}\n`);
      const result = benchMlgrade(root, classDir, generated, { runs: options.runs, jobs: options.jobs, language }, scratch);
      const mix: Record<string, number> = {};
      for (const g of generated) mix[g.example] = (mix[g.example] ?? 0) + 1;
      rows.push({ language, result, mix });
    }
    const cores = os.availableParallelism();
    const table = formatLanguages(rows);
    const git = gitDescription(root);
    const built = `${git.commit}${git.dirty ? ' (uncommitted changes)' : ''}`;
    const heading = `## mlgrade throughput by language — ${options.n} submissions of \`losses\` each, ${cores} cores, Node ${process.version}, ${built}`;
    const load = rows.map((r) => `${r.language} ${r.result.load.before.loadavg1} → ${r.result.load.after.loadavg1}`).join('; ');
    process.stdout.write(`${heading}\n\n${table}\n\nLoad average: ${load}.\n`);
    const report = {
      benchmark: 'languages',
      startedAt: started.toISOString(),
      finishedAt: new Date().toISOString(),
      git,
      machine: { cpus: cores, cpuModel: os.cpus()[0]?.model ?? 'unknown', node: process.version, platform: `${process.platform} ${os.release()}` },
      options: { n: options.n, runs: options.runs, jobs: options.jobs ?? null, languages: options.languages },
      rows,
    };
    saveReport(options.out, report);
  } finally {
    if (options.keep) process.stderr.write(`[bench] kept ${scratch}\n`);
    else fs.rmSync(scratch, { recursive: true, force: true });
  }
}

runBenchmark(module, main);
