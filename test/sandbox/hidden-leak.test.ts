/**
 * Hidden stays hidden: a submission that remembers the inputs of hidden checks and throws them in
 * the message of the next public call must not get a single hidden input into anything a student
 * reads (result messages of public checks, report.html, Gradescope's results, the job summary),
 * because public and hidden checks run in two separate sandbox processes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { resultPath } from '../../reports/json';
import { loadAssignment } from '../../src/assignments/spec';
import { declareSuite } from '../../src/authoring/declareSuite';
import { readResult, runCli, tempDir } from '../support/cli';

const FIXTURE = path.join(__dirname, '..', 'fixtures', 'hostile', 'leaks-hidden-inputs');

/** Distinctive numbers of the hidden checks' inputs (long decimals, as JSON writes them). */
function hiddenNumbers(): string[] {
  const { plans } = declareSuite(loadAssignment('losses'), 'all');
  const numbers = new Set<string>();
  const walk = (value: unknown): void => {
    if (typeof value === 'number' && !Number.isInteger(value)) numbers.add(JSON.stringify(value));
    else if (Array.isArray(value)) value.forEach(walk);
  };
  for (const { meta, plan } of plans) if (meta.visibility === 'hidden' && 'args' in plan) walk(plan.args);
  return [...numbers].filter((n) => n.length >= 12);
}

test('no hidden input reaches a public message, the student report, Gradescope or the job summary', () => {
  const out = tempDir();
  const summary = path.join(tempDir(), 'summary.md');
  fs.writeFileSync(summary, '');
  const run = runCli(['grade', 'losses', FIXTURE, '--out', out], { env: { GITHUB_STEP_SUMMARY: summary } });
  expect(run.status).toBe(0);
  const result = readResult(out, 'leaks-hidden-inputs');
  const hidden = hiddenNumbers();
  expect(hidden.length).toBeGreaterThan(100);
  // The attack did fire: public calls threw with what the PUBLIC process had seen.
  const leaking = result.tests.filter((t) => t.visibility === 'public' && /LEAK/.test(t.message));
  expect(leaking.length).toBeGreaterThan(0);
  const folder = path.dirname(resultPath(out, result.submission));
  const studentVisible = [
    ...result.tests.filter((t) => t.visibility === 'public').map((t) => t.message),
    fs.readFileSync(path.join(folder, 'report.html'), 'utf8'),
    fs.readFileSync(path.join(folder, 'gradescope', 'results.json'), 'utf8'),
    fs.readFileSync(summary, 'utf8'),
  ].join('\n');
  const found = hidden.filter((n) => studentVisible.includes(n));
  expect(found).toEqual([]);
});
