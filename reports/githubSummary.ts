/**
 * The GitHub Actions job summary: Markdown appended to the file named by `GITHUB_STEP_SUMMARY`
 * (set by the runner for each step). A score table per submission and, when the run graded a
 * single submission (a student's repository in GitHub Classroom), a table of its tests.
 *
 * Students read it, so it follows the student view: a hidden test shows its name and pass/fail
 * only. Submission ids are folder names chosen by students and are escaped, as are messages.
 */
import * as fs from 'node:fs';
import type { SubmissionResult, TestResult } from '../src/types';
import { bySubmissionId, percentOf } from './csv';
import type { Reporter, RunInfo } from './reporter';

/**
 * Makes a string inert inside a Markdown table cell: `|` would end the cell, `<`/`>`/`&` could
 * open HTML, backticks code spans, `*` `_` `~` emphasis, `[` `]` links, `$` maths, `\` escapes; a
 * line break would end the table row, so line breaks become spaces.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\r\n?|\n/g, ' ')
    .replace(/[\\`*_~[\]|$]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** Rows of the score table beyond this many are summarised in one line (the file is capped at 1 MiB). */
const MAX_ROWS = 1000;

const mark = (test: Pick<TestResult, 'status'>) => (test.status === 'passed' ? '✅' : test.status === 'timeout' ? '❌ timed out' : test.status === 'error' ? '❌ error' : '❌');

/** What a student may read about a test in the summary: the first line of a public failure's message. */
function detail(test: Readonly<TestResult>): string {
  if (test.status === 'passed' || test.visibility === 'hidden') return '';
  const line = test.message.split('\n', 1)[0];
  return escapeMarkdown(line.length > 200 ? line.slice(0, 199) + '…' : line);
}

function testTable(result: Readonly<SubmissionResult>): string[] {
  const lines: string[] = [];
  if (result.load.status === 'failed') {
    lines.push(`**Could not be loaded (${result.load.reason}):** ${escapeMarkdown(result.load.message.split('\n', 1)[0])}`, '');
  }
  lines.push('| function | test | result | points | details |', '|---|---|---|---:|---|');
  let current = '';
  for (const test of result.tests) {
    const fn = test.function === current ? '' : `\`${test.function.replace(/`/g, '')}\``;
    current = test.function;
    const name = escapeMarkdown(test.name) + (test.visibility === 'hidden' ? ' _(hidden)_' : '');
    lines.push(`| ${fn} | ${name} | ${mark(test)} | ${test.score}/${test.maxScore} | ${detail(test)} |`);
  }
  return lines;
}

/**
 * The Markdown of a run (pure).
 *
 * @example formatGithubSummary([result], run) // returns "## mlgrade — Losses… (`losses`)\n\n| submission | score | % |\n…"
 */
export function formatGithubSummary(results: readonly Readonly<SubmissionResult>[], run: Pick<RunInfo, 'assignment'>): string {
  const lines = [`## mlgrade — ${escapeMarkdown(run.assignment.title)} (${escapeMarkdown(run.assignment.id)})`, ''];
  if (!results.length) return [...lines, 'No submissions were graded.', ''].join('\n');
  const sorted = [...results].sort(bySubmissionId);
  lines.push('| submission | score | % |', '|---|---:|---:|');
  for (const r of sorted.slice(0, MAX_ROWS)) {
    const pct = percentOf(r);
    lines.push(`| ${escapeMarkdown(r.submission)}${r.load.status === 'failed' ? ' (could not load)' : ''} | ${r.score}/${r.maxScore} | ${pct === undefined ? '–' : `${pct}%`} |`);
  }
  if (sorted.length > MAX_ROWS) lines.push('', `…and ${sorted.length - MAX_ROWS} more submissions (see grades.csv).`);
  if (results.length === 1) lines.push('', ...testTable(results[0]));
  lines.push('');
  return lines.join('\n') + '\n';
}

/**
 * Appends the summary to `env.GITHUB_STEP_SUMMARY` when it is set; returns the file written, or
 * undefined. Appending (not writeFileAtomic) is the runner's contract: the file is the runner's and
 * may already hold other steps' output.
 */
export function appendGithubSummary(results: readonly Readonly<SubmissionResult>[], run: Pick<RunInfo, 'assignment'>, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const file = env.GITHUB_STEP_SUMMARY;
  if (!file) return undefined;
  fs.appendFileSync(file, formatGithubSummary(results, run));
  return file;
}

/** A reporter appending the summary once the run is complete (does nothing without GITHUB_STEP_SUMMARY). */
export function githubSummaryReporter(env: NodeJS.ProcessEnv = process.env): Reporter {
  return {
    name: 'GitHub summary',
    onRunComplete: (results, run) => {
      appendGithubSummary(results, run, env);
    },
  };
}
