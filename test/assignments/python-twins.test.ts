/**
 * The Python and notebook twins of the example submissions (issue 15): every TypeScript/JavaScript
 * example of both assignments has a `-python` and a `-notebook` twin that makes the same mistake
 * with the same numbers. test/fixtures/python-twins/_check/check_twins.py proves it call by call:
 * it runs each twin (a child interpreter of its own; arguments as lists and as NumPy arrays;
 * notebooks stopping at a failing cell and going on) on every call the suite plans, public and
 * hidden, and compares with the original, loaded from its TypeScript by dump-outputs.js. (The
 * expected values stay in a temporary folder.) Skipped, with one line saying why,
 * where /usr/bin/python3 or its NumPy is missing.
 *
 * Needs dist/ (`npm test` builds first).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, tempDir } from '../support/cli';

const PYTHON = '/usr/bin/python3';
const CHECK = path.join(ROOT, 'test', 'fixtures', 'python-twins', '_check');
const ASSIGNMENTS = ['losses', 'training'] as const;
type Assignment = (typeof ASSIGNMENTS)[number];
const ENTRY: Record<Assignment, string> = { losses: 'losses', training: 'train' };
const examplesOf = (assignment: Assignment) => path.join(ROOT, 'assignments', assignment, 'examples');

/** Why the Python checks cannot run here, or undefined when they can. */
function pythonMissing(): string | undefined {
  if (!fs.existsSync(PYTHON)) return `${PYTHON} does not exist`;
  const probe = spawnSync(PYTHON, ['-c', 'import numpy'], { encoding: 'utf8' });
  if (probe.status !== 0) return `${PYTHON} cannot import numpy (${probe.stderr.trim().split('\n').pop()})`;
  return undefined;
}

const missing = pythonMissing();
if (missing) console.warn(`Python twin checks skipped: ${missing}. Install python3 and python3-numpy to run them.`);
const describePython = missing ? describe.skip : describe;

interface Run {
  mode: 'list' | 'ndarray';
  policy: 'stop' | 'continue';
  load: { status: string; where?: string; name?: string; message?: string; code?: number; how?: string };
  cellErrors: { cell: number; name: string; where: string | null }[];
  differences: number;
  offReference: number;
  originalOffReference: number;
  statuses: Record<string, number>;
  mutatedCalls: number;
}
interface Report {
  assignment: string;
  calls: number;
  ok: boolean;
  twins: { twin: string; original: string; runs: Run[]; problems: string[] }[];
}

/** The examples written in TypeScript or JavaScript (the originals). */
function originals(assignment: Assignment): string[] {
  const dir = examplesOf(assignment);
  return fs
    .readdirSync(dir)
    .filter((name) => ['ts', 'js'].some((ext) => fs.existsSync(path.join(dir, name, `${ENTRY[assignment]}.${ext}`))))
    .sort();
}

function dump(assignment: Assignment, out: string): void {
  const run = spawnSync(process.execPath, [path.join(CHECK, 'dump-outputs.js'), '--assignment', assignment, '--scope', 'all', '--out', out], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`dump-outputs.js ${assignment} failed: ${run.stderr}`);
}

interface CheckRun {
  status: number | null;
  stdout: string;
  report: Report;
}

function check(dumpFile: string, examples: string, reportFile: string, twins: string[] = []): CheckRun {
  const args = [path.join(CHECK, 'check_twins.py'), '--dump', dumpFile, '--examples', examples, '--report', reportFile, '--timeout', '1'];
  for (const twin of twins) args.push('--twin', twin);
  const run = spawnSync(PYTHON, args, { cwd: ROOT, encoding: 'utf8', timeout: 600_000 });
  if (!fs.existsSync(reportFile)) throw new Error(`check_twins.py wrote no report: ${run.stderr}`);
  return { status: run.status, stdout: run.stdout, report: JSON.parse(fs.readFileSync(reportFile, 'utf8')) as Report };
}

