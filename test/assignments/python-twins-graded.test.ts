/**
 * The Python and notebook twins graded for real, through the CLI, next to their TypeScript
 * originals: each twin earns its original's score, with the same checks passed and failed and the
 * same kind of failure (a time-out stays a time-out). Runs once the engine grades Python
 * submissions; until then it is skipped with one line saying so (the twins' numbers are proved
 * without the engine in python-twins.test.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SubmissionResult } from '../../src/types';
import { ROOT, readResult, runCli, tempDir } from '../support/cli';

const ASSIGNMENTS = ['losses', 'training'] as const;
const examplesOf = (assignment: string) => path.join(ROOT, 'assignments', assignment, 'examples');
const isTwin = (name: string) => /-(python(-[a-z0-9-]+)?|notebook)$/.test(name);
const originalOf = (twin: string) => twin.replace(/-notebook$/, '').replace(/-python(-[a-z0-9-]+)?$/, '');

/** Whether the built engine grades a Python submission (it loads correct-python), or why not. */
function engineGradesPython(): { ok: true } | { ok: false; why: string } {
  const dir = tempDir('mlgrade-py-probe-');
  try {
    const subs = path.join(dir, 'subs');
    fs.cpSync(path.join(examplesOf('losses'), 'correct-python'), path.join(subs, 'correct-python'), { recursive: true });
    const run = runCli(['grade', 'losses', subs, '--out', path.join(dir, 'out'), '--no-html']);
    if (run.status !== 0) return { ok: false, why: `mlgrade grade exited with ${run.status}` };
    const result = readResult(path.join(dir, 'out'), 'correct-python');
    if (result.load.status !== 'loaded') return { ok: false, why: `the engine does not load Python submissions yet (${result.load.message})` };
    return { ok: true };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const probe = engineGradesPython();
if (!probe.ok) console.warn(`Graded Python twins skipped: ${probe.why}.`);

(probe.ok ? describe : describe.skip)('Python twins graded by the engine', () => {
  const out = {} as Record<(typeof ASSIGNMENTS)[number], string>;
  beforeAll(() => {
    for (const assignment of ASSIGNMENTS) {
      out[assignment] = tempDir(`mlgrade-twins-${assignment}-`);
      const run = runCli(['grade', assignment, examplesOf(assignment), '--out', out[assignment], '--no-html']);
      expect(run.status).toBe(0);
    }
  }, 900_000);

  const statuses = (r: SubmissionResult) => Object.fromEntries(r.tests.map((t) => [t.id, t.status]));

  test.each(ASSIGNMENTS)('%s: every twin earns its original score, check by check', (assignment) => {
    const twins = fs.readdirSync(examplesOf(assignment)).filter(isTwin).sort();
    expect(twins.length).toBeGreaterThan(0);
    for (const twin of twins) {
      const original = readResult(out[assignment], originalOf(twin));
      const graded = readResult(out[assignment], twin);
      expect({ twin, score: graded.score }).toEqual({ twin, score: original.score });
      expect({ twin, statuses: statuses(graded) }).toEqual({ twin, statuses: statuses(original) });
    }
  });

  test('a twin that fails to load says where, in the student\'s terms', () => {
    const losses = (id: string) => readResult(out.losses, id);
    const notebookLine = fs.readFileSync(path.join(examplesOf('losses'), 'syntax-error-notebook', 'EXPECTED_ERROR_LINE'), 'utf8').trim();
    const cases: [string, RegExp][] = [
      ['syntax-error-python', /losses\.py(, line |:)30\b/],
      ['syntax-error-notebook', new RegExp(`\\b${notebookLine}\\b`)],
    ];
    for (const [id, where] of cases) {
      const r = losses(id);
      expect(r.score).toBe(0);
      expect(r.load.status === 'failed' ? r.load.message : r.tests.map((t) => t.message).join('\n')).toMatch(where);
      expect(JSON.stringify(r)).not.toMatch(/\/tmp\/|\/stage\/|runner\.py/);
    }
  });
});
