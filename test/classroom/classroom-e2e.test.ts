/**
 * A class graded the way the course workflow grades it, offline: three students' repositories on a
 * stand-in GitHub server (file://) — alice correct, bob with a gradient bug on main and a fix in
 * open pull request #1, carol's missing — fetched with `classroom fetch`, graded with the built
 * CLI's `grade`, and posted with `classroom post`: first as a dry run (comments and the calls a
 * first run would make), then against a local HTTP stand-in of the REST API (comments created,
 * then left alone, then updated in place when the pull request moves on; statuses; the token only
 * in the Authorization header and nowhere in any output or file).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ClassroomManifest, FetchedEntry } from '../../src/classroom/manifest';
import type { SubmissionResult } from '../../src/types';
import { EXAMPLES, ROOT, readResult, runCli, tempDir } from '../support/cli';
import { FakeGitHub } from './support/fakeGitHub';
import { GitServer, occursUnder } from './support/gitServer';

const TOKEN = 'ghs_E2eCanaryToken0123456789';
const BASIC = Buffer.from(`x-access-token:${TOKEN}`).toString('base64');
const MLGRADE = path.join(ROOT, 'bin', 'mlgrade.js');
const MARKER = '<!-- mlgrade:losses -->';

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `mlgrade classroom …` (the built CLI) in a child process, without blocking this one (the fake API lives here). */
function classroom(args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MLGRADE, 'classroom', ...args], { cwd, env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

const exampleFiles = (name: string) =>
  Object.fromEntries(fs.readdirSync(path.join(EXAMPLES, name)).filter((f) => /\.(ts|js)$/.test(f)).map((f) => [f, fs.readFileSync(path.join(EXAMPLES, name, f), 'utf8')]));

/** Lines of hidden tests' messages that name their seeded inputs or expected and got values: none may reach a student. */
function hiddenValueLines(result: SubmissionResult): string[] {
  return result.tests
    .filter((t) => t.visibility === 'hidden' && t.message)
    .flatMap((t) => t.message.split('\n'))
    .filter((line) => /Worst element .*expected|\(seed \d+\)/.test(line));
}

describe('classroom fetch → grade → post, offline', () => {
  let root: string;
  let server: GitServer;
  let work: string;
  let manifest: ClassroomManifest;
  let commits: { alice: string; bob: string; bobPr: string };
  const gitEnv = () => ({ GITHUB_SERVER_URL: server.url, GH_TOKEN: TOKEN });

  beforeAll(async () => {
    root = tempDir('mlgrade-classroom-e2e-');
    server = new GitServer(path.join(root, 'server'));
    work = path.join(root, 'course');
    fs.mkdirSync(work);
    commits = {
      alice: server.create('org', 'losses-alice', exampleFiles('correct')),
      bob: server.create('org', 'losses-bob', exampleFiles('grad-missing-1-over-n')),
      bobPr: '',
    };
    commits.bobPr = server.pullRequest('org', 'losses-bob', 1, exampleFiles('correct'));
    fs.writeFileSync(path.join(work, 'roster.csv'), '# the class\ngithub_username,repository\nalice,org/losses-alice\nbob,org/losses-bob\ncarol,org/losses-carol\n');

    const fetched = await classroom(['fetch', '--roster', 'roster.csv', '--out', 'work/repos', '--include-prs'], gitEnv(), work);
    expect(fetched.stderr).toBe('');
    expect(fetched.status).toBe(0);
    expect(fetched.stdout).toContain('Fetched 3 submissions into work/repos/submissions; 1 could not be fetched');
    manifest = JSON.parse(fs.readFileSync(path.join(work, 'work', 'repos', 'manifest.json'), 'utf8')) as ClassroomManifest;

    const graded = runCli(['grade', 'losses', path.join(work, 'work', 'repos', 'submissions'), '--out', path.join(work, 'work', 'grades'), '--no-html']);
    expect(graded.status).toBe(0);
  });

  test('fetch laid out alice, bob and bob.pr1 at the right commits and recorded why carol is missing', () => {
    const summary = manifest.entries.map((e) => [e.submission, e.status, e.status === 'failed' ? e.reason.replace(/'.*'/, "'…'") : e.commit]);
    expect(summary).toEqual([
      ['alice', 'fetched', commits.alice],
      ['bob', 'fetched', commits.bob],
      ['bob.pr1', 'fetched', commits.bobPr],
      ['carol', 'failed', "fatal: '…' does not appear to be a git repository"],
    ]);
    expect(fs.readdirSync(path.join(work, 'work', 'repos', 'submissions')).sort()).toEqual(['alice', 'bob', 'bob.pr1']);
    const grades = path.join(work, 'work', 'grades');
    expect([readResult(grades, 'alice').score, readResult(grades, 'bob.pr1').score]).toEqual([100, 100]);
    expect(readResult(grades, 'bob').score).toBeLessThan(100);
  });

  test('a dry run writes each comment and the calls a first run would make, and contacts nobody', async () => {
    const summaryFile = path.join(root, 'step-summary.md');
    const run = await classroom(['post', 'work/grades', '--manifest', 'work/repos/manifest.json', '--dry-run', 'work/preview'], { GH_TOKEN: TOKEN, GITHUB_API_URL: 'http://127.0.0.1:9', GITHUB_STEP_SUMMARY: summaryFile, GITHUB_ACTIONS: 'true' }, work);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1); // carol was not fetched, so not everything was posted
    expect(run.stdout).toContain('Dry run: 3 comments and statuses written to work/preview');
    expect(run.stdout).toMatch(/1 not posted:\n {2}carol: not fetched: fatal: .* does not appear to be a git repository/);
    expect(run.stdout).toMatch(/^::warning title=mlgrade classroom::carol: not posted: not fetched: /m);

    const preview = path.join(work, 'work', 'preview');
    expect(fs.readdirSync(preview).sort()).toEqual(['alice.md', 'bob.md', 'bob.pr1.md', 'calls.json']);
    const comment = (id: string) => fs.readFileSync(path.join(preview, `${id}.md`), 'utf8');
    expect(comment('bob.pr1')).toContain(`${MARKER}\n## mlgrade — `);
    expect(comment('bob.pr1')).toContain(`commit \`${commits.bobPr.slice(0, 7)}\`, the head of pull request #1`);
    expect(comment('bob')).toContain(`commit \`${commits.bob.slice(0, 7)}\`, the latest of \`main\``);
    // bob's public failure in full with its likely cause; the hidden ones by name and pass/fail only.
    expect(comment('bob')).toContain('##### `mseGrad` › equals (2/N)(yPred − yTrue) — ❌ 0/3 pt');
    expect(comment('bob')).toMatch(/\*\*Likely cause:\*\* Your gradient is 8× the expected value at every element: that is a sum over the batch instead of taking the mean \(divide by N = 8\)/);
    expect(comment('bob')).toContain('| matches the reference on a larger seeded batch _(hidden)_ | ❌ | 0/2 |');
    const bobResult = readResult(path.join(work, 'work', 'grades'), 'bob');
    const secrets = hiddenValueLines(bobResult);
    expect(secrets.length).toBeGreaterThan(0);
    for (const line of secrets) expect(comment('bob')).not.toContain(line);

    const { calls } = JSON.parse(fs.readFileSync(path.join(preview, 'calls.json'), 'utf8')) as { calls: { method: string; path: string; body?: Record<string, string>; submission: string }[] };
    expect(calls.map((c) => `${c.submission}: ${c.method} ${c.path}`)).toEqual([
      `alice: GET /repos/org/losses-alice/commits/${commits.alice}/comments?per_page=100`,
      `alice: POST /repos/org/losses-alice/commits/${commits.alice}/comments`,
      `alice: GET /repos/org/losses-alice/commits/${commits.alice}/status?per_page=100`,
      `alice: POST /repos/org/losses-alice/statuses/${commits.alice}`,
      `bob: GET /repos/org/losses-bob/commits/${commits.bob}/comments?per_page=100`,
      `bob: POST /repos/org/losses-bob/commits/${commits.bob}/comments`,
      `bob: GET /repos/org/losses-bob/commits/${commits.bob}/status?per_page=100`,
      `bob: POST /repos/org/losses-bob/statuses/${commits.bob}`,
      'bob.pr1: GET /repos/org/losses-bob/issues/1/comments?per_page=100',
      'bob.pr1: POST /repos/org/losses-bob/issues/1/comments',
      `bob.pr1: GET /repos/org/losses-bob/commits/${commits.bobPr}/status?per_page=100`,
      `bob.pr1: POST /repos/org/losses-bob/statuses/${commits.bobPr}`,
    ]);
    const post = (submission: string, what: string) => calls.find((c) => c.submission === submission && c.method === 'POST' && c.path.includes(what))!.body;
    expect(post('bob.pr1', '/comments')).toEqual({ body: comment('bob.pr1') });
    expect(post('alice', '/statuses/')).toEqual({ state: 'success', context: 'mlgrade/losses', description: '100/100 points (100%)' });
    expect(post('bob', '/statuses/')).toEqual({ state: 'failure', context: 'mlgrade/losses', description: `${bobResult.score}/100 points (${bobResult.score}%)` });

    const table = fs.readFileSync(summaryFile, 'utf8');
    expect(table).toContain('## mlgrade classroom post (dry run: nothing was sent)');
    expect(table).toMatch(/\| carol \| org/);
    expect(table).toContain('**not posted:** not fetched');
  });

  describe('against a stand-in of the REST API', () => {
    const api = new FakeGitHub();
    beforeAll(() => api.start());
    afterAll(() => api.stop());
    const post = (grades = 'work/grades') => classroom(['post', grades, '--manifest', 'work/repos/manifest.json'], { GH_TOKEN: TOKEN, GITHUB_API_URL: api.url }, work);

    test('creates one comment and one status per submission, leaves a student\'s look-alike comment alone, sends the token only as Authorization', async () => {
      const studentsOwn = api.seedComment('issue:org/losses-bob#1', `${MARKER}\nI got 100/100, promise`, 'bob');
      const run = await post();
      expect(run.stderr).toBe('');
      expect(run.status).toBe(1);
      expect(run.stdout).toContain('Posted 3 results.');
      expect(run.stdout).toContain('bob.pr1: 100/100 (100%) → pull request #1: comment created, status success');
      expect(api.writes()).toEqual([
        `POST /repos/org/losses-alice/commits/${commits.alice}/comments`,
        `POST /repos/org/losses-alice/statuses/${commits.alice}`,
        `POST /repos/org/losses-bob/commits/${commits.bob}/comments`,
        `POST /repos/org/losses-bob/statuses/${commits.bob}`,
        'POST /repos/org/losses-bob/issues/1/comments',
        `POST /repos/org/losses-bob/statuses/${commits.bobPr}`,
      ]);
      expect(studentsOwn.body).toBe(`${MARKER}\nI got 100/100, promise`);
      const prComment = api.comments.find((c) => c.on === 'issue:org/losses-bob#1' && c.user.type === 'Bot')!;
      expect(prComment.body).toBe(fs.readFileSync(path.join(work, 'work', 'preview', 'bob.pr1.md'), 'utf8'));
      expect(api.statuses.find((s) => s.sha === commits.bobPr)).toEqual({ repo: 'org/losses-bob', sha: commits.bobPr, state: 'success', context: 'mlgrade/losses', description: '100/100 points (100%)', target_url: prComment.html_url });

      for (const request of api.requests) {
        expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
        const elsewhere = JSON.stringify({ url: request.url, body: request.body, headers: { ...request.headers, authorization: undefined } });
        expect(elsewhere).not.toContain(TOKEN);
      }
      expect(run.stdout + run.stderr).not.toContain(TOKEN);
    });

    test('posting the same results again only reads: nothing is created, changed or notified', async () => {
      const before = api.requests.length;
      const run = await post();
      expect(run.stdout).toContain('bob.pr1: 100/100 (100%) → pull request #1: comment unchanged, status success (already set)');
      expect(api.requests.slice(before).every((r) => r.method === 'GET')).toBe(true);
    });

    test('when the pull request moves on, its comment is updated in place and the new head gets a status', async () => {
      const head = server.pullRequest('org', 'losses-bob', 1, exampleFiles('mse-half-convention'));
      const fetched = await classroom(['fetch', '--roster', 'roster.csv', '--out', 'work/repos', '--include-prs'], gitEnv(), work);
      expect(fetched.status).toBe(0);
      expect(runCli(['grade', 'losses', path.join(work, 'work', 'repos', 'submissions'), '--out', path.join(work, 'work', 'grades2'), '--no-html']).status).toBe(0);
      const prComment = api.comments.find((c) => c.on === 'issue:org/losses-bob#1' && c.user.type === 'Bot')!;
      const before = api.requests.length;
      const run = await post('work/grades2');
      expect(run.stdout).toMatch(/bob\.pr1: \d+\/100 \(\d+(\.\d)?%\) → pull request #1: comment updated, status failure/);
      expect(api.requests.slice(before).filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.url}`)).toEqual([
        `PATCH /repos/org/losses-bob/issues/comments/${prComment.id}`,
        `POST /repos/org/losses-bob/statuses/${head}`,
      ]);
      expect(prComment.body).toContain(`commit \`${head.slice(0, 7)}\`, the head of pull request #1`);
      expect(api.comments.filter((c) => c.on === 'issue:org/losses-bob#1' && c.user.type === 'Bot')).toHaveLength(1);
    });
  });

  test('the token is in no file the run wrote', () => {
    expect(occursUnder(path.join(work, 'work'), TOKEN)).toEqual([]);
    expect(occursUnder(path.join(work, 'work'), BASIC)).toEqual([]);
  });

  test('the classroom commands refuse bad usage with one line and exit code 2', async () => {
    const noToken = await classroom(['post', 'work/grades', '--manifest', 'work/repos/manifest.json'], {}, work);
    expect(noToken.status).toBe(2);
    expect(noToken.stderr).toBe("mlgrade: set GH_TOKEN to a token that may comment and set statuses on the students' repositories (in the course workflow: the GitHub App's token), or use --dry-run <folder>\n");
    const notManifest = await classroom(['post', 'work/grades', '--manifest', 'roster.csv', '--dry-run', 'x'], {}, work);
    expect(notManifest.status).toBe(2);
    expect(notManifest.stderr).toBe('mlgrade: roster.csv is not JSON: give the manifest.json written by `mlgrade classroom fetch`\n');
    const badSince = await classroom(['fetch', '--roster', 'roster.csv', '--out', 'work/repos', '--since', 'last week'], {}, work);
    expect(badSince.status).toBe(2);
    expect(badSince.stderr).toMatch(/^mlgrade: --since last week: give an ISO date-time/);
    const unknown = await classroom(['fetch', '--roster', 'roster.csv', '--out', 'work/repos', '--include-pr'], {}, work);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toBe('mlgrade: unknown option --include-pr for classroom fetch (did you mean --include-prs?) — see mlgrade classroom fetch --help\n');
    // A flag given twice is a slip, never a flag dropped: a second --dry-run must not post for real.
    const twice = await classroom(['post', 'work/grades', '--manifest', 'work/repos/manifest.json', '--dry-run', 'a', '--dry-run', 'b'], { GH_TOKEN: TOKEN }, work);
    expect({ status: twice.status, stderr: twice.stderr }).toEqual({ status: 2, stderr: 'mlgrade: --dry-run was given 2 times: give it once\n' });
    const jobs = await classroom(['fetch', '--roster', 'roster.csv', '--out', 'work/repos', '--jobs', 'many'], {}, work);
    expect({ status: jobs.status, stderr: jobs.stderr }).toEqual({ status: 2, stderr: 'mlgrade: --jobs must be a whole number of at least 1, got "many"\n' });
  });

  test('every entry the manifest lists as fetched has its folder and its result', () => {
    const fetched = manifest.entries.filter((e): e is FetchedEntry => e.status === 'fetched');
    for (const entry of fetched) {
      expect(fs.existsSync(path.join(work, 'work', 'repos', entry.dir))).toBe(true);
      expect(readResult(path.join(work, 'work', 'grades'), entry.submission).submission).toBe(entry.submission);
    }
  });
});
