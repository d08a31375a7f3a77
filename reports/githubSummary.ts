/**
 * The GitHub Actions job summary: GitHub-flavoured Markdown appended to the file named by
 * `GITHUB_STEP_SUMMARY` (set by the runner for each step; GitHub refuses a step's summary over
 * 1 MiB, so the text is kept below that).
 *
 * A run that graded one submission (a student's repository in GitHub Classroom) gets what the
 * student HTML report says, built from the same model (`submissionView(result, 'student')`): the
 * score per category, "what to look at first" (failures grouped by diagnosis), every test with its
 * result, each failed public test with its full message in a fenced block and its likely cause,
 * failed hidden tests with their likely cause only (as the student report shows them: never their
 * message, inputs or expected values), and when the submission could not load, why. A class run
 * gets a compact table and the reasons of load failures.
 *
 * Student text (ids, names, messages) is escaped outside code blocks (no HTML, link, emphasis or
 * table cell break); a fenced block uses a fence longer than any backtick run in its text.
 */
import * as fs from 'node:fs';
import type { LoadOutcome, SubmissionResult, TestStatus } from '../src/types';
import { bySubmissionId, percentOf } from './csv';
import { loadReasonText, submissionView, type FixGroup, type SubmissionView, type TestView } from './html/submissionView';
import type { Reporter, RunInfo, RunResults } from './reporter';

/**
 * Makes a string inert inside Markdown text and table cells: `|` would end the cell, `<`/`>`/`&`
 * could open HTML, backticks code spans, `*` `_` `~` emphasis, `[` `]` links, `$` maths, `\`
 * escapes, `#` at a line start a heading; a line break would end the table row, so line breaks
 * become spaces.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\r\n?|\n/g, ' ')
    .replace(/[\\`*_~[\]|$#]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** A code span for an identifier (a function name) in a table cell: backticks dropped, `|` escaped. */
function code(text: string): string {
  const inner = text.replace(/[`\r\n]/g, '').replace(/\|/g, '\\|');
  return inner ? `\`${inner}\`` : '';
}

/**
 * A fenced code block holding `text` verbatim: the fence is longer than any run of backticks in
 * the text, so nothing in it can close the block early (CommonMark).
 *
 * @example fencedBlock('a ``` b') // returns ['````text', 'a ``` b', '````']
 */
export function fencedBlock(text: string): string[] {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  const body = text.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '');
  return [`${fence}text`, ...body.split('\n'), fence];
}

/** Rows of the score table beyond this many are summarised in one line. */
const MAX_ROWS = 1000;
/** Load failures listed with their reason in a class run. */
const MAX_LOAD_FAILURES = 50;
/** GitHub's limit is 1024 KiB per step; leave room for other steps' output. */
const BUDGET_BYTES = 900_000;

const MARK: Record<TestStatus, string> = { passed: '✅', failed: '❌', error: '❌ error', timeout: '❌ timed out' };

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}\n… (${text.length - max} more characters)` : text;
}

function categoryTable(view: SubmissionView): string[] {
  if (!view.categories.length) return [];
  return [
    '| category | points | % |',
    '|---|---:|---:|',
    ...view.categories.map((c) => `| ${escapeMarkdown(c.label)} | ${c.score}/${c.maxScore} | ${c.percentText} |`),
    '',
  ];
}

function toFixList(groups: readonly FixGroup[]): string[] {
  if (!groups.length) return [];
  const lines = ['#### What to look at first', ''];
  groups.forEach((group, i) => {
    const what = group.diagnosis ? `💡 ${escapeMarkdown(group.diagnosis)}` : i === 0 ? 'Tests not passed' : 'Other tests not passed';
    const where = group.functions.map((f) => `${code(f.name)}${f.count > 1 ? ` ×${f.count}` : ''}`).join(', ');
    lines.push(`${i + 1}. ${what} — ${group.count} ${group.count === 1 ? 'test' : 'tests'}, ${group.points} pt lost, in ${where}`);
  });
  return [...lines, ''];
}

const testLabel = (test: TestView) => `${code(test.function)} › ${escapeMarkdown(test.name)}`;

function testTable(view: SubmissionView): string[] {
  const lines = ['#### Tests', '', '| function | test | result | points |', '|---|---|---|---:|'];
  for (const group of view.functions) {
    group.tests.forEach((test, i) => {
      const name = escapeMarkdown(test.name) + (test.hidden ? ' _(hidden)_' : '');
      lines.push(`| ${i === 0 ? code(group.name) : ''} | ${name} | ${MARK[test.status]} | ${test.score.score}/${test.score.maxScore} |`);
    });
  }
  return [...lines, ''];
}

function failedPublicTests(view: SubmissionView, messageCap: number): string[] {
  const failed = view.functions.flatMap((g) => g.tests).filter((t) => !t.passed && !t.hidden);
  if (!failed.length || view.load.failed) return [];
  const lines = ['#### Failed public tests', ''];
  for (const test of failed) {
    lines.push(`##### ${testLabel(test)} — ${MARK[test.status]} ${test.score.score}/${test.score.maxScore} pt`, '');
    if (test.diagnosis) lines.push(`**Likely cause:** ${escapeMarkdown(test.diagnosis)}`, '');
    if (test.message) lines.push(...fencedBlock(cut(test.message, messageCap)), '');
  }
  return lines;
}

