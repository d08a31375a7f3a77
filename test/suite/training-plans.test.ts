/**
 * The training suite as plans: declared with the built engine (as `mlgrade dist` does, in a
 * child process), every check is a plan of plain data that survives JSON — so the public ones can
 * go to a student kit — and the engine's training code imports no reference. Also the grader's own
 * linear-model evaluation against the reference, and the reference runs the builders record.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ref from '../../reference';
import { makeBinaryBlobs, makeMultiClassBlobs } from '../../src/suite/datasets';
import { classesOfOneHot, classificationErrorAt, modelLoss, predictClasses } from '../../src/suite/linearModel';
import { referenceRun, trainerCall, type LogisticTrainer, type SoftmaxTrainer } from '../../src/suite/trainer';
import type { CheckMeta } from '../../src/types';
import { ROOT } from '../support/cli';

interface Declared {
  declared: CheckMeta[];
  plans: { meta: CheckMeta; plan: { kind: string } }[];
  custom: string[];
  json: string;
}

/** Declares the training suite with dist/ in a fresh node process. */
function declare(scope: 'public' | 'all'): Declared {
  const script = `
    const { declareSuite } = require(${JSON.stringify(path.join(ROOT, 'dist/src/authoring/declareSuite'))});
    const { loadAssignment } = require(${JSON.stringify(path.join(ROOT, 'dist/src/assignments/spec'))});
    const d = declareSuite(loadAssignment('training'), ${JSON.stringify(scope)});
    const json = JSON.stringify(d.plans);
    process.stdout.write(JSON.stringify({ declared: d.declared, plans: JSON.parse(json), custom: d.custom, json }));`;
  const run = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as Declared;
}

