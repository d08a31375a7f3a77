/**
 * JUnit XML for CI systems (GitLab, Jenkins, GitHub test-report actions): one `<testsuite>` per
 * submission, one `<testcase>` per test.
 *
 * The writer is hand-written rather than jest-junit: jest-junit reports jest's own test results,
 * in which mlgrade's points, categories, visibility and load failures do not exist (a suite that
 * could not load a submission is still a passing jest run), so they would be lost.
 *
 * JUnit files end up in CI interfaces students can read, so by default a hidden test shows its
 * name and pass/fail only: a test that did not pass is a `<failure>` "hidden test failed" (an error
 * or a timeout too, as the student report shows it), with no message, and its time is not
 * reported (0). `includeHidden` (for an instructor's own CI) writes hidden tests in full.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SubmissionResult, TestResult } from '../src/types';
import { writeAll } from './atomic';
import { functionName } from './functionName';
import type { Reporter, RunInfo, RunResults } from './reporter';

/**
 * Characters XML 1.0 forbids even as character references: C0 controls other than tab, LF and CR,
 * lone surrogates, U+FFFE and U+FFFF. They are removed (the `u` flag makes a lone surrogate one
 * code point outside the allowed ranges).
 */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Escapes text for element content: `&`, `<`, `>` and forbidden characters removed. */
export function xmlText(text: string): string {
  return text.replace(NOT_XML_CHAR, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Escapes text for a double-quoted attribute value. Tab, LF and CR become character references
 * so that attribute-value normalisation does not turn them into spaces.
 */
export function xmlAttr(text: string): string {
  return xmlText(text).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}

export interface JUnitOptions {
  /** Write hidden tests' messages, error kinds and times too (instructors only; default false). */
  includeHidden: boolean;
}

const HIDDEN_MESSAGE = 'hidden test failed';
const seconds = (ms: number | undefined) => ((ms ?? 0) / 1000).toFixed(3);
const firstLine = (text: string) => {
  const line = text.split('\n', 1)[0];
  return line.length > 300 ? line.slice(0, 299) + '…' : line;
};

/** A test as the JUnit file may show it: a concealed hidden test is only passed or failed. */
function shown(test: Readonly<TestResult>, options: JUnitOptions): { status: TestResult['status']; concealed: boolean } {
  const concealed = test.visibility === 'hidden' && !options.includeHidden;
  return { status: concealed && test.status !== 'passed' ? 'failed' : test.status, concealed };
}

function testcase(result: Readonly<SubmissionResult>, test: Readonly<TestResult>, options: JUnitOptions): string {
  const { status, concealed } = shown(test, options);
  // The points in the name are the test's maximum, not the score, so a test keeps one name across
  // runs and CI history can follow it from failing to passing.
  const name = `${test.name} (${test.maxScore} ${test.maxScore === 1 ? 'pt' : 'pts'})`;
  const head = `    <testcase classname="${xmlAttr(`${result.assignment}.${functionName(result, test.function)}`)}" name="${xmlAttr(name)}" time="${concealed ? seconds(0) : seconds(test.durationMs)}"`;
  if (status === 'passed') return `${head}/>`;
  const message = concealed ? HIDDEN_MESSAGE : test.message || `${test.status} (${test.score}/${test.maxScore} pts)`;
  // failed = a wrong answer; error/timeout = the code threw, crashed, did not load or ran too long.
  const element = status === 'failed' ? 'failure' : 'error';
  const type = status;
  return [
    `${head}>`,
    `      <${element} message="${xmlAttr(firstLine(message))}" type="${type}">${xmlText(message)}</${element}>`,
    '    </testcase>',
  ].join('\n');
}

function counts(tests: readonly Readonly<TestResult>[], options: JUnitOptions) {
  const statuses = tests.map((t) => shown(t, options).status);
  return {
    tests: tests.length,
    failures: statuses.filter((s) => s === 'failed').length,
    errors: statuses.filter((s) => s === 'error' || s === 'timeout').length,
  };
}

function testsuite(result: Readonly<SubmissionResult>, options: JUnitOptions): string {
  const c = counts(result.tests, options);
  const properties = [
    ['score', String(result.score)],
    ['maxScore', String(result.maxScore)],
    ['load', result.load.status === 'loaded' ? 'loaded' : `failed: ${result.load.reason}`],
    ['graderVersion', result.graderVersion],
  ];
  return [
    `  <testsuite name="${xmlAttr(result.submission)}" tests="${c.tests}" failures="${c.failures}" errors="${c.errors}" skipped="0" time="${seconds(result.durationMs)}" timestamp="${xmlAttr(result.gradedAt)}">`,
    '    <properties>',
    ...properties.map(([name, value]) => `      <property name="${name}" value="${xmlAttr(value)}"/>`),
    '    </properties>',
    ...result.tests.map((t) => testcase(result, t, options)),
    '  </testsuite>',
  ].join('\n');
}

/** What the document's head says about all its test suites. */
interface Totals {
  tests: number;
  failures: number;
  errors: number;
  durationMs: number;
}

/** Hands each result's `<testsuite>` to `write` as the result goes by; returns the totals for the head. */
function eachTestsuite(results: RunResults, options: JUnitOptions, write: (xml: string) => void): Totals {
  const totals: Totals = { tests: 0, failures: 0, errors: 0, durationMs: 0 };
  for (const result of results) {
    const c = counts(result.tests, options);
    totals.tests += c.tests;
    totals.failures += c.failures;
    totals.errors += c.errors;
    totals.durationMs += result.durationMs;
    write(testsuite(result, options));
  }
  return totals;
}

/** The XML declaration and the opening `<testsuites>` with the run's totals. */
function documentHead(run: Pick<RunInfo, 'assignment'>, totals: Totals): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xmlAttr(`mlgrade ${run.assignment.id}`)}" tests="${totals.tests}" failures="${totals.failures}" ` +
      `errors="${totals.errors}" skipped="0" time="${seconds(totals.durationMs)}">`,
  ].join('\n');
}

