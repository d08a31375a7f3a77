/**
 * `classroomFetch` against a stand-in GitHub server (bare repositories behind `file://`): the
 * default branch's latest commit and each pull request head become folders of plain files (no
 * .git, no symbolic links, no installed dependencies); repositories that cannot be fetched keep a
 * manifest entry with the reason and get no folder; a second run replaces what the first wrote;
 * --since leaves old work out; open pull requests come from the API when there is one, forks
 * excluded; the token reaches git only as a header scoped to the server and is written nowhere.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ClassroomUsageError } from '../../src/classroom/errors';
import { classroomFetch, parseSince } from '../../src/classroom/fetch';
import { gitEnv, redact } from '../../src/classroom/git';
import type { GitHubApi } from '../../src/classroom/githubApi';
import { readManifest } from '../../src/classroom/manifest';
import { tempDir } from '../support/cli';
import { GitServer, filesUnder, occursUnder } from './support/gitServer';

const TOKEN = 'ghs_FetchCanary0123456789abcdef';
const LOSSES = 'export function mse(a: number[], b: number[]): number { return 0; }\n';

function setUp() {
  const root = tempDir('mlgrade-classroom-fetch-');
  const server = new GitServer(path.join(root, 'server'));
  const roster = path.join(root, 'roster.csv');
  return { root, server, roster, out: path.join(root, 'out') };
}

describe('classroomFetch', () => {
  test('lays out the default branch and each pull request head as plain files, and records why others could not be fetched', async () => {
    const { server, roster, out } = setUp();
    const aliceMain = server.create('org', 'losses-alice', {
      'losses.ts': LOSSES,
      'src/helpers.ts': 'export const two = 2;\n',
      'notes/link.ts': { link: '/etc/passwd' },
      'node_modules/leftpad/index.js': 'module.exports = 1;\n',
      '.github/workflows/mlgrade-check.yml': 'name: x\n',
    });
    const alicePr = server.pullRequest('org', 'losses-alice', 1, { 'losses.ts': `${LOSSES}// fixed\n` });
    fs.mkdirSync(path.join(server.root, 'org', 'losses-empty.git'), { recursive: true });
    spawnSync('git', ['init', '-q', '--bare', path.join(server.root, 'org', 'losses-empty.git')]);
    fs.writeFileSync(roster, 'github_username,repository\nalice,org/losses-alice\ncarol,org/losses-carol\ndan,org/losses-empty\nerin,\n');
    const lines: string[] = [];
    const report = await classroomFetch({ roster, out, includePrs: true, serverUrl: server.url, token: TOKEN, log: (l) => lines.push(l) });

    expect(report.counts).toEqual({ fetched: 2, unchanged: 0, failed: 3 });
    expect(fs.readdirSync(path.join(out, 'submissions')).sort()).toEqual(['alice', 'alice.pr1']);
    expect(filesUnder(path.join(out, 'submissions', 'alice'))).toEqual(['.github/workflows/mlgrade-check.yml', 'losses.ts', 'src/helpers.ts']);
    expect(fs.readFileSync(path.join(out, 'submissions', 'alice.pr1', 'losses.ts'), 'utf8')).toContain('// fixed');

    const manifest = readManifest(report.manifestFile);
    expect(manifest).toEqual(report.manifest);
    const [alice, pr, carol, dan, erin] = manifest.entries;
    expect(alice).toMatchObject({ status: 'fetched', submission: 'alice', students: ['alice'], ref: 'refs/heads/main', branch: 'main', commit: aliceMain, dir: 'submissions/alice', files: 3 });
    expect(alice.status === 'fetched' && alice.skipped).toEqual([
      'notes/link.ts: symbolic link: not fetched',
      'node_modules/ (1 file): installed dependencies are not part of a submission: not fetched',
    ]);
    expect(alice).toMatchObject({ repository: { label: 'org/losses-alice', github: { owner: 'org', name: 'losses-alice' } } });
    expect(pr).toMatchObject({ status: 'fetched', submission: 'alice.pr1', ref: 'refs/pull/1/head', pullRequest: { number: 1 }, commit: alicePr });
    expect(carol).toMatchObject({ status: 'failed', submission: 'carol', reason: expect.stringMatching(/does not appear to be a git repository/) });
    expect(dan).toMatchObject({ status: 'failed', submission: 'dan', reason: 'the repository has no commits yet' });
    expect(erin).toMatchObject({ status: 'failed', submission: 'erin', reason: expect.stringMatching(/^line 5: no repository in the roster/) });
    expect(lines).toContain(`alice.pr1: pull request #1 @ ${alicePr.slice(0, 7)}, 1 file`);

    // The token is written nowhere: not in the submissions, the manifest or the bare clones' config.
    expect(occursUnder(out, TOKEN)).toEqual([]);
    expect(occursUnder(out, Buffer.from(`x-access-token:${TOKEN}`).toString('base64'))).toEqual([]);
  });

  test('without --include-prs only the default branch is fetched', async () => {
    const { server, roster, out } = setUp();
    server.create('org', 'r', { 'losses.ts': LOSSES });
    server.pullRequest('org', 'r', 4, { 'losses.ts': LOSSES });
    fs.writeFileSync(roster, 'github_username,repository\nbob,org/r\n');
    const report = await classroomFetch({ roster, out, serverUrl: server.url });
    expect(report.manifest.entries.map((e) => e.submission)).toEqual(['bob']);
  });

  test('a second run replaces what the first wrote: new commits, closed pull requests gone', async () => {
    const { server, roster, out } = setUp();
    server.create('org', 'r', { 'losses.ts': LOSSES, 'old.ts': 'export {};\n' });
    server.pullRequest('org', 'r', 2, { 'losses.ts': LOSSES });
    fs.writeFileSync(roster, 'github_username,repository\nbob,org/r\n');
    await classroomFetch({ roster, out, includePrs: true, serverUrl: server.url });
    expect(fs.readdirSync(path.join(out, 'submissions')).sort()).toEqual(['bob', 'bob.pr2']);

    const second = server.push('org', 'r', { 'losses.ts': `${LOSSES}// second\n` });
    spawnSync('git', ['--git-dir', server.bare('org', 'r'), 'update-ref', '-d', 'refs/pull/2/head']);
    const report = await classroomFetch({ roster, out, includePrs: true, serverUrl: server.url });
    expect(fs.readdirSync(path.join(out, 'submissions'))).toEqual(['bob']);
    expect(filesUnder(path.join(out, 'submissions', 'bob'))).toEqual(['losses.ts']);
    expect(report.manifest.entries).toEqual([expect.objectContaining({ status: 'fetched', commit: second })]);
  });

  test('--since leaves out work committed before it', async () => {
    const { server, roster, out } = setUp();
    server.create('org', 'old', { 'losses.ts': LOSSES }, { date: '2026-01-05T10:00:00Z' });
    server.create('org', 'new', { 'losses.ts': LOSSES });
    fs.writeFileSync(roster, 'github_username,repository\nold,org/old\nnew,org/new\n');
    const report = await classroomFetch({ roster, out, serverUrl: server.url, since: new Date('2026-02-01T00:00:00Z') });
    expect(report.counts).toEqual({ fetched: 1, unchanged: 1, failed: 0 });
    expect(report.manifest.entries[0]).toMatchObject({ status: 'unchanged', submission: 'old', committedAt: '2026-01-05T10:00:00+00:00', reason: 'last commit 2026-01-05T10:00:00+00:00 is before --since 2026-02-01T00:00:00.000Z' });
    expect(fs.readdirSync(path.join(out, 'submissions'))).toEqual(['new']);
  });

  test('with an API, only open pull requests from the repository itself are fetched (not closed ones, not forks)', async () => {
    const { server, roster, out } = setUp();
    server.create('org', 'r', { 'losses.ts': LOSSES });
    for (const n of [1, 2, 3]) server.pullRequest('org', 'r', n, { 'losses.ts': `${LOSSES}// pr ${n}\n` });
    fs.writeFileSync(roster, 'github_username,repository\nbob,org/r\n');
    const asked: string[] = [];
    const api: GitHubApi = {
      request: async () => {
        throw new Error('not used');
      },
      list: async <T>(p: string) => {
        asked.push(p);
        return [
          { number: 1, head: { repo: { full_name: 'org/r' } } },
          { number: 3, head: { repo: { full_name: 'someone-else/r' } } },
        ] as T[];
      },
    };
    const lines: string[] = [];
    const report = await classroomFetch({ roster, out, includePrs: true, serverUrl: server.url, api, log: (l) => lines.push(l) });
    expect(asked).toEqual(['/repos/org/r/pulls?state=open&per_page=100']);
    expect(report.manifest.entries.map((e) => e.submission)).toEqual(['bob', 'bob.pr1']);
    expect(lines).toContain('bob: pull request #3 come from forks: not fetched (another account\'s work)');
  });

  test('an out folder holding other files is refused; the roster must exist', async () => {
    const { root, server, roster } = setUp();
    fs.writeFileSync(roster, 'github_username,repository\nbob,org/r\n');
    const foreign = path.join(root, 'foreign');
    fs.mkdirSync(foreign);
    fs.writeFileSync(path.join(foreign, 'thesis.tex'), '');
    await expect(classroomFetch({ roster, out: foreign, serverUrl: server.url })).rejects.toThrow(ClassroomUsageError);
    expect(fs.existsSync(path.join(foreign, 'thesis.tex'))).toBe(true);
    await expect(classroomFetch({ roster: path.join(root, 'nope.csv'), out: path.join(root, 'o'), serverUrl: server.url })).rejects.toThrow(/cannot read the roster .*nope.csv/);
  });
});

describe('the token and git', () => {
  test('reaches git as an Authorization header for the GitHub server only, never in the environment by name', () => {
    const env = gitEnv({ serverUrl: 'https://github.com', token: TOKEN }, { PATH: process.env.PATH, HOME: process.env.HOME, GH_TOKEN: TOKEN, GITHUB_TOKEN: TOKEN, GIT_DIR: '/elsewhere' });
    expect(env.GH_TOKEN).toBeUndefined();
    expect(env.GITHUB_TOKEN).toBeUndefined();
    expect(env.GIT_DIR).toBeUndefined();
    expect(env.GIT_TERMINAL_PROMPT).toBe('0');
    const header = (url: string) => spawnSync('git', ['config', '--get-urlmatch', 'http.extraHeader', url], { env, encoding: 'utf8' }).stdout.trim();
    expect(header('https://github.com/org/losses-alice.git')).toBe(`AUTHORIZATION: basic ${Buffer.from(`x-access-token:${TOKEN}`).toString('base64')}`);
    expect(header('https://gitlab.example/org/x.git')).toBe('');
    expect(header('https://github.com.evil.example/org/x.git')).toBe('');
    // A stand-in server (file://) gets no header at all.
    expect(Object.values(gitEnv({ serverUrl: 'file:///srv', token: TOKEN }, {})).join('\n')).not.toContain(Buffer.from(`x-access-token:${TOKEN}`).toString('base64'));
  });

  test('redact hides the token and its Basic-auth form', () => {
    const basic = Buffer.from(`x-access-token:${TOKEN}`).toString('base64');
    expect(redact(`fatal: ${TOKEN} and ${basic}`, TOKEN)).toBe('fatal: *** and ***');
  });
});

describe('parseSince', () => {
  const now = new Date('2026-12-01T12:00:00Z');
  test('durations back from now and ISO date-times', () => {
    expect(parseSince('90m', now).toISOString()).toBe('2026-12-01T10:30:00.000Z');
    expect(parseSince('3h', now).toISOString()).toBe('2026-12-01T09:00:00.000Z');
    expect(parseSince('2d', now).toISOString()).toBe('2026-11-29T12:00:00.000Z');
    expect(parseSince('2026-11-30T08:00:00Z', now).toISOString()).toBe('2026-11-30T08:00:00.000Z');
  });
  test('anything else is a usage error naming both forms', () => {
    expect(() => parseSince('yesterday', now)).toThrow('--since yesterday: give an ISO date-time (2026-12-01T12:00:00Z) or a duration back from now (90m, 3h, 2d)');
  });
});
