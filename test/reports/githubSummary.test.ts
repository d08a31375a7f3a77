/**
 * The GitHub job summary says what the student report says (scores per category, what to look at
 * first, full public failure messages, hidden tests by name, pass/fail and likely cause only, why
 * a submission did not load), as Markdown that renders: tables well-formed, fences balanced, no
 * raw `|` breaking a cell, no HTML, within GitHub's size limit.
 */
import { fencedBlock, formatGithubSummary } from '../../reports/githubSummary';
import { submissionView } from '../../reports/html/submissionView';
import type { SubmissionResult, TestResult } from '../../src/types';
import { HIDDEN_DIAGNOSIS, PUBLIC_DIAGNOSIS, SECRET, loadFailedResult, perfectResult, sampleResult } from './fixtures';

const RUN = { assignment: { id: 'losses', title: 'Losses and gradients' } };

/** Cells of a table row, split on pipes that are not escaped. */
function cells(line: string): string[] {
  return line
    .replace(/\\\\/g, '')
    .split(/(?<!\\)\|/)
    .slice(1, -1);
}

/** What would not render as intended: unbalanced fences, malformed tables, HTML or bad headings. */
function markdownProblems(text: string): string[] {
  const problems: string[] = [];
  const lines = text.split('\n');
  let fence: string | undefined;
  let table: number | undefined;
  lines.forEach((line, i) => {
    const where = `line ${i + 1}: ${line.slice(0, 60)}`;
    if (fence) {
      if (new RegExp(`^${fence}\`*\\s*$`).test(line)) fence = undefined;
      return;
    }
    const open = /^(`{3,})[^`]*$/.exec(line);
    if (open) {
      fence = open[1];
      table = undefined;
      return;
    }
    if (/</.test(line)) problems.push(`raw < outside code: ${where}`);
    if (/^#/.test(line) && !/^#{1,6} \S/.test(line)) problems.push(`bad heading: ${where}`);
    if (line.startsWith('|')) {
      if (!line.endsWith('|')) problems.push(`table row not closed: ${where}`);
      if (table === undefined) {
        table = cells(line).length;
        const delimiter = lines[i + 1] ?? '';
        if (!/^\|(\s*:?-+:?\s*\|)+$/.test(delimiter) || cells(delimiter).length !== table) problems.push(`table without a delimiter row: ${where}`);
      } else if (cells(line).length !== table) problems.push(`row of ${cells(line).length} cells in a table of ${table}: ${where}`);
    } else table = undefined;
  });
  if (fence) problems.push('a fence is never closed');
  return problems;
}

/** The text inside fenced blocks, and outside them. */
function split(text: string): { inside: string; outside: string } {
  const inside: string[] = [];
  const outside: string[] = [];
  let fence: string | undefined;
  for (const line of text.split('\n')) {
    if (fence) {
      if (new RegExp(`^${fence}\`*\\s*$`).test(line)) fence = undefined;
      else inside.push(line);
    } else if (/^`{3,}/.test(line)) fence = /^`+/.exec(line)![0];
    else outside.push(line);
  }
  return { inside: inside.join('\n'), outside: outside.join('\n') };
}

describe('one submission: what the student report says', () => {
  const result = sampleResult();
  const text = formatGithubSummary([result], RUN);
  const view = submissionView(result, 'student');

  test('renders', () => {
    expect(markdownProblems(text)).toEqual([]);
  });

  test('score, and points per category', () => {
    expect(text).toContain('### alice: 6/14 points (42.9%)');
    for (const c of view.categories) expect(text).toContain(`| ${c.label} | ${c.score}/${c.maxScore} | ${c.percentText} |`);
  });

  test('what to look at first: the failures grouped by diagnosis, as in the report', () => {
    const section = text.slice(text.indexOf('#### What to look at first'), text.indexOf('#### Tests'));
    const items = section.split('\n').filter((l) => /^\d+\. /.test(l));
    expect(items).toHaveLength(view.toFix.length);
    expect(items[0]).toContain(PUBLIC_DIAGNOSIS.replace(/_/g, '\\_'));
    expect(items[0]).toContain('2 tests, 5 pt lost, in `mseGrad` ×2');
  });

  test('every test with its result; public failures in full with their likely cause', () => {
    const rows = text.split('\n').filter((l) => l.startsWith('| ') && /✅|❌/.test(l));
    expect(rows).toHaveLength(result.tests.length);
    const { inside, outside } = split(text);
    for (const test of result.tests.filter((t) => t.visibility === 'public' && t.status !== 'passed')) {
      for (const line of test.message.split('\n').filter((l) => !l.startsWith('Hint:'))) expect(inside.split('\n')).toContain(line);
      expect(outside).toContain(`**Likely cause:** ${test.diagnosis}`);
    }
  });

  test('a hidden test: name, pass/fail and likely cause, nothing else', () => {
    expect(text).toContain('| matches the reference on a larger seeded batch _(hidden)_ | ❌ | 0/2 |');
    expect(text).toContain(`— **Likely cause:** ${HIDDEN_DIAGNOSIS}`);
    for (const secret of [String(SECRET.input), String(SECRET.expected), String(SECRET.got), 'hidden-message-marker', 'hidden-call-marker', SECRET.curveLabel, 'hidden-pass-message-marker', SECRET.output, 'mseGrad.gradient.seeded']) {
      expect(text).not.toContain(secret);
    }
  });

  test('a submission that could not load: the reason and the loader message', () => {
    const failed = formatGithubSummary([loadFailedResult('bob')], RUN);
    expect(markdownProblems(failed)).toEqual([]);
    expect(failed).toContain("**Your submission could not be loaded:** the code has a syntax error (`syntax`)");
    expect(split(failed).inside).toBe("losses.ts:30:39 - syntax error: ')' expected.");
    expect(failed).not.toContain('#### Failed public tests');
  });

  test('a self-check says only the public tests ran', () => {
    expect(formatGithubSummary([sampleResult({ scope: 'public' })], RUN)).toContain('This was a self-check: only the public tests ran.');
    expect(text).not.toContain('self-check');
  });
});

describe('hostile text stays inert and the Markdown stays well-formed', () => {
  const nasty = (overrides: Partial<TestResult>): TestResult => ({
    id: 'x.accuracy',
    name: 'a | b <img src=x onerror=alert(1)> `c` [l](u) # h',
    function: 'f|g`h',
    category: 'accuracy',
    points: 1,
    visibility: 'public',
    status: 'failed',
    score: 0,
    maxScore: 1,
    message: 'got | 1 |\n```\n<script>alert(1)</script>\n````` five\n# not a heading\n| a | b |',
    diagnosis: 'use <b>|</b> `x`',
    ...overrides,
  });
  const result: SubmissionResult = {
    ...sampleResult(),
    submission: 'x|<script>alert(1)</script>\n| row |`',
    tests: [nasty({}), nasty({ id: 'x.hidden', visibility: 'hidden', status: 'error' }), nasty({ id: 'x.ok', status: 'passed', score: 1 })],
    score: 1,
    maxScore: 3,
  };

  test('one submission', () => {
    const text = formatGithubSummary([result], RUN);
    expect(markdownProblems(text)).toEqual([]);
    const { inside, outside } = split(text);
    // The public message is verbatim inside its block, the hidden one nowhere.
    expect(inside).toBe(result.tests[0].message);
    expect(outside).not.toMatch(/<script|<img|<b>/);
    expect(outside).toContain('use &lt;b&gt;\\|&lt;/b&gt; \\`x\\`');
  });

  test('a class, with load failures', () => {
    const broken = { ...loadFailedResult('z|`'), load: { status: 'failed' as const, reason: 'threw' as const, message: 'Error: ``` | <x>' } };
    const text = formatGithubSummary([result, perfectResult('carol'), broken], RUN);
    expect(markdownProblems(text)).toEqual([]);
    expect(text).toContain('### Could not load (1)');
    expect(text).toContain('**z\\|\\`:** the code threw an error while it was being imported (`threw`)');
    expect(split(text).inside).toBe('Error: ``` | <x>');
    expect(text.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| submission'))).toHaveLength(3);
  });

  test('fencedBlock: a fence longer than any backtick run', () => {
    expect(fencedBlock('a ``` b\n````')).toEqual(['`````text', 'a ``` b', '````', '`````']);
    expect(fencedBlock('plain')).toEqual(['```text', 'plain', '```']);
  });
});

test('a huge run stays under GitHub’s 1 MiB and still renders', () => {
  const long = 'x'.repeat(60_000);
  const tests = Array.from({ length: 40 }, (_, i): TestResult => ({ ...sampleResult().tests[2], id: `t${i}`, name: `test ${i}`, message: long }));
  const one = formatGithubSummary([{ ...sampleResult(), tests }], RUN);
  expect(Buffer.byteLength(one)).toBeLessThan(1024 * 1024);
  expect(markdownProblems(one)).toEqual([]);
  expect(one).toContain('more characters)');
  const many = Array.from({ length: 1500 }, (_, i) => ({ ...loadFailedResult(`s${i}`), load: { status: 'failed' as const, reason: 'threw' as const, message: long } }));
  const klass = formatGithubSummary(many, RUN);
  expect(Buffer.byteLength(klass)).toBeLessThan(1024 * 1024);
  expect(markdownProblems(klass)).toEqual([]);
  expect(klass).toContain('…and 500 more submissions (see grades.csv).');
  expect(klass).toContain('…and 1450 more (see the dashboard, index.html).');
});

test('the structure check itself finds broken Markdown', () => {
  expect(markdownProblems('| a | b |\n|---|---|\n| 1 | 2 | 3 |\n| x \\| y | z |')).toEqual([expect.stringMatching(/^row of 3 cells in a table of 2/)]);
  expect(markdownProblems('| a |\n| 1 |')).toEqual([expect.stringMatching(/^table without a delimiter row/)]);
  expect(markdownProblems('```text\n<b>\n````\n<i>')).toEqual([expect.stringMatching(/^raw < outside code/)]);
  expect(markdownProblems('````text\n```\n')).toEqual(['a fence is never closed']);
  expect(markdownProblems('#no space')).toEqual([expect.stringMatching(/^bad heading/)]);
});