describePython('Python and notebook twins of the examples', () => {
  const scratch = tempDir('mlgrade-twins-');
  const dumps = {} as Record<Assignment, string>;
  const reports = {} as Record<Assignment, Report>;
  const stdout = {} as Record<Assignment, string>;

  beforeAll(() => {
    for (const assignment of ASSIGNMENTS) {
      dumps[assignment] = path.join(scratch, `${assignment}.json`);
      dump(assignment, dumps[assignment]);
      const result = check(dumps[assignment], examplesOf(assignment), path.join(scratch, `${assignment}-report.json`));
      reports[assignment] = result.report;
      stdout[assignment] = result.stdout;
    }
  }, 600_000);
  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

  const twin = (assignment: Assignment, name: string) => {
    const found = reports[assignment].twins.find((t) => t.twin === name);
    if (!found) throw new Error(`no twin ${name} in the ${assignment} report`);
    return found;
  };

  test.each(ASSIGNMENTS)('%s: every TypeScript example has a -python and a -notebook twin (and correct a -python-lists one)', (assignment) => {
    const names = reports[assignment].twins.map((t) => t.twin);
    for (const original of originals(assignment)) expect(names).toEqual(expect.arrayContaining([`${original}-python`, `${original}-notebook`]));
    expect(names).toContain('correct-python-lists');
    for (const name of names) {
      const dir = path.join(examplesOf(assignment), name);
      expect(fs.readFileSync(path.join(dir, 'FAULT.md'), 'utf8')).toMatch(new RegExp(`^# ${name}\\n`));
      expect(fs.readdirSync(dir).filter((f) => /\.(ts|js)$/.test(f))).toEqual([]);
    }
  });

  test.each(ASSIGNMENTS)('%s: every twin gives the same value or failure as its original on every planned call', (assignment) => {
    const report = reports[assignment];
    expect(report.calls).toBeGreaterThan(20);
    const problems = report.twins.filter((t) => t.problems.length).map((t) => `${t.twin}: ${t.problems.join('; ')}`);
    expect(problems).toEqual([]);
    expect(report.ok).toBe(true);
    for (const t of report.twins) {
      // Lists and arrays, and notebooks under both cell-error policies, were all run.
      expect(t.runs.length).toBe(t.twin.endsWith('-notebook') ? 4 : 2);
      for (const run of t.runs) {
        expect([t.twin, run.differences]).toEqual([t.twin, 0]);
        // So the twin misses the reference exactly as often as its original does.
        expect([t.twin, run.offReference]).toEqual([t.twin, run.originalOffReference]);
      }
    }
    expect(stdout[assignment]).toMatch(new RegExp(`${report.twins.length} twins, ${report.twins.length} faithful`));
  });

  test('the correct twins match the reference everywhere, the faulty ones somewhere', () => {
    for (const assignment of ASSIGNMENTS) {
      for (const t of reports[assignment].twins) {
        const off = t.runs[0].offReference;
        if (t.original.startsWith('correct')) expect([t.twin, off]).toEqual([t.twin, 0]);
        else if (t.original !== 'mutates-input') expect([t.twin, off > 0]).toEqual([t.twin, true]);
      }
    }
    // mutates-input returns the reference's numbers: its fault is the arguments it changes.
    for (const name of ['mutates-input-python', 'mutates-input-notebook']) {
      for (const run of twin('training', name).runs) expect(run.mutatedCalls).toBeGreaterThan(0);
    }
    for (const run of twin('training', 'correct-python').runs) expect(run.mutatedCalls).toBe(0);
  });

  test('load failures: the syntax error where EXPECTED_ERROR_LINE says, the exits and the exceptions at import', () => {
    const runs = (name: string) => twin('losses', name).runs;
    for (const run of runs('syntax-error-python')) expect(run.load).toMatchObject({ status: 'syntax', where: 'losses.py:30' });
    const notebookLine = fs.readFileSync(path.join(examplesOf('losses'), 'syntax-error-notebook', 'EXPECTED_ERROR_LINE'), 'utf8').trim();
    expect(notebookLine).toMatch(/^cell \d+, line \d+$/);
    for (const run of runs('syntax-error-notebook')) {
      if (run.policy === 'stop') expect(run.load).toMatchObject({ status: 'syntax', where: notebookLine });
      else expect(run.cellErrors[0]).toMatchObject({ name: 'SyntaxError', where: notebookLine });
      // Nothing of the solution is defined either way: the whole solution is the broken cell.
      expect(run.statuses).toEqual({ [run.policy === 'stop' ? 'not-loaded' : 'missing']: reports.losses.calls });
    }
    for (const run of runs('exit-at-import-python')) expect(run.load).toMatchObject({ status: 'exited', code: 0, how: 'SystemExit' });
    for (const run of runs('exit-at-import-notebook')) expect(run.load).toMatchObject({ status: 'exited', code: 0, how: 'os._exit' });
    for (const name of ['throws-at-import-python', 'throws-at-import-notebook']) {
      for (const run of runs(name)) {
        const thrown = run.policy === 'continue' ? run.cellErrors[0] : run.load;
        expect(thrown).toMatchObject({ name: 'RuntimeError' });
        if (run.policy === 'stop') expect(run.load.message).toBe('notebook_settings is not defined: run the setup cell first');
      }
    }
  });

  test('the endless loop and the missing functions fail exactly the calls of those functions', () => {
    const callsOf = (fns: string[]) => {
      const calls = JSON.parse(fs.readFileSync(dumps.losses, 'utf8').replace(/\b(NaN|-?Infinity)\b/g, '0')) as { calls: { fn: string }[] };
      return calls.calls.filter((c) => fns.includes(c.fn)).length;
    };
    for (const name of ['infinite-loop-python', 'infinite-loop-notebook']) {
      for (const run of twin('losses', name).runs) expect(run.statuses.timeout).toBe(callsOf(['softmax']));
    }
    for (const name of ['missing-exports-python', 'missing-exports-notebook']) {
      for (const run of twin('losses', name).runs) expect(run.statuses.missing).toBe(callsOf(['categoricalCrossEntropyGrad', 'classificationError']));
    }
  });

  test('the harness fails a twin that does not make its original mistake (and one that makes another)', () => {
    const examples = path.join(scratch, 'unfaithful');
    fs.cpSync(path.join(examplesOf('losses'), 'correct-python'), path.join(examples, 'grad-missing-1-over-n-python'), { recursive: true });
    fs.cpSync(path.join(examplesOf('losses'), 'mse-half-convention-python'), path.join(examples, 'correct-python'), { recursive: true });
    const { status, report } = check(dumps.losses, examples, path.join(scratch, 'unfaithful-report.json'));
    expect(status).toBe(1);
    expect(report.ok).toBe(false);
    const problems = Object.fromEntries(report.twins.map((t) => [t.twin, t.problems.join('\n')]));
    expect(problems['grad-missing-1-over-n-python']).toMatch(/mseGrad call #\d+ .*: value \[0\]/);
    expect(problems['correct-python']).toMatch(/mse call #\d+/);
  });
});
