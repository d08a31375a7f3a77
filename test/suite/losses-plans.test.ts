/**
 * The losses suite, declared without a submission (declareSuite of the built engine, in a child
 * process: jest's module registry would give the suite its own copy of the engine): points add up
 * to 100, and every rule of the handout has checks (public and hidden) whose inputs break it — the
 * plan's expected value differs from the value of the mistake, measured on the plans themselves.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import type { DeclaredSuite } from '../../src/authoring/declareSuite';
import type { CheckPlan, ValuePlan } from '../../src/suite/plans';
import type { CheckMeta } from '../../src/types';
import { ROOT } from '../support/cli';

/** Declares the losses suite for `scope` with the built engine; non-finite numbers survive the trip as strings. */
function declared(scope: 'all' | 'public'): DeclaredSuite {
  const dist = path.join(ROOT, 'dist', 'src');
  const script = `
    const { declareSuite } = require(${JSON.stringify(path.join(dist, 'authoring', 'declareSuite.js'))});
    const { loadAssignment } = require(${JSON.stringify(path.join(dist, 'assignments', 'spec.js'))});
    const suite = declareSuite(loadAssignment('losses'), ${JSON.stringify(scope)});
    process.stdout.write(JSON.stringify(suite, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v)));`;
  const text = execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' });
  return JSON.parse(text, (_, v) => (v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : v === 'NaN' ? NaN : v)) as DeclaredSuite;
}

let plans: { meta: CheckMeta; plan: CheckPlan }[];
let declaredChecks: CheckMeta[];

beforeAll(() => {
  ({ plans, declared: declaredChecks } = declared('all'));
});

const planOf = (id: string) => {
  const found = plans.find((p) => p.meta.id === id);
  if (!found) throw new Error(`no check ${id}`);
  return found;
};
const valuePlan = (id: string) => planOf(id).plan as ValuePlan;

test('points add up to 100, ids are unique and every check is plan-based', () => {
  expect(declaredChecks.reduce((s, m) => s + m.points, 0)).toBe(100);
  expect(new Set(declaredChecks.map((m) => m.id)).size).toBe(declaredChecks.length);
  expect(plans).toHaveLength(declaredChecks.length);
});

test('the public self-check declares no hidden check and computes no hidden plan', () => {
  const pub = declared('public');
  expect(pub.declared.every((m) => m.visibility === 'public')).toBe(true);
  expect(pub.plans.map((p) => p.meta.id)).not.toContain('classificationError.accuracy.seeded-threshold');
});

describe.each([
  ['classificationError.accuracy.threshold', 'public', /exactly 0\.5 as class 0/],
  ['classificationError.accuracy.seeded-threshold', 'hidden', /exactly 0\.5 as class 0/],
  ['classificationError.accuracy.ties', 'public', /LAST index/],
  ['classificationError.accuracy.seeded-ties', 'hidden', /LAST index/],
])('%s (%s) breaks its rule', (id, visibility, hint) => {
  test('its input contains the case and the mistake gives another answer', () => {
    const { meta, plan } = planOf(id);
    expect(meta.visibility).toBe(visibility);
    const mistake = (plan as ValuePlan).mistakes?.find((m) => hint.test(m.hint));
    expect(mistake).toBeDefined();
    expect(mistake!.value).not.toBe((plan as ValuePlan).expected);
  });
});

test('the public threshold check holds p = 0.5 exactly and its title says ≥', () => {
  const { meta, plan } = planOf('classificationError.accuracy.threshold');
  expect((plan as ValuePlan).args[1]).toContain(0.5);
  expect(meta.name).toMatch(/≥/);
  expect((plan as ValuePlan).expected).toBe(0.25);
});

/** Rows of z whose maximum exceeds the first entry by more than e^x can hold. */
const overflowWhenShiftedByFirst = (z: number[][]) => z.filter((row) => Math.max(...row) - row[0] > Math.log(Number.MAX_VALUE));

test.each(['softmax.stability.huge-rows', 'softmax.stability.seeded-huge-rows', 'categoricalCrossEntropyFromLogitsGrad.stability.huge-rows'])(
  '%s has rows whose maximum is not in column 0, far enough above it to overflow a shift by the first entry',
  (id) => {
    const plan = valuePlan(id);
    const z = plan.args[plan.args.length - 1] as number[][];
    expect(overflowWhenShiftedByFirst(z).length).toBeGreaterThan(0);
    // …and rows that overflow without any shift, where the first entry is the maximum (hand-picked inputs).
    if (!id.includes('seeded')) expect(z.some((row) => row[0] === Math.max(...row) && Math.max(...row) > 709.79)).toBe(true);
  },
);

test.each(['binaryCrossEntropy', 'categoricalCrossEntropy'])('%s: an impossible prediction must be +Infinity; clipping at ε ≤ 1e-7 gives at least the band', (fn) => {
  const plan = valuePlan(`${fn}.stability.impossible`);
  expect(plan.expected).toBe(Infinity);
  expect(plan.clipped?.epsilon).toBe(1e-7);
  expect(plan.clipped!.expected as number).toBeGreaterThan(-Math.log(1e-7) / plan.samples);
  expect(plan.mistakes?.some((m) => /ε = 1e-5/.test(m.hint) && (m.value as number) < (plan.clipped!.expected as number))).toBe(true);
});

test.each(['binaryCrossEntropy', 'categoricalCrossEntropy'])('%s: at an exact zero, clipping at 1e-7 is inside the tolerance band and 1e-5 is outside', (fn) => {
  const plan = valuePlan(`${fn}.stability.certain`);
  expect(plan.expected).toBe(0);
  expect(plan.tolerance.atol).toBeLessThanOrEqual(1e-9);
  const band = plan.clipped!.expected as number;
  expect(band).toBeCloseTo(1e-7, 12);
  const at1e5 = plan.mistakes!.find((m) => /ε = 1e-5/.test(m.hint))!.value as number;
  expect(at1e5).toBeGreaterThan(band + plan.tolerance.atol + plan.tolerance.rtol * band);
});

test('the probability-space gradients carry the logit-space gradient as a known mistake', () => {
  for (const id of ['binaryCrossEntropyGrad.gradient.reference', 'categoricalCrossEntropyGrad.gradient.reference']) {
    const plan = planOf(id).plan;
    expect(plan.kind).toBe('gradient');
    if (plan.kind === 'gradient') expect(plan.context.mistakes?.some((m) => /with respect to the LOGITS/.test(m.hint))).toBe(true);
  }
});

test('finite-difference plans carry the reference gradient, its tolerance and a second, coarser step', () => {
  for (const { plan } of plans) {
    if (plan.kind !== 'finite-differences') continue;
    expect(plan.coarse.h).toBeGreaterThan(plan.h);
    expect(plan.tolerance).toEqual({ rtol: 1e-5, atol: 1e-8 });
    expect(plan.loss?.fn).toBe(plan.lossFn);
  }
});
