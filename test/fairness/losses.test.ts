/**
 * The losses fairness corpus (test/fixtures/fairness/losses/), graded with the built CLI in one run.
 *
 * - `correct/<style>/`: a correct solution in one allowed style (loops, mathjs, Keras-style
 *   clipping, classes, several files, CommonJS, ESM, autodiff, float32, …). Must score full marks.
 * - `fault/<name>/`: a correct solution with exactly one fault. Must lose points on the functions
 *   at fault and only there (a fault is charged once), every failed check naming the fault.
 *
 * Every folder holds an `expect.json`:
 *   correct: `{ "score": 100 }`
 *   fault:   `{ "fault": "<one sentence>", "functions": ["mseGrad"], "diagnosis": "<regex>",
 *              "passes": ["mseGrad.finite-differences"] }` —
 *            the functions that lose points, exactly; every failed check's diagnosis matches the
 *            regex (JavaScript syntax, no flags); optionally, checks that must pass although they
 *            belong to a function at fault (what the charged-once policy spares).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SubmissionResult } from '../../src/types';
import { readResult, ROOT, runCli, tempDir } from '../support/cli';

/** The corpus written with the grader in view, and the held-out one written from the handout alone by someone who never saw the graders. */
const CORPORA = [
  { name: 'dev', dir: path.join(ROOT, 'test', 'fixtures', 'fairness', 'losses') },
  { name: 'heldout', dir: path.join(ROOT, 'test', 'fixtures', 'fairness-heldout', 'losses') },
];

interface FaultExpectation {
  fault: string;
  functions: string[];
  diagnosis: string;
  passes?: string[];
}

type Expectation = { score: number } | FaultExpectation;

interface Entry {
  kind: 'correct' | 'fault';
  name: string;
  dir: string;
  /** The submission id in the graded copy. */
  id: string;
  expect: Expectation;
}

function readCorpus(): Entry[] {
  const entries: Entry[] = [];
  for (const corpus of CORPORA) {
    for (const kind of ['correct', 'fault'] as const) {
      const root = path.join(corpus.dir, kind);
      if (!fs.existsSync(root)) continue;
      for (const name of fs.readdirSync(root).sort()) {
        const dir = path.join(root, name);
        if (!fs.statSync(dir).isDirectory()) continue;
        const file = path.join(dir, 'expect.json');
        if (!fs.existsSync(file)) throw new Error(`${path.relative(ROOT, dir)} has no expect.json (see test/fairness/losses.test.ts for its format)`);
        const id = `${corpus.name}--${kind}--${name}`;
        entries.push({ kind, name: corpus.name === 'dev' ? name : `${corpus.name}/${name}`, dir, id, expect: JSON.parse(fs.readFileSync(file, 'utf8')) as Expectation });
      }
    }
  }
  return entries;
}

const corpus = readCorpus();
let out: string;

beforeAll(() => {
  const subs = tempDir('mlgrade-fairness-');
  for (const entry of corpus) {
    fs.cpSync(entry.dir, path.join(subs, entry.id), { recursive: true, filter: (src) => path.basename(src) !== 'expect.json' });
  }
  out = tempDir('mlgrade-fairness-out-');
  const run = runCli(['grade', 'losses', subs, '--out', out, '--no-html', '--no-gradescope']);
  expect(run.status).toBe(0);
});

const failed = (r: SubmissionResult) => r.tests.filter((t) => t.status !== 'passed');

test('the corpus has the styles and faults it promises', () => {
  const names = (kind: string) => corpus.filter((e) => e.kind === kind).map((e) => e.name);
  expect(names('correct')).toEqual(
    expect.arrayContaining(['loops', 'map-reduce', 'mathjs', 'keras-clipping', 'log-sum-exp', 'classes', 'several-files', 'commonjs', 'esm', 'autodiff', 'debug-output', 'ts-helpers-js', 'folder-index']),
  );
  expect(names('fault').length).toBeGreaterThanOrEqual(10);
  for (const e of corpus) {
    if (e.kind === 'correct') expect({ name: e.name, expect: e.expect }).toEqual({ name: e.name, expect: { score: 100 } });
    else {
      const { passes, ...rest } = e.expect as FaultExpectation;
      expect({ name: e.name, expect: rest }).toEqual({ name: e.name, expect: { fault: expect.any(String), functions: expect.any(Array), diagnosis: expect.any(String) } });
      if (passes !== undefined) expect(passes).toEqual(expect.arrayContaining([expect.any(String)]));
    }
  }
});

describe.each(corpus.filter((e) => e.kind === 'correct').map((e) => [e.name, e] as const))('correct/%s', (_name, entry) => {
  test('loads and scores full marks', () => {
    const r = readResult(out, entry.id);
    expect(r.load).toMatchObject({ status: 'loaded' });
    expect(failed(r).map((t) => `${t.id}: ${t.message}`)).toEqual([]);
    expect(r.score).toBe((entry.expect as { score: number }).score);
  });
});

describe.each(corpus.filter((e) => e.kind === 'fault').map((e) => [e.name, e] as const))('fault/%s', (_name, entry) => {
  const expectation = entry.expect as FaultExpectation;

  test('loses points on the functions at fault, and only there', () => {
    const r = readResult(out, entry.id);
    expect(r.load).toMatchObject({ status: 'loaded' });
    const losing = [...new Set(r.tests.filter((t) => t.score < t.maxScore).map((t) => t.function))].sort();
    expect(losing).toEqual([...expectation.functions].sort());
  });

  test('every failed check has the diagnosis that names the fault', () => {
    const r = readResult(out, entry.id);
    const pattern = new RegExp(expectation.diagnosis);
    const failures = failed(r);
    expect(failures.length).toBeGreaterThan(0);
    for (const t of failures) expect({ id: t.id, diagnosis: t.diagnosis ?? '(none)' }).toEqual({ id: t.id, diagnosis: expect.stringMatching(pattern) });
  });

  if (expectation.passes) {
    test(`spares ${expectation.passes.join(', ')}`, () => {
      const r = readResult(out, entry.id);
      for (const id of expectation.passes!) expect({ id, status: r.tests.find((t) => t.id === id)?.status }).toEqual({ id, status: 'passed' });
    });
  }
});