function failedHiddenTests(view: SubmissionView): string[] {
  const failed = view.functions.flatMap((g) => g.tests).filter((t) => !t.passed && t.hidden);
  if (!failed.length || view.load.failed) return [];
  return [
    '#### Failed hidden tests',
    '',
    "Hidden tests show their name, points and whether they passed; their inputs and expected values stay hidden. Passing every public test does not guarantee full marks.",
    '',
    ...failed.map((t) => `- ${MARK[t.status]} ${testLabel(t)} (${t.score.score}/${t.score.maxScore} pt)${t.diagnosis ? ` — **Likely cause:** ${escapeMarkdown(t.diagnosis)}` : ''}`),
    '',
  ];
}

/** The Markdown of one submission, as its student report tells it. */
function submissionSection(result: Readonly<SubmissionResult>, messageCap: number): string[] {
  const view = submissionView(result, 'student');
  const c = view.counts;
  const lines = [
    `### ${escapeMarkdown(view.submission)}: ${view.score.score}/${view.score.maxScore} points (${view.score.percentText})`,
    '',
    `${c.passed} passed, ${c.notPassed} not passed of ${c.total} tests${c.hidden ? `, ${c.hidden} of them hidden` : ''}.` +
      (view.scope === 'public' ? ' This was a self-check: only the public tests ran.' : ''),
    '',
  ];
  if (view.notes.length) lines.push('**About your files:**', '', ...view.notes.map((note) => `- ${escapeMarkdown(note)}`), '');
  if (view.load.failed) {
    lines.push(
      `**Your submission could not be loaded:** ${escapeMarkdown(view.load.reasonText)} (\`${view.load.reason}\`), so nothing in it could be graded and every test scored 0.`,
      '',
      ...fencedBlock(cut(view.load.message, messageCap)),
      '',
    );
  }
  return [...lines, ...categoryTable(view), ...toFixList(view.toFix), ...testTable(view), ...failedPublicTests(view, messageCap), ...failedHiddenTests(view)];
}

/** What the class section shows of a result. */
interface ClassRow extends Pick<SubmissionResult, 'submission' | 'score' | 'maxScore' | 'language'> {
  /** Why it did not load, when it did not. */
  loadFailure?: Extract<LoadOutcome, { status: 'failed' }>;
}

/**
 * The first `limit` items by submission id of what is offered, and how many were offered: a
 * table that shows the first rows of a large class keeps only those.
 */
class FirstById<T extends { submission: string }> {
  readonly items: T[] = [];
  count = 0;

  constructor(private readonly limit: number) {}

  offer(item: T): void {
    this.count += 1;
    let low = 0;
    let high = this.items.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (bySubmissionId(this.items[mid], item) <= 0) low = mid + 1;
      else high = mid;
    }
    if (low >= this.limit) return;
    this.items.splice(low, 0, item);
    if (this.items.length > this.limit) this.items.pop();
  }
}

