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
import { functionName } from './functionName';
import * as path from 'node:path';
import type { SubmissionResult, TestResult } from '../src/types';
import { writeFileAtomic } from './atomic';
import type { Reporter, RunInfo } from './reporter';

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

/**
 * The JUnit XML document of a run (pure).
 *
 * @example toJUnitXml([result], run, { includeHidden: false }) // returns '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites …'
 */
export function toJUnitXml(results: readonly Readonly<SubmissionResult>[], run: Pick<RunInfo, 'assignment'>, options: JUnitOptions = { includeHidden: false }): string {
  const all = counts(results.flatMap((r) => r.tests), options);
  const time = seconds(results.reduce((sum, r) => sum + r.durationMs, 0));
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xmlAttr(`mlgrade ${run.assignment.id}`)}" tests="${all.tests}" failures="${all.failures}" errors="${all.errors}" skipped="0" time="${time}">`,
    ...results.map((r) => testsuite(r, options)),
    '</testsuites>',
    '',
  ].join('\n');
}

/**
 * Writes the JUnit file to `file` (resolved against the working directory) once the run is
 * complete; hidden tests show name and pass/fail only unless `includeHidden` is true.
 */
export function junitReporter(file: string, options: { includeHidden?: boolean } = {}): Reporter {
  return {
    name: 'junit',
    onRunComplete: (results, run) => {
      writeFileAtomic(path.resolve(file), toJUnitXml(results, run, { includeHidden: options.includeHidden === true }));
    },
  };
}
