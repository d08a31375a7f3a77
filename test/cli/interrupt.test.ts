/**
 * Ctrl-C (SIGINT) or SIGTERM in the middle of `grade`: the run says how many results are saved
 * and the exact command that resumes it, ends its workers and sandboxes, removes its temporary
 * folders and exits 130 (143 for SIGTERM); the resumed run keeps what was saved.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EXAMPLES, ROOT, runCli, tempDir } from '../support/cli';

/** A class of `count` copies of the correct example. */
function classOf(count: number): string {
  const dir = tempDir('mlgrade-class-');
  for (let i = 1; i <= count; i++) fs.cpSync(path.join(EXAMPLES, 'correct'), path.join(dir, `s${String(i).padStart(2, '0')}`), { recursive: true });
  return dir;
}

const saved = (out: string) => {
  const folders = path.join(out, 'submissions');
  return fs.existsSync(folders) ? fs.readdirSync(folders).filter((folder) => fs.existsSync(path.join(folders, folder, 'result.json'))) : [];
};

/** Pids of live processes whose environment holds `TMPDIR=<tmp>` (the run and everything it started). */
function processesWithTmpdir(tmp: string): number[] {
  const found: number[] = [];
  for (const name of fs.readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      if (stat[stat.lastIndexOf(')') + 2] === 'Z') continue;
      if (fs.readFileSync(`/proc/${name}/environ`, 'utf8').split('\0').includes(`TMPDIR=${tmp}`)) found.push(Number(name));
    } catch {
      /* ended, or not ours to read */
    }
  }
  return found;
}

/**
 * Starts `mlgrade <args>` with a private TMPDIR, sends `signal` to it (the grader process only, not
 * its group: it must end its workers itself) once the first result.json is written, and resolves
 * with what it printed and how it ended.
 */
async function interruptAfterFirstResult(args: string[], out: string, signal: 'SIGINT' | 'SIGTERM') {
  const tmp = tempDir('mlgrade-tmpdir-');
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'mlgrade.js'), ...args], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1', GITHUB_STEP_SUMMARY: '', TMPDIR: tmp },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + 120_000;
  while (saved(out).length < 1 && Date.now() < deadline && child.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 25));
  const tempFoldersWhileGrading = fs.readdirSync(tmp).filter((name) => name.startsWith('mlgrade-'));
  child.kill(signal);
  const code = await exited;
  return { code, stdout, stderr, tmp, tempFoldersWhileGrading };
}

test('Ctrl-C saves what is graded, removes temporary folders and workers, prints the resume command; resuming keeps the saved results', async () => {
  const dir = classOf(30);
  const out = path.join(tempDir(), 'grades');
  const args = ['grade', 'losses', dir, '--out', out, '--jobs', '2', '--force'];
  const run = await interruptAfterFirstResult(args, out, 'SIGINT');
  expect(run.tempFoldersWhileGrading.length).toBeGreaterThan(0);
  expect(run.code).toBe(130);
  const done = saved(out);
  expect(done.length).toBeGreaterThanOrEqual(1);
  expect(done.length).toBeLessThan(30);
  const lines = run.stderr.trim().split('\n');
  expect(lines).toEqual([
    `mlgrade: interrupted: ${done.length} result${done.length === 1 ? '' : 's'} saved in ${out} (0 kept from earlier runs, ${done.length} graded now); ` +
      `${30 - done.length} submission${30 - done.length === 1 ? '' : 's'} not graded yet.`,
    // The same command, without --force (which would throw the saved results away).
    `Resume with: mlgrade grade losses ${dir} --out ${out} --jobs 2`,
  ]);
  expect(run.stderr).not.toMatch(/\n\s+at /);
  expect(fs.readdirSync(run.tmp)).toEqual([]);
  // Workers and sandboxes ended with the grader (a worker left running would grade on, unseen).
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(processesWithTmpdir(run.tmp)).toEqual([]);

  const resumed = runCli(lines[1].replace(/^Resume with: mlgrade /, '').split(' '));
  expect(resumed.status).toBe(0);
  expect(resumed.stdout).toContain(`${done.length} submission${done.length === 1 ? '' : 's'} unchanged since last graded with this grader: kept`);
  expect(resumed.stdout).toMatch(new RegExp(`${30 - done.length} submissions? graded .*; ${done.length} kept from earlier runs`));
  expect(saved(out)).toHaveLength(30);
}, 300_000);

test('SIGTERM during a zip run removes the unpacked class too and exits 143', async () => {
  const yazl = await import('yazl');
  const zipPath = path.join(tempDir(), 'class.zip');
  const zip = new yazl.ZipFile();
  for (let i = 1; i <= 20; i++) zip.addFile(path.join(EXAMPLES, 'correct', 'losses.ts'), `class/s${String(i).padStart(2, '0')}/losses.ts`);
  await new Promise<void>((resolve) => {
    zip.outputStream.pipe(fs.createWriteStream(zipPath)).on('close', () => resolve());
    zip.end();
  });
  const out = path.join(tempDir(), 'grades');
  const run = await interruptAfterFirstResult(['grade', 'losses', zipPath, '--out', out, '--jobs', '2', '--no-html'], out, 'SIGTERM');
  expect(run.tempFoldersWhileGrading.some((name) => name.startsWith('mlgrade-zip-'))).toBe(true);
  expect(run.code).toBe(143);
  expect(run.stderr).toMatch(/^mlgrade: interrupted: \d+ results? saved in /);
  expect(run.stderr).toContain(`Resume with: mlgrade grade losses ${zipPath} --out ${out} --jobs 2 --no-html`);
  expect(fs.readdirSync(run.tmp)).toEqual([]);
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(processesWithTmpdir(run.tmp)).toEqual([]);
}, 300_000);
