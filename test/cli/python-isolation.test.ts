/**
 * Python runs only in its sandbox, unless the instructor says otherwise: where it cannot be had
 * (simulated with MLGRADE_NO_BWRAP=1, the switch that turns bubblewrap off), Python submissions
 * are refused with one line saying why and what to do — graded again by the next run — while
 * TypeScript submissions of the same run are graded; `--allow-unsandboxed-python` grades them
 * without the sandbox and results record it. `mlgrade check` does the same for one folder.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EXAMPLES, ROOT, readResult, runCli, tempDir } from '../support/cli';
import { describeSandboxed } from '../sandbox/python/driver';

const PYTHON = path.join(ROOT, 'test', 'fixtures', 'python', 'class');

function mixedClass(): string {
  const dir = tempDir('mlgrade-pyiso-');
  fs.cpSync(path.join(EXAMPLES, 'correct'), path.join(dir, 'ts-correct'), { recursive: true });
  fs.cpSync(path.join(PYTHON, 'correct'), path.join(dir, 'py-correct'), { recursive: true });
  return dir;
}

describe('without Python\'s sandbox', () => {
  const env = { MLGRADE_NO_BWRAP: '1' };
  let dir: string;
  let out: string;
  let refused: ReturnType<typeof runCli>;

  beforeAll(() => {
    dir = mixedClass();
    out = tempDir();
    refused = runCli(['grade', 'losses', dir, '--out', out, '--no-html'], { env });
  }, 120_000);

  test('Python submissions are refused with a clear reason; TypeScript ones are graded', () => {
    expect(refused.status).toBe(0);
    const py = readResult(out, 'py-correct');
    expect(py.score).toBe(0);
    expect(py.load).toEqual({
      status: 'failed',
      reason: 'no-sandbox',
      message:
        'this grader cannot sandbox Python here: MLGRADE_NO_BWRAP=1 turned bubblewrap off, and Python runs only inside it: unset MLGRADE_NO_BWRAP; ' +
        "fix that, or pass --allow-unsandboxed-python to run Python submissions without the sandbox (they could then read this machine's files and use its network: only for code you trust)",
    });
    // The grader's problem, not the student's: the next run grades it again.
    expect(py.graderFailure).toBe(py.load.status === 'failed' ? py.load.message : undefined);
    expect(readResult(out, 'ts-correct').score).toBe(100);
  });

  test('the run says so once, on stderr', () => {
    const lines = refused.stderr.split('\n').filter((line) => /cannot sandbox Python/.test(line));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^mlgrade: this grader cannot sandbox Python here: .* Python submissions are not graded in this run/);
  });

  test('--allow-unsandboxed-python grades them without the sandbox, and results record it', () => {
    const flagged = tempDir();
    const run = runCli(['grade', 'losses', dir, '--out', flagged, '--no-html', '--allow-unsandboxed-python'], { env });
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/mlgrade: warning: Python submissions run WITHOUT their sandbox \(the instructor passed --allow-unsandboxed-python; the sandbox is not available here \(MLGRADE_NO_BWRAP=1/);
    const py = readResult(flagged, 'py-correct');
    expect(py.score).toBe(100);
    expect(py.graderFailure).toBeUndefined();
    expect(py.isolation).toMatchObject({ runtime: 'python', network: 'not-isolated', processes: 'not-isolated', filesystem: 'host', scrubbedEnv: true });
    expect(py.isolation?.unsandboxed).toMatch(/^the instructor passed --allow-unsandboxed-python/);
  });

  test('the refused result is graded again by the next run (it is not kept)', () => {
    const run = runCli(['grade', 'losses', dir, '--out', out, '--no-html', '--allow-unsandboxed-python'], { env });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/1 submission unchanged since last graded with this grader: kept/);
    expect(readResult(out, 'py-correct').score).toBe(100);
  });

  test('--allow-unsandboxed-python together with --require-isolation is refused before anything runs', () => {
    const run = runCli(['grade', 'losses', dir, '--out', tempDir(), '--allow-unsandboxed-python', '--require-isolation']);
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toBe(
      'mlgrade: --allow-unsandboxed-python runs Python without the sandbox, which --require-isolation (or MLGRADE_REQUIRE_ISOLATION=1) refuses: give one of them',
    );
  });

  test('mlgrade check refuses a Python folder the same way, and checks it with the flag', () => {
    const folder = path.join(dir, 'py-correct');
    const check = runCli(['check', 'losses', folder], { env });
    expect(check.status).toBe(1);
    expect(check.stdout).toMatch(/Your submission could not be loaded: this machine cannot run Python in the sandbox\./);
    expect(check.stdout).toMatch(/this grader cannot sandbox Python here/);
    const flagged = runCli(['check', 'losses', folder, '--allow-unsandboxed-python'], { env });
    expect(flagged.status).toBe(0);
    expect(flagged.stdout).toMatch(/^mse_grad$/m);
  });
});

describeSandboxed('mlgrade check of a Python folder', () => {
  test('checks losses.py with the public tests, in Python words', () => {
    const folder = tempDir('mlgrade-pycheck-');
    fs.copyFileSync(path.join(PYTHON, 'grad-missing-1-over-n', 'losses.py'), path.join(folder, 'losses.py'));
    const run = runCli(['check', 'losses', folder]);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^mse_grad$/m);
    expect(run.stdout).toMatch(/mse_grad\(y_true, y_pred\) — seeded, N = 8 \(seed 22\) is not close enough to the expected value/);
    expect(run.stdout).toMatch(/Hint: Your gradient is 8× the expected value at every element/);
    expect(run.stdout).not.toMatch(/mseGrad|yTrue/);
  });

  test('a module that does not compile, raises or exits at import: located as Python locates it, in Python words', () => {
    const folder = (files: Record<string, string>) => {
      const dir = tempDir('mlgrade-pyload-');
      for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
      return dir;
    };
    const syntax = runCli(['check', 'losses', folder({ 'losses.py': 'import numpy as np\n\n\ndef mse(y_true, y_pred):\n    return float(np.mean((np.asarray(y_pred) - y_true) ** 2)\n' })]);
    expect(syntax.stdout).toMatch(/could not be loaded: it has a syntax error\.\n {4}losses\.py:5 - syntax error: '\(' was never closed/);
    const raised = runCli(['check', 'losses', folder({ 'losses.py': 'import helpers\n', 'helpers.py': 'def helper():\n    return 1 / 0\n\nhelper()\n' })]);
    expect(raised.stdout).toMatch(/could not be loaded: it raised an exception while loading\.\n {4}importing the submission raised ZeroDivisionError: division by zero \(at helpers\.py, line 2, in helper\)/);
    const exited = runCli(['check', 'losses', folder({ 'losses.py': 'import sys\nsys.exit(4)\n' })]);
    expect(exited.stdout).toMatch(/the submission called sys\.exit\(4\) while it was being imported, so nothing could be graded/);
    expect(exited.stdout).toMatch(/To fix: remove sys\.exit\(\) and exit\(\)/);
  });

  test('a notebook whose only code cell does not compile: the note names the cell and the line', () => {
    const folder = tempDir('mlgrade-pycheck-');
    const notebook = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {},
      cells: [
        { cell_type: 'markdown', id: 'a', metadata: {}, source: ['# HW'] },
        { cell_type: 'code', id: 'b', metadata: {}, execution_count: null, outputs: [], source: ['import numpy as np\n', '\n', 'def sigmoid(z)\n', '    return 1 / (1 + np.exp(-z))'] },
      ],
    };
    fs.writeFileSync(path.join(folder, 'losses.ipynb'), JSON.stringify(notebook));
    const run = runCli(['check', 'losses', folder]);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/losses\.ipynb: cell 2, line 3: syntax error: expected ':'/);
  });
});
