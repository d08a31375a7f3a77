/**
 * `mlgrade classroom post`: gives each student the result of `mlgrade grade` on what
 * `classroom fetch` fetched, on GitHub, as the student may see it (src/classroom/comment.ts):
 *
 * - a pull request's head: one comment on the pull request, created once and then updated in
 *   place (found again by its hidden marker `<!-- mlgrade:<assignment> -->`, never in a comment
 *   by one of the repository's students);
 * - the default branch's latest commit: one commit comment on that commit, the same way (unless
 *   `commitComments` is false: GitHub wants Contents: write for commit comments);
 * - both: a commit status `mlgrade/<assignment>` with the score, linking to the comment.
 *
 * A comment whose text would not change is left alone, and a status already saying the same is
 * not posted again, so grading unchanged work on a schedule costs a few reads and notifies nobody.
 * `dryRun` writes what would be posted instead — `<folder>/<submission>.md` and `calls.json`, the
 * requests a first run would send — and contacts nobody.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SubmissionResult } from '../types';
import { escapeMarkdown } from '../../reports/githubSummary';
import { resultPath } from '../../reports/json';
import { scorePercent } from '../../reports/measures';
import { ClassroomUsageError } from './errors';
import { commentMarker, commitStatus, studentComment, type AssignmentName, type CommitStatus } from './comment';
import { redact } from './git';
import { GitHubApiError, RecordingApi, RestClient, type GitHubApi, type RecordedCall } from './githubApi';
import { readManifest, type FetchedEntry, type ManifestEntry } from './manifest';

export interface ClassroomPostOptions {
  /** The output folder of `mlgrade grade` run on `<fetch out>/submissions`. */
  grades: string;
  /** The manifest.json `classroom fetch` wrote. */
  manifest: string;
  /** Write what would be posted into this folder instead of posting. */
  dryRun?: string;
  /** A status is `success` from this percentage on (default 100: every test passed). */
  minScore?: number;
  /**
   * Comment on default-branch commits (default true; GitHub requires the Contents: write
   * permission for commit comments). False: those commits get only their status.
   */
  commitComments?: boolean;
  /** REST API (default `https://api.github.com`). */
  apiUrl?: string;
  /** A token that may comment and set statuses on the students' repositories; not needed for a dry run. */
  token?: string;
  /** An API client to use instead of the REST client (tests). */
  api?: GitHubApi;
  /** Least time between two content-creating requests (default 1000 ms, GitHub's advice). */
  mutationIntervalMs?: number;
  /** One line per submission (default: nothing). */
  log?: (line: string) => void;
  /** Append a table of what was posted to this file (GitHub Actions' `GITHUB_STEP_SUMMARY`; the course's private run). */
  stepSummary?: string;
}

/** What happened for one manifest entry. */
export type PostOutcome =
  | {
      status: 'posted';
      submission: string;
      repository: string;
      /** `unchanged`: the comment already said this, it was left alone; `none`: commit comments are off. */
      comment: 'created' | 'updated' | 'unchanged' | 'none';
      commentUrl?: string;
      where: string;
      state: CommitStatus['state'];
      /** False when the commit already had this status. */
      statusPosted: boolean;
      score: number;
      maxScore: number;
    }
  | { status: 'unchanged'; submission: string; reason: string }
  | { status: 'not-posted'; submission: string; repository?: string; reason: string }
  | { status: 'failed'; submission: string; repository: string; reason: string };

export interface ClassroomPostReport {
  outcomes: PostOutcome[];
  /** Set for a dry run: the folder written and the requests recorded. */
  dryRun?: { folder: string; calls: RecordedCall[] };
  /** 0 everything that was fetched got its comment and status; 1 something was not posted (listed). */
  exitCode: 0 | 1;
}

interface IssueComment {
  id: number;
  body?: string;
  html_url?: string;
  user?: { login?: string; type?: string } | null;
}

/** The assignment `grade` named in `<grades>/summary.json`, when it wrote one. */
function summaryAssignment(grades: string): { id?: unknown; title?: unknown } | undefined {
  try {
    const summary = JSON.parse(fs.readFileSync(path.join(grades, 'summary.json'), 'utf8')) as { assignment?: { id?: unknown; title?: unknown } };
    return summary.assignment;
  } catch {
    return undefined;
  }
}

/** A result's assignment id and title: the title from the summary when it names that assignment, else the id. */
function assignmentOf(summary: { id?: unknown; title?: unknown } | undefined, result: SubmissionResult): AssignmentName {
  if (summary?.id === result.assignment && typeof summary.title === 'string') return { id: result.assignment, title: summary.title };
  return { id: result.assignment, title: result.assignment };
}

function readResult(grades: string, submission: string): SubmissionResult | string {
  const file = resultPath(grades, submission);
  try {
    const result = JSON.parse(fs.readFileSync(file, 'utf8')) as SubmissionResult;
    if (result.submission !== submission || !Array.isArray(result.tests)) return `${file} is not the result of ${submission}`;
    return result;
  } catch {
    return `not graded: no result.json for ${submission} in ${grades} (was \`mlgrade grade\` run on the fetched submissions?)`;
  }
}

