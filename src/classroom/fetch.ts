/**
 * `mlgrade classroom fetch`: brings every student's repository of a roster to the course's own
 * runner and lays out the latest commit of its default branch (and, with `includePrs`, the head
 * of each open pull request) as one submission folder each, ready for `mlgrade grade`:
 *
 * ```text
 * <out>/submissions/<id>/…        the commit's files only (no .git), e.g. alice/, alice.pr1/
 * <out>/manifest.json              which commit went where, and why nothing did (src/classroom/manifest.ts)
 * <out>/git/<id>.git               bare clones kept between runs (fetches are shallow)
 * ```
 *
 * A repository that cannot be fetched (missing, no access, empty, no repository in the roster)
 * gets no folder — so `grade` never gives it a misleading "no files" zero — but a `failed`
 * manifest entry with the reason, which `classroom post` reports (and exits 1 for).
 *
 * Open pull requests come from the REST API when the GitHub server is an http(s) one (closed pull
 * requests keep their `refs/pull/<N>/head` on GitHub), and only those whose head is in the
 * student's repository (a fork's pull request is another account's work); with a stand-in server
 * (`file://…`) or a remote that is not on the server, every `refs/pull/<N>/head` the remote
 * advertises counts as open (that is how tests and dry runs stand in for GitHub).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { GitHubApi } from './githubApi';
import { ClassroomUsageError } from './errors';
import { ExportError, exportCommit } from './exportCommit';
import { gitEnv, gitFailure, redact, runGit } from './git';
import { RestClient } from './githubApi';
import { MANIFEST_VERSION, writeManifest, type ClassroomManifest, type ManifestEntry } from './manifest';
import { readRoster, type RosterEntry, type RosterRepository } from './roster';

export interface ClassroomFetchOptions {
  /** The roster CSV (src/classroom/roster.ts). */
  roster: string;
  /** Output folder: missing, empty, or one an earlier fetch wrote. */
  out: string;
  /** Also fetch the head of every open pull request, each as its own submission `<id>.pr<N>`. */
  includePrs?: boolean;
  /** Only commits committed at or after this time are laid out; older ones are `unchanged` (see {@link parseSince}). */
  since?: Date;
  /** Owner of repositories the roster names without one (default: none). */
  org?: string;
  /** Repositories fetched at once (default 4). */
  jobs?: number;
  /** GitHub server (default `https://github.com`). */
  serverUrl?: string;
  /** REST API (default `https://api.github.com`); used to list open pull requests. */
  apiUrl?: string;
  /** Installation token or PAT; never written anywhere. */
  token?: string;
  /** An API client that lists open pull requests, instead of the REST client (which is used when the server is http(s)). */
  api?: GitHubApi;
  /** Longest time one git command may take (default 5 min). */
  gitTimeoutMs?: number;
  /** Progress, one line per submission (default: nothing). */
  log?: (line: string) => void;
  /** The environment git children start from (default `process.env`, tokens removed). */
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
}

export interface ClassroomFetchReport {
  manifestFile: string;
  manifest: ClassroomManifest;
  counts: { fetched: number; unchanged: number; failed: number };
  /** Things that did not stop a submission but an instructor should know (a pull-request list that failed). */
  warnings: string[];
}

const DURATION = /^(\d+(?:\.\d+)?)\s*(m|min|h|d)$/i;

/**
 * `--since`: an ISO 8601 date-time, or a duration back from now (`90m`, `3h`, `2d`).
 *
 * @example parseSince('3h', new Date('2026-12-01T12:00:00Z')) // returns 2026-12-01T09:00:00.000Z
 */
export function parseSince(text: string, now: Date = new Date()): Date {
  const duration = DURATION.exec(text.trim());
  if (duration) {
    const unit = duration[2].toLowerCase();
    const minutes = Number(duration[1]) * (unit === 'd' ? 1440 : unit === 'h' ? 60 : 1);
    return new Date(now.getTime() - minutes * 60_000);
  }
  if (/^\d{4}-\d{2}-\d{2}/.test(text.trim())) {
    const time = Date.parse(text.trim());
    if (Number.isFinite(time)) return new Date(time);
  }
  throw new ClassroomUsageError(`--since ${text}: give an ISO date-time (2026-12-01T12:00:00Z) or a duration back from now (90m, 3h, 2d)`);
}

/** Runs `task` over `items`, at most `jobs` at once; results in input order. */
async function pool<T, R>(items: T[], jobs: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, items.length)) }, worker));
  return results;
}

interface RemoteRefs {
  /** `refs/heads/<name>` HEAD points to, when the remote says. */
  head?: string;
  refs: Map<string, string>;
}

function parseLsRemote(output: string): RemoteRefs {
  const refs = new Map<string, string>();
  let head: string | undefined;
  for (const line of output.split('\n')) {
    const symref = /^ref: (\S+)\tHEAD$/.exec(line);
    if (symref) head = symref[1];
    else {
      const [sha, ref] = line.split('\t');
      if (sha && ref) refs.set(ref, sha);
    }
  }
  return { head, refs };
}

