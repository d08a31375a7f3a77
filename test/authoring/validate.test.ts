/**
 * validateAssignment starts jest (through gradeSubmissions), so it runs in a plain node child
 * process against the compiled dist/ (build first: `npx tsc -p tsconfig.build.json`).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { distDir } from '../../src/paths';
import { LOSSES_MUTANTS, TRAINING_MUTANTS } from '../../src/authoring/mutants';
import { formatValidationReport, type ValidationReport } from '../../src/authoring/validate';

function runValidate(name: string): ValidationReport {
  const script = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mlgrade-validate-test-')), 'run.js');
  // A script file, not `node -e`: jest workers are forked with process.execArgv.
  fs.writeFileSync(
    script,
    `require(${JSON.stringify(path.join(distDir(), 'src/authoring/validate.js'))}).validateAssignment(process.argv[2], { jobs: 2 })` +
      `.then((r) => process.stdout.write(JSON.stringify(r)), (e) => { console.error(e); process.exit(1); });\n`,
  );
  return JSON.parse(execFileSync(process.execPath, [script, name], { encoding: 'utf8', timeout: 90_000 }));
}

describe('validateAssignment (losses)', () => {
  let report: ValidationReport;
  beforeAll(() => {
    report = runValidate('losses');
  }, 100_000);

  it('the reference scores 100%', () => {
    expect(report.reference).toMatchObject({ score: 100, maxScore: 100, passed: true, failedTests: [] });
  });

  it('every mutant is caught, by the tests one expects', () => {
    expect(report.mutants.map((m) => m.name)).toEqual(LOSSES_MUTANTS.map((m) => m.name));
    for (const m of report.mutants) expect({ name: m.name, caught: m.caught }).toEqual({ name: m.name, caught: true });
    const by = (name: string) => report.mutants.find((m) => m.name === name)!.failedTests;
    expect(by('mseGrad-times-n')).toContain('mseGrad.gradient.reference');
    expect(by('softmax-no-max-shift')).toEqual(['softmax.stability.huge-rows', 'softmax.stability.seeded-huge-rows']);
    expect(by('softmax-wrong-axis')).toContain('softmax.accuracy.hand');
    expect(by('bce-naive-log')).toContain('binaryCrossEntropy.stability.certain');
    expect(by('bce-logits-extra-sigmoid-slope')).toContain('binaryCrossEntropyFromLogitsGrad.gradient.reference');
    expect(report.ok).toBe(true);
    expect(formatValidationReport(report)).toMatch(/mutants caught: 15\/15/);
  });

  it('refuses to run under node -e (jest would fork the eval again)', () => {
    expect(() =>
      execFileSync(process.execPath, ['-e', `require(${JSON.stringify(path.join(distDir(), 'src/authoring/validate.js'))}).validateAssignment('losses').catch((e) => { console.error(e.message); process.exit(3); })`], { encoding: 'utf8', stdio: 'pipe', timeout: 20_000 }),
    ).toThrow(/cannot run under `node -e`/);
  });
});

describe('validateAssignment (training)', () => {
  it('the reference trainers score 100% and every training mutant is caught by the right tests', () => {
    const report = runValidate('training');
    expect(report.reference).toMatchObject({ passed: true, failedTests: [] });
    expect(report.mutants.map((m) => [m.name, m.caught])).toEqual(TRAINING_MUTANTS.map((m) => [m.name, true]));
    const by = (name: string) => report.mutants.find((m) => m.name === name)!.failedTests;
    expect(by('mutates-input')).toEqual(['trainBinary.inputs-unchanged', 'trainSoftmax.inputs-unchanged']);
    expect(by('mse-without-sigmoid-slope')).toEqual(expect.arrayContaining(['trainBinary.trajectory.mse', 'trainBinary.saturated.mse']));
    expect(by('mse-without-sigmoid-slope')).not.toContain('trainBinary.trajectory.bce');
    expect(report.ok).toBe(true);
  }, 100_000);
});

describe('formatValidationReport', () => {
  it('flags missed mutants and notes', () => {
    const text = formatValidationReport({ assignment: 'x', reference: { score: 90, maxScore: 100, passed: false, failedTests: ['a.b'] }, mutants: [{ name: 'm', description: 'd', caught: false, failedTests: [] }], notes: ['no mutants defined for x'], ok: false });
    expect(text).toMatch(/FAIL \(must score 100%\)/);
    expect(text).toMatch(/MISSED +m/);
    expect(text).toMatch(/NOT OK/);
  });
});