/** Finds mlgrade's earlier comment and creates or updates it. */
async function upsertComment(api: GitHubApi, entry: FetchedEntry, marker: string, body: string): Promise<{ action: 'created' | 'updated' | 'unchanged'; url?: string }> {
  const { owner, name } = entry.repository.github!;
  const repo = `/repos/${owner}/${name}`;
  const collection = entry.pullRequest ? `${repo}/issues/${entry.pullRequest.number}/comments` : `${repo}/commits/${entry.commit}/comments`;
  const comments = await api.list<IssueComment>(`${collection}?per_page=100`);
  const students = new Set(entry.students.map((s) => s.toLowerCase()));
  // A student could post the marker too: their comment is never taken for ours.
  const candidates = comments.filter((c) => typeof c.body === 'string' && c.body.startsWith(marker) && !students.has((c.user?.login ?? '').toLowerCase()));
  const ours = candidates.find((c) => c.user?.type === 'Bot') ?? candidates[0];
  const url = (c: IssueComment | undefined) => (typeof c?.html_url === 'string' && /^https?:\/\//.test(c.html_url) ? c.html_url : undefined);
  if (ours) {
    if (ours.body === body) return { action: 'unchanged', url: url(ours) };
    const update = entry.pullRequest ? `${repo}/issues/comments/${ours.id}` : `${repo}/comments/${ours.id}`;
    const updated = await api.request<IssueComment>({ method: 'PATCH', path: update, body: { body } });
    return { action: 'updated', url: url(updated.data) ?? url(ours) };
  }
  const created = await api.request<IssueComment>({ method: 'POST', path: collection, body: { body } });
  return { action: 'created', url: url(created.data) };
}

/** Sets the commit status unless the commit already has the same one. */
async function setStatus(api: GitHubApi, entry: FetchedEntry, status: CommitStatus): Promise<boolean> {
  const { owner, name } = entry.repository.github!;
  const combined = await api.request<{ statuses?: { context?: string; state?: string; description?: string; target_url?: string | null }[] }>({
    method: 'GET',
    path: `/repos/${owner}/${name}/commits/${entry.commit}/status?per_page=100`,
  });
  const same = combined.data?.statuses?.find((s) => s.context === status.context);
  if (same && same.state === status.state && same.description === status.description && (same.target_url ?? undefined) === status.target_url) return false;
  await api.request({ method: 'POST', path: `/repos/${owner}/${name}/statuses/${entry.commit}`, body: status });
  return true;
}

function where(entry: FetchedEntry): string {
  return entry.pullRequest ? `pull request #${entry.pullRequest.number}` : `commit ${entry.commit.slice(0, 7)} of ${entry.branch ?? 'the default branch'}`;
}

/** Prepares the dry-run folder: new, empty, or written by an earlier dry run (its files are replaced). */
function prepareDryRun(folder: string): void {
  if (fs.existsSync(folder)) {
    if (!fs.statSync(folder).isDirectory()) throw new ClassroomUsageError(`--dry-run ${folder} is a file: give a folder`);
    const names = fs.readdirSync(folder);
    if (names.length && !names.includes('calls.json')) throw new ClassroomUsageError(`--dry-run ${folder} holds other files: give an empty or new folder`);
    for (const name of names) if (name.endsWith('.md') || name === 'calls.json') fs.rmSync(path.join(folder, name));
  }
  fs.mkdirSync(folder, { recursive: true });
}

function summaryTable(outcomes: PostOutcome[], manifest: ManifestEntry[], dryRun: boolean): string {
  const byId = new Map(manifest.map((e) => [e.submission, e] as const));
  const lines = [`## mlgrade classroom post${dryRun ? ' (dry run: nothing was sent)' : ''}`, '', '| submission | repository | graded | score | posted |', '|---|---|---|---:|---|'];
  for (const o of outcomes) {
    const entry = byId.get(o.submission);
    const repo = entry && 'repository' in entry && entry.repository ? entry.repository.label : '';
    const graded = entry && entry.status !== 'failed' ? `${entry.pullRequest ? `PR #${entry.pullRequest.number}` : entry.branch ?? ''} @ ${entry.commit.slice(0, 7)}` : '';
    const score = o.status === 'posted' ? `${o.score}/${o.maxScore}` : '';
    const posted =
      o.status === 'posted'
        ? escapeMarkdown(`${o.comment === 'none' ? 'no comment' : `comment ${o.comment}`}, status ${o.state}${o.statusPosted ? '' : ' (already set)'}`)
        : o.status === 'unchanged'
          ? escapeMarkdown(`not regraded: ${o.reason}`)
          : `**not posted:** ${escapeMarkdown(o.reason)}`;
    lines.push(`| ${escapeMarkdown(o.submission)} | ${escapeMarkdown(repo)} | ${escapeMarkdown(graded)} | ${score} | ${posted} |`);
  }
  return lines.join('\n') + '\n\n';
}

/**
 * Posts every fetched and graded submission's result (see the module comment). Throws
 * {@link ClassroomUsageError} for a missing grades folder, a bad manifest or a missing token;
 * a submission that cannot be posted is an outcome, and the others are still posted.
 *
 * @example
 * const report = await classroomPost({ grades: 'work/grades', manifest: 'work/repos/manifest.json', token: process.env.GH_TOKEN });
 * // report.outcomes → [{ status: 'posted', submission: 'alice.pr1', comment: 'updated', state: 'failure', … }, …]
 */
export async function classroomPost(options: ClassroomPostOptions): Promise<ClassroomPostReport> {
  if (!fs.existsSync(options.grades) || !fs.statSync(options.grades).isDirectory()) {
    throw new ClassroomUsageError(`no folder ${options.grades}: give the --out folder of \`mlgrade grade\``);
  }
  const manifest = readManifest(options.manifest);
  let api = options.api;
  let recorder: RecordingApi | undefined;
  if (options.dryRun !== undefined) {
    prepareDryRun(options.dryRun);
    recorder = new RecordingApi();
    api = recorder;
  } else if (!api) {
    if (!options.token) {
      throw new ClassroomUsageError(
        "set GH_TOKEN to a token that may comment and set statuses on the students' repositories (in the course workflow: the GitHub App's token), or use --dry-run <folder>",
      );
    }
    api = new RestClient({ apiUrl: options.apiUrl ?? 'https://api.github.com', token: options.token, mutationIntervalMs: options.mutationIntervalMs });
  }
  const log = (line: string) => options.log?.(redact(line, options.token));
  const outcomes: PostOutcome[] = [];
  const summary = summaryAssignment(options.grades);
  for (const entry of manifest.entries) {
    if (recorder) recorder.submission = entry.submission;
    if (entry.status === 'failed') {
      outcomes.push({ status: 'not-posted', submission: entry.submission, ...(entry.repository ? { repository: entry.repository.label } : {}), reason: `not fetched: ${entry.reason}` });
      log(`${entry.submission}: not posted: not fetched: ${entry.reason}`);
      continue;
    }
    if (entry.status === 'unchanged') {
      outcomes.push({ status: 'unchanged', submission: entry.submission, reason: entry.reason });
      continue;
    }
    const result = readResult(options.grades, entry.submission);
    if (typeof result === 'string') {
      outcomes.push({ status: 'not-posted', submission: entry.submission, repository: entry.repository.label, reason: result });
      log(`${entry.submission}: not posted: ${result}`);
      continue;
    }
    const assignment = assignmentOf(summary, result);
    const body = studentComment(result, assignment, { commit: entry.commit, branch: entry.branch, pullRequest: entry.pullRequest, skipped: entry.skipped });
    if (options.dryRun !== undefined) fs.writeFileSync(path.join(options.dryRun, `${entry.submission}.md`), body);
    const score = `${result.score}/${result.maxScore} (${Math.round(scorePercent(result) * 10) / 10}%)`;
    if (!entry.repository.github) {
      const reason = `${entry.repository.label} is not a repository on the GitHub server: nothing to post to`;
      outcomes.push({ status: 'not-posted', submission: entry.submission, repository: entry.repository.label, reason });
      log(`${entry.submission}: ${score}; not posted: ${reason}`);
      continue;
    }
    try {
      const comment =
        entry.pullRequest || options.commitComments !== false
          ? await upsertComment(api!, entry, commentMarker(assignment.id), body)
          : { action: 'none' as const, url: undefined };
      const status = commitStatus(result, assignment.id, options.minScore, comment.url);
      const statusPosted = await setStatus(api!, entry, status);
      outcomes.push({
        status: 'posted',
        submission: entry.submission,
        repository: entry.repository.label,
        comment: comment.action,
        ...(comment.url ? { commentUrl: comment.url } : {}),
        where: where(entry),
        state: status.state,
        statusPosted,
        score: result.score,
        maxScore: result.maxScore,
      });
      const said = `${comment.action === 'none' ? 'no comment' : `comment ${comment.action}`}, status ${status.state}${statusPosted ? '' : ' (already set)'}`;
      log(`${entry.submission}: ${score} → ${where(entry)}: ${said}`);
    } catch (error) {
      if (!(error instanceof GitHubApiError)) throw error;
      const reason = redact(error.message, options.token);
      outcomes.push({ status: 'failed', submission: entry.submission, repository: entry.repository.label, reason });
      log(`${entry.submission}: ${score}; not posted: ${reason}`);
    }
  }
  if (recorder) recorder.submission = undefined;
  if (options.dryRun !== undefined) {
    const record = { dryRun: true, note: 'The requests a first run would send (no earlier comment or status); nothing was sent.', calls: recorder!.calls, outcomes };
    fs.writeFileSync(path.join(options.dryRun, 'calls.json'), JSON.stringify(record, null, 2) + '\n');
  }
  if (options.stepSummary) fs.appendFileSync(options.stepSummary, summaryTable(outcomes, manifest.entries, options.dryRun !== undefined));
  const exitCode = outcomes.every((o) => o.status === 'posted' || o.status === 'unchanged') ? 0 : 1;
  return { outcomes, exitCode, ...(recorder ? { dryRun: { folder: options.dryRun!, calls: recorder.calls } } : {}) };
}