/** Prepares the output folder: refuses one that holds other things; empties `submissions/`. */
function prepareOut(out: string): void {
  if (fs.existsSync(out)) {
    if (!fs.statSync(out).isDirectory()) throw new ClassroomUsageError(`--out ${out} is a file: give a folder`);
    const names = fs.readdirSync(out);
    if (names.length && !names.includes('manifest.json')) {
      throw new ClassroomUsageError(`--out ${out} holds files that \`classroom fetch\` did not write: give an empty or new folder (its submissions/ is rewritten on every run)`);
    }
  }
  fs.rmSync(path.join(out, 'submissions'), { recursive: true, force: true });
  fs.mkdirSync(path.join(out, 'submissions'), { recursive: true });
  fs.mkdirSync(path.join(out, 'git'), { recursive: true });
}

interface Target {
  submission: string;
  ref: string;
  local: string;
  branch?: string;
  pullRequest?: { number: number };
}

interface Context {
  out: string;
  options: ClassroomFetchOptions;
  env: NodeJS.ProcessEnv;
  /** Lists open pull requests; absent: every advertised `refs/pull/<N>/head` counts. */
  api?: GitHubApi;
  timeoutMs: number;
  warnings: string[];
  log: (line: string) => void;
}

/** Open pull requests of a GitHub repository whose head is in that same repository (not a fork). */
async function openPullRequests(api: GitHubApi, repository: RosterRepository): Promise<{ numbers: number[]; forks: number[] }> {
  const { owner, name } = repository.github!;
  const pulls = await api.list<{ number: number; head?: { repo?: { full_name?: string } | null } }>(`/repos/${owner}/${name}/pulls?state=open&per_page=100`);
  const numbers: number[] = [];
  const forks: number[] = [];
  for (const pull of pulls) {
    const from = pull.head?.repo?.full_name?.toLowerCase();
    (from === `${owner}/${name}`.toLowerCase() ? numbers : forks).push(pull.number);
  }
  return { numbers: numbers.sort((a, b) => a - b), forks: forks.sort((a, b) => a - b) };
}

async function pullRequestNumbers(entry: RosterEntry, remote: RemoteRefs, ctx: Context): Promise<number[]> {
  const advertised = [...remote.refs.keys()]
    .map((ref) => /^refs\/pull\/(\d+)\/head$/.exec(ref))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
  const repository = entry.repository!;
  if (!(repository.github && ctx.api)) return advertised;
  try {
    const { numbers, forks } = await openPullRequests(ctx.api, repository);
    if (forks.length) {
      const which = forks.map((n) => `#${n}`).join(', ');
      ctx.log(`${entry.submission}: pull request${forks.length === 1 ? '' : 's'} ${which} come from forks: not fetched (another account's work)`);
    }
    return numbers.filter((n) => advertised.includes(n));
  } catch (error) {
    const warning = `${entry.submission}: could not list the open pull requests of ${repository.label}: ${(error as Error).message}; only the default branch was fetched`;
    ctx.warnings.push(warning);
    ctx.log(warning);
    return [];
  }
}

