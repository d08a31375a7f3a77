/**
 * Terminal output: the student's self-check report and the instructor's per-submission lines.
 * Colour only when writing to a TTY (and NO_COLOR is not set).
 */
import { functionName } from './functionName';
import type { SubmissionResult, TestResult } from '../src/types';
import { percentOf } from './csv';
import { percentStats } from './summary';

export interface Palette {
  green: (s: string) => string;
  red: (s: string) => string;
  yellow: (s: string) => string;
  dim: (s: string) => string;
  bold: (s: string) => string;
}

const wrap = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;
const plain = (s: string) => s;

/** ANSI colours for a TTY, identity functions otherwise. */
export function palette(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): Palette {
  const color = Boolean(stream.isTTY) && !env.NO_COLOR && env.TERM !== 'dumb';
  if (!color) return { green: plain, red: plain, yellow: plain, dim: plain, bold: plain };
  return { green: wrap(32, 39), red: wrap(31, 39), yellow: wrap(33, 39), dim: wrap(2, 22), bold: wrap(1, 22) };
}

const SYMBOL: Record<TestResult['status'], string> = { passed: '✓', failed: '✗', error: '!', timeout: '⏱' };

function colourFor(status: TestResult['status'], p: Palette): (s: string) => string {
  return status === 'passed' ? p.green : status === 'timeout' ? p.yellow : p.red;
}

const indent = (text: string, by: string) => text.split('\n').map((line) => by + line).join('\n');

/** "87.5/100 (87.5%)" */
export function scoreText(result: Pick<SubmissionResult, 'score' | 'maxScore'>): string {
  const pct = result.maxScore ? Math.round((1000 * result.score) / result.maxScore) / 10 : 0;
  return `${result.score}/${result.maxScore} (${pct}%)`;
}

/** The first lines of a self-check report: what was checked, and the notes on how the submission was read. */
export function checkHeader(result: SubmissionResult, p: Palette): string[] {
  const lines: string[] = [p.bold(`mlgrade check — ${result.assignment} — ${result.submission}`), ''];
  for (const note of result.origin?.notes ?? []) lines.push(p.dim(`Note: ${note}`));
  if (result.origin?.notes?.length) lines.push('');
  return lines;
}

/** The self-check report: every test grouped by function, failures with their messages. */
export function formatCheckReport(result: SubmissionResult, p: Palette): string {
  const lines = checkHeader(result, p);
  if (result.load.status === 'failed') {
    lines.push(p.red(`✗ Your submission could not be loaded (${result.load.reason}):`), indent(result.load.message, '    '), '');
  }
  let currentFunction = '';
  for (const test of result.tests) {
    if (test.function !== currentFunction) {
      currentFunction = test.function;
      lines.push(p.bold(functionName(result, test.function)));
    }
    const colour = colourFor(test.status, p);
    lines.push(`  ${colour(SYMBOL[test.status])} ${test.name} ${p.dim(`[${test.category}] ${test.score}/${test.maxScore}`)}`);
    if (test.status !== 'passed' && result.load.status !== 'failed') lines.push(p.dim(indent(test.message, '      ')));
  }
  const failed = result.tests.filter((t) => t.status !== 'passed').length;
  lines.push('');
  lines.push(`${p.bold('Public tests:')} ${result.tests.length - failed} passed, ${failed} failed — score ${scoreText(result)}`);
  lines.push(p.dim('Hidden tests are run when your instructor grades; passing every public test does not guarantee full marks.'));
  return lines.join('\n');
}

/**
 * One line per graded submission; ids are padded to `idWidth` so that the scores of a run line up
 * (a longer id pushes its own line's score right).
 */
export function formatGradeLine(result: SubmissionResult, p: Palette, idWidth = 32): string {
  const full = result.score === result.maxScore && result.maxScore > 0;
  const mark = full ? p.green('✓') : result.load.status === 'failed' ? p.red('✗') : p.yellow('•');
  const counts = (['failed', 'error', 'timeout'] as const)
    .map((status) => [status, result.tests.filter((t) => t.status === status).length] as const)
    .filter(([, n]) => n > 0)
    .map(([status, n]) => `${n} ${status}`)
    .join(', ');
  const note = result.load.status === 'failed' ? `could not load: ${result.load.message.split('\n')[0]}` : counts;
  return `${mark} ${result.submission.padEnd(idWidth)} ${scoreText(result).padStart(18)}${note ? p.dim(`  ${note}`) : ''}`;
}

/** How a run's results came about: graded in this run, or kept (unchanged) from an earlier one. */
export interface GradeCounts {
  graded: number;
  kept: number;
}

/**
 * Closing lines of a bulk run. `results` are all of the run's results (or their summaries), graded now or kept; the
 * statistics (mean, median, load failures, as summary.json computes them) are over all of them,
 * so a resumed run that regraded two submissions still describes the class.
 *
 * @example formatGradeSummary(results, 'out', 3.2, p, { graded: 2, kept: 8 })
 * // returns "\n2 submissions graded in 3.2 s; 8 kept from earlier runs — class of 10: mean 61.5%, median 70.0%\nResults in out"
 */
export function formatGradeSummary(
  results: readonly Readonly<Pick<SubmissionResult, 'score' | 'maxScore'> & { load: Pick<SubmissionResult['load'], 'status'> }>[],
  outDir: string,
  seconds: number,
  p: Palette,
  counts: GradeCounts = { graded: results.length, kept: 0 },
): string {
  const stats = percentStats(results.map((r) => percentOf(r) ?? 0));
  const failedToLoad = results.filter((r) => r.load.status === 'failed').length;
  const plural = (n: number) => (n === 1 ? '' : 's');
  const done = `${p.bold(`${counts.graded} submission${plural(counts.graded)} graded`)} in ${seconds.toFixed(1)} s` + (counts.kept ? `; ${counts.kept} kept from earlier runs` : '');
  const whole = counts.kept ? `class of ${results.length}: ` : '';
  const statistics = stats ? ` — ${whole}mean ${stats.mean.toFixed(1)}%, median ${stats.median.toFixed(1)}%` + (failedToLoad ? `, ${failedToLoad} could not load` : '') : '';
  return ['', done + statistics, `Results in ${outDir}`].join('\n');
}
