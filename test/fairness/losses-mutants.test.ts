/**
 * Every mutant of assignments/losses/mutants.ts is caught by the losses suite, and charged only
 * where it is wrong: a small stand-in for `mlgrade validate` until it bundles mutants.ts itself.
 *
 * Each mutant becomes a submission folder holding the compiled reference (dist/reference plus the
 * one engine file it imports), mutants.ts compiled with TypeScript's transpileModule, and an entry
 * losses.js that exports `mutant.mutate(LOSSES_REFERENCE)`. The reference itself is graded the
 * same way and must score 100. One CLI run grades them all.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import type { Mutant } from '../../src/suite/mutant';
import type { SubmissionResult } from '../../src/types';
import { readResult, ROOT, runCli, tempDir } from '../support/cli';

/** Every mutant of mutants.ts, by name (a new mutant needs its line here). */
const MUTANT_NAMES = [
  'threshold-strict', 'ties-last-index', 'softmax-shift-first', 'bce-impossible-nan', 'cce-impossible-nan', 'bce-clip-1e-5', 'cce-clip-1e-5',
  'grad-times-n', 'mseGrad-times-n', 'bceLogitsGrad-times-n', 'cceLogitsGrad-times-n', 'grad-times-2', 'grad-sign-flip', 'grad-mean-n-minus-1',
  'loss-mean-n-plus-1', 'bce-naive-log', 'cce-naive-log', 'softmax-no-max-shift', 'cce-logits-naive-softmax', 'bce-logits-naive',
  'bce-logits-extra-sigmoid-slope', 'softmax-wrong-axis',
] as const;

/** The rule mutants: exactly the checks about the broken rule fail, each with a diagnosis naming it. */
const RULE_CHECKS: Record<string, { failing: string[]; diagnosis: RegExp }> = {
  'threshold-strict': { failing: ['classificationError.accuracy.seeded-threshold', 'classificationError.accuracy.threshold'], diagnosis: /exactly 0\.5 as class 0.*p ≥ 0\.5/ },
  'ties-last-index': { failing: ['classificationError.accuracy.seeded-ties', 'classificationError.accuracy.ties'], diagnosis: /LAST index.*FIRST/ },
  'softmax-shift-first': { failing: ['softmax.stability.huge-rows', 'softmax.stability.seeded-huge-rows'], diagnosis: /FIRST entry/ },
  'bce-impossible-nan': { failing: ['binaryCrossEntropy.stability.impossible'], diagnosis: /NaN where the exact answer is \+Infinity/ },
  'cce-impossible-nan': { failing: ['categoricalCrossEntropy.stability.impossible'], diagnosis: /NaN where the exact answer is \+Infinity/ },
  // Clipping at 1e-5 breaks both boundary rules: 0 for certain right predictions, +Infinity (or a clipped value of at least −ln 1e-7) for certain wrong ones.
  'bce-clip-1e-5': { failing: ['binaryCrossEntropy.stability.certain', 'binaryCrossEntropy.stability.impossible'], diagnosis: /clipping p into \[ε, 1 − ε\] with ε = 1e-5/ },
  'cce-clip-1e-5': { failing: ['categoricalCrossEntropy.stability.certain', 'categoricalCrossEntropy.stability.impossible'], diagnosis: /clipping p into \[ε, 1 − ε\] with ε = 1e-5/ },
};

const MUTANTS_TS = path.join(ROOT, 'assignments', 'losses', 'mutants.ts');
const DIST = path.join(ROOT, 'dist');

/** mutants.ts as CommonJS, with `mlgrade/suite` replaced by a local file defining defineMutants. */
function compiledMutants(): string {
  const source = fs.readFileSync(MUTANTS_TS, 'utf8');
  const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } });
  expect(outputText).toContain('require("mlgrade/suite")');
  return outputText.replace(/require\("mlgrade\/suite"\)/g, 'require("./mlgrade-suite.js")');
}

/** Copies the compiled reference (and the engine file its argument checks come from) into `dir`. */
function copyReference(dir: string): void {
  fs.cpSync(path.join(DIST, 'reference'), path.join(dir, 'reference'), { recursive: true, filter: (src) => fs.statSync(src).isDirectory() || src.endsWith('.js') });
  fs.mkdirSync(path.join(dir, 'src'));
  fs.copyFileSync(path.join(DIST, 'src', 'arguments.js'), path.join(dir, 'src', 'arguments.js'));
}

