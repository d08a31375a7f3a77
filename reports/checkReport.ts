/**
 * The self-check's terminal report when the submission did not load: the load error alone, with
 * what to do about it, instead of the same failure repeated for every test (in `--watch` the one
 * line that matters would scroll away).
 */
import { checkHeader, formatCheckReport, scoreText, type Palette } from './console';
import type { LoadOutcome, SubmissionResult } from '../src/types';
import { entryFileWords, type EntryName } from '../src/grading/entryFile';

type LoadFailure = Extract<LoadOutcome, { status: 'failed' }>;

const WHAT_HAPPENED: Record<LoadFailure['reason'], string> = {
  'no-entry': 'there is no entry file',
  syntax: 'it has a syntax error',
  threw: 'it threw an error while loading',
  exited: 'it ended the process while loading',
  timeout: 'loading it took too long',
  crashed: 'its process crashed while loading',
  'no-sandbox': 'this machine cannot run Python in the sandbox',
};

const WHAT_TO_DO: Record<LoadFailure['reason'], (entry: EntryName, python: boolean) => string> = {
  'no-entry': (entry) => `put your solution in ${entryFileWords(entry)} in this folder, or pass the folder that holds it`,
  syntax: () => 'fix the line named above, save, and check again',
  threw: (_entry, python) =>
    python
      ? 'code outside your functions runs when the file loads (in a notebook: every cell): fix or remove the line named above'
      : 'code outside your functions runs when the file loads: fix or remove the line named above',
  exited: (_entry, python) => (python ? 'remove sys.exit() and exit() (and anything else that ends the process) from your code' : 'remove process.exit() (and anything else that ends the process) from your file'),
  timeout: () => 'remove loops or long computations outside your functions: they run when the file loads',
  crashed: () => 'look for code outside your functions that uses a lot of memory or ends the process',
  'no-sandbox': () => 'install what the message above names, then check again',
};

const indent = (text: string, by: string) => text.split('\n').map((line) => by + line).join('\n');

/**
 * The check report: {@link formatCheckReport} when the submission loaded, else its load error
 * alone with what to fix.
 *
 * @example
 * formatCheck(resultOfASyntaxError, p, 'losses')
 * // "✗ Your submission could not be loaded: it has a syntax error.\n    losses.ts:30:39 - …\n  To fix: …"
 */
export function formatCheck(result: SubmissionResult, p: Palette, entry: EntryName): string {
  if (result.load.status !== 'failed') return formatCheckReport(result, p);
  const { reason, message } = result.load;
  if (result.graderFailure !== undefined && reason !== 'no-sandbox') {
    return [
      ...checkHeader(result, p),
      p.red('✗ The grader could not check your submission (a problem of the grader, not of your code):'),
      indent(result.graderFailure, '    '),
      '',
      '  Check again; if it happens again, tell your instructor.',
    ].join('\n');
  }
  // The notes come first: a renamed or case-fixed entry, or a module chosen over a notebook,
  // often explains the failure.
  return [
    ...checkHeader(result, p),
    p.red(`✗ Your submission could not be loaded: ${result.language === 'python' && reason === 'threw' ? 'it raised an exception while loading' : WHAT_HAPPENED[reason]}.`),
    indent(message, '    '),
    '',
    `  To fix: ${WHAT_TO_DO[reason](entry, result.language === 'python')}.`,
    '',
    `${p.bold('Public tests:')} none of ${result.tests.length} could run — score ${scoreText(result)}`,
  ].join('\n');
}
