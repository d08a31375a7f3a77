/**
 * What `classroom post` tells a student about one graded commit: a Markdown comment (the same
 * per-submission Markdown as the job summary, reports/githubSummary.ts, which is the student
 * report's model: public tests in full with their messages and likely causes, hidden tests by
 * name, points and pass/fail, never their inputs, expected values or messages) and a commit status
 * with the score. Pure; no I/O.
 */
import type { SubmissionResult } from '../types';
import { escapeMarkdown, formatGithubSummary } from '../../reports/githubSummary';
import { loadReasonText } from '../../reports/html/submissionView';
import { scorePercent } from '../../reports/measures';

/** GitHub refuses comment bodies over 65,536 characters. */
export const COMMENT_MAX_CHARS = 65_536;
/** The report's budget inside a comment (bytes ≥ characters), leaving room for the header and footer. */
const REPORT_BUDGET_BYTES = 60_000;
/** Files not fetched listed in a comment; the rest are counted. */
const MAX_SKIPPED_SHOWN = 20;
/** GitHub cuts a status description at 140 characters. */
const STATUS_DESCRIPTION_MAX = 140;

export interface AssignmentName {
  id: string;
  title: string;
}

/** The commit a comment is about. */
export interface GradedCommit {
  commit: string;
  /** The default branch's name, for a default-branch submission. */
  branch?: string;
  pullRequest?: { number: number };
  /** Files of the commit not fetched, with the reason (the student's own paths). */
  skipped?: string[];
}

/**
 * The hidden marker that finds mlgrade's comment again: one comment per assignment per pull
 * request (or commit), updated in place.
 *
 * @example commentMarker('losses') // returns '<!-- mlgrade:losses -->'
 */
export function commentMarker(assignment: string): string {
  return `<!-- mlgrade:${assignment.replace(/[^A-Za-z0-9._-]/g, '_')} -->`;
}

function whichCommit(target: GradedCommit): string {
  const short = target.commit.slice(0, 7);
  return target.pullRequest
    ? `commit \`${short}\`, the head of pull request #${target.pullRequest.number}`
    : `commit \`${short}\`, the latest of ${target.branch ? `\`${target.branch.replace(/`/g, '')}\`` : 'the default branch'}`;
}

/**
 * The comment's Markdown: the marker, the student's view of the result, files not fetched, and
 * which commit was graded. No timestamp, so grading an unchanged commit again gives the same text
 * (and `post` leaves the comment alone).
 *
 * @example
 * studentComment(result, { id: 'losses', title: 'Losses' }, { commit: '47c7f32…', pullRequest: { number: 1 } })
 * // returns '<!-- mlgrade:losses -->\n## mlgrade — Losses (losses)\n\n### alice.pr1: 61/100 points (61%)\n…'
 */
export function studentComment(result: Readonly<SubmissionResult>, assignment: AssignmentName, target: GradedCommit): string {
  const footer = [
    '',
    '---',
    `Graded at ${whichCommit(target)}, with the public and the hidden tests, on the course's own runner. ` +
      'Hidden tests show only their name, points and whether they passed. This comment is updated each time your work is graded again.',
    '',
  ];
  const notFetched = target.skipped ?? [];
  const skipped = notFetched.length
    ? [
        '#### Not graded from your repository',
        '',
        ...notFetched.slice(0, MAX_SKIPPED_SHOWN).map((line) => `- ${escapeMarkdown(line)}`),
        ...(notFetched.length > MAX_SKIPPED_SHOWN ? [`- …and ${notFetched.length - MAX_SKIPPED_SHOWN} more`] : []),
        '',
      ]
    : [];
  const report = formatGithubSummary([result], { assignment }, REPORT_BUDGET_BYTES).replace(/\n+$/, '\n');
  const body = [commentMarker(assignment.id), report, ...skipped, ...footer].join('\n');
  if (body.length <= COMMENT_MAX_CHARS) return body;
  // Thousands of tests: the score and the footer, without the per-test report.
  return [
    commentMarker(assignment.id),
    `## mlgrade — ${escapeMarkdown(assignment.title)} (${escapeMarkdown(assignment.id)})`,
    '',
    statusDescription(result),
    '',
    'The full report is too long for a comment: ask your instructor for report.html.',
    ...footer,
  ].join('\n');
}

function statusDescription(result: Readonly<SubmissionResult>): string {
  const points = `${result.score}/${result.maxScore} points (${Math.round(scorePercent(result) * 10) / 10}%)`;
  const text = result.load.status === 'failed' ? `${points}: could not load, ${loadReasonText(result.load.reason)}` : points;
  return text.length > STATUS_DESCRIPTION_MAX ? `${text.slice(0, STATUS_DESCRIPTION_MAX - 1)}…` : text;
}

/** A commit status: `POST /repos/{owner}/{repo}/statuses/{sha}`'s body. */
export interface CommitStatus {
  state: 'success' | 'failure';
  /** `mlgrade/<assignment>`: one status per assignment, replaced by the next one. */
  context: string;
  description: string;
  target_url?: string;
}

/**
 * The commit status of a result: `success` when the score reaches `minScore` percent (default
 * 100: every test passed), else `failure`; the description gives the score.
 *
 * @example commitStatus({ score: 61, maxScore: 100, load: { status: 'loaded', … }, … }, 'losses')
 * // returns { state: 'failure', context: 'mlgrade/losses', description: '61/100 points (61%)' }
 */
export function commitStatus(result: Readonly<SubmissionResult>, assignment: string, minScore = 100, targetUrl?: string): CommitStatus {
  const passed = result.load.status === 'loaded' && result.maxScore > 0 && scorePercent(result) >= minScore - 1e-9;
  return {
    state: passed ? 'success' : 'failure',
    context: `mlgrade/${assignment}`,
    description: statusDescription(result),
    ...(targetUrl ? { target_url: targetUrl } : {}),
  };
}