async function fetchEntry(entry: RosterEntry, ctx: Context): Promise<ManifestEntry[]> {
  const base = { submission: entry.submission, students: entry.students };
  const repository = entry.repository;
  const failed = (reason: string, extra: Partial<ManifestEntry> = {}): ManifestEntry => {
    ctx.log(`${entry.submission}: not fetched: ${reason}`);
    return { status: 'failed', ...base, ...(repository ? { repository } : {}), ...extra, reason } as ManifestEntry;
  };
  if (!repository) return [failed(entry.problem ?? 'no repository')];
  const token = ctx.options.token;
  const git = (args: string[]) => runGit(args, { env: ctx.env, timeoutMs: ctx.timeoutMs });
  const gitDir = path.join(ctx.out, 'git', `${entry.submission}.git`);
  if (!fs.existsSync(path.join(gitDir, 'HEAD'))) {
    const init = await git(['init', '--bare', '--quiet', gitDir]);
    if (init.status === 'failed') return [failed(`cannot create a local clone: ${gitFailure(init, token)}`)];
  }
  const listed = await git(['ls-remote', '--symref', repository.remote]);
  if (listed.status === 'failed') return [failed(gitFailure(listed, token, ctx.timeoutMs))];
  const remote = parseLsRemote(listed.stdout.toString('utf8'));
  if (remote.refs.size === 0) return [failed('the repository has no commits yet')];
  const head = remote.head ?? (remote.refs.has('refs/heads/main') ? 'refs/heads/main' : remote.refs.has('refs/heads/master') ? 'refs/heads/master' : undefined);
  if (!head || !remote.refs.has(head)) return [failed('the repository has no default branch (HEAD points nowhere)')];
  const branch = head.replace(/^refs\/heads\//, '');
  const targets: Target[] = [{ submission: entry.submission, ref: head, local: 'refs/mlgrade/default', branch }];
  if (ctx.options.includePrs) {
    for (const number of await pullRequestNumbers(entry, remote, ctx)) {
      targets.push({ submission: `${entry.submission}.pr${number}`, ref: `refs/pull/${number}/head`, local: `refs/mlgrade/pull/${number}`, pullRequest: { number } });
    }
  }
  const refspecs = targets.map((t) => `+${t.ref}:${t.local}`);
  const fetched = await git([`--git-dir=${gitDir}`, 'fetch', '--quiet', '--no-tags', '--no-write-fetch-head', '--depth=1', repository.remote, ...refspecs]);
  if (fetched.status === 'failed') return [failed(gitFailure(fetched, token, ctx.timeoutMs))];

  const entries: ManifestEntry[] = [];
  for (const target of targets) {
    const common = { ...base, submission: target.submission, ...(target.pullRequest ? { pullRequest: target.pullRequest } : {}) };
    const what = target.pullRequest ? `pull request #${target.pullRequest.number}` : target.branch!;
    const shown = await git([`--git-dir=${gitDir}`, 'show', '-s', '--format=%H%x00%cI', target.local]);
    if (shown.status === 'failed') {
      entries.push(failed(`${what}: ${gitFailure(shown, token)}`, common));
      continue;
    }
    const [commit, committedAt] = shown.stdout.toString('utf8').trim().split('\0');
    const at = { ...common, repository, ref: target.ref, ...(target.branch ? { branch: target.branch } : {}), commit, committedAt };
    const since = ctx.options.since;
    if (since && Date.parse(committedAt) < since.getTime()) {
      const reason = `last commit ${committedAt} is before --since ${since.toISOString()}`;
      ctx.log(`${target.submission}: ${what} @ ${commit.slice(0, 7)} unchanged (${reason})`);
      entries.push({ status: 'unchanged', ...at, reason });
      continue;
    }
    const dir = path.join('submissions', target.submission);
    try {
      const exported = await exportCommit(gitDir, commit, path.join(ctx.out, dir), ctx.env);
      const files = `${exported.files} file${exported.files === 1 ? '' : 's'}${exported.skipped.length ? `, ${exported.skipped.length} not fetched` : ''}`;
      ctx.log(`${target.submission}: ${what} @ ${commit.slice(0, 7)}, ${files}`);
      entries.push({ status: 'fetched', ...at, dir: dir.split(path.sep).join('/'), files: exported.files, skipped: exported.skipped });
    } catch (error) {
      if (!(error instanceof ExportError)) throw error;
      fs.rmSync(path.join(ctx.out, dir), { recursive: true, force: true });
      entries.push(failed(`${what}: ${redact(error.message, token)}`, common));
    }
  }
  return entries;
}

/**
 * Fetches every repository of the roster (see the module comment) and writes the manifest.
 * Throws {@link ClassroomUsageError} for a bad roster or output folder; a repository that cannot
 * be fetched is a `failed` entry, not an error.
 *
 * @example
 * const report = await classroomFetch({ roster: 'roster.csv', out: 'work/repos', includePrs: true, token: process.env.GH_TOKEN });
 * // report.counts → { fetched: 41, unchanged: 0, failed: 1 }; work/repos/submissions/alice/losses.ts, …
 */
export async function classroomFetch(options: ClassroomFetchOptions): Promise<ClassroomFetchReport> {
  const serverUrl = (options.serverUrl ?? 'https://github.com').replace(/\/+$/, '');
  const roster = readRoster(options.roster, { serverUrl, org: options.org });
  const out = path.resolve(options.out);
  prepareOut(out);
  // A real (http) GitHub server is asked which pull requests are open; a file:// stand-in is not.
  const api = options.api ?? (/^https?:\/\//i.test(serverUrl) ? new RestClient({ apiUrl: options.apiUrl ?? 'https://api.github.com', token: options.token }) : undefined);
  const ctx: Context = {
    out,
    options,
    env: gitEnv({ serverUrl, token: options.token }, options.env ?? process.env),
    api,
    timeoutMs: options.gitTimeoutMs ?? 5 * 60_000,
    warnings: [],
    log: (line) => options.log?.(redact(line, options.token)),
  };
  const perEntry = await pool(roster.entries, options.jobs ?? 4, (entry) => fetchEntry(entry, ctx));
  const entries = perEntry.flat();
  const manifest: ClassroomManifest = {
    version: MANIFEST_VERSION,
    createdAt: (options.now?.() ?? new Date()).toISOString(),
    roster: options.roster,
    ...(options.since ? { since: options.since.toISOString() } : {}),
    entries,
  };
  const manifestFile = path.join(out, 'manifest.json');
  writeManifest(manifestFile, manifest);
  const count = (status: ManifestEntry['status']) => entries.filter((e) => e.status === status).length;
  return { manifestFile, manifest, counts: { fetched: count('fetched'), unchanged: count('unchanged'), failed: count('failed') }, warnings: ctx.warnings };
}
