/**
 * Generates a synthetic class for the throughput benchmark: N submission folders copied from the
 * `losses` example submissions, mostly correct, the rest with ordinary mistakes (no endless loops
 * or memory bombs: the benchmark measures an ordinary class). Each copy gets a comment with its
 * index appended to its entry file (for a notebook, a metadata field), so no two submissions have
 * the same content hash. `language: 'python'` deals the examples' Python twins (`<name>-python`,
 * `losses.py`) instead of the TypeScript originals, `'mixed'` half of each.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { packageRoot } from '../src/paths';

/** The example submissions of the losses assignment (from bench/ under ts-jest, or dist/bench/). */
export const EXAMPLES_DIR = path.join(packageRoot(), 'assignments', 'losses', 'examples');

/** Example submissions a class is made of, with their share of the class. */
export const DEFAULT_MIX: Readonly<Record<string, number>> = {
  correct: 0.6,
  'grad-missing-1-over-n': 0.08,
  'flipped-sign-gradients': 0.08,
  'numerically-naive': 0.08,
  'mse-half-convention': 0.08,
  'softmax-wrong-axis': 0.08,
};

/** The languages a generated class can be written in. */
export const LANGUAGES = ['typescript', 'python', 'mixed'] as const;
export type Language = (typeof LANGUAGES)[number];

/**
 * The mix of a class in `language`: the TypeScript mix as it is, its Python twins (`<name>-python`)
 * with the same shares, or both with half the shares each.
 *
 * @example
 * mixFor('python', { correct: 0.6, 'mse-half-convention': 0.4 }) // returns { 'correct-python': 0.6, 'mse-half-convention-python': 0.4 }
 */
export function mixFor(language: Language, mix: Readonly<Record<string, number>> = DEFAULT_MIX): Record<string, number> {
  const python = Object.fromEntries(Object.entries(mix).map(([name, share]) => [`${name}-python`, share]));
  if (language === 'typescript') return { ...mix };
  if (language === 'python') return python;
  const half = (shares: Record<string, number>) => Object.fromEntries(Object.entries(shares).map(([name, share]) => [name, share / 2]));
  return { ...half({ ...mix }), ...half(python) };
}

/** Whether a generated submission was copied from a correct example (`correct`, `correct-python`…). */
export function isCorrectExample(example: string): boolean {
  return example === 'correct' || example.startsWith('correct-');
}

/** Files of an example folder that document it and are not part of the submission. */
const NOT_SUBMITTED = new Set(['FAULT.md', 'EXPECTED_ERROR_LINE']);

/** Entry file extensions of a submission: TypeScript, JavaScript, a Python module, a notebook. */
const ENTRY_EXTENSIONS = ['.ts', '.js', '.py', '.ipynb'];

export interface GeneratedSubmission {
  /** Folder name, e.g. `student-0007`. */
  id: string;
  dir: string;
  /** The example it was copied from. */
  example: string;
}

export interface GenerateOptions {
  /** Number of submissions. */
  n: number;
  /** Folder to create the submission folders in (created if missing). */
  dir: string;
  /** Example name → share; shares are normalised. Default: {@link mixFor}(language). */
  mix?: Readonly<Record<string, number>>;
  /** Which examples the default mix deals out. Default `typescript`. */
  language?: Language;
  /** Seed of the order in which examples are dealt out. */
  seed?: number;
  examplesDir?: string;
  entryBase?: string;
}

/**
 * How many copies of each example a class of `n` gets: largest-remainder rounding of the shares,
 * so the counts add up to `n` exactly.
 *
 * @example
 * allocate(10, { correct: 0.6, naive: 0.4 }) // returns { correct: 6, naive: 4 }
 */
export function allocate(n: number, mix: Readonly<Record<string, number>>): Record<string, number> {
  const names = Object.keys(mix);
  const sum = names.reduce((s, k) => s + mix[k], 0);
  if (!(sum > 0) || names.some((k) => !(mix[k] >= 0))) throw new Error(`allocate: shares must be ≥ 0 and not all 0, got ${JSON.stringify(mix)}`);
  const exact = names.map((k) => (n * mix[k]) / sum);
  const counts = exact.map(Math.floor);
  const order = names.map((_, i) => i).sort((a, b) => exact[b] - counts[b] - (exact[a] - counts[a]) || a - b);
  for (let left = n - counts.reduce((s, c) => s + c, 0), i = 0; left > 0; left--, i++) counts[order[i % order.length]] += 1;
  return Object.fromEntries(names.map((k, i) => [k, counts[i]]));
}

/** mulberry32: a small seeded PRNG, enough to shuffle deterministically. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Writes `n` submission folders `<dir>/student-0000 …` and returns what each was copied from.
 *
 * @example
 * generateClass({ n: 200, dir: '/tmp/class' }) // 120 correct, 16 of each of the 5 faulty examples
 */
export function generateClass(options: GenerateOptions): GeneratedSubmission[] {
  const { n, dir, language = 'typescript', seed = 6, examplesDir = EXAMPLES_DIR, entryBase = 'losses' } = options;
  const mix = options.mix ?? mixFor(language);
  if (!Number.isInteger(n) || n < 1) throw new Error(`generateClass: n must be a positive integer, got ${n}`);
  const counts = allocate(n, mix);
  const kinds = Object.entries(counts).flatMap(([example, count]) => Array<string>(count).fill(example));
  const random = rng(seed);
  for (let i = kinds.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [kinds[i], kinds[j]] = [kinds[j], kinds[i]];
  }
  const sources = new Map<string, { name: string; content: Buffer }[]>();
  for (const example of Object.keys(counts)) {
    const from = path.join(examplesDir, example);
    const files = fs.readdirSync(from, { withFileTypes: true }).filter((d) => d.isFile() && !NOT_SUBMITTED.has(d.name));
    if (!files.some((f) => isEntry(f.name, entryBase))) throw new Error(`generateClass: ${from} holds no ${ENTRY_EXTENSIONS.map((e) => entryBase + e).join(', ')}`);
    sources.set(example, files.map((f) => ({ name: f.name, content: fs.readFileSync(path.join(from, f.name)) })));
  }
  fs.mkdirSync(dir, { recursive: true });
  const width = Math.max(4, String(n - 1).length);
  return kinds.map((example, index) => {
    const id = `student-${String(index).padStart(width, '0')}`;
    const target = path.join(dir, id);
    fs.mkdirSync(target);
    for (const file of sources.get(example)!) {
      const content = isEntry(file.name, entryBase) ? markedCopy(file.name, file.content, `benchmark copy ${index} of ${example}`) : file.content;
      fs.writeFileSync(path.join(target, file.name), content);
    }
    return { id, dir: target, example };
  });
}


function isEntry(name: string, entryBase: string): boolean {
  return ENTRY_EXTENSIONS.some((extension) => name === entryBase + extension);
}

/** An entry file with `mark` added where it changes nothing: a comment, or a notebook metadata field. */
function markedCopy(name: string, content: Buffer, mark: string): Buffer {
  if (name.endsWith('.ipynb')) {
    const notebook = JSON.parse(content.toString('utf8')) as { metadata?: Record<string, unknown> };
    notebook.metadata = { ...notebook.metadata, mlgrade_benchmark: mark };
    return Buffer.from(`${JSON.stringify(notebook, null, 1)}\n`);
  }
  const comment = name.endsWith('.py') ? '#' : '//';
  return Buffer.concat([content, Buffer.from(`\n${comment} ${mark}\n`)]);
}
