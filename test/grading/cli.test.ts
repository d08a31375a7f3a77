/**
 * The CLI's contract: grade one folder, check (public tests only, exit codes), determinism,
 * clear errors for bad arguments.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EXAMPLES, ROOT, gradedIds, readResult, runCli, tempDir } from '../support/cli';

test('grade on a single submission folder writes <out>/submissions/<folder>/result.json', () => {
  const out = tempDir();
  const run = runCli(['grade', 'losses', path.join(EXAMPLES, 'correct'), '--out', out]);
  expect(run.status).toBe(0);
  expect(fs.readdirSync(out).filter((f) => fs.statSync(path.join(out, f)).isDirectory())).toEqual(['submissions']);
  expect(gradedIds(out)).toEqual(['correct']);
  expect(readResult(out, 'correct').score).toBe(100);
  expect(run.stdout).toMatch(/correct\s+100\/100/);
});

test('the same submission always gets the same grade (seeded inputs)', () => {
  const first = tempDir();
  const second = tempDir();
  runCli(['grade', 'losses', path.join(EXAMPLES, 'numerically-naive'), '--out', first]);
  runCli(['grade', 'losses', path.join(EXAMPLES, 'numerically-naive'), '--out', second]);
  const a = readResult(first, 'numerically-naive');
  const b = readResult(second, 'numerically-naive');
  expect(a.score).toBeLessThan(100);
  expect(b.score).toBe(a.score);
  expect(b.tests.map((t) => [t.id, t.status, t.message])).toEqual(a.tests.map((t) => [t.id, t.status, t.message]));
});

test('check passes a correct submission with exit code 0 and runs no hidden test', () => {
  const run = runCli(['check', 'losses', path.join(EXAMPLES, 'correct')]);
  expect(run.status).toBe(0);
  expect(run.stdout).toMatch(/Public tests: \d+ passed, 0 failed/);
  expect(run.stdout).not.toMatch(/seeded batch|hidden\]/);
});

test('check fails a buggy submission with exit code 1 and shows the diagnosis', () => {
  const report = path.join(tempDir(), 'check.html');
  const run = runCli(['check', 'losses', '--report', report], { cwd: path.join(EXAMPLES, 'grad-missing-1-over-n') });
  expect(fs.readFileSync(report, 'utf8')).toMatch(/sum over the batch instead of taking the mean/);
  expect(run.status).toBe(1);
  expect(run.stdout).toMatch(/mseGrad/);
  expect(run.stdout).toMatch(/sum over the batch instead of taking the mean/);
  expect(run.stdout).not.toMatch(/hidden\]/);
});

test('check on a syntax error names file and line', () => {
  const run = runCli(['check', 'losses', path.join(EXAMPLES, 'syntax-error')]);
  const line = fs.readFileSync(path.join(EXAMPLES, 'syntax-error', 'EXPECTED_ERROR_LINE'), 'utf8').trim();
  expect(run.status).toBe(1);
  expect(run.stdout).toContain(`losses.ts:${line}:`);
});

test('unknown assignments and missing folders are usage errors (exit 2) with a clear message', () => {
  const unknown = runCli(['grade', 'nope', EXAMPLES, '--out', tempDir()]);
  expect(unknown.status).toBe(2);
  expect(unknown.stderr).toMatch(/Unknown assignment "nope".*Known assignments: .*losses/s);
  const missing = runCli(['grade', 'losses', path.join(EXAMPLES, 'does-not-exist'), '--out', tempDir()]);
  expect(missing.status).toBe(2);
  expect(missing.stderr).toMatch(/No such folder/);
  const noCommand = runCli([]);
  expect(noCommand.status).toBe(2);
});

test('--min-score fails the run (exit 1) when a submission is below it, naming it', () => {
  const out = tempDir();
  const run = runCli(['grade', 'losses', path.join(EXAMPLES, 'mse-half-convention'), '--out', out, '--min-score', '95']);
  expect(run.status).toBe(1);
  expect(run.stdout).toMatch(/1 submission below --min-score 95%: mse-half-convention/);
  expect(runCli(['grade', 'losses', path.join(EXAMPLES, 'mse-half-convention'), '--out', out, '--min-score', '50']).status).toBe(0);
});

test('check --watch checks again when the student saves a fix', async () => {
  const dir = tempDir('mlgrade-watch-');
  fs.cpSync(path.join(EXAMPLES, 'mse-half-convention'), dir, { recursive: true });
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'mlgrade.js'), 'check', 'losses', dir, '--watch'], { env: { ...process.env, NO_COLOR: '1' } });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const waitFor = async (pattern: RegExp) => {
    const deadline = Date.now() + 60_000;
    while (!pattern.test(output) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(output).toMatch(pattern);
  };
  try {
    await waitFor(/Watching /);
    expect(output).toMatch(/Public tests: \d+ passed, [1-9]\d* failed/);
    fs.copyFileSync(path.join(EXAMPLES, 'correct-commonjs', 'losses.js'), path.join(dir, 'losses.ts'));
    await waitFor(/Public tests: \d+ passed, 0 failed/);
  } finally {
    child.kill('SIGKILL');
  }
});

test('grade accepts a zip of submissions and lists what it skipped', async () => {
  const yazl = await import('yazl');
  const dir = tempDir('mlgrade-zip-');
  const zipPath = path.join(dir, 'class.zip');
  const zip = new yazl.ZipFile();
  zip.addFile(path.join(EXAMPLES, 'correct', 'losses.ts'), 'losses-class/alice/losses.ts');
  zip.addFile(path.join(EXAMPLES, 'correct', 'activations.ts'), 'losses-class/alice/activations.ts');
  zip.addFile(path.join(EXAMPLES, 'mse-half-convention', 'losses.ts'), 'losses-class/bob/losses.ts');
  zip.addBuffer(Buffer.from('/etc/passwd'), 'losses-class/bob/link', { mode: 0o120777 });
  await new Promise<void>((resolve) => {
    zip.outputStream.pipe(fs.createWriteStream(zipPath)).on('close', () => resolve());
    zip.end();
  });
  const out = tempDir();
  const run = runCli(['grade', 'losses', zipPath, '--out', out, '--no-html']);
  expect(run.status).toBe(0);
  expect(run.stdout).toMatch(/Unpacked 2 submissions/);
  expect(run.stdout).toMatch(/skipped: .*link.*symbolic link/i);
  expect(readResult(out, 'alice').score).toBe(100);
  expect(readResult(out, 'bob').score).toBeLessThan(100);
  const notZip = path.join(dir, 'broken.zip');
  fs.writeFileSync(notZip, 'not a zip');
  const broken = runCli(['grade', 'losses', notZip, '--out', out]);
  expect(broken.status).toBe(2);
  expect(broken.stderr).toContain('broken.zip');
});
