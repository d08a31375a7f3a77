/**
 * validateAssignment starts jest (through gradeSubmissions), so it runs in a plain node child
 * process against the compiled dist/ (`npm test` builds first).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { distDir } from '../../src/paths';
import { formatValidationReport, type CandidateOutcome, type ValidationReport } from '../../src/authoring/validate';

function runValidate(name: string): ValidationReport {
  const script = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mlgrade-validate-test-')), 'run.js');
  // A script file, not `node -e`: jest workers are forked with process.execArgv.
  fs.writeFileSync(
    script,
    `require(${JSON.stringify(path.join(distDir(), 'src/authoring/validate.js'))}).validateAssignment(process.argv[2], { jobs: 2 })` +
      `.then((r) => process.stdout.write(JSON.stringify(r)), (e) => { console.error(e); process.exit(1); });\n`,
  );
  return JSON.parse(execFileSync(process.execPath, [script, name], { encoding: 'utf8', timeout: 300_000, maxBuffer: 64 * 1024 * 1024 }));
}

const candidate = (report: ValidationReport, id: string): CandidateOutcome => {
  const found = report.candidates.find((c) => c.id === id);
  if (!found) throw new Error(`no candidate ${id} in ${report.candidates.map((c) => c.id).join(', ')}`);
  return found;
};

describe('validateAssignment (losses)', () => {
  let report: ValidationReport;
  beforeAll(() => {
    report = runValidate('losses');
  }, 300_000);

  it('the reference scores 100% and the correct examples too', () => {
    expect(report.reference).toMatchObject({ score: 100, maxScore: 100, passed: true, failedTests: [] });
    for (const c of report.candidates.filter((c) => c.kind === 'example' && c.name.startsWith('correct'))) expect([c.name, c.status]).toEqual([c.name, 'ok']);
  });

  it('every fault example loses points', () => {
    const faults = report.candidates.filter((c) => c.kind === 'example' && !c.name.startsWith('correct'));
    expect(faults.length).toBeGreaterThanOrEqual(10);
    for (const c of faults) expect([c.name, c.status, c.score < c.maxScore]).toEqual([c.name, 'ok', true]);
  });

  it('automatic mutants of every export are caught, by the checks of the function at fault', () => {
    // JavaScript mutants of the reference; Python ones only where the assignment has a correct Python example.
    const automatic = report.candidates.filter((c) => c.kind === 'automatic' && !c.id.startsWith('auto-python-'));
    expect(automatic).toHaveLength(13 * 7);
    const python = report.candidates.filter((c) => c.id.startsWith('auto-python-'));
    expect([0, 13 * 7]).toContain(python.length);
    for (const c of python) expect([c.id, c.status]).toEqual([c.id, c.status === 'not-exercised' ? 'not-exercised' : 'ok']);
    for (const c of automatic) expect([c.id, c.status]).toEqual([c.id, c.status === 'not-exercised' ? 'not-exercised' : 'ok']);
    expect(candidate(report, 'auto-mseGrad-times-n').failedTests).toContain('mseGrad.gradient.reference');
    expect(candidate(report, 'auto-mseGrad-times-n').failedTests.every((id) => id.startsWith('mseGrad.'))).toBe(true);
    expect(candidate(report, 'auto-softmax-nan-at-extremes').failedTests).toContain('softmax.stability.huge-rows');
    // Only a mutant no check exercises may go uncaught: mse has no extreme inputs.
    expect(candidate(report, 'auto-mse-nan-at-extremes').status).toBe('not-exercised');
    expect(report.ok).toBe(true);
    expect(formatValidationReport(report)).toMatch(/^OK: /m);
  });

  it('refuses to run under node -e (jest would fork the eval again)', () => {
    const validate = JSON.stringify(path.join(distDir(), 'src/authoring/validate.js'));
    expect(() =>
      execFileSync(process.execPath, ['-e', `require(${validate}).validateAssignment('losses').catch((e) => { console.error(e.message); process.exit(3); })`], { encoding: 'utf8', stdio: 'pipe', timeout: 20_000 }),
    ).toThrow(/cannot run under `node -e`/);
  });
});

describe('validateAssignment (training)', () => {
  it('the reference trainers score 100%; examples and automatic mutants come out as expected', () => {
    const report = runValidate('training');
    expect(report.reference).toMatchObject({ passed: true, failedTests: [] });
    expect(candidate(report, 'example-mutates-input').failedTests).toEqual(['trainBinary.inputs-unchanged', 'trainSoftmax.inputs-unchanged']);
    for (const c of report.candidates) expect([c.id, c.status]).toEqual([c.id, 'ok']);
    expect(report.ok).toBe(true);
  }, 300_000);
});

describe('formatValidationReport', () => {
  it('flags missed mutants, wrongly failed correct examples and notes', () => {
    const text = formatValidationReport({
      assignment: 'x',
      reference: { score: 90, maxScore: 100, passed: false, failedTests: ['a.b'] },
      candidates: [
        { id: 'mutant-m', kind: 'author', name: 'm', description: 'd', expect: 'caught', score: 10, maxScore: 10, status: 'missed', failedTests: [] },
        { id: 'example-correct', kind: 'example', name: 'correct', description: 'c', expect: 'full-marks', score: 8, maxScore: 10, status: 'wrongly-failed', failedTests: ['a.b'] },
      ],
      notes: ['no mutants.ts in x'],
      ok: false,
    });
    expect(text).toMatch(/FAIL \(must score 100%\)/);
    expect(text).toMatch(/MISSED +m — d \(10\/10\)/);
    expect(text).toMatch(/FAILED +correct — c \(8\/10, failing a\.b\)/);
    expect(text).toMatch(/note: no mutants\.ts in x/);
    expect(text).toMatch(/NOT OK/);
  });
});