/** Every value reachable from `value` that JSON would not keep as it is (functions, undefined, NaN, ±Infinity). */
function notJson(value: unknown, where = 'plan'): string[] {
  if (typeof value === 'function' || value === undefined) return [where];
  if (typeof value === 'number') return Number.isFinite(value) ? [] : [where];
  if (Array.isArray(value)) return value.flatMap((v, i) => notJson(v, `${where}[${i}]`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => notJson(v, `${where}.${k}`));
  return [];
}

describe('the training suite declared', () => {
  let all: Declared;
  let pub: Declared;
  beforeAll(() => {
    all = declare('all');
    pub = declare('public');
  });

  test('every check is a plan: none has a custom body (all of it can run without the reference)', () => {
    expect(all.custom).toEqual([]);
    expect(all.plans.map((p) => p.meta.id)).toEqual(all.declared.map((m) => m.id));
    expect(new Set(all.plans.map((p) => p.plan.kind))).toEqual(
      new Set(['trainer-interface', 'trainer-inputs', 'trainer-history', 'trainer-loss', 'trainer-epochs', 'trainer-trajectory', 'trainer-monotone', 'trainer-held-out']),
    );
    expect(all.declared.reduce((s, m) => s + m.points, 0)).toBe(100);
  });

  test('the public declaration holds the public checks only, as plain data JSON keeps exactly', () => {
    expect(pub.declared.every((m) => m.visibility === 'public')).toBe(true);
    expect(pub.declared.map((m) => m.id)).toEqual(all.declared.filter((m) => m.visibility === 'public').map((m) => m.id));
    const declaredAgain = declare('public');
    expect(declaredAgain.json).toBe(pub.json); // deterministic: seeded cases, the same numbers every time
    // What the kit would read back is what was declared (no function, undefined or non-finite value lost).
    expect(notJson(JSON.parse(pub.json))).toEqual([]);
  });

  test('no hidden case reaches the public plans', () => {
    for (const seed of ['seed 202', 'seed 203', 'seed 404', 'seed 503', 'seed 701']) expect(pub.json).not.toContain(seed);
  });
});

test("the engine's training code imports no reference, grader or assignment (principle 6)", () => {
  const files = ['linearModel', 'trainer', 'trainerResult', 'trainingPlans', 'trainingChecks', 'trainingEvaluators', 'trainingDiagnosis', 'updateDiagnosis', 'updateProbe'];
  for (const file of files) {
    const source = fs.readFileSync(path.join(ROOT, 'src', 'suite', `${file}.ts`), 'utf8');
    const imports = [...source.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
    expect({ file, outside: imports.filter((i) => !i.startsWith('.') || /reference|graders|assignments/.test(i)) }).toEqual({ file, outside: [] });
  }
});

describe('linearModel: the grader evaluates returned parameters itself, as the reference would', () => {
  const binary = makeBinaryBlobs({ n: 30, d: 3, seed: 7, separation: 2, noise: 0.1 });
  const multi = makeMultiClassBlobs({ n: 30, d: 2, k: 4, seed: 8, separation: 2, noise: 0.1 });
  const w = [0.7, -1.2, 0.4];
  const W = [[0.5, -0.2, 0.1, 0], [-0.3, 0.8, 0, 0.2]];
  test.each([0.01, 1, 30, 400])('losses at parameters scaled by %p (up to saturation)', (scale) => {
    const params = { weights: w.map((x) => x * scale), biases: [0.3 * scale] };
    for (const loss of ['bce', 'mse'] as const) {
      expect(modelLoss('logistic', binary.X, binary.y, params, loss)).toBeCloseTo(ref.binaryLoss(binary.X, binary.y, params.weights, params.biases[0], loss), 10);
    }
    const soft = { weights: W.flat().map((x) => x * scale), biases: [0.1, 0, -0.1, 0.2].map((x) => x * scale) };
    const Ws = [soft.weights.slice(0, 4), soft.weights.slice(4)];
    expect(modelLoss('softmax', multi.X, multi.Y, soft, 'cce')).toBeCloseTo(ref.softmaxLoss(multi.X, multi.Y, Ws, soft.biases), 10);
  });
  test('predicted classes and the classification error match the reference predict', () => {
    const params = { weights: w, biases: [0.3] };
    expect(classificationErrorAt('logistic', binary.X, binary.y, params)).toBe(ref.classificationError(binary.y, ref.predictBinary(binary.X, w, 0.3)));
    const soft = { weights: W.flat(), biases: [0.1, 0, -0.1, 0.2] };
    expect(predictClasses('softmax', multi.X, soft)).toEqual(ref.predictSoftmax(multi.X, W, soft.biases).map((row) => row.indexOf(Math.max(...row))));
    expect(classesOfOneHot(multi.Y)).toEqual(multi.labels);
  });
});

describe('referenceRun: the reference runs a builder records', () => {
  test('the path holds the parameters after every update, as separate runs give them', () => {
    const data = makeBinaryBlobs({ n: 12, d: 2, seed: 9, separation: 2, noise: 0 });
    const spec: LogisticTrainer = { name: 'trainBinary', model: 'logistic', reference: ref.trainBinary };
    const c = { label: 'x', X: data.X, y: data.y, opts: { loss: 'mse' as const, lr: 0.5, epochs: 6, w0: [0.2, -0.1], b0: 0.05 } };
    const run = referenceRun(spec, trainerCall(spec, c));
    expect(run.history).toEqual(ref.trainBinary(c.X, c.y, c.opts).history);
    for (let t = 0; t <= 6; t++) {
      const r = ref.trainBinary(c.X, c.y, { ...c.opts, epochs: t });
      expect(run.path[t]).toEqual({ weights: r.w, biases: [r.b] });
    }
  });
  test('once per spec and arguments: declaring again does not run the reference again', () => {
    let calls = 0;
    const spec: SoftmaxTrainer = { name: 'trainSoftmax', model: 'softmax', reference: (X, Y, o) => (calls++, ref.trainSoftmax(X, Y, o)) };
    const data = makeMultiClassBlobs({ n: 9, d: 2, k: 3, seed: 10, separation: 2, noise: 0 });
    const c = { label: 'x', X: data.X, Y: data.Y, opts: { lr: 0.3, epochs: 4, W0: [[0, 0, 0], [0, 0, 0]], b0: [0, 0, 0] } };
    referenceRun(spec, trainerCall(spec, c));
    const first = calls;
    expect(first).toBe(1 + 4); // the run, then one update at a time
    referenceRun(spec, trainerCall(spec, structuredClone(c)));
    expect(calls).toBe(first);
  });
});