const DOCUMENT_END = '</testsuites>\n';

/**
 * The JUnit XML document of a run (pure).
 *
 * @example toJUnitXml([result], run, { includeHidden: false }) // returns '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites …'
 */
export function toJUnitXml(results: RunResults, run: Pick<RunInfo, 'assignment'>, options: JUnitOptions = { includeHidden: false }): string {
  const suites: string[] = [];
  const totals = eachTestsuite(results, options, (xml) => suites.push(xml));
  return [documentHead(run, totals), ...suites, DOCUMENT_END].join('\n');
}

/**
 * Writes the document {@link toJUnitXml} returns to `file` without holding it whole (a class's
 * file holds every test of every submission): each `<testsuite>` goes to a temporary body file as
 * its result goes by, then the head (whose totals are known only at the end), the body and the
 * end are written to a temporary file that is renamed over `file`, so that `file` is never half
 * written. Returns the absolute path.
 */
export function writeJUnitXml(
  file: string,
  results: RunResults,
  run: Pick<RunInfo, 'assignment'>,
  options: JUnitOptions = { includeHidden: false },
): string {
  const target = path.resolve(file);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${Date.now()}`);
  const body = `${temporary}.body.tmp`;
  const whole = `${temporary}.tmp`;
  try {
    const bodyFd = fs.openSync(body, 'w');
    let totals: Totals;
    try {
      totals = eachTestsuite(results, options, (xml) => writeAll(bodyFd, `${xml}\n`));
    } finally {
      fs.closeSync(bodyFd);
    }
    const fd = fs.openSync(whole, 'w');
    try {
      writeAll(fd, `${documentHead(run, totals)}\n`);
      const from = fs.openSync(body, 'r');
      try {
        const chunk = Buffer.alloc(1 << 20);
        for (let read = fs.readSync(from, chunk); read > 0; read = fs.readSync(from, chunk)) writeAll(fd, chunk.subarray(0, read));
      } finally {
        fs.closeSync(from);
      }
      writeAll(fd, DOCUMENT_END);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(whole, target);
    return target;
  } finally {
    fs.rmSync(body, { force: true });
    fs.rmSync(whole, { force: true });
  }
}

/**
 * Writes the JUnit file to `file` (resolved against the working directory) once the run is
 * complete; hidden tests show name and pass/fail only unless `includeHidden` is true.
 */
export function junitReporter(file: string, options: { includeHidden?: boolean } = {}): Reporter {
  return {
    name: 'junit',
    onRunComplete: (results, run) => {
      writeJUnitXml(file, results, run, { includeHidden: options.includeHidden === true });
    },
  };
}
