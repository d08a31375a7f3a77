/**
 * The benchmark's Python classes (no timings in `npm test`): the generator deals the examples'
 * Python twins, or both languages, with distinct content per copy; the options of
 * bench/throughput.ts (`--language`) and bench/languages.ts parse as documented.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_MIX, generateClass, isCorrectExample, mixFor } from '../../bench/generate';
import { formatLanguages, parseLanguagesArgs } from '../../bench/languages';
import { parseBenchArgs, type StrategyResult } from '../../bench/throughput';
import { hashSubmission } from '../../src/grading/grade';
import { convertNotebook } from '../../src/sandbox/python/notebook';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlgrade-bench-py-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

test('mixFor: the TypeScript mix, its Python twins with the same shares, or half of each', () => {
  expect(mixFor('typescript')).toEqual(DEFAULT_MIX);
  expect(mixFor('python')).toEqual(Object.fromEntries(Object.entries(DEFAULT_MIX).map(([k, v]) => [`${k}-python`, v])));
  const mixed = mixFor('mixed');
  expect(mixed.correct).toBeCloseTo(0.3);
  expect(mixed['correct-python']).toBeCloseTo(0.3);
  expect(Object.values(mixed).reduce((s, v) => s + v, 0)).toBeCloseTo(1);
  expect(['correct', 'correct-python', 'correct-python-lists', 'correct-notebook'].every(isCorrectExample)).toBe(true);
  expect(['grad-missing-1-over-n-python', 'correctness'].some(isCorrectExample)).toBe(false);
});

test('a Python class: N folders of Python twins, each copy with its own content, dealt deterministically', () => {
  const generated = generateClass({ n: 25, dir, language: 'python' });
  expect(generated).toHaveLength(25);
  expect(generated.every((s) => s.example.endsWith('-python'))).toBe(true);
  expect(generated.filter((s) => s.example === 'correct-python')).toHaveLength(15);
  for (const s of generated) {
    const files = fs.readdirSync(s.dir).sort();
    expect(files).not.toContain('FAULT.md');
    expect(files).toContain('losses.py');
    expect(files.some((f) => f.endsWith('.ts') || f.endsWith('.js'))).toBe(false);
    expect(fs.readFileSync(path.join(s.dir, 'losses.py'), 'utf8')).toMatch(new RegExp(`\\n# benchmark copy \\d+ of ${s.example}\\n$`));
  }
  // correct-python keeps its second module.
  expect(fs.readdirSync(generated.find((s) => s.example === 'correct-python')!.dir).sort()).toEqual(['activations.py', 'losses.py']);
  expect(new Set(generated.map((s) => hashSubmission(s.dir))).size).toBe(25);
  const again = generateClass({ n: 25, dir: path.join(dir, 'again'), language: 'python' });
  expect(again.map((s) => s.example)).toEqual(generated.map((s) => s.example));
});

test('a mixed class holds both languages; notebook copies stay notebooks the grader reads', () => {
  const mixed = generateClass({ n: 50, dir: path.join(dir, 'mixed'), language: 'mixed' });
  expect(mixed.filter((s) => s.example.endsWith('-python'))).toHaveLength(25);
  const notebooks = generateClass({ n: 3, dir: path.join(dir, 'notebooks'), mix: { 'correct-notebook': 1 } });
  const texts = notebooks.map((s) => fs.readFileSync(path.join(s.dir, 'losses.ipynb'), 'utf8'));
  expect(new Set(texts).size).toBe(3);
  for (const [index, text] of texts.entries()) {
    expect((JSON.parse(text) as { metadata: Record<string, unknown> }).metadata.mlgrade_benchmark).toBe(`benchmark copy ${index} of correct-notebook`);
    expect(convertNotebook(text, { fileName: 'losses.ipynb' }).status).toBe('converted');
  }
});

test('throughput --language and languages.ts options', () => {
  expect(parseBenchArgs([], '/r').language).toBe('typescript');
  expect(parseBenchArgs(['--language', 'python'], '/r').language).toBe('python');
  expect(() => parseBenchArgs(['--language', 'rust'], '/r')).toThrow(/--language takes typescript, python, mixed; got "rust"/);
  const defaults = { n: 100, runs: 1, languages: ['typescript', 'python'], out: path.join('/r', 'bench', 'results', 'languages.json'), keep: false };
  expect(parseLanguagesArgs([], '/r')).toEqual(defaults);
  expect(parseLanguagesArgs(['--n', '20', '--languages', 'python,mixed', '--jobs', '2'], '/r')).toMatchObject({ n: 20, jobs: 2, languages: ['python', 'mixed'] });
  expect(() => parseLanguagesArgs(['--languages', 'typescript,go'], '/r')).toThrow(/got "go"/);
  const row = (cpu: number): StrategyResult => ({
    strategy: 's',
    measured: 100,
    wallMs: 20_000,
    cpuMs: cpu * 100,
    submissionsPerSecond: 5,
    cpuMsPerSubmission: cpu,
    thousandSeconds: 200,
    load: { before: { loadavg1: 0, cpus: 2 }, after: { loadavg1: 0, cpus: 2 } } as StrategyResult['load'],
    checks: ['100/100 result.json written'],
  });
  const table = formatLanguages([{ language: 'typescript', result: row(200) }, { language: 'python', result: row(300) }]);
  expect(table.split('\n')[3]).toBe('| python | 100 | 20 | 5 | 300 | 1.5× | 100/100 result.json written |');
});
