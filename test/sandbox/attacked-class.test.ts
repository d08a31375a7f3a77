/**
 * Issue 13's stress test: a class of ordinary submissions with every hostile fixture mixed in,
 * and ids that used to share an output folder, graded in one run through the CLI. Every ordinary
 * score is what it is without the attackers, each attacker stays within its time budget, the
 * grader's own memory stays bounded, no two submissions share a folder, and no hidden input
 * reaches a file a student is given.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { resultPath } from '../../reports/json';
import { loadAssignment } from '../../src/assignments/spec';
import { declareSuite } from '../../src/authoring/declareSuite';
import { submissionBudgetMs } from '../../src/sandbox/limits';
import type { SubmissionResult } from '../../src/types';
import { EXAMPLES, ROOT, readResult, runCli, tempDir } from '../support/cli';

const HOSTILE = path.join(ROOT, 'test', 'fixtures', 'hostile');
const ORDINARY = ['correct', 'correct-commonjs', 'grad-missing-1-over-n', 'softmax-wrong-axis', 'numerically-naive'];
/** Ids that collided before output folders carried a hash of the raw id. */
const LOOK_ALIKES: Record<string, string> = { 'a b': 'correct', a_b: 'grad-missing-1-over-n', 'index.html': 'correct', '=1+1': 'softmax-wrong-axis' };
const attackers = fs.readdirSync(HOSTILE).filter((name) => fs.existsSync(path.join(HOSTILE, name, 'ATTACK.md')));

/** An assignment like losses with limits small enough for a test (budget: 3 s + 30 × 300 ms). */
function tightAssignment(): string {
  const dir = tempDir('mlgrade-tight-');
  const spec = JSON.parse(fs.readFileSync(path.join(ROOT, 'assignments', 'losses', 'assignment.json'), 'utf8'));
  const reference = path.join(ROOT, 'dist', 'reference', 'index.js');
  fs.writeFileSync(path.join(dir, 'assignment.json'), JSON.stringify({ ...spec, reference, limits: { ...spec.limits, callTimeoutMs: 300, loadTimeoutMs: 3000 } }));
  return dir;
}

/** Resident memory (MB) of a process and its descendants that are grader processes (node, not a sandbox). */
function graderMegabytes(root: number): number {
  const children = (pid: number): number[] => {
    try {
      return fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    } catch {
      return [];
    }
  };
  let total = 0;
  const walk = (pid: number): void => {
    let comm = '';
    try {
      comm = fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    } catch {
      return;
    }
    // The sandboxes sit under prlimit/bwrap/unshare: the submissions' memory, not the grader's.
    if (/^(prlimit|bwrap|unshare|setpriv|sh)$/.test(comm)) return;
    const status = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    if (status) total += Number(status[1]) / 1024;
    for (const child of children(pid)) walk(child);
  };
  walk(root);
  return total;
}

let out: string;
let peakMb = 0;
const assignment = tightAssignment();

beforeAll(async () => {
  const batch = tempDir('mlgrade-attacked-');
  for (const name of ORDINARY) fs.cpSync(path.join(EXAMPLES, name), path.join(batch, name), { recursive: true });
  for (const [id, example] of Object.entries(LOOK_ALIKES)) fs.cpSync(path.join(EXAMPLES, example), path.join(batch, id), { recursive: true });
  for (const name of attackers) fs.cpSync(path.join(HOSTILE, name), path.join(batch, name), { recursive: true });
  out = tempDir();
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'mlgrade.js'), 'grade', assignment, batch, '--out', out, '--jobs', '2'], {
    env: { ...process.env, NO_COLOR: '1', GITHUB_STEP_SUMMARY: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.resume();
  const sampler = setInterval(() => {
    if (child.pid) peakMb = Math.max(peakMb, graderMegabytes(child.pid));
  }, 100);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  clearInterval(sampler);
  expect(stderr.replace(/A worker process has failed to exit gracefully[^\n]*\n?/g, '')).toBe('');
  expect(code).toBe(0);
}, 900_000);

test('ordinary submissions score as they do without the attackers', () => {
  const alone = tempDir();
  const batch = tempDir('mlgrade-ordinary-');
  for (const name of ORDINARY) fs.cpSync(path.join(EXAMPLES, name), path.join(batch, name), { recursive: true });
  expect(runCli(['grade', assignment, batch, '--out', alone, '--no-html']).status).toBe(0);
  const summary = (r: SubmissionResult) => ({ score: r.score, tests: r.tests.map((t) => [t.id, t.status]) });
  for (const name of ORDINARY) expect([name, summary(readResult(out, name))]).toEqual([name, summary(readResult(alone, name))]);
  for (const [id, example] of Object.entries(LOOK_ALIKES)) expect([id, readResult(out, id).score]).toEqual([id, readResult(alone, example).score]);
});

test('every attacker stays within the time budget of one submission', () => {
  const budget = submissionBudgetMs(loadAssignment(assignment).limits);
  for (const name of attackers) {
    const r = readResult(out, name);
    // The budget counts the time the submission's code was running; process starts and the
    // grader's own checks come on top of it.
    expect([name, r.usage ? r.usage.budgetMs : budget]).toEqual([name, budget]);
    expect([name, r.durationMs < budget + 15_000]).toEqual([name, true]);
  }
});

test("the grader's own memory stays well under 1.5 GB", () => {
  expect(peakMb).toBeGreaterThan(30);
  expect(peakMb).toBeLessThan(1024);
});

test('every submission has an output folder of its own, apart from the class files', () => {
  const ids = [...ORDINARY, ...Object.keys(LOOK_ALIKES), ...attackers];
  const folders = new Set(ids.map((id) => path.dirname(resultPath(out, id))));
  expect(folders.size).toBe(ids.length);
  for (const id of ids) expect(readResult(out, id).submission).toBe(id);
  expect(fs.existsSync(path.join(out, 'index.html'))).toBe(true);
  expect(fs.readFileSync(path.join(out, 'index.html'), 'utf8')).toMatch(/class dashboard/i);
});

test('no hidden input reaches a file a student is given', () => {
  const numbers = new Set<string>();
  const walk = (value: unknown): void => {
    if (typeof value === 'number' && !Number.isInteger(value)) numbers.add(JSON.stringify(value));
    else if (Array.isArray(value)) value.forEach(walk);
  };
  for (const { meta, plan } of declareSuite(loadAssignment(assignment), 'all').plans) if (meta.visibility === 'hidden' && 'args' in plan) walk(plan.args);
  const hidden = [...numbers].filter((n) => n.length >= 12);
  expect(hidden.length).toBeGreaterThan(100);
  for (const id of [...ORDINARY, ...attackers]) {
    const folder = path.dirname(resultPath(out, id));
    const visible = [fs.readFileSync(path.join(folder, 'report.html'), 'utf8'), fs.readFileSync(path.join(folder, 'gradescope', 'results.json'), 'utf8')].join('\n');
    expect([id, hidden.filter((n) => visible.includes(n))]).toEqual([id, []]);
  }
});