/** What a run's summary is made of, gathered in one pass over the results. */
interface SummaryModel {
  count: number;
  /** The result, when the run has exactly one. */
  only?: Readonly<SubmissionResult>;
  rows: FirstById<ClassRow>;
  loadFailures: FirstById<ClassRow>;
}

function gather(results: RunResults): SummaryModel {
  const model: SummaryModel = { count: 0, rows: new FirstById(MAX_ROWS), loadFailures: new FirstById(MAX_LOAD_FAILURES) };
  for (const r of results) {
    model.count += 1;
    model.only = model.count === 1 ? r : undefined;
    const row: ClassRow = {
      submission: r.submission,
      score: r.score,
      maxScore: r.maxScore,
      language: r.language,
      ...(r.load.status === 'failed' ? { loadFailure: r.load } : {}),
    };
    model.rows.offer(row);
    if (row.loadFailure) model.loadFailures.offer(row);
  }
  return model;
}

/** The Markdown of a class: one row per submission, then why the ones that did not load did not. */
function classSection(model: SummaryModel, messageCap: number): string[] {
  const lines = ['| submission | score | % |', '|---|---:|---:|'];
  for (const r of model.rows.items) {
    const pct = percentOf(r);
    lines.push(`| ${escapeMarkdown(r.submission)}${r.loadFailure ? ' (could not load)' : ''} | ${r.score}/${r.maxScore} | ${pct === undefined ? '–' : `${pct}%`} |`);
  }
  if (model.count > MAX_ROWS) lines.push('', `…and ${model.count - MAX_ROWS} more submissions (see grades.csv).`);
  const failed = model.loadFailures;
  if (failed.count) {
    lines.push('', `### Could not load (${failed.count})`, '');
    for (const { submission, loadFailure, language } of failed.items) {
      if (!loadFailure) continue;
      const reason = escapeMarkdown(loadReasonText(loadFailure.reason, language));
      lines.push(`**${escapeMarkdown(submission)}:** ${reason} (\`${loadFailure.reason}\`)`, '', ...fencedBlock(cut(loadFailure.message, messageCap)), '');
    }
    if (failed.count > MAX_LOAD_FAILURES) lines.push(`…and ${failed.count - MAX_LOAD_FAILURES} more (see the dashboard, index.html).`, '');
  }
  return lines;
}

function render(model: SummaryModel, run: Pick<RunInfo, 'assignment'>, messageCap: number): string {
  const lines = [`## mlgrade — ${escapeMarkdown(run.assignment.title)} (${escapeMarkdown(run.assignment.id)})`, ''];
  if (!model.count) lines.push('No submissions were graded.');
  else if (model.only) lines.push(...submissionSection(model.only, messageCap));
  else lines.push(...classSection(model, messageCap));
  return lines.join('\n').replace(/\n*$/, '\n\n');
}

/**
 * The Markdown of a run (pure); messages are shortened if the whole would exceed `budgetBytes`
 * (default: what fits in a job summary; a pull-request comment passes GitHub's smaller limit).
 * One pass over the results: of a class, only the rows shown are kept.
 *
 * @example formatGithubSummary([result], run) // returns "## mlgrade — Losses… (losses)\n\n### alice: 6/14 points (42.9%)\n…"
 */
export function formatGithubSummary(
  results: RunResults,
  run: Pick<RunInfo, 'assignment'>,
  budgetBytes = BUDGET_BYTES,
): string {
  const model = gather(results);
  let text = '';
  for (const cap of [8000, 1000, 200]) {
    text = render(model, run, cap);
    if (Buffer.byteLength(text, 'utf8') <= budgetBytes) return text;
  }
  return text;
}

/**
 * Appends the summary to `env.GITHUB_STEP_SUMMARY` when it is set; returns the file written, or
 * undefined. Appending (not writeFileAtomic) is the runner's contract: the file is the runner's and
 * may already hold other steps' output.
 */
export function appendGithubSummary(results: RunResults, run: Pick<RunInfo, 'assignment'>, env: NodeJS.ProcessEnv = process.env): string | undefined {
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