function writeSubmission(dir: string, mutants: string, mutantName: string | undefined): void {
  fs.mkdirSync(dir, { recursive: true });
  copyReference(dir);
  fs.writeFileSync(path.join(dir, 'mutants.js'), mutants);
  fs.writeFileSync(path.join(dir, 'mlgrade-suite.js'), "'use strict';\nexports.defineMutants = (mutants) => mutants;\n");
  const entry =
    mutantName === undefined
      ? "module.exports = require('./reference/index.js').LOSSES_REFERENCE;\n"
      : `const reference = require('./reference/index.js').LOSSES_REFERENCE;\n` +
        `const mutant = require('./mutants.js').default.find((m) => m.name === ${JSON.stringify(mutantName)});\n` +
        `module.exports = mutant.mutate(reference);\n`;
  fs.writeFileSync(path.join(dir, 'losses.js'), `'use strict';\n${entry}`);
}

let mutants: Mutant[];
let reference: Record<string, unknown>;
let out: string;

beforeAll(() => {
  const compiled = compiledMutants();
  const root = tempDir('mlgrade-mutants-');
  const subs = path.join(root, 'subs');
  // The mutant list itself, loaded in this process from the same compiled text (instructor code).
  const probe = path.join(root, 'probe');
  writeSubmission(probe, compiled, undefined);
  mutants = (require(path.join(probe, 'mutants.js')) as { default: Mutant[] }).default;
  reference = require(path.join(probe, 'reference', 'index.js')).LOSSES_REFERENCE;
  writeSubmission(path.join(subs, 'reference'), compiled, undefined);
  for (const mutant of mutants) writeSubmission(path.join(subs, `mutant-${mutant.name}`), compiled, mutant.name);
  out = path.join(root, 'out');
  const run = runCli(['grade', 'losses', subs, '--out', out, '--no-html']);
  expect(run.status).toBe(0);
});

/** The functions a mutant replaces: its exports that are not the reference's own. */
function mutatedFunctions(mutant: Mutant): string[] {
  const exports = mutant.mutate(reference as never);
  return Object.keys(exports).filter((name) => exports[name] !== reference[name]).sort();
}

const losingFunctions = (r: SubmissionResult) => [...new Set(r.tests.filter((t) => t.score < t.maxScore).map((t) => t.function))].sort();

test('the list holds the rule mutants and the classic ones, with unique names', () => {
  const names = mutants.map((m) => m.name);
  expect(new Set(names).size).toBe(names.length);
  expect(names).toEqual(expect.arrayContaining(['threshold-strict', 'ties-last-index', 'softmax-shift-first', 'bce-impossible-nan', 'cce-impossible-nan', 'bce-clip-1e-5', 'cce-clip-1e-5']));
  expect(names).toEqual(expect.arrayContaining(['grad-times-n', 'grad-mean-n-minus-1', 'loss-mean-n-plus-1', 'softmax-no-max-shift', 'softmax-wrong-axis', 'bce-logits-extra-sigmoid-slope']));
});

test('the reference, bundled the same way, scores 100', () => {
  const r = readResult(out, 'reference');
  expect(r.load.status).toBe('loaded');
  expect(r.tests.filter((t) => t.status !== 'passed').map((t) => `${t.id}: ${t.message}`)).toEqual([]);
  expect(r.score).toBe(100);
});

test.each(MUTANT_NAMES)(
  '%s is caught, and only the functions it changes lose points',
  (name) => {
    const mutant = mutants.find((m) => m.name === name);
    expect(mutant).toBeDefined();
    const r = readResult(out, `mutant-${name}`);
    expect(r.load.status).toBe('loaded');
    expect(r.score).toBeLessThan(100);
    const changed = mutatedFunctions(mutant!);
    const losing = losingFunctions(r);
    expect(losing.length).toBeGreaterThan(0);
    expect(changed).toEqual(expect.arrayContaining(losing));
  },
);

test.each(Object.keys(RULE_CHECKS))('%s fails exactly the checks about its rule, with the diagnosis that names it', (name) => {
  const r = readResult(out, `mutant-${name}`);
  const failing = r.tests.filter((t) => t.status !== 'passed');
  expect(failing.map((t) => t.id).sort()).toEqual(RULE_CHECKS[name].failing);
  for (const t of failing) expect({ id: t.id, diagnosis: t.diagnosis }).toEqual({ id: t.id, diagnosis: expect.stringMatching(RULE_CHECKS[name].diagnosis) });
});

test('every mutant of mutants.ts is listed above (a new one needs its line)', () => {
  expect(mutants.map((m) => m.name).sort()).toEqual([...MUTANT_NAMES].sort());
});
